"""The server's control API: the stub's Python API over HTTP, for tests in any language.

``POST /_connect_stub/<method>`` calls the ``ConnectStub`` method of that name with the
JSON object of the body as its arguments by name; ``GET /_connect_stub/calls`` and
``/contacts`` return the records as JSON. Misuse is a 400 carrying the Python error's own
words; an unknown method is a 404 listing the methods.
"""

from __future__ import annotations

import inspect
import json
import math
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from .calls import Call
from .hints import did_you_mean
from .http import HttpResponse
from .stub import ConnectStub

#: The scripting and world methods a test calls with POST, by their Python names.
POST_METHODS = (
    "fail",
    "succeed",
    "raise_error",
    "respond_with",
    "simulate",
    "reset",
    "add_instance",
    "advance_clock",
)
#: The records a test reads with GET.
GET_METHODS = ("calls", "contacts")

_PREFIX = "/_connect_stub/"
_JSON = {"Content-Type": "application/json"}


def answer(stub: ConnectStub, verb: str, target: str, body: bytes) -> HttpResponse:
    """The control API's answer to ``verb`` on ``target`` (a path under /_connect_stub/)."""
    path = urlsplit(target).path
    name = path[len(_PREFIX) :] if path.startswith(_PREFIX) else ""
    if name in GET_METHODS:
        if verb not in ("GET", "HEAD"):
            return _wrong_verb(name, verb, "GET")
        return _reply(200, calls_json(stub.calls) if name == "calls" else contacts_json(stub))
    if name not in POST_METHODS:
        every = [*POST_METHODS, *GET_METHODS]
        return _reply(
            404,
            {
                "message": f"No control method {name!r} under {_PREFIX}."
                f"{did_you_mean(name, every)} Methods: POST {', '.join(POST_METHODS)}; "
                f"GET {', '.join(GET_METHODS)}."
            },
        )
    if verb != "POST":
        return _wrong_verb(name, verb, "POST")
    method = getattr(stub, name)
    arguments, problem = _arguments(name, method, body)
    if problem is not None:
        return _reply(400, {"message": problem})
    try:
        # Under the handler's lock, as a request is answered: a script lands between two
        # requests, never inside one.
        with stub._handler.lock:
            method(**arguments)
    except (TypeError, ValueError) as error:
        return _reply(400, {"message": str(error)})
    return _reply(200, {})


def _arguments(name: str, method: Any, body: bytes) -> tuple[dict[str, Any], str | None]:
    """The body's arguments for ``method``, or what is wrong with them, in a sentence."""
    named = (inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.KEYWORD_ONLY)
    parameters = {
        name: parameter
        for name, parameter in inspect.signature(method).parameters.items()
        if parameter.kind in named
    }
    shown = ", ".join(
        p.name if p.default is inspect.Parameter.empty else f"{p.name}={_show(p.default)}"
        for p in parameters.values()
    )
    usage = f"Its arguments: {shown}." if parameters else f"{name}() takes no arguments: send {{}}."
    try:
        arguments = json.loads(body.decode("utf-8")) if body.strip() else {}
    except ValueError as error:
        return {}, f"The body of {name} must be a JSON object of its arguments: {error}. {usage}"
    except RecursionError:
        return {}, (
            f"The body of {name} must be a JSON object of its arguments: it is nested too "
            f"deeply to read. {usage}"
        )
    if not isinstance(arguments, dict):
        return {}, f"The body of {name} must be a JSON object of its arguments. {usage}"
    for given in arguments:
        if given not in parameters:
            return {}, (
                f"{name}() got an unexpected argument {given!r}."
                f"{did_you_mean(given, parameters)} {usage}"
            )
    for parameter in parameters.values():
        if parameter.default is inspect.Parameter.empty and parameter.name not in arguments:
            return {}, f"{name}() is missing its argument {parameter.name!r}. {usage}"
    return arguments, None


def _show(default: object) -> str:
    # JSON's words for Python's defaults: what a test in another language writes.
    return "null" if default is None else "[]" if default == () else json.dumps(default)


def _wrong_verb(name: str, verb: str, expected: str) -> HttpResponse:
    response = _reply(405, {"message": f"{name} is called with {expected}, not {verb}."})
    return HttpResponse(response.status, {**response.headers, "Allow": expected}, response.body)


def _reply(status: int, document: object) -> HttpResponse:
    return HttpResponse(status, dict(_JSON), dumps(document))


def calls_json(calls: list[Call]) -> list[dict[str, Any]]:
    """The call records as JSON objects, named as ``Call``'s attributes."""
    return [
        {
            "params": call.params,
            "instance_id": call.instance_id,
            "client_token": call.client_token,
            "status_code": call.status_code,
            "error_code": call.error_code,
            "error_message": call.error_message,
            "attempt": call.attempt,
            "request_id": call.request_id,
            "replayed": call.replayed,
        }
        for call in calls
    ]


def contacts_json(stub: ConnectStub) -> dict[str, dict[str, Any]]:
    """ContactId -> the ContactDataRequest that made it, as sent (as ``stub.contacts`` reads)."""
    return {contact_id: dict(contact) for contact_id, contact in stub.contacts.items()}


def dumps(document: object) -> bytes:
    """JSON bytes; a value JSON cannot hold becomes a string (``NaN``, ``Infinity``, repr).

    A request body may carry ``NaN`` (Python's json reads it), and a test may have put
    anything in a record: neither may break the JSON that clients in other languages parse.
    """
    try:
        return json.dumps(document, allow_nan=False).encode()
    except (TypeError, ValueError):
        return json.dumps(_plain(document), allow_nan=False).encode()


def _plain(value: object) -> object:
    """``value`` with what JSON cannot hold spelt as strings (walked with a stack)."""
    root: dict[str, object] = {}
    stack: list[tuple[object, Any, Any]] = [(value, root, "")]
    while stack:
        node, parent, key = stack.pop()
        made: object
        if isinstance(node, Mapping):
            # Keys in place first: the stack fills the values in reverse order.
            made = {_key(k): None for k in node}
            stack.extend((v, made, _key(k)) for k, v in node.items())
        elif isinstance(node, (list, tuple)):
            made = [None] * len(node)
            stack.extend((v, made, i) for i, v in enumerate(node))
        elif isinstance(node, float) and not math.isfinite(node):
            made = "NaN" if math.isnan(node) else "Infinity" if node > 0 else "-Infinity"
        elif node is None or isinstance(node, (str, int, float)):
            made = node
        else:
            made = repr(node)
        parent[key] = made
    return root[""]


def _key(key: object) -> str:
    return key if isinstance(key, str) else str(key) if isinstance(key, (int, float)) else repr(key)
