"""The installed botocore service model, turned into JSON Schema and AWS-style messages.

Everything the stub knows about BatchPutContact's shapes, enums, error shapes and HTTP
statuses comes from here, read from whatever botocore is installed, once per process.
Run ``python -m pytest_connect_stub.schema schemas`` to write the snapshot files.
"""

from __future__ import annotations

import functools
import json
import re
import sys
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, Callable, NamedTuple, cast

import botocore
import jsonschema_rs
from botocore.loaders import Loader
from botocore.model import (
    ListShape,
    MapShape,
    OperationModel,
    ServiceModel,
    Shape,
    StringShape,
    StructureShape,
)

from .hints import did_you_mean

SERVICE_NAME = "connect"
OPERATION_NAME = "BatchPutContact"
DIALECT = "https://json-schema.org/draft/2020-12/schema"

JsonObject = dict[str, Any]


@functools.cache
def service_model() -> ServiceModel:
    """Return the Connect service model of the installed botocore (loaded once)."""
    return ServiceModel(Loader().load_service_model(SERVICE_NAME, "service-2"), SERVICE_NAME)


def operation_model() -> OperationModel:
    """Return the BatchPutContact operation model."""
    return service_model().operation_model(OPERATION_NAME)


def _lower_first(name: str) -> str:
    return name[:1].lower() + name[1:]


class _Builder:
    """Converts botocore shapes to JSON Schema, one ``$defs`` entry per container shape."""

    def __init__(self) -> None:
        self.defs: dict[str, JsonObject] = {}

    def schema_for(self, shape: Shape) -> JsonObject:
        if isinstance(shape, (StructureShape, ListShape, MapShape)):
            # Containers go to $defs, so recursive shapes terminate and the snapshot reads well.
            if shape.name not in self.defs:
                self.defs[shape.name] = {}
                self.defs[shape.name] = self._container(shape)
            return {"$ref": f"#/$defs/{shape.name}"}
        return self._scalar(shape)

    def structure(self, shape: StructureShape, members: Mapping[str, Shape]) -> JsonObject:
        schema: JsonObject = {
            "type": "object",
            "properties": {
                member.serialization.get("name", name): self.schema_for(member)
                for name, member in members.items()
            },
            "additionalProperties": False,
        }
        required = [name for name in shape.required_members if name in members]
        if required:
            schema["required"] = required
        if shape.metadata.get("union"):
            schema["minProperties"] = 1
            schema["maxProperties"] = 1
        return schema

    def _container(self, shape: Shape) -> JsonObject:
        meta = shape.metadata
        if isinstance(shape, StructureShape):
            return self.structure(shape, shape.members)
        if isinstance(shape, ListShape):
            schema: JsonObject = {"type": "array", "items": self.schema_for(shape.member)}
            _copy(meta, schema, min="minItems", max="maxItems")
            return schema
        assert isinstance(shape, MapShape)
        schema = {
            "type": "object",
            "propertyNames": self.schema_for(shape.key),
            "additionalProperties": self.schema_for(shape.value),
        }
        _copy(meta, schema, min="minProperties", max="maxProperties")
        return schema

    @staticmethod
    def _scalar(shape: Shape) -> JsonObject:
        meta = shape.metadata
        kind = shape.type_name
        schema: JsonObject
        if kind == "string":
            schema = {"type": "string"}
            _copy(meta, schema, min="minLength", max="maxLength")
            if isinstance(shape, StringShape) and shape.enum:
                schema["enum"] = list(shape.enum)
            pattern = meta.get("pattern")
            if pattern is not None and _is_python_regex(pattern):
                schema["pattern"] = pattern
        elif kind in ("integer", "long"):
            schema = {"type": "integer"}
            _copy(meta, schema, min="minimum", max="maximum")
        elif kind in ("float", "double"):
            schema = {"type": "number"}
            _copy(meta, schema, min="minimum", max="maximum")
        elif kind == "boolean":
            schema = {"type": "boolean"}
        elif kind == "timestamp":
            schema = {"type": ["number", "string"]}
        else:  # blob and anything newer: base64 text on the wire
            schema = {"type": "string"}
        return schema


def _copy(meta: Mapping[str, Any], schema: JsonObject, **names: str) -> None:
    for model_key, schema_key in names.items():
        if model_key in meta:
            schema[schema_key] = meta[model_key]


def _is_python_regex(pattern: str) -> bool:
    # botocore patterns are Java regexes; one Python cannot compile is left out, not mistranslated.
    try:
        re.compile(pattern)
    except re.error:
        return False
    return True


def _document(title: str, root: JsonObject, builder: _Builder) -> JsonObject:
    return {
        "$schema": DIALECT,
        "$id": f"urn:pytest-connect-stub:{SERVICE_NAME}:{OPERATION_NAME}:{title}",
        "title": f"{OPERATION_NAME} {title}",
        "$comment": (
            f"Generated from the {SERVICE_NAME} {service_model().api_version} model of "
            f"botocore {botocore.__version__} by pytest_connect_stub.schema."
        ),
        **root,
        "$defs": dict(sorted(builder.defs.items())),
    }


@functools.cache
def request_schema() -> JsonObject:
    """JSON Schema of BatchPutContact's parameters, as a caller passes them to botocore.

    ``InstanceId`` (sent in the URI) and the body members sit side by side, as in
    ``client.batch_put_contact(**params)``.
    """
    builder = _Builder()
    shape = operation_model().input_shape
    assert shape is not None
    root = builder.structure(shape, shape.members)
    return _document("request", root, builder)


@functools.cache
def response_schema() -> JsonObject:
    """JSON Schema of a successful BatchPutContact response body."""
    builder = _Builder()
    shape = operation_model().output_shape
    assert shape is not None
    root = builder.schema_for(shape)
    return _document("response", root, builder)


def member_schema(shape: Shape) -> JsonObject:
    """A standalone JSON Schema for any shape of the model (used for error members)."""
    builder = _Builder()
    root = builder.schema_for(shape)
    return {"$schema": DIALECT, **root, "$defs": builder.defs}


# --- enums and error shapes -------------------------------------------------------------


def _enum_of(shape_path: tuple[str, ...]) -> tuple[str, ...]:
    shape: Shape | None = operation_model().output_shape
    for name in shape_path:
        if isinstance(shape, ListShape):
            shape = shape.member
        assert isinstance(shape, StructureShape)
        shape = shape.members[name]
    assert isinstance(shape, StringShape)
    return tuple(shape.enum)


@functools.cache
def failure_reason_codes() -> tuple[str, ...]:
    """The FailureReasonCode values of the installed model."""
    return _enum_of(("FailedRequestList", "FailureReasonCode"))


class ErrorShape(NamedTuple):
    """One modeled exception of the Connect service."""

    code: str
    status: int
    members: dict[str, Shape]


@functools.cache
def error_shapes() -> dict[str, ErrorShape]:
    """Every exception shape of the installed Connect model, by error code."""
    found: dict[str, ErrorShape] = {}
    for shape in service_model().error_shapes:
        assert isinstance(shape, StructureShape)
        code = shape.metadata.get("error", {}).get("code", shape.name)
        status = int(shape.metadata.get("error", {}).get("httpStatusCode", 400))
        found[code] = ErrorShape(code, status, dict(shape.members))
    return dict(sorted(found.items()))


def operation_error_codes() -> tuple[str, ...]:
    """The error codes the model lists for BatchPutContact itself."""
    return tuple(shape.name for shape in operation_model().error_shapes)


# --- routing ------------------------------------------------------------------------------


class _Route(NamedTuple):
    method: str
    pattern: re.Pattern[str]
    operation: str
    literal: int


@functools.cache
def _routes() -> tuple[_Route, ...]:
    routes = []
    for name in service_model().operation_names:
        http = service_model().operation_model(name).http
        uri = http["requestUri"].split("?", 1)[0]
        regex = re.sub(
            r"\\\{([A-Za-z0-9_]+)(\\\+)?\\\}",
            lambda m: f"(?P<{m.group(1)}>{'.+' if m.group(2) else '[^/]*'})",
            re.escape(uri),
        )
        literal = len(re.sub(r"\{[^}]*\}", "", uri))
        routes.append(_Route(http["method"], re.compile(regex + "$"), name, literal))
    # BatchPutContact is tried first (the hot path); elsewhere the most literal template wins.
    return tuple(
        sorted(routes, key=lambda route: (route.operation != OPERATION_NAME, -route.literal))
    )


def operation_for(method: str, path: str) -> tuple[str, dict[str, str]] | None:
    """The Connect operation a request's method and path address, with its raw path values."""
    for route in _routes():
        match = route.pattern.search(path) if route.method == method else None
        if match is not None:
            return route.operation, match.groupdict()
    return None


# --- validation ------------------------------------------------------------------------------

#: At most this many clauses are spelled out in one message; the rest are only counted.
MESSAGE_CLAUSES = 10

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
        self.clauses[_clause(value, path, constraint)] = None


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
                "Member must not be null"
                if value is None
                else f"Member must be of type {' or '.join(_JSON_TYPES[n] for n in names)}",
                prefix,
            )
            if "enum" in schema:  # an enum constrains every type; the other keywords don't
                report.add(value, path, _enum(schema["enum"]), prefix)
            return
        limit = _too_many(value, schema)
        if limit is not None:
            # Too many members: the size is the violation. Checking each member too would
            # cost as much as the whole request, for a message nobody reads to the end.
            report.add(value, path, _length("less", limit), prefix)
            return
        for keyword, expected in schema.items():
            if keyword == "properties" and isinstance(value, dict):
                for name, member in expected.items():
                    if name in value:
                        where = path if in_map else _join(path, _lower_first(name))
                        self._check(value[name], member, where, report, in_map, prefix)
            elif keyword == "additionalProperties" and isinstance(value, dict):
                known = schema.get("properties", {})
                for name, member in value.items():
                    if name in known:
                        pass
                    elif expected is False:
                        report.add(
                            member,
                            _join(path, _lower_first(name)),
                            self._unknown(name, value, known),
                        )
                    else:  # a map's value: reported at the map
                        self._check(member, expected, path, report, True, prefix or _MAP_VALUE)
            elif keyword == "propertyNames" and isinstance(value, dict):
                for name in value:
                    self._check(name, expected, path, report, in_map, _MAP_KEYS)
            elif keyword == "required" and isinstance(value, dict):
                for name in expected:
                    if name not in value:
                        report.add(None, _join(path, _lower_first(name)), _NOT_NULL)
            elif keyword == "items" and isinstance(value, list):
                for index, member in enumerate(value):
                    where = path if in_map else _join(path, f"{index + 1}.member")
                    self._check(member, expected, where, report, in_map, prefix)
            else:
                constraint = _broken(keyword, expected, value, schema)
                if constraint is not None:
                    report.add(value, path, constraint, prefix)

    def _unknown(self, name: str, value: dict[str, Any], known: dict[str, Any]) -> str:
        if not self.suggest:
            return _UNKNOWN
        hint = did_you_mean(name, [member for member in known if member not in value])
        return f"{_UNKNOWN}.{hint}" if hint else _UNKNOWN

    def aws_path(self, parts: Iterable[str | int]) -> str:
        """Render a JSON path as AWS does (``list.1.member.field``); stop at a map's keys."""
        words: list[str] = []
        schema = self._resolve(self.schema)
        for part in parts:
            if isinstance(part, int):
                words.append(f"{part + 1}.member")
                schema = self._resolve(schema.get("items", {}))
            elif part in schema.get("properties", {}):
                words.append(_lower_first(part))
                schema = self._resolve(schema["properties"][part])
            else:
                break  # a map key: AWS reports the map itself
        return ".".join(words)

    def _resolve(self, schema: JsonObject) -> JsonObject:
        while "$ref" in schema and "type" not in schema:
            name = schema["$ref"].rsplit("/", 1)[-1]
            schema = cast(JsonObject, self.schema["$defs"][name])
        return schema


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


_UNKNOWN = "Member must be a known field"
_NOT_NULL = "Member must not be null"
_MAP_KEYS = "Map keys must satisfy constraint: "
_MAP_VALUE = "Map value must satisfy constraint: "
#: The size keywords: the type each applies to, and whether it is a minimum.
_SIZES: dict[str, tuple[type, bool]] = {
    "minLength": (str, True),
    "maxLength": (str, False),
    "minItems": (list, True),
    "maxItems": (list, False),
    "minProperties": (dict, True),
    "maxProperties": (dict, False),
}
_JSON_TYPES = {
    "string": "string",
    "integer": "integer",
    "number": "number",
    "boolean": "boolean",
    "array": "list",
    "object": "structure",
    "null": "null",
}


def _length(bound: str, limit: int) -> str:
    return f"Member must have length {bound} than or equal to {limit}"


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
        return _enum(expected)
    elif keyword == "pattern" and isinstance(value, str) and not _regex(expected).search(value):
        return f"Member must satisfy regular expression pattern: {expected}"
    elif keyword in _BOUNDS and _IS_TYPE["number"](value):
        beyond = value < expected if keyword == "minimum" else value > expected
        return (
            f"Member must have value {_BOUNDS[keyword]} than or equal to {expected}"
            if beyond
            else None
        )
    return None


_BOUNDS = {"minimum": "greater", "maximum": "less"}


def _size(schema: JsonObject, keyword: str) -> str:
    if keyword.endswith("Properties") and schema.get("maxProperties") == 1:
        return f"Member must set exactly one of: {', '.join(schema.get('properties', {}))}"
    return _length("greater" if keyword.startswith("min") else "less", schema[keyword])


def _enum(values: list[Any]) -> str:
    return f"Member must satisfy enum value set: [{', '.join(map(str, values))}]"


@functools.cache
def _regex(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def _clause(value: Any, path: str, constraint: str) -> str:
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


@functools.cache
def request_validator() -> Validator:
    """The process-wide validator of BatchPutContact requests."""
    return Validator(request_schema())


@functools.cache
def response_validator() -> Validator:
    """The process-wide validator of BatchPutContact responses."""
    return Validator(response_schema(), suggest=True)


def write_snapshot(folder: Path) -> list[Path]:
    """Write the request and response schemas of the installed botocore to ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, schema in (("request", request_schema()), ("response", response_schema())):
        path = folder / f"batch_put_contact.{name}.json"
        path.write_text(json.dumps(schema, indent=2) + "\n", encoding="utf-8")
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    """Command line: ``python -m pytest_connect_stub.schema [FOLDER]`` (default ``schemas``)."""
    args = sys.argv[1:] if argv is None else argv
    for path in write_snapshot(Path(args[0] if args else "schemas")):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
