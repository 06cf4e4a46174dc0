"""What the aiobotocore tests share: the skip, a client, and a recorder of back-off sleeps."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import pytest

#: Why the aiobotocore tests skip where it is absent. CI's aiobotocore legs fail on any skip
#: whose reason names aiobotocore: keep the word in every such reason.
SKIP_REASON = (
    "needs aiobotocore: pip install pytest-connect-stub[aiobotocore] (CI runs these tests "
    "in an aiobotocore environment of their own)"
)

aiobotocore_session: Any = pytest.importorskip("aiobotocore.session", reason=SKIP_REASON)


@asynccontextmanager
async def aio_client(
    service: str = "connect", session: Any = None, **kwargs: Any
) -> AsyncIterator[Any]:
    """An aiobotocore client, as a user makes one (a new session unless one is given)."""
    session = session or aiobotocore_session.get_session()
    async with session.create_client(service, region_name="us-east-1", **kwargs) as client:
        yield client


def retrying(mode: str, attempts: int = 3) -> Any:
    """A client config with botocore's ``mode`` of retries."""
    from aiobotocore.config import AioConfig

    return AioConfig(retries={"mode": mode, "max_attempts": attempts})


def record_sleeps(monkeypatch: pytest.MonkeyPatch, module: Any) -> list[float]:
    """Every ``module.sleep`` awaited (asyncio's, anyio's) recorded instead of slept."""
    sleeps: list[float] = []

    async def sleep(seconds: float, result: Any = None) -> Any:
        sleeps.append(seconds)
        return result

    monkeypatch.setattr(module, "sleep", sleep)
    return sleeps
