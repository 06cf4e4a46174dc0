"""Other patches of botocore's internals, laid and lifted in any order around the stub's.

Below everything sits a fake network (so no test here can reach a socket). At every step a
Connect call is made: it must be answered by the stub, by the user's mock, or by the
"network", never by an error from inside the stub. Whatever the order, once the patches are
off (and at most one more stub has started and stopped) botocore is exactly as it was.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable, Iterator
from typing import Any
from unittest import mock

import botocore.endpoint
import botocore.signers
import pytest
from helpers import contact_item, fresh_session

from pytest_connect_stub import ConnectStub

_Endpoint: Any = botocore.endpoint.Endpoint
_RequestSigner: Any = botocore.signers.RequestSigner
_endpoint_module: Any = botocore.endpoint


class ReachedNetwork(Exception):
    """Raised by the fake network under every patch."""


class AnsweredByMock(Exception):
    """Raised by a user's mock that answers requests itself."""


def fake_network(self: Any, request: Any) -> Any:
    raise ReachedNetwork(request.url)


@pytest.fixture
def network(monkeypatch: pytest.MonkeyPatch) -> Callable[..., Any]:
    """botocore's ``_send`` replaced by the fake network, for the test's duration."""
    monkeypatch.setattr(_Endpoint, "_send", fake_network)
    return fake_network


def _answer(client: Any) -> str:
    """Who answered a Connect call: the stub, the mock or the network."""
    try:
        client.batch_put_contact(InstanceId="i", ContactDataRequestList=[contact_item()])
    except ReachedNetwork:
        return "network"
    except AnsweredByMock:
        return "mock"
    return "stub"


def _send_mock_answering() -> Any:
    return mock.patch.object(_Endpoint, "_send", autospec=True, side_effect=AnsweredByMock)


def _send_mock_calling_through() -> Any:
    below = _Endpoint._send
    return mock.patch.object(_Endpoint, "_send", autospec=True, side_effect=below)


def _signer_mock_calling_through() -> Any:
    below = _RequestSigner.get_auth_instance
    return mock.patch.object(_RequestSigner, "get_auth_instance", autospec=True, side_effect=below)


MOCKS = {
    "send-answering": _send_mock_answering,
    "send-calling-through": _send_mock_calling_through,
    "signer-calling-through": _signer_mock_calling_through,
}

#: Every order of the four steps in which each patch starts before it stops.
ORDERS = [
    order
    for order in itertools.permutations(["stub+", "stub-", "mock+", "mock-"])
    if order.index("stub+") < order.index("stub-") and order.index("mock+") < order.index("mock-")
]


def _unpatched(send: Any, sign: Any) -> bool:
    return (
        _Endpoint._send is send
        and _RequestSigner.get_auth_instance is sign
        and _endpoint_module.time is time
    )


@pytest.fixture
def client(network: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    # Credentials of the environment's, so calls no stub answers can be signed and sent; read
    # by a session of its own (boto3's default one would keep them for later tests).
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    yield fresh_session().create_client("connect", region_name="us-east-1")


@pytest.mark.parametrize("which", list(MOCKS))
@pytest.mark.parametrize("order", ORDERS, ids=" ".join)
def test_every_order_of_stub_and_mock_answers_every_call_and_converges(
    client: Any, which: str, order: tuple[str, ...]
) -> None:
    sign = _RequestSigner.get_auth_instance
    stub, patcher = ConnectStub(), MOCKS[which]()
    answers = []
    steps = {"stub+": stub.start, "stub-": stub.stop, "mock+": patcher.start}
    steps["mock-"] = patcher.stop
    for step in order:
        steps[step]()
        answers.append(_answer(client))
    assert set(answers) <= {"stub", "mock", "network"}
    # With every patch stopped, nothing is answered but by the network.
    assert answers[-1] == "network"
    # A later stub works and takes every patch of the stub's off when it stops.
    with ConnectStub() as later:
        assert _answer(client) == "stub"
    assert len(later.calls) == 1
    assert _unpatched(fake_network, sign)
    assert _answer(client) == "network"


def test_a_mock_stopped_after_the_stub_leaves_calls_passing_through(client: Any) -> None:
    # The order of the report: botocore answered AssertionError to every request after it.
    stub = ConnectStub().start()
    with _send_mock_answering():
        assert _answer(client) == "mock"
        stub.stop()
        assert _answer(client) == "mock"
    assert _answer(client) == "network"


def test_the_stub_answers_when_started_over_a_mock_and_gives_the_mock_back(client: Any) -> None:
    with _send_mock_answering():
        below = _Endpoint._send
        with ConnectStub():
            assert _answer(client) == "stub"
        assert _Endpoint._send is below
        assert _answer(client) == "mock"
    assert _Endpoint._send is fake_network


def test_a_stub_stopped_under_a_mock_does_not_take_the_mock_off(client: Any) -> None:
    stub = ConnectStub().start()
    with _send_mock_answering():
        mocked = _Endpoint._send
        stub.stop()
        assert _Endpoint._send is mocked
        with ConnectStub():  # laid on the mock, and lifted off it again
            assert _answer(client) == "stub"
        assert _Endpoint._send is mocked
    with ConnectStub():
        assert _answer(client) == "stub"
    assert _Endpoint._send is fake_network
