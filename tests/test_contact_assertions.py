"""assert_any_contact: one item of any batch, matched partially, and its failure messages."""

from __future__ import annotations

from typing import Any
from unittest import mock

import pytest
from helpers import ItemFactory

from pytest_connect_stub import ConnectStub


def test_assert_any_contact_matches_one_item_of_any_batch_partially(
    connect_stub: ConnectStub, client: Any, item: ItemFactory
) -> None:
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


def test_assert_any_contact_fails_naming_items_sent_but_not_created_and_every_contact(
    connect_stub: ConnectStub, client: Any, item: ItemFactory
) -> None:
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
    [contact_id] = connect_stub.contacts
    with pytest.raises(AssertionError) as raised:
        connect_stub.assert_any_contact(QueueId="queue-2")
    assert str(raised.value) == "\n".join(
        [
            "No contact created matches {'QueueId': 'queue-2'}.",
            "Sent, but not created:",
            "  call [0] item [0]: the call was answered AccessDeniedException",
            "  call [1] item [1]: failed with INVALID_QUEUE: queue disabled",
            "Contacts created (1):",
            f"  [0] ContactId {contact_id!r} on instance 'inst-1':",
            "        {'RequestIdentifier': 'req-1',",
            "         'CustomerEndpoint': {'Type': 'TELEPHONE_NUMBER', 'Address': '+15550100'},",
            "         'QueueId': 'queue-1',",
            "         'Campaign': {'CampaignId': 'campaign-1'}}",
            "      differs at QueueId: expected 'queue-2', got 'queue-1'",
        ]
    )


def test_assert_any_contact_names_items_a_scripted_response_answered(
    connect_stub: ConnectStub, client: Any, item: ItemFactory
) -> None:
    connect_stub.respond_with({"SuccessfulRequestList": [{"ContactId": "c-1"}]})
    client.batch_put_contact(InstanceId="inst-1", ContactDataRequestList=[item()])
    with pytest.raises(AssertionError) as raised:
        connect_stub.assert_any_contact(RequestIdentifier="req-1")
    assert str(raised.value) == "\n".join(
        [
            "No contact created matches {'RequestIdentifier': 'req-1'}.",
            "Sent, but not created:",
            "  call [0] item [0]: answered without creating a contact",
            "No contact was created.",
        ]
    )


def test_assert_any_contact_lists_at_most_a_few_items_sent_but_not_created(
    connect_stub: ConnectStub, client: Any, item: ItemFactory
) -> None:
    connect_stub.fail(lambda i: True, "INVALID_QUEUE", times=None)
    client.batch_put_contact(
        InstanceId="inst-1", ContactDataRequestList=[item(f"req-{n}") for n in range(5)]
    )
    with pytest.raises(AssertionError) as raised:
        connect_stub.assert_any_contact(QueueId="queue-1")
    failed = "failed with INVALID_QUEUE: Contact request failed with INVALID_QUEUE"
    assert str(raised.value) == "\n".join(
        [
            "No contact created matches {'QueueId': 'queue-1'}.",
            "Sent, but not created:",
            f"  call [0] item [0]: {failed}",
            f"  call [0] item [1]: {failed}",
            f"  call [0] item [2]: {failed}",
            "  ... and 2 more, not shown.",
            "No contact was created.",
        ]
    )
