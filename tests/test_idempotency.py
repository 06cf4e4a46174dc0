"""The ClientToken store: replays, conflicts, what records a token, expiry, concurrency."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Any

import boto3
import botocore.config
import pytest
from botocore.exceptions import ClientError
from helpers import ItemFactory, contact_item, fresh_session

from pytest_connect_stub import ConnectStub

ITEM = contact_item()


def test_same_token_and_request_replays_the_first_response(
    connect_stub: ConnectStub, client: Any, item: ItemFactory
) -> None:
    items = [item("req-1"), item("req-2")]
    first = client.batch_put_contact(
        InstanceId="inst-1", ClientToken="tok-1", ContactDataRequestList=items
    )
    contacts = dict(connect_stub.contacts)
    second = client.batch_put_contact(
        InstanceId="inst-1", ClientToken="tok-1", ContactDataRequestList=items
    )
    assert second["SuccessfulRequestList"] == first["SuccessfulRequestList"]
    assert second["FailedRequestList"] == first["FailedRequestList"] == []
    assert len(first["SuccessfulRequestList"]) == 2
    assert connect_stub.contacts == contacts
    assert [(c.status_code, c.replayed) for c in connect_stub.calls] == [(200, False), (200, True)]


def test_replay_ignores_key_order_of_the_request(
    connect_stub: ConnectStub, client: Any, item: ItemFactory
) -> None:
    original = item()
    reordered = dict(reversed(list(original.items())))
    assert list(reordered) != list(original)
    first = client.batch_put_contact(
        InstanceId="inst-1", ClientToken="tok-1", ContactDataRequestList=[original]
    )
    second = client.batch_put_contact(
        ContactDataRequestList=[reordered], ClientToken="tok-1", InstanceId="inst-1"
    )
    assert second["SuccessfulRequestList"] == first["SuccessfulRequestList"]
    assert len(connect_stub.contacts) == 1
    assert connect_stub.calls[1].replayed


def test_replay_of_a_response_with_failures_repeats_the_failures(
    connect_stub: ConnectStub, client: Any, item: ItemFactory
) -> None:
    connect_stub.fail("req-2", "INVALID_QUEUE", message="queue disabled")
    items = [item("req-1"), item("req-2"), item("req-3", Campaign=None)]
    first = client.batch_put_contact(
        InstanceId="inst-1", ClientToken="tok-1", ContactDataRequestList=items
    )
    assert [f["FailureReasonCode"] for f in first["FailedRequestList"]] == [
        "INVALID_QUEUE",
        "MISSING_CAMPAIGN",
    ]
    # The scripted failure was used once; only a replay can fail req-2 again.
    second = client.batch_put_contact(
        InstanceId="inst-1", ClientToken="tok-1", ContactDataRequestList=items
    )
    assert second["FailedRequestList"] == first["FailedRequestList"]
    assert second["SuccessfulRequestList"] == first["SuccessfulRequestList"]
    assert len(connect_stub.contacts) == 1


def test_same_token_with_different_request_is_idempotency_exception(
    connect_stub: ConnectStub, client: Any, item: ItemFactory
) -> None:
    client.batch_put_contact(
        InstanceId="inst-1", ClientToken="tok-1", ContactDataRequestList=[item()]
    )
    contacts = dict(connect_stub.contacts)
    with pytest.raises(client.exceptions.IdempotencyException) as raised:
        client.batch_put_contact(
            InstanceId="inst-1",
            ClientToken="tok-1",
            ContactDataRequestList=[item(QueueId="queue-2")],
        )
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 409
    assert raised.value.response["Error"]["Message"] == (
        "ClientToken 'tok-1' was already used with different parameters."
    )
    assert connect_stub.contacts == contacts
    assert [(c.status_code, c.error_code) for c in connect_stub.calls] == [
        (200, None),
        (409, "IdempotencyException"),
    ]


def test_same_token_on_another_instance_is_idempotency_exception(
    connect_stub: ConnectStub, client: Any, item: ItemFactory
) -> None:
    client.batch_put_contact(
        InstanceId="inst-1", ClientToken="tok-1", ContactDataRequestList=[item()]
    )
    with pytest.raises(client.exceptions.IdempotencyException):
        client.batch_put_contact(
            InstanceId="inst-2", ClientToken="tok-1", ContactDataRequestList=[item()]
        )


def test_retry_after_throttling_is_served_fresh(
    connect_stub: ConnectStub, client: Any, item: ItemFactory
) -> None:
    connect_stub.raise_error("LimitExceededException")
    resp = client.batch_put_contact(InstanceId="inst-1", ContactDataRequestList=[item()])
    [created] = resp["SuccessfulRequestList"]
    first, retry = connect_stub.calls
    assert first.client_token == retry.client_token
    assert (first.status_code, retry.status_code) == (429, 200)
    assert retry.replayed is False
    assert list(connect_stub.contacts) == [created["ContactId"]]


@pytest.mark.parametrize(
    "script",
    [
        "LimitExceededException",
        "InternalServiceException",
        "AccessDeniedException",
    ],
)
def test_error_answer_records_no_token(
    connect_stub: ConnectStub, item: ItemFactory, script: str
) -> None:
    client: Any = boto3.client(
        "connect",
        region_name="us-east-1",
        config=botocore.config.Config(retries={"total_max_attempts": 1}),
    )
    connect_stub.raise_error(script)
    with pytest.raises(ClientError):
        client.batch_put_contact(
            InstanceId="inst-1", ClientToken="tok-1", ContactDataRequestList=[item()]
        )
    # Another request with the same token is no conflict: nothing was recorded.
    resp = client.batch_put_contact(
        InstanceId="inst-1",
        ClientToken="tok-1",
        ContactDataRequestList=[item(QueueId="queue-2")],
    )
    assert len(resp["SuccessfulRequestList"]) == 1
    assert connect_stub.calls[-1].replayed is False


def test_rejected_request_records_no_token(
    connect_stub: ConnectStub, client: Any, item: ItemFactory
) -> None:
    too_many = [item(f"req-{n}") for n in range(26)]
    with pytest.raises(client.exceptions.InvalidRequestException):
        client.batch_put_contact(
            InstanceId="inst-1", ClientToken="tok-1", ContactDataRequestList=too_many
        )
    resp = client.batch_put_contact(
        InstanceId="inst-1", ClientToken="tok-1", ContactDataRequestList=[item()]
    )
    assert len(resp["SuccessfulRequestList"]) == 1


def test_calls_without_client_token_get_distinct_tokens_from_botocore(
    connect_stub: ConnectStub, client: Any, item: ItemFactory
) -> None:
    for _ in range(2):
        client.batch_put_contact(InstanceId="inst-1", ContactDataRequestList=[item()])
    first, second = connect_stub.calls
    assert first.client_token and second.client_token
    assert first.client_token != second.client_token
    assert not second.replayed
    assert len(connect_stub.contacts) == 2


def test_token_expires_after_seven_days_of_the_stub_clock(
    connect_stub: ConnectStub, client: Any, item: ItemFactory
) -> None:
    def put(queue: str = "queue-1") -> Any:
        return client.batch_put_contact(
            InstanceId="inst-1",
            ClientToken="tok-1",
            ContactDataRequestList=[item(QueueId=queue)],
        )

    first = put()
    connect_stub.advance_clock(timedelta(days=6, hours=23))
    assert put()["SuccessfulRequestList"] == first["SuccessfulRequestList"]

    connect_stub.advance_clock(timedelta(hours=1, seconds=1))
    fresh = put()
    assert fresh["SuccessfulRequestList"] != first["SuccessfulRequestList"]
    assert [call.replayed for call in connect_stub.calls] == [False, True, False]
    assert len(connect_stub.contacts) == 2


def test_expired_token_can_be_used_with_a_different_request(
    connect_stub: ConnectStub, client: Any, item: ItemFactory
) -> None:
    client.batch_put_contact(
        InstanceId="inst-1", ClientToken="tok-1", ContactDataRequestList=[item()]
    )
    connect_stub.advance_clock(timedelta(days=7, seconds=1))
    resp = client.batch_put_contact(
        InstanceId="inst-2", ClientToken="tok-1", ContactDataRequestList=[item()]
    )
    assert len(resp["SuccessfulRequestList"]) == 1
    assert len(connect_stub.contacts) == 2


@pytest.mark.parametrize("ttl", [timedelta(hours=1), 3600, 3600.0])
def test_token_ttl_option_sets_how_long_tokens_are_kept(
    client: Any, item: ItemFactory, ttl: timedelta | float
) -> None:
    def put() -> None:
        client.batch_put_contact(
            InstanceId="inst-1", ClientToken="tok-1", ContactDataRequestList=[item()]
        )

    with ConnectStub(token_ttl=ttl) as stub:
        put()
        stub.advance_clock(timedelta(minutes=59))
        put()
        stub.advance_clock(timedelta(minutes=1, seconds=1))
        put()
    assert [call.replayed for call in stub.calls] == [False, True, False]
    assert len(stub.contacts) == 2


@pytest.mark.parametrize("ttl", ["-1", "timedelta(seconds=-1)", "'7d'"])
def test_invalid_token_ttl_option_fails_naming_the_option(user: pytest.Pytester, ttl: str) -> None:
    user.makepyfile(
        f"""
        from datetime import timedelta
        import pytest

        @pytest.mark.connect_stub(token_ttl={ttl})
        def test_bad_ttl(connect_stub):
            pass
        """
    )
    result = user.runpytest()
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(
        ["connect_stub options: token_ttl must be a timedelta or a number of seconds >= 0, not *"]
    )


def test_advance_clock_rejects_a_negative_delta() -> None:
    stub = ConnectStub()
    with pytest.raises(ValueError) as raised:
        stub.advance_clock(timedelta(seconds=-1))
    assert str(raised.value) == (
        "delta must be a timedelta or a number of seconds >= 0, "
        "not datetime.timedelta(days=-1, seconds=86399)"
    )


def test_reset_forgets_client_tokens() -> None:
    client: Any = fresh_session().create_client("connect", region_name="us-east-1")
    with ConnectStub() as stub:
        client.batch_put_contact(
            InstanceId="inst-1", ClientToken="tok-1", ContactDataRequestList=[ITEM]
        )
        stub.reset()
        client.batch_put_contact(
            InstanceId="inst-2", ClientToken="tok-1", ContactDataRequestList=[ITEM]
        )
        [call] = stub.calls
        assert (call.status_code, call.replayed) == (200, False)


def test_concurrent_calls_with_one_token_create_the_contacts_once() -> None:
    client: Any = fresh_session().create_client("connect", region_name="us-east-1")

    def put(_: int) -> Any:
        return client.batch_put_contact(
            InstanceId="inst-1", ClientToken="tok-1", ContactDataRequestList=[ITEM]
        )["SuccessfulRequestList"]

    with ConnectStub() as stub, ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(put, range(32)))
    assert len(stub.contacts) == 1
    [contact_id] = stub.contacts
    assert all(
        answer == [{"RequestIdentifier": "req-1", "ContactId": contact_id}] for answer in answers
    )
    assert sorted(call.replayed for call in stub.calls) == [False] + [True] * 31
