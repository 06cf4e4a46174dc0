"""The simulated service: per-item rules, instances and queues, ContactIds."""

from __future__ import annotations

import itertools
import random
import uuid
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from connect_model import HAS_EMAIL, HAS_OUTBOUND_STRATEGY, SHAPES
from helpers import ItemFactory, contact_item

from pytest_connect_stub import ConnectStub
from pytest_connect_stub.rules import RULE_CODES

GOOD = contact_item()


def _put(stub: ConnectStub, *items: dict[str, Any], instance: str = "inst-1") -> dict[str, Any]:
    client = boto3.client("connect", region_name="us-east-1")
    with stub:
        response: dict[str, Any] = client.batch_put_contact(
            InstanceId=instance, ContactDataRequestList=list(items)
        )
    return response


def _with(**fields: Any) -> dict[str, Any]:
    item = {**GOOD, **fields}
    return {key: value for key, value in item.items() if value is not None}


PREVIEW = {
    "Type": "AGENT_FIRST",
    "Config": {
        "AgentFirst": {
            "Preview": {
                "PostAcceptTimeoutConfig": {"DurationInSeconds": 30},
                "AllowedUserActions": [],
            }
        }
    },
}

MODEL_CODES = frozenset(SHAPES["FailureReasonCode"]["enum"])

RULE_CASES: list[Any] = [
    (
        "MISSING_CUSTOMER_ENDPOINT",
        _with(CustomerEndpoint=None),
        "CustomerEndpoint with an Address is required",
    ),
    (
        "MISSING_CUSTOMER_ENDPOINT",
        _with(CustomerEndpoint={"Type": "TELEPHONE_NUMBER", "Address": ""}),
        "CustomerEndpoint with an Address is required",
    ),
    (
        "INVALID_CUSTOMER_ENDPOINT",
        _with(CustomerEndpoint={"Type": "TELEPHONE_NUMBER", "Address": "555-0100"}),
        "'555-0100' is not a phone number in E.164 format",
    ),
    pytest.param(
        "INVALID_CUSTOMER_ENDPOINT",
        _with(CustomerEndpoint={"Type": "EMAIL_ADDRESS", "Address": "nobody"}),
        "'nobody' is not an email address",
        marks=pytest.mark.skipif(not HAS_EMAIL, reason="this botocore has no EMAIL_ADDRESS"),
    ),
    (
        "INVALID_CUSTOMER_ENDPOINT",
        _with(CustomerEndpoint={"Address": "+15550100"}),
        "CustomerEndpoint.Type is required",
    ),
    (  # Arabic-Indic digits are digits to Python's \d, but not to E.164
        "INVALID_CUSTOMER_ENDPOINT",
        _with(
            CustomerEndpoint={
                "Type": "TELEPHONE_NUMBER",
                "Address": "+1\u0663\u0664\u0665\u0666\u0667",
            }
        ),
        "'+1\u0663\u0664\u0665\u0666\u0667' is not a phone number in E.164 format",
    ),
    (
        "MISSING_QUEUE_ID_AND_SYSTEM_ENDPOINT",
        _with(QueueId=None),
        "Either QueueId or SystemEndpoint is required",
    ),
    (
        "INVALID_SYSTEM_ENDPOINT",
        _with(QueueId=None, SystemEndpoint={"Type": "TELEPHONE_NUMBER", "Address": "0800"}),
        "'0800' is not a phone number in E.164 format",
    ),
    ("MISSING_CAMPAIGN", _with(Campaign=None), "Campaign.CampaignId is required"),
    (
        "INVALID_ATTRIBUTE_KEY",
        _with(Attributes={"has space": "v"}),
        "Attribute key 'has space' may contain only A-Z, a-z, 0-9, '-' and '_'",
    ),
    (  # each key is checked whole: a newline cannot join two valid keys into one
        "INVALID_ATTRIBUTE_KEY",
        _with(Attributes={"a\nb": "v"}),
        "Attribute key 'a\nb' may contain only A-Z, a-z, 0-9, '-' and '_'",
    ),
    (
        "INVALID_ATTRIBUTE_KEY",
        _with(Attributes={"a": "x" * 20000, "b": "y" * 20000}),
        "Attributes total 40002 bytes, more than 32768",
    ),
    pytest.param(
        "INVALID_OUTBOUND_STRATEGY",
        _with(OutboundStrategy=PREVIEW),
        "Preview requires at least one AllowedUserAction",
        marks=pytest.mark.skipif(
            not HAS_OUTBOUND_STRATEGY, reason="this botocore has no OutboundStrategy"
        ),
    ),
]


@pytest.mark.parametrize(("code", "item", "message"), RULE_CASES)
def test_each_default_rule_fails_its_item_and_spares_the_rest(
    code: str, item: dict[str, Any], message: str
) -> None:
    stub = ConnectStub()
    response = _put(stub, item, _with(RequestIdentifier="req-2"))
    assert response["FailedRequestList"] == [
        {"RequestIdentifier": "req-1", "FailureReasonCode": code, "FailureReasonMessage": message}
    ]
    assert [s["RequestIdentifier"] for s in response["SuccessfulRequestList"]] == ["req-2"]
    assert [c.request_identifier for c in stub.contacts.values()] == ["req-2"]


@pytest.mark.parametrize(("code", "item", "message"), RULE_CASES)
def test_each_rule_can_be_switched_off(code: str, item: dict[str, Any], message: str) -> None:
    stub = ConnectStub(disable_rules=[code])
    response = _put(stub, item)
    assert code not in [f["FailureReasonCode"] for f in response["FailedRequestList"]]


def test_a_repeated_request_identifier_fails_the_later_items() -> None:
    response = _put(ConnectStub(), GOOD, _with(RequestIdentifier="req-2"), GOOD)
    assert response["FailedRequestList"] == [
        {
            "RequestIdentifier": "req-1",
            "FailureReasonCode": "IDEMPOTENCY_EXCEPTION",
            "FailureReasonMessage": "RequestIdentifier 'req-1' appears earlier in this batch",
        }
    ]
    assert len(response["SuccessfulRequestList"]) == 2


def test_first_matching_rule_wins() -> None:
    response = _put(ConnectStub(), _with(CustomerEndpoint=None, Campaign=None))
    assert [f["FailureReasonCode"] for f in response["FailedRequestList"]] == [
        "MISSING_CUSTOMER_ENDPOINT"
    ]


#: Strict mode with one registered queue, so that QueueId "queue-9" breaks INVALID_QUEUE.
STRICT: dict[str, Any] = {"strict": True, "instances": {"inst-1": ["queue-1"]}}
BAD_PHONE = {"Type": "TELEPHONE_NUMBER", "Address": "555-0100"}
BAD_SYSTEM = {"Type": "TELEPHONE_NUMBER", "Address": "0800"}

#: For each adjacent pair of RULE_CODES: stub options, the batch (its last item breaks both
#: rules), the earlier rule's message and the later rule's message.
PAIRS: dict[tuple[str, str], tuple[dict[str, Any], list[dict[str, Any]], str, str]] = {
    ("IDEMPOTENCY_EXCEPTION", "MISSING_CUSTOMER_ENDPOINT"): (
        {},
        [_with(RequestIdentifier="req-0"), _with(RequestIdentifier="req-0", CustomerEndpoint=None)],
        "RequestIdentifier 'req-0' appears earlier in this batch",
        "CustomerEndpoint with an Address is required",
    ),
    ("MISSING_CUSTOMER_ENDPOINT", "INVALID_CUSTOMER_ENDPOINT"): (
        {},
        [_with(CustomerEndpoint={"Address": ""})],
        "CustomerEndpoint with an Address is required",
        "CustomerEndpoint.Type is required",
    ),
    ("INVALID_CUSTOMER_ENDPOINT", "MISSING_QUEUE_ID_AND_SYSTEM_ENDPOINT"): (
        {},
        [_with(CustomerEndpoint=BAD_PHONE, QueueId=None)],
        "'555-0100' is not a phone number in E.164 format",
        "Either QueueId or SystemEndpoint is required",
    ),
    ("INVALID_SYSTEM_ENDPOINT", "INVALID_QUEUE"): (
        STRICT,
        [_with(SystemEndpoint=BAD_SYSTEM, QueueId="queue-9")],
        "'0800' is not a phone number in E.164 format",
        "Queue 'queue-9' does not exist on this instance",
    ),
    ("INVALID_QUEUE", "MISSING_CAMPAIGN"): (
        STRICT,
        [_with(QueueId="queue-9", Campaign=None)],
        "Queue 'queue-9' does not exist on this instance",
        "Campaign.CampaignId is required",
    ),
    ("MISSING_CAMPAIGN", "INVALID_ATTRIBUTE_KEY"): (
        {},
        [_with(Campaign=None, Attributes={"has space": "v"})],
        "Campaign.CampaignId is required",
        "Attribute key 'has space' may contain only A-Z, a-z, 0-9, '-' and '_'",
    ),
    ("INVALID_ATTRIBUTE_KEY", "INVALID_OUTBOUND_STRATEGY"): (
        {},
        [_with(Attributes={"has space": "v"}, OutboundStrategy=PREVIEW)],
        "Attribute key 'has space' may contain only A-Z, a-z, 0-9, '-' and '_'",
        "Preview requires at least one AllowedUserAction",
    ),
}

#: No item breaks both: the first needs neither QueueId nor SystemEndpoint, the second a
#: SystemEndpoint.
EXCLUSIVE_PAIRS = {("MISSING_QUEUE_ID_AND_SYSTEM_ENDPOINT", "INVALID_SYSTEM_ENDPOINT")}


def test_every_adjacent_pair_of_rules_is_covered_or_exclusive() -> None:
    assert set(itertools.pairwise(RULE_CODES)) == set(PAIRS) | EXCLUSIVE_PAIRS
    assert not set(PAIRS) & EXCLUSIVE_PAIRS


def _pair_param(pair: tuple[str, str]) -> Any:
    missing = sorted(set(pair) - MODEL_CODES)
    if "INVALID_OUTBOUND_STRATEGY" in pair and not HAS_OUTBOUND_STRATEGY:
        missing.append("OutboundStrategy")
    return pytest.param(
        *pair,
        id=f"{pair[0]}-before-{pair[1]}",
        marks=pytest.mark.skipif(bool(missing), reason=f"this botocore has no {missing}"),
    )


@pytest.mark.parametrize(("earlier", "later"), [_pair_param(pair) for pair in PAIRS])
def test_the_earlier_of_two_broken_rules_wins(earlier: str, later: str) -> None:
    options, items, earlier_message, later_message = PAIRS[earlier, later]
    failing = items[-1]["RequestIdentifier"]
    response = _put(ConnectStub(**options), *items)
    assert response["FailedRequestList"] == [
        {
            "RequestIdentifier": failing,
            "FailureReasonCode": earlier,
            "FailureReasonMessage": earlier_message,
        }
    ]
    assert len(response["SuccessfulRequestList"]) == len(items) - 1
    response = _put(ConnectStub(**options, disable_rules=[earlier]), *items)
    assert response["FailedRequestList"] == [
        {
            "RequestIdentifier": failing,
            "FailureReasonCode": later,
            "FailureReasonMessage": later_message,
        }
    ]
    assert len(response["SuccessfulRequestList"]) == len(items) - 1


def test_items_without_request_identifier_are_answered_in_order() -> None:
    response = _put(ConnectStub(), _with(RequestIdentifier=None), _with(RequestIdentifier=None))
    assert [sorted(s) for s in response["SuccessfulRequestList"]] == [["ContactId"]] * 2


def test_contact_ids_are_unique_uuid4_and_recorded() -> None:
    stub = ConnectStub()
    items = [_with(RequestIdentifier=f"req-{n}") for n in range(25)]
    response = _put(stub, *items)
    ids = [s["ContactId"] for s in response["SuccessfulRequestList"]]
    assert len(set(ids)) == 25
    assert all(uuid.UUID(i).version == 4 for i in ids)
    assert list(stub.contacts) == ids
    contact = stub.contacts[ids[3]]
    assert contact["RequestIdentifier"] == "req-3"
    assert (contact.instance_id, contact.request_identifier) == ("inst-1", "req-3")
    assert contact.client_token == stub.calls[0].client_token


def test_a_seed_makes_contact_ids_repeatable() -> None:
    first = _put(ConnectStub(seed=42), GOOD)["SuccessfulRequestList"]
    second = _put(ConnectStub(seed=42), GOOD)["SuccessfulRequestList"]
    other = _put(ConnectStub(seed=43), GOOD)["SuccessfulRequestList"]
    assert first == second != other


@pytest.fixture
def random_state_kept() -> Iterator[None]:
    """The random module's state as it was, back after the test (which seeds it)."""
    state = random.getstate()
    yield
    random.setstate(state)


def test_the_random_module_state_a_test_seeded_is_left_alone(random_state_kept: None) -> None:
    random.seed(7)
    expected = random.random()
    random.seed(7)
    response = _put(ConnectStub(), GOOD)
    assert random.random() == expected
    # ...and a seeded random module does not make the stub's IDs repeat.
    random.seed(7)
    again = _put(ConnectStub(), GOOD)
    assert response["SuccessfulRequestList"] != again["SuccessfulRequestList"]
    assert response["ResponseMetadata"]["RequestId"] != again["ResponseMetadata"]["RequestId"]


def test_lenient_by_default_any_instance_and_queue() -> None:
    response = _put(ConnectStub(), _with(QueueId="anything"), instance="never-registered")
    assert response["FailedRequestList"] == []


def test_strict_mode_unknown_instance_is_resource_not_found(client: Any, item: ItemFactory) -> None:
    with (
        ConnectStub(strict=True, instances={"inst-1": ["queue-1"]}),
        pytest.raises(client.exceptions.ResourceNotFoundException) as raised,
    ):
        client.batch_put_contact(InstanceId="inst-2", ContactDataRequestList=[item()])
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404
    assert raised.value.response["ResponseMetadata"]["RetryAttempts"] == 0
    assert raised.value.response["Error"]["Message"] == (
        "Instance 'inst-2' does not exist (strict mode: register it with "
        "add_instance() or the instances option)."
    )


def test_strict_mode_unknown_queue_is_invalid_queue(
    connect_stub: ConnectStub, client: Any, item: ItemFactory
) -> None:
    connect_stub.strict = True
    connect_stub.add_instance("inst-1", queues=["queue-1"])
    arn = "arn:aws:connect:us-east-1:111122223333:instance/inst-1"
    response = client.batch_put_contact(
        InstanceId=arn,
        ContactDataRequestList=[item("req-1"), item("req-2", QueueId="queue-9")],
    )
    assert response["FailedRequestList"] == [
        {
            "RequestIdentifier": "req-2",
            "FailureReasonCode": "INVALID_QUEUE",
            "FailureReasonMessage": "Queue 'queue-9' does not exist on this instance",
        }
    ]
    assert connect_stub.instances == {"inst-1": ["queue-1"]}


def test_unknown_rule_name_is_refused_with_the_valid_names() -> None:
    with pytest.raises(
        ValueError,
        match=r"Unknown rule in disable_rules 'MISSING_CAMPAIGNS'\. "
        r"Did you mean 'MISSING_CAMPAIGN'\? Valid values: IDEMPOTENCY_EXCEPTION, ",
    ):
        ConnectStub(disable_rules=["MISSING_CAMPAIGNS"])


@pytest.mark.parametrize(
    ("options", "error", "message"),
    [
        ({"instances": ["inst-1"]}, TypeError, "instances must map instance IDs"),
        ({"seed": "1"}, TypeError, "seed must be an int or None"),
        ({"token_ttl": -1}, ValueError, "token_ttl must be a timedelta or a number of seconds"),
    ],
)
def test_bad_options_are_refused_at_construction(
    options: dict[str, Any], error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        ConnectStub(**options)


def test_add_instance_refuses_bad_input() -> None:
    stub = ConnectStub()
    with pytest.raises(ValueError, match="instance_id must be a non-empty string"):
        stub.add_instance("")
    with pytest.raises(TypeError, match="queues must be a list of queue IDs"):
        stub.add_instance("inst-1", queues="queue-1")


@pytest.mark.parametrize("queues", [[None], ["q-1", 7], [""], 5], ids=repr)
def test_add_instance_refuses_a_queue_that_is_not_an_id_and_registers_nothing(
    queues: Any,
) -> None:
    stub = ConnectStub()
    with pytest.raises(TypeError, match=r"queues must be a list of queue IDs, e\.g\. add_inst"):
        stub.add_instance("inst-1", queues=queues)
    assert stub.instances == {}
