"""Nothing inside the stub escapes as a bare traceback; bad bytes get a modeled 4xx."""

from __future__ import annotations

import fnmatch
import json

import pytest
from helpers import literal

from pytest_connect_stub import ConnectStub


def test_a_raising_predicate_is_named_in_a_modeled_error(user: pytest.Pytester) -> None:
    user.makepyfile(
        """
        import pytest

        @pytest.mark.connect_stub(assert_all_used=False)
        def test_predicate_bug(connect_stub, client, item):
            connect_stub.fail(lambda i: i["Missing"] == 1, "INVALID_QUEUE", times=None)
            with pytest.raises(client.exceptions.InternalServiceException) as raised:
                client.batch_put_contact(InstanceId="inst-1", ContactDataRequestList=[item()])
            print("MESSAGE:", raised.value.response["Error"]["Message"])
        """
    )
    result = user.runpytest("-s")
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(
        [
            "*MESSAGE: pytest-connect-stub could not answer: the predicate of "
            "fail(<lambda>, 'INVALID_QUEUE', times=None) raised KeyError('Missing')"
        ]
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
            b'{"ContactDataRequestList": [{"Bogus": ' + b"[" * 900 + b"]" * 900 + b"}]}",
            _violation("[" * 900, f"{ITEM}.bogus", "Member must be a known field"),
            id="deep-unknown",
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
