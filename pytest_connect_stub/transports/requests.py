"""``requests`` traffic to Connect, answered through ``responses``.

Code that signs a request by hand (botocore's ``SigV4Auth``, aws-requests-auth, ...) and
sends it with ``requests`` to Connect's endpoint gets the stub's answer, built by a private
``responses.RequestsMock`` of the stub's: a requests ``Response`` as ``responses`` makes it,
with a mounted ``Retry``'s status retries played as ``responses`` plays them. Nothing else is
touched: every other request goes on to whatever would have answered it (a user's
``responses`` mock, moto's, or the network), unanswered and unrecorded by the stub.

Two class-level patches, laid as layers (``layers.PatchPoint``) that pass everything through
while no stub is active:

* ``HTTPAdapter.send``, where ``responses`` itself patches ``requests``. It sees Connect's
  requests when no ``responses`` mock was started after the stub.
* ``RequestsMock._on_request``, where every ``responses`` mock (a user's, ``@responses.
  activate``'s, moto's) handles a request. It sees them when such a mock was started after
  the stub and so sits on top of ``HTTPAdapter.send``. The stub registers nothing on that
  mock: its ``calls`` and ``assert_all_requests_are_fired`` never see the stub's traffic.

While moto's ``mock_aws`` is active, moto keeps Connect's other operations, as it does for
botocore's clients (``transports.moto``); without moto they are answered as not stubbed,
so no Connect request leaves the process.

This module is imported only once ``requests`` has been (``OPTIONAL`` in ``transports``);
it imports ``responses`` before laying anything, so ``responses`` records the real
``HTTPAdapter.send`` as the one to pass through to.
"""

from __future__ import annotations

import contextvars
import functools
import importlib
import json
import re
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from botocore.loaders import Loader
from requests.adapters import HTTPAdapter

from pytest_connect_stub import model
from pytest_connect_stub.routes import operation_for
from pytest_connect_stub.transports import innermost
from pytest_connect_stub.transports.layers import PatchPoint

if TYPE_CHECKING:
    import responses
    from requests import PreparedRequest, Response

    from pytest_connect_stub.http import Handler


@functools.cache
def connect_url() -> re.Pattern[str]:
    """URLs of Connect's endpoints, from the installed model's endpoint rules and partitions.

    ``connect.us-east-1.amazonaws.com``, its FIPS and dual-stack forms, and those of every
    partition botocore knows (``amazonaws.com.cn``, ...).
    """
    loader = Loader()
    rules = json.dumps(loader.load_service_model(model.SERVICE_NAME, "endpoint-rule-set-1"))
    partitions = loader.load_data("partitions")["partitions"]
    hosts = []
    for template in sorted(set(re.findall(r"https://([^/\"]+)", rules))):
        parts = []
        for literal, token in re.findall(r"([^{]*)(?:\{([^}]*)\}|$)", template):
            parts.append(re.escape(literal))
            if token.lower().endswith("dnssuffix"):
                key = token.rsplit("#", 1)[-1]
                suffixes = sorted({p["outputs"][key] for p in partitions}, key=len, reverse=True)
                parts.append(f"(?:{'|'.join(map(re.escape, suffixes))})")
            elif token:  # the region, or anything else the rules fill in: one DNS label
                parts.append(r"[A-Za-z0-9-]+")
        hosts.append("".join(parts))
    return re.compile(rf"https?://(?:{'|'.join(hosts)})(?::\d+)?(?:[/?#]|$)", re.IGNORECASE)


def _moto_active() -> bool:
    # Only when moto was imported (and so its transport loaded): never imports it.
    moto = sys.modules.get("pytest_connect_stub.transports.moto")
    return moto is not None and bool(moto.active())


def _handler_for(request: PreparedRequest) -> Handler | None:
    """The active stub's handler if ``request`` is Connect's and the stub's to answer."""
    url = request.url
    if not isinstance(url, str) or connect_url().match(url) is None:
        return None
    current = innermost()
    if current is None:
        return None
    if _moto_active():
        route = operation_for(request.method or "", urlsplit(url).path)
        if route is None or route[0] != model.OPERATION_NAME:
            return None  # moto's, as for botocore's clients
    return current[0]


#: The handler answering the request that the private mock is building a response for.
_answering: contextvars.ContextVar[Handler] = contextvars.ContextVar("connect_stub_answering")


def _callback(request: PreparedRequest) -> tuple[int, dict[str, str], bytes]:
    answer = _answering.get().handle(
        request.method or "", str(request.url), dict(request.headers), request.body
    )
    return answer.status, answer.headers, answer.body


def _private_mock(responses: Any) -> Any:
    """The stub's own mock: never started, so it patches nothing; it only builds answers."""
    mock = responses.RequestsMock(assert_all_requests_are_fired=False)
    for method in ("POST", "PUT", "GET", "DELETE", "PATCH", "HEAD", "OPTIONS"):
        mock.add(
            responses.CallbackResponse(
                method, url=connect_url(), callback=_callback, content_type=None
            )
        )
    return mock


#: The stub's private ``responses.RequestsMock`` and its send, made by the first install
#: (the layers are laid only after them, so nothing reaches ``_answer`` before).
_mock: responses.RequestsMock | None = None
_mock_send: Callable[..., Response] | None = None


def _answer(handler: Handler, adapter: Any, request: Any, *args: Any, **kwargs: Any) -> Response:
    send = _mock_send
    assert send is not None  # made before any layer was laid
    token = _answering.set(handler)
    try:
        response = send(adapter, request, *args, **kwargs)
    finally:
        _answering.reset(token)
    return response


def _make_send(below: Callable[..., Any]) -> Callable[..., Any]:
    def send(adapter: Any, request: Any, *args: Any, **kwargs: Any) -> Any:
        handler = _handler_for(request)
        if handler is None:
            return below(adapter, request, *args, **kwargs)
        return _answer(handler, adapter, request, *args, **kwargs)

    return send


def _make_on_request(below: Callable[..., Any]) -> Callable[..., Any]:
    def _on_request(self: Any, adapter: Any, request: Any, **kwargs: Any) -> Any:
        handler = None if self is _mock else _handler_for(request)
        if handler is None:
            return below(self, adapter, request, **kwargs)
        return _answer(handler, adapter, request, **kwargs)

    return _on_request


#: Laid in this order: ``RequestsMock._on_request``'s is added once ``responses`` is loaded.
_POINTS = [PatchPoint(HTTPAdapter, "send", _make_send)]


def _loaded_responses() -> Any:
    """``responses``, imported if need be; None while its own import is still running.

    ``requests`` finishes importing in the middle of ``responses``'s import (responses
    imports it first). Laying a layer then would have ``responses`` take the layer for the
    real ``HTTPAdapter.send`` it passes through to; its own completion installs this
    transport again (``OPTIONAL["responses"]``).
    """
    module = sys.modules.get("responses")
    if module is None:
        module = importlib.import_module("responses")
    # ``mock`` (the default RequestsMock) is made near the end of responses's module code.
    return module if getattr(module, "mock", None) is not None else None


def install() -> None:
    """Answer Connect's requests sent with ``requests`` from the innermost active stub.

    Called again when ``responses`` completes its import; laying is idempotent.
    """
    global _mock, _mock_send
    loaded = _loaded_responses()
    if loaded is None:
        return
    if _mock is None:
        _mock = _private_mock(loaded)
        _mock_send = _mock.unbound_on_send()
        _POINTS.append(PatchPoint(loaded.RequestsMock, "_on_request", _make_on_request))
    for point in _POINTS:
        point.lay()


def uninstall() -> None:
    """Take the layers off; what the stub's mock kept of its answers goes with them."""
    for point in _POINTS:
        point.lift()
    if _mock is not None:
        _mock.calls.reset()
        for registered in _mock.registered():
            registered.calls.reset()
