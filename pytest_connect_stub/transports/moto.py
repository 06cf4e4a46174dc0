"""moto side by side: Connect's BatchPutContact goes past moto's ``before-send`` handler.

moto answers every AWS request of botocore's from a ``before-send`` handler (the
``BotocoreStubber`` that ``moto.core.models`` adds to botocore's built-in handlers), before
the request reaches ``Endpoint._send``. It has no BatchPutContact and answers it ``404 Not
yet implemented``. While a stub is active, that one operation is let through to ``_send``,
where botocore's transport answers it; every other request, Connect's other operations
included, is still moto's. The patch sits on the handler's class, so every client is
covered, whenever it was made and whether moto's handler came from the built-in list or
from ``moto.patch_client``.

In strict mode, an instance that moto's Connect backend holds (created with
``create_instance`` under ``mock_aws``) is known, in the request's account and region: the
account is the one moto itself would give the request (``MOTO_ACCOUNT_ID``, the
``x-moto-account-id`` header, the access key's account), the region the endpoint's.

This module is imported only once moto has been (``OPTIONAL`` in ``transports``).
"""

from __future__ import annotations

import functools
import importlib
import os
import re
import sys
from collections.abc import Callable, Mapping
from typing import Any

from pytest_connect_stub import model, service
from pytest_connect_stub.transports import innermost
from pytest_connect_stub.transports.layers import PatchPoint

#: Where moto keeps its handler. Looked up, not imported by attribute: this module may be
#: loaded while moto's own packages are still initializing (the watched import completes
#: first), when ``moto.core`` has no ``models`` attribute yet.
_moto: Any = importlib.import_module("moto.core.models")


@functools.cache
def _event_name() -> str:
    """The before-send event of BatchPutContact, named as botocore's endpoint names it."""
    operation = model.operation_model()
    return f"before-send.{operation.service_model.service_id.hyphenize()}.{operation.name}"


def _make_call(below: Callable[..., Any]) -> Callable[..., Any]:
    def __call__(self: Any, event_name: str, request: Any, **kwargs: Any) -> Any:
        if event_name == _event_name() and innermost() is not None:
            return None  # no answer here: botocore sends it, and the stub answers at _send
        return below(self, event_name, request, **kwargs)

    return __call__


#: moto's handler is an instance; Python looks ``__call__`` up on its class.
_POINTS = (PatchPoint(type(_moto.botocore_stubber), "__call__", _make_call),)


def active() -> bool:
    """Whether moto's ``mock_aws`` is intercepting botocore's requests right now."""
    return bool(getattr(_moto.botocore_stubber, "enabled", False))


# Strict mode: moto's Connect instances.

#: A request's region, as moto reads it from the endpoint's host name.
_REGION_IN_HOST = re.compile(r"\.(?P<region>[^.]+)\.amazonaws\.com")
#: The access key and region of a SigV4 Authorization header's credential scope.
_SCOPE = re.compile(r"Credential=(?P<key>[^/,\s]+)/[^/]+/(?P<region>[^/]+)/")


def _header(headers: Mapping[str, Any], name: str) -> str:
    for key, value in headers.items():
        if key.lower() == name:
            return value.decode("latin-1") if isinstance(value, bytes) else str(value)
    return ""


def _account(headers: Mapping[str, Any], access_key: str) -> str:
    """The account moto puts the request in, in moto's own order of precedence."""
    if "MOTO_ACCOUNT_ID" in os.environ:
        return os.environ["MOTO_ACCOUNT_ID"]
    account = _header(headers, "x-moto-account-id")
    if account:
        return account
    iam = sys.modules.get("moto.iam.models")  # loaded once moto has answered any request
    if iam is not None and access_key:
        found: str = iam.get_account_id_from(access_key)
        return found
    return str(_moto.DEFAULT_ACCOUNT_ID)


def holds_instance(instance_id: str, url: str, headers: Mapping[str, Any]) -> bool:
    """Whether moto's Connect backend holds ``instance_id`` (ID or ARN) for this request."""
    connect = sys.modules.get("moto.connect.models")
    if connect is None:  # moto never loaded its Connect backend: it holds no instance
        return False
    scope = _SCOPE.search(_header(headers, "authorization"))
    in_host = _REGION_IN_HOST.search(url)
    region = in_host["region"] if in_host else scope["region"] if scope else "us-east-1"
    account = _account(headers, scope["key"] if scope else "")
    # Plain dict reads: moto's BackendDict creates an account's backends when indexed.
    by_account = dict.get(connect.connect_backends, account)
    backend = dict.get(by_account, region) if by_account is not None else None
    instances: dict[str, Any] = getattr(backend, "instances", None) or {}
    if instance_id in instances:
        return True
    return any(getattr(held, "arn", None) == instance_id for held in instances.values())


def install() -> None:
    """Let BatchPutContact past moto's handler while a stub is active."""
    for point in _POINTS:
        point.lay()
    if holds_instance not in service.known_elsewhere:
        service.known_elsewhere.append(holds_instance)


def uninstall() -> None:
    """Give moto's handler back; moto answers BatchPutContact as before."""
    for point in _POINTS:
        point.lift()
    while holds_instance in service.known_elsewhere:
        service.known_elsewhere.remove(holds_instance)
