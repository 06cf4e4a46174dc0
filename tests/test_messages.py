"""The validator's report in AWS's words: clauses, quoted values, the summary sentence."""

from __future__ import annotations

from pytest_connect_stub.messages import render_value, summarize
from pytest_connect_stub.validation import Validator, request_validator


def test_value_rendering_is_bounded() -> None:
    assert render_value(None) == "null"
    assert render_value("x" * 200) == "'" + "x" * 120 + "...'"
    assert render_value({"a": [1]}) == "'{\"a\":[1]}'"


def _nested(levels: int) -> list[object]:
    value: list[object] = []
    for _ in range(levels - 1):
        value = [value]
    return value


def test_values_of_any_depth_are_rendered_without_recursion() -> None:
    assert render_value(_nested(100_000)) == "'" + "[" * 120 + "...'"
    assert render_value(_nested(3)) == "'[[[]]]'"
    assert render_value([{"k": "é"}, 1.5, None, True]) == """'[{"k":"\\u00e9"},1.5,null,true]'"""
    assert render_value(["x" * 500]) == "'[\"" + "x" * 118 + "...'"
    assert render_value({"not json": {1, 2}}) == """'{"not json":<set>}'"""


def test_any_depth_of_document_is_reported_in_aws_words() -> None:
    document = {
        "InstanceId": "i",
        "ContactDataRequestList": [{"Attributes": {"k": _nested(5_000)}}],
    }
    assert request_validator().errors(document) == [
        "Value '" + "[" * 120 + "...' at 'contactDataRequestList.1.member.attributes' "
        "failed to satisfy constraint: Map value must satisfy constraint: "
        "[Member must be of type string]"
    ]


def test_the_validator_lists_every_violation_and_the_message_counts_them() -> None:
    document = {
        "InstanceId": "i",
        "ContactDataRequestList": [{"Attributes": {f"k{n}": n for n in range(12)}}],
    }
    clauses = request_validator().errors(document)
    assert len(clauses) == 12
    message = summarize(clauses)
    assert message == "12 validation errors detected: " + "; ".join(clauses[:10]) + "; and 2 more"
    assert summarize(clauses[:1]).startswith("1 validation error detected: Value '0'")


def test_a_pattern_of_the_model_is_checked_on_strings_only() -> None:
    # No BatchPutContact shape has a pattern today; other Connect shapes do.
    validator = Validator({"type": ["string", "integer"], "pattern": "^a+$"})
    assert validator.errors("aaa") == validator.errors(5) == []
    assert validator.errors("ab") == [
        "Value 'ab' at '' failed to satisfy constraint: "
        "Member must satisfy regular expression pattern: ^a+$"
    ]
    assert validator.errors(None) == [
        "Value null at '' failed to satisfy constraint: Member must not be null"
    ]
