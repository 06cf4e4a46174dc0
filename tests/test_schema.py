"""The JSON Schema derived from the installed botocore model, and its snapshot."""

from __future__ import annotations

import json
from pathlib import Path

import botocore
import pytest
from botocore.loaders import Loader

from pytest_connect_stub import schema
from pytest_connect_stub.model import service_model
from pytest_connect_stub.validation import Validator

SNAPSHOT = Path(__file__).parent.parent / "schemas"
CI_PINS = Path(__file__).parent.parent / "constraints" / "ci.txt"


def _snapshot_botocore(name: str) -> str:
    document = json.loads((SNAPSHOT / f"batch_put_contact.{name}.json").read_text())
    return str(document["$comment"]).split("botocore ")[1].split(" ")[0]


def _pinned_botocore() -> str:
    pins = [
        line.split("==", 1)[1].strip()
        for line in CI_PINS.read_text().splitlines()
        if line.startswith("botocore==")
    ]
    assert len(pins) == 1, f"{CI_PINS} should pin botocore exactly once, found {pins}"
    return pins[0]


@pytest.mark.parametrize("name", ["request", "response"])
def test_snapshot_matches_the_generator(name: str, tmp_path: Path) -> None:
    pinned, recorded = _pinned_botocore(), _snapshot_botocore(name)
    assert recorded == pinned, (
        f"schemas/ is of botocore {recorded} but CI pins botocore {pinned}: "
        "regenerate with python -m pytest_connect_stub.schema schemas"
    )
    if botocore.__version__ != pinned:
        pytest.skip(
            f"installed botocore {botocore.__version__} is not the pinned botocore {pinned}"
        )
    schema.write_snapshot(tmp_path)
    fresh = (tmp_path / f"batch_put_contact.{name}.json").read_bytes()
    assert fresh == (SNAPSHOT / f"batch_put_contact.{name}.json").read_bytes(), (
        "schemas/ is stale: regenerate with python -m pytest_connect_stub.schema schemas"
    )


def test_command_line_writes_both_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert schema.main([str(tmp_path)]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "batch_put_contact.request.json",
        "batch_put_contact.response.json",
    ]
    assert capsys.readouterr().out.count("batch_put_contact.") == 2


def test_request_schema_follows_the_model() -> None:
    document = schema.request_schema()
    model = Loader().load_service_model("connect", "service-2")["shapes"]
    assert document["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert document["required"] == ["InstanceId", "ContactDataRequestList"]
    assert document["properties"]["InstanceId"] == {
        "type": "string",
        "minLength": 1,
        "maxLength": 100,
    }
    batch = document["$defs"]["ContactDataRequestList"]
    assert (batch["minItems"], batch["maxItems"]) == (1, 25)
    endpoint = document["$defs"]["Endpoint"]["properties"]["Type"]
    assert endpoint["enum"] == model["EndpointType"]["enum"]
    assert document["$defs"]["Attributes"]["propertyNames"] == {
        "type": "string",
        "minLength": 1,
        "maxLength": 32767,
    }
    assert document["$defs"]["ContactDataRequest"]["additionalProperties"] is False


def test_unions_take_exactly_one_member() -> None:
    if "InvalidRequestExceptionReason" not in service_model().shape_names:
        pytest.skip("this botocore has no InvalidRequestException.Reason union")
    shape = service_model().shape_for("InvalidRequestExceptionReason")
    validator = Validator(schema.member_schema(shape))
    assert (
        validator.errors({"AttachedFileInvalidRequestExceptionReason": "INVALID_FILE_SIZE"}) == []
    )
    assert validator.errors({}) == [
        "Value '{}' at '' failed to satisfy constraint: "
        "Member must set exactly one of: AttachedFileInvalidRequestExceptionReason"
    ]


def test_every_shape_of_the_model_converts_to_a_valid_schema() -> None:
    from jsonschema import Draft202012Validator

    model = service_model()
    checked: set[str] = set()
    for name in model.shape_names:
        shape = model.shape_for(name)
        converted = schema.member_schema(shape)
        if shape.type_name not in checked:  # one meta-schema check per kind keeps this quick
            Draft202012Validator.check_schema(converted)
            checked.add(shape.type_name)
    assert {"structure", "list", "map", "string", "integer", "boolean", "timestamp"} <= checked


@pytest.mark.parametrize(
    ("shape_name", "valid", "invalid"),
    [
        ("Long", 5, "5"),
        ("Boolean", True, "true"),
        ("Timestamp", 1700000000.5, [1]),
    ],
)
def test_scalar_kinds_map_to_json_types(shape_name: str, valid: object, invalid: object) -> None:
    if shape_name not in service_model().shape_names:
        pytest.skip(f"this botocore has no {shape_name} shape")
    shape = service_model().shape_for(shape_name)
    validator = Validator(schema.member_schema(shape))
    assert validator.errors(valid) == []
    assert len(validator.errors(invalid)) == 1
