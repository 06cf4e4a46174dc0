"""The retry back-off skip reads botocore's own frame: it must hold on every botocore in CI.

The stub skips botocore's sleep between retries only after an attempt it answered. It finds
that attempt in the local ``response`` of ``Endpoint._needs_retry``, the caller of the
sleep, and trusts that frame only if it is that method's. If a botocore renamed or moved
either, the tests here fail instead of the sleeps quietly coming back.
"""

from __future__ import annotations

import time
from typing import Any

import boto3
import botocore.endpoint
import pytest
from botocore.config import Config
from helpers import contact_item

from pytest_connect_stub import ConnectStub
from pytest_connect_stub.transports import botocore as transport


@pytest.fixture
def slept(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Every real sleep botocore's retry clock hands on, instead of sleeping."""
    sleeps: list[float] = []
    monkeypatch.setattr(time, "sleep", sleeps.append)
    return sleeps


def _client(mode: Any) -> Any:
    return boto3.client(
        "connect",
        region_name="us-east-1",
        config=Config(retries={"mode": mode, "max_attempts": 3}),
    )


def test_botocore_sleeps_between_retries_in_the_frame_the_clock_expects() -> None:
    endpoint: Any = botocore.endpoint.Endpoint
    needs_retry = endpoint._needs_retry
    code = needs_retry.__code__
    assert transport._SLEEPS_IN is code
    assert transport.sleep_site_is_known()
    assert "response" in code.co_varnames[: code.co_argcount]
    assert {"time", "sleep"} <= set(code.co_names)


@pytest.mark.parametrize("mode", ["legacy", "standard"])
def test_retries_after_the_stubs_own_answers_do_not_sleep(mode: str, slept: list[float]) -> None:
    with ConnectStub() as stub:
        stub.raise_error("InternalServiceException", times=2)
        _client(mode).batch_put_contact(
            InstanceId="inst-1", ContactDataRequestList=[contact_item()]
        )
    assert [call.attempt for call in stub.calls] == [1, 2, 3]
    assert slept == []


@pytest.mark.parametrize("mode", ["legacy", "standard"])
def test_retries_sleep_when_the_stub_is_told_not_to_skip(mode: str, slept: list[float]) -> None:
    with ConnectStub(skip_retry_sleep=False) as stub:
        stub.raise_error("InternalServiceException", times=2)
        _client(mode).batch_put_contact(
            InstanceId="inst-1", ContactDataRequestList=[contact_item()]
        )
    assert len(stub.calls) == 3
    assert len(slept) == 2


def test_a_sleep_from_any_other_frame_is_never_skipped(slept: list[float]) -> None:
    no_headers: Any = {}
    answered = transport._StubResponse("https://connect", 500, no_headers, None)
    answered.skip_sleep = True
    # What _needs_retry would hold, but in the wrong frame.
    response: tuple[Any, dict[str, Any]] = (answered, {})
    endpoint_module: Any = botocore.endpoint
    with ConnectStub():
        clock = endpoint_module.time
        clock.sleep(0.25)
        assert clock.monotonic() <= time.monotonic()  # the rest of ``time`` is time's
    assert response[0].skip_sleep
    assert slept == [0.25]
