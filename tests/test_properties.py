"""Property tests: requests generated from the model-derived schema, valid and broken on purpose.

Valid requests are drawn from ``schema.request_schema()`` itself; invalid ones are valid
requests with one to three model-derived mutations (a required member dropped, a string past
its ``max``, a list past 25 items, an unknown enum value, a wrong JSON type, an unknown member),
each of which knows the AWS path and constraint the stub must report.

Requests go through a real boto3 client with ``parameter_validation=False`` wherever botocore
can serialize them; what it cannot (unknown members, wrong types of containers, nulls) is sent
as bytes to the stub's HTTP handler, as a broken client would.

The generator is in ``property_documents.py``, the mutations in ``property_mutations.py``,
the sending and checking helpers in ``property_sending.py``.

Profiles: ``CONNECT_STUB_HYPOTHESIS_PROFILE=ci`` (default, well under a minute on two cores) or
``long`` (on demand, thousands of requests per property).
"""

from __future__ import annotations

import os
import re
import uuid

import pytest
from helpers import contact_item
from hypothesis import HealthCheck, event, given, note, settings
from hypothesis import strategies as st
from property_documents import OWN_ERRORS, REQUEST_CHECK, ROOT, Json, valid_requests
from property_mutations import Mutation, invalid_requests
from property_sending import account_for_every_item, call, outcome_lists

from pytest_connect_stub import ConnectStub, model
from pytest_connect_stub.validation import response_validator

settings.register_profile(
    "ci",
    max_examples=400,
    # The same examples on every run: CI stays reproducible; the long profile explores.
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "long",
    max_examples=5000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
PROFILE = settings.get_profile(os.environ.get("CONNECT_STUB_HYPOTHESIS_PROFILE", "ci"))


@PROFILE
@given(params=valid_requests())
def test_valid_requests_succeed_and_answer_every_item_once_in_request_order(params: Json) -> None:
    note(f"params={params!r}")
    with ConnectStub() as stub:
        response = call(stub, params)
    assert "Error" not in response, response
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 200
    [recorded] = stub.calls
    assert response_validator().errors(recorded.response) == []
    assert response_validator().errors(outcome_lists(response)) == []

    sent = {name: value for name, value in recorded.params.items() if name != "ClientToken"}
    assert sent == {name: value for name, value in params.items() if name != "ClientToken"}
    if "ClientToken" in params:
        assert recorded.client_token == params["ClientToken"]

    items = params["ContactDataRequestList"]
    succeeded, failed = response["SuccessfulRequestList"], response["FailedRequestList"]
    created = account_for_every_item(items, succeeded, failed)
    event(f"items: {len(items)}")
    event("some created" if succeeded else "none created")
    event("some failed" if failed else "none failed")
    for entry in failed:
        event(f"failed: {entry['FailureReasonCode']}")
    assert created is not None, f"answers do not match the items one to one, in order: {response}"

    contact_ids = [entry["ContactId"] for entry in succeeded]
    assert sorted(stub.contacts) == sorted(set(contact_ids))
    assert len(set(contact_ids)) == len(contact_ids)
    assert all(uuid.UUID(contact_id).version == 4 for contact_id in contact_ids)
    identifiers = [item.get("RequestIdentifier") for item in items]
    for index, position in created.items():
        contact = stub.contacts[contact_ids[position]]
        assert contact.instance_id == params["InstanceId"]
        assert contact.client_token == recorded.client_token
        if identifiers[index] is not None and identifiers.count(identifiers[index]) == 1:
            assert dict(contact) == items[index]


@PROFILE
@given(params=valid_requests())
def test_a_valid_request_sent_again_with_its_client_token_replays_the_first_answer(
    params: Json,
) -> None:
    with ConnectStub() as stub:
        first = call(stub, params)
        contacts = stub.contacts
        again = {**params, "ClientToken": stub.calls[0].client_token}
        second = call(stub, again)
    assert outcome_lists(second) == outcome_lists(first)
    assert stub.contacts == contacts
    assert [c.replayed for c in stub.calls] == [False, True]


@PROFILE
@given(case=invalid_requests())
def test_invalid_requests_are_rejected_naming_every_violated_path(
    case: tuple[Json, list[Mutation]],
) -> None:
    params, mutations = case
    note(f"mutations={[m.description for m in mutations]}")
    wire_only = any(m.wire_only for m in mutations)
    for mutation in mutations:
        event(mutation.description.partition(":")[0])
    event("sent as bytes" if wire_only else "sent by boto3")
    with ConnectStub() as stub:
        response = call(stub, params, wire_only=wire_only)

    assert response.get("Error", {}).get("Code") == "InvalidRequestException", response
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 400
    message: str = response["Error"]["Message"]
    expected = [clause for mutation in mutations for clause in mutation.clauses]
    header = re.match(r"(\d+) validation errors? detected: ", message)
    assert header is not None, message
    assert int(header.group(1)) == len(expected), message
    for path, constraint in expected:
        assert f" at '{path}' failed to satisfy constraint: {constraint}" in message, message
    named = set(re.findall(r" at '([A-Za-z0-9.]*)' failed to satisfy constraint: ", message))
    assert named == {path for path, _ in expected}, message
    assert stub.contacts == {}
    assert [c.error_code for c in stub.calls] == ["InvalidRequestException"]


_NAMES = sorted(
    {name for node in [ROOT, *ROOT["$defs"].values()] for name in node.get("properties", {})}
)
_ANY_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.sampled_from(_NAMES) | st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=25,
)


@st.composite
def any_requests(draw: st.DrawFn) -> Json:
    """Valid, broken, or any JSON object at all under the model's member names."""
    choice = draw(st.sampled_from(["valid", "broken", "anything"]))
    if choice == "valid":
        return draw(valid_requests())
    if choice == "broken":
        params, _ = draw(invalid_requests())
        return params
    body = draw(st.dictionaries(st.sampled_from(_NAMES) | st.text(max_size=8), _ANY_JSON))
    return {**body, "InstanceId": draw(st.text(max_size=110))}


@PROFILE
@given(params=any_requests(), strict=st.booleans(), register=st.booleans())
def test_any_request_gets_a_success_or_one_of_its_own_modeled_errors(
    params: Json, strict: bool, register: bool
) -> None:
    instances = {params["InstanceId"]: ["queue-1"]} if register else {}
    with ConnectStub(strict=strict, instances=instances) as stub:
        response = call(stub, params, wire_only=True)
    if "Error" in response:
        # An internal failure of the stub would answer InternalServiceException: never unscripted.
        assert response["Error"]["Code"] in OWN_ERRORS, response
        assert response["Error"]["Message"], response
        assert stub.contacts == {}
    else:
        assert response["ResponseMetadata"]["HTTPStatusCode"] == 200
        assert response_validator().errors(stub.calls[0].response) == []
        assert REQUEST_CHECK.is_valid(params)
    if REQUEST_CHECK.is_valid(params) and (register or not strict):
        assert "Error" not in response, response


@PROFILE
@given(
    code=st.sampled_from(sorted(model.error_shapes())),
    times=st.integers(1, 6),
    message=st.text(max_size=40),
)
def test_any_scripted_modeled_error_reaches_the_caller_as_that_exception(
    code: str, times: int, message: str
) -> None:
    params = {
        "InstanceId": "inst-1",
        "ContactDataRequestList": [contact_item()],
    }
    with ConnectStub(assert_all_used=False) as stub:
        stub.raise_error(code, message, times=times)
        response = call(stub, params)
    calls = stub.calls
    if "Error" in response:  # not retried, or retried until botocore gave up
        assert response["Error"]["Code"] == code
        assert response["Error"]["Message"] == message
        assert response["ResponseMetadata"]["HTTPStatusCode"] == model.error_shapes()[code].status
        assert len(calls) == response["ResponseMetadata"]["RetryAttempts"] + 1 <= times
        assert {c.error_code for c in calls} == {code}
    else:  # botocore retried past every scripted error
        assert [c.error_code for c in calls] == [code] * times + [None]
        assert response_validator().errors(outcome_lists(response)) == []
        assert len(response["SuccessfulRequestList"]) == 1
    assert [c.attempt for c in calls] == list(range(1, len(calls) + 1))


def test_a_map_of_the_wrong_type_is_named_as_the_map_not_as_a_value_inside_it() -> None:
    # Found by test_invalid_requests_are_rejected_naming_every_violated_path.
    params = {"InstanceId": "inst-1", "ContactDataRequestList": [{"Attributes": "x"}]}
    with ConnectStub() as stub:
        response = call(stub, params, wire_only=True)
    assert response["Error"]["Message"] == (
        "1 validation error detected: Value 'x' at 'contactDataRequestList.1.member.attributes' "
        "failed to satisfy constraint: Member must be of type structure"
    )


@pytest.mark.parametrize(
    ("items", "succeeded", "failed", "matches"),
    [
        ([{"RequestIdentifier": "a"}, {"RequestIdentifier": "b"}], ["a"], [("b", "X")], True),
        ([{"RequestIdentifier": "a"}, {"RequestIdentifier": "b"}], ["b"], [("a", "X")], True),
        ([{"RequestIdentifier": "a"}, {"RequestIdentifier": "b"}], ["b", "a"], [], False),
        ([{"RequestIdentifier": "a"}], ["a"], [("a", "X")], False),
        ([{"RequestIdentifier": "a"}, {"RequestIdentifier": "a"}], ["a", "a"], [], False),
        (
            [{"RequestIdentifier": "a"}, {"RequestIdentifier": "a"}],
            ["a"],
            [("a", "IDEMPOTENCY_EXCEPTION")],
            True,
        ),
        (
            [{"RequestIdentifier": "a"}, {"RequestIdentifier": "a"}],
            [],
            [("a", "IDEMPOTENCY_EXCEPTION"), ("a", "IDEMPOTENCY_EXCEPTION")],
            False,
        ),
        ([{}, {"RequestIdentifier": "a"}], [None], [("a", "X")], True),
    ],
    ids=[
        "in-order",
        "interleaved",
        "reordered",
        "twice",
        "duplicate-created",
        "repeat",
        "first-repeat",
        "no-identifier",
    ],
)
def test_the_item_accounting_oracle_rejects_what_the_stub_must_not_answer(
    items: list[Json], succeeded: list[str | None], failed: list[tuple[str, str]], matches: bool
) -> None:
    ok = [{} if s is None else {"RequestIdentifier": s} for s in succeeded]
    ko = [{"RequestIdentifier": i, "FailureReasonCode": c} for i, c in failed]
    assert (account_for_every_item(items, ok, ko) is not None) is matches
