"""Transports: one thin adapter per client library, each handing requests to ``http.Handler``.

``botocore`` patches botocore's HTTP send, signer, retry sleep and client creation; it is
switched on with the first stub. The others are optional: each is needed only once its
library has been imported (``OPTIONAL`` maps the module whose import calls for it to the
transport's own module). When the first stub starts, every optional transport whose library
is already imported is switched on; one imported later, while a stub is active, is switched
on as soon as its import completes (``imports.ImportWatcher``). The last stub to stop
switches them all off. No transport is imported before a stub starts, so loading the pytest
plugin costs nothing, and a library the process never imports is never imported by the stub.

A transport module has two functions: ``install()``, after which its library's Connect
requests go to the handler :func:`innermost` gives (or pass through when it gives None), and
``uninstall()``, which puts the library back as it was. Every transport asks
:func:`innermost`; none keeps a copy of what is active.
"""

from __future__ import annotations

import importlib
import sys
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

from . import imports

if TYPE_CHECKING:
    from pytest_connect_stub.http import Handler

#: Returns the handler of the innermost active stub, and whether it skips retry sleeps; None
#: when no stub is active (the transport then passes the request through).
Current = Callable[[], "tuple[Handler, bool] | None"]


class Transport(Protocol):
    """What a transport module provides."""

    def install(self) -> None:
        """Route the library's Connect requests to the handler :func:`innermost` gives."""

    def uninstall(self) -> None:
        """Put the library back as it was."""


#: The module whose import calls for a transport -> that transport's module. Watched names
#: are modules the transport patches, so they are fully executed before it is installed.
OPTIONAL: dict[str, str] = {
    # moto's before-send handler is made in moto.core.models, which every moto import runs.
    "moto.core.models": "pytest_connect_stub.transports.moto",
    # requests loads its adapters before its package import completes. The transport
    # answers through responses, which imports requests first: when requests completes
    # inside responses's import, the transport waits for responses to complete.
    "requests": "pytest_connect_stub.transports.requests",
    "responses": "pytest_connect_stub.transports.requests",
    # The session module, not the endpoint: aiobotocore.session is the last of the modules
    # that transport patches to finish importing (it imports the endpoint and the signer).
    "aiobotocore.session": "pytest_connect_stub.transports.aiobotocore",
}

#: The transport every stub needs; imported when the first stub starts (it imports botocore).
_BOTOCORE = "pytest_connect_stub.transports.botocore"

#: The transports switched on, by the module that called for them (botocore's under "").
_installed: dict[str, Transport] = {}

#: What the active transports ask; None while switched off.
_current: Current | None = None


def innermost() -> tuple[Handler, bool] | None:
    """The innermost active stub's handler and whether it skips retry sleeps; None when off.

    Read once per request by every transport's layers: a stop in another thread may switch
    the transports off meanwhile, and a layer still reachable then passes the request on.
    """
    find = _current
    return find() if find is not None else None


#: Guards ``_installed`` and ``_current``: a watched import may finish in any thread.
_lock = threading.RLock()


def switch_on(current: Current) -> None:
    """Install botocore's transport and each optional one whose library is imported."""
    global _current
    # Looked up rather than imported on every start: starting a stub stays cheap.
    botocore: Transport = sys.modules.get(_BOTOCORE) or importlib.import_module(_BOTOCORE)

    with _lock:
        _current = current
        botocore.install()
        _installed[""] = botocore
        waiting = False
        for trigger in OPTIONAL:
            if trigger in sys.modules:
                _install(trigger)
            else:
                waiting = True
        if waiting:
            imports.watch(OPTIONAL, _imported)
    _drain()


def switch_off() -> None:
    """Uninstall every transport switched on, and stop watching imports."""
    global _current
    with _lock:
        _current = None
        imports.unwatch()
        while _installed:
            _installed.popitem()[1].uninstall()


def _install(trigger: str) -> None:
    # The caller holds the lock.
    if _current is None or trigger in _installed:
        return
    transport: Transport = importlib.import_module(OPTIONAL[trigger])
    transport.install()
    _installed[trigger] = transport


#: Watched modules that finished importing while another thread held the lock.
_finished: set[str] = set()


def _imported(trigger: str) -> None:
    """A watched module finished importing: switch its transport on if stubs are still on.

    Never waits for the lock: its holder may itself be waiting for this very import (a
    stub starting in another thread imports the transport, which imports the library).
    The import is noted instead, and whoever holds the lock installs it on leaving.
    """
    _finished.add(trigger)
    _drain()


def _drain() -> None:
    """Install the transports of noted imports, unless another thread holds the lock.

    Each holder drains after releasing, and each noter tries after noting, so no noted
    import is left behind.
    """
    while _finished and _lock.acquire(blocking=False):
        try:
            while _finished:
                _install(_finished.pop())
        finally:
            _lock.release()
