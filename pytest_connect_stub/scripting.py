"""Scripting: what a test tells the stub to answer, checked where the test writes it.

``Scripting`` is a base of ``ConnectStub``: its methods add scripted outcomes to the stub's
``Scenario`` (see scenario.py for how they are used up). Every argument is checked at once,
so a typo raises at the test's own line, naming the valid values.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from .hints import did_you_mean
from .scenario import ErrorStep, ItemMatcher, ItemOutcome, ResponseStep, Scenario, SimulateStep


class Scripting:
    """The scripting methods of ConnectStub."""

    _scenario: Scenario

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


def _check_matcher(request: object) -> None:
    __tracebackhide__ = True
    if isinstance(request, str) or callable(request):
        return
    raise TypeError(
        "request must be a RequestIdentifier (str) or a predicate taking the "
        f"ContactDataRequest dict; got {request!r}"
    )
