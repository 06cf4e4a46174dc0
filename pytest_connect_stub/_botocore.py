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

And one patch of ``botocore.session.Session``: a Connect client created while a stub is
active gets :class:`DeferredCredentials` instead of running the credential chain at once,
so making a client needs no credentials and no network (see ``_defer_credential_lookups``).
"""

from __future__ import annotations

import contextvars
import copy
import functools
import inspect
import sys
import threading
import time
from collections.abc import Iterator
from typing import Any, Callable, cast

import botocore.endpoint
import botocore.session
import botocore.signers
from botocore.awsrequest import AWSPreparedRequest, AWSResponse
from botocore.credentials import Credentials, ReadOnlyCredentials
from botocore.exceptions import NoCredentialsError

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
    patches = _patches
    assert patches is not None  # installed before this can be called
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
    patches = _patches
    assert patches is not None
    if self._service_id == _identity()[1]:
        if patches.takes_request_credentials:
            kwargs["request_credentials"] = FAKE_CREDENTIALS
        else:
            # botocore < 1.32 has no per-request credentials: a copy of the signer holds the
            # fake ones. Either way the real provider is never asked (nor refreshed).
            self = copy.copy(self)
            self._credentials = FAKE_CREDENTIALS
    return patches.get_auth(self, *args, **kwargs)


class _RetryClock:
    """Stands in for the ``time`` module inside ``botocore.endpoint``."""

    def __getattr__(self, name: str) -> Any:
        return getattr(time, name)

    @staticmethod
    def sleep(seconds: float) -> None:
        # botocore sleeps in Endpoint._needs_retry, whose ``response`` argument is the
        # attempt's (http_response, parsed) pair: skip only after an attempt this stub
        # answered, never after one a before-send handler or the network answered.
        response = sys._getframe(1).f_locals.get("response")
        if (
            isinstance(response, tuple)
            and response
            and isinstance(response[0], _StubResponse)
            and response[0].skip_sleep
        ):
            return
        time.sleep(seconds)


def install(current: Current) -> None:
    """Route Connect requests of every botocore client to ``current()``'s handler."""
    global _patches
    if _patches is not None:
        _patches.current = current
        return
    _patches = _Patches(current)
    _Endpoint._send = _send
    _RequestSigner.get_auth_instance = _get_auth_instance
    _endpoint_module.time = _RetryClock()
    _defer_credential_lookups()


def uninstall() -> None:
    """Put back exactly what ``install`` replaced."""
    global _patches
    patches = _patches
    if patches is None:
        return
    _Endpoint._send = patches.send
    _RequestSigner.get_auth_instance = patches.get_auth
    _endpoint_module.time = patches.time
    _restore_credential_lookups()
    _patches = None


# --- credentials: looked up when needed, not when a Connect client is made ----------------

_NOT_LOOKED_UP: Any = object()


class DeferredCredentials:
    """A Connect client's credentials, found by its session's own chain only when needed.

    botocore runs the credential chain when a client is created: environment, config
    files, ``credential_process``, SSO and, last, the instance-metadata service over the
    network. A Connect client created while a stub is active gets this object instead.
    The stub signs its requests with fake credentials, so under a stub the chain never
    runs; it runs once, the first time something uses these credentials (a request signed
    after the stub stopped, or code reading ``client._request_signer._credentials``), and
    its answer is kept, as botocore keeps what it found at creation.
    """

    def __init__(self, look_up: Callable[[], Credentials | None]) -> None:
        self._look_up = look_up
        self._found: Credentials | None = _NOT_LOOKED_UP
        self._lock = threading.Lock()

    def _credentials(self) -> Credentials | None:
        with self._lock:  # threads sharing the client run the chain once between them
            if self._found is _NOT_LOOKED_UP:
                self._found = self._look_up()
            return self._found

    @property
    def method(self) -> str | None:
        """How the chain found them; ``"deferred"`` until it ran, None if it found none.

        botocore reads this while it creates the client (to tell explicit keys apart): that
        must not run the chain.
        """
        found = self._found
        if found is _NOT_LOOKED_UP:
            return "deferred"
        return None if found is None else found.method

    def get_frozen_credentials(self) -> ReadOnlyCredentials | None:
        """What the signer signs with; None when the chain found nothing.

        With None, botocore's signer raises ``NoCredentialsError``, as for a client created
        without credentials.
        """
        found = self._credentials()
        return None if found is None else found.get_frozen_credentials()

    def get_deferred_property(self, name: str) -> Callable[[], Any]:
        """botocore's hook for values it may need later (the account ID of endpoint rules)."""
        return lambda: getattr(self._credentials(), name, None)

    def __getattr__(self, name: str) -> Any:
        # access_key, secret_key, token, account_id, and whatever else the credentials found
        # offer (refresh state of refreshable ones). Private names never run the chain: copy
        # and pickle probe for them.
        if name.startswith("_"):
            raise AttributeError(name)
        found = self._credentials()
        if found is None:
            raise NoCredentialsError()
        return getattr(found, name)


#: The session creating a Connect client in this context (thread, task), if any: its
#: ``get_credentials`` answers DeferredCredentials instead of running the chain.
_creating_connect_client: contextvars.ContextVar[object] = contextvars.ContextVar(
    "connect_stub_creating_connect_client", default=None
)


def _restore_credential_lookups() -> None:
    """Undo ``_defer_credential_lookups`` (nothing to undo until it has run)."""


def _defer_credential_lookups() -> None:
    """Patch ``Session`` so Connect clients made from now on defer their credential lookup.

    ``create_client`` marks the session that makes a Connect client, and ``get_credentials``
    answers that session, within that call only, with DeferredCredentials. Clients of other
    services, clients given keys or ``UNSIGNED`` (botocore asks the chain nothing for those)
    and sessions that already hold credentials are left exactly as botocore makes them.
    ``_restore_credential_lookups`` puts the originals back.
    """
    global _restore_credential_lookups
    session_class: Any = botocore.session.Session
    create_client = session_class.create_client
    get_credentials = session_class.get_credentials
    switched_on = True

    # Plain functions, not functools.wraps: this runs on every first start of a stub, and
    # copying the wrapped functions' attributes would double the cost of entering one.
    def _create_client(self: Any, *args: Any, **kwargs: Any) -> Any:
        service_name = kwargs.get("service_name", args[0] if args else None)
        connect = switched_on and service_name == schema.SERVICE_NAME
        # Set for every client, so another service's client made while a Connect one is
        # being made (an event handler's) still looks its credentials up.
        marker = _creating_connect_client.set(self if connect else None)
        try:
            return create_client(self, *args, **kwargs)
        finally:
            _creating_connect_client.reset(marker)

    def _get_credentials(self: Any) -> Any:
        if (
            switched_on
            and _creating_connect_client.get() is self
            and getattr(self, "_credentials", None) is None
        ):
            return DeferredCredentials(functools.partial(get_credentials, self))
        return get_credentials(self)

    session_class.create_client = _create_client
    session_class.get_credentials = _get_credentials

    def restore() -> None:
        nonlocal switched_on
        switched_on = False  # if another patch still calls into ours, it passes through
        # Put the originals back only where ours are still in place: a patch made over ours
        # (a mock) puts ours back when it ends, and ours then pass straight through.
        if session_class.__dict__.get("create_client") is _create_client:
            session_class.create_client = create_client
        if session_class.__dict__.get("get_credentials") is _get_credentials:
            session_class.get_credentials = get_credentials

    _restore_credential_lookups = restore
