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
    if inspect.isgeneratorfunction(target) or inspect.isasyncgenfunction(target):
        # Calling one only makes a generator: the stub would be off again before the body
        # runs, while the generator is iterated.
        raise TypeError(
            f"ConnectStub() decorates {WHAT_CAN_BE_DECORATED}; {_name(target)} is a "
            "generator function, whose body runs only as it is iterated, after the "
            "decorated call has returned. Write 'with ConnectStub() as stub:' inside it."
        )
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
            "calls: asyncio.gather, tasks or threads). Decorate the function that runs them "
            "all instead. " + activation.ONE_STUB_FOR_TASKS
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


#: Set on each decorated TestCase class: its stub. Read through the class of the test, so
#: the most derived decorated class's stub wins over its bases'.
_STUB = "_connect_stub"

#: Set on a TestCase's ``run`` once it starts the stub, so a subclass decorated again
#: keeps one wrapper (which reads the subclass's stub) instead of nesting two.
_WRAPS_RUN = "_connect_stub_wraps_run"

#: Set on a TestCase while its run has the stub active: a ``run`` a subclass overrides and
#: that calls ours through ``super()`` does not start it twice.
_RUNNING = "_connect_stub_running"


def _test_case(stub: ConnectStub, cls: type[unittest.TestCase]) -> type[unittest.TestCase]:
    """Active from before ``setUp`` to after ``tearDown`` and cleanups, reset before ``setUp``.

    ``run`` is wrapped rather than ``setUp``, which a subclass may override without calling
    ``super()``; it covers async tests and ``asyncSetUp`` of an IsolatedAsyncioTestCase too.
    """
    setattr(cls, _STUB, stub)
    if not getattr(cls.run, _WRAPS_RUN, False):
        setattr(cls, "run", _stubbed_run(cls.run))  # noqa: B010 - mypy refuses assigning a method
    return cls


def _stubbed_run(run: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(run)
    def stubbed(case: unittest.TestCase, result: Any = None) -> Any:
        __tracebackhide__ = True
        if getattr(case, _RUNNING, False):
            return run(case, result)
        if result is None:  # what unittest's run does for a result of its own making
            made = case.defaultTestResult()
            getattr(made, "startTestRun", lambda: None)()
            try:
                stubbed(case, made)
            finally:
                getattr(made, "stopTestRun", lambda: None)()
            return made
        stub: ConnectStub = getattr(type(case), _STUB)
        _fresh(stub, case.id())
        verdict = _Verdict(result, _expects_failure(case))
        activation.enter_block(stub)
        setattr(case, _RUNNING, True)
        ended = False

        def end() -> None:
            # A cleanup: unittest runs it after tearDown and the test's own cleanups (it was
            # added first), and reports what it raises as the test's error.
            __tracebackhide__ = True
            nonlocal ended
            ended = True
            problems = activation.end_block(stub, "the test")
            if problems:
                raise RuntimeError("\n".join(problems))
            # A failed test gets no second error about outcomes it never reached.
            if stub.assert_all_used and not verdict.failed and not _failed_before_report(case):
                stub.assert_outcomes_used()

        case.addCleanup(end)
        try:
            return run(case, verdict)
        finally:
            setattr(case, _RUNNING, False)
            if not ended:  # a skipped test: unittest ran no cleanup
                case.doCleanups()

    setattr(stubbed, _WRAPS_RUN, True)
    return stubbed


def _failed_before_report(case: unittest.TestCase) -> bool:
    """Whether a part of the test failed that unittest has not reported yet.

    Before Python 3.11, unittest keeps a test's errors (subtests' too) and skips on its
    ``_outcome`` and reports them only after the cleanups, so the result saw nothing yet.
    """
    outcome = getattr(case, "_outcome", None)
    errors = getattr(outcome, "errors", None) or []
    return any(exc_info is not None for _, exc_info in errors) or bool(
        getattr(outcome, "skipped", None)
    )


def _expects_failure(case: unittest.TestCase) -> bool:
    """Whether ``case`` runs a test marked ``@unittest.expectedFailure`` (or in such a class)."""
    method = getattr(case, case._testMethodName, None)
    return any(
        getattr(marked, "__unittest_expecting_failure__", False) for marked in (case, method)
    )


class _Verdict:
    """The test's result object, passed through, noting whether a part of the test failed.

    A cleanup cannot read unittest's verdict; a skipped test or an expected failure counts
    as failed here too (its outcomes were never reached).
    """

    _FAILING = frozenset({"addError", "addFailure", "addSkip", "addExpectedFailure"})

    def __init__(self, result: Any, expects_failure: bool) -> None:
        self.result = result
        # unittest reports an expected failure only after the cleanups have run.
        self.failed = expects_failure

    def __getattr__(self, name: str) -> Any:
        # Only what the result has: unittest checks for optional methods with getattr.
        found = getattr(self.result, name)
        if name in self._FAILING:
            return self._noting(found)
        if name == "addSubTest":
            return self._noting_sub_test(found)
        return found

    def _noting(self, add: Callable[..., Any]) -> Callable[..., Any]:
        def noted(*args: Any) -> Any:
            self.failed = True
            return add(*args)

        return noted

    def _noting_sub_test(self, add: Callable[..., Any]) -> Callable[..., Any]:
        def noted(test: Any, subtest: Any, error: Any) -> Any:
            self.failed = self.failed or error is not None
            return add(test, subtest, error)

        return noted


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
