"""JSON in and out: reading a request body and whether the schema accepts it; writing answers.

Two readers, one answer. orjson is the faster reader (``benchmarks/README.md``), and a valid
request is all but every request a test sends, so orjson reads first; the standard library
reads whatever orjson or the schema refuses, and decides what is said of it. The two agree
on every document orjson accepts except for integers past 64 bits, which orjson reads as
floats: a body in which a number can stand in a valid request (see ``_number_members``) is
left to the standard library alone.
"""

from __future__ import annotations

import functools
import json
import re
from typing import Any, NamedTuple
from urllib.parse import unquote

import orjson

from .schema import JsonObject, request_schema
from .validation import request_validator

#: What a transport may hand over as a request body. Only bytes (or bytearray), a str that
#: encodes as UTF-8, or None can be read; anything else is answered as an invalid request.
Body = object

#: How deeply a request body may nest. BatchPutContact's own shapes nest under 10 levels, so
#: only a broken request comes near it. A fixed limit, checked without recursion, gives the
#: same answer on every Python, whatever its recursion limit or the caller's stack depth.
MAX_NESTING = 100
TOO_DEEP = "The request body is nested too deeply to read."


#: Python's types of decoded JSON -> their JSON names, for saying what a body is instead.
_JSON_NAME_OF_TYPE = {
    dict: "object",
    list: "array",
    str: "string",
    bool: "boolean",
    type(None): "null",
}


def body_bytes(body: Body) -> tuple[bytes, str | None]:
    """The bytes of a request body, or what keeps it from being read as bytes."""
    if body is None:
        return b"", None
    if isinstance(body, bytes):
        return body, None
    if isinstance(body, bytearray):
        return bytes(body), None  # a copy: the sender may reuse its buffer
    if isinstance(body, str):
        try:
            return body.encode("utf-8"), None
        except UnicodeEncodeError as error:
            return b"", (
                "The request body is a str that is not valid Unicode: it holds the lone "
                f"surrogate {escaped(error.object[error.start])} at index {error.start}."
            )
    kind = type(body)
    module = kind.__module__.lstrip("_")  # io.BytesIO lives in _io
    name = kind.__qualname__ if module == "builtins" else f"{module}.{kind.__qualname__}"
    return b"", f"The request body must be bytes or str, not {name}."


class Decoded(NamedTuple):
    """A request as the caller passed it, or what keeps it from being read."""

    #: InstanceId (from the path) beside the body's members; the path alone when the body
    #: could not be read.
    params: dict[str, Any]
    problem: str | None = None
    #: Whether the compiled schema check passed it (False when it was not run).
    valid: bool = False
    #: Whether orjson read it: then it holds no number, and ``read_again`` may use orjson.
    fast: bool = False


def request_params(instance_id: str, members: dict[str, Any]) -> dict[str, Any]:
    """The request as ``client.batch_put_contact(**params)`` takes it: InstanceId first."""
    params = {"InstanceId": instance_id}
    params.update(members)
    return params


def read_again(body: bytes, fast: bool) -> Any:
    """The JSON of a body already read once, read as it was (``Decoded.fast``)."""
    return orjson.loads(body) if fast else json.loads(body.decode("utf-8"))


def decode(raw_instance_id: str, body: bytes) -> Decoded:
    """Read a request from its path's InstanceId and its body."""
    try:
        instance_id = unquote(raw_instance_id, errors="strict")
    except UnicodeDecodeError:
        return Decoded(
            {"InstanceId": unquote(raw_instance_id, errors="replace")},
            "The InstanceId in the request path is not valid percent-encoded UTF-8.",
        )
    unread = {"InstanceId": instance_id}  # what to record of a body that cannot be read
    if not body:
        return Decoded(unread)
    accepted = _read_valid(instance_id, body)
    if accepted is not None:
        return Decoded(accepted, None, valid=True, fast=True)
    try:
        # UTF-8 only, as AWS JSON protocols are; json.loads(bytes) would also guess UTF-16/32.
        data = json.loads(body.decode("utf-8"))
    except ValueError as error:
        return Decoded(unread, f"The request body is not valid JSON: {error}")
    except RecursionError:  # deeper than this interpreter's json reads, so past MAX_NESTING
        return Decoded(unread, TOO_DEEP)
    if not isinstance(data, dict):
        kind = _JSON_NAME_OF_TYPE.get(type(data), "number")
        return Decoded(unread, f"The request body must be a JSON object, not {kind}.")
    if "InstanceId" in data:
        return Decoded(unread, "InstanceId belongs in the request path, not in the body.")
    params = request_params(instance_id, data)
    # A request the schema accepts nests only as deep as the model's shapes: the depth is
    # measured only for one it rejects.
    valid = request_validator().is_valid(params)
    if not valid and _deeper_than(data, MAX_NESTING):
        return Decoded(unread, TOO_DEEP)
    # Most bodies hold no backslash at all: looking for one byte is many times faster.
    if b"\\" in body and _SURROGATE_ESCAPE.search(body):
        lone = _lone_surrogate(data)
        if lone is not None:
            where = f"the string at '{lone[0]}'" if lone[0] else "a member name"
            return Decoded(
                unread,
                f"The request body is not valid Unicode: {where} holds the lone surrogate "
                f"{escaped(lone[1])}.",
            )
    return Decoded(params, None, valid)


#: Bodies longer than this go to the standard library only. A refused body is read twice
#: (orjson, then the standard library): little for a test's usual request, but it made
#: refusing 100,000 items (6 MB) up to four times slower (``benchmarks/bench_reject.py``).
FAST_READ_MAX_BYTES = 1 << 20


def _read_valid(instance_id: str, body: bytes) -> dict[str, Any] | None:
    """The request, if orjson reads ``body`` and the schema accepts it; None otherwise."""
    if len(body) > FAST_READ_MAX_BYTES:
        return None
    numbers = _number_members()
    # One byte is found many times faster than two: any escape at all, not just ``\\u``.
    if numbers is None or (numbers and (b"\\" in body or any(n in body for n in numbers))):
        return None
    try:
        data = orjson.loads(body)
    except orjson.JSONDecodeError:
        return None
    if type(data) is not dict or "InstanceId" in data:
        return None
    params = request_params(instance_id, data)
    return params if request_validator().is_valid(params) else None


@functools.cache
def _number_members() -> frozenset[bytes] | None:
    """The quoted names of the request's members whose values hold numbers.

    A valid request holds numbers only under these names: a body naming none of them (and
    with no escape, as ``\\u`` escapes could spell a name otherwise) holds no number that orjson
    and the standard library could read differently. None: a number could stand where no
    name is known in advance (a map's value), so orjson never reads first.
    """
    schema = request_schema()
    defs: dict[str, JsonObject] = schema.get("$defs", {})
    names: set[str] = set()
    for shape in (schema, *defs.values()):
        for name, member in shape.get("properties", {}).items():
            if _holds_numbers(member, defs):
                names.add(name)
        values = shape.get("additionalProperties")
        if isinstance(values, dict) and _holds_numbers(values, defs):
            return None
    return frozenset(json.dumps(name).encode() for name in names)


def _holds_numbers(schema: JsonObject, defs: dict[str, JsonObject]) -> bool:
    """Whether a value of ``schema`` is a number, or a list of them (through ``$ref``)."""
    ref = schema.get("$ref")
    if isinstance(ref, str):
        schema = defs[ref.rsplit("/", 1)[-1]]
    kinds = schema.get("type")
    kinds = {kinds} if isinstance(kinds, str) else set(kinds or ())
    if kinds & {"integer", "number"}:
        return True
    return "array" in kinds and _holds_numbers(schema.get("items", {}), defs)


def _deeper_than(data: Any, limit: int) -> bool:
    """Whether ``data`` nests more than ``limit`` levels (level by level, not recursively)."""
    level = [data]
    for _ in range(limit):
        level = [
            child
            for node in level
            for child in (node.values() if isinstance(node, dict) else node)
            if isinstance(child, (dict, list))
        ]
        if not level:
            return False
    return True


#: A JSON escape of a UTF-16 surrogate: how a lone one gets into a decoded str (raw bytes of
#: one are not UTF-8, and fail to decode). Paired ones, which JSON uses for emoji, also match.
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89abcdefABCDEF]")
#: A UTF-16 surrogate in a Python str: one that pairs with nothing, so it has no UTF-8 form.
SURROGATE = re.compile("[\ud800-\udfff]")


def _lone_surrogate(data: dict[str, Any]) -> tuple[str, str] | None:
    """The AWS path and character of the first lone surrogate in a key or string of ``data``.

    AWS services refuse text that is not valid Unicode, as they refuse bytes that are not
    UTF-8: a lone surrogate is refused wherever it is, however long the string around it.
    """
    stack: list[tuple[Any, tuple[str | int, ...]]] = [(data, ())]
    while stack:
        node, parts = stack.pop()
        if isinstance(node, str):
            found = SURROGATE.search(node)
            if found is not None:
                return request_validator().aws_path(parts), found.group()
        elif isinstance(node, dict):
            for key, value in reversed(node.items()):
                stack.append((value, (*parts, key)))
                stack.append((key, (*parts, key)))
        elif isinstance(node, list):
            stack.extend(
                (value, (*parts, index)) for index, value in reversed(list(enumerate(node)))
            )
    return None


def escaped(character: str) -> str:
    """A character as a message shows a lone surrogate: ``\\ud800``."""
    return f"\\u{ord(character):04x}"


def write_json(document: dict[str, Any]) -> bytes:
    """Compact JSON, as AWS writes it: every answer to a Connect request is written here.

    orjson writes it, unless the document holds what orjson cannot write (a lone surrogate
    in the text of a fault inside the stub).
    """
    try:
        # orjson's bytes keep the capacity it wrote into (up to 4 KiB, by version), and
        # answers are kept with their records: an exact-size copy keeps only the answer.
        return bytes(memoryview(orjson.dumps(document)))
    except TypeError:
        return json.dumps(document, separators=(",", ":")).encode()
