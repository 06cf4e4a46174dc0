"""Which stubs are active: the process-wide stack, start and stop, leftovers, fork safety.

One stack for the whole process, innermost last: the innermost active stub answers every
client, in every thread. botocore is patched when the first stub is pushed and restored when
the last one is popped. Nothing here imports botocore until a stub starts, so the pytest
plugin can read the stack (through ``sys.modules``) at no cost.
"""

from __future__ import annotations

import os
import sys
import threading
import warnings
import weakref
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .http import Handler
    from .stub import ConnectStub

#: The active stubs, outermost first. Read without the lock (botocore's patched functions,
#: the plugin): each read of a list is atomic. Mutated in place only, so a reference to it
#: stays current.
stack: list[ConnectStub] = []

#: Guards ``stack``, ``_owner`` and the botocore patches switched with them.
_lock = threading.Lock()

#: The thread that started the outermost active stub; the only one that may start more.
_owner: int | None = None

#: Every stub made in this process, so a forked child can give each one fresh locks. Weak:
#: tracking a stub never keeps it alive.
_made: weakref.WeakSet[ConnectStub] = weakref.WeakSet()


def track(stub: ConnectStub) -> None:
    """Remember a new stub, so a fork gives its lock a fresh copy in the child."""
    _made.add(stub)


def current() -> tuple[Handler, bool] | None:
    """The innermost active stub's handler and whether it skips retry sleeps, or None."""
    try:
        top = stack[-1]
    except IndexError:  # emptied since botocore called in: pass the request through
        return None
    return top._handler, top.skip_retry_sleep


def is_active(stub: ConnectStub) -> bool:
    """Whether ``stub`` is on the stack."""
    return any(active is stub for active in stack)


def start(stub: ConnectStub) -> None:
    """Push ``stub``; the first push patches botocore."""
    __tracebackhide__ = True
    global _owner
    from .transports import botocore as transport

    with _lock:
        if is_active(stub):
            raise RuntimeError(
                "This ConnectStub is already active; stop() it first. A decorated coroutine "
                "called again while a call of it is still running (asyncio.gather, two tasks) "
                "starts its stub twice: give each task its own stub ('async with "
                "ConnectStub() as stub:' inside the coroutine), or use the connect_stub fixture."
            )
        if stack and _owner != threading.get_ident():
            raise RuntimeError(
                "Another thread has a ConnectStub active. One stub answers the whole "
                "process: start it once, from one thread, and share it."
            )
        _owner = threading.get_ident()
        if not stack:
            transport.install(current)
        stack.append(stub)


def stop(stub: ConnectStub) -> None:
    """Pop ``stub``, which must be the innermost; the last pop restores botocore."""
    __tracebackhide__ = True
    with _lock:
        if not stack or stack[-1] is not stub:
            where = "not the innermost active stub" if is_active(stub) else "not active"
            raise RuntimeError(f"Cannot stop this ConnectStub: it is {where}.")
        _pop([stub])


def stop_through(stub: ConnectStub) -> list[ConnectStub] | None:
    """Stop ``stub`` and every stub started after it; return those (None if it was inactive).

    What a ``with`` block does on exit: whatever its body left active goes with it.
    """
    with _lock:
        for index, active in enumerate(stack):
            if active is stub:
                left = stack[index + 1 :]
                _pop([stub, *left])
                return left
        return None


def discard(stubs: list[ConnectStub]) -> None:
    """Stop each of ``stubs`` that is active, wherever it is on the stack."""
    with _lock:
        _pop([stub for stub in stubs if is_active(stub)])


def _pop(stubs: list[ConnectStub]) -> None:
    # The caller holds the lock. Emptying the stack is what restores botocore; a stub that
    # is mid-call keeps its handler, and new calls pass through (see ``current``).
    from .transports import botocore as transport

    stack[:] = [active for active in stack if all(active is not stub for stub in stubs)]
    if not stack:
        transport.uninstall()


def leftover_message(count: int, where: str) -> str:
    """What a leak report says: how many stubs ``where`` left active, and what to do."""
    return (
        f"connect_stub: {where} left {count} ConnectStub{'' if count == 1 else 's'} "
        "active (started and never stopped); stopped now, so later tests are not stubbed. "
        "Use 'with ConnectStub():', the decorator, or stop() what you start()."
    )


class LeakWarning(UserWarning):
    """A block left a stub active while it was leaving with an exception (Python < 3.11)."""


def tell(error: BaseException, problem: str) -> None:
    """Attach ``problem`` to an exception already on its way, without replacing it."""
    if sys.version_info >= (3, 11):
        error.add_note(problem)
    else:  # pragma: no cover - no exception notes before 3.11: a warning no filter can raise
        with warnings.catch_warnings():
            warnings.simplefilter("always", LeakWarning)
            warnings.warn(problem, LeakWarning, stacklevel=3)


def _after_fork_in_child() -> None:  # pragma: no cover - runs in a child, unmeasured
    """Give the child fresh locks: a thread that held one in the parent does not exist here.

    Without this, a child forked while another thread was inside a stubbed call (or
    starting a stub) waits forever for a lock nobody will release. What that thread was
    recording may be half done in the child; the child's own calls work.
    """
    global _lock, _owner
    _lock = threading.Lock()
    if stack:
        _owner = threading.get_ident()  # the forking thread is the child's only thread
    for stub in list(_made):
        stub._handler.lock = threading.RLock()


if hasattr(os, "register_at_fork"):  # POSIX
    os.register_at_fork(after_in_child=_after_fork_in_child)
