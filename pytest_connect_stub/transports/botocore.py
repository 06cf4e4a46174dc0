"""The only module that touches botocore internals: interception switched on and off.

Three class- or module-level patches, so every client is covered whenever and wherever it
was made:

* ``Endpoint._send`` is where botocore hands a signed request to its HTTP session, after the
  ``before-send`` event (so a user's own handlers still answer first) and inside the retry
  loop. Requests to the Connect endpoint are answered by the active stub instead.
* ``RequestSigner.get_auth_instance`` signs Connect requests with fixed fake credentials,
  so no real credential is needed, refreshed or put on a request while a stub is active.
* ``botocore.endpoint.time`` is replaced by a proxy whose ``sleep`` skips the retry delay
  after an attempt the stub answered (when the stub's ``skip_retry_sleep`` is on).

And two of ``botocore.session.Session`` (``create_client`` and ``get_credentials``, linked
by a context variable): a Connect client created while a stub is active gets
:class:`DeferredCredentials` instead of running the credential chain at once, so making a
client needs no credentials and no network.

Every patch is laid as a layer that remembers what it replaced and passes through to it
when no stub is active (see ``_Point``).
"""

from __future__ import annotations

import contextvars
import copy
import functools
import inspect
import sys
from collections.abc import Callable, Iterator
from typing import Any, cast

import botocore.endpoint
import botocore.session
import botocore.signers
from botocore.awsrequest import AWSPreparedRequest, AWSResponse
from botocore.credentials import Credentials

from pytest_connect_stub import model
from pytest_connect_stub.transports import innermost
from pytest_connect_stub.transports.credentials import DeferredCredentials
from pytest_connect_stub.transports.layers import PatchPoint

# botocore's stubs describe its public surface only; these are the internals we patch.
_Endpoint: Any = botocore.endpoint.Endpoint
_RequestSigner: Any = botocore.signers.RequestSigner
_endpoint_module: Any = botocore.endpoint
_Session: Any = botocore.session.Session

#: What the stub signs Connect requests with. Not a secret: it never leaves the process.
FAKE_CREDENTIALS = Credentials("AKIACONNECTSTUBFAKE", "connect-stub-fake-secret")


class _StubResponse(AWSResponse):
    """An answer of the stub's; botocore's back-off after it may be skipped."""

    skip_sleep = False


class _Body:
    """The ``raw`` of an AWSResponse: botocore only ever calls ``stream()`` on it."""

    __slots__ = ("_data",)

    def __init__(self, data: bytes) -> None:
        self._data = data

    def stream(self, **_: Any) -> Iterator[bytes]:
        yield self._data


@functools.cache
def _takes_request_credentials(get_auth_instance: Callable[..., Any]) -> bool:
    return "request_credentials" in inspect.signature(get_auth_instance).parameters


@functools.cache
def identity() -> tuple[str, str]:
    """Connect's endpoint prefix and service ID: how its endpoints and signers are known."""
    service = model.service_model()
    return service.endpoint_prefix, service.service_id


def plain_headers(headers: Any) -> dict[str, Any]:
    """A plain dict of a request's headers.

    botocore's HeadersDict builds a case-insensitive key object on every lookup, which made
    copying its items the stub's costliest step; its inner dict reads directly.
    """
    inner = getattr(headers, "_dict", None)
    if type(inner) is dict:
        return {str(key): value for key, value in inner.items()}
    return dict(headers.items())


def _make_send(below: Callable[..., Any]) -> Callable[..., Any]:
    def _send(self: Any, request: AWSPreparedRequest) -> Any:
        current = innermost()
        if current is None or self._endpoint_prefix != identity()[0]:
            return below(self, request)
        handler, skip_sleep = current
        headers = plain_headers(request.headers)
        body: Any = request.body
        answer = handler.handle(request.method, request.url, headers, body)
        response = _StubResponse(
            request.url, answer.status, cast(Any, answer.headers), _Body(answer.body)
        )
        response.skip_sleep = skip_sleep
        return response

    return _send


def _make_get_auth_instance(below: Callable[..., Any]) -> Callable[..., Any]:
    takes_request_credentials = _takes_request_credentials(below)

    def _get_auth_instance(self: Any, *args: Any, **kwargs: Any) -> Any:
        if innermost() is not None and self._service_id == identity()[1]:
            if takes_request_credentials:
                kwargs["request_credentials"] = FAKE_CREDENTIALS
            else:
                # botocore < 1.32 has no per-request credentials: a copy of the signer holds
                # the fake ones. Either way the real provider is never asked (nor refreshed).
                self = copy.copy(self)
                self._credentials = FAKE_CREDENTIALS
        return below(self, *args, **kwargs)

    return _get_auth_instance


def _code_of(function: Any) -> Any:
    return getattr(inspect.unwrap(function), "__code__", None)


#: Where botocore sleeps between attempts: Endpoint._needs_retry, whose ``response``
#: argument is the attempt's (http_response, parsed) pair.
_SLEEPS_IN = _code_of(_Endpoint._needs_retry)


def sleep_site_is_known() -> bool:
    """Whether botocore still sleeps in the function ``_RetryClock`` reads ``response`` of."""
    return _SLEEPS_IN is not None and "response" in _SLEEPS_IN.co_varnames


class _RetryClock:
    """Stands in for the ``time`` module inside ``botocore.endpoint``."""

    def __init__(self, below: Any) -> None:
        self._below = below

    def __getattr__(self, name: str) -> Any:
        return getattr(self._below, name)

    def sleep(self, seconds: float) -> None:
        # Skip only after an attempt this stub answered, never after one a before-send
        # handler or the network answered. ``response`` is read only in the frame of
        # botocore's Endpoint._needs_retry: a local of that name anywhere else means
        # something else (and a botocore that sleeps elsewhere just sleeps).
        caller = sys._getframe(1)
        response = caller.f_locals.get("response") if caller.f_code is _SLEEPS_IN else None
        if (
            isinstance(response, tuple)
            and response
            and isinstance(response[0], _StubResponse)
            and response[0].skip_sleep
        ):
            return
        self._below.sleep(seconds)


#: The session creating a Connect client in this context (thread, task), if any: its
#: ``get_credentials`` answers DeferredCredentials instead of running the chain.
_creating_connect_client: contextvars.ContextVar[object] = contextvars.ContextVar(
    "connect_stub_creating_connect_client", default=None
)


def _make_create_client(below: Callable[..., Any]) -> Callable[..., Any]:
    def _create_client(self: Any, *args: Any, **kwargs: Any) -> Any:
        service_name = kwargs.get("service_name", args[0] if args else None)
        connect = innermost() is not None and service_name == model.SERVICE_NAME
        # Set for every client, so another service's client made while a Connect one is
        # being made (an event handler's) still looks its credentials up.
        marker = _creating_connect_client.set(self if connect else None)
        try:
            return below(self, *args, **kwargs)
        finally:
            _creating_connect_client.reset(marker)

    return _create_client


def _make_get_credentials(below: Callable[..., Any]) -> Callable[..., Any]:
    def _get_credentials(self: Any) -> Any:
        if (
            innermost() is not None
            and _creating_connect_client.get() is self
            and getattr(self, "_credentials", None) is None
        ):
            return DeferredCredentials(functools.partial(below, self))
        return below(self)

    return _get_credentials


_POINTS = (
    PatchPoint(_Endpoint, "_send", _make_send),
    PatchPoint(_RequestSigner, "get_auth_instance", _make_get_auth_instance),
    PatchPoint(_endpoint_module, "time", _RetryClock),
    # A Connect client made while a stub is active defers its credential lookup.
    PatchPoint(_Session, "create_client", _make_create_client),
    PatchPoint(_Session, "get_credentials", _make_get_credentials),
)


def install() -> None:
    """Route Connect requests of every botocore client to the innermost active stub."""
    for point in _POINTS:
        point.lay()


def uninstall() -> None:
    """Take the stub's patches off; the installed functions pass through from now on.

    A patch someone laid on top of ours (``mock.patch.object(Endpoint, "_send")``) is left
    in place: when it puts ours back, ours passes requests through, and the next uninstall
    takes it off.
    """
    for point in _POINTS:
        point.lift()
