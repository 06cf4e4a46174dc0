"""Scripted outcomes: fail/succeed per item, raise_error, respond_with, simulate, misuse."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import botocore.config
import botocore.session
import pytest
from helpers import literal

from pytest_connect_stub import ConnectStub


def failure_reason_codes() -> list[str]:
    """The FailureReasonCode enum of the installed botocore model, in model order."""
    model = botocore.session.get_session().get_service_model("connect")
    shape: Any = model.shape_for("FailureReasonCode")
    return list(shape.enum)


def error_codes() -> list[str]:
    """BatchPutContact's own errors first, then the other exception shapes of Connect."""
    model = botocore.session.get_session().get_service_model("connect")
    ours = [shape.name for shape in model.operation_model("BatchPutContact").error_shapes]
    others = sorted(shape.name for shape in model.error_shapes if shape.name not in ours)
    return ours + others


def unknown_error_code(code: str, hint: str = "") -> str:
    """raise_error's message for an unknown code: this operation's errors, then a count."""
    model = botocore.session.get_session().get_service_model("connect")
    ours = [shape.name for shape in model.operation_model("BatchPutContact").error_shapes]
    others = len(error_codes()) - len(ours)
    return (
        f"Unknown error code {code!r}.{hint} Valid values for BatchPutContact: "
        f"{', '.join(ours)}. The {others} other exceptions of the Connect model are accepted too."
    )


def connect_error_shapes() -> list[Any]:
    """Every exception shape of the installed Connect model."""
    model = botocore.session.get_session().get_service_model("connect")
    return list(model.error_shapes)


def reason_unions() -> list[tuple[str, str, list[str]]]:
    """(exception, a member of its Reason union, that member's enum), per shape with a Reason.

    botocore before 1.34.98 models no Reason at all: then the list is empty.
    """
    found = []
    for shape in connect_error_shapes():
        if "Reason" in shape.members:
            member, member_shape = next(iter(shape.members["Reason"].members.items()))
            found.append((shape.name, member, list(member_shape.enum)))
    return found


REASON_UNIONS = reason_unions()
REASON_IDS = [code for code, _, _ in REASON_UNIONS]


# --- fail and succeed, per item ------------------------------------------------------------


def test_fail_fails_only_the_matching_item_and_creates_the_rest(user: pytest.Pytester) -> None:
    user.makepyfile(
        """
        def test_partial(connect_stub, client, item):
            connect_stub.fail("req-2", "INVALID_QUEUE", message="queue disabled")
            resp = client.batch_put_contact(
                InstanceId="inst-1",
                ContactDataRequestList=[item("req-1"), item("req-2"), item("req-3")],
            )
            assert resp["FailedRequestList"] == [
                {
                    "RequestIdentifier": "req-2",
                    "FailureReasonCode": "INVALID_QUEUE",
                    "FailureReasonMessage": "queue disabled",
                }
            ]
            created = resp["SuccessfulRequestList"]
            assert [s["RequestIdentifier"] for s in created] == ["req-1", "req-3"]
            assert sorted(connect_stub.contacts) == sorted(s["ContactId"] for s in created)
            assert sorted(c.request_identifier for c in connect_stub.contacts.values()) == [
                "req-1", "req-3"
            ]
        """
    )
    user.runpytest().assert_outcomes(passed=1)


def test_fail_without_message_gives_a_default_failure_message(user: pytest.Pytester) -> None:
    user.makepyfile(
        """
        def test_default_message(connect_stub, client, item):
            connect_stub.fail("req-1", "REQUEST_THROTTLED")
            resp = client.batch_put_contact(InstanceId="inst-1", ContactDataRequestList=[item()])
            [failed] = resp["FailedRequestList"]
            assert failed["FailureReasonCode"] == "REQUEST_THROTTLED"
            assert failed["FailureReasonMessage"] == (
                "Contact request failed with REQUEST_THROTTLED"
            )
            assert resp["SuccessfulRequestList"] == []
        """
    )
    user.runpytest().assert_outcomes(passed=1)


def test_fail_applies_the_given_number_of_times_then_items_succeed(
    user: pytest.Pytester,
) -> None:
    user.makepyfile(
        """
        def test_twice(connect_stub, client, item):
            connect_stub.fail("req-1", "INTERNAL_ERROR", times=2)
            outcomes = []
            for _ in range(3):
                resp = client.batch_put_contact(
                    InstanceId="inst-1", ContactDataRequestList=[item()]
                )
                outcomes.append(
                    [f["FailureReasonCode"] for f in resp["FailedRequestList"]]
                    + [s["RequestIdentifier"] for s in resp["SuccessfulRequestList"]]
                )
            assert outcomes == [["INTERNAL_ERROR"], ["INTERNAL_ERROR"], ["req-1"]]
            assert len(connect_stub.contacts) == 1
        """
    )
    user.runpytest().assert_outcomes(passed=1)


def test_fail_with_times_none_fails_every_matching_item(user: pytest.Pytester) -> None:
    user.makepyfile(
        """
        def test_every_time(connect_stub, client, item):
            connect_stub.fail("req-1", "INVALID_QUEUE", times=None)
            for _ in range(3):
                resp = client.batch_put_contact(
                    InstanceId="inst-1",
                    ContactDataRequestList=[item("req-1"), item("req-2")],
                )
                assert [f["RequestIdentifier"] for f in resp["FailedRequestList"]] == ["req-1"]
                assert [s["RequestIdentifier"] for s in resp["SuccessfulRequestList"]] == [
                    "req-2"
                ]
            assert len(connect_stub.contacts) == 3
        """
    )
    user.runpytest().assert_outcomes(passed=1)


def test_fail_with_a_predicate_matches_items_by_their_data(user: pytest.Pytester) -> None:
    user.makepyfile(
        """
        def test_by_number(connect_stub, client, item):
            connect_stub.fail(
                lambda request: request["CustomerEndpoint"]["Address"] == "+15550199",
                "INVALID_CUSTOMER_ENDPOINT",
                message="number blocked",
                times=None,
            )
            blocked = {"Type": "TELEPHONE_NUMBER", "Address": "+15550199"}
            resp = client.batch_put_contact(
                InstanceId="inst-1",
                ContactDataRequestList=[
                    item("a"), item("b", CustomerEndpoint=blocked), item("c")
                ],
            )
            assert resp["FailedRequestList"] == [
                {
                    "RequestIdentifier": "b",
                    "FailureReasonCode": "INVALID_CUSTOMER_ENDPOINT",
                    "FailureReasonMessage": "number blocked",
                }
            ]
            assert [s["RequestIdentifier"] for s in resp["SuccessfulRequestList"]] == ["a", "c"]
        """
    )
    user.runpytest().assert_outcomes(passed=1)


def test_scripted_failure_wins_over_an_item_the_rules_would_accept(
    user: pytest.Pytester,
) -> None:
    user.makepyfile(
        """
        def test_override(connect_stub, client, item):
            connect_stub.fail("req-1", "IDEMPOTENCY_EXCEPTION")
            resp = client.batch_put_contact(InstanceId="inst-1", ContactDataRequestList=[item()])
            assert [f["FailureReasonCode"] for f in resp["FailedRequestList"]] == [
                "IDEMPOTENCY_EXCEPTION"
            ]
            assert connect_stub.contacts == {}
        """
    )
    user.runpytest().assert_outcomes(passed=1)


def test_succeed_creates_an_item_the_rules_would_fail(user: pytest.Pytester) -> None:
    user.makepyfile(
        """
        def test_forced(connect_stub, client, item):
            connect_stub.succeed("req-1")
            resp = client.batch_put_contact(
                InstanceId="inst-1",
                ContactDataRequestList=[item("req-1", Campaign=None), item("req-2", Campaign=None)],
            )
            assert [s["RequestIdentifier"] for s in resp["SuccessfulRequestList"]] == ["req-1"]
            assert [f["FailureReasonCode"] for f in resp["FailedRequestList"]] == [
                "MISSING_CAMPAIGN"
            ]
        """
    )
    user.runpytest().assert_outcomes(passed=1)


def test_succeed_with_contact_id_returns_and_records_that_contact_id(
    user: pytest.Pytester,
) -> None:
    user.makepyfile(
        """
        def test_chosen_id(connect_stub, client, item):
            connect_stub.succeed("req-2", contact_id="contact-42")
            resp = client.batch_put_contact(
                InstanceId="inst-1", ContactDataRequestList=[item("req-1"), item("req-2")]
            )
            ids = {s["RequestIdentifier"]: s["ContactId"] for s in resp["SuccessfulRequestList"]}
            assert ids["req-2"] == "contact-42"
            assert ids["req-1"] != "contact-42"
            contact = connect_stub.contacts["contact-42"]
            assert contact.contact_id == "contact-42"
            assert contact.instance_id == "inst-1"
            assert contact["RequestIdentifier"] == "req-2"
        """
    )
    user.runpytest().assert_outcomes(passed=1)


def test_succeed_with_a_predicate_chooses_the_contact_id_of_matching_items(
    user: pytest.Pytester,
) -> None:
    user.makepyfile(
        """
        def test_predicate(connect_stub, client, item):
            connect_stub.succeed(
                lambda request: request["QueueId"] == "vip", contact_id="vip-contact"
            )
            resp = client.batch_put_contact(
                InstanceId="inst-1",
                ContactDataRequestList=[item("a"), item("b", QueueId="vip")],
            )
            ids = {s["RequestIdentifier"]: s["ContactId"] for s in resp["SuccessfulRequestList"]}
            assert ids["b"] == "vip-contact"
            assert ids["a"] != "vip-contact"
        """
    )
    user.runpytest().assert_outcomes(passed=1)


# --- raise_error -----------------------------------------------------------------------------


def test_raise_error_raises_each_modeled_exception_with_its_status(
    user: pytest.Pytester,
) -> None:
    user.makepyfile(
        """
        import botocore.config
        import boto3
        import pytest

        @pytest.mark.parametrize(
            "code, status",
            [
                ("AccessDeniedException", 403),
                ("InternalServiceException", 500),
                ("InvalidRequestException", 400),
                ("ResourceNotFoundException", 404),
                ("LimitExceededException", 429),
                ("IdempotencyException", 409),
                ("ThrottlingException", 429),
            ],
        )
        def test_error(connect_stub, item, code, status):
            client = boto3.client(
                "connect",
                region_name="us-east-1",
                config=botocore.config.Config(retries={"total_max_attempts": 1}),
            )
            connect_stub.raise_error(code, "scripted failure")
            with pytest.raises(getattr(client.exceptions, code)) as raised:
                client.batch_put_contact(InstanceId="inst-1", ContactDataRequestList=[item()])
            response = raised.value.response
            assert response["Error"] == {"Code": code, "Message": "scripted failure"}
            assert response["ResponseMetadata"]["HTTPStatusCode"] == status
            [call] = connect_stub.calls
            assert (call.status_code, call.error_code) == (status, code)
            assert call.error_message == "scripted failure"
            assert connect_stub.contacts == {}
        """
    )
    user.runpytest().assert_outcomes(passed=7)


def test_raise_error_without_message_names_the_stub_in_the_message(
    user: pytest.Pytester,
) -> None:
    user.makepyfile(
        """
        import pytest

        def test_default_message(connect_stub, client, item):
            connect_stub.raise_error("AccessDeniedException")
            with pytest.raises(client.exceptions.AccessDeniedException) as raised:
                client.batch_put_contact(InstanceId="inst-1", ContactDataRequestList=[item()])
            assert raised.value.response["Error"]["Message"] == (
                "AccessDeniedException scripted by connect_stub"
            )
        """
    )
    user.runpytest().assert_outcomes(passed=1)


@pytest.mark.parametrize(("code", "member", "values"), REASON_UNIONS, ids=REASON_IDS)
def test_raise_error_with_reason_fills_the_reason_union(
    user: pytest.Pytester, code: str, member: str, values: list[str]
) -> None:
    reason = {member: values[-1]}
    user.makepyfile(
        f"""
        import pytest

        def test_reason(connect_stub, client, item):
            connect_stub.raise_error({code!r}, "file trouble", reason={reason!r})
            with pytest.raises(client.exceptions.{code}) as raised:
                client.batch_put_contact(InstanceId="inst-1", ContactDataRequestList=[item()])
            assert raised.value.response["Reason"] == {reason!r}
            assert raised.value.response["Message"] == "file trouble"
            assert connect_stub.calls[0].response["Reason"] == {reason!r}
        """
    )
    user.runpytest().assert_outcomes(passed=1)


def test_raise_error_without_reason_sends_no_reason(user: pytest.Pytester) -> None:
    user.makepyfile(
        """
        import pytest

        def test_no_reason(connect_stub, client, item):
            connect_stub.raise_error("InvalidRequestException", "bad")
            with pytest.raises(client.exceptions.InvalidRequestException) as raised:
                client.batch_put_contact(InstanceId="inst-1", ContactDataRequestList=[item()])
            assert "Reason" not in raised.value.response
            assert "Reason" not in connect_stub.calls[0].response
        """
    )
    user.runpytest().assert_outcomes(passed=1)


def test_raise_error_applies_to_whole_calls_in_order_then_the_service_answers(
    user: pytest.Pytester,
) -> None:
    user.makepyfile(
        """
        import botocore.config
        import boto3
        import pytest

        def test_sequence(connect_stub, item):
            client = boto3.client(
                "connect",
                region_name="us-east-1",
                config=botocore.config.Config(retries={"total_max_attempts": 1}),
            )
            connect_stub.raise_error("AccessDeniedException", times=2)
            connect_stub.raise_error("ResourceNotFoundException")
            for expected in (
                client.exceptions.AccessDeniedException,
                client.exceptions.AccessDeniedException,
                client.exceptions.ResourceNotFoundException,
            ):
                with pytest.raises(expected):
                    client.batch_put_contact(
                        InstanceId="inst-1", ContactDataRequestList=[item()]
                    )
            resp = client.batch_put_contact(InstanceId="inst-1", ContactDataRequestList=[item()])
            assert len(resp["SuccessfulRequestList"]) == 1
            assert [c.status_code for c in connect_stub.calls] == [403, 403, 404, 200]
        """
    )
    user.runpytest().assert_outcomes(passed=1)


@pytest.mark.parametrize("shape", connect_error_shapes(), ids=lambda shape: str(shape.name))
def test_raise_error_accepts_every_exception_shape_of_the_model(shape: Any) -> None:
    client: Any = botocore.session.get_session().create_client(
        "connect",
        region_name="us-east-1",
        config=botocore.config.Config(retries={"total_max_attempts": 1}),
    )
    item = {
        "RequestIdentifier": "req-1",
        "CustomerEndpoint": {"Type": "TELEPHONE_NUMBER", "Address": "+15550100"},
        "QueueId": "queue-1",
        "Campaign": {"CampaignId": "campaign-1"},
    }
    status = shape.metadata["error"]["httpStatusCode"]
    with ConnectStub() as stub:
        stub.raise_error(shape.name, "the message")
        with pytest.raises(getattr(client.exceptions, shape.name)) as raised:
            client.batch_put_contact(InstanceId="inst-1", ContactDataRequestList=[item])
    assert raised.value.response["Error"] == {"Code": shape.name, "Message": "the message"}
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == status


# --- sequences -------------------------------------------------------------------------------


def test_throttle_twice_then_succeed_reads_as_one_call_that_botocore_retries(
    user: pytest.Pytester,
) -> None:
    user.makepyfile(
        """
        def test_throttle_twice(connect_stub, client, item):
            connect_stub.raise_error("LimitExceededException", times=2)
            resp = client.batch_put_contact(InstanceId="inst-1", ContactDataRequestList=[item()])
            assert [s["RequestIdentifier"] for s in resp["SuccessfulRequestList"]] == ["req-1"]
            assert resp["ResponseMetadata"]["RetryAttempts"] == 2
            assert [(c.attempt, c.status_code) for c in connect_stub.calls] == [
                (1, 429), (2, 429), (3, 200)
            ]
            assert len(connect_stub.contacts) == 1
        """
    )
    user.runpytest().assert_outcomes(passed=1)


def test_succeed_then_fail_with_500(user: pytest.Pytester) -> None:
    user.makepyfile(
        """
        import botocore.config
        import boto3
        import pytest

        def test_then_500(connect_stub, item):
            client = boto3.client(
                "connect",
                region_name="us-east-1",
                config=botocore.config.Config(retries={"total_max_attempts": 1}),
            )
            connect_stub.simulate()
            connect_stub.raise_error("InternalServiceException", "boom")
            first = client.batch_put_contact(InstanceId="inst-1", ContactDataRequestList=[item()])
            assert len(first["SuccessfulRequestList"]) == 1
            with pytest.raises(client.exceptions.InternalServiceException, match="boom"):
                client.batch_put_contact(InstanceId="inst-1", ContactDataRequestList=[item()])
            third = client.batch_put_contact(InstanceId="inst-1", ContactDataRequestList=[item()])
            assert len(third["SuccessfulRequestList"]) == 1
            assert [c.status_code for c in connect_stub.calls] == [200, 500, 200]
        """
    )
    user.runpytest().assert_outcomes(passed=1)


def test_simulate_times_lets_the_service_answer_several_calls_first(
    user: pytest.Pytester,
) -> None:
    user.makepyfile(
        """
        import botocore.config
        import boto3
        import pytest

        def test_two_then_denied(connect_stub, item):
            client = boto3.client(
                "connect",
                region_name="us-east-1",
                config=botocore.config.Config(retries={"total_max_attempts": 1}),
            )
            connect_stub.simulate(times=2)
            connect_stub.raise_error("AccessDeniedException", times=None)
            for _ in range(2):
                client.batch_put_contact(InstanceId="inst-1", ContactDataRequestList=[item()])
            for _ in range(2):
                with pytest.raises(client.exceptions.AccessDeniedException):
                    client.batch_put_contact(
                        InstanceId="inst-1", ContactDataRequestList=[item()]
                    )
            assert [c.status_code for c in connect_stub.calls] == [200, 200, 403, 403]
        """
    )
    user.runpytest().assert_outcomes(passed=1)


def test_item_outcome_waits_for_the_attempt_that_reaches_the_service(
    user: pytest.Pytester,
) -> None:
    user.makepyfile(
        """
        def test_throttle_then_partial(connect_stub, client, item):
            connect_stub.raise_error("LimitExceededException")
            connect_stub.fail("req-2", "INVALID_QUEUE")
            resp = client.batch_put_contact(
                InstanceId="inst-1", ContactDataRequestList=[item("req-1"), item("req-2")]
            )
            assert [f["RequestIdentifier"] for f in resp["FailedRequestList"]] == ["req-2"]
            assert [s["RequestIdentifier"] for s in resp["SuccessfulRequestList"]] == ["req-1"]
            assert [c.status_code for c in connect_stub.calls] == [429, 200]
        """
    )
    user.runpytest().assert_outcomes(passed=1)


# --- respond_with ----------------------------------------------------------------------------


def test_respond_with_answers_the_custom_body_and_creates_nothing(
    user: pytest.Pytester,
) -> None:
    user.makepyfile(
        """
        CUSTOM = {
            "SuccessfulRequestList": [{"RequestIdentifier": "req-1", "ContactId": "fixed-id"}],
            "FailedRequestList": [
                {
                    "RequestIdentifier": "req-9",
                    "FailureReasonCode": "INTERNAL_ERROR",
                    "FailureReasonMessage": "made up",
                }
            ],
        }

        def test_custom(connect_stub, client, item):
            connect_stub.respond_with(CUSTOM, times=2)
            for _ in range(2):
                resp = client.batch_put_contact(
                    InstanceId="inst-1", ContactDataRequestList=[item()]
                )
                assert resp["SuccessfulRequestList"] == CUSTOM["SuccessfulRequestList"]
                assert resp["FailedRequestList"] == CUSTOM["FailedRequestList"]
            assert connect_stub.contacts == {}
            third = client.batch_put_contact(InstanceId="inst-1", ContactDataRequestList=[item()])
            assert third["SuccessfulRequestList"][0]["ContactId"] != "fixed-id"
            assert [c.response for c in connect_stub.calls[:2]] == [CUSTOM, CUSTOM]
        """
    )
    user.runpytest().assert_outcomes(passed=1)


# --- misuse fails where it is written --------------------------------------------------------


def test_unknown_failure_reason_code_fails_at_the_line_naming_valid_codes(
    user: pytest.Pytester,
) -> None:
    user.makepyfile(
        """
        def test_typo(connect_stub):
            connect_stub.fail("req-1", "INVALID_QUEU")
            raise AssertionError("not reached")
        """
    )
    result = user.runpytest()
    result.assert_outcomes(failed=1)
    message = (
        "Unknown FailureReasonCode 'INVALID_QUEU'. Did you mean 'INVALID_QUEUE'? "
        f"Valid values: {', '.join(failure_reason_codes())}."
    )
    result.stdout.fnmatch_lines(
        [
            literal('>       connect_stub.fail("req-1", "INVALID_QUEU")'),
            "E *ValueError: " + literal(message),
        ]
    )
    result.stdout.no_fnmatch_line("*not reached*")


def test_unknown_error_code_fails_at_the_line_naming_valid_codes(
    user: pytest.Pytester,
) -> None:
    user.makepyfile(
        """
        def test_typo(connect_stub):
            connect_stub.raise_error("LimitExceeded")
        """
    )
    result = user.runpytest()
    result.assert_outcomes(failed=1)
    message = unknown_error_code("LimitExceeded", " Did you mean 'LimitExceededException'?")
    result.stdout.fnmatch_lines(
        [
            literal('>       connect_stub.raise_error("LimitExceeded")'),
            "E *ValueError: " + literal(message),
        ]
    )


def test_unknown_failure_reason_code_lists_valid_codes() -> None:
    stub = ConnectStub()
    expected = (
        f"Unknown FailureReasonCode 'SOMETHING'. Valid values: {', '.join(failure_reason_codes())}."
    )
    with pytest.raises(ValueError) as raised:
        stub.fail("req-1", "SOMETHING")
    assert str(raised.value) == expected


def test_unknown_error_code_lists_the_operation_errors_and_counts_the_others() -> None:
    stub = ConnectStub()
    with pytest.raises(ValueError) as raised:
        stub.raise_error("Nope")
    assert str(raised.value) == unknown_error_code("Nope")
    assert len(str(raised.value)) < 300  # not the 29 exceptions of Connect
    assert error_codes()[:6] == [
        "AccessDeniedException",
        "InternalServiceException",
        "InvalidRequestException",
        "ResourceNotFoundException",
        "LimitExceededException",
        "IdempotencyException",
    ]


@pytest.mark.parametrize("times", [0, -1, True, 1.5, "2"])
@pytest.mark.parametrize(
    "script",
    [
        pytest.param(
            lambda stub, times: stub.fail("req-1", "INVALID_QUEUE", times=times), id="fail"
        ),
        pytest.param(lambda stub, times: stub.succeed("req-1", times=times), id="succeed"),
        pytest.param(
            lambda stub, times: stub.raise_error("AccessDeniedException", times=times),
            id="raise_error",
        ),
        pytest.param(
            lambda stub, times: stub.respond_with({"SuccessfulRequestList": []}, times=times),
            id="respond_with",
        ),
        pytest.param(lambda stub, times: stub.simulate(times=times), id="simulate"),
    ],
)
def test_bad_times_is_rejected_when_scripted(
    script: Callable[[ConnectStub, Any], None], times: object
) -> None:
    stub = ConnectStub()
    with pytest.raises(ValueError) as raised:
        script(stub, times)
    assert str(raised.value) == (
        f"times must be a whole number >= 1, or None for every time; got {times!r}"
    )
    stub.assert_outcomes_used()  # nothing half-scripted was left behind


@pytest.mark.parametrize(
    ("response", "expected"),
    [
        (
            {"Bogus": []},
            "Invalid BatchPutContact response: 1 validation error detected: Value '[]' at "
            "'bogus' failed to satisfy constraint: Member must be a known field",
        ),
        (
            {"SuccessfulRequestList": [{"RequestIdentifier": "req-1", "ContactId": ""}]},
            "Invalid BatchPutContact response: 1 validation error detected: Value '' at "
            "'successfulRequestList.1.member.contactId' failed to satisfy constraint: "
            "Member must have length greater than or equal to 1",
        ),
        (
            {"FailedRequestList": [{"RequestIdentifier": "req-1", "FailureReasonCode": "NOPE"}]},
            "Invalid BatchPutContact response: 1 validation error detected: Value 'NOPE' at "
            "'failedRequestList.1.member.failureReasonCode' failed to satisfy constraint: "
            "Member must satisfy enum value set: [" + ", ".join(failure_reason_codes()) + "]",
        ),
    ],
)
def test_invalid_custom_response_is_rejected_when_scripted(
    response: dict[str, Any], expected: str
) -> None:
    stub = ConnectStub()
    with pytest.raises(ValueError) as raised:
        stub.respond_with(response)
    assert str(raised.value) == expected
    stub.assert_outcomes_used()


def test_invalid_custom_response_fails_at_the_line(user: pytest.Pytester) -> None:
    user.makepyfile(
        """
        def test_bad_response(connect_stub):
            connect_stub.respond_with({"SuccessfulRequestList": "all of them"})
        """
    )
    result = user.runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            literal('>       connect_stub.respond_with({"SuccessfulRequestList": "all of them"})'),
            "E *ValueError: "
            + literal(
                "Invalid BatchPutContact response: 1 validation error detected: Value "
                "'all of them' at 'successfulRequestList' failed to satisfy constraint: "
                "Member must be of type list"
            ),
        ]
    )


def test_a_misspelt_code_of_another_connect_exception_gets_a_hint() -> None:
    others = [code for code in error_codes()[6:] if code.endswith("Exception")]
    code = others[0][: -len("Exception")]
    stub = ConnectStub()
    with pytest.raises(ValueError) as raised:
        stub.raise_error(code)
    assert str(raised.value) == unknown_error_code(code, f" Did you mean {others[0]!r}?")
    stub.raise_error(others[0])  # the other exceptions stay accepted
    stub.reset()


@pytest.mark.parametrize(
    ("member", "hint"),
    [
        ("FailureReason", "FailureReasonCode"),
        ("failureReasonCode", "FailureReasonCode"),
        ("FailureReasonMesage", "FailureReasonMessage"),
    ],
)
def test_respond_with_a_misspelt_member_names_the_closest_known_one(member: str, hint: str) -> None:
    stub = ConnectStub()
    with pytest.raises(ValueError) as raised:
        stub.respond_with(
            {"FailedRequestList": [{"RequestIdentifier": "req-1", member: "INVALID_QUEUE"}]}
        )
    field = member[:1].lower() + member[1:]
    assert str(raised.value) == (
        "Invalid BatchPutContact response: 1 validation error detected: Value 'INVALID_QUEUE' "
        f"at 'failedRequestList.1.member.{field}' failed to satisfy constraint: "
        f"Member must be a known field. Did you mean {hint!r}?"
    )


def test_respond_with_hints_only_at_members_not_already_given() -> None:
    stub = ConnectStub()
    with pytest.raises(ValueError) as raised:
        stub.respond_with(
            {
                "SuccessfulRequestList": [
                    {"RequestIdentifier": "r", "ContactId": "c", "ContactID": "d"}
                ]
            }
        )
    assert str(raised.value).endswith("Member must be a known field")


@pytest.mark.parametrize(("code", "member", "values"), REASON_UNIONS, ids=REASON_IDS)
def test_reason_with_a_misspelt_member_names_the_closest_known_one(
    code: str, member: str, values: list[str]
) -> None:
    stub = ConnectStub()
    misspelt = member[:1].lower() + member[1:]
    with pytest.raises(ValueError) as raised:
        stub.raise_error(code, reason={misspelt: values[0]})
    assert str(raised.value).endswith(f"Member must be a known field. Did you mean {member!r}?")


def test_reason_on_an_error_without_reason_is_rejected_naming_the_shapes_with_one() -> None:
    with_reason = sorted(code for code, _, _ in REASON_UNIONS)
    stub = ConnectStub()
    with pytest.raises(ValueError) as raised:
        stub.raise_error("LimitExceededException", reason={"Anything": "x"})
    if with_reason:
        assert str(raised.value) == (
            "LimitExceededException has no Reason member; "
            f"reason= applies to {', '.join(with_reason)}."
        )
    else:
        assert str(raised.value) == (
            "LimitExceededException has no Reason member; "
            "no exception of the installed botocore model has one."
        )
    stub.assert_outcomes_used()


@pytest.mark.parametrize(("code", "member", "values"), REASON_UNIONS, ids=REASON_IDS)
def test_reason_that_breaks_the_union_shape_is_rejected(
    code: str, member: str, values: list[str]
) -> None:
    stub = ConnectStub()
    with pytest.raises(ValueError) as raised:
        stub.raise_error(code, reason={member: "TOO_BIG"})
    field = member[:1].lower() + member[1:]
    assert str(raised.value) == (
        f"Invalid reason for {code}: 1 validation error detected: "
        f"Value 'TOO_BIG' at '{field}' failed to satisfy "
        f"constraint: Member must satisfy enum value set: [{', '.join(values)}]"
    )


@pytest.mark.parametrize(("code", "member", "values"), REASON_UNIONS, ids=REASON_IDS)
def test_reason_with_no_member_is_rejected(code: str, member: str, values: list[str]) -> None:
    stub = ConnectStub()
    with pytest.raises(ValueError) as raised:
        stub.raise_error(code, reason={})
    assert str(raised.value).startswith(f"Invalid reason for {code}: 1 validation error detected")


def test_invalid_contact_id_is_rejected_when_scripted() -> None:
    stub = ConnectStub()
    with pytest.raises(ValueError) as raised:
        stub.succeed("req-1", contact_id="x" * 257)
    assert str(raised.value).startswith(
        "Invalid contact_id: 1 validation error detected: Value 'xxx"
    )
    assert str(raised.value).endswith("Member must have length less than or equal to 256")


def test_a_matcher_that_is_neither_identifier_nor_predicate_is_rejected() -> None:
    stub = ConnectStub()
    with pytest.raises(TypeError) as raised:
        stub.fail(42, "INVALID_QUEUE")  # type: ignore[arg-type]
    assert str(raised.value) == (
        "request must be a RequestIdentifier (str) or a predicate taking the "
        "ContactDataRequest dict; got 42"
    )


def test_a_message_that_is_not_text_is_rejected() -> None:
    stub = ConnectStub()
    with pytest.raises(TypeError) as raised:
        stub.fail("req-1", "INVALID_QUEUE", message=42)  # type: ignore[arg-type]
    assert str(raised.value) == "message must be a string, not 42"
    stub.assert_outcomes_used()


def test_calls_answered_200_have_no_error_code_or_message(user: pytest.Pytester) -> None:
    user.makepyfile(
        """
        def test_ok(connect_stub, client, item):
            client.batch_put_contact(InstanceId="inst-1", ContactDataRequestList=[item()])
            [call] = connect_stub.calls
            assert (call.status_code, call.error_code, call.error_message) == (200, None, None)
        """
    )
    user.runpytest().assert_outcomes(passed=1)


def test_a_chosen_contact_id_is_for_one_contact() -> None:
    stub = ConnectStub()
    with pytest.raises(ValueError, match=r"use times=1 \(the default\), not times=None"):
        stub.succeed("req-1", contact_id="contact-1", times=None)


def test_the_services_own_validation_answer_keeps_aws_words_for_unknown_members() -> None:
    from pytest_connect_stub.validation import request_validator

    clauses = request_validator().errors(
        {
            "InstanceId": "inst-1",
            "ContactDataRequestList": [{"RequestIdentifer": "req-1"}],
        }
    )
    assert clauses == [
        "Value 'req-1' at 'contactDataRequestList.1.member.requestIdentifer' failed to "
        "satisfy constraint: Member must be a known field"
    ]
