"""Checking a document against a JSON Schema, with a report in AWS's words when it fails.

The process-wide validators of BatchPutContact's request and response live here too; the
schemas come from ``schema.py``, the wording from ``messages.py``.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable
from typing import Any, cast

import jsonschema_rs

from . import messages
from .hints import did_you_mean
from .schema import JsonObject, request_schema, response_schema

_IS_TYPE: dict[str, Callable[[Any], bool]] = {
    "string": lambda value: isinstance(value, str),
    "integer": lambda value: (
        (isinstance(value, int) and not isinstance(value, bool))
        or (isinstance(value, float) and value.is_integer())
    ),
    "number": lambda value: isinstance(value, (int, float)) and not isinstance(value, bool),
    "boolean": lambda value: isinstance(value, bool),
    "array": lambda value: isinstance(value, list),
    "object": lambda value: isinstance(value, dict),
    "null": lambda value: value is None,
}


class _Report:
    """The clauses of one document, in the order found, each once."""

    __slots__ = ("clauses",)

    def __init__(self) -> None:
        self.clauses: dict[str, None] = {}

    def add(self, value: Any, path: str, constraint: str, prefix: str = "") -> None:
        if prefix:
            constraint = f"{prefix}[{constraint}]"
        self.clauses[messages.clause(value, path, constraint)] = None


class Validator:
    """Checks a document against a schema: a compiled fast path, a detailed report on failure.

    The report walks the schema, not the document: it goes only as deep as the schema does,
    whatever the nesting of the document, and never prints a whole value (see
    ``render_value``). A list or map longer than its schema's maximum is reported as that one
    violation, without checking each of its members, so an oversized request is refused for
    about what it costs to count it.
    """

    def __init__(self, schema: JsonObject, *, suggest: bool = False) -> None:
        self.schema = schema
        #: Add the closest known member to an unknown one. For what a test scripts (a
        #: respond_with body, a reason); the service's own answers keep AWS's exact words.
        self.suggest = suggest
        self._fast = jsonschema_rs.validator_for(schema)

    def is_valid(self, document: Any) -> bool:
        """Whether ``document`` satisfies the schema (the compiled check only)."""
        try:
            return bool(self._fast.is_valid(document))
        except Exception:  # e.g. an int too large for it: the detailed walk decides
            return False

    def errors(self, document: Any) -> list[str]:
        """Return one AWS-style clause per violation; empty when the document is valid."""
        if self.is_valid(document):
            return []
        report = _Report()
        self._check(document, self.schema, "", report)
        return list(report.clauses)

    def _check(
        self,
        value: Any,
        schema: JsonObject,
        path: str,
        report: _Report,
        in_map: bool = False,
        prefix: str = "",
    ) -> None:
        """Add the violations of ``value`` against ``schema`` to ``report``.

        ``path`` is AWS's path of ``value``; below a map it stays the map's path (AWS reports
        a map's keys and values at the map), ``in_map`` says so, and ``prefix`` says whether a
        clause concerns the map's keys or its values. Keywords are checked in the schema's
        order, so clauses come in the order JSON Schema validators report them.
        """
        schema = self._resolve(schema)
        kinds = schema.get("type")
        if kinds is not None and not (
            _IS_TYPE[kinds](value)
            if isinstance(kinds, str)
            else any(_IS_TYPE[kind](value) for kind in kinds)
        ):
            names = [kinds] if isinstance(kinds, str) else kinds
            report.add(
                value,
                path,
                messages.NOT_NULL if value is None else messages.wrong_type(names),
                prefix,
            )
            if "enum" in schema:  # an enum constrains every type; the other keywords don't
                report.add(value, path, messages.enum(schema["enum"]), prefix)
            return
        limit = _too_many(value, schema)
        if limit is not None:
            # Too many members: the size is the violation. Checking each member too would
            # cost as much as the whole request, for a message nobody reads to the end.
            report.add(value, path, messages.length("less", limit), prefix)
            return
        for keyword, expected in schema.items():
            if keyword == "properties" and isinstance(value, dict):
                for name, member in expected.items():
                    if name in value:
                        where = path if in_map else messages.member_path(path, name)
                        self._check(value[name], member, where, report, in_map, prefix)
            elif keyword == "additionalProperties" and isinstance(value, dict):
                known = schema.get("properties", {})
                for name, member in value.items():
                    if name in known:
                        pass
                    elif expected is False:
                        report.add(
                            member,
                            messages.member_path(path, name),
                            self._unknown(name, value, known),
                        )
                    else:  # a map's value: reported at the map
                        self._check(
                            member, expected, path, report, True, prefix or messages.MAP_VALUES
                        )
            elif keyword == "propertyNames" and isinstance(value, dict):
                for name in value:
                    self._check(name, expected, path, report, in_map, messages.MAP_KEYS)
            elif keyword == "required" and isinstance(value, dict):
                for name in expected:
                    if name not in value:
                        report.add(
                            None,
                            messages.member_path(path, name),
                            messages.NOT_NULL,
                        )
            elif keyword == "items" and isinstance(value, list):
                for index, member in enumerate(value):
                    where = path if in_map else messages.join_path(path, f"{index + 1}.member")
                    self._check(member, expected, where, report, in_map, prefix)
            else:
                constraint = _broken(keyword, expected, value, schema)
                if constraint is not None:
                    report.add(value, path, constraint, prefix)

    def _unknown(self, name: str, value: dict[str, Any], known: dict[str, Any]) -> str:
        if not self.suggest:
            return messages.UNKNOWN_MEMBER
        hint = did_you_mean(name, [member for member in known if member not in value])
        return f"{messages.UNKNOWN_MEMBER}.{hint}" if hint else messages.UNKNOWN_MEMBER

    def aws_path(self, parts: Iterable[str | int]) -> str:
        """Render a JSON path as AWS does (``list.1.member.field``); stop at a map's keys."""
        words: list[str] = []
        schema = self._resolve(self.schema)
        for part in parts:
            if isinstance(part, int):
                words.append(f"{part + 1}.member")
                schema = self._resolve(schema.get("items", {}))
            elif part in schema.get("properties", {}):
                words.append(messages.member_name(part))
                schema = self._resolve(schema["properties"][part])
            else:
                break  # a map key: AWS reports the map itself
        return ".".join(words)

    def _resolve(self, schema: JsonObject) -> JsonObject:
        while "$ref" in schema and "type" not in schema:
            name = schema["$ref"].rsplit("/", 1)[-1]
            schema = cast(JsonObject, self.schema["$defs"][name])
        return schema


#: The size keywords: the type each applies to, and whether it is a minimum.
_SIZES: dict[str, tuple[type, bool]] = {
    "minLength": (str, True),
    "maxLength": (str, False),
    "minItems": (list, True),
    "maxItems": (list, False),
    "minProperties": (dict, True),
    "maxProperties": (dict, False),
}
#: The numeric bound keywords, and the word AWS uses for each.
_BOUNDS = {"minimum": "greater", "maximum": "less"}


def _too_many(value: Any, schema: JsonObject) -> int | None:
    """The maximum size a list or map (not a union) is over, if it is."""
    if isinstance(value, list):
        limit = schema.get("maxItems")
    elif isinstance(value, dict) and schema.get("maxProperties") != 1:
        limit = schema.get("maxProperties")
    else:
        return None
    return limit if limit is not None and len(value) > limit else None


def _broken(keyword: str, expected: Any, value: Any, schema: JsonObject) -> str | None:
    """The constraint a scalar keyword says ``value`` breaks, or None.

    As in JSON Schema, a keyword about one type ignores values of the others; only ``enum``
    applies to every value.
    """
    sized = _SIZES.get(keyword)
    if sized is not None:
        if isinstance(value, sized[0]):
            size = len(cast("str | list[Any] | dict[str, Any]", value))
            if size < expected if sized[1] else size > expected:
                return _size(schema, keyword)
    elif keyword == "enum" and value not in expected:
        return messages.enum(expected)
    elif keyword == "pattern" and isinstance(value, str) and not _regex(expected).search(value):
        return messages.pattern(expected)
    elif keyword in _BOUNDS and _IS_TYPE["number"](value):
        beyond = value < expected if keyword == "minimum" else value > expected
        return messages.value_bound(_BOUNDS[keyword], expected) if beyond else None
    return None


def _size(schema: JsonObject, keyword: str) -> str:
    if keyword.endswith("Properties") and schema.get("maxProperties") == 1:
        return messages.one_of(schema.get("properties", {}))
    return messages.length("greater" if keyword.startswith("min") else "less", schema[keyword])


@functools.cache
def _regex(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


@functools.cache
def request_validator() -> Validator:
    """The process-wide validator of BatchPutContact requests."""
    return Validator(request_schema())


@functools.cache
def response_validator() -> Validator:
    """The process-wide validator of BatchPutContact responses."""
    return Validator(response_schema(), suggest=True)
