"""The control API: the stub's Python API over HTTP, as a test in another language meets it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from helpers import ItemFactory
from serving import LOOPBACK, control, http_client, send

from pytest_connect_stub import ConnectStub, ConnectStubServer
from pytest_connect_stub.control import GET_METHODS, POST_METHODS

pytestmark = LOOPBACK


@pytest.fixture
def server() -> Iterator[ConnectStubServer]:
    with ConnectStubServer(assert_all_used=False) as server:
        yield server


def _call(server: ConnectStubServer, items: list[dict[str, Any]], **params: Any) -> Any:
    client = http_client(server.endpoint_url, retries={"max_attempts": 0})
    request = {"InstanceId": "inst-1", "ContactDataRequestList": items, **params}
    return client.batch_put_contact(**request)


def test_fail_and_succeed_script_items(server: ConnectStubServer, item: ItemFactory) -> None:
    url = server.endpoint_url
    assert control(url, "fail", request="req-1", code="INVALID_QUEUE", message="off") == (200, {})
    assert control(url, "succeed", request="req-2", contact_id="contact-2") == (200, {})

    response = _call(server, [item("req-1"), item("req-2")])

    assert response["FailedRequestList"] == [
        {
            "RequestIdentifier": "req-1",
            "FailureReasonCode": "INVALID_QUEUE",
            "FailureReasonMessage": "off",
        }
    ]
    assert response["SuccessfulRequestList"] == [
        {"RequestIdentifier": "req-2", "ContactId": "contact-2"}
    ]


def test_whole_call_steps_run_in_sequence(server: ConnectStubServer, item: ItemFactory) -> None:
    url = server.endpoint_url
    body: dict[str, list[Any]] = {"SuccessfulRequestList": [], "FailedRequestList": []}
    assert control(url, "respond_with", response=body)[0] == 200
    assert control(url, "simulate")[0] == 200
    # null is Python's None: every time from then on.
    assert (
        control(url, "raise_error", code="AccessDeniedException", message="no", times=None)[0]
        == 200
    )

    assert _call(server, [item()])["SuccessfulRequestList"] == []
    assert len(_call(server, [item()])["SuccessfulRequestList"]) == 1
    for _ in range(2):
        with pytest.raises(Exception, match=r"AccessDeniedException.*: no"):
            _call(server, [item()])


def test_add_instance_reset_and_advance_clock(item: ItemFactory) -> None:
    with ConnectStubServer(strict=True) as server:
        url = server.endpoint_url
        assert control(url, "add_instance", instance_id="inst-1", queues=["queue-1"])[0] == 200
        assert server.stub.instances == {"inst-1": ["queue-1"]}
        first = _call(server, [item()], ClientToken="t-1")["SuccessfulRequestList"]
        assert _call(server, [item()], ClientToken="t-1")["SuccessfulRequestList"] == first
        assert control(url, "advance_clock", delta=7 * 24 * 3600) == (200, {})
        _call(server, [item()], ClientToken="t-1")
        assert len(server.stub.contacts) == 2

        assert control(url, "reset") == (200, {})
        assert (server.stub.calls, server.stub.contacts) == ([], {})
        assert server.stub.instances == {"inst-1": ["queue-1"]}  # reset() keeps instances


def _python_error(method: str, **arguments: Any) -> str:
    """What the Python API raises for these arguments: the control API must say the same."""
    with pytest.raises((TypeError, ValueError)) as raised:
        getattr(ConnectStub(), method)(**arguments)
    return str(raised.value)


@pytest.mark.parametrize(
    ("method", "arguments"),
    [
        ("fail", {"request": "req-1", "code": "INVALID_QUEU"}),
        ("fail", {"request": 7, "code": "INVALID_QUEUE"}),
        ("fail", {"request": "req-1", "code": "INVALID_QUEUE", "times": 0}),
        ("succeed", {"request": "req-1", "contact_id": "x" * 300}),
        ("raise_error", {"code": "LimitExceeded"}),
        ("respond_with", {"response": {"SuccessfulRequestLis": []}}),
        ("simulate", {"times": -1}),
        ("add_instance", {"instance_id": ""}),
        ("advance_clock", {"delta": -5}),
    ],
)
def test_misuse_is_a_400_in_the_python_errors_own_words(
    server: ConnectStubServer, method: str, arguments: dict[str, Any]
) -> None:
    status, document = control(server.endpoint_url, method, **arguments)
    assert (status, document) == (400, {"message": _python_error(method, **arguments)})
    assert server.stub._scenario.unused() == []  # nothing was scripted


def test_a_misspelt_code_is_answered_with_did_you_mean(server: ConnectStubServer) -> None:
    _, document = control(server.endpoint_url, "fail", request="req-1", code="INVALID_QUEU")
    assert "Did you mean 'INVALID_QUEUE'? Valid values: " in document["message"]


@pytest.mark.parametrize(
    ("method", "body", "message"),
    [
        (
            "fail",
            '{"requst": "req-1", "code": "INVALID_QUEUE"}',
            "fail() got an unexpected argument 'requst'. Did you mean 'request'? "
            "Its arguments: request, code, message=null, times=1.",
        ),
        (
            "fail",
            '{"request": "req-1"}',
            "fail() is missing its argument 'code'. "
            "Its arguments: request, code, message=null, times=1.",
        ),
        (
            "reset",
            '{"all": true}',
            "reset() got an unexpected argument 'all'. reset() takes no arguments: send {}.",
        ),
        (
            "simulate",
            "[1]",
            "The body of simulate must be a JSON object of its arguments. Its arguments: times=1.",
        ),
        (
            "add_instance",
            "{instance_id: 1}",
            "The body of add_instance must be a JSON object of its arguments: Expecting "
            "property name enclosed in double quotes: line 1 column 2 (char 1). "
            "Its arguments: instance_id, queues=[].",
        ),
    ],
)
def test_bad_arguments_are_a_400_naming_the_arguments(
    server: ConnectStubServer, method: str, body: str, message: str
) -> None:
    status, _, document = send(f"{server.endpoint_url}/_connect_stub/{method}", "POST", body)
    assert (status, document) == (400, {"message": message})


@pytest.mark.parametrize("name", ["fial", "", "calls/1"])
def test_an_unknown_method_is_a_404_listing_the_methods(
    server: ConnectStubServer, name: str
) -> None:
    status, _, document = send(f"{server.endpoint_url}/_connect_stub/{name}", "POST", "{}")
    assert status == 404
    assert document["message"].startswith(f"No control method {name!r} under /_connect_stub/.")
    assert (" Did you mean 'fail'? " in document["message"]) is (name == "fial")
    assert document["message"].endswith(
        "Methods: POST fail, succeed, raise_error, respond_with, simulate, reset, "
        "add_instance, advance_clock; GET calls, contacts."
    )
    assert [*POST_METHODS, *GET_METHODS] == [
        *("fail", "succeed", "raise_error", "respond_with", "simulate", "reset"),
        *("add_instance", "advance_clock", "calls", "contacts"),
    ]


@pytest.mark.parametrize(
    ("path", "verb", "allowed"), [("fail", "GET", "POST"), ("calls", "POST", "GET")]
)
def test_the_wrong_http_method_is_a_405(
    server: ConnectStubServer, path: str, verb: str, allowed: str
) -> None:
    status, headers, document = send(f"{server.endpoint_url}/_connect_stub/{path}", verb)
    assert (status, headers["Allow"]) == (405, allowed)
    assert document == {"message": f"{path} is called with {allowed}, not {verb}."}


def test_calls_hold_every_field_a_test_checks(server: ConnectStubServer, item: ItemFactory) -> None:
    control(server.endpoint_url, "raise_error", code="LimitExceededException", message="slow")
    client = http_client(server.endpoint_url, retries={"max_attempts": 2, "mode": "standard"})
    client.batch_put_contact(InstanceId="inst-1", ContactDataRequestList=[item()], ClientToken="t")

    status, _, calls = send(f"{server.endpoint_url}/_connect_stub/calls")

    assert status == 200
    throttled, created = calls
    assert set(throttled) == {
        "params", "instance_id", "client_token", "status_code", "error_code",
        "error_message", "attempt", "request_id", "replayed",
    }  # fmt: skip
    assert throttled["params"] == {
        "InstanceId": "inst-1", "ContactDataRequestList": [item()], "ClientToken": "t"
    }  # fmt: skip
    assert throttled["instance_id"] == "inst-1"
    assert throttled["client_token"] == "t"
    assert (throttled["status_code"], throttled["error_code"]) == (429, "LimitExceededException")
    assert (throttled["error_message"], throttled["attempt"]) == ("slow", 1)
    assert (created["status_code"], created["error_code"], created["error_message"]) == (
        200,
        None,
        None,
    )
    assert (created["attempt"], created["replayed"]) == (2, False)
    assert [c["request_id"] for c in calls] == [c.request_id for c in server.stub.calls]


def test_contacts_map_contact_ids_to_what_was_sent(
    server: ConnectStubServer, item: ItemFactory
) -> None:
    response = _call(server, [item("req-1"), item("req-2")])
    status, _, contacts = send(f"{server.endpoint_url}/_connect_stub/contacts")
    assert status == 200
    assert contacts == {
        created["ContactId"]: item(created["RequestIdentifier"])
        for created in response["SuccessfulRequestList"]
    }


def test_values_json_cannot_hold_are_sent_as_strings(server: ConnectStubServer) -> None:
    # Python's json reads NaN, so a client may send it; a test may put anything in a record.
    body = (
        '{"ContactDataRequestList": [{"RequestIdentifier": "r", "Score": NaN, "Big": -Infinity}]}'
    )
    send(f"{server.endpoint_url}/contact/batch/inst-1", "PUT", body)
    server.stub.calls[0].params["Odd"] = {1: {"set"}, (2,): Infinity}

    _, _, calls = send(f"{server.endpoint_url}/_connect_stub/calls")

    [sent] = calls[0]["params"]["ContactDataRequestList"]
    assert (sent["Score"], sent["Big"]) == ("NaN", "-Infinity")
    assert calls[0]["params"]["Odd"] == {"1": "{'set'}", "(2,)": "Infinity"}
    assert list(calls[0]["params"]) == ["InstanceId", "ContactDataRequestList", "Odd"]


Infinity = float("inf")


def test_an_unexpected_error_is_a_500_with_its_cause(
    server: ConnectStubServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(self: ConnectStub, *, times: int | None = 1) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(ConnectStub, "simulate", broken)
    assert control(server.endpoint_url, "simulate") == (
        500,
        {"message": "pytest-connect-stub failed: RuntimeError: disk on fire"},
    )
    assert json.loads(json.dumps(send(f"{server.endpoint_url}/_connect_stub/calls")[2])) == []


def test_a_body_nested_too_deeply_is_a_400_not_a_server_failure(
    server: ConnectStubServer,
) -> None:
    # A Connect request this deep is already an InvalidRequestException; a control call
    # was a 500 "pytest-connect-stub failed: RecursionError".
    status, _, document = send(f"{server.endpoint_url}/_connect_stub/reset", "POST", "[" * 100_000)
    assert status == 400
    assert document["message"].startswith("The body of reset must be a JSON object")
    assert "nested too deeply" in document["message"]
