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
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, NamedTuple, cast

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
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

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


class Validator:
    """Checks a document against a schema: a compiled fast path, a detailed report on failure."""

    def __init__(self, schema: JsonObject, *, suggest: bool = False) -> None:
        self.schema = schema
        #: Add the closest known member to an unknown one. For what a test scripts (a
        #: respond_with body, a reason); the service's own answers keep AWS's exact words.
        self.suggest = suggest
        self._fast = jsonschema_rs.validator_for(schema)
        self._detailed = Draft202012Validator(schema)

    def errors(self, document: Any) -> list[str]:
        """Return one AWS-style clause per violation; empty when the document is valid."""
        try:
            if self._fast.is_valid(document):
                return []
        except Exception:  # e.g. an int too large for it: the detailed path decides
            pass
        clauses: dict[str, None] = {}
        for error in self._detailed.iter_errors(document):
            for clause in self._clauses(error):
                clauses[clause] = None
        return list(clauses)

    def _clauses(self, error: ValidationError) -> Iterator[str]:
        path, schema, below = self._aws_path(list(error.absolute_path))
        instance: Any = error.instance
        expected: Any = error.validator_value
        error_schema: Any = error.schema
        prefix = ""
        if "propertyNames" in error.schema_path:
            prefix = "Map keys must satisfy constraint: "
        elif below and "propertyNames" in schema:
            # A map value: AWS names the map and says which constraint its values broke.
            prefix = "Map value must satisfy constraint: "
        if error.validator == "required":
            for name in expected:
                if name not in instance:
                    yield _clause(None, _join(path, _lower_first(name)), "Member must not be null")
            return
        if error.validator == "additionalProperties" and expected is False:
            known = error_schema.get("properties", {})
            for name in instance:
                if name not in known:
                    where = _join(path, _lower_first(name))
                    constraint = "Member must be a known field"
                    hint = (
                        did_you_mean(name, [k for k in known if k not in instance])
                        if self.suggest
                        else ""
                    )
                    if hint:
                        constraint += "." + hint
                    yield _clause(instance[name], where, constraint)
            return
        constraint = (
            "Member must not be null"
            if error.validator == "type" and instance is None
            else _constraint(error)
        )
        if prefix:
            constraint = f"{prefix}[{constraint}]"
        yield _clause(error.instance, path, constraint)

    def _aws_path(self, parts: list[Any]) -> tuple[str, JsonObject, bool]:
        """Render a JSON path as AWS does (``list.1.member.field``); stop at a map's keys.

        Also says whether the path goes on below the map (into one of its values).
        """
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
                return ".".join(words), schema, True  # a map key: AWS reports the map itself
        return ".".join(words), schema, False

    def _resolve(self, schema: JsonObject) -> JsonObject:
        while "$ref" in schema and "type" not in schema:
            name = schema["$ref"].rsplit("/", 1)[-1]
            schema = cast(JsonObject, self.schema["$defs"][name])
        return schema


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


_LENGTH = {
    "minLength": "greater than",
    "minItems": "greater than",
    "minProperties": "greater than",
    "maxLength": "less than",
    "maxItems": "less than",
    "maxProperties": "less than",
}
_JSON_TYPES = {
    "string": "string",
    "integer": "integer",
    "number": "number",
    "boolean": "boolean",
    "array": "list",
    "object": "structure",
}


def _constraint(error: ValidationError) -> str:
    kind: Any = error.validator
    value: Any = error.validator_value
    owner: Any = error.schema
    if kind in ("minProperties", "maxProperties") and owner.get("maxProperties") == 1:
        return f"Member must set exactly one of: {', '.join(owner.get('properties', {}))}"
    if kind in _LENGTH:
        return f"Member must have length {_LENGTH[str(kind)]} or equal to {value}"
    if kind == "minimum":
        return f"Member must have value greater than or equal to {value}"
    if kind == "maximum":
        return f"Member must have value less than or equal to {value}"
    if kind == "enum":
        return f"Member must satisfy enum value set: [{', '.join(value)}]"
    if kind == "pattern":
        return f"Member must satisfy regular expression pattern: {value}"
    if kind == "type":
        names = [value] if isinstance(value, str) else list(value)
        return f"Member must be of type {' or '.join(_JSON_TYPES.get(n, n) for n in names)}"
    return f"Member must satisfy constraint: {error.message}"


def _clause(value: Any, path: str, constraint: str) -> str:
    return f"Value {render_value(value)} at '{path}' failed to satisfy constraint: {constraint}"


def render_value(value: Any, limit: int = 120) -> str:
    """Render a value the way AWS validation messages quote it."""
    if value is None:
        return "null"
    try:
        text = value if isinstance(value, str) else json.dumps(value, separators=(",", ":"))
    except (RecursionError, ValueError):  # nested too deep to print: say so instead
        text = f"<{type(value).__name__} nested too deeply to show>"
    if len(text) > limit:
        text = text[:limit] + "..."
    return f"'{text}'"


def summarize(clauses: list[str]) -> str:
    """Join clauses into AWS's ``N validation errors detected: ...`` sentence."""
    noun = "error" if len(clauses) == 1 else "errors"
    return f"{len(clauses)} validation {noun} detected: " + "; ".join(clauses)


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
