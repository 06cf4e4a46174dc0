"""ConnectStub: the object a test holds to script, inspect and assert on BatchPutContact."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from types import TracebackType
from typing import Any, Callable, TypeVar, overload

from . import activation
from .calls import Call, describe_calls, describe_contacts, mismatches, sent_not_created
from .hints import did_you_mean
from .options import DEFAULT_TOKEN_TTL, Duration, StubOptions, seconds
from .scenario import ErrorStep, ItemMatcher, ItemOutcome, ResponseStep, Scenario, SimulateStep
from .service import Contact, SimulatedService

F = TypeVar("F", bound=Callable[..., Any])
C = TypeVar("C", bound=type)


def _check_choice(kind: str, value: object, valid: Iterable[str]) -> None:
    """Raise ValueError naming the valid choices unless ``value`` is one of them."""
    __tracebackhide__ = True
    choices = list(valid)
    if isinstance(value, str) and value in choices:
        return
    raise ValueError(
        f"Unknown {kind} {value!r}.{did_you_mean(str(value), choices)} "
        f"Valid values: {', '.join(choices)}."
    )


def _check_times(times: int | None) -> None:
    __tracebackhide__ = True
    if times is None or (isinstance(times, int) and not isinstance(times, bool) and times >= 1):
        return
    raise ValueError(f"times must be a whole number >= 1, or None for every time; got {times!r}")


class ConnectStub:
    """Answers every botocore client's BatchPutContact in-process while active.

    Use it through the ``connect_stub`` pytest fixture, or directly, as a context manager
    or a decorator::

        with ConnectStub(strict=True, instances={"inst-1": ["queue-1"]}) as stub:
            client.batch_put_contact(InstanceId="inst-1", ContactDataRequestList=[...])
        assert stub.calls[0].instance_id == "inst-1"

    Options (also accepted by ``@pytest.mark.connect_stub(...)``):

    * ``strict``: unknown instances answer ResourceNotFoundException, unknown queues fail
      with INVALID_QUEUE. Off by default: any instance and queue is accepted.
    * ``instances``: ``{instance_id: [queue_id, ...]}`` known from the start.
    * ``disable_rules``: FailureReasonCodes whose default per-item rule is switched off.
    * ``assert_all_used``: a scripted outcome left unused fails the test (default on).
    * ``seed``: makes ContactIds a repeatable sequence.
    * ``token_ttl``: how long a ClientToken is remembered (default 7 days of the stub's clock).
    * ``skip_retry_sleep``: skip botocore's back-off sleep after an attempt the stub answered
      (default on; botocore still decides whether and how often to retry).
    """

    def __init__(
        self,
        *,
        strict: bool = False,
        instances: Mapping[str, Iterable[str]] | None = None,
        disable_rules: Iterable[str] = (),
        assert_all_used: bool = True,
        seed: int | None = None,
        token_ttl: Duration = DEFAULT_TOKEN_TTL,
        skip_retry_sleep: bool = True,
    ) -> None:
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
        self._calls: list[Call] = []
        self._service = SimulatedService(
            strict=options.strict,
            instances=options.instances,
            disabled=frozenset(options.disable_rules),
            seed=options.seed,
            token_ttl=seconds("token_ttl", options.token_ttl),
        )
        from .http import Handler  # botocore and jsonschema load with the first stub, not before

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
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        __tracebackhide__ = True
        left = activation.stop_through(self)
        if left is None:
            problem = "Cannot stop this ConnectStub: it is not active (stopped inside its block)."
        elif left:
            problem = activation.leftover_message(len(left), "the block")
        else:
            if exc is None and self.assert_all_used:
                self.assert_outcomes_used()
            return
        if exc is None:
            raise RuntimeError(problem)
        # The block's own exception goes on unchanged; the leak rides along with it.
        activation.tell(exc, problem)

    async def __aenter__(self) -> ConnectStub:
        return self.start()

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
        (active from before ``setUp`` to after ``tearDown`` of each test; ``setUpClass`` is
        not covered) or a test class (each ``test*`` method is decorated).
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
        self._service.instances.add(instance_id, queues)

    @property
    def instances(self) -> dict[str, list[str]]:
        """The registered instances and their queues."""
        return self._service.instances.as_dict()

    def advance_clock(self, delta: Duration) -> None:
        """Move the stub's clock forward, e.g. past a ClientToken's 7 days."""
        __tracebackhide__ = True
        self._service.tokens.advance(seconds("delta", delta))

    # --- scripting ---------------------------------------------------------------------------

    def fail(
        self, request: ItemMatcher, code: str, message: str | None = None, *, times: int | None = 1
    ) -> None:
        """Fail the next ``times`` matching items with FailureReasonCode ``code``.

        ``request`` is a RequestIdentifier or a predicate over the ContactDataRequest, e.g.
        ``lambda item: item["CustomerEndpoint"]["Address"] == "+15550100"``. The other items
        of the batch go on as usual. ``times=None`` fails every matching item.
        """
        __tracebackhide__ = True
        from .model import failure_reason_codes

        _check_matcher(request)
        _check_choice("FailureReasonCode", code, failure_reason_codes())
        _check_times(times)
        if message is not None and not isinstance(message, str):
            raise TypeError(f"message must be a string, not {message!r}")
        self._scenario.item_outcomes.append(
            ItemOutcome(times=times, matcher=request, code=code, message=message)
        )

    def succeed(
        self, request: ItemMatcher, *, contact_id: str | None = None, times: int | None = 1
    ) -> None:
        """Create the next ``times`` matching items, whatever the rules say.

        ``contact_id`` chooses the ContactId they get (a fresh UUID otherwise).
        """
        __tracebackhide__ = True
        from .messages import summarize
        from .validation import response_validator

        _check_matcher(request)
        _check_times(times)
        if contact_id is not None:
            if times != 1:
                raise ValueError(
                    "A chosen contact_id names one contact: use times=1 (the default), "
                    f"not times={times!r}"
                )
            probe = {"SuccessfulRequestList": [{"ContactId": contact_id}]}
            problems = response_validator().errors(probe)
            if problems:
                raise ValueError(f"Invalid contact_id: {summarize(problems)}")
        self._scenario.item_outcomes.append(
            ItemOutcome(times=times, matcher=request, contact_id=contact_id)
        )

    def raise_error(
        self,
        code: str,
        message: str | None = None,
        *,
        times: int | None = 1,
        reason: Mapping[str, Any] | None = None,
    ) -> None:
        """Answer the next ``times`` calls with the modeled exception ``code``.

        Any exception shape of the installed Connect model is accepted, with the model's
        HTTP status (LimitExceededException 429, InternalServiceException 500, ...), so
        botocore retries exactly what it would retry against AWS. ``reason`` fills
        InvalidRequestException's ``Reason`` union, e.g.
        ``{"AttachedFileInvalidRequestExceptionReason": "INVALID_FILE_SIZE"}``.
        """
        __tracebackhide__ = True
        from .messages import summarize
        from .model import OPERATION_NAME, error_shapes, operation_error_codes
        from .schema import member_schema
        from .validation import Validator

        shapes = error_shapes()
        if not isinstance(code, str) or code not in shapes:
            ours = operation_error_codes()
            others = [name for name in shapes if name not in ours]
            # This operation's own errors are what a test most likely means; the other
            # shapes stay accepted (and in the hint) but are only counted, not listed.
            raise ValueError(
                f"Unknown error code {code!r}.{did_you_mean(str(code), [*ours, *others])} "
                f"Valid values for {OPERATION_NAME}: {', '.join(ours)}. "
                f"The {len(others)} other exceptions of the Connect model are accepted too."
            )
        _check_times(times)
        if message is not None and not isinstance(message, str):
            raise TypeError(f"message must be a string, not {message!r}")
        shape = shapes[code]
        if reason is not None:
            if "Reason" not in shape.members:
                with_reason = [name for name, s in shapes.items() if "Reason" in s.members]
                applies = (
                    f"reason= applies to {', '.join(with_reason)}."
                    if with_reason  # botocore < 1.34.98 models no Reason at all
                    else "no exception of the installed botocore model has one."
                )
                raise ValueError(f"{code} has no Reason member; {applies}")
            problems = Validator(member_schema(shape.members["Reason"]), suggest=True).errors(
                reason
            )
            if problems:
                raise ValueError(f"Invalid reason for {code}: {summarize(problems)}")
        self._scenario.steps.append(
            ErrorStep(
                times=times,
                code=code,
                message=message if message is not None else f"{code} scripted by connect_stub",
                reason=reason,
            )
        )

    def respond_with(self, response: Mapping[str, Any], *, times: int | None = 1) -> None:
        """Answer the next ``times`` calls with this 200 body, checked against the model."""
        __tracebackhide__ = True
        from .messages import summarize
        from .validation import response_validator

        _check_times(times)
        body = dict(response) if isinstance(response, Mapping) else response
        problems = response_validator().errors(body)
        if problems:
            raise ValueError(f"Invalid BatchPutContact response: {summarize(problems)}")
        self._scenario.steps.append(
            ResponseStep(times=times, body=body, payload=json.dumps(body).encode())
        )

    def simulate(self, *, times: int | None = 1) -> None:
        """Let the simulated service answer the next ``times`` calls.

        A step in a sequence: ``simulate()`` then ``raise_error("InternalServiceException")``
        is "succeed, then fail with 500".
        """
        __tracebackhide__ = True
        _check_times(times)
        self._scenario.steps.append(SimulateStep(times=times))

    # --- inspection --------------------------------------------------------------------------

    @property
    def calls(self) -> list[Call]:
        """Every BatchPutContact HTTP attempt received, retries included, oldest first."""
        with self._handler.lock:
            return list(self._calls)

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

    # --- assertions --------------------------------------------------------------------------

    def assert_called(self, times: int | None = None) -> None:
        """Assert BatchPutContact was called: at least once, or exactly ``times`` times."""
        __tracebackhide__ = True
        calls = self.calls
        if times is None and not calls:
            raise AssertionError("Expected BatchPutContact to be called, but it was not called.")
        if times is not None and len(calls) != times:
            raise AssertionError(
                f"Expected BatchPutContact to be called {_count(times)}; it was called "
                f"{_count(len(calls))}.\n{describe_calls(calls)}"
            )

    def assert_called_once(self) -> None:
        """Assert exactly one BatchPutContact attempt was received."""
        __tracebackhide__ = True
        self.assert_called(times=1)

    def assert_not_called(self) -> None:
        """Assert no BatchPutContact attempt was received."""
        __tracebackhide__ = True
        self.assert_called(times=0)

    def assert_called_with(self, **partial: Any) -> None:
        """Assert the last call's params contain ``partial`` (nested, ``mock.ANY`` allowed)."""
        __tracebackhide__ = True
        calls = self.calls
        if not calls:
            raise AssertionError(f"Expected a call with {partial!r}, but no call was received.")
        problems = list(mismatches(partial, calls[-1].params))
        if problems:
            raise AssertionError(
                "The last BatchPutContact call does not match:\n"
                + "\n".join(f"  {p}" for p in problems)
                + "\n"
                + describe_calls(calls, partial)
            )

    def assert_called_once_with(self, **partial: Any) -> None:
        """Assert exactly one call was received, and its params contain ``partial``.

        As ``unittest.mock``'s: a retried call counts as two (each attempt is a call).
        """
        __tracebackhide__ = True
        calls = self.calls
        if len(calls) != 1:
            raise AssertionError(
                f"Expected BatchPutContact to be called once, with {partial!r}; it was called "
                f"{_count(len(calls))}.\n{describe_calls(calls, partial)}"
            )
        problems = list(mismatches(partial, calls[0].params))
        if problems:
            raise AssertionError(
                "The only BatchPutContact call does not match:\n"
                + "\n".join(f"  {p}" for p in problems)
                + "\n"
                + describe_calls(calls, partial)
            )

    def assert_any_call(self, **partial: Any) -> None:
        """Assert some call's params contain ``partial`` (nested, ``mock.ANY`` allowed)."""
        __tracebackhide__ = True
        calls = self.calls
        if not any(not list(mismatches(partial, call.params)) for call in calls):
            raise AssertionError(
                f"No BatchPutContact call matches {partial!r}.\n" + describe_calls(calls, partial)
            )

    def assert_any_contact(self, **partial: Any) -> None:
        """Assert some created contact contains ``partial`` (nested, ``mock.ANY`` allowed).

        Matches one ContactDataRequest at a time, whichever batch it came in::

            stub.assert_any_contact(CustomerEndpoint={"Address": "+15550100"})

        Items that match but failed (or whose call failed) are named in the message.
        """
        __tracebackhide__ = True
        contacts = list(self.contacts.values())
        if any(next(mismatches(partial, contact), None) is None for contact in contacts):
            return
        lines = [f"No contact created matches {partial!r}."]
        not_created = sent_not_created(self.calls, partial)
        if not_created:
            lines += ["Sent, but not created:", *not_created]
        lines.append(describe_contacts(contacts, partial))
        raise AssertionError("\n".join(lines))

    def assert_outcomes_used(self) -> None:
        """Assert every scripted outcome was used as often as scripted."""
        __tracebackhide__ = True
        unused = self._scenario.unused()
        if unused:
            lines = [
                f"connect_stub: {_count(len(unused), 'scripted outcome')} "
                f"{'was' if len(unused) == 1 else 'were'} not used up:"
            ]
            lines += [f"  - {s.describe()}: {s.usage()}" for s in unused]
            lines.append(
                "Use them, remove them, or opt out with assert_all_used=False: "
                "@pytest.mark.connect_stub(assert_all_used=False) on a test, "
                "pytestmark = pytest.mark.connect_stub(assert_all_used=False) in a module, "
                "or connect_stub_assert_all_used = false in the pytest configuration."
            )
            raise AssertionError("\n".join(lines))

    def __repr__(self) -> str:
        state = "active" if self.active else "inactive"
        return f"<ConnectStub {state}, {_count(len(self._calls), 'call')}, strict={self.strict}>"


def _count(number: int, noun: str = "time") -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _check_matcher(request: object) -> None:
    __tracebackhide__ = True
    if isinstance(request, str) or callable(request):
        return
    raise TypeError(
        "request must be a RequestIdentifier (str) or a predicate taking the "
        f"ContactDataRequest dict; got {request!r}"
    )
