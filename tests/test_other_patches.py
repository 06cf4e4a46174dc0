"""Other patches of botocore's internals, in any order and while threads are mid-call.

A user's suite may patch ``Endpoint._send`` or the signer itself (``unittest.mock``, a
recorder, moto). Whatever the order of starting and stopping those patches and the stub,
nothing raises from inside the stub, every request is answered by whoever is on top, and
botocore ends up exactly as it was.
"""

from __future__ import annotations

import itertools
import sys
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any
from unittest import mock

import boto3
import botocore.endpoint
import botocore.signers
import pytest
from botocore.config import Config
from botocore.exceptions import HTTPClientError
from helpers import contact_item

from pytest_connect_stub import ConnectStub

_endpoint_module: Any = botocore.endpoint
_Endpoint: Any = botocore.endpoint.Endpoint
_RequestSigner: Any = botocore.signers.RequestSigner

#: botocore's own functions, as this module found them.
ORIGINAL = {
    "send": vars(_Endpoint)["_send"],
    "signer": vars(_RequestSigner)["get_auth_instance"],
    "time": vars(_endpoint_module)["time"],
}

#: Where a user's own patch goes, by name.
TARGETS: dict[str, tuple[Any, str]] = {
    "send": (_Endpoint, "_send"),
    "signer": (_RequestSigner, "get_auth_instance"),
}


def _patched() -> dict[str, object]:
    return {
        "send": vars(_Endpoint)["_send"],
        "signer": vars(_RequestSigner)["get_auth_instance"],
        "time": vars(_endpoint_module)["time"],
    }


def _client() -> Any:
    """A client headed for a closed local port: unstubbed, a call is stopped at the socket."""
    return boto3.client(
        "connect",
        region_name="us-east-1",
        endpoint_url="http://127.0.0.1:9",
        aws_access_key_id="test",
        aws_secret_access_key="test",
        config=Config(retries={"max_attempts": 1, "mode": "legacy"}),
    )


def _interleavings() -> Iterator[tuple[str, ...]]:
    """Every order of starting and stopping two patches, each started before it stops."""
    for order in itertools.permutations(["stub+", "stub-", "user+", "user-"]):
        if order.index("stub+") < order.index("stub-") and order.index("user+") < order.index(
            "user-"
        ):
            yield order


def _users_patch(target: str, seen: list[str]) -> Any:
    """A user's patch that records each use and hands on to whatever it replaced."""
    owner, name = TARGETS[target]
    below: Callable[..., Any] = vars(owner)[name]

    def spy(*args: Any, **kwargs: Any) -> Any:
        seen.append(target)
        return below(*args, **kwargs)

    return mock.patch.object(owner, name, spy)


@pytest.mark.parametrize("target", list(TARGETS))
@pytest.mark.parametrize("order", list(_interleavings()), ids="/".join)
def test_any_order_of_the_stub_and_a_users_patch_keeps_every_request_working(
    order: tuple[str, ...], target: str
) -> None:
    client = _client()
    stub = ConnectStub()
    seen: list[str] = []
    patcher: Any = None
    layers: list[str] = []  # what is patched over what, the top last
    answering = False  # whether the stub's patch is in place (under or over the user's)
    for step in order:
        if step == "stub+":
            stub.start()
            layers.append("stub")
            answering = True
        elif step == "stub-":
            stub.stop()
            layers.remove("stub")
            answering = False
        elif step == "user+":
            patcher = _users_patch(target, seen)
            patcher.start()
            layers.append("user")
        else:
            patcher.stop()
            if layers[-1] == "stub" and target == "send":
                # mock.patch puts back what it found, over the stub's patch: requests leave
                # unstubbed until the stub is stopped (unittest.mock's own order rule).
                answering = False
            layers.remove("user")
        calls, uses = len(stub.calls), len(seen)
        if answering:
            client.batch_put_contact(InstanceId="inst-1", ContactDataRequestList=[contact_item()])
            assert len(stub.calls) == calls + 1
        else:
            with pytest.raises(HTTPClientError, match="A test tried to use socket"):
                client.batch_put_contact(
                    InstanceId="inst-1", ContactDataRequestList=[contact_item()]
                )
            assert len(stub.calls) == calls
        # The user's patch sees each request that reaches it: the stub answers Connect's
        # requests itself, but only signs them with other credentials and hands them on.
        reached = "user" in layers and (
            target == "signer" or not answering or layers.index("user") > layers.index("stub")
        )
        assert len(seen) == uses + (1 if reached else 0)
    # One more start and stop puts botocore back exactly, whatever the order was.
    with ConnectStub():
        pass
    assert _patched() == ORIGINAL


def test_a_magicmock_laid_over_the_stub_and_removed_after_it_leaves_botocore_working() -> None:
    # The order of the report: stub on, mock on, stub off, mock off.
    stub = ConnectStub().start()
    with mock.patch.object(_Endpoint, "_send"):
        stub.stop()
    with pytest.raises(HTTPClientError, match="A test tried to use socket"):
        _client().batch_put_contact(InstanceId="inst-1", ContactDataRequestList=[contact_item()])
    with ConnectStub() as stub:
        _client().batch_put_contact(InstanceId="inst-1", ContactDataRequestList=[contact_item()])
    assert len(stub.calls) == 1
    assert _patched() == ORIGINAL


@pytest.fixture
def switch_threads_often() -> Iterator[None]:
    before = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        yield
    finally:
        sys.setswitchinterval(before)


@pytest.mark.usefixtures("switch_threads_often")
def test_starting_and_stopping_stubs_while_threads_are_mid_call_never_raises_inside() -> None:
    threads, rounds = 4, 1000
    clients = [_client() for _ in range(threads)]
    done = threading.Event()
    unexpected: list[BaseException] = []
    answered = [0] * threads

    def call(number: int) -> None:
        while not done.is_set():
            try:
                clients[number].batch_put_contact(
                    InstanceId="inst-1", ContactDataRequestList=[contact_item()]
                )
            except HTTPClientError:
                pass  # no stub active at that moment: stopped at the socket, as it should be
            except BaseException as error:  # anything else came from inside the stub
                unexpected.append(error)
                return
            else:
                answered[number] += 1

    workers = [threading.Thread(target=call, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    stub = ConnectStub()
    try:
        for _ in range(rounds):
            stub.start()
            time.sleep(0)  # let the threads in, through the stub and past it
            stub.stop()
            time.sleep(0)
    finally:
        done.set()
        for worker in workers:
            worker.join(timeout=60)
    assert unexpected == []
    assert _patched() == ORIGINAL
