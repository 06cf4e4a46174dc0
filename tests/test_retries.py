"""botocore's own retry machinery, in legacy and standard mode, reacting to scripted errors."""

from __future__ import annotations

import pytest

#: The user's test module header: a client per retry mode, as a team would configure it.
CLIENTS = """
import boto3
import botocore.config
import pytest

MAX_ATTEMPTS = {"legacy": 5, "standard": 3}


@pytest.fixture(params=["legacy", "standard"])
def mode(request):
    return request.param


@pytest.fixture
def retrying_client(mode):
    return boto3.client(
        "connect",
        region_name="us-east-1",
        config=botocore.config.Config(retries={"mode": mode}),
    )
"""


@pytest.mark.parametrize(
    ("code", "status"),
    [("LimitExceededException", 429), ("InternalServiceException", 500)],
)
def test_retryable_error_is_retried_by_botocore_until_max_attempts(
    user: pytest.Pytester, code: str, status: int
) -> None:
    user.makepyfile(
        CLIENTS
        + f"""
def test_retried(connect_stub, retrying_client, mode, item):
    client = retrying_client
    connect_stub.raise_error({code!r}, "try again later", times=None)
    with pytest.raises(client.exceptions.{code}) as raised:
        client.batch_put_contact(InstanceId="inst-1", ContactDataRequestList=[item()])

    attempts = MAX_ATTEMPTS[mode]
    calls = connect_stub.calls
    assert [call.attempt for call in calls] == list(range(1, attempts + 1))
    assert {{call.client_token for call in calls}} == {{calls[0].client_token}}
    assert calls[0].client_token is not None
    assert {{call.invocation_id for call in calls}} == {{calls[0].invocation_id}}
    assert [call.status_code for call in calls] == [{status}] * attempts
    assert [call.error_code for call in calls] == [{code!r}] * attempts
    assert connect_stub.contacts == {{}}

    error = raised.value
    assert type(error) is client.exceptions.{code}
    assert str(error) == (
        "An error occurred ({code}) when calling the BatchPutContact operation "
        f"(reached max retries: {{attempts - 1}}): try again later"
    )
    metadata = error.response["ResponseMetadata"]
    assert metadata["HTTPStatusCode"] == {status}
    assert metadata["RetryAttempts"] == attempts - 1
    assert metadata["MaxAttemptsReached"] is True
"""
    )
    user.runpytest().assert_outcomes(passed=2)


def test_legacy_mode_message_ends_with_reached_max_retries_4(user: pytest.Pytester) -> None:
    # Stated, not botocore's default: the default left legacy mode in newer releases.
    user.makepyfile(
        """
        import boto3
        import botocore.config
        import pytest

        def test_legacy_client(connect_stub, item):
            client = boto3.client(
                "connect",
                region_name="us-east-1",
                config=botocore.config.Config(retries={"mode": "legacy"}),
            )
            connect_stub.raise_error("LimitExceededException", "Rate exceeded", times=None)
            with pytest.raises(client.exceptions.LimitExceededException) as raised:
                client.batch_put_contact(InstanceId="inst-1", ContactDataRequestList=[item()])
            assert str(raised.value).endswith("(reached max retries: 4): Rate exceeded")
            assert len(connect_stub.calls) == 5
        """
    )
    user.runpytest().assert_outcomes(passed=1)


@pytest.mark.parametrize(
    ("code", "status"),
    [
        ("InvalidRequestException", 400),
        ("AccessDeniedException", 403),
        ("ResourceNotFoundException", 404),
        ("IdempotencyException", 409),
    ],
)
def test_client_error_is_not_retried(user: pytest.Pytester, code: str, status: int) -> None:
    user.makepyfile(
        CLIENTS
        + f"""
def test_not_retried(connect_stub, retrying_client, item):
    client = retrying_client
    connect_stub.raise_error({code!r}, "no", times=None)
    with pytest.raises(client.exceptions.{code}) as raised:
        client.batch_put_contact(InstanceId="inst-1", ContactDataRequestList=[item()])
    assert [(call.attempt, call.status_code) for call in connect_stub.calls] == [(1, {status})]
    metadata = raised.value.response["ResponseMetadata"]
    assert metadata["RetryAttempts"] == 0
    assert "MaxAttemptsReached" not in metadata
    assert str(raised.value) == (
        "An error occurred ({code}) when calling the BatchPutContact operation: no"
    )
"""
    )
    user.runpytest().assert_outcomes(passed=2)


@pytest.mark.parametrize(
    ("code", "status"),
    [("LimitExceededException", 429), ("InternalServiceException", 500)],
)
def test_retryable_error_then_success_returns_the_retry_answer(
    user: pytest.Pytester, code: str, status: int
) -> None:
    user.makepyfile(
        CLIENTS
        + f"""
def test_recovers(connect_stub, retrying_client, item):
    connect_stub.raise_error({code!r}, times=2)
    resp = retrying_client.batch_put_contact(
        InstanceId="inst-1", ContactDataRequestList=[item()]
    )
    assert resp["ResponseMetadata"]["RetryAttempts"] == 2
    calls = connect_stub.calls
    assert [(c.attempt, c.status_code) for c in calls] == [(1, {status}), (2, {status}), (3, 200)]
    assert len({{c.client_token for c in calls}}) == 1
    [contact] = connect_stub.contacts.values()
    assert contact.client_token == calls[0].client_token
    assert [s["ContactId"] for s in resp["SuccessfulRequestList"]] == [contact.contact_id]
"""
    )
    user.runpytest().assert_outcomes(passed=2)


def test_validation_error_from_the_service_is_not_retried(user: pytest.Pytester) -> None:
    user.makepyfile(
        CLIENTS
        + """
def test_too_many_items(connect_stub, retrying_client, item):
    client = retrying_client
    items = [item(f"req-{n}") for n in range(26)]
    with pytest.raises(client.exceptions.InvalidRequestException):
        client.batch_put_contact(InstanceId="inst-1", ContactDataRequestList=items)
    assert [(c.attempt, c.status_code) for c in connect_stub.calls] == [(1, 400)]
"""
    )
    user.runpytest().assert_outcomes(passed=2)


def test_each_call_of_a_client_gets_its_own_token_and_attempt_numbers(
    user: pytest.Pytester,
) -> None:
    user.makepyfile(
        CLIENTS
        + """
def test_two_calls(connect_stub, retrying_client, item):
    connect_stub.raise_error("LimitExceededException")
    retrying_client.batch_put_contact(InstanceId="inst-1", ContactDataRequestList=[item()])
    connect_stub.raise_error("InternalServiceException")
    retrying_client.batch_put_contact(InstanceId="inst-1", ContactDataRequestList=[item()])
    calls = connect_stub.calls
    assert [c.attempt for c in calls] == [1, 2, 1, 2]
    assert calls[0].client_token == calls[1].client_token
    assert calls[2].client_token == calls[3].client_token
    assert calls[0].client_token != calls[2].client_token
    assert len(connect_stub.contacts) == 2
"""
    )
    user.runpytest().assert_outcomes(passed=2)
