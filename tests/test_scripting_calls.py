"""Scripted outcomes for whole calls: raise_error, respond_with, simulate, and sequences."""

from __future__ import annotations

from typing import Any

import boto3
import botocore.config
import pytest
from connect_model import REASON_IDS, REASON_UNIONS, connect_error_shapes
from helpers import ItemFactory

from pytest_connect_stub import ConnectStub


@pytest.fixture
def single_attempt_client() -> Any:
    """A Connect client that does not retry, so each scripted error reaches the test."""
    return boto3.client(
        "connect",
        region_name="us-east-1",
        config=botocore.config.Config(retries={"total_max_attempts": 1}),
    )


# --- raise_error -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "status"),
    [
        ("AccessDeniedException", 403),
        ("InternalServiceException", 500),
        ("InvalidRequestException", 400),
        ("ResourceNotFoundException", 404),
        ("LimitExceededException", 429),
        ("IdempotencyException", 409),
        ("ThrottlingException", 429),
    ],
)
def test_raise_error_raises_each_modeled_exception_with_its_status(
    connect_stub: ConnectStub,
    single_attempt_client: Any,
    item: ItemFactory,
    code: str,
    status: int,
) -> None:
    client = single_attempt_client
    connect_stub.raise_error(code, "scripted failure")
    with pytest.raises(getattr(client.exceptions, code)) as raised:
        client.batch_put_contact(InstanceId="inst-1", ContactDataRequestList=[item()])
    response = raised.value.response
    assert response["Error"] == {"Code": code, "Message": "scripted failure"}
    assert response["ResponseMetadata"]["HTTPStatusCode"] == status
    [call] = connect_stub.calls
    assert (call.status_code, call.error_code) == (status, code)
    assert call.error_message == "scripted failure"
    assert connect_stub.contacts == {}


def test_raise_error_without_message_names_the_stub_in_the_message(
    connect_stub: ConnectStub, client: Any, item: ItemFactory
) -> None:
    connect_stub.raise_error("AccessDeniedException")
    with pytest.raises(client.exceptions.AccessDeniedException) as raised:
        client.batch_put_contact(InstanceId="inst-1", ContactDataRequestList=[item()])
    assert raised.value.response["Error"]["Message"] == (
        "AccessDeniedException scripted by connect_stub"
    )


@pytest.mark.parametrize(("code", "member", "values"), REASON_UNIONS, ids=REASON_IDS)
def test_raise_error_with_reason_fills_the_reason_union(
    connect_stub: ConnectStub,
    client: Any,
    item: ItemFactory,
    code: str,
    member: str,
    values: list[str],
) -> None:
    reason = {member: values[-1]}
    connect_stub.raise_error(code, "file trouble", reason=reason)
    with pytest.raises(getattr(client.exceptions, code)) as raised:
        client.batch_put_contact(InstanceId="inst-1", ContactDataRequestList=[item()])
    assert raised.value.response["Reason"] == reason
    assert raised.value.response["Message"] == "file trouble"
    assert connect_stub.calls[0].response["Reason"] == reason


def test_raise_error_without_reason_sends_no_reason(
    connect_stub: ConnectStub, client: Any, item: ItemFactory
) -> None:
    connect_stub.raise_error("InvalidRequestException", "bad")
    with pytest.raises(client.exceptions.InvalidRequestException) as raised:
        client.batch_put_contact(InstanceId="inst-1", ContactDataRequestList=[item()])
    assert "Reason" not in raised.value.response
    assert "Reason" not in connect_stub.calls[0].response


def test_raise_error_applies_to_whole_calls_in_order_then_the_service_answers(
    connect_stub: ConnectStub, single_attempt_client: Any, item: ItemFactory
) -> None:
    client = single_attempt_client
    connect_stub.raise_error("AccessDeniedException", times=2)
    connect_stub.raise_error("ResourceNotFoundException")
    for expected in (
        client.exceptions.AccessDeniedException,
        client.exceptions.AccessDeniedException,
        client.exceptions.ResourceNotFoundException,
    ):
        with pytest.raises(expected):
            client.batch_put_contact(InstanceId="inst-1", ContactDataRequestList=[item()])
    resp = client.batch_put_contact(InstanceId="inst-1", ContactDataRequestList=[item()])
    assert len(resp["SuccessfulRequestList"]) == 1
    assert [c.status_code for c in connect_stub.calls] == [403, 403, 404, 200]


@pytest.mark.parametrize("shape", connect_error_shapes(), ids=lambda shape: str(shape.name))
def test_raise_error_accepts_every_exception_shape_of_the_model(
    single_attempt_client: Any, item: ItemFactory, shape: Any
) -> None:
    client = single_attempt_client
    status = shape.metadata["error"]["httpStatusCode"]
    with ConnectStub() as stub:
        stub.raise_error(shape.name, "the message")
        with pytest.raises(getattr(client.exceptions, shape.name)) as raised:
            client.batch_put_contact(InstanceId="inst-1", ContactDataRequestList=[item()])
    assert raised.value.response["Error"] == {"Code": shape.name, "Message": "the message"}
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == status


def test_calls_answered_200_have_no_error_code_or_message(
    connect_stub: ConnectStub, client: Any, item: ItemFactory
) -> None:
    client.batch_put_contact(InstanceId="inst-1", ContactDataRequestList=[item()])
    [call] = connect_stub.calls
    assert (call.status_code, call.error_code, call.error_message) == (200, None, None)


# --- sequences -------------------------------------------------------------------------------


def test_throttle_twice_then_succeed_reads_as_one_call_that_botocore_retries(
    connect_stub: ConnectStub, client: Any, item: ItemFactory
) -> None:
    connect_stub.raise_error("LimitExceededException", times=2)
    resp = client.batch_put_contact(InstanceId="inst-1", ContactDataRequestList=[item()])
    assert [s["RequestIdentifier"] for s in resp["SuccessfulRequestList"]] == ["req-1"]
    assert resp["ResponseMetadata"]["RetryAttempts"] == 2
    assert [(c.attempt, c.status_code) for c in connect_stub.calls] == [
        (1, 429),
        (2, 429),
        (3, 200),
    ]
    assert len(connect_stub.contacts) == 1


def test_succeed_then_fail_with_500(
    connect_stub: ConnectStub, single_attempt_client: Any, item: ItemFactory
) -> None:
    client = single_attempt_client
    connect_stub.simulate()
    connect_stub.raise_error("InternalServiceException", "boom")
    first = client.batch_put_contact(InstanceId="inst-1", ContactDataRequestList=[item()])
    assert len(first["SuccessfulRequestList"]) == 1
    with pytest.raises(client.exceptions.InternalServiceException, match="boom"):
        client.batch_put_contact(InstanceId="inst-1", ContactDataRequestList=[item()])
    third = client.batch_put_contact(InstanceId="inst-1", ContactDataRequestList=[item()])
    assert len(third["SuccessfulRequestList"]) == 1
    assert [c.status_code for c in connect_stub.calls] == [200, 500, 200]


def test_simulate_times_lets_the_service_answer_several_calls_first(
    connect_stub: ConnectStub, single_attempt_client: Any, item: ItemFactory
) -> None:
    client = single_attempt_client
    connect_stub.simulate(times=2)
    connect_stub.raise_error("AccessDeniedException", times=None)
    for _ in range(2):
        client.batch_put_contact(InstanceId="inst-1", ContactDataRequestList=[item()])
    for _ in range(2):
        with pytest.raises(client.exceptions.AccessDeniedException):
            client.batch_put_contact(InstanceId="inst-1", ContactDataRequestList=[item()])
    assert [c.status_code for c in connect_stub.calls] == [200, 200, 403, 403]


# --- respond_with ----------------------------------------------------------------------------

CUSTOM = {
    "SuccessfulRequestList": [{"RequestIdentifier": "req-1", "ContactId": "fixed-id"}],
    "FailedRequestList": [
        {
            "RequestIdentifier": "req-9",
            "FailureReasonCode": "INTERNAL_ERROR",
            "FailureReasonMessage": "made up",
        }
    ],
}


def test_respond_with_answers_the_custom_body_and_creates_nothing(
    connect_stub: ConnectStub, client: Any, item: ItemFactory
) -> None:
    connect_stub.respond_with(CUSTOM, times=2)
    for _ in range(2):
        resp = client.batch_put_contact(InstanceId="inst-1", ContactDataRequestList=[item()])
        assert resp["SuccessfulRequestList"] == CUSTOM["SuccessfulRequestList"]
        assert resp["FailedRequestList"] == CUSTOM["FailedRequestList"]
    assert connect_stub.contacts == {}
    third = client.batch_put_contact(InstanceId="inst-1", ContactDataRequestList=[item()])
    assert third["SuccessfulRequestList"][0]["ContactId"] != "fixed-id"
    assert [c.response for c in connect_stub.calls[:2]] == [CUSTOM, CUSTOM]
