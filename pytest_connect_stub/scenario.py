"""Scripted outcomes: what a test told the stub to answer instead of simulating.

Two queues. Whole-call steps (``raise_error``, ``respond_with``, ``simulate``) are taken in
the order they were scripted, one per HTTP attempt. Per-item outcomes (``fail``,
``succeed``) are matched against each ContactDataRequest; the first that matches is used.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .items import Item, ItemAnswer

#: Which items an outcome applies to: a RequestIdentifier, or a predicate over the item.
ItemMatcher = str | Callable[[Item], bool]


class PredicateError(Exception):
    """A predicate given to ``fail()`` or ``succeed()`` raised while matching an item."""


@dataclass
class Scripted:
    """Bookkeeping shared by every scripted outcome: how often, how often used so far."""

    times: int | None
    used: int = field(default=0, init=False)

    @property
    def exhausted(self) -> bool:
        """True when the outcome has been used as often as it was scripted for."""
        return self.times is not None and self.used >= self.times

    def describe(self) -> str:
        """How the test scripted it, in the words of the call that did."""
        raise NotImplementedError

    def usage(self) -> str:
        """``used 1 of 2`` / ``used 0 of every time``."""
        wanted = "every time" if self.times is None else str(self.times)
        return f"used {self.used} of {wanted}"


def _times(times: int | None) -> str:
    return "" if times == 1 else f", times={times}"


@dataclass
class ErrorStep(Scripted):
    """Answer the whole call with a modeled exception."""

    code: str = ""
    message: str = ""
    reason: Mapping[str, Any] | None = None

    def describe(self) -> str:
        reason = "" if self.reason is None else f", reason={dict(self.reason)!r}"
        return f"raise_error({self.code!r}{_times(self.times)}{reason})"


@dataclass
class ResponseStep(Scripted):
    """Answer the whole call with a fixed 200 body."""

    body: dict[str, Any] = field(default_factory=dict)
    #: The body as sent, encoded when scripted: later edits to ``body`` change nothing.
    payload: bytes = b"{}"

    def describe(self) -> str:
        return f"respond_with({self.body!r}{_times(self.times)})"


@dataclass
class SimulateStep(Scripted):
    """Let the simulated service answer (a placeholder in a sequence of steps)."""

    def describe(self) -> str:
        return f"simulate({'' if self.times == 1 else f'times={self.times}'})"


CallStep = ErrorStep | ResponseStep | SimulateStep


@dataclass
class ItemOutcome(Scripted):
    """Fail an item with a FailureReasonCode, or create it with a chosen ContactId."""

    matcher: ItemMatcher = ""
    code: str | None = None
    message: str | None = None
    contact_id: str | None = None

    def matches(self, item: Item) -> bool:
        """Whether this outcome applies to ``item``."""
        if isinstance(self.matcher, str):
            return item.get("RequestIdentifier") == self.matcher
        try:
            return bool(self.matcher(item))
        except Exception as error:
            raise PredicateError(f"the predicate of {self.describe()} raised {error!r}") from error

    def answer(self) -> ItemAnswer:
        """The answer a matching item gets."""
        if self.code is None:
            return ItemAnswer(contact_id=self.contact_id)
        return ItemAnswer(self.code, self.message or f"Contact request failed with {self.code}")

    def describe(self) -> str:
        target = (
            repr(self.matcher)
            if isinstance(self.matcher, str)
            else getattr(self.matcher, "__name__", repr(self.matcher))
        )
        if self.code is not None:
            message = "" if self.message is None else f", message={self.message!r}"
            return f"fail({target}, {self.code!r}{message}{_times(self.times)})"
        chosen = "" if self.contact_id is None else f", contact_id={self.contact_id!r}"
        return f"succeed({target}{chosen}{_times(self.times)})"


class Scenario:
    """The scripted outcomes of one stub, consumed as requests arrive."""

    def __init__(self) -> None:
        self.steps: list[CallStep] = []
        self.item_outcomes: list[ItemOutcome] = []

    def next_step(self) -> CallStep | None:
        """The whole-call step for this attempt, counted as used; None when none is left."""
        for step in self.steps:
            if not step.exhausted:
                step.used += 1
                return step
        return None

    def item_answer(self, item: Item) -> ItemAnswer | None:
        """The answer of the first unexhausted outcome that matches ``item``, counted as
        used; None when no outcome matches."""
        for outcome in self.item_outcomes:
            if not outcome.exhausted and outcome.matches(item):
                outcome.used += 1
                return outcome.answer()
        return None

    def unused(self) -> list[Scripted]:
        """Outcomes scripted for a number of uses they did not get, or never used at all."""
        everything: list[Scripted] = [*self.steps, *self.item_outcomes]
        return [s for s in everything if s.used == 0 or (s.times is not None and not s.exhausted)]

    def clear(self) -> None:
        """Forget every scripted outcome."""
        self.steps.clear()
        self.item_outcomes.clear()
