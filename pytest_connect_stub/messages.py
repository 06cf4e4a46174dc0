"""AWS's words for validation failures: member paths, clauses, quoted values, the summary.

A failing request is answered ``N validation errors detected: Value '...' at 'path' failed to
satisfy constraint: ...``. ``validation.py`` finds the violations; this module words them.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

#: At most this many clauses are spelled out in one message; the rest are only counted.
MESSAGE_CLAUSES = 10

UNKNOWN_MEMBER = "Member must be a known field"
NOT_NULL = "Member must not be null"
#: Prefixes of a clause about a map's keys or values (AWS reports both at the map's path).
MAP_KEYS = "Map keys must satisfy constraint: "
MAP_VALUES = "Map value must satisfy constraint: "

#: JSON Schema's type names -> the words AWS uses for them.
_AWS_TYPE_NAMES = {
    "string": "string",
    "integer": "integer",
    "number": "number",
    "boolean": "boolean",
    "array": "list",
    "object": "structure",
    "null": "null",
}


def member_name(name: str) -> str:
    """A member's name as AWS paths spell it: its first letter lower-cased."""
    return name[:1].lower() + name[1:]


def join_path(path: str, name: str) -> str:
    """``path.name``, or ``name`` at the top of the document."""
    return f"{path}.{name}" if path else name


def member_path(path: str, name: str) -> str:
    """The AWS path of member ``name`` (as the model spells it) of the value at ``path``."""
    return join_path(path, member_name(name))


def wrong_type(kinds: list[str]) -> str:
    """The constraint a value of none of the JSON Schema types ``kinds`` breaks."""
    return f"Member must be of type {' or '.join(_AWS_TYPE_NAMES[kind] for kind in kinds)}"


def length(bound: str, limit: int) -> str:
    """A size constraint; ``bound`` is ``greater`` for a minimum, ``less`` for a maximum."""
    return f"Member must have length {bound} than or equal to {limit}"


def value_bound(bound: str, limit: Any) -> str:
    """A numeric constraint; ``bound`` is ``greater`` for a minimum, ``less`` for a maximum."""
    return f"Member must have value {bound} than or equal to {limit}"


def one_of(names: Any) -> str:
    """A union's constraint: exactly one of its members is set."""
    return f"Member must set exactly one of: {', '.join(names)}"


def enum(values: list[Any]) -> str:
    """An enum constraint, listing the values."""
    return f"Member must satisfy enum value set: [{', '.join(map(str, values))}]"


def pattern(regex: str) -> str:
    """A pattern constraint, quoting the model's regular expression."""
    return f"Member must satisfy regular expression pattern: {regex}"


def clause(value: Any, path: str, constraint: str) -> str:
    """One violation: the value (quoted, cut short), where it is, and what it breaks."""
    return f"Value {render_value(value)} at '{path}' failed to satisfy constraint: {constraint}"


def render_value(value: Any, limit: int = 120) -> str:
    """Render a value the way AWS validation messages quote it: its first ``limit`` characters.

    Only what is shown is rendered, without recursion, so a huge or deeply nested value
    costs no more than a small one.
    """
    if value is None:
        return "null"
    if isinstance(value, str):
        text = value
    elif type(value) is int:  # the common scalars, without json's machinery
        text = _json_scalar(value, limit)
    else:
        text = _json_prefix(value, limit)
    if len(text) > limit:
        text = text[:limit] + "..."
    return f"'{text}'"


def _json_prefix(value: Any, limit: int) -> str:
    """``json.dumps(value, separators=(",", ":"))``, or at least its first ``limit + 1``
    characters when it is longer."""
    out: list[str] = []
    size = 0
    # Each frame: the container's remaining entries, whether it is an object, and
    # whether an entry was written yet.
    frames: list[tuple[Iterator[Any], bool, list[bool]]] = []
    pending: Any = value
    have_pending = True
    while size <= limit:
        if have_pending:
            have_pending = False
            if isinstance(pending, dict):
                frames.append((iter(pending.items()), True, [False]))
                text = "{"
            elif isinstance(pending, (list, tuple)):
                frames.append((iter(pending), False, [False]))
                text = "["
            else:
                text = _json_scalar(pending, limit)
        elif frames:
            entries, is_object, written = frames[-1]
            entry: Any = next(entries, _END)
            if entry is _END:
                frames.pop()
                text = "}" if is_object else "]"
            else:
                text = "," if written[0] else ""
                written[0] = True
                if is_object:
                    key, pending = entry
                    text += _json_scalar(key if isinstance(key, str) else str(key), limit) + ":"
                else:
                    pending = entry
                have_pending = True
        else:
            break
        out.append(text)
        size += len(text)
    return "".join(out)


_END = object()


def _json_scalar(value: Any, limit: int) -> str:
    if isinstance(value, str):
        # Escaping only ever lengthens a string: its first limit + 1 characters are enough.
        return json.dumps(value[: limit + 1])
    if type(value) is int and value.bit_length() < 64:  # as json prints it, for less
        return str(value)
    try:
        return json.dumps(value)
    except (TypeError, ValueError):  # not JSON, or an int too long to print
        return f"<{type(value).__name__}>"


def summarize(clauses: list[str], shown: int = MESSAGE_CLAUSES) -> str:
    """Join clauses into AWS's ``N validation errors detected: ...`` sentence.

    Only the first ``shown`` clauses are spelled out; the count covers all of them, and
    ``; and 3 more`` ends a message that leaves some out.
    """
    noun = "error" if len(clauses) == 1 else "errors"
    text = f"{len(clauses)} validation {noun} detected: " + "; ".join(clauses[:shown])
    if len(clauses) > shown:
        text += f"; and {len(clauses) - shown} more"
    return text
