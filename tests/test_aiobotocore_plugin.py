"""A user's async tests with the ``connect_stub`` fixture: aiobotocore and aioboto3 clients.

The user's tests run on anyio's pytest plugin (``@pytest.mark.anyio``): it comes with anyio,
which aiobotocore's httpx backend needs anyway, and needs no ini setting (pytest-asyncio's
warning about an unset loop scope is an error under ``filterwarnings = error``, and the
setting that silences it is an unknown key under ``--strict-config`` wherever it is absent).
"""

from __future__ import annotations

import pytest
from aio_helpers import SKIP_REASON
from conftest import USER_CONFTEST

pytest.importorskip("aiobotocore.session", reason=SKIP_REASON)
pytest.importorskip("anyio", reason=f"anyio's pytest plugin; {SKIP_REASON}")

#: The user's conftest, with asyncio as anyio's backend (aiohttp runs on asyncio only) and
#: an async client.
CONFTEST = (
    USER_CONFTEST
    + """
import aiobotocore.session


@pytest.fixture
def anyio_backend():
    return "asyncio"


@pytest.fixture
async def async_client(connect_stub):
    session = aiobotocore.session.get_session()
    async with session.create_client("connect", region_name="us-east-1") as client:
        yield client
"""
)


def test_an_async_test_uses_the_fixture_and_its_teardown_report(user: pytest.Pytester) -> None:
    user.makeconftest(CONFTEST)
    user.makepyfile(
        """
        import asyncio
        import pytest

        pytestmark = pytest.mark.anyio

        async def test_dialer(connect_stub, async_client, item):
            connect_stub.fail("req-2", "INVALID_QUEUE")
            response = await async_client.batch_put_contact(
                InstanceId="inst-1", ContactDataRequestList=[item("req-1"), item("req-2")]
            )
            assert [f["RequestIdentifier"] for f in response["FailedRequestList"]] == ["req-2"]
            connect_stub.assert_called_once()

        async def test_gathered_calls_are_all_recorded(connect_stub, async_client, item):
            await asyncio.gather(
                *(async_client.batch_put_contact(InstanceId="i", ContactDataRequestList=[item()])
                  for _ in range(10))
            )
            connect_stub.assert_called(times=10)

        async def test_forgot(connect_stub, async_client):
            connect_stub.fail("req-9", "INVALID_QUEUE")

        @pytest.mark.connect_stub(strict=True, instances={"inst-1": ["queue-1"]})
        async def test_strict(connect_stub, async_client, item):
            with pytest.raises(async_client.exceptions.ResourceNotFoundException):
                await async_client.batch_put_contact(
                    InstanceId="other", ContactDataRequestList=[item()]
                )
        """
    )
    result = user.runpytest()
    result.assert_outcomes(passed=4, errors=1)
    result.stdout.fnmatch_lines(["*ERROR at teardown of test_forgot*", "*req-9*INVALID_QUEUE*"])


def test_an_aioboto3_client_is_answered(user: pytest.Pytester) -> None:
    pytest.importorskip(
        "aioboto3", reason="needs aioboto3 (CI installs it in an environment of its own)"
    )
    user.makepyfile(
        """
        import aioboto3
        import pytest

        @pytest.fixture
        def anyio_backend():
            return "asyncio"

        @pytest.mark.anyio
        async def test_dialer(connect_stub, item):
            session = aioboto3.Session()
            async with session.client("connect", region_name="us-east-1") as client:
                response = await client.batch_put_contact(
                    InstanceId="inst-1", ContactDataRequestList=[item()]
                )
            [created] = response["SuccessfulRequestList"]
            assert list(connect_stub.contacts) == [created["ContactId"]]
        """
    )
    user.runpytest().assert_outcomes(passed=1)
