"""The stub, a user's ``responses`` mock and moto's ``mock_aws``, started and stopped in any order.

Each of the three patches ``requests`` (the user's mock and moto's through ``responses``'s
``mock.patch`` of ``HTTPAdapter.send``). At every step a Connect request and another one are
sent: the Connect one is answered by the stub whenever it is active and nothing started
before it has been stopped meanwhile (``mock.patch`` then puts back what it found, under
everyone's patches, which is ``unittest.mock``'s own order rule); the other one is never
the stub's. Once all have stopped (and one more stub has started and stopped), ``requests``
and ``responses`` are exactly as they were.
"""

from __future__ import annotations

import itertools

import pytest
import requests
import responses
from pytest_socket import SocketBlockedError
from requests.adapters import HTTPAdapter
from test_requests import ELSEWHERE, ORIGINAL_ON_REQUEST, ORIGINAL_SEND, send

from pytest_connect_stub import ConnectStub
from pytest_connect_stub.transports import requests as requests_transport

moto = pytest.importorskip("moto")

ORIGINAL_REAL_SEND = responses._real_send

PATCHES = ("stub", "user", "moto")

#: Every order of starting and stopping the three in which each starts before it stops.
ORDERS = [
    order
    for order in itertools.permutations([f"{name}{sign}" for name in PATCHES for sign in "+-"])
    if all(order.index(f"{name}+") < order.index(f"{name}-") for name in PATCHES)
]


def _reached_network(error: BaseException) -> bool:
    return "A test tried to use socket" in str(error)


def _connect(stub: ConnectStub) -> str:
    """Who answered a Connect request."""
    before = len(stub.calls)
    try:
        answer = send()
    except requests.ConnectionError as error:
        assert "Connection refused by Responses" in str(error)
        return "user"  # the user's mock refused what it was not told about
    except (SocketBlockedError, UserWarning) as error:
        assert _reached_network(error), error
        return "network"
    if len(stub.calls) == before + 1:
        assert answer.status_code == 200, answer.text
        return "stub"
    # moto's answers to what it does not implement (moto 5.0 answered through responses
    # with the second).
    assert (answer.status_code, answer.text) in {
        (404, "Not yet implemented"),
        (400, "The method is not implemented"),
    }
    return "moto"


def _elsewhere() -> str:
    """Who answered a request that is not Connect's."""
    try:
        answer = requests.get(ELSEWHERE)
    except (SocketBlockedError, UserWarning) as error:
        assert _reached_network(error), error
        return "network"
    assert answer.json() == {"mine": True}
    return "user"


def _nested(order: tuple[str, ...], names: tuple[str, str]) -> bool:
    """Whether the two patches named stop in the reverse order of their starts."""
    steps = [step for step in order if step[:-1] in names]
    return steps[1] == steps[0][:-1] + "-" or steps[1][:-1] == steps[2][:-1]


@pytest.mark.parametrize("order", ORDERS, ids=" ".join)
def test_every_order_answers_each_request_and_leaves_requests_as_it_was(
    order: tuple[str, ...], monkeypatch: pytest.MonkeyPatch
) -> None:
    # The user's mock and moto's, stopped out of order, leave one of their sends behind
    # (mock.patch's rule, stub or no stub): put back for later tests whatever is left.
    monkeypatch.setattr(HTTPAdapter, "send", ORIGINAL_SEND)
    stub, user, aws = ConnectStub(), responses.RequestsMock(), moto.mock_aws()
    user.get(ELSEWHERE, json={"mine": True})
    steps = {
        "stub+": stub.start,
        "stub-": stub.stop,
        "user+": user.start,
        "user-": user.stop,
        "moto+": aws.start,
        "moto-": aws.stop,
    }
    active: list[str] = []
    clean = True  # nothing started before the stub was stopped while it was active
    for step in order:
        steps[step]()
        name = step[:-1]
        if step.endswith("+"):
            active.append(name)
            if name == "stub":
                clean = True
        else:
            if "stub" in active and active.index(name) < active.index("stub"):
                clean = False
            active.remove(name)
        calls = len(stub.calls)
        who = _connect(stub)
        if "stub" in active and clean:
            assert who == "stub", (step, active)
        elif "stub" not in active:
            assert who != "stub", (step, active)
        assert _elsewhere() in {"user", "network"}
        assert len(stub.calls) == calls + (who == "stub")
    with ConnectStub():
        pass
    left = vars(HTTPAdapter)["send"]
    assert left.__module__ != requests_transport.__name__  # none of the stub's layers
    if _nested(order, ("user", "moto")):
        assert left is ORIGINAL_SEND
        assert _elsewhere() == "network"
    assert vars(responses.RequestsMock)["_on_request"] is ORIGINAL_ON_REQUEST
    assert responses._real_send is ORIGINAL_REAL_SEND


def test_moto_passing_unknown_requests_to_a_users_mock_is_left_as_moto_does_it() -> None:
    # moto's documented way to let a user's mock answer what moto does not know.
    from moto.core.models import override_responses_real_send

    with responses.RequestsMock() as user:
        user.get(ELSEWHERE, json={"mine": True})
        override_responses_real_send(user)
        try:
            with moto.mock_aws(), ConnectStub() as stub:
                assert _connect(stub) == "stub"
                assert _elsewhere() == "user"
        finally:
            override_responses_real_send(None)
