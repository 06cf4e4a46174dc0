"""botocore's own retry machinery, in legacy and standard mode, reacting to scripted errors.

What is tested here is botocore's client against the stub, which needs no pytest run of a
user's: each test makes its client while the stub is active, as a user's fixture would.
Leaving a ``with ConnectStub()`` block checks that every scripted outcome was used, as the
fixture's teardown does.
"""

from __future__ import annotations

from typing import Any, Literal

import boto3
import botocore.config
import pytest
from helpers import contact_item

from pytest_connect_stub import ConnectStub

#: The retry modes whose attempt counts a team can rely on.
Mode = Literal["legacy", "standard"]

#: The attempts each retry mode makes in all, botocore's defaults; stated, not looked up, as
#: a team relying on them would (the default mode left legacy in newer botocore releases).
MAX_ATTEMPTS: dict[Mode, int] = {"legacy": 5, "standard": 3}


@pytest.fixture(params=["legacy", "standard"])
def mode(request: pytest.FixtureRequest) -> Mode:
    """Each retry mode a team may configure its clients with."""
    value: Mode = request.param
    return value


def retrying_client(mode: Mode) -> Any:
    """A Connect client in retry ``mode``: made inside the ``with`` block, under the stub."""
    return boto3.client(
        "connect",
        region_name="us-east-1",
        config=botocore.config.Config(retries={"mode": mode}),
    )


@pytest.mark.parametrize(
    ("code", "status"),
    [("LimitExceededException", 429), ("InternalServiceException", 500)],
)
def test_retryable_error_is_retried_by_botocore_until_max_attempts(
    mode: Mode, code: str, status: int
) -> None:
    with ConnectStub() as stub:
        client = retrying_client(mode)
        stub.raise_error(code, "try again later", times=None)
        with pytest.raises(getattr(client.exceptions, code)) as raised:
            client.batch_put_contact(InstanceId="inst-1", ContactDataRequestList=[contact_item()])

    attempts = MAX_ATTEMPTS[mode]
    calls = stub.calls
    assert [call.attempt for call in calls] == list(range(1, attempts + 1))
    assert {call.client_token for call in calls} == {calls[0].client_token}
    assert calls[0].client_token is not None
    assert {call.invocation_id for call in calls} == {calls[0].invocation_id}
    assert [call.status_code for call in calls] == [status] * attempts
    assert [call.error_code for call in calls] == [code] * attempts
    assert stub.contacts == {}

    error = raised.value
    assert type(error) is getattr(client.exceptions, code)
    assert str(error) == (
        f"An error occurred ({code}) when calling the BatchPutContact operation "
        f"(reached max retries: {attempts - 1}): try again later"
    )
    metadata = error.response["ResponseMetadata"]
    assert metadata["HTTPStatusCode"] == status
    assert metadata["RetryAttempts"] == attempts - 1
    assert metadata["MaxAttemptsReached"] is True


def test_legacy_mode_message_ends_with_reached_max_retries_4() -> None:
    with ConnectStub() as stub:
        client = retrying_client("legacy")
        stub.raise_error("LimitExceededException", "Rate exceeded", times=None)
        with pytest.raises(client.exceptions.LimitExceededException) as raised:
            client.batch_put_contact(InstanceId="inst-1", ContactDataRequestList=[contact_item()])
    assert str(raised.value).endswith("(reached max retries: 4): Rate exceeded")
    assert len(stub.calls) == 5


@pytest.mark.parametrize(
    ("code", "status"),
    [
        ("InvalidRequestException", 400),
        ("AccessDeniedException", 403),
        ("ResourceNotFoundException", 404),
        ("IdempotencyException", 409),
    ],
)
def test_client_error_is_not_retried(mode: Mode, code: str, status: int) -> None:
    with ConnectStub() as stub:
        client = retrying_client(mode)
        stub.raise_error(code, "no", times=None)
        with pytest.raises(getattr(client.exceptions, code)) as raised:
            client.batch_put_contact(InstanceId="inst-1", ContactDataRequestList=[contact_item()])
    assert [(call.attempt, call.status_code) for call in stub.calls] == [(1, status)]
    metadata = raised.value.response["ResponseMetadata"]
    assert metadata["RetryAttempts"] == 0
    assert "MaxAttemptsReached" not in metadata
    assert str(raised.value) == (
        f"An error occurred ({code}) when calling the BatchPutContact operation: no"
    )


@pytest.mark.parametrize(
    ("code", "status"),
    [("LimitExceededException", 429), ("InternalServiceException", 500)],
)
def test_retryable_error_then_success_returns_the_retry_answer(
    mode: Mode, code: str, status: int
) -> None:
    with ConnectStub() as stub:
        stub.raise_error(code, times=2)
        resp = retrying_client(mode).batch_put_contact(
            InstanceId="inst-1", ContactDataRequestList=[contact_item()]
        )
    assert resp["ResponseMetadata"]["RetryAttempts"] == 2
    calls = stub.calls
    assert [(c.attempt, c.status_code) for c in calls] == [(1, status), (2, status), (3, 200)]
    assert len({c.client_token for c in calls}) == 1
    [contact] = stub.contacts.values()
    assert contact.client_token == calls[0].client_token
    assert [s["ContactId"] for s in resp["SuccessfulRequestList"]] == [contact.contact_id]


def test_validation_error_from_the_service_is_not_retried(mode: Mode) -> None:
    with ConnectStub() as stub:
        client = retrying_client(mode)
        items = [contact_item(f"req-{n}") for n in range(26)]
        with pytest.raises(client.exceptions.InvalidRequestException):
            client.batch_put_contact(InstanceId="inst-1", ContactDataRequestList=items)
    assert [(c.attempt, c.status_code) for c in stub.calls] == [(1, 400)]


def test_each_call_of_a_client_gets_its_own_token_and_attempt_numbers(mode: Mode) -> None:
    with ConnectStub() as stub:
        client = retrying_client(mode)
        stub.raise_error("LimitExceededException")
        client.batch_put_contact(InstanceId="inst-1", ContactDataRequestList=[contact_item()])
        stub.raise_error("InternalServiceException")
        client.batch_put_contact(InstanceId="inst-1", ContactDataRequestList=[contact_item()])
    calls = stub.calls
    assert [c.attempt for c in calls] == [1, 2, 1, 2]
    assert calls[0].client_token == calls[1].client_token
    assert calls[2].client_token == calls[3].client_token
    assert calls[0].client_token != calls[2].client_token
    assert len(stub.contacts) == 2
