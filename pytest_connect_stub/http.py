"""The HTTP-level handler: a request's method, URL, headers and body in; status, headers, body out.

Every transport adapter (botocore's send, today) calls :meth:`Handler.handle`. Nothing here
knows about botocore's pipeline: what arrives is what would have gone on the wire.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Mapping
from typing import Any, NamedTuple
from urllib.parse import urlsplit

from .bodies import Body, body_bytes, decode, write_json
from .calls import CallLog, Kept, redact
from .errors import ServiceError
from .messages import summarize
from .model import OPERATION_NAME
from .routes import operation_for
from .scenario import ErrorStep, PredicateError, ResponseStep, Scenario
from .service import SimulatedService
from .validation import request_validator

UNSUPPORTED = "NotImplemented"
UNSUPPORTED_STATUS = 501


class HttpResponse(NamedTuple):
    """What the stub answers on the wire."""

    status: int
    headers: dict[str, str]
    body: bytes


class _Answer(NamedTuple):
    status: int
    #: What to encode, unless ``payload`` is given.
    body: dict[str, Any] | None
    error_code: str | None = None
    replayed: bool = False
    #: Bytes to send as they are (an idempotent replay sends its original).
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

    def __init__(self, service: SimulatedService, scenario: Scenario, calls: CallLog) -> None:
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
        raw, unreadable = body_bytes(body)
        decoded = decode(route[1].get("InstanceId", ""), raw)
        params, valid = decoded.params, decoded.valid
        problem = decoded.problem or unreadable
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
            response = _encode(answer, request_id)
            self.calls.add(
                Kept(
                    # A valid body is kept as its bytes, read again only if the record is.
                    params=None if valid else params,
                    instance_id=params["InstanceId"],
                    body=raw,
                    fast=decoded.fast,
                    answer=response.body,
                    status_code=answer.status,
                    error_code=answer.error_code,
                    attempt=_attempt(sent.get("amz-sdk-request", "")),
                    headers=sent,
                    request_id=request_id,
                    replayed=answer.replayed,
                )
            )
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
            # decode() ran the compiled check already: only a request it failed is walked.
            clauses = request_validator().errors(params)
            problem = summarize(clauses) if clauses else None
        if problem is not None:
            raise ServiceError("InvalidRequestException", problem)
        step = self.scenario.next_step()
        if isinstance(step, ErrorStep):
            raise ServiceError(step.code, step.message, step.reason)
        if isinstance(step, ResponseStep):
            return _Answer(200, None, payload=step.payload)
        instance_id: str = params["InstanceId"]
        self.service.check_instance(instance_id, url, headers)
        replay = self.service.tokens.replay_or_raise(params)
        if replay is not None:
            return _Answer(200, None, replayed=True, payload=replay)
        body = self.service.put_contacts(
            instance_id,
            params.get("ClientToken"),
            params["ContactDataRequestList"],
            self.scenario.item_answer if self.scenario.item_outcomes else None,
            raw,
        )
        return _Answer(200, body, token_to_remember=params.get("ClientToken"))


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
    payload = answer.payload
    if payload is None:
        assert answer.body is not None
        payload = write_json(answer.body)
    return HttpResponse(answer.status, headers, payload)
