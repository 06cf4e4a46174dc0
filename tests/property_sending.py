"""Sending generated requests: through a real boto3 client where botocore can serialize them,
as bytes to the stub's HTTP handler where it cannot; and the checks shared by the properties."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from functools import cache
from typing import Any, cast
from urllib.parse import quote

import boto3
import botocore.parsers
from botocore.awsrequest import HeadersDict
from botocore.config import Config
from botocore.exceptions import ClientError
from property_documents import URL, Json

from pytest_connect_stub import ConnectStub, model
from pytest_connect_stub.http import HttpResponse


@cache
def client() -> Any:
    """One real boto3 client for the module, with botocore's own validation off."""
    return boto3.client(
        "connect", region_name="us-east-1", config=Config(parameter_validation=False)
    )


def send_bytes(stub: ConnectStub, params: Mapping[str, Any]) -> HttpResponse:
    """Send ``params`` as a client that checks nothing would put them on the wire."""
    instance_id = params["InstanceId"]
    body = {name: value for name, value in params.items() if name != "InstanceId"}
    return stub._handler.handle(
        "PUT",
        URL + quote(instance_id, safe=""),
        {"Content-Type": "application/json"},
        json.dumps(body).encode(),
    )


def parse(answer: HttpResponse) -> Json:
    """Read an HTTP answer exactly as botocore's rest-json parser reads it for a client."""
    parser = botocore.parsers.create_parser("rest-json")
    shape = model.operation_model().output_shape
    assert shape is not None
    parsed: Json = parser.parse(
        {"status_code": answer.status, "headers": HeadersDict(answer.headers), "body": answer.body},
        shape,
    )
    return parsed


def call(stub: ConnectStub, params: Json, *, wire_only: bool = False) -> Json:
    """The caller's view: a parsed response, or ``{"Error": ...}`` for a modeled ClientError."""
    if wire_only:
        parsed = parse(send_bytes(stub, params))
        if "Error" in parsed:
            assert parsed["Error"]["Code"] in model.error_shapes(), parsed
        return parsed
    try:
        response: Json = client().batch_put_contact(**params)
    except ClientError as error:
        code = error.response["Error"]["Code"]
        assert code in model.error_shapes(), error.response
        assert type(error) is client().exceptions.from_code(code), "not the modeled exception"
        return cast(Json, error.response)
    return response


def outcome_lists(response: Mapping[str, Any]) -> Json:
    return {name: response[name] for name in ("SuccessfulRequestList", "FailedRequestList")}


def account_for_every_item(
    items: Sequence[Mapping[str, Any]], succeeded: Sequence[Json], failed: Sequence[Json]
) -> dict[int, int] | None:
    """Match each item to exactly one answer, both lists in request order; None if impossible.

    A repeated RequestIdentifier must fail with IDEMPOTENCY_EXCEPTION; a first one must not.
    Returns request index -> index in ``succeeded`` for the items that were created.
    """
    seen: set[Any] = set()
    repeated = []
    for item in items:
        identifier = item.get("RequestIdentifier")
        repeated.append(identifier is not None and identifier in seen)
        seen.add(identifier)
    if len(items) != len(succeeded) + len(failed):
        return None
    # reach[(i, s)]: the first i items can take the first s successes and i - s failures.
    reach: dict[tuple[int, int], tuple[int, int] | None] = {(0, 0): None}
    for index, item in enumerate(items):
        identifier = item.get("RequestIdentifier")
        for (done, s), _ in list(reach.items()):
            if done != index:
                continue
            f = index - s
            if (
                s < len(succeeded)
                and not repeated[index]
                and succeeded[s].get("RequestIdentifier") == identifier
            ):
                reach.setdefault((index + 1, s + 1), (index, s))
            if f < len(failed) and failed[f].get("RequestIdentifier") == identifier:
                code = failed[f]["FailureReasonCode"]
                if repeated[index] == (code == "IDEMPOTENCY_EXCEPTION"):
                    reach.setdefault((index + 1, s), (index, s))
    end = (len(items), len(succeeded))
    if end not in reach:
        return None
    created: dict[int, int] = {}
    step: tuple[int, int] | None = end
    while step is not None and step != (0, 0):
        previous = reach[step]
        assert previous is not None
        if step[1] != previous[1]:
            created[previous[0]] = previous[1]
        step = previous
    return created
