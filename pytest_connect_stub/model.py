"""The installed botocore Connect model: loaded once, with its enums and error shapes.

Everything the stub knows about BatchPutContact's shapes, enums, error shapes and HTTP
statuses is read from whatever botocore is installed, never copied into this package.
"""

from __future__ import annotations

import functools
from typing import NamedTuple

from botocore.loaders import Loader
from botocore.model import (
    ListShape,
    OperationModel,
    ServiceModel,
    Shape,
    StringShape,
    StructureShape,
)

SERVICE_NAME = "connect"
OPERATION_NAME = "BatchPutContact"


@functools.cache
def service_model() -> ServiceModel:
    """Return the Connect service model of the installed botocore (loaded once)."""
    return ServiceModel(Loader().load_service_model(SERVICE_NAME, "service-2"), SERVICE_NAME)


def operation_model() -> OperationModel:
    """Return the BatchPutContact operation model."""
    return service_model().operation_model(OPERATION_NAME)


def _enum_of(shape_path: tuple[str, ...]) -> tuple[str, ...]:
    shape: Shape | None = operation_model().output_shape
    for name in shape_path:
        if isinstance(shape, ListShape):
            shape = shape.member
        assert isinstance(shape, StructureShape)
        shape = shape.members[name]
    assert isinstance(shape, StringShape)
    return tuple(shape.enum)


@functools.cache
def failure_reason_codes() -> tuple[str, ...]:
    """The FailureReasonCode values of the installed model."""
    return _enum_of(("FailedRequestList", "FailureReasonCode"))


class ErrorShape(NamedTuple):
    """One modeled exception of the Connect service."""

    code: str
    status: int
    members: dict[str, Shape]


@functools.cache
def error_shapes() -> dict[str, ErrorShape]:
    """Every exception shape of the installed Connect model, by error code."""
    found: dict[str, ErrorShape] = {}
    for shape in service_model().error_shapes:
        assert isinstance(shape, StructureShape)
        code = shape.metadata.get("error", {}).get("code", shape.name)
        status = int(shape.metadata.get("error", {}).get("httpStatusCode", 400))
        found[code] = ErrorShape(code, status, dict(shape.members))
    return dict(sorted(found.items()))


def operation_error_codes() -> tuple[str, ...]:
    """The error codes the model lists for BatchPutContact itself."""
    return tuple(shape.name for shape in operation_model().error_shapes)
