"""``@ConnectStub(...)`` on functions, coroutine functions, TestCase classes and test classes.

Each decorated call (each test, for a class) starts from a reset stub, as moto's
``mock_aws`` does, so a parametrized or repeated test sees only its own calls.
"""

from __future__ import annotations

import functools
import inspect
import unittest
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from . import activation

if TYPE_CHECKING:
    from .stub import ConnectStub

WHAT_CAN_BE_DECORATED = (
    "a function, a coroutine function, a unittest.TestCase subclass, or a test class "
    "(whose test* methods are each decorated)"
)


def decorate(stub: ConnectStub, target: object) -> object:
    """Return ``target`` with ``stub`` active, and reset, around each of its calls or tests."""
    __tracebackhide__ = True
    if isinstance(target, type):
        if issubclass(target, unittest.TestCase):
            return _test_case(stub, target)
        return _test_class(stub, target)
    if inspect.iscoroutinefunction(target):
        return _coroutine(stub, target)
    if callable(target):
        return _function(stub, target)
    raise TypeError(f"ConnectStub() decorates {WHAT_CAN_BE_DECORATED}; got {target!r}.")


def _fresh(stub: ConnectStub, name: str) -> None:
    """Reset ``stub`` for a new call of ``name``, refusing a call that overlaps another."""
    __tracebackhide__ = True
    if stub.active:
        # Resetting would wipe the records of the call still running.
        raise RuntimeError(
            f"This ConnectStub is already active: {name} was called while an "
            "earlier call of it, decorated with the same stub, is still running (overlapping "
            "calls: asyncio.gather, tasks or threads). A stub's records belong to one run: "
            "give each call its own stub ('with ConnectStub() as stub:' or 'async with "
            "ConnectStub() as stub:' inside the function), or use the connect_stub fixture."
        )
    stub.reset()


def _name(func: Callable[..., Any]) -> str:
    return getattr(func, "__qualname__", None) or repr(func)


def _function(stub: ConnectStub, func: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(func)
    def run(*args: Any, **kwargs: Any) -> Any:
        __tracebackhide__ = True
        _fresh(stub, _name(func))
        with stub:
            return func(*args, **kwargs)

    return run


def _coroutine(stub: ConnectStub, func: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(func)
    async def run(*args: Any, **kwargs: Any) -> Any:
        __tracebackhide__ = True
        _fresh(stub, _name(func))
        async with stub:
            return await func(*args, **kwargs)

    return run


def _test_case(stub: ConnectStub, cls: type[unittest.TestCase]) -> type[unittest.TestCase]:
    """Active from before ``setUp`` to after ``tearDown`` of each test, reset before ``setUp``.

    Stopped by a cleanup, which unittest runs after ``tearDown``, and also when ``setUp``
    itself fails (when ``tearDown`` does not run).
    """
    set_up = cls.setUp

    @functools.wraps(set_up)
    def setUp(case: unittest.TestCase) -> None:
        _fresh(stub, f"{type(case).__qualname__}.setUp")
        stub.start()
        case.addCleanup(_end_test, stub, case)
        set_up(case)

    # setattr: mypy refuses a plain assignment to a method.
    setattr(cls, "setUp", _noting_failure(setUp))  # noqa: B010
    setattr(cls, "tearDown", _noting_failure(cls.tearDown))  # noqa: B010
    for name, method in _test_methods(cls).items():
        setattr(cls, name, _noting_failure(method))
    return cls


#: Set on a TestCase instance whose setUp, test or tearDown raised: unittest's own verdict
#: is not readable from a cleanup.
_FAILED = "_connect_stub_failed"


def _noting_failure(method: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(method)
    def run(case: unittest.TestCase, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(case, *args, **kwargs)
        except BaseException:
            setattr(case, _FAILED, True)
            raise

    return run


def _end_test(stub: ConnectStub, case: unittest.TestCase) -> None:
    __tracebackhide__ = True
    left = activation.stop_through(stub)
    if left:
        raise RuntimeError(activation.leftover_message(len(left), "the test"))
    # A failed test gets no second error about outcomes it never reached.
    if left is not None and not getattr(case, _FAILED, False) and stub.assert_all_used:
        stub.assert_outcomes_used()


def _test_methods(cls: type) -> dict[str, Callable[..., Any]]:
    """The ``test*`` functions of ``cls``, inherited ones too."""
    return {
        name: method
        for name in dir(cls)
        if name.startswith("test")
        and inspect.isfunction(method := inspect.getattr_static(cls, name))
    }


def _test_class(stub: ConnectStub, cls: type) -> type:
    """Decorate each ``test*`` method (inherited ones too) of a plain test class."""
    __tracebackhide__ = True
    methods = _test_methods(cls)
    if not methods:
        raise TypeError(
            f"ConnectStub() decorates {WHAT_CAN_BE_DECORATED}; {cls.__qualname__} is a "
            "class with no test* method."
        )
    for name, method in methods.items():
        setattr(cls, name, decorate(stub, method))
    return cls
