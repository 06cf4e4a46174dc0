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
        'connect_stub.assert_called_once_with(InstanceId="inst-1")',
        'connect_stub.assert_any_contact(QueueId="queue-1")',
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


def test_assert_any_call_after_many_calls_shows_the_count_and_the_closest_few(
    user: pytest.Pytester,
) -> None:
    path = user.makepyfile(
        """
        def test_many(connect_stub, client, item):
            for n in range(30):
                client.batch_put_contact(
                    InstanceId=f"inst-{n}", ClientToken=f"tok-{n}", ContactDataRequestList=[item()]
                )
            connect_stub.assert_any_call(InstanceId="inst-7", ClientToken="tok-8")
        """
    )
    result = user.runpytest()
    result.assert_outcomes(failed=1)

    def call(n: int, *differences: str) -> list[str]:
        return [
            f"  [{n}] attempt 1, answered 200:",
            f"        {{'InstanceId': 'inst-{n}',",
            f"         'ClientToken': 'tok-{n}',",
            "         'ContactDataRequestList': [{'RequestIdentifier': 'req-1',",
            "                                     'CustomerEndpoint': {'Type': 'TELEPHONE_NUMBER',",
            "                                                          'Address': '+15550100'},",
            "                                     'QueueId': 'queue-1',",
            "                                     'Campaign': {'CampaignId': 'campaign-1'}}]}",
            *(f"      differs at {difference}" for difference in differences),
        ]

    result.stdout.fnmatch_lines(
        [
            *error_lines(
                "AssertionError: No BatchPutContact call matches "
                "{'InstanceId': 'inst-7', 'ClientToken': 'tok-8'}.",
                "Calls received (30); the 3 closest to the expected:",
                *call(7, "ClientToken: expected 'tok-8', got 'tok-7'"),
                *call(8, "InstanceId: expected 'inst-7', got 'inst-8'"),
                *call(
                    0,
                    "InstanceId: expected 'inst-7', got 'inst-0'",
                    "ClientToken: expected 'tok-8', got 'tok-0'",
                ),
                "  ... and 27 more calls, not shown.",
            ),
            "",
            location(
                path, 'connect_stub.assert_any_call(InstanceId="inst-7", ClientToken="tok-8")'
            ),
        ]
    )
    # 199 lines before: now the heading, three calls and a count of the rest.
    assert len([line for line in result.outlines if line.startswith("E ")]) == 31


def test_a_count_assertion_after_many_calls_shows_the_first_few(user: pytest.Pytester) -> None:
    user.makepyfile(
        """
        def test_many(connect_stub, client, item):
            for n in range(5):
                client.batch_put_contact(InstanceId=f"inst-{n}", ContactDataRequestList=[item()])
            connect_stub.assert_called_once()
        """
    )
    result = user.runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            *error_lines(
                "AssertionError: Expected BatchPutContact to be called 1 time; "
                "it was called 5 times.",
                "Calls received (5); the first 3:",
                "  [0] attempt 1, answered 200:",
            ),
            *error_lines("        {'InstanceId': 'inst-0',"),
        ]
    )
    result.stdout.fnmatch_lines(["E         [[]2] attempt 1, answered 200:"])
    result.stdout.fnmatch_lines(error_lines("  ... and 2 more calls, not shown."))
    result.stdout.no_fnmatch_line("*[[]3] attempt*")


def test_a_misspelt_key_in_a_partial_match_gets_the_closest_key_present(
    user: pytest.Pytester,
) -> None:
    user.makepyfile(
        """
        def test_typo(connect_stub, client, item):
            client.batch_put_contact(InstanceId="inst-1", ContactDataRequestList=[item()])
            connect_stub.assert_called_with(
                InstanceID="inst-1",
                ContactDataRequestList=[{"CustomerEndpoint": {"adress": "+15550100"}}],
            )
        """
    )
    result = user.runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        error_lines(
            "AssertionError: The last BatchPutContact call does not match:",
            "  InstanceID: expected 'inst-1', but it is missing. Did you mean 'InstanceId'?",
            "  ContactDataRequestList[0].CustomerEndpoint.adress: expected '+15550100', "
            "but it is missing. Did you mean 'Address'?",
        )
    )


def test_a_missing_key_unlike_any_present_gets_no_guess(user: pytest.Pytester) -> None:
    user.makepyfile(
        """
        def test_missing(connect_stub, client, item):
            client.batch_put_contact(InstanceId="inst-1", ContactDataRequestList=[item()])
            connect_stub.assert_called_with(InstanceId="inst-1", Attributes={"a": "b"})
        """
    )
    result = user.runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        error_lines(
            "AssertionError: The last BatchPutContact call does not match:",
            "  Attributes: expected {'a': 'b'}, but it is missing",
            "Calls received (1):",
        )
    )


# --- assert_called_once_with ------------------------------------------------------------------


def test_assert_called_once_with_passes_for_one_matching_call(user: pytest.Pytester) -> None:
    user.makepyfile(
        TWO_CALLS
        + """

def test_once(connect_stub, client, item):
    client.batch_put_contact(
        InstanceId="inst-1", ClientToken="tok-1", ContactDataRequestList=[item("req-1")]
    )
    connect_stub.assert_called_once_with(InstanceId="inst-1", ClientToken=mock.ANY)
"""
    )
    user.runpytest().assert_outcomes(passed=1)


def test_assert_called_once_with_fails_for_two_calls_even_if_both_match(
    user: pytest.Pytester,
) -> None:
    path = user.makepyfile(
        TWO_CALLS
        + """

def test_twice(connect_stub, client, item):
    make_two_calls(client, item)
    connect_stub.assert_called_once_with(ClientToken=mock.ANY)
"""
    )
    result = user.runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            ">       connect_stub.assert_called_once_with(ClientToken=mock.ANY)",
            *error_lines(
                "AssertionError: Expected BatchPutContact to be called once, with "
                "{'ClientToken': <ANY>}; it was called 2 times.",
                "Calls received (2):",
                *FIRST_CALL,
                *SECOND_CALL,
            ),
            location(path, "connect_stub.assert_called_once_with(ClientToken=mock.ANY)"),
        ]
    )


def test_assert_called_once_with_fails_when_the_only_call_differs(user: pytest.Pytester) -> None:
    user.makepyfile(
        TWO_CALLS
        + """

def test_differs(connect_stub, client, item):
    client.batch_put_contact(
        InstanceId="inst-1", ClientToken="tok-1", ContactDataRequestList=[item("req-1")]
    )
    connect_stub.assert_called_once_with(InstanceId="inst-2")
"""
    )
    result = user.runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        error_lines(
            "AssertionError: The only BatchPutContact call does not match:",
            "  InstanceId: expected 'inst-2', got 'inst-1'",
            "Calls received (1):",
            *FIRST_CALL,
            "      differs at InstanceId: expected 'inst-2', got 'inst-1'",
        )
    )


def test_assert_called_once_with_fails_when_nothing_was_called(user: pytest.Pytester) -> None:
    user.makepyfile(
        """
        def test_none(connect_stub):
            connect_stub.assert_called_once_with(InstanceId="inst-1")
        """
    )
    result = user.runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        error_lines(
            "AssertionError: Expected BatchPutContact to be called once, with "
            "{'InstanceId': 'inst-1'}; it was called 0 times.",
            "No BatchPutContact call was received.",
        )
    )


# --- assert_any_contact -----------------------------------------------------------------------


def test_assert_any_contact_matches_one_item_of_any_batch_partially(
    user: pytest.Pytester,
) -> None:
    user.makepyfile(
        """
        from unittest import mock

        def test_contact(connect_stub, client, item):
            client.batch_put_contact(
                InstanceId="inst-1",
                ContactDataRequestList=[
                    item("req-1"),
                    item("req-2", CustomerEndpoint={"Type": "VOIP", "Address": "+15550122"}),
                    item("req-3"),
                ],
            )
            client.batch_put_contact(InstanceId="inst-2", ContactDataRequestList=[item("req-4")])
            connect_stub.assert_any_contact(CustomerEndpoint={"Address": "+15550122"})
            connect_stub.assert_any_contact(RequestIdentifier="req-4", Campaign=mock.ANY)
        """
    )
    user.runpytest().assert_outcomes(passed=1)


def test_assert_any_contact_fails_naming_items_sent_but_not_created_and_every_contact(
    user: pytest.Pytester,
) -> None:
    path = user.makepyfile(
        """
        import pytest

        def test_contact(connect_stub, client, item):
            connect_stub.fail("req-2", "INVALID_QUEUE", message="queue disabled")
            connect_stub.raise_error("AccessDeniedException")
            with pytest.raises(client.exceptions.AccessDeniedException):
                client.batch_put_contact(
                    InstanceId="inst-1", ContactDataRequestList=[item("req-2", QueueId="queue-2")]
                )
            client.batch_put_contact(
                InstanceId="inst-1",
                ContactDataRequestList=[item("req-1"), item("req-2", QueueId="queue-2")],
            )
            connect_stub.assert_any_contact(QueueId="queue-2")
        """
    )
    result = user.runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            '>       connect_stub.assert_any_contact(QueueId="queue-2")',
            *error_lines(
                "AssertionError: No contact created matches {'QueueId': 'queue-2'}.",
                "Sent, but not created:",
                "  call [0] item [0]: the call was answered AccessDeniedException",
                "  call [1] item [1]: failed with INVALID_QUEUE: queue disabled",
                "Contacts created (1):",
            ),
            "E         [[]0] ContactId '*' on instance 'inst-1':",
            *error_lines(
                "        {'RequestIdentifier': 'req-1',",
                "         'CustomerEndpoint': {'Type': 'TELEPHONE_NUMBER', "
                "'Address': '+15550100'},",
                "         'QueueId': 'queue-1',",
                "         'Campaign': {'CampaignId': 'campaign-1'}}",
                "      differs at QueueId: expected 'queue-2', got 'queue-1'",
            ),
            "",
            location(path, 'connect_stub.assert_any_contact(QueueId="queue-2")'),
        ]
    )


def test_assert_any_contact_names_items_a_scripted_response_answered(
    user: pytest.Pytester,
) -> None:
    user.makepyfile(
        """
        def test_contact(connect_stub, client, item):
            connect_stub.respond_with({"SuccessfulRequestList": [{"ContactId": "c-1"}]})
            client.batch_put_contact(InstanceId="inst-1", ContactDataRequestList=[item()])
            connect_stub.assert_any_contact(RequestIdentifier="req-1")
        """
    )
    result = user.runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        error_lines(
            "AssertionError: No contact created matches {'RequestIdentifier': 'req-1'}.",
            "Sent, but not created:",
            "  call [0] item [0]: answered without creating a contact",
            "No contact was created.",
        )
    )


def test_assert_any_contact_lists_at_most_a_few_items_sent_but_not_created(
    user: pytest.Pytester,
) -> None:
    user.makepyfile(
        """
        def test_contact(connect_stub, client, item):
            connect_stub.fail(lambda i: True, "INVALID_QUEUE", times=None)
            client.batch_put_contact(
                InstanceId="inst-1", ContactDataRequestList=[item(f"req-{n}") for n in range(5)]
            )
            connect_stub.assert_any_contact(QueueId="queue-1")
        """
    )
    result = user.runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        error_lines(
            "Sent, but not created:",
            "  call [0] item [0]: failed with INVALID_QUEUE: Contact request failed with "
            "INVALID_QUEUE",
            "  call [0] item [1]: failed with INVALID_QUEUE: Contact request failed with "
            "INVALID_QUEUE",
            "  call [0] item [2]: failed with INVALID_QUEUE: Contact request failed with "
            "INVALID_QUEUE",
            "  ... and 2 more, not shown.",
            "No contact was created.",
        )
    )
