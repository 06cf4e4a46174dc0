"""aiobotocore's transport: when it is switched on, what it leaves behind, and others' patches.

Import orders run in a fresh interpreter (this process imported aiobotocore long ago).
Below every patch here sits a fake network, so no test can reach a socket.
"""

from __future__ import annotations

import asyncio
import itertools
import subprocess
import sys
import textwrap
from collections.abc import Callable
from typing import Any
from unittest import mock

import pytest
from aio_helpers import aio_client, record_sleeps, retrying
from helpers import contact_item

from pytest_connect_stub import ConnectStub

import aiobotocore.config  # isort: skip
import aiobotocore.endpoint  # isort: skip
import aiobotocore.session  # isort: skip
import aiobotocore.signers  # isort: skip

_AioEndpoint: Any = aiobotocore.endpoint.AioEndpoint
_AioSession: Any = aiobotocore.session.AioSession

#: Every attribute the transport may patch, as (owner, name).
PATCHED = [
    (_AioEndpoint, "_send"),
    (_AioEndpoint, "_needs_retry"),
    (_AioEndpoint, "_sleep"),
    (aiobotocore.endpoint, "asyncio"),
    (aiobotocore.signers.AioRequestSigner, "get_auth_instance"),
    (_AioSession, "_create_client"),
    (_AioSession, "get_credentials"),
    (getattr(aiobotocore.endpoint, "AnyioEndpoint", _AioEndpoint), "_sleep"),
]


def _state() -> list[object]:
    return [vars(owner).get(name) for owner, name in PATCHED]


class ReachedNetwork(Exception):
    """Raised by the fake network under every patch."""


class AnsweredByMock(Exception):
    """Raised by a user's mock that answers requests itself."""


async def fake_network(self: Any, request: Any) -> Any:
    raise ReachedNetwork(request.url)


@pytest.fixture
def network(monkeypatch: pytest.MonkeyPatch) -> None:
    """aiobotocore's ``_send`` replaced by the fake network, for the test's duration."""
    monkeypatch.setattr(_AioEndpoint, "_send", fake_network)


async def _answer(client: Any) -> str:
    try:
        await client.batch_put_contact(InstanceId="i", ContactDataRequestList=[contact_item()])
    except ReachedNetwork:
        return "network"
    except AnsweredByMock:
        return "mock"
    return "stub"


def run_fresh(code: str) -> str:
    """Run ``code`` in a fresh interpreter with no credentials; return what it printed."""
    env = {"PATH": "", "AWS_CONFIG_FILE": "/nonexistent", "AWS_EC2_METADATA_DISABLED": "true"}
    env["AWS_SHARED_CREDENTIALS_FILE"] = "/nonexistent"
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True, text=True, env=env, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return done.stdout


CALL = """
import asyncio
ITEM = {"RequestIdentifier": "r", "QueueId": "q", "Campaign": {"CampaignId": "c"},
        "CustomerEndpoint": {"Type": "TELEPHONE_NUMBER", "Address": "+15550100"}}
async def call():
    import aiobotocore.session
    session = aiobotocore.session.get_session()
    async with session.create_client("connect", region_name="us-east-1") as client:
        response = await client.batch_put_contact(InstanceId="i", ContactDataRequestList=[ITEM])
    return len(response["SuccessfulRequestList"])
"""


def test_aiobotocore_imported_while_a_stub_is_active_is_answered() -> None:
    printed = run_fresh(
        CALL
        + """
import sys
from pytest_connect_stub import ConnectStub
with ConnectStub() as stub:
    print("aiobotocore" in sys.modules)
    print(asyncio.run(call()), len(stub.calls))
"""
    )
    assert printed.split() == ["False", "1", "1"]


def test_the_stub_never_imports_aiobotocore_and_its_import_is_unchanged_after() -> None:
    printed = run_fresh(
        """
import sys
from pytest_connect_stub import ConnectStub
with ConnectStub():
    pass
print(sorted(name for name in sys.modules if name.startswith("aio")))
with ConnectStub():
    import aiobotocore.endpoint, aiobotocore.session
    print(aiobotocore.endpoint.AioEndpoint._send.__qualname__)
print(aiobotocore.endpoint.AioEndpoint._send.__qualname__)
"""
    )
    assert printed.splitlines() == [
        "[]",
        "_make_send.<locals>._send",
        "AioEndpoint._send",
    ]


def test_aiobotocore_is_exactly_as_before_once_the_last_stub_stops() -> None:
    before = _state()

    async def main() -> None:
        with ConnectStub():
            with ConnectStub():
                async with aio_client() as client:
                    await _answer(client)
            assert _state() != before
        assert _state() == before

    asyncio.run(main())
    assert _state() == before


def test_other_services_pass_through_to_what_was_below(network: None) -> None:
    async def main() -> list[str]:
        with ConnectStub() as stub:
            async with aio_client("sqs", aws_access_key_id="a", aws_secret_access_key="s") as sqs:
                with pytest.raises(ReachedNetwork):
                    await sqs.list_queues()
            async with aio_client() as client:
                answered = await _answer(client)
        assert stub.calls and answered == "stub"
        async with aio_client(aws_access_key_id="a", aws_secret_access_key="s") as client:
            return [answered, await _answer(client)]

    assert asyncio.run(main()) == ["stub", "network"]


def _send_mock_answering() -> Any:
    return mock.patch.object(_AioEndpoint, "_send", autospec=True, side_effect=AnsweredByMock)


def _send_mock_calling_through() -> Any:
    below = _AioEndpoint._send
    return mock.patch.object(_AioEndpoint, "_send", autospec=True, side_effect=below)


MOCKS: dict[str, Callable[[], Any]] = {
    "send-answering": _send_mock_answering,
    "send-calling-through": _send_mock_calling_through,
}

ORDERS = [
    order
    for order in itertools.permutations(["stub+", "mock+", "stub-", "mock-"])
    if order.index("stub+") < order.index("stub-") and order.index("mock+") < order.index("mock-")
]


@pytest.mark.parametrize("order", ORDERS, ids=" ".join)
@pytest.mark.parametrize("kind", list(MOCKS))
def test_every_order_of_stub_and_a_users_patch_answers_every_call_and_converges(
    network: None, kind: str, order: tuple[str, ...]
) -> None:
    before = _state()

    async def main() -> list[str]:
        stub, patch = ConnectStub(), MOCKS[kind]()
        steps = {"stub+": stub.start, "stub-": stub.stop, "mock+": patch.start}
        steps["mock-"] = patch.stop
        answers = []
        async with aio_client(aws_access_key_id="a", aws_secret_access_key="s") as client:
            for step in order:
                steps[step]()
                answers.append(await _answer(client))
            # A later stub answers, and takes every layer of the stub's off when it stops.
            with ConnectStub() as later:
                answers.append(await _answer(client))
            assert len(later.calls) == 1
            answers.append(await _answer(client))
        return answers

    answers = asyncio.run(main())
    assert set(answers) <= {"stub", "mock", "network"}
    assert answers[len(order) - 1 :] == ["network", "stub", "network"]
    assert _state() == before


def test_the_stub_answers_over_a_users_patch_and_gives_it_back(network: None) -> None:
    async def main() -> list[str]:
        answers = []
        async with aio_client(aws_access_key_id="a", aws_secret_access_key="s") as client:
            with _send_mock_answering():
                below = _AioEndpoint._send
                with ConnectStub():
                    answers.append(await _answer(client))
                assert _AioEndpoint._send is below
                answers.append(await _answer(client))
            answers.append(await _answer(client))
        return answers

    assert asyncio.run(main()) == ["stub", "mock", "network"]
    assert _AioEndpoint._send is fake_network


def test_the_httpx_backend_is_answered_and_its_back_off_skipped(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    if not hasattr(aiobotocore.endpoint, "AnyioEndpoint"):
        pytest.skip("aiobotocore 2.x: its httpx backend sleeps with asyncio, tested above")
    httpxsession: Any = pytest.importorskip("aiobotocore.httpxsession")
    anyio: Any = pytest.importorskip("anyio")
    if httpxsession.httpx is None:
        pytest.skip("no httpx backend installed (pip install aiobotocore[httpx2])")
    slept = record_sleeps(monkeypatch, anyio)
    config = retrying("standard").merge(
        aiobotocore.config.AioConfig(http_session_cls=httpxsession.HttpxSession)
    )

    async def main() -> str:
        async with aio_client(config=config) as client:
            assert type(client._endpoint).__name__ == "AnyioEndpoint"
            return await _answer(client)

    with ConnectStub() as stub:
        stub.raise_error("ThrottlingException")
        assert asyncio.run(main()) == "stub"
    assert [call.attempt for call in stub.calls] == [1, 2]
    assert slept == []
