"""The installed botocore model turned into JSON Schema, and the snapshot files of it.

Run ``python -m pytest_connect_stub.schema schemas`` to write the snapshot files.
"""

from __future__ import annotations

import functools
import json
import re
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import botocore
from botocore.model import ListShape, MapShape, Shape, StringShape, StructureShape

from .model import OPERATION_NAME, SERVICE_NAME, operation_model, service_model

DIALECT = "https://json-schema.org/draft/2020-12/schema"

JsonObject = dict[str, Any]


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
