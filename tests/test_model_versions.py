"""Validation follows whichever botocore is installed: members and enum values come and go."""

from __future__ import annotations

import json
from typing import Any

from connect_model import SHAPES
from helpers import contact_item

from pytest_connect_stub import ConnectStub


def _send(item: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    stub = ConnectStub()
    body = json.dumps({"ContactDataRequestList": [item]}).encode()
    answer = stub._handler.handle("PUT", "https://connect/contact/batch/inst-1", {}, body)
    return answer.status, json.loads(answer.body)


def test_email_endpoints_exist_only_where_the_model_has_them() -> None:
    status, body = _send(
        contact_item(CustomerEndpoint={"Type": "EMAIL_ADDRESS", "Address": "a@example.com"})
    )
    if "EMAIL_ADDRESS" in SHAPES["EndpointType"]["enum"]:
        assert (status, body["FailedRequestList"]) == (200, [])
    else:
        assert status == 400
        assert body["Message"] == (
            "1 validation error detected: Value 'EMAIL_ADDRESS' at "
            "'contactDataRequestList.1.member.customerEndpoint.type' failed to satisfy "
            "constraint: Member must satisfy enum value set: "
            f"[{', '.join(SHAPES['EndpointType']['enum'])}]"
        )


def test_outbound_strategy_exists_only_where_the_model_has_it() -> None:
    strategy = {
        "Type": "AGENT_FIRST",
        "Config": {
            "AgentFirst": {
                "Preview": {
                    "PostAcceptTimeoutConfig": {"DurationInSeconds": 30},
                    "AllowedUserActions": ["CALL"],
                }
            }
        },
    }
    status, body = _send(contact_item(OutboundStrategy=strategy))
    if "OutboundStrategy" in SHAPES["ContactDataRequest"]["members"]:
        assert (status, body["FailedRequestList"]) == (200, [])
    else:
        assert status == 400
        assert body["Message"].startswith(
            '1 validation error detected: Value \'{"Type":"AGENT_FIRST"'
        )
        assert body["Message"].endswith(
            "' at 'contactDataRequestList.1.member.outboundStrategy' failed to satisfy "
            "constraint: Member must be a known field"
        )


def test_rules_apply_only_for_codes_the_model_has() -> None:
    stub = ConnectStub()
    codes = {rule.code for rule in stub._service.rules}
    assert codes <= set(SHAPES["FailureReasonCode"]["enum"])
    assert ("INVALID_OUTBOUND_STRATEGY" in codes) == (
        "INVALID_OUTBOUND_STRATEGY" in SHAPES["FailureReasonCode"]["enum"]
    )
