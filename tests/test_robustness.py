"""Nothing inside the stub escapes as a bare traceback; bad bytes get a modeled 4xx."""

from __future__ import annotations

import contextlib
import fnmatch
import io
import json
import sys
from collections.abc import Iterator
from types import FrameType
from typing import Any

import boto3
import pytest
from botocore.config import Config
from helpers import ItemFactory, contact_item, literal

from pytest_connect_stub import ConnectStub


@pytest.mark.connect_stub(assert_all_used=False)
def test_a_raising_predicate_is_named_in_a_modeled_error(
    connect_stub: ConnectStub, client: Any, item: ItemFactory
) -> None:
    connect_stub.fail(lambda i: i["Missing"] == 1, "INVALID_QUEUE", times=None)
    with pytest.raises(client.exceptions.InternalServiceException) as raised:
        client.batch_put_contact(InstanceId="inst-1", ContactDataRequestList=[item()])
    assert raised.value.response["Error"]["Message"] == (
        "pytest-connect-stub could not answer: the predicate of "
        "fail(<lambda>, 'INVALID_QUEUE', times=None) raised KeyError('Missing')"
    )


def _violation(value: str, path: str, constraint: str) -> str:
    """The fnmatch pattern of a one-violation message, with the value rendered as the stub
    renders it (its first 120 characters)."""
    rendered = f"'{value[:120]}...'" if len(value) > 120 else f"'{value}'"
    return literal(
        f"1 validation error detected: Value {rendered} at '{path}' "
        f"failed to satisfy constraint: {constraint}"
    )


ITEM = "contactDataRequestList.1.member"
NOT_JSON = "The request body is not valid JSON: "


@pytest.mark.parametrize(
    ("body", "pattern"),
    [
        pytest.param(
            b'{"ContactDataRequestList": [{"Attributes": {"k": '
            + b"[" * 5000
            + b"]" * 5000
            + b"}}]}",
            literal("The request body is nested too deeply to read."),
            id="deep",
        ),
        pytest.param(
            '{"ContactDataRequestList": []}'.encode("utf-16"),
            literal(NOT_JSON) + "'utf-8' codec can't decode byte 0xff in position 0: *",
            id="utf-16",
        ),
        pytest.param(
            # The deepest body read: the object, the list, the item and 97 levels more.
            b'{"ContactDataRequestList": [{"Bogus": ' + b"[" * 97 + b"]" * 97 + b"}]}",
            _violation("[" * 97 + "]" * 97, f"{ITEM}.bogus", "Member must be a known field"),
            id="deep-unknown",
        ),
        pytest.param(
            b'{"ContactDataRequestList": [{"Bogus": ' + b"[" * 98 + b"]" * 98 + b"}]}",
            literal("The request body is nested too deeply to read."),
            id="one-level-too-deep",
        ),
        pytest.param(
            b'{"ContactDataRequestList": [{"Attributes": {"k": '
            + b"[" * 975
            + b"]" * 975
            + b"}}]}",
            literal("The request body is nested too deeply to read."),
            id="deep-975",
        ),
        pytest.param(
            b'{"ContactDataRequestList": [{"Attributes": {"k": '
            + b"[" * 200_000
            + b"]" * 200_000
            + b"}}]}",
            literal("The request body is nested too deeply to read."),
            id="deeper-than-any-json-reader",
        ),
        pytest.param(
            b'{"ContactDataRequestList": [{"Attributes": {"k": "\\udc80"}}]}',
            literal(
                "The request body is not valid Unicode: the string at "
                f"'{ITEM}.attributes' holds the lone surrogate \\udc80."
            ),
            id="lone-surrogate",
        ),
        pytest.param(
            b'{"ContactDataRequestList": [{"Attributes": {"k\\ud800": "v"}}]}',
            literal(
                "The request body is not valid Unicode: the string at "
                f"'{ITEM}.attributes' holds the lone surrogate \\ud800."
            ),
            id="lone-surrogate-in-a-key",
        ),
        pytest.param(
            b'{"ContactDataRequestList": [{"RequestIdentifier": "\\ude00\\ud83d"}]}',
            literal(
                "The request body is not valid Unicode: the string at "
                f"'{ITEM}.requestIdentifier' holds the lone surrogate \\ude00."
            ),
            id="surrogates-in-the-wrong-order",
        ),
        pytest.param(
            b'{"ContactDataRequestList": [], "\\udfff": 1}',
            literal(
                "The request body is not valid Unicode: a member name holds the lone "
                "surrogate \\udfff."
            ),
            id="lone-surrogate-in-a-member-name",
        ),
        pytest.param(
            b'{"ContactDataRequestList": [' + b'{"RequestIdentifier": "r"},' * 5000 + b"{}]}",
            _violation(
                "[" + '{"RequestIdentifier":"r"},' * 5,
                "contactDataRequestList",
                "Member must have length less than or equal to 25",
            ),
            id="many-items",
        ),
        pytest.param(
            b'{"ContactDataRequestList": [{"RequestIdentifier": "' + b"x" * 1_000_000 + b'"}]}',
            _violation(
                "x" * 1_000_000,
                f"{ITEM}.requestIdentifier",
                "Member must have length less than or equal to 80",
            ),
            id="huge-string",
        ),
        pytest.param(
            b'{"ContactDataRequestList": [{"RequestIdentifier": 1' + b"0" * 400 + b"}]}",
            _violation(
                "1" + "0" * 400, f"{ITEM}.requestIdentifier", "Member must be of type string"
            ),
            id="huge-int",
        ),
        pytest.param(
            b'{"ContactDataRequestList": "not a list"}',
            _violation("not a list", "contactDataRequestList", "Member must be of type list"),
            id="wrong-type",
        ),
        pytest.param(
            b'{"InstanceId": "x", "ContactDataRequestList": "not a list"}',
            literal("InstanceId belongs in the request path, not in the body."),
            id="instance-id-in-body",
        ),
        pytest.param(
            b"\x00\x01\x02",
            literal(NOT_JSON + "Expecting value: line 1 column 1 (char 0)"),
            id="binary",
        ),
        pytest.param(
            b'{"ContactDataRequestList": "\xff\xfe"}',
            literal(
                NOT_JSON + "'utf-8' codec can't decode byte 0xff in position 28: invalid start byte"
            ),
            id="non-utf8-string",
        ),
        pytest.param(
            b'{"ContactDataRequestList": [{"RequestIdentifier": "\xc3\x28"}]}',
            literal(
                NOT_JSON
                + "'utf-8' codec can't decode byte 0xc3 in position 51: invalid continuation byte"
            ),
            id="non-utf8-in-item",
        ),
        pytest.param(
            b"\xc3\x28",
            literal(
                NOT_JSON
                + "'utf-8' codec can't decode byte 0xc3 in position 0: invalid continuation byte"
            ),
            id="non-utf8-bytes",
        ),
    ],
)
def test_bad_bytes_get_an_invalid_request_exception(body: bytes, pattern: str) -> None:
    stub = ConnectStub()
    answer = stub._handler.handle("PUT", "https://connect/contact/batch/inst-1", {}, body)
    assert answer.status == 400
    assert answer.headers["x-amzn-ErrorType"] == "InvalidRequestException"
    message = json.loads(answer.body)["Message"]
    assert fnmatch.fnmatchcase(message, pattern), f"{message!r} does not match {pattern!r}"
    assert stub.contacts == {}
    [call] = stub.calls
    assert (call.status_code, call.error_code, call.response) == (
        400,
        "InvalidRequestException",
        {"Message": message},
    )


def test_a_path_that_is_not_percent_encoded_utf8_is_an_invalid_request() -> None:
    stub = ConnectStub()
    answer = stub._handler.handle("PUT", "https://connect/contact/batch/%ff", {}, b"{}")
    assert answer.status == 400
    assert json.loads(answer.body)["Message"] == (
        "The InstanceId in the request path is not valid percent-encoded UTF-8."
    )


def test_an_unknown_path_names_the_request() -> None:
    stub = ConnectStub()
    answer = stub._handler.handle("POST", "https://connect/nowhere", {}, b"{}")
    assert (answer.status, answer.headers["x-amzn-ErrorType"]) == (501, "NotImplemented")
    assert json.loads(answer.body)["Message"].startswith(
        "pytest-connect-stub serves BatchPutContact only; POST /nowhere is not stubbed."
    )


def _client(**config: Any) -> Any:
    return boto3.client("connect", region_name="us-east-1", config=Config(**config))


@pytest.mark.parametrize("length", [1, 8_192, 8_193, 40_000])
def test_a_lone_surrogate_is_refused_whatever_the_length(length: int) -> None:
    # botocore sends a str with lone surrogates as JSON escapes: it reaches the service.
    client = _client()
    item = contact_item(Attributes={"note": "\udc80" * length})
    with ConnectStub() as stub, pytest.raises(client.exceptions.InvalidRequestException) as raised:
        client.batch_put_contact(InstanceId="inst-1", ContactDataRequestList=[item])
    assert raised.value.response["Error"]["Message"] == (
        "The request body is not valid Unicode: the string at "
        f"'{ITEM}.attributes' holds the lone surrogate \\udc80."
    )
    assert raised.value.response["ResponseMetadata"]["RetryAttempts"] == 0
    assert stub.contacts == {}
    assert stub.calls[0].params == {"InstanceId": "inst-1"}


@pytest.mark.parametrize(
    "text",
    ["\U0001f600" * 8_000, "\\ud800 is six characters", "caf\u00e9"],
    ids=["emoji-as-surrogate-pairs", "escaped-backslash", "accent"],
)
def test_valid_unicode_that_json_escapes_is_accepted(text: str) -> None:
    client = _client()
    item = contact_item(Attributes={"note": text})
    with ConnectStub() as stub:
        response = client.batch_put_contact(InstanceId="inst-1", ContactDataRequestList=[item])
    [created] = response["SuccessfulRequestList"]
    assert stub.contacts[created["ContactId"]]["Attributes"] == {"note": text}


def test_nesting_any_unvalidated_client_can_send_is_an_invalid_request() -> None:
    client = _client(parameter_validation=False)
    nested: Any = []
    for _ in range(500):
        nested = [nested]
    item = contact_item(Attributes={"k": nested})
    with ConnectStub() as stub, pytest.raises(client.exceptions.InvalidRequestException) as raised:
        client.batch_put_contact(InstanceId="inst-1", ContactDataRequestList=[item])
    assert raised.value.response["Error"]["Message"] == (
        "The request body is nested too deeply to read."
    )
    assert stub.calls[0].params == {"InstanceId": "inst-1"}


@contextlib.contextmanager
def recursion_limit(headroom: int) -> Iterator[None]:
    """Run with the interpreter's recursion limit ``headroom`` frames above this stack."""
    before = sys.getrecursionlimit()
    frame: FrameType | None = sys._getframe()
    depth = 0
    while frame is not None:
        frame, depth = frame.f_back, depth + 1
    sys.setrecursionlimit(depth + headroom)
    try:
        yield
    finally:
        sys.setrecursionlimit(before)


@pytest.mark.parametrize("headroom", [180, 100_000], ids=["low", "high"])
def test_the_nesting_limit_does_not_depend_on_the_recursion_limit(
    headroom: int,
) -> None:
    def body(levels: int) -> bytes:
        # The object, the list and the item are 3 levels; the member adds the rest.
        return (
            b'{"ContactDataRequestList": [{"Bogus": '
            + b"[" * (levels - 3)
            + b"]" * (levels - 3)
            + b"}]}"
        )

    stub = ConnectStub()
    with recursion_limit(headroom):
        answers = [
            stub._handler.handle("PUT", "https://connect/contact/batch/inst-1", {}, body(n))
            for n in (100, 101, 975, 5_000)
        ]
    messages = [json.loads(answer.body)["Message"] for answer in answers]
    assert [answer.status for answer in answers] == [400] * 4
    assert messages[0].startswith("1 validation error detected: Value '[[[[")
    assert messages[1:] == ["The request body is nested too deeply to read."] * 3


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            '{"ContactDataRequestList": []}\udc80',
            "The request body is a str that is not valid Unicode: it holds the lone surrogate "
            "\\udc80 at index 30.",
        ),
        (io.BytesIO(b"{}"), "The request body must be bytes or str, not io.BytesIO."),
        (memoryview(b"{}"), "The request body must be bytes or str, not memoryview."),
        ([b"{}"], "The request body must be bytes or str, not list."),
    ],
    ids=["str-with-a-surrogate", "bytesio", "memoryview", "list"],
)
def test_a_body_that_is_not_bytes_gets_an_invalid_request_exception(
    body: object, message: str
) -> None:
    client = _client()

    def replace_body(request: Any, **_: Any) -> None:
        request.body = body  # what a user's before-send handler might do

    client.meta.events.register("before-send.connect.BatchPutContact", replace_body)
    with ConnectStub() as stub, pytest.raises(client.exceptions.InvalidRequestException) as raised:
        client.batch_put_contact(InstanceId="inst-1", ContactDataRequestList=[contact_item()])
    assert raised.value.response["Error"]["Message"] == message
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert stub.calls[0].params == {"InstanceId": "inst-1"}


def test_no_body_at_all_is_a_request_without_members() -> None:
    stub = ConnectStub()
    answer = stub._handler.handle("PUT", "https://connect/contact/batch/inst-1", {}, None)
    assert json.loads(answer.body)["Message"] == (
        "1 validation error detected: Value null at 'contactDataRequestList' failed to "
        "satisfy constraint: Member must not be null"
    )


@pytest.mark.parametrize("kind", [bytearray, str, bytes])
def test_bytes_bytearray_and_utf8_str_bodies_are_read(kind: type) -> None:
    client = _client()
    sent: list[object] = []

    def convert(request: Any, **_: Any) -> None:
        request.body = kind(request.body) if kind is not str else request.body.decode()
        sent.append(request.body)

    client.meta.events.register("before-send.connect.BatchPutContact", convert)
    item = contact_item(Attributes={"note": "caf\u00e9 \U0001f600"})
    with ConnectStub() as stub:
        response = client.batch_put_contact(InstanceId="inst-1", ContactDataRequestList=[item])
    assert type(sent[0]) is kind
    [created] = response["SuccessfulRequestList"]
    assert dict(stub.contacts[created["ContactId"]]) == item
