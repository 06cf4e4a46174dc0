"""Call and Contact records: independent of each other, and Calls usable in sets."""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Iterator
from typing import Any

import boto3
import pytest

from pytest_connect_stub import ConnectStub


@pytest.fixture
def stub() -> Iterator[ConnectStub]:
    with ConnectStub() as active:
        yield active


def item(request_identifier: str, address: str = "+15550100") -> dict[str, Any]:
    return {
        "RequestIdentifier": request_identifier,
        "CustomerEndpoint": {"Type": "TELEPHONE_NUMBER", "Address": address},
        "QueueId": "queue-1",
        "Campaign": {"CampaignId": "campaign-1"},
    }


def put(*items: dict[str, Any]) -> None:
    client = boto3.client("connect", region_name="us-east-1")
    client.batch_put_contact(InstanceId="inst-1", ContactDataRequestList=list(items))


def test_editing_a_call_leaves_the_contact_as_sent(stub: ConnectStub) -> None:
    put(item("req-1"), item("req-2"))
    sent = copy.deepcopy(stub.calls[0].contact_requests)
    stub.calls[0].contact_requests[0]["CustomerEndpoint"]["Address"] = "+15550199"
    stub.calls[0].contact_requests[1]["QueueId"] = "queue-9"
    assert [dict(contact) for contact in stub.contacts.values()] == sent


def test_editing_a_contact_leaves_the_call_as_sent(stub: ConnectStub) -> None:
    put(item("req-1"))
    sent = copy.deepcopy(stub.calls[0].params)
    (contact,) = stub.contacts.values()
    contact["CustomerEndpoint"]["Address"] = "+15550199"
    assert stub.calls[0].params == sent
    assert contact["CustomerEndpoint"]["Address"] == "+15550199"  # the contact keeps its own


def test_contacts_of_one_batch_are_independent(stub: ConnectStub) -> None:
    put(item("req-1"), item("req-2"))
    first, second = stub.contacts.values()
    first["CustomerEndpoint"]["Address"] = "+15550199"
    assert second["CustomerEndpoint"]["Address"] == "+15550100"
    assert second.request_identifier == "req-2"


def test_a_contact_reads_like_the_item_it_was_created_from(stub: ConnectStub) -> None:
    put(item("req-1", "+15550111"), item("req-2", "+15550122"))
    contacts = list(stub.contacts.values())
    assert [dict(contact) for contact in contacts] == [
        item("req-1", "+15550111"),
        item("req-2", "+15550122"),
    ]
    assert [contact.request_identifier for contact in contacts] == ["req-1", "req-2"]
    assert len(contacts[0]) == 4
    assert repr(contacts[0]) == (
        f"Contact(contact_id={contacts[0].contact_id!r}, instance_id='inst-1', "
        f"request={item('req-1', '+15550111')!r})"
    )


def test_a_failed_item_makes_no_contact_and_keeps_the_others_in_order(stub: ConnectStub) -> None:
    stub.fail("req-2", "INVALID_QUEUE")
    put(item("req-1"), item("req-2"), item("req-3"))
    assert [c.request_identifier for c in stub.contacts.values()] == ["req-1", "req-3"]
    assert [c["RequestIdentifier"] for c in stub.contacts.values()] == ["req-1", "req-3"]


def test_calls_are_hashable_consistently_with_equality(stub: ConnectStub) -> None:
    put(item("req-1"))
    put(item("req-2"))
    first, second = stub.calls
    assert len({first, second, stub.calls[0]}) == 2
    copied = dataclasses.replace(first)
    assert copied == first
    assert hash(copied) == hash(first)
    assert {first: "seen"}[copied] == "seen"
