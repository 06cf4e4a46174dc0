"""Assertions over what the stub received and created, in the words of ``unittest.mock``.

``Assertions`` is a base of ``ConnectStub``; the messages come from calls.py, and every helper
hides its own frame so that pytest points at the test's line.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .calls import Call
from .hints import counted
from .reports import (
    capped,
    describe_calls,
    describe_contacts,
    mismatches,
    sent_not_created,
    shown,
)
from .scenario import Scenario

if TYPE_CHECKING:
    from .service import Contact


class Assertions:
    """The assertion methods of ConnectStub."""

    _scenario: Scenario

    @property
    def calls(self) -> list[Call]:
        """Every BatchPutContact HTTP attempt received (defined by ConnectStub)."""
        raise NotImplementedError

    @property
    def contacts(self) -> dict[str, Contact]:
        """ContactId -> the contact created (defined by ConnectStub)."""
        raise NotImplementedError

    def assert_called(self, times: int | None = None) -> None:
        """Assert BatchPutContact was called: at least once, or exactly ``times`` times."""
        __tracebackhide__ = True
        _check_times(times)
        calls = self.calls
        if times is None and not calls:
            raise AssertionError("Expected BatchPutContact to be called, but it was not called.")
        if times is not None and len(calls) != times:
            raise AssertionError(
                f"Expected BatchPutContact to be called {counted(times, 'time')}; it was called "
                f"{counted(len(calls), 'time')}.\n{describe_calls(calls)}"
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
            raise AssertionError(
                f"Expected a call with {shown(partial)}, but no call was received."
            )
        _check_matches("The last", calls[-1], calls, partial)

    def assert_called_once_with(self, **partial: Any) -> None:
        """Assert exactly one call was received, and its params contain ``partial``.

        As ``unittest.mock``'s: a retried call counts as two (each attempt is a call).
        """
        __tracebackhide__ = True
        calls = self.calls
        if len(calls) != 1:
            raise AssertionError(
                f"Expected BatchPutContact to be called once, with {shown(partial)}; it was called "
                f"{counted(len(calls), 'time')}.\n{describe_calls(calls, partial)}"
            )
        _check_matches("The only", calls[0], calls, partial)

    def assert_any_call(self, **partial: Any) -> None:
        """Assert some call's params contain ``partial`` (nested, ``mock.ANY`` allowed)."""
        __tracebackhide__ = True
        calls = self.calls
        if not any(not list(mismatches(partial, call.params)) for call in calls):
            raise AssertionError(
                f"No BatchPutContact call matches {shown(partial)}.\n"
                + describe_calls(calls, partial)
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
        lines = [f"No contact created matches {shown(partial)}."]
        lines += _attribute_notes(partial)
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
                f"connect_stub: {counted(len(unused), 'scripted outcome')} "
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


#: What a contact carries beside its ContactDataRequest: request-level names -> attributes.
_CONTACT_ATTRIBUTES = {
    "InstanceId": "instance_id",
    "ContactId": "contact_id",
    "ClientToken": "client_token",
}


def _attribute_notes(partial: dict[str, Any]) -> list[str]:
    """Say where a name of the request, not of its items, is found on a contact."""
    folded = {name.lower(): attribute for name, attribute in _CONTACT_ATTRIBUTES.items()}
    notes = []
    for key in partial:
        attribute = folded.get(str(key).lower())
        if attribute is not None:
            notes.append(
                f"{key} is not in a ContactDataRequest: it is each contact's .{attribute} "
                "attribute; check it on connect_stub.contacts.values() instead."
            )
    return notes


def _check_times(times: object) -> None:
    """Refuse a ``times`` that no number of calls could equal, naming what is accepted."""
    __tracebackhide__ = True
    accepted = "times must be a whole number >= 0, or None for at least once"
    if times is None:
        return
    if isinstance(times, bool) or not isinstance(times, int):
        raise TypeError(f"{accepted}; got {times!r}")
    if times < 0:
        raise ValueError(f"{accepted}; got {times!r}")


def _check_matches(which: str, call: Call, calls: list[Call], partial: dict[str, Any]) -> None:
    """Raise AssertionError listing where ``call`` differs from ``partial``, if it does."""
    __tracebackhide__ = True
    problems = list(mismatches(partial, call.params))
    if problems:
        raise AssertionError(
            f"{which} BatchPutContact call does not match:\n"
            + "\n".join(f"  {p}" for p in capped(problems, "difference"))
            + "\n"
            + describe_calls(calls, partial)
        )
