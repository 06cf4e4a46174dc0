"""Call assertions: counts, partial nested matching with mock.ANY, and their messages.

How pytest shows these messages (the user's line, hidden frames) is in
test_assertion_display.py; here each message is compared as text.
"""

from __future__ import annotations

from typing import Any
from unittest import mock

import pytest
from helpers import ItemFactory
from two_calls import FIRST_CALL, SECOND_CALL, make_two_calls

from pytest_connect_stub import ConnectStub


def lines(*texts: str) -> str:
    """An assertion message made of these lines."""
    return "\n".join(texts)


def described_call(n: int, *differences: str) -> list[str]:
    """How a message lists call ``n`` made with ``inst-n``/``tok-n`` and one default item."""
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


# --- counts ----------------------------------------------------------------------------------


def test_assert_called_passes_after_a_call_and_counts_retries(
    connect_stub: ConnectStub, client: Any, item: ItemFactory
) -> None:
    connect_stub.assert_not_called()
    connect_stub.raise_error("LimitExceededException")
    client.batch_put_contact(InstanceId="inst-1", ContactDataRequestList=[item()])
    connect_stub.assert_called()
    connect_stub.assert_called(times=2)


def test_assert_called_fails_when_nothing_was_called(connect_stub: ConnectStub) -> None:
    with pytest.raises(AssertionError) as raised:
        connect_stub.assert_called()
    assert str(raised.value) == "Expected BatchPutContact to be called, but it was not called."


def test_assert_called_once_fails_listing_every_call(
    connect_stub: ConnectStub, client: Any, item: ItemFactory
) -> None:
    make_two_calls(client, item)
    with pytest.raises(AssertionError) as raised:
        connect_stub.assert_called_once()
    assert str(raised.value) == lines(
        "Expected BatchPutContact to be called 1 time; it was called 2 times.",
        "Calls received (2):",
        *FIRST_CALL,
        *SECOND_CALL,
    )


def test_assert_called_with_a_count_fails_naming_both_counts(
    connect_stub: ConnectStub, client: Any, item: ItemFactory
) -> None:
    client.batch_put_contact(InstanceId="inst-1", ContactDataRequestList=[item()])
    with pytest.raises(AssertionError) as raised:
        connect_stub.assert_called(times=3)
    assert str(raised.value).splitlines()[:3] == [
        "Expected BatchPutContact to be called 3 times; it was called 1 time.",
        "Calls received (1):",
        "  [0] attempt 1, answered 200:",
    ]


def test_assert_not_called_fails_listing_the_call(
    connect_stub: ConnectStub, client: Any, item: ItemFactory
) -> None:
    connect_stub.raise_error("AccessDeniedException")
    with pytest.raises(client.exceptions.AccessDeniedException):
        client.batch_put_contact(
            InstanceId="inst-1", ClientToken="tok-1", ContactDataRequestList=[item()]
        )
    with pytest.raises(AssertionError) as raised:
        connect_stub.assert_not_called()
    assert str(raised.value) == lines(
        "Expected BatchPutContact to be called 0 times; it was called 1 time.",
        "Calls received (1):",
        "  [0] attempt 1, answered AccessDeniedException:",
        *FIRST_CALL[1:],
    )


def test_a_count_assertion_after_many_calls_shows_the_first_few(
    connect_stub: ConnectStub, client: Any, item: ItemFactory
) -> None:
    for n in range(5):
        client.batch_put_contact(
            InstanceId=f"inst-{n}", ClientToken=f"tok-{n}", ContactDataRequestList=[item()]
        )
    with pytest.raises(AssertionError) as raised:
        connect_stub.assert_called_once()
    assert str(raised.value) == lines(
        "Expected BatchPutContact to be called 1 time; it was called 5 times.",
        "Calls received (5); the first 3:",
        *described_call(0),
        *described_call(1),
        *described_call(2),
        "  ... and 2 more calls, not shown.",
    )


# --- assert_called_with ----------------------------------------------------------------------


def test_assert_called_with_matches_the_last_call_partially_and_nested(
    connect_stub: ConnectStub, client: Any, item: ItemFactory
) -> None:
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


def test_assert_called_with_fails_naming_the_differing_paths_and_every_call(
    connect_stub: ConnectStub, client: Any, item: ItemFactory
) -> None:
    make_two_calls(client, item)
    with pytest.raises(AssertionError) as raised:
        connect_stub.assert_called_with(
            InstanceId="inst-1",
            ContactDataRequestList=[
                {"RequestIdentifier": "req-2"},
                {"CustomerEndpoint": {"Address": "+15550199"}, "SystemEndpoint": mock.ANY},
            ],
        )
    assert str(raised.value) == lines(
        "The last BatchPutContact call does not match:",
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
    )


def test_assert_called_with_fails_when_nothing_was_called(connect_stub: ConnectStub) -> None:
    with pytest.raises(AssertionError) as raised:
        connect_stub.assert_called_with(InstanceId="inst-1")
    assert str(raised.value) == (
        "Expected a call with {'InstanceId': 'inst-1'}, but no call was received."
    )


def test_assert_called_with_only_looks_at_the_last_call(
    connect_stub: ConnectStub, client: Any, item: ItemFactory
) -> None:
    make_two_calls(client, item)
    with pytest.raises(AssertionError) as raised:
        connect_stub.assert_called_with(InstanceId="inst-1")
    assert str(raised.value) == lines(
        "The last BatchPutContact call does not match:",
        "  InstanceId: expected 'inst-1', got 'inst-2'",
        "Calls received (2):",
        *FIRST_CALL,
        *SECOND_CALL,
        "      differs at InstanceId: expected 'inst-1', got 'inst-2'",
    )


def test_a_misspelt_key_in_a_partial_match_gets_the_closest_key_present(
    connect_stub: ConnectStub, client: Any, item: ItemFactory
) -> None:
    client.batch_put_contact(InstanceId="inst-1", ContactDataRequestList=[item()])
    with pytest.raises(AssertionError) as raised:
        connect_stub.assert_called_with(
            InstanceID="inst-1",
            ContactDataRequestList=[{"CustomerEndpoint": {"adress": "+15550100"}}],
        )
    assert str(raised.value).splitlines()[:3] == [
        "The last BatchPutContact call does not match:",
        "  InstanceID: expected 'inst-1', but it is missing. Did you mean 'InstanceId'?",
        "  ContactDataRequestList[0].CustomerEndpoint.adress: expected '+15550100', "
        "but it is missing. Did you mean 'Address'?",
    ]


def test_a_missing_key_unlike_any_present_gets_no_guess(
    connect_stub: ConnectStub, client: Any, item: ItemFactory
) -> None:
    client.batch_put_contact(InstanceId="inst-1", ContactDataRequestList=[item()])
    with pytest.raises(AssertionError) as raised:
        connect_stub.assert_called_with(InstanceId="inst-1", Attributes={"a": "b"})
    assert str(raised.value).splitlines()[:3] == [
        "The last BatchPutContact call does not match:",
        "  Attributes: expected {'a': 'b'}, but it is missing",
        "Calls received (1):",
    ]


# --- assert_any_call -------------------------------------------------------------------------


def test_assert_any_call_passes_when_some_call_matches(
    connect_stub: ConnectStub, client: Any, item: ItemFactory
) -> None:
    make_two_calls(client, item)
    connect_stub.assert_any_call(InstanceId="inst-1", ClientToken="tok-1")
    connect_stub.assert_any_call(
        ContactDataRequestList=[mock.ANY, {"RequestIdentifier": "req-3", "QueueId": "queue-9"}]
    )


def test_assert_any_call_fails_listing_every_call_with_its_differences(
    connect_stub: ConnectStub, client: Any, item: ItemFactory
) -> None:
    make_two_calls(client, item)
    with pytest.raises(AssertionError) as raised:
        connect_stub.assert_any_call(InstanceId="inst-3", ClientToken=mock.ANY)
    assert str(raised.value) == lines(
        "No BatchPutContact call matches {'InstanceId': 'inst-3', 'ClientToken': <ANY>}.",
        "Calls received (2):",
        *FIRST_CALL,
        "      differs at InstanceId: expected 'inst-3', got 'inst-1'",
        *SECOND_CALL,
        "      differs at InstanceId: expected 'inst-3', got 'inst-2'",
    )


def test_assert_any_call_fails_when_nothing_was_called(connect_stub: ConnectStub) -> None:
    with pytest.raises(AssertionError) as raised:
        connect_stub.assert_any_call(InstanceId="inst-1")
    assert str(raised.value) == lines(
        "No BatchPutContact call matches {'InstanceId': 'inst-1'}.",
        "No BatchPutContact call was received.",
    )


def test_assert_any_call_after_many_calls_shows_the_count_and_the_closest_few(
    connect_stub: ConnectStub, client: Any, item: ItemFactory
) -> None:
    for n in range(30):
        client.batch_put_contact(
            InstanceId=f"inst-{n}", ClientToken=f"tok-{n}", ContactDataRequestList=[item()]
        )
    with pytest.raises(AssertionError) as raised:
        connect_stub.assert_any_call(InstanceId="inst-7", ClientToken="tok-8")
    message = str(raised.value)
    assert message == lines(
        "No BatchPutContact call matches {'InstanceId': 'inst-7', 'ClientToken': 'tok-8'}.",
        "Calls received (30); the 3 closest to the expected:",
        *described_call(7, "ClientToken: expected 'tok-8', got 'tok-7'"),
        *described_call(8, "InstanceId: expected 'inst-7', got 'inst-8'"),
        *described_call(
            0,
            "InstanceId: expected 'inst-7', got 'inst-0'",
            "ClientToken: expected 'tok-8', got 'tok-0'",
        ),
        "  ... and 27 more calls, not shown.",
    )
    # 199 lines before: now the heading, three calls and a count of the rest.
    assert len(message.splitlines()) == 31


# --- assert_called_once_with -----------------------------------------------------------------


def test_assert_called_once_with_passes_for_one_matching_call(
    connect_stub: ConnectStub, client: Any, item: ItemFactory
) -> None:
    client.batch_put_contact(
        InstanceId="inst-1", ClientToken="tok-1", ContactDataRequestList=[item("req-1")]
    )
    connect_stub.assert_called_once_with(InstanceId="inst-1", ClientToken=mock.ANY)


def test_assert_called_once_with_fails_for_two_calls_even_if_both_match(
    connect_stub: ConnectStub, client: Any, item: ItemFactory
) -> None:
    make_two_calls(client, item)
    with pytest.raises(AssertionError) as raised:
        connect_stub.assert_called_once_with(ClientToken=mock.ANY)
    assert str(raised.value) == lines(
        "Expected BatchPutContact to be called once, with {'ClientToken': <ANY>}; "
        "it was called 2 times.",
        "Calls received (2):",
        *FIRST_CALL,
        *SECOND_CALL,
    )


def test_assert_called_once_with_fails_when_the_only_call_differs(
    connect_stub: ConnectStub, client: Any, item: ItemFactory
) -> None:
    client.batch_put_contact(
        InstanceId="inst-1", ClientToken="tok-1", ContactDataRequestList=[item("req-1")]
    )
    with pytest.raises(AssertionError) as raised:
        connect_stub.assert_called_once_with(InstanceId="inst-2")
    assert str(raised.value) == lines(
        "The only BatchPutContact call does not match:",
        "  InstanceId: expected 'inst-2', got 'inst-1'",
        "Calls received (1):",
        *FIRST_CALL,
        "      differs at InstanceId: expected 'inst-2', got 'inst-1'",
    )


def test_assert_called_once_with_fails_when_nothing_was_called(connect_stub: ConnectStub) -> None:
    with pytest.raises(AssertionError) as raised:
        connect_stub.assert_called_once_with(InstanceId="inst-1")
    assert str(raised.value) == lines(
        "Expected BatchPutContact to be called once, with {'InstanceId': 'inst-1'}; "
        "it was called 0 times.",
        "No BatchPutContact call was received.",
    )
