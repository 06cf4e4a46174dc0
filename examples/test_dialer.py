"""Tests of ``dialer.py``, written the way a team using pytest-connect-stub would write them.

The ``connect_stub`` fixture answers every boto3 client's BatchPutContact in-process, behind
botocore's real pipeline (serialization, signing, retries, parsing), so the code under test
gets a plain ``boto3.client("connect")`` and no credentials are needed.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from dialer import MAX_BATCH_SIZE, DialRequest, dial

from pytest_connect_stub import ConnectStub

INSTANCE = "inst-1"


@pytest.fixture
def client(connect_stub: ConnectStub) -> Iterator[Any]:
    """A real boto3 Connect client; the stub answers it, nothing reaches AWS.

    Made while the stub is active, so botocore looks no credentials up: none is needed.
    """
    connect = boto3.client("connect", region_name="us-east-1")
    yield connect
    connect.close()


def dial_requests(count: int, *, queue_id: str = "queue-1") -> list[DialRequest]:
    """``count`` valid dial requests: req-0, req-1, ... with distinct E.164 numbers."""
    return [
        DialRequest(
            request_id=f"req-{n}",
            phone_number=f"+1555010{n:04d}",
            campaign_id="spring-renewals",
            queue_id=queue_id,
        )
        for n in range(count)
    ]


def identifiers(items: list[dict[str, Any]]) -> list[str]:
    """The RequestIdentifiers of a sent ContactDataRequestList, in order."""
    return [item["RequestIdentifier"] for item in items]


def test_thirty_requests_go_out_in_two_batches(client: Any, connect_stub: ConnectStub) -> None:
    requests = dial_requests(30)

    result = dial(client, INSTANCE, requests)

    assert result.failed == {}
    assert sorted(result.created) == sorted(r.request_id for r in requests)
    assert result.batches == 2
    connect_stub.assert_called(times=2)
    first, second = connect_stub.calls
    assert len(first.contact_requests) == MAX_BATCH_SIZE
    assert identifiers(second.contact_requests) == [f"req-{n}" for n in range(25, 30)]
    connect_stub.assert_called_with(
        InstanceId=INSTANCE,
        ContactDataRequestList=[{"RequestIdentifier": f"req-{n}"} for n in range(25, 30)],
    )
    # Each call got its own ClientToken from botocore.
    assert first.client_token != second.client_token


def test_contact_ids_are_uuids_and_match_what_the_stub_created(
    client: Any, connect_stub: ConnectStub
) -> None:
    requests = dial_requests(30)

    result = dial(client, INSTANCE, requests)

    for contact_id in result.created.values():
        assert str(uuid.UUID(contact_id)) == contact_id
        assert uuid.UUID(contact_id).version == 4
    contacts = connect_stub.contacts
    assert set(contacts) == set(result.created.values())
    by_id = {r.request_id: r for r in requests}
    for request_id, contact_id in result.created.items():
        contact = contacts[contact_id]
        assert contact.instance_id == INSTANCE
        assert contact.request_identifier == request_id
        assert contact["CustomerEndpoint"] == {
            "Type": "TELEPHONE_NUMBER",
            "Address": by_id[request_id].phone_number,
        }
        assert contact["Campaign"] == {"CampaignId": "spring-renewals"}
        assert contact["QueueId"] == "queue-1"


def test_attributes_are_sent_with_the_contact(client: Any, connect_stub: ConnectStub) -> None:
    request = DialRequest("req-0", "+15550100000", "spring-renewals", "queue-1", {"tier": "gold"})

    result = dial(client, INSTANCE, [request])

    contact = connect_stub.contacts[result.created["req-0"]]
    assert contact["Attributes"] == {"tier": "gold"}
    connect_stub.assert_called_with(
        InstanceId=INSTANCE, ContactDataRequestList=[{"Attributes": {"tier": "gold"}}]
    )


def test_a_final_item_failure_is_reported_and_not_retried(
    client: Any, connect_stub: ConnectStub
) -> None:
    connect_stub.fail("req-2", "INVALID_QUEUE", message="queue disabled")

    result = dial(client, INSTANCE, dial_requests(5))

    assert result.failed == {"req-2": ("INVALID_QUEUE", "queue disabled")}
    assert sorted(result.created) == ["req-0", "req-1", "req-3", "req-4"]
    connect_stub.assert_called_once()
    connect_stub.assert_called_with(InstanceId=INSTANCE)
    assert len(connect_stub.contacts) == 4


def test_a_throttled_item_is_retried_in_the_next_batch(
    client: Any, connect_stub: ConnectStub
) -> None:
    connect_stub.fail("req-1", "REQUEST_THROTTLED")

    result = dial(client, INSTANCE, dial_requests(30))

    assert result.failed == {}
    assert len(result.created) == 30
    first, second = connect_stub.calls
    assert "req-1" in identifiers(first.contact_requests)
    # The retry rides along with the second batch, after the requests not yet sent.
    assert identifiers(second.contact_requests) == [*(f"req-{n}" for n in range(25, 30)), "req-1"]
    failed_first = first.response["FailedRequestList"]
    assert [f["FailureReasonCode"] for f in failed_first] == ["REQUEST_THROTTLED"]
    assert connect_stub.contacts[result.created["req-1"]].request_identifier == "req-1"


def test_an_item_that_keeps_failing_is_given_up_after_max_retries(
    client: Any, connect_stub: ConnectStub
) -> None:
    # A predicate picks the item; times=None fails it every time it is sent.
    connect_stub.fail(
        lambda item: item["CustomerEndpoint"]["Address"] == "+15550100000",
        "INTERNAL_ERROR",
        message="try again later",
        times=None,
    )

    result = dial(client, INSTANCE, dial_requests(3), max_retries=2)

    assert result.failed == {"req-0": ("INTERNAL_ERROR", "try again later")}
    assert sorted(result.created) == ["req-1", "req-2"]
    # One first try plus two retries, each in a batch of its own after the first.
    assert [identifiers(c.contact_requests) for c in connect_stub.calls] == [
        ["req-0", "req-1", "req-2"],
        ["req-0"],
        ["req-0"],
    ]


def test_botocore_retries_a_throttled_call_with_the_same_client_token(
    client: Any, connect_stub: ConnectStub
) -> None:
    connect_stub.raise_error("LimitExceededException", times=2)

    result = dial(client, INSTANCE, dial_requests(3))

    # The dialer saw one successful call: botocore retried the 429s on its own.
    assert result.batches == 1
    assert len(result.created) == 3
    calls = connect_stub.calls
    assert [c.attempt for c in calls] == [1, 2, 3]
    assert [c.error_code for c in calls] == ["LimitExceededException"] * 2 + [None]
    assert [c.status_code for c in calls] == [429, 429, 200]
    assert calls[0].client_token is not None
    assert {c.client_token for c in calls} == {calls[0].client_token}
    assert {c.invocation_id for c in calls} == {calls[0].invocation_id}
    connect_stub.assert_called_with(InstanceId=INSTANCE, ClientToken=calls[0].client_token)


def test_a_call_error_botocore_does_not_retry_fails_the_whole_batch(
    client: Any, connect_stub: ConnectStub
) -> None:
    connect_stub.raise_error("AccessDeniedException", "not the campaigns service")

    result = dial(client, INSTANCE, dial_requests(30))

    # The first batch failed as a whole; the dialer went on with the second.
    assert sorted(result.failed) == sorted(f"req-{n}" for n in range(25))
    assert set(result.failed.values()) == {("AccessDeniedException", "not the campaigns service")}
    assert sorted(result.created) == [f"req-{n}" for n in range(25, 30)]
    assert [c.status_code for c in connect_stub.calls] == [403, 200]


@pytest.mark.connect_stub(strict=True, instances={"inst-1": ["queue-1"]})
def test_strict_mode_rejects_a_queue_the_instance_does_not_have(
    client: Any, connect_stub: ConnectStub
) -> None:
    requests = dial_requests(2)
    requests.append(DialRequest("req-unknown-queue", "+15550109999", "spring-renewals", "queue-9"))

    result = dial(client, INSTANCE, requests)

    assert sorted(result.created) == ["req-0", "req-1"]
    code, message = result.failed["req-unknown-queue"]
    assert code == "INVALID_QUEUE"
    assert "queue-9" in message
    connect_stub.assert_called_once()
    connect_stub.assert_called_with(InstanceId=INSTANCE)


@pytest.mark.connect_stub(strict=True, instances={"inst-1": ["queue-1"]})
def test_strict_mode_rejects_an_unknown_instance(client: Any, connect_stub: ConnectStub) -> None:
    result = dial(client, "inst-404", dial_requests(2))

    assert result.created == {}
    assert {code for code, _ in result.failed.values()} == {"ResourceNotFoundException"}
    connect_stub.assert_called_with(InstanceId="inst-404")
    assert connect_stub.contacts == {}


def test_nothing_is_sent_for_no_requests(client: Any, connect_stub: ConnectStub) -> None:
    result = dial(client, INSTANCE, [])

    assert result.created == {}
    assert result.failed == {}
    connect_stub.assert_not_called()


def test_a_repeated_request_id_is_refused_before_anything_is_sent(
    client: Any, connect_stub: ConnectStub
) -> None:
    with pytest.raises(ValueError, match="req-0"):
        dial(client, INSTANCE, [*dial_requests(2), *dial_requests(1)])

    connect_stub.assert_not_called()


@pytest.mark.parametrize("batch_size", [0, MAX_BATCH_SIZE + 1])
def test_a_batch_size_the_api_cannot_take_is_refused(client: Any, batch_size: int) -> None:
    with pytest.raises(ValueError, match="batch_size"):
        dial(client, INSTANCE, dial_requests(1), batch_size=batch_size)
