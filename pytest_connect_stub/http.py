"""The HTTP-level handler: a request's method, URL, headers and body in; status, headers, body out.

Every transport adapter (botocore's send, today) calls :meth:`Handler.handle`. Nothing here
knows about botocore's pipeline: what arrives is what would have gone on the wire.
"""

from __future__ import annotations

import json
import re
import threading
import uuid
from collections.abc import Mapping
from typing import Any, NamedTuple
from urllib.parse import unquote, urlsplit

from .calls import Call, redact
from .errors import ServiceError
from .messages import summarize
from .model import OPERATION_NAME
from .routes import operation_for
from .scenario import ErrorStep, PredicateError, ResponseStep, Scenario
from .service import SimulatedService
from .validation import request_validator

#: What a transport may hand over as a request body. Only bytes (or bytearray), a str that
#: encodes as UTF-8, or None can be read; anything else is answered as an invalid request.
Body = object

#: How deeply a request body may nest. BatchPutContact's own shapes nest under 10 levels, so
#: only a broken request comes near it. A fixed limit, checked without recursion, gives the
#: same answer on every Python, whatever its recursion limit or the caller's stack depth.
MAX_NESTING = 100
TOO_DEEP = "The request body is nested too deeply to read."

UNSUPPORTED = "NotImplemented"
UNSUPPORTED_STATUS = 501


class HttpResponse(NamedTuple):
    """What the stub answers on the wire."""

    status: int
    headers: dict[str, str]
    body: bytes


class _Answer(NamedTuple):
    status: int
    body: dict[str, Any]
    error_code: str | None = None
    replayed: bool = False
    #: Bytes to send instead of encoding ``body`` (an idempotent replay sends its original).
    payload: bytes | None = None
    #: The ClientToken to remember this answer under, once it is encoded.
    token_to_remember: str | None = None


def _error_answer(error: ServiceError) -> _Answer:
    return _Answer(error.status, error.body(), error.code)


class Handler:
    """Answers Connect requests from one stub's scenario and simulated service.

    Whatever answers a request with a modelled error raises ServiceError; it is caught and
    encoded here, once.
    """

    def __init__(self, service: SimulatedService, scenario: Scenario, calls: list[Call]) -> None:
        self.service = service
        self.scenario = scenario
        self.calls = calls
        self.lock = threading.RLock()

    def handle(
        self, method: str, url: str, headers: Mapping[str, str | bytes], body: Body
    ) -> HttpResponse:
        """Answer one HTTP request to the Connect endpoint."""
        request_id = str(uuid.uuid4())
        path = urlsplit(url).path
        route = operation_for(method, path)
        if route is None or route[0] != OPERATION_NAME:
            what = f"{route[0]} ({method} {path})" if route else f"{method} {path}"
            message = (
                f"pytest-connect-stub serves {OPERATION_NAME} only; {what} is not "
                "stubbed. Only BatchPutContact calls can be made while the stub is active."
            )
            error = ServiceError(UNSUPPORTED, message, status=UNSUPPORTED_STATUS)
            return _encode(_error_answer(error), request_id)
        sent = redact(headers)
        raw, unreadable = _body_bytes(body)
        params, problem, valid = _decode(route[1].get("InstanceId", ""), raw)
        problem = problem or unreadable
        with self.lock:
            try:
                answer = self._answer(params, problem, raw, valid, url, headers)
            except ServiceError as error:
                answer = _error_answer(error)
            except Exception as error:
                # Answered as a server fault, so the caller's line gets a modeled exception
                # naming the cause instead of a traceback from inside the stub.
                answer = _error_answer(
                    ServiceError(
                        "InternalServiceException",
                        f"pytest-connect-stub could not answer: {error}"
                        if isinstance(error, PredicateError)
                        else f"pytest-connect-stub failed: {type(error).__name__}: {error}",
                    )
                )
            self.calls.append(
                Call(
                    params=params,
                    status_code=answer.status,
                    response=answer.body,
                    error_code=answer.error_code,
                    attempt=_attempt(sent.get("amz-sdk-request", "")),
                    headers=sent,
                    request_id=request_id,
                    replayed=answer.replayed,
                )
            )
            response = _encode(answer, request_id)
            if answer.token_to_remember is not None:
                # Bytes, not the dicts in the Call record: a test editing a record cannot
                # change what a later replay compares or answers.
                self.service.tokens.remember(
                    answer.token_to_remember, params["InstanceId"], raw, response.body
                )
        return response

    def _answer(
        self,
        params: dict[str, Any],
        problem: str | None,
        raw: bytes,
        valid: bool,
        url: str,
        headers: Mapping[str, str | bytes],
    ) -> _Answer:
        """The answer to a decoded request; a modelled error is raised as ServiceError."""
        if problem is None and not valid:
            # _decode ran the compiled check already: only a request it failed is walked.
            clauses = request_validator().errors(params)
            problem = summarize(clauses) if clauses else None
        if problem is not None:
            raise ServiceError("InvalidRequestException", problem)
        step = self.scenario.next_step()
        if isinstance(step, ErrorStep):
            raise ServiceError(step.code, step.message, step.reason)
        if isinstance(step, ResponseStep):
            return _Answer(200, json.loads(step.payload), payload=step.payload)
        instance_id: str = params["InstanceId"]
        self.service.check_instance(instance_id, url, headers)
        replay = self.service.tokens.replay_or_raise(params)
        if replay is not None:
            return _Answer(200, json.loads(replay), replayed=True, payload=replay)
        body = self.service.put_contacts(
            instance_id,
            params.get("ClientToken"),
            params["ContactDataRequestList"],
            self.scenario.item_answer if self.scenario.item_outcomes else None,
            raw,
        )
        return _Answer(200, body, token_to_remember=params.get("ClientToken"))


#: Python's types of decoded JSON -> their JSON names, for saying what a body is instead.
_JSON_NAME_OF_TYPE = {
    dict: "object",
    list: "array",
    str: "string",
    bool: "boolean",
    type(None): "null",
}


def _body_bytes(body: Body) -> tuple[bytes, str | None]:
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
                f"surrogate {_escaped(error.object[error.start])} at index {error.start}."
            )
    kind = type(body)
    module = kind.__module__.lstrip("_")  # io.BytesIO lives in _io
    name = kind.__qualname__ if module == "builtins" else f"{module}.{kind.__qualname__}"
    return b"", f"The request body must be bytes or str, not {name}."


def _decode(raw_instance_id: str, body: bytes) -> tuple[dict[str, Any], str | None, bool]:
    """The request as the caller passed it, or what keeps it from being read; and whether
    the compiled schema check passed it (False when it was not run)."""
    params: dict[str, Any] = {}
    try:
        params["InstanceId"] = unquote(raw_instance_id, errors="strict")
    except UnicodeDecodeError:
        params["InstanceId"] = unquote(raw_instance_id, errors="replace")
        return (
            params,
            "The InstanceId in the request path is not valid percent-encoded UTF-8.",
            False,
        )
    if not body:
        return params, None, False
    try:
        # UTF-8 only, as AWS JSON protocols are; json.loads(bytes) would also guess UTF-16/32.
        data = json.loads(body.decode("utf-8"))
    except ValueError as error:
        return params, f"The request body is not valid JSON: {error}", False
    except RecursionError:  # deeper than this interpreter's json reads, so past MAX_NESTING
        return params, TOO_DEEP, False
    if not isinstance(data, dict):
        kind = _JSON_NAME_OF_TYPE.get(type(data), "number")
        return params, f"The request body must be a JSON object, not {kind}.", False
    if "InstanceId" in data:
        return params, "InstanceId belongs in the request path, not in the body.", False
    unread = dict(params)  # what to record of a body that cannot be read: its path only
    params.update(data)
    # A request the schema accepts nests only as deep as the model's shapes: the depth is
    # measured only for one it rejects.
    valid = request_validator().is_valid(params)
    if not valid and _deeper_than(data, MAX_NESTING):
        return unread, TOO_DEEP, False
    # Most bodies hold no backslash at all: looking for one byte is many times faster.
    if b"\\" in body and _SURROGATE_ESCAPE.search(body):
        lone = _lone_surrogate(data)
        if lone is not None:
            where = f"the string at '{lone[0]}'" if lone[0] else "a member name"
            return (
                unread,
                (
                    f"The request body is not valid Unicode: {where} holds the lone surrogate "
                    f"{_escaped(lone[1])}."
                ),
                False,
            )
    return params, None, valid


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
_SURROGATE = re.compile("[\ud800-\udfff]")


def _lone_surrogate(data: dict[str, Any]) -> tuple[str, str] | None:
    """The AWS path and character of the first lone surrogate in a key or string of ``data``.

    AWS services refuse text that is not valid Unicode, as they refuse bytes that are not
    UTF-8: a lone surrogate is refused wherever it is, however long the string around it.
    """
    stack: list[tuple[Any, tuple[str | int, ...]]] = [(data, ())]
    while stack:
        node, parts = stack.pop()
        if isinstance(node, str):
            found = _SURROGATE.search(node)
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


def _escaped(character: str) -> str:
    return f"\\u{ord(character):04x}"


def _attempt(header: str) -> int:
    # botocore sends "attempt=2; max=5"; a client that sends nothing made attempt 1.
    for part in header.split(";"):
        name, _, value = part.strip().partition("=")
        if name == "attempt" and value.isdigit():
            return int(value)
    return 1


def _encode(answer: _Answer, request_id: str) -> HttpResponse:
    headers = {"Content-Type": "application/json", "x-amzn-RequestId": request_id}
    if answer.error_code is not None:
        headers["x-amzn-ErrorType"] = answer.error_code
    payload = answer.payload if answer.payload is not None else json.dumps(answer.body).encode()
    return HttpResponse(answer.status, headers, payload)
