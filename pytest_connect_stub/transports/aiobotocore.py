"""aiobotocore's transport (and so aioboto3's): its async pipeline, answered by the stub.

aiobotocore subclasses botocore's endpoint, signer and session and overrides, as coroutines,
exactly the methods botocore's transport patches, so it needs layers of its own:

* ``AioEndpoint._send`` hands a signed request to aiohttp (or httpx) after the
  ``before-send`` event and inside the retry loop; Connect requests get the stub's answer
  there, as an ``AioAWSResponse`` whose body reads asynchronously.
* ``AioRequestSigner.get_auth_instance`` signs Connect requests with the fake credentials.
* ``AioEndpoint._needs_retry`` notes, for the back-off it awaits, whether the attempt was
  the stub's; ``AioEndpoint._sleep`` (and ``AnyioEndpoint._sleep`` of the httpx backend)
  skips that back-off only then. aiobotocore 2.x awaits ``asyncio.sleep`` inline instead,
  so there the ``asyncio`` that ``aiobotocore.endpoint`` sees is a proxy that does the same.
* ``AioSession._create_client`` and ``AioSession.get_credentials``: a Connect client made
  while a stub is active gets :class:`AsyncDeferredCredentials`, so making it runs no
  credential chain (no files read, no instance-metadata request).

This module imports aiobotocore; it is imported only once ``aiobotocore.session`` has been
(``OPTIONAL`` in ``transports/__init__.py``), and by then every module patched here has run.
"""

from __future__ import annotations

import contextvars
import functools
from collections.abc import Callable
from typing import Any, cast

# From-imports: installed right after aiobotocore.session ran, this module may be imported
# before the package has the submodule as an attribute; these read sys.modules instead.
from aiobotocore import endpoint as aio_endpoint
from aiobotocore.awsrequest import AioAWSResponse
from aiobotocore.credentials import AioCredentials
from aiobotocore.session import AioSession
from aiobotocore.signers import AioRequestSigner
from botocore.awsrequest import AWSPreparedRequest

from pytest_connect_stub import model
from pytest_connect_stub.transports import innermost
from pytest_connect_stub.transports.aiocredentials import AsyncDeferredCredentials

# What botocore's transport already decides, shared rather than repeated: the fake
# credentials, which endpoint and signer are Connect's, and a cheap copy of the headers.
from pytest_connect_stub.transports.botocore import FAKE_CREDENTIALS, identity, plain_headers
from pytest_connect_stub.transports.layers import PatchPoint

# aiobotocore ships no type information; these are the internals we patch.
_AioEndpoint: Any = aio_endpoint.AioEndpoint
_AnyioEndpoint: Any = getattr(aio_endpoint, "AnyioEndpoint", None)  # 3.x: httpx backend
_AioRequestSigner: Any = AioRequestSigner
_AioSession: Any = AioSession
_endpoint_module: Any = aio_endpoint
_AioAWSResponse: Any = AioAWSResponse

#: The fake credentials as aiobotocore's signer takes them (it awaits
#: ``get_frozen_credentials()``).
_FAKE_CREDENTIALS: Any = AioCredentials(FAKE_CREDENTIALS.access_key, FAKE_CREDENTIALS.secret_key)


class _StubResponse(_AioAWSResponse):  # type: ignore[misc]
    """An answer of the stub's; aiobotocore's back-off after it may be skipped."""

    skip_sleep = False


class _Body:
    """The ``raw`` of an AioAWSResponse: aiobotocore awaits ``read()`` for the content."""

    __slots__ = ("_data",)

    def __init__(self, data: bytes) -> None:
        self._data = data

    async def read(self, *_: Any) -> bytes:
        return self._data


def _make_send(below: Callable[..., Any]) -> Callable[..., Any]:
    async def _send(self: Any, request: AWSPreparedRequest) -> Any:
        current = innermost()
        if current is None or self._endpoint_prefix != identity()[0]:
            return await below(self, request)
        handler, skip_sleep = current
        # The handler never awaits: a task cancelled around this call finds the call
        # either recorded whole or not at all.
        answer = handler.handle(
            request.method, request.url, plain_headers(request.headers), request.body
        )
        response = _StubResponse(
            request.url, answer.status, cast(Any, answer.headers), _Body(answer.body)
        )
        response.skip_sleep = skip_sleep
        return response

    return _send


def _make_get_auth_instance(below: Callable[..., Any]) -> Callable[..., Any]:
    async def _get_auth_instance(self: Any, *args: Any, **kwargs: Any) -> Any:
        if innermost() is not None and self._service_id == identity()[1]:
            # Per-request credentials: the client's own are never awaited (nor refreshed).
            kwargs["request_credentials"] = _FAKE_CREDENTIALS
        return await below(self, *args, **kwargs)

    return _get_auth_instance


#: Whether the back-off about to be awaited in this task follows an attempt the stub
#: answered with ``skip_retry_sleep`` on. Set by ``_needs_retry`` for the time it runs.
_skip_back_off: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "connect_stub_aio_skip_back_off", default=False
)


def _make_needs_retry(below: Callable[..., Any]) -> Callable[..., Any]:
    async def _needs_retry(self: Any, *args: Any, **kwargs: Any) -> Any:
        # (attempts, operation_model, request_dict, response, caught_exception); response
        # is the attempt's (http_response, parsed) pair, or None after an exception.
        response = kwargs["response"] if "response" in kwargs else (args[3:4] or [None])[0]
        ours = (
            isinstance(response, tuple)
            and bool(response)
            and isinstance(response[0], _StubResponse)
            and response[0].skip_sleep
        )
        marker = _skip_back_off.set(ours)
        try:
            return await below(self, *args, **kwargs)
        finally:
            _skip_back_off.reset(marker)

    return _needs_retry


def _make_sleep(below: Callable[..., Any]) -> Callable[..., Any]:
    async def _sleep(self: Any, seconds: float) -> None:
        if _skip_back_off.get():
            return
        await below(self, seconds)

    return _sleep


class _AsyncioClock:
    """Stands in for ``asyncio`` inside ``aiobotocore.endpoint`` of aiobotocore 2.x."""

    def __init__(self, below: Any) -> None:
        self._below = below

    def __getattr__(self, name: str) -> Any:
        return getattr(self._below, name)

    async def sleep(self, seconds: float, result: Any = None) -> Any:
        if _skip_back_off.get():
            return result
        return await self._below.sleep(seconds, result)


#: The session creating a Connect client in this task, if any: its ``get_credentials``
#: answers AsyncDeferredCredentials instead of running the chain.
_creating_connect_client: contextvars.ContextVar[object] = contextvars.ContextVar(
    "connect_stub_aio_creating_connect_client", default=None
)


def _make_create_client(below: Callable[..., Any]) -> Callable[..., Any]:
    async def _create_client(self: Any, *args: Any, **kwargs: Any) -> Any:
        service_name = kwargs.get("service_name", args[0] if args else None)
        connect = innermost() is not None and service_name == model.SERVICE_NAME
        # Set for every client, so another service's client made meanwhile in this task
        # (an event handler's) still looks its credentials up.
        marker = _creating_connect_client.set(self if connect else None)
        try:
            return await below(self, *args, **kwargs)
        finally:
            _creating_connect_client.reset(marker)

    return _create_client


def _make_get_credentials(below: Callable[..., Any]) -> Callable[..., Any]:
    async def _get_credentials(self: Any) -> Any:
        if (
            innermost() is not None
            and _creating_connect_client.get() is self
            and getattr(self, "_credentials", None) is None
        ):
            return AsyncDeferredCredentials(functools.partial(below, self))
        return await below(self)

    return _get_credentials


def _sleep_points() -> list[PatchPoint]:
    if "_sleep" not in vars(_AioEndpoint):  # aiobotocore 2.x: asyncio.sleep inline
        return [PatchPoint(_endpoint_module, "asyncio", _AsyncioClock)]
    points = [PatchPoint(_AioEndpoint, "_sleep", _make_sleep)]
    if _AnyioEndpoint is not None and "_sleep" in vars(_AnyioEndpoint):
        points.append(PatchPoint(_AnyioEndpoint, "_sleep", _make_sleep))
    return points


_POINTS = (
    PatchPoint(_AioEndpoint, "_send", _make_send),
    PatchPoint(_AioRequestSigner, "get_auth_instance", _make_get_auth_instance),
    PatchPoint(_AioEndpoint, "_needs_retry", _make_needs_retry),
    *_sleep_points(),
    PatchPoint(_AioSession, "_create_client", _make_create_client),
    PatchPoint(_AioSession, "get_credentials", _make_get_credentials),
)


def install() -> None:
    """Route Connect requests of every aiobotocore client to the innermost active stub."""
    for point in _POINTS:
        point.lay()


def uninstall() -> None:
    """Take the stub's patches off; a patch laid on top of ours stays (and passes through)."""
    for point in _POINTS:
        point.lift()
