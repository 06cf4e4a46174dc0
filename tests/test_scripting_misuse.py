"""Scripting misuse fails at the user's line, with a message naming the valid choices."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from connect_model import (
    REASON_IDS,
    REASON_UNIONS,
    error_codes,
    failure_reason_codes,
    unknown_error_code,
)
from helpers import literal

from pytest_connect_stub import ConnectStub


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
