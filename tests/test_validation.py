"""Server-side validation against the model-derived schema, as users meet it."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ParamValidationError
from connect_model import HAS_OUTBOUND_STRATEGY, SHAPES
from helpers import ItemFactory

from pytest_connect_stub import ConnectStub

ENDPOINT_TYPES = ", ".join(SHAPES["EndpointType"]["enum"])


def test_what_botocore_never_checks_is_an_invalid_request(
    connect_stub: ConnectStub, client: Any, item: ItemFactory
) -> None:
    bad = [
        item("x" * 81),
        item("req-2", CustomerEndpoint={"Type": "FAX", "Address": "+15550100"}),
    ]
    with pytest.raises(client.exceptions.InvalidRequestException) as raised:
        client.batch_put_contact(InstanceId="inst-1", ContactDataRequestList=bad)
    assert raised.value.response["Error"]["Message"] == (
        "2 validation errors detected: "
        f"Value '{'x' * 81}' at 'contactDataRequestList.1.member.requestIdentifier' failed "
        "to satisfy constraint: Member must have length less than or equal to 80; "
        "Value 'FAX' at 'contactDataRequestList.2.member.customerEndpoint.type' failed to "
        f"satisfy constraint: Member must satisfy enum value set: [{ENDPOINT_TYPES}]"
    )
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert raised.value.response["ResponseMetadata"]["RetryAttempts"] == 0
    assert connect_stub.calls[0].error_code == "InvalidRequestException"
    assert connect_stub.contacts == {}


def test_more_than_25_items_is_one_violation(
    connect_stub: ConnectStub, client: Any, item: ItemFactory
) -> None:
    items = [item(f"req-{n}") for n in range(26)]
    with pytest.raises(client.exceptions.InvalidRequestException) as raised:
        client.batch_put_contact(InstanceId="inst-1", ContactDataRequestList=items)
    message = raised.value.response["Error"]["Message"]
    assert message.startswith("1 validation error detected: Value '[{")
    assert message.endswith(
        "...' at 'contactDataRequestList' failed to satisfy constraint: "
        "Member must have length less than or equal to 25"
    )


def test_botocore_client_side_validation_still_runs_first(
    connect_stub: ConnectStub, client: Any
) -> None:
    with pytest.raises(ParamValidationError):
        client.batch_put_contact(InstanceId="inst-1", ContactDataRequestList=[])
    connect_stub.assert_not_called()


@pytest.mark.parametrize(
    ("params", "clauses"),
    [
        (
            {"InstanceId": "", "ContactDataRequestList": []},
            [
                "Value '' at 'instanceId' failed to satisfy constraint: "
                "Member must have length greater than or equal to 1",
                "Value '[]' at 'contactDataRequestList' failed to satisfy constraint: "
                "Member must have length greater than or equal to 1",
            ],
        ),
        (
            {"InstanceId": "i", "ContactDataRequestList": [{"RequestIdentifier": 5}]},
            [
                "Value '5' at 'contactDataRequestList.1.member.requestIdentifier' failed to "
                "satisfy constraint: Member must be of type string"
            ],
        ),
        pytest.param(
            {
                "InstanceId": "i",
                "ContactDataRequestList": [
                    {
                        "OutboundStrategy": {
                            "Config": {
                                "AgentFirst": {
                                    "Preview": {
                                        "PostAcceptTimeoutConfig": {"DurationInSeconds": -1},
                                        "AllowedUserActions": ["CALL", "HANGUP"],
                                    }
                                }
                            }
                        }
                    }
                ],
            },
            [
                "Value '-1' at 'contactDataRequestList.1.member.outboundStrategy.config."
                "agentFirst.preview.postAcceptTimeoutConfig.durationInSeconds' failed to satisfy "
                "constraint: Member must have value greater than or equal to 0",
                "Value 'HANGUP' at 'contactDataRequestList.1.member.outboundStrategy.config."
                "agentFirst.preview.allowedUserActions.2.member' failed to satisfy constraint: "
                "Member must satisfy enum value set: [CALL, DISCARD]",
                "Value null at 'contactDataRequestList.1.member.outboundStrategy.type' failed "
                "to satisfy constraint: Member must not be null",
            ],
            marks=pytest.mark.skipif(
                not HAS_OUTBOUND_STRATEGY, reason="this botocore has no OutboundStrategy"
            ),
        ),
        (
            {"InstanceId": "i", "ContactDataRequestList": [{"Attributes": {"": "v"}}]},
            [
                "Value '' at 'contactDataRequestList.1.member.attributes' failed to satisfy "
                "constraint: Map keys must satisfy constraint: "
                "[Member must have length greater than or equal to 1]"
            ],
        ),
        (
            {"InstanceId": "i", "ContactDataRequestList": [{"Attributes": {"k": "v" * 32768}}]},
            [
                f"Value '{'v' * 120}...' at 'contactDataRequestList.1.member.attributes' failed "
                "to satisfy constraint: Map value must satisfy constraint: "
                "[Member must have length less than or equal to 32767]"
            ],
        ),
    ],
    ids=["empty", "wrong-type", "nested", "map-key", "map-value"],
)
def test_unvalidated_clients_get_every_violation_listed(
    params: dict[str, object], clauses: list[str]
) -> None:
    import boto3
    from botocore.config import Config

    client = boto3.client(
        "connect", region_name="us-east-1", config=Config(parameter_validation=False)
    )
    with ConnectStub() as stub, pytest.raises(client.exceptions.InvalidRequestException) as raised:
        client.batch_put_contact(**params)
    noun = "error" if len(clauses) == 1 else "errors"
    expected = f"{len(clauses)} validation {noun} detected: " + "; ".join(clauses)
    assert raised.value.response["Error"]["Message"] == expected
    assert stub.calls[0].status_code == 400
    assert stub.contacts == {}


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"{", "The request body is not valid JSON: Expecting property name enclosed in *"),
        (b"[1, 2]", "The request body must be a JSON object, not array."),
        (b"null", "The request body must be a JSON object, not null."),
        (b"\xff\xfe{", "The request body is not valid JSON: *"),
        (b"", "1 validation error detected: Value null at 'contactDataRequestList' *"),
        (
            b'{"ContactDataRequestList": [{"Unknown": true}]}',
            "1 validation error detected: Value 'true' at 'contactDataRequestList.1.member."
            "unknown' failed to satisfy constraint: Member must be a known field",
        ),
    ],
    ids=["truncated", "array", "null", "not-utf8", "empty", "unknown-member"],
)
def test_malformed_bodies_are_invalid_requests(body: bytes, message: str) -> None:
    import fnmatch
    import json

    stub = ConnectStub()
    answer = stub._handler.handle("PUT", "https://connect/contact/batch/inst-1", {}, body)
    assert answer.status == 400
    assert answer.headers["x-amzn-ErrorType"] == "InvalidRequestException"
    assert fnmatch.fnmatchcase(json.loads(answer.body)["Message"], message)
    assert stub.calls[0].params["InstanceId"] == "inst-1"


def _handle(body: dict[str, object]) -> tuple[int, str]:
    import json

    stub = ConnectStub()
    answer = stub._handler.handle(
        "PUT", "https://connect/contact/batch/inst-1", {}, json.dumps(body).encode()
    )
    return answer.status, json.loads(answer.body)["Message"]


def test_a_list_over_its_maximum_is_refused_without_checking_each_item() -> None:
    bad_item = {"RequestIdentifier": "x" * 81, "CustomerEndpoint": {"Type": "FAX"}}
    status, message = _handle({"ContactDataRequestList": [bad_item] * 30_000})
    assert status == 400
    assert message.startswith("1 validation error detected: Value '[{")
    assert message.endswith(
        "...' at 'contactDataRequestList' failed to satisfy constraint: "
        "Member must have length less than or equal to 25"
    )


def test_a_long_message_names_the_first_ten_violations_and_counts_the_rest() -> None:
    attributes = {f"key{n}": n for n in range(40_000)}
    status, message = _handle({"ContactDataRequestList": [{"Attributes": attributes}]})
    assert status == 400
    clause = (
        "Value '{}' at 'contactDataRequestList.1.member.attributes' failed to satisfy "
        "constraint: Map value must satisfy constraint: [Member must be of type string]"
    )
    assert message == (
        "40000 validation errors detected: "
        + "; ".join(clause.format(n) for n in range(10))
        + "; and 39990 more"
    )


@pytest.mark.parametrize(("count", "shown"), [(10, 10), (11, 10)])
def test_up_to_ten_violations_are_all_named(count: int, shown: int) -> None:
    attributes = {f"key{n}": n for n in range(count)}
    _, message = _handle({"ContactDataRequestList": [{"Attributes": attributes}]})
    assert message.startswith(f"{count} validation errors detected: Value '0' at ")
    assert message.count("failed to satisfy constraint") == shown
    assert message.endswith("; and 1 more" if count > shown else "[Member must be of type string]")
