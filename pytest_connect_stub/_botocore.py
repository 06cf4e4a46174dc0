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
"""

from __future__ import annotations

import copy
import functools
import inspect
import sys
import time
from collections.abc import Iterator
from typing import Any, Callable, cast

import botocore.endpoint
import botocore.signers
from botocore.awsrequest import AWSPreparedRequest, AWSResponse
from botocore.credentials import Credentials

from . import schema
from .http import Handler

# botocore's stubs describe its public surface only; these are the internals we patch.
_Endpoint: Any = botocore.endpoint.Endpoint
_RequestSigner: Any = botocore.signers.RequestSigner
_endpoint_module: Any = botocore.endpoint

#: What the stub signs Connect requests with. Not a secret: it never leaves the process.
FAKE_CREDENTIALS = Credentials("AKIACONNECTSTUBFAKE", "connect-stub-fake-secret")

#: Returns the handler of the innermost active stub, and whether it skips retry sleeps.
Current = Callable[[], "tuple[Handler, bool] | None"]


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


class _Patches:
    """What lay beneath the stub's patches when they were laid, and where to find the stub.

    Made once, on the first install, and never dropped: a patched function can still run
    after uninstall (a thread mid-call, or a user's ``mock.patch`` that saved it and puts it
    back on stop), and then it hands the request on to what lay beneath.
    """

    def __init__(self, current: Current) -> None:
        self.current = current
        self.send: Callable[..., Any] = _Endpoint._send
        self.get_auth: Callable[..., Any] = _RequestSigner.get_auth_instance
        self.takes_request_credentials = _takes_request_credentials(self.get_auth)
        self.time: Any = _endpoint_module.time


_patches: _Patches | None = None


@functools.cache
def _identity() -> tuple[str, str]:
    model = schema.service_model()
    return model.endpoint_prefix, model.service_id


def _plain_headers(headers: Any) -> dict[str, Any]:
    """A plain dict of a request's headers.

    botocore's HeadersDict builds a case-insensitive key object on every lookup, which made
    copying its items the stub's costliest step; its inner dict reads directly.
    """
    inner = getattr(headers, "_dict", None)
    if type(inner) is dict:
        return {str(key): value for key, value in inner.items()}
    return dict(headers.items())


def _send(self: Any, request: AWSPreparedRequest) -> Any:
    patches = cast(_Patches, _patches)  # set before this function is ever on the class
    current = patches.current()
    if current is None or self._endpoint_prefix != _identity()[0]:
        return patches.send(self, request)
    handler, skip_sleep = current
    headers = _plain_headers(request.headers)
    body: Any = request.body
    answer = handler.handle(request.method, request.url, headers, body)
    response = _StubResponse(
        request.url, answer.status, cast(Any, answer.headers), _Body(answer.body)
    )
    response.skip_sleep = skip_sleep
    return response


def _get_auth_instance(self: Any, *args: Any, **kwargs: Any) -> Any:
    patches = cast(_Patches, _patches)
    if self._service_id == _identity()[1] and patches.current() is not None:
        if patches.takes_request_credentials:
            kwargs["request_credentials"] = FAKE_CREDENTIALS
        else:
            # botocore < 1.32 has no per-request credentials: a copy of the signer holds the
            # fake ones. Either way the real provider is never asked (nor refreshed).
            self = copy.copy(self)
            self._credentials = FAKE_CREDENTIALS
    return patches.get_auth(self, *args, **kwargs)


#: The code of the botocore method whose ``time.sleep`` is the retry back-off.
_NEEDS_RETRY: Any = getattr(_Endpoint._needs_retry, "__code__", None)


class _RetryClock:
    """Stands in for the ``time`` module inside ``botocore.endpoint``."""

    def __getattr__(self, name: str) -> Any:
        return getattr(_beneath("time"), name)

    @staticmethod
    def sleep(seconds: float) -> None:
        # botocore sleeps in Endpoint._needs_retry, whose ``response`` argument is the
        # attempt's (http_response, parsed) pair: skip only after an attempt this stub
        # answered, never after one a before-send handler or the network answered. The
        # caller's frame is trusted only if it is that method's: a botocore that renamed or
        # moved it gets its sleeps (tests/test_retry_clock.py says so on each botocore).
        caller = sys._getframe(1)
        if caller.f_code is _NEEDS_RETRY:
            response = caller.f_locals.get("response")
            if (
                isinstance(response, tuple)
                and response
                and isinstance(response[0], _StubResponse)
                and response[0].skip_sleep
            ):
                return
        _beneath("time").sleep(seconds)


def _beneath(name: str) -> Any:
    """What the stub's patch of ``name`` lies on (botocore's own, or a user's patch)."""
    return getattr(_patches, name) if _patches is not None else time


_clock = _RetryClock()

#: Each patch: what it patches, the attribute, the stub's replacement, and the field of
#: ``_Patches`` that keeps what lay beneath it.
_TARGETS: tuple[tuple[Any, str, object, str], ...] = (
    (_Endpoint, "_send", _send, "send"),
    (_RequestSigner, "get_auth_instance", _get_auth_instance, "get_auth"),
    (_endpoint_module, "time", _clock, "time"),
)


def install(current: Current) -> None:
    """Route Connect requests of every botocore client to ``current()``'s handler.

    Called with the activation lock held. A patch of the stub's still in place (put back by
    a user's patch that had saved it) is not mistaken for what lies beneath.
    """
    global _patches
    if _patches is None:
        _patches = _Patches(current)
    _patches.current = current
    for owner, name, ours, field in _TARGETS:
        present = getattr(owner, name)
        if present is not ours:
            setattr(_patches, field, present)
            setattr(owner, name, ours)


def uninstall() -> None:
    """Put back what ``install`` replaced, where the stub's patch is still on top.

    Where someone patched over the stub's, theirs stays: when they remove it, the stub's
    comes back and hands every request on to what lay beneath, and the next install and
    uninstall put botocore back as it was.
    """
    patches = _patches
    if patches is None:
        return
    for owner, name, ours, field in _TARGETS:
        if getattr(owner, name) is ours:
            setattr(owner, name, getattr(patches, field))
