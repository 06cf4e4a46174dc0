"""Scripted outcomes per item: fail and succeed, by RequestIdentifier or by predicate."""

from __future__ import annotations

from typing import Any

from helpers import ItemFactory

from pytest_connect_stub import ConnectStub


def test_fail_fails_only_the_matching_item_and_creates_the_rest(
    connect_stub: ConnectStub, client: Any, item: ItemFactory
) -> None:
    connect_stub.fail("req-2", "INVALID_QUEUE", message="queue disabled")
    resp = client.batch_put_contact(
        InstanceId="inst-1",
        ContactDataRequestList=[item("req-1"), item("req-2"), item("req-3")],
    )
    assert resp["FailedRequestList"] == [
        {
            "RequestIdentifier": "req-2",
            "FailureReasonCode": "INVALID_QUEUE",
            "FailureReasonMessage": "queue disabled",
        }
    ]
    created = resp["SuccessfulRequestList"]
    assert [s["RequestIdentifier"] for s in created] == ["req-1", "req-3"]
    assert sorted(connect_stub.contacts) == sorted(s["ContactId"] for s in created)
    identifiers = [c.request_identifier for c in connect_stub.contacts.values()]
    assert sorted(identifiers, key=str) == ["req-1", "req-3"]


def test_fail_without_message_gives_a_default_failure_message(
    connect_stub: ConnectStub, client: Any, item: ItemFactory
) -> None:
    connect_stub.fail("req-1", "REQUEST_THROTTLED")
    resp = client.batch_put_contact(InstanceId="inst-1", ContactDataRequestList=[item()])
    [failed] = resp["FailedRequestList"]
    assert failed["FailureReasonCode"] == "REQUEST_THROTTLED"
    assert failed["FailureReasonMessage"] == "Contact request failed with REQUEST_THROTTLED"
    assert resp["SuccessfulRequestList"] == []


def test_fail_applies_the_given_number_of_times_then_items_succeed(
    connect_stub: ConnectStub, client: Any, item: ItemFactory
) -> None:
    connect_stub.fail("req-1", "INTERNAL_ERROR", times=2)
    outcomes = []
    for _ in range(3):
        resp = client.batch_put_contact(InstanceId="inst-1", ContactDataRequestList=[item()])
        outcomes.append(
            [f["FailureReasonCode"] for f in resp["FailedRequestList"]]
            + [s["RequestIdentifier"] for s in resp["SuccessfulRequestList"]]
        )
    assert outcomes == [["INTERNAL_ERROR"], ["INTERNAL_ERROR"], ["req-1"]]
    assert len(connect_stub.contacts) == 1


def test_fail_with_times_none_fails_every_matching_item(
    connect_stub: ConnectStub, client: Any, item: ItemFactory
) -> None:
    connect_stub.fail("req-1", "INVALID_QUEUE", times=None)
    for _ in range(3):
        resp = client.batch_put_contact(
            InstanceId="inst-1", ContactDataRequestList=[item("req-1"), item("req-2")]
        )
        assert [f["RequestIdentifier"] for f in resp["FailedRequestList"]] == ["req-1"]
        assert [s["RequestIdentifier"] for s in resp["SuccessfulRequestList"]] == ["req-2"]
    assert len(connect_stub.contacts) == 3


def test_fail_with_a_predicate_matches_items_by_their_data(
    connect_stub: ConnectStub, client: Any, item: ItemFactory
) -> None:
    connect_stub.fail(
        lambda request: request["CustomerEndpoint"]["Address"] == "+15550199",
        "INVALID_CUSTOMER_ENDPOINT",
        message="number blocked",
        times=None,
    )
    blocked = {"Type": "TELEPHONE_NUMBER", "Address": "+15550199"}
    resp = client.batch_put_contact(
        InstanceId="inst-1",
        ContactDataRequestList=[item("a"), item("b", CustomerEndpoint=blocked), item("c")],
    )
    assert resp["FailedRequestList"] == [
        {
            "RequestIdentifier": "b",
            "FailureReasonCode": "INVALID_CUSTOMER_ENDPOINT",
            "FailureReasonMessage": "number blocked",
        }
    ]
    assert [s["RequestIdentifier"] for s in resp["SuccessfulRequestList"]] == ["a", "c"]


def test_scripted_failure_wins_over_an_item_the_rules_would_accept(
    connect_stub: ConnectStub, client: Any, item: ItemFactory
) -> None:
    connect_stub.fail("req-1", "IDEMPOTENCY_EXCEPTION")
    resp = client.batch_put_contact(InstanceId="inst-1", ContactDataRequestList=[item()])
    assert [f["FailureReasonCode"] for f in resp["FailedRequestList"]] == ["IDEMPOTENCY_EXCEPTION"]
    assert connect_stub.contacts == {}


def test_succeed_creates_an_item_the_rules_would_fail(
    connect_stub: ConnectStub, client: Any, item: ItemFactory
) -> None:
    connect_stub.succeed("req-1")
    resp = client.batch_put_contact(
        InstanceId="inst-1",
        ContactDataRequestList=[item("req-1", Campaign=None), item("req-2", Campaign=None)],
    )
    assert [s["RequestIdentifier"] for s in resp["SuccessfulRequestList"]] == ["req-1"]
    assert [f["FailureReasonCode"] for f in resp["FailedRequestList"]] == ["MISSING_CAMPAIGN"]


def test_succeed_with_contact_id_returns_and_records_that_contact_id(
    connect_stub: ConnectStub, client: Any, item: ItemFactory
) -> None:
    connect_stub.succeed("req-2", contact_id="contact-42")
    resp = client.batch_put_contact(
        InstanceId="inst-1", ContactDataRequestList=[item("req-1"), item("req-2")]
    )
    ids = {s["RequestIdentifier"]: s["ContactId"] for s in resp["SuccessfulRequestList"]}
    assert ids["req-2"] == "contact-42"
    assert ids["req-1"] != "contact-42"
    contact = connect_stub.contacts["contact-42"]
    assert contact.contact_id == "contact-42"
    assert contact.instance_id == "inst-1"
    assert contact["RequestIdentifier"] == "req-2"


def test_succeed_with_a_predicate_chooses_the_contact_id_of_matching_items(
    connect_stub: ConnectStub, client: Any, item: ItemFactory
) -> None:
    connect_stub.succeed(lambda request: request["QueueId"] == "vip", contact_id="vip-contact")
    resp = client.batch_put_contact(
        InstanceId="inst-1", ContactDataRequestList=[item("a"), item("b", QueueId="vip")]
    )
    ids = {s["RequestIdentifier"]: s["ContactId"] for s in resp["SuccessfulRequestList"]}
    assert ids["b"] == "vip-contact"
    assert ids["a"] != "vip-contact"


def test_item_outcome_waits_for_the_attempt_that_reaches_the_service(
    connect_stub: ConnectStub, client: Any, item: ItemFactory
) -> None:
    connect_stub.raise_error("LimitExceededException")
    connect_stub.fail("req-2", "INVALID_QUEUE")
    resp = client.batch_put_contact(
        InstanceId="inst-1", ContactDataRequestList=[item("req-1"), item("req-2")]
    )
    assert [f["RequestIdentifier"] for f in resp["FailedRequestList"]] == ["req-2"]
    assert [s["RequestIdentifier"] for s in resp["SuccessfulRequestList"]] == ["req-1"]
    assert [c.status_code for c in connect_stub.calls] == [429, 200]
