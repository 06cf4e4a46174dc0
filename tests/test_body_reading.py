"""Request bodies are read exactly as the standard library reads JSON, whichever reader ran.

orjson reads a valid request first, the standard library anything else; these tests hold the
two to one answer where they could differ: numbers past 64 bits, escapes that spell a member
name, key order, and answers that orjson cannot write.
"""

from __future__ import annotations

import configparser
import json
import sys
from pathlib import Path
from types import FrameType
from typing import Any

import boto3
import pytest
from connect_model import HAS_OUTBOUND_STRATEGY
from helpers import contact_item
from packaging.requirements import Requirement

from pytest_connect_stub import ConnectStub
from pytest_connect_stub.service import SimulatedService

needs_outbound_strategy = pytest.mark.skipif(
    not HAS_OUTBOUND_STRATEGY,
    reason="this botocore's model has no OutboundStrategy (no number in the request)",
)

URL = "https://connect.us-east-1.amazonaws.com/contact/batch/inst-1"
ROOT = Path(__file__).parent.parent
HUGE = 10**30  # past 64 bits: orjson would read it as the float 1e30


def _handle(stub: ConnectStub, body: bytes) -> Any:
    """Hand ``body`` to the stub's handler as a transport would, for instance inst-1."""
    return stub._handler.handle("PUT", URL, {}, body)


def _preview(duration: Any) -> dict[str, Any]:
    return {
        "Type": "AGENT_FIRST",
        "Config": {
            "AgentFirst": {
                "Preview": {
                    "PostAcceptTimeoutConfig": {"DurationInSeconds": duration},
                    "AllowedUserActions": [],
                }
            }
        },
    }


def _duration(params: dict[str, Any]) -> Any:
    strategy = params["ContactDataRequestList"][0]["OutboundStrategy"]
    return strategy["Config"]["AgentFirst"]["Preview"]["PostAcceptTimeoutConfig"][
        "DurationInSeconds"
    ]


@needs_outbound_strategy
def test_a_number_past_64_bits_is_recorded_as_the_integer_sent() -> None:
    client = boto3.client("connect", region_name="us-east-1")
    with ConnectStub() as stub:
        client.batch_put_contact(
            InstanceId="inst-1",
            ContactDataRequestList=[contact_item(OutboundStrategy=_preview(HUGE))],
        )
    [call] = stub.calls
    assert call.status_code == 200
    assert type(_duration(call.params)) is int
    assert _duration(call.params) == HUGE


@needs_outbound_strategy
def test_a_member_name_spelled_with_escapes_is_read_as_the_standard_library_reads_it() -> None:
    item = contact_item(OutboundStrategy=_preview(HUGE))
    body = json.dumps({"ContactDataRequestList": [item]}).replace(
        "DurationInSeconds", "Duration\\u0049nSeconds"
    )
    stub = ConnectStub()
    answer = _handle(stub, body.encode())
    assert answer.status == 200
    assert _duration(stub.calls[0].params) == HUGE
    assert type(_duration(stub.calls[0].params)) is int


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(
            {"ClientToken": "t-1", "ContactDataRequestList": [contact_item()]}, id="plain"
        ),
        pytest.param(
            {"ContactDataRequestList": [contact_item(Attributes={"name": "José Ünal 名前"})]},
            id="non-ascii",
        ),
        pytest.param(
            {"ContactDataRequestList": [contact_item(Attributes={"emoji": 'call 📞 "now"\n'})]},
            id="escapes",
        ),
    ],
)
@pytest.mark.parametrize("ensure_ascii", [True, False])
def test_a_valid_body_is_recorded_as_json_loads_reads_it(
    body: dict[str, Any], ensure_ascii: bool
) -> None:
    raw = json.dumps(body, ensure_ascii=ensure_ascii).encode()
    stub = ConnectStub()
    assert _handle(stub, raw).status == 200
    expected = {"InstanceId": "inst-1", **json.loads(raw)}
    [call] = stub.calls
    assert call.params == expected
    assert json.dumps(call.params) == json.dumps(expected)  # key order and number types too


def test_duplicate_keys_keep_the_last_value_in_the_first_place() -> None:
    item = json.dumps(contact_item())
    raw = '{"ClientToken": "a", "ContactDataRequestList": [' + item + '], "ClientToken": "b"}'
    stub = ConnectStub()
    assert _handle(stub, raw.encode()).status == 200
    assert list(stub.calls[0].params) == ["InstanceId", "ClientToken", "ContactDataRequestList"]
    assert stub.calls[0].params["ClientToken"] == "b"


@pytest.mark.parametrize("scripted", [False, True], ids=["simulated", "respond_with"])
def test_the_answer_is_compact_json_as_aws_writes_it(scripted: bool) -> None:
    stub = ConnectStub()
    if scripted:
        stub.respond_with(
            {
                "SuccessfulRequestList": [{"RequestIdentifier": "req-1", "ContactId": "c-1"}],
                "FailedRequestList": [],
            }
        )
    answer = _handle(stub, json.dumps({"ContactDataRequestList": [contact_item()]}).encode())
    assert answer.status == 200
    assert answer.body == json.dumps(json.loads(answer.body), separators=(",", ":")).encode()


def test_an_answer_orjson_cannot_write_is_still_written(monkeypatch: pytest.MonkeyPatch) -> None:
    # A fault inside the stub is answered with its text, which may hold a lone surrogate
    # (orjson refuses to write one): the answer must still go out, never a traceback.
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("cannot read \ud800 here")

    monkeypatch.setattr(SimulatedService, "put_contacts", broken)
    client = boto3.client("connect", region_name="us-east-1")
    with ConnectStub(), pytest.raises(client.exceptions.InternalServiceException) as raised:
        client.batch_put_contact(InstanceId="inst-1", ContactDataRequestList=[contact_item()])
    assert raised.value.response["Error"]["Message"] == (
        "pytest-connect-stub failed: RuntimeError: cannot read \ud800 here"
    )


def test_a_body_of_over_a_megabyte_is_answered_and_recorded_as_sent() -> None:
    from pytest_connect_stub.bodies import FAST_READ_MAX_BYTES

    filler = "x" * 1000
    attributes = {f"k{n}": filler for n in range(FAST_READ_MAX_BYTES // 1000 + 1)}
    raw = json.dumps({"ContactDataRequestList": [contact_item(Attributes=attributes)]}).encode()
    assert len(raw) > FAST_READ_MAX_BYTES
    stub = ConnectStub()
    answer = _handle(stub, raw)
    assert answer.status == 200  # the attribute size rule fails the item, not the request
    assert json.loads(answer.body)["FailedRequestList"][0]["FailureReasonCode"] == (
        "INVALID_ATTRIBUTE_KEY"
    )
    assert stub.calls[0].params == {"InstanceId": "inst-1", **json.loads(raw)}


def _install_requires() -> list[Requirement]:
    config = configparser.ConfigParser()
    config.read(ROOT / "setup.cfg", encoding="utf-8")
    lines = config["options"]["install_requires"].splitlines()
    return [Requirement(line) for line in lines if line.strip()]


def test_no_orjson_the_package_admits_crashes_on_a_deeply_nested_body() -> None:
    # orjson before 3.9.15 has no nesting limit on loads() (CVE-2024-27454): a request body
    # of some 150,000 nested arrays (300 kB) overflows the C stack and kills the interpreter,
    # the whole pytest run with it (and, in server mode, any local client can send one).
    # 3.9.15 refuses past 1024 levels with a JSONDecodeError, which the stub already handles.
    [orjson] = [r for r in _install_requires() if r.name == "orjson"]
    crashing = [v for v in ("3.9.0", "3.9.10", "3.9.14") if orjson.specifier.contains(v)]
    assert crashing == [], f"setup.cfg admits orjson {crashing} ({orjson})"


@pytest.mark.skipif(
    sys.version_info >= (3, 12),
    reason="from 3.12, json's C recursion check no longer counts the caller's Python frames",
)
def test_the_record_of_a_deep_invalid_body_reads_at_any_stack_depth() -> None:
    # Nested less than MAX_NESTING, so the handler reads it and answers the schema's error;
    # the record must then read wherever the test reads it, as it did when it was built by
    # the handler, not fail with the reader's RecursionError.
    body = {"ContactDataRequestList": [contact_item()], "Extra": json.loads("[" * 95 + "]" * 95)}
    stub = ConnectStub()
    answer = _handle(stub, json.dumps(body).encode())
    assert answer.status == 400

    def read_at(depth: int) -> int:
        return len(stub.calls) if depth == 0 else read_at(depth - 1)

    frames = 0
    frame: FrameType | None = sys._getframe()
    while frame is not None:
        frames, frame = frames + 1, frame.f_back
    assert read_at(sys.getrecursionlimit() - frames - 60) == 1
