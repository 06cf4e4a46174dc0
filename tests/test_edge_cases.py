"""Edge cases: the order of checks, records that tests edit, options of the wrong type."""

from __future__ import annotations

import time
from typing import Any

import boto3
import pytest
from botocore.awsrequest import AWSResponse
from botocore.config import Config

from pytest_connect_stub import ConnectStub

ITEM: dict[str, Any] = {
    "RequestIdentifier": "req-1",
    "CustomerEndpoint": {"Type": "TELEPHONE_NUMBER", "Address": "+15550100"},
    "QueueId": "queue-1",
    "Campaign": {"CampaignId": "campaign-1"},
}


def _client(**config: Any) -> Any:
    return boto3.client("connect", region_name="us-east-1", config=Config(**config))


def test_an_invalid_request_does_not_use_up_a_scripted_step() -> None:
    client = _client()
    with ConnectStub() as stub:
        stub.raise_error("LimitExceededException", times=None)
        with pytest.raises(client.exceptions.InvalidRequestException):
            client.batch_put_contact(
                InstanceId="inst-1",
                ContactDataRequestList=[{**ITEM, "RequestIdentifier": "x" * 81}],
            )
        stub.reset()
        stub.respond_with({"SuccessfulRequestList": []})
        with pytest.raises(client.exceptions.InvalidRequestException):
            client.batch_put_contact(
                InstanceId="inst-1",
                ContactDataRequestList=[{**ITEM, "RequestIdentifier": "x" * 81}],
            )
        client.batch_put_contact(InstanceId="inst-1", ContactDataRequestList=[ITEM])
    assert [c.status_code for c in stub.calls] == [400, 200]
    assert stub.contacts == {}  # the 200 was the scripted one


def test_editing_records_changes_no_replay() -> None:
    client = _client()
    with ConnectStub() as stub:
        first = client.batch_put_contact(
            ClientToken="t-1", InstanceId="inst-1", ContactDataRequestList=[ITEM]
        )
        stub.calls[0].params["ContactDataRequestList"][0]["QueueId"] = "edited"
        stub.calls[0].response["SuccessfulRequestList"].clear()
        again = client.batch_put_contact(
            ClientToken="t-1", InstanceId="inst-1", ContactDataRequestList=[ITEM]
        )
    assert again["SuccessfulRequestList"] == first["SuccessfulRequestList"] != []
    assert stub.calls[1].replayed


def test_editing_a_scripted_response_after_scripting_changes_nothing() -> None:
    client = _client()
    body: dict[str, Any] = {"SuccessfulRequestList": [{"RequestIdentifier": "r", "ContactId": "c"}]}
    with ConnectStub() as stub:
        stub.respond_with(body)
        body["SuccessfulRequestList"][0]["ContactId"] = ""  # would be invalid if sent
        response = client.batch_put_contact(InstanceId="inst-1", ContactDataRequestList=[ITEM])
    assert response["SuccessfulRequestList"] == [{"RequestIdentifier": "r", "ContactId": "c"}]


def test_a_batch_aborted_by_a_raising_predicate_creates_no_contact() -> None:
    client = _client(retries={"mode": "standard", "total_max_attempts": 3})
    items = [ITEM, {**ITEM, "RequestIdentifier": "req-2"}]
    with ConnectStub(assert_all_used=False) as stub:
        # req-1 passes the predicate (and would be created); req-2 makes it raise.
        stub.fail(
            lambda item: item["RequestIdentifier"] != "req-1" and item["Missing"],
            "INVALID_QUEUE",
            times=None,
        )
        with pytest.raises(client.exceptions.InternalServiceException):
            client.batch_put_contact(InstanceId="inst-1", ContactDataRequestList=items)
    assert [c.status_code for c in stub.calls] == [500, 500, 500]
    assert stub.contacts == {}


def test_instance_id_in_the_body_is_an_invalid_request() -> None:
    stub = ConnectStub()
    answer = stub._handler.handle(
        "PUT", "https://connect/contact/batch/inst-1", {}, b'{"InstanceId": "other"}'
    )
    assert answer.status == 400
    assert b"InstanceId belongs in the request path, not in the body." in answer.body


@pytest.mark.parametrize("option", ["strict", "assert_all_used", "skip_retry_sleep"])
def test_flags_must_be_booleans(option: str) -> None:
    with pytest.raises(TypeError, match=f"{option} must be True or False, not 'no'"):
        options: dict[str, Any] = {option: "no"}
        ConnectStub(**options)


def test_strict_can_be_switched_but_only_to_a_boolean() -> None:
    stub = ConnectStub()
    stub.strict = True
    assert stub.strict is True
    with pytest.raises(TypeError, match="strict must be True or False, not 1"):
        stub.strict = 1  # type: ignore[assignment]


def test_disabled_rules_are_fixed_at_construction() -> None:
    stub = ConnectStub(disable_rules=["MISSING_CAMPAIGN"])
    assert stub.disabled_rules == frozenset({"MISSING_CAMPAIGN"})
    with pytest.raises(AttributeError):
        stub.disabled_rules = frozenset()  # type: ignore[misc]


def test_raise_error_message_must_be_text() -> None:
    with pytest.raises(TypeError, match="message must be a string"):
        ConnectStub().raise_error("AccessDeniedException", {"not": "text"})  # type: ignore[arg-type]


def test_retry_sleeps_are_skipped_only_after_the_stubs_own_answers(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    slept: list[float] = []
    monkeypatch.setattr(time, "sleep", slept.append)
    # The number of waits depends on the retry mode, whose default differs between botocore
    # releases: both clients state theirs.
    legacy: Any = {"mode": "legacy"}
    connect = _client(retries=legacy)
    sqs = boto3.client(
        "sqs",
        region_name="us-east-1",
        aws_access_key_id="x",
        aws_secret_access_key="y",
        config=Config(retries=legacy),
    )
    sqs.meta.events.register(
        "before-send.sqs.*",
        lambda request, **_: AWSResponse(request.url, 500, _NO_HEADERS, _Empty()),
    )
    with ConnectStub() as stub:
        stub.raise_error("InternalServiceException", times=2)
        connect.batch_put_contact(InstanceId="inst-1", ContactDataRequestList=[ITEM])
        assert slept == []  # two stubbed 500s, retried without waiting
        with pytest.raises(Exception):  # noqa: B017 - any error: only the waits matter here
            sqs.list_queues()
    assert len(slept) == 4  # every legacy retry of the other service waited, the first one too


_NO_HEADERS: Any = {}


class _Empty:
    def stream(self, **_: Any) -> Any:
        yield b""


def test_a_test_may_stop_the_fixtures_stub_itself(user: pytest.Pytester) -> None:
    user.makeconftest(
        user.path.joinpath("conftest.py").read_text()
        + """

from pytest_connect_stub import ConnectStub


@pytest.fixture(scope="session", autouse=True)
def session_stub():
    with ConnectStub() as stub:
        yield stub
"""
    )
    user.makepyfile(
        """
        def test_stops_it(connect_stub, session_stub):
            connect_stub.stop()
            assert session_stub.active and not connect_stub.active

        def test_later(session_stub):
            assert session_stub.active
        """
    )
    user.runpytest().assert_outcomes(passed=2)


def test_a_record_read_again_is_the_same_record_with_its_edits() -> None:
    client = _client()
    with ConnectStub() as stub:
        client.batch_put_contact(InstanceId="inst-1", ContactDataRequestList=[ITEM])
        first = stub.calls[0]
        first.params["ContactDataRequestList"][0]["QueueId"] = "edited"
        client.batch_put_contact(InstanceId="inst-1", ContactDataRequestList=[ITEM])
    assert stub.calls[0] is first
    assert stub.calls[0].params["ContactDataRequestList"][0]["QueueId"] == "edited"
    assert stub.calls[1].params["ContactDataRequestList"][0]["QueueId"] == ITEM["QueueId"]
