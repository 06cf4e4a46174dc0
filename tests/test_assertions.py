"""Call assertions: counts, partial nested matching with mock.ANY, messages, hidden frames."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import literal

#: Two calls with known tokens, so the failure messages are exact.
TWO_CALLS = """
from unittest import mock


def make_two_calls(client, item):
    client.batch_put_contact(
        InstanceId="inst-1", ClientToken="tok-1", ContactDataRequestList=[item("req-1")]
    )
    client.batch_put_contact(
        InstanceId="inst-2",
        ClientToken="tok-2",
        ContactDataRequestList=[item("req-2"), item("req-3", QueueId="queue-9")],
    )
"""

#: How describe_calls renders the two calls above (pprint at width 88, key order as sent).
FIRST_CALL = [
    "  [0] attempt 1, answered 200:",
    "        {'InstanceId': 'inst-1',",
    "         'ClientToken': 'tok-1',",
    "         'ContactDataRequestList': [{'RequestIdentifier': 'req-1',",
    "                                     'CustomerEndpoint': {'Type': 'TELEPHONE_NUMBER',",
    "                                                          'Address': '+15550100'},",
    "                                     'QueueId': 'queue-1',",
    "                                     'Campaign': {'CampaignId': 'campaign-1'}}]}",
]
SECOND_CALL = [
    "  [1] attempt 1, answered 200:",
    "        {'InstanceId': 'inst-2',",
    "         'ClientToken': 'tok-2',",
    "         'ContactDataRequestList': [{'RequestIdentifier': 'req-2',",
    "                                     'CustomerEndpoint': {'Type': 'TELEPHONE_NUMBER',",
    "                                                          'Address': '+15550100'},",
    "                                     'QueueId': 'queue-1',",
    "                                     'Campaign': {'CampaignId': 'campaign-1'}},",
    "                                    {'RequestIdentifier': 'req-3',",
    "                                     'CustomerEndpoint': {'Type': 'TELEPHONE_NUMBER',",
    "                                                          'Address': '+15550100'},",
    "                                     'QueueId': 'queue-9',",
    "                                     'Campaign': {'CampaignId': 'campaign-1'}}]}",
]


def location(path: Path, statement: str) -> str:
    """pytest's ``file:line: AssertionError`` line for ``statement`` in the user's file."""
    lines = [line.strip() for line in path.read_text().splitlines()]
    return f"{path.name}:{lines.index(statement) + 1}: AssertionError"


def error_lines(*lines: str) -> list[str]:
    """Patterns for an assertion message as pytest prints it: ``E`` and 7 spaces per line."""
    return ["E       " + literal(line) for line in lines]


def test_assert_called_passes_after_a_call_and_counts_retries(user: pytest.Pytester) -> None:
    user.makepyfile(
        """
        def test_counts(connect_stub, client, item):
            connect_stub.assert_not_called()
            connect_stub.raise_error("LimitExceededException")
            client.batch_put_contact(InstanceId="inst-1", ContactDataRequestList=[item()])
            connect_stub.assert_called()
            connect_stub.assert_called(times=2)
        """
    )
    user.runpytest().assert_outcomes(passed=1)


def test_assert_called_fails_when_nothing_was_called(user: pytest.Pytester) -> None:
    path = user.makepyfile(
        """
        def test_nothing(connect_stub):
            connect_stub.assert_called()
        """
    )
    result = user.runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            ">       connect_stub.assert_called()",
            *error_lines(
                "AssertionError: Expected BatchPutContact to be called, but it was not called."
            ),
            location(path, "connect_stub.assert_called()"),
        ]
    )


def test_assert_called_once_fails_listing_every_call(user: pytest.Pytester) -> None:
    path = user.makepyfile(
        TWO_CALLS
        + """

def test_once(connect_stub, client, item):
    make_two_calls(client, item)
    connect_stub.assert_called_once()
"""
    )
    result = user.runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            ">       connect_stub.assert_called_once()",
            *error_lines(
                "AssertionError: Expected BatchPutContact to be called 1 time; "
                "it was called 2 times.",
                "Calls received (2):",
                *FIRST_CALL,
                *SECOND_CALL,
            ),
            location(path, "connect_stub.assert_called_once()"),
        ]
    )


def test_assert_called_with_a_count_fails_naming_both_counts(user: pytest.Pytester) -> None:
    user.makepyfile(
        """
        def test_three(connect_stub, client, item):
            client.batch_put_contact(InstanceId="inst-1", ContactDataRequestList=[item()])
            connect_stub.assert_called(times=3)
        """
    )
    result = user.runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            *error_lines(
                "AssertionError: Expected BatchPutContact to be called 3 times; "
                "it was called 1 time.",
                "Calls received (1):",
            )
        ]
    )


def test_assert_not_called_fails_listing_the_call(user: pytest.Pytester) -> None:
    user.makepyfile(
        """
        import pytest

        def test_not_called(connect_stub, client, item):
            connect_stub.raise_error("AccessDeniedException")
            with pytest.raises(client.exceptions.AccessDeniedException):
                client.batch_put_contact(
                    InstanceId="inst-1", ClientToken="tok-1", ContactDataRequestList=[item()]
                )
            connect_stub.assert_not_called()
        """
    )
    result = user.runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        error_lines(
            "AssertionError: Expected BatchPutContact to be called 0 times; it was called 1 time.",
            "Calls received (1):",
            "  [0] attempt 1, answered AccessDeniedException:",
            "        {'InstanceId': 'inst-1',",
        )
    )


def test_assert_called_with_matches_the_last_call_partially_and_nested(
    user: pytest.Pytester,
) -> None:
    user.makepyfile(
        TWO_CALLS
        + """

def test_partial(connect_stub, client, item):
    make_two_calls(client, item)
    connect_stub.assert_called_with(InstanceId="inst-2")
    connect_stub.assert_called_with(
        ClientToken=mock.ANY,
        ContactDataRequestList=[
            {"RequestIdentifier": "req-2"},
            {"QueueId": "queue-9", "CustomerEndpoint": {"Address": "+15550100"}},
        ],
    )
    connect_stub.assert_called_with(ContactDataRequestList=[mock.ANY, mock.ANY])
    connect_stub.assert_called_with(
        ContactDataRequestList=[{"Campaign": mock.ANY}, {"Campaign": {"CampaignId": mock.ANY}}]
    )
"""
    )
    user.runpytest().assert_outcomes(passed=1)


def test_assert_called_with_fails_naming_the_differing_paths_and_every_call(
    user: pytest.Pytester,
) -> None:
    path = user.makepyfile(
        TWO_CALLS
        + """

def test_mismatch(connect_stub, client, item):
    make_two_calls(client, item)
    connect_stub.assert_called_with(
        InstanceId="inst-1",
        ContactDataRequestList=[
            {"RequestIdentifier": "req-2"},
            {"CustomerEndpoint": {"Address": "+15550199"}, "SystemEndpoint": mock.ANY},
        ],
    )
"""
    )
    result = user.runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            ">       connect_stub.assert_called_with(",
            *error_lines(
                "AssertionError: The last BatchPutContact call does not match:",
                "  InstanceId: expected 'inst-1', got 'inst-2'",
                "  ContactDataRequestList[1].CustomerEndpoint.Address: "
                "expected '+15550199', got '+15550100'",
                "  ContactDataRequestList[1].SystemEndpoint: expected <ANY>, but it is missing",
                "Calls received (2):",
                *FIRST_CALL,
                "      differs at ContactDataRequestList: expected 2 items, got 1",
                *SECOND_CALL,
                "      differs at InstanceId: expected 'inst-1', got 'inst-2'",
                "      differs at ContactDataRequestList[1].CustomerEndpoint.Address: "
                "expected '+15550199', got '+15550100'",
                "      differs at ContactDataRequestList[1].SystemEndpoint: "
                "expected <ANY>, but it is missing",
            ),
            "",
            location(path, "connect_stub.assert_called_with("),
        ]
    )


def test_assert_called_with_fails_when_nothing_was_called(user: pytest.Pytester) -> None:
    user.makepyfile(
        """
        def test_no_call(connect_stub):
            connect_stub.assert_called_with(InstanceId="inst-1")
        """
    )
    result = user.runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        error_lines(
            "AssertionError: Expected a call with {'InstanceId': 'inst-1'}, "
            "but no call was received."
        )
    )


def test_assert_called_with_only_looks_at_the_last_call(user: pytest.Pytester) -> None:
    user.makepyfile(
        TWO_CALLS
        + """

def test_first_only(connect_stub, client, item):
    make_two_calls(client, item)
    connect_stub.assert_called_with(InstanceId="inst-1")
"""
    )
    result = user.runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        error_lines(
            "AssertionError: The last BatchPutContact call does not match:",
            "  InstanceId: expected 'inst-1', got 'inst-2'",
        )
    )


def test_assert_any_call_passes_when_some_call_matches(user: pytest.Pytester) -> None:
    user.makepyfile(
        TWO_CALLS
        + """

def test_any(connect_stub, client, item):
    make_two_calls(client, item)
    connect_stub.assert_any_call(InstanceId="inst-1", ClientToken="tok-1")
    connect_stub.assert_any_call(
        ContactDataRequestList=[mock.ANY, {"RequestIdentifier": "req-3", "QueueId": "queue-9"}]
    )
"""
    )
    user.runpytest().assert_outcomes(passed=1)


def test_assert_any_call_fails_listing_every_call_with_its_differences(
    user: pytest.Pytester,
) -> None:
    path = user.makepyfile(
        TWO_CALLS
        + """

def test_none_match(connect_stub, client, item):
    make_two_calls(client, item)
    connect_stub.assert_any_call(InstanceId="inst-3", ClientToken=mock.ANY)
"""
    )
    result = user.runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            '>       connect_stub.assert_any_call(InstanceId="inst-3", ClientToken=mock.ANY)',
            *error_lines(
                "AssertionError: No BatchPutContact call matches "
                "{'InstanceId': 'inst-3', 'ClientToken': <ANY>}.",
                "Calls received (2):",
                *FIRST_CALL,
                "      differs at InstanceId: expected 'inst-3', got 'inst-1'",
                *SECOND_CALL,
                "      differs at InstanceId: expected 'inst-3', got 'inst-2'",
            ),
            "",
            location(
                path, 'connect_stub.assert_any_call(InstanceId="inst-3", ClientToken=mock.ANY)'
            ),
        ]
    )


def test_assert_any_call_fails_when_nothing_was_called(user: pytest.Pytester) -> None:
    user.makepyfile(
        """
        def test_no_call(connect_stub):
            connect_stub.assert_any_call(InstanceId="inst-1")
        """
    )
    result = user.runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        error_lines(
            "AssertionError: No BatchPutContact call matches {'InstanceId': 'inst-1'}.",
            "No BatchPutContact call was received.",
        )
    )


@pytest.mark.parametrize(
    "assertion",
    [
        "connect_stub.assert_called()",
        "connect_stub.assert_called(times=2)",
        "connect_stub.assert_called_once()",
        'connect_stub.assert_called_with(InstanceId="inst-1")',
        'connect_stub.assert_any_call(InstanceId="inst-1")',
    ],
)
def test_assertion_failure_points_at_the_users_line(user: pytest.Pytester, assertion: str) -> None:
    path = user.makepyfile(
        f"""
        def test_points_here(connect_stub):
            x = 1
            {assertion}
        """
    )
    result = user.runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines([literal(f">       {assertion}"), location(path, assertion)])
    # The helpers' own frames are hidden: the user's line is the only one shown.
    result.stdout.no_fnmatch_line("*pytest_connect_stub*")
    result.stdout.no_fnmatch_line("*__tracebackhide__*")
    result.stdout.no_fnmatch_line("*def assert_*")


def test_assert_not_called_failure_points_at_the_users_line(user: pytest.Pytester) -> None:
    path = user.makepyfile(
        """
        def test_points_here(connect_stub, client, item):
            client.batch_put_contact(InstanceId="inst-1", ContactDataRequestList=[item()])
            connect_stub.assert_not_called()
        """
    )
    result = user.runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            ">       connect_stub.assert_not_called()",
            location(path, "connect_stub.assert_not_called()"),
        ]
    )
    result.stdout.no_fnmatch_line("*pytest_connect_stub*")
