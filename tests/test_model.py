"""The installed botocore model as the stub reads it: error shapes and enums."""

from __future__ import annotations

from botocore.loaders import Loader

from pytest_connect_stub import model


def test_error_shapes_carry_the_model_status() -> None:
    shapes = model.error_shapes()
    assert shapes["LimitExceededException"].status == 429
    assert shapes["InternalServiceException"].status == 500
    assert shapes["IdempotencyException"].status == 409
    assert set(model.operation_error_codes()) <= set(shapes)


def test_failure_reason_codes_come_from_the_model() -> None:
    shapes = Loader().load_service_model("connect", "service-2")["shapes"]
    assert model.failure_reason_codes() == tuple(shapes["FailureReasonCode"]["enum"])
