"""Which stubs are active: the process-wide stack, start and stop, leftovers, fork safety.

One stack for the whole process, innermost last: the innermost active stub answers every
client, in every thread. The transports (botocore's, and those of other client libraries in
use) are switched on when the first stub is pushed and off when the last one is popped.
Nothing here imports botocore until a stub starts, so the pytest plugin can read the stack
(through ``sys.modules``) at no cost.
"""

from __future__ import annotations

import os
import sys
import threading
import warnings
import weakref
from typing import TYPE_CHECKING, Any

from . import transports

if TYPE_CHECKING:
    from asyncio import Task

    from .http import Handler
    from .stub import ConnectStub

#: The active stubs, outermost first. Read without the lock (botocore's patched functions,
#: the plugin): each read of a list is atomic. Mutated in place only, so a reference to it
#: stays current.
stack: list[ConnectStub] = []

#: Guards ``stack``, ``_owner`` and the transports switched with them.
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
    """Push ``stub``; the first push switches the transports on."""
    __tracebackhide__ = True
    global _owner

    with _lock:
        if is_active(stub):
            raise RuntimeError(
                "This ConnectStub is already active; stop() it first. " + ONE_STUB_FOR_TASKS
            )
        if stack and _owner != threading.get_ident():
            raise RuntimeError(
                "Another thread has a ConnectStub active. One stub answers the whole "
                "process: start it once, from one thread, and share it."
            )
        _owner = threading.get_ident()
        if not stack:
            transports.switch_on(current)
        stack.append(stub)
        _started_in[id(stub)] = _task()


def stop(stub: ConnectStub) -> None:
    """Pop ``stub``, which must be the innermost; the last pop switches the transports off."""
    __tracebackhide__ = True
    with _lock:
        if not stack or stack[-1] is not stub:
            where = "not the innermost active stub" if is_active(stub) else "not active"
            raise RuntimeError(f"Cannot stop this ConnectStub: it is {where}.")
        _pop([stub])


#: What to do instead of a stub per concurrent task: the stubs form one stack for the
#: whole process, so a task's stub would answer every other task's calls too.
ONE_STUB_FOR_TASKS = (
    "Active stubs form one stack for the whole process, and the innermost answers every "
    "call, whichever task or thread makes it: stubs of concurrent tasks (asyncio.gather, "
    "create_task, threads) would take each other's calls. Start one stub around the tasks "
    "and share it ('async with ConnectStub() as stub: await asyncio.gather(...)'), or use "
    "the connect_stub fixture."
)

#: The stack's length as each ``with`` block of a stub began, innermost block last.
_blocks: weakref.WeakKeyDictionary[ConnectStub, list[int]] = weakref.WeakKeyDictionary()

#: id() of each active stub -> the asyncio task that started it (None outside a task).
_started_in: dict[int, Task[Any] | None] = {}


def _task() -> Task[Any] | None:
    """The running asyncio task, or None (asyncio is not imported for sync code)."""
    asyncio = sys.modules.get("asyncio")
    if asyncio is None:  # pragma: no cover - pytest itself imports asyncio
        return None
    try:
        task: Task[Any] | None = asyncio.current_task()
    except RuntimeError:  # no running event loop in this thread
        return None
    return task


def enter_block(stub: ConnectStub) -> None:
    """Start ``stub`` for a ``with`` block (or a decorated call), remembering where it began."""
    __tracebackhide__ = True
    depth = len(stack)
    start(stub)
    _blocks.setdefault(stub, []).append(depth)


def end_block(stub: ConnectStub, where: str = "the block") -> list[str]:
    """End ``stub``'s innermost block: stop it and what the block started; say what was wrong.

    ``where`` names the block in a leak report ("the block", "the test").

    Everything pushed since the block began goes with it (also when the body stopped the
    stub itself), except stubs of other asyncio tasks still running: stopping those would
    leave their blocks unstubbed. Returns the problems to report, none for a clean end.
    """
    with _lock:
        depths = _blocks.get(stub)
        depth = depths.pop() if depths else len(stack)
        index = next((i for i, active in enumerate(stack) if active is stub), None)
        later = stack[depth if index is None else index + 1 :]
        here = _task()
        others = [active for active in later if _running_elsewhere(active, here)]
        left = [active for active in later if all(active is not o for o in others)]
        ending = left if index is None else [stub, *left]
        if ending:  # nothing to pop: botocore was restored when the stack last emptied
            _pop(ending)
    problems = []
    if index is None:
        problems.append(
            "Cannot stop this ConnectStub: it is not active (stopped inside its block)."
        )
    if left:
        problems.append(leftover_message(len(left), where))
    if others:
        problems.append(
            f"This ConnectStub's block ended while {_count_stubs(len(others))} started later "
            "by another asyncio task, still running, stayed active above it: while both "
            "were active, that stub answered this block's calls. Only this block's own "
            "stubs are stopped. " + ONE_STUB_FOR_TASKS
        )
    return problems


def _running_elsewhere(stub: ConnectStub, here: Task[Any] | None) -> bool:
    task = _started_in.get(id(stub))
    return task is not None and task is not here and not task.done()


def _count_stubs(count: int) -> str:
    return f"{count} ConnectStub{'' if count == 1 else 's'}"


def discard(stubs: list[ConnectStub]) -> None:
    """Stop each of ``stubs`` that is active, wherever it is on the stack."""
    with _lock:
        _pop([stub for stub in stubs if is_active(stub)])


def _pop(stubs: list[ConnectStub]) -> None:
    # The caller holds the lock. Emptying the stack is what switches the transports off; a stub that
    # is mid-call keeps its handler, and new calls pass through (see ``current``).

    stack[:] = [active for active in stack if all(active is not stub for stub in stubs)]
    for stub in stubs:
        _started_in.pop(id(stub), None)
    if not stack:
        transports.switch_off()


def leftover_message(count: int, where: str) -> str:
    """What a leak report says: how many stubs ``where`` left active, and what to do."""
    return (
        f"connect_stub: {where} left {_count_stubs(count)} "
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
