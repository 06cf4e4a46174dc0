"""Defects found reviewing the orjson reader and writer and the call log kept as bytes.

Each test fails on the commits reviewed and states what a user would see instead.
"""

from __future__ import annotations

import configparser
import json
import sys
from pathlib import Path
from types import FrameType

import pytest
from helpers import contact_item
from packaging.requirements import Requirement

from pytest_connect_stub import ConnectStub

ROOT = Path(__file__).parent.parent
URL = "https://connect.us-east-1.amazonaws.com/contact/batch/inst-1"


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
    answer = stub._handler.handle("PUT", URL, {}, json.dumps(body).encode())
    assert answer.status == 400

    def read_at(depth: int) -> int:
        return len(stub.calls) if depth == 0 else read_at(depth - 1)

    frames = 0
    frame: FrameType | None = sys._getframe()
    while frame is not None:
        frames, frame = frames + 1, frame.f_back
    assert read_at(sys.getrecursionlimit() - frames - 60) == 1


def test_a_scripted_response_is_written_as_compact_json_as_every_other_answer() -> None:
    # The README and CHANGELOG now say answers are compact JSON, as AWS writes them;
    # respond_with()'s answers still go out as json.dumps writes them, with spaces.
    stub = ConnectStub()
    stub.respond_with(
        {
            "SuccessfulRequestList": [{"RequestIdentifier": "req-1", "ContactId": "c-1"}],
            "FailedRequestList": [],
        }
    )
    request = json.dumps({"ContactDataRequestList": [contact_item()]}).encode()
    answer = stub._handler.handle("PUT", URL, {}, request)
    assert answer.status == 200
    assert answer.body == json.dumps(json.loads(answer.body), separators=(",", ":")).encode()
