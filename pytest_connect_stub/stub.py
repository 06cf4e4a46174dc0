"""ConnectStub: the object a test holds to script, inspect and assert on BatchPutContact."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from types import TracebackType
from typing import Any, TypeVar, overload

from . import activation
from .assertions import Assertions
from .calls import Call, CallLog
from .hints import counted
from .options import DEFAULT_TOKEN_TTL, Duration, StubOptions, queue_ids, seconds
from .scenario import Scenario
from .scripting import Scripting
from .service import Contact, SimulatedService

F = TypeVar("F", bound=Callable[..., Any])
C = TypeVar("C", bound=type)

#: The default of ``ConnectStub``'s positional-only parameter: nothing was passed.
_NO_TARGET = object()


class ConnectStub(Scripting, Assertions):
    """Answers every botocore client's BatchPutContact in-process while active.

    Use it through the ``connect_stub`` pytest fixture, or directly, as a context manager
    or a decorator::

        with ConnectStub(strict=True, instances={"inst-1": ["queue-1"]}) as stub:
            client.batch_put_contact(InstanceId="inst-1", ContactDataRequestList=[...])
        assert stub.calls[0].instance_id == "inst-1"

    The options (also taken by ``@pytest.mark.connect_stub(...)`` and the ini file) are
    defined, with their help, in ``pytest_connect_stub.options.StubOptions``. Scripting
    methods come from ``Scripting``, assertions from ``Assertions``.
    """

    def __init__(
        self,
        _target: object = _NO_TARGET,
        /,
        *,
        strict: bool = False,
        instances: Mapping[str, Iterable[str]] | None = None,
        disable_rules: Iterable[str] = (),
        assert_all_used: bool = True,
        seed: int | None = None,
        token_ttl: Duration = DEFAULT_TOKEN_TTL,
        skip_retry_sleep: bool = True,
    ) -> None:
        __tracebackhide__ = True
        if _target is not _NO_TARGET:  # only there to give '@ConnectStub' a clear error
            raise TypeError(
                f"ConnectStub() takes keyword options only, got {_target!r}. As a decorator, "
                "write @ConnectStub() with parentheses (options go inside them)."
            )
        options = StubOptions(
            strict=strict,
            instances=instances,
            disable_rules=disable_rules,
            assert_all_used=assert_all_used,
            seed=seed,
            token_ttl=token_ttl,
            skip_retry_sleep=skip_retry_sleep,
        )
        self.assert_all_used = options.assert_all_used
        self.skip_retry_sleep = options.skip_retry_sleep
        self._scenario = Scenario()
        self._calls = CallLog()
        self._service = SimulatedService(
            strict=options.strict,
            instances=options.instances,
            disabled=frozenset(options.disable_rules),
            seed=options.seed,
            token_ttl=seconds("token_ttl", options.token_ttl),
        )
        from .http import Handler  # botocore and jsonschema-rs load with the first stub

        self._handler = Handler(self._service, self._scenario, self._calls)
        activation.track(self)

    # --- activation ------------------------------------------------------------------------

    @property
    def active(self) -> bool:
        """Whether this stub is answering requests now."""
        return activation.is_active(self)

    def start(self) -> ConnectStub:
        """Start answering BatchPutContact for every botocore client; returns the stub.

        Stubs nest on one thread: the innermost active one answers every client, in every
        thread. Starting a stub twice, or while another thread's stub is active, is an error.
        """
        __tracebackhide__ = True
        activation.start(self)
        return self

    def stop(self) -> None:
        """Stop answering; botocore is restored once no stub is active.

        Only the innermost active stub can be stopped; a ``with`` block stops whatever its
        body left active too.
        """
        __tracebackhide__ = True
        activation.stop(self)

    def __enter__(self) -> ConnectStub:
        __tracebackhide__ = True
        activation.enter_block(self)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        __tracebackhide__ = True
        # Whatever the block started goes with it, even if the body stopped this stub.
        problems = activation.end_block(self)
        if not problems:
            if exc is None and self.assert_all_used:
                self.assert_outcomes_used()
            return
        problem = "\n".join(problems)
        if exc is None:
            raise RuntimeError(problem)
        # The block's own exception goes on unchanged; the problem rides along with it.
        activation.tell(exc, problem)

    async def __aenter__(self) -> ConnectStub:
        __tracebackhide__ = True
        return self.__enter__()

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        __tracebackhide__ = True
        self.__exit__(exc_type, exc, tb)

    @overload
    def __call__(self, target: C) -> C: ...

    @overload
    def __call__(self, target: F) -> F: ...

    def __call__(self, target: object) -> object:
        """Use the stub as a decorator: active, and reset, for each call of ``target``.

        ``target`` is a function, a coroutine function, a ``unittest.TestCase`` subclass
        (active from before ``setUp`` to after ``tearDown`` and cleanups of each test, async
        ones too; ``setUpClass`` is not covered) or a test class (each ``test*`` method is
        decorated). Generator functions are refused: their bodies run after the call.
        """
        __tracebackhide__ = True
        from . import decorators

        return decorators.decorate(self, target)

    # --- the simulated world -----------------------------------------------------------------

    @property
    def disabled_rules(self) -> frozenset[str]:
        """The FailureReasonCodes whose default rule is off (set at construction)."""
        return self._service.disabled

    @property
    def strict(self) -> bool:
        """Whether unknown instances and queues fail as in real Connect."""
        return self._service.strict

    @strict.setter
    def strict(self, value: bool) -> None:
        __tracebackhide__ = True
        if not isinstance(value, bool):
            raise TypeError(f"strict must be True or False, not {value!r}")
        self._service.strict = value

    def add_instance(self, instance_id: str, *, queues: Iterable[str] = ()) -> None:
        """Register a Connect instance and its queues (used in strict mode)."""
        __tracebackhide__ = True
        if not isinstance(instance_id, str) or not instance_id:
            raise ValueError(f"instance_id must be a non-empty string, not {instance_id!r}")
        example = "queues must be a list of queue IDs, e.g. add_instance('inst-1', queues=['q-1'])"
        self._service.instances.add(instance_id, queue_ids(example, instance_id, queues))

    @property
    def instances(self) -> dict[str, list[str]]:
        """The registered instances and their queues."""
        return self._service.instances.as_dict()

    def advance_clock(self, delta: Duration) -> None:
        """Move the stub's clock forward, e.g. past a ClientToken's 7 days."""
        __tracebackhide__ = True
        self._service.tokens.advance(seconds("delta", delta))

    # --- inspection --------------------------------------------------------------------------

    @property
    def calls(self) -> list[Call]:
        """Every BatchPutContact HTTP attempt received, retries included, oldest first."""
        with self._handler.lock:
            return self._calls.read()

    @property
    def contacts(self) -> dict[str, Contact]:
        """ContactId -> the contact created for it."""
        with self._handler.lock:
            return dict(self._service.contacts)

    def reset(self) -> None:
        """Forget calls, contacts, ClientTokens and scripted outcomes; keep the instances."""
        with self._handler.lock:
            self._calls.clear()
            self._scenario.clear()
            self._service.reset()

    def __repr__(self) -> str:
        state = "active" if self.active else "inactive"
        return f"<ConnectStub {state}, {counted(len(self._calls), 'call')}, strict={self.strict}>"
