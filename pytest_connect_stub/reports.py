"""What assertion failures say: partial matching of records, and how records are shown."""

from __future__ import annotations

import pprint
from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from .hints import counted, did_you_mean

if TYPE_CHECKING:
    from .calls import Call
    from .service import Contact


def mismatches(expected: Any, actual: Any, path: str = "") -> Iterator[str]:
    """Yield one line per place where ``actual`` does not contain ``expected``.

    Mappings match partially (only the expected keys are compared, at every depth);
    lists match item by item and must have the same length; anything else, including
    ``unittest.mock.ANY``, compares with ``==``. A missing key is given the closest key
    ``actual`` has and ``expected`` does not name, as a likely misspelling.
    """
    if isinstance(expected, Mapping) and isinstance(actual, Mapping):
        for key, value in expected.items():
            where = f"{path}.{key}" if path else str(key)
            if key not in actual:
                spare = [str(k) for k in actual if k not in expected]
                hint = did_you_mean(str(key), spare)
                yield (
                    f"{where}: expected {shown(value)}, but it is missing"
                    f"{'.' + hint if hint else ''}"
                )
            else:
                yield from mismatches(value, actual[key], where)
    elif (
        isinstance(expected, Sequence)
        and isinstance(actual, Sequence)
        and not isinstance(expected, str)
        and not isinstance(actual, str)
    ):
        if len(expected) != len(actual):
            yield f"{path}: expected {len(expected)} items, got {len(actual)}"
            return
        for index, (want, got) in enumerate(zip(expected, actual, strict=False)):
            yield from mismatches(want, got, f"{path}[{index}]")
    elif expected != actual:  # expected first, so mock.ANY decides
        yield f"{path}: expected {shown(expected)}, got {shown(actual)}"


#: How many records a failure message shows in full; past that, the closest ones only.
SHOWN = 3
#: A string longer than this is cut, as AWS's own messages cut values at 120 characters.
VALUE_LIMIT = 120
#: How many items of a list, and members of a mapping, a message shows of one record.
ITEMS_SHOWN = 3
MEMBERS_SHOWN = 10
#: How many differences a message lists for one record; the rest are counted.
DIFFERENCES_SHOWN = 5
#: Deeper than this, a record's data is shown as ``...`` (requests nest under 10 levels).
DEPTH_SHOWN = 20


class _Shown:
    """Stands in for what a message leaves out: its repr is the text given."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return self.text


def brief(value: Any, depth: int = 0) -> Any:
    """``value`` as a message shows it: long strings cut, long lists and mappings shortened.

    Small values come back equal, so they print exactly as ``repr`` prints them; the size of
    a message no longer grows with the size of each call.
    """
    if isinstance(value, str):
        if len(value) <= VALUE_LIMIT:
            return value
        return _Shown(f"{value[:VALUE_LIMIT]!r}... ({len(value)} characters)")
    if isinstance(value, Mapping):
        if depth >= DEPTH_SHOWN:
            return _Shown("{...}")
        entries = list(value.items())
        kept: dict[Any, Any] = {
            brief(key, depth + 1): brief(member, depth + 1)
            for key, member in entries[:MEMBERS_SHOWN]
        }
        if len(entries) > MEMBERS_SHOWN:
            kept[_Shown("...")] = _Shown(f"and {len(entries) - MEMBERS_SHOWN} more members")
        return kept
    if isinstance(value, (list, tuple)):
        if depth >= DEPTH_SHOWN:
            return _Shown("[...]")
        items = [brief(item, depth + 1) for item in value[:ITEMS_SHOWN]]
        if len(value) > ITEMS_SHOWN:
            items.append(_Shown(f"... and {len(value) - ITEMS_SHOWN} more items"))
        return type(value)(items) if isinstance(value, tuple) else items
    return value


def shown(value: Any) -> str:
    """A value on one line of a message: ``repr`` of its ``brief`` form."""
    return repr(brief(value))


def capped(lines: list[str], noun: str, limit: int = DIFFERENCES_SHOWN) -> list[str]:
    """The first ``limit`` lines, and a count of the others."""
    if len(lines) <= limit:
        return lines
    hidden = len(lines) - limit
    return [*lines[:limit], f"... and {counted(hidden, 'more ' + noun)}"]


class Record(NamedTuple):
    """One record as a failure message lists it: a heading and the data compared."""

    heading: str
    data: Mapping[str, Any]


def describe_calls(calls: Sequence[Call], expected: Mapping[str, Any] | None = None) -> str:
    """The calls received, with what differs from ``expected`` when given.

    Up to ``SHOWN`` calls are listed in full; past that, the count and the closest ones.
    """
    if not calls:
        return "No BatchPutContact call was received."
    records = [
        Record(
            f"attempt {call.attempt}, answered {call.error_code or call.status_code}", call.params
        )
        for call in calls
    ]
    return describe("Calls received", "call", records, expected)


def describe_contacts(contacts: Sequence[Contact], expected: Mapping[str, Any]) -> str:
    """The contacts created, with what differs from ``expected`` (as ``describe_calls``)."""
    if not contacts:
        return "No contact was created."
    records = [
        Record(f"ContactId {contact.contact_id!r} on instance {contact.instance_id!r}", contact)
        for contact in contacts
    ]
    return describe("Contacts created", "contact", records, expected)


def describe(
    title: str, noun: str, records: Sequence[Record], expected: Mapping[str, Any] | None
) -> str:
    """List records in full, each with its differences; past ``SHOWN``, only the closest.

    Closest means fewest differing places (the earliest first among equals); with nothing
    expected, the first ones.
    """
    problems = [[] if expected is None else list(mismatches(expected, r.data)) for r in records]
    order = list(range(len(records)))
    if len(records) <= SHOWN:
        lines = [f"{title} ({len(records)}):"]
    else:
        if expected is None:
            lines = [f"{title} ({len(records)}); the first {SHOWN}:"]
        else:
            order.sort(key=lambda index: len(problems[index]))
            lines = [f"{title} ({len(records)}); the {SHOWN} closest to the expected:"]
        order = order[:SHOWN]
    for index in order:
        lines.append(f"  [{index}] {records[index].heading}:")
        body = pprint.pformat(brief(dict(records[index].data)), width=88, sort_dicts=False)
        lines.extend("        " + line for line in body.splitlines())
        differences = capped([f"differs at {p}" for p in problems[index]], "difference")
        lines.extend(f"      {line}" for line in differences)
    hidden = len(records) - len(order)
    if hidden:
        lines.append(f"  ... and {counted(hidden, 'more ' + noun)}, not shown.")
    return "\n".join(lines)


def sent_not_created(calls: Sequence[Call], expected: Mapping[str, Any]) -> list[str]:
    """Why each sent item that matches ``expected`` made no contact, one line each."""
    lines: list[str] = []
    for index, call in enumerate(calls):
        failed = {
            entry.get("RequestIdentifier"): entry
            for entry in call.response.get("FailedRequestList", ())
            if isinstance(entry, Mapping)
        }
        for position, item in enumerate(call.contact_requests):
            if next(mismatches(expected, item), None) is not None:
                continue
            entry = failed.get(item.get("RequestIdentifier"))
            if call.error_code is not None:
                why = f"the call was answered {call.error_code}"
            elif entry is not None:
                why = f"failed with {entry.get('FailureReasonCode')}: "
                why += str(entry.get("FailureReasonMessage"))
            else:  # e.g. answered by respond_with(), which creates no contact
                why = "answered without creating a contact"
            lines.append(f"  call [{index}] item [{position}]: {why}")
    if len(lines) > SHOWN:
        hidden = len(lines) - SHOWN
        lines[SHOWN:] = [f"  ... and {hidden} more, not shown."]
    return lines
