"""Scripting: what a test tells the stub to answer, checked where the test writes it.

``Scripting`` is a base of ``ConnectStub``: its methods add scripted outcomes to the stub's
``Scenario`` (see scenario.py for how they are used up). Every argument is checked at once,
so a typo raises at the test's own line, naming the valid values.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from .bodies import SURROGATE, escaped, write_json
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
        _check_message(message)
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
            if isinstance(contact_id, str):
                _check_unicode("contact_id", contact_id)
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
        _check_message(message)
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
            _check_document(f"Invalid reason for {code}", reason)
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
        _check_document("Invalid BatchPutContact response", body)
        problems = response_validator().errors(body)
        if problems:
            raise ValueError(f"Invalid BatchPutContact response: {summarize(problems)}")
        self._scenario.steps.append(ResponseStep(times=times, body=body, payload=write_json(body)))

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
    if isinstance(request, str):
        # A RequestIdentifier the stub would refuse in a request could never match one.
        _check_unicode("request", request)
        return
    if callable(request):
        return
    raise TypeError(
        "request must be a RequestIdentifier (str) or a predicate taking the "
        f"ContactDataRequest dict; got {request!r}"
    )


def _check_message(message: object) -> None:
    __tracebackhide__ = True
    if message is None:
        return
    if not isinstance(message, str):
        raise TypeError(f"message must be a string, not {message!r}")
    _check_unicode("message", message)


def _check_unicode(name: str, text: str) -> None:
    """Refuse text with a lone surrogate: the stub refuses it in requests, as AWS does, so a
    scripted answer must not send it either."""
    __tracebackhide__ = True
    found = SURROGATE.search(text)
    if found is not None:
        raise ValueError(
            f"{name} is not valid Unicode: it holds the lone surrogate "
            f"{escaped(found.group())} at index {found.start()}."
        )


def _check_document(problem: str, document: object) -> None:
    """Refuse a scripted JSON document that no HTTP answer could carry.

    Member names must be strings (the validator reads them as such), and no string or name
    may hold a lone surrogate. Walked with a stack: a deep document costs no recursion.
    """
    __tracebackhide__ = True
    # Each entry: a value, its path, and whether it is a member name rather than a value.
    stack: list[tuple[object, str, bool]] = [(document, "", False)]
    while stack:
        node, path, is_name = stack.pop()
        if isinstance(node, str):
            found = SURROGATE.search(node)
            if found is not None:
                where = f"the {'member name' if is_name else 'string'} at '{path}'"
                raise ValueError(
                    f"{problem}: {where if path else 'the document'} is not valid Unicode: it "
                    f"holds the lone surrogate {escaped(found.group())} at index "
                    f"{found.start()}."
                )
        elif isinstance(node, Mapping):
            entries = list(node.items())
            for key, _ in entries:
                if not isinstance(key, str):
                    where = f"in '{path}'" if path else "at the top"
                    raise TypeError(f"{problem}: member names are strings; got {key!r} {where}.")
            # Reversed onto the stack, so the first problem in document order is named.
            for key, value in reversed(entries):
                # Escaped in the path, so that the message itself stays printable.
                shown = key.encode("utf-8", "backslashreplace").decode("utf-8")
                inner = f"{path}.{shown}" if path else shown
                stack.append((value, inner, False))
                stack.append((key, inner, True))
        elif isinstance(node, (list, tuple)):
            stack.extend(
                (value, f"{path}[{index}]", False)
                for index, value in reversed(list(enumerate(node)))
            )
