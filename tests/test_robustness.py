"""Nothing inside the stub escapes as a bare traceback; bad bytes get a modeled 4xx."""

from __future__ import annotations

import json

import pytest

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


@pytest.mark.parametrize(
    "body",
    [
        b'{"ContactDataRequestList": [{"Attributes": {"k": ' + b"[" * 5000 + b"]" * 5000 + b"}}]}",
        b'{"ContactDataRequestList": [{"Bogus": ' + b"[" * 900 + b"]" * 900 + b"}]}",
        b'{"ContactDataRequestList": [' + b'{"RequestIdentifier": "r"},' * 5000 + b"{}]}",
        b'{"ContactDataRequestList": [{"RequestIdentifier": "' + b"x" * 1_000_000 + b'"}]}',
        b'{"ContactDataRequestList": [{"RequestIdentifier": 1' + b"0" * 400 + b"}]}",
        b'{"InstanceId": "x", "ContactDataRequestList": "not a list"}',
        b"\x00\x01\x02",
    ],
    ids=["deep", "deep-unknown", "many-items", "huge-string", "huge-int", "wrong-type", "binary"],
)
def test_bad_bytes_get_an_invalid_request_exception(body: bytes) -> None:
    stub = ConnectStub()
    answer = stub._handler.handle("PUT", "https://connect/contact/batch/inst-1", {}, body)
    assert answer.status == 400
    assert answer.headers["x-amzn-ErrorType"] == "InvalidRequestException"
    message = json.loads(answer.body)["Message"]
    assert message and len(message) < 2_000_000
    assert stub.contacts == {}


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
