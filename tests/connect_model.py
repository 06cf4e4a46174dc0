"""What the installed botocore model says about Connect's codes and errors, for expectations.

Tests derive the expected lists from the model, as the stub does, so that a newer botocore
with new codes changes the expectation and the product together.
"""

from __future__ import annotations

from typing import Any

import botocore.session
from botocore.loaders import Loader

#: The installed model's shapes, as botocore's JSON has them.
SHAPES: dict[str, Any] = Loader().load_service_model("connect", "service-2")["shapes"]
HAS_EMAIL = "EMAIL_ADDRESS" in SHAPES["EndpointType"]["enum"]
HAS_OUTBOUND_STRATEGY = "OutboundStrategy" in SHAPES["ContactDataRequest"]["members"]


def _model() -> Any:
    return botocore.session.get_session().get_service_model("connect")


def failure_reason_codes() -> list[str]:
    """The FailureReasonCode enum of the installed botocore model, in model order."""
    shape: Any = _model().shape_for("FailureReasonCode")
    return list(shape.enum)


def operation_error_codes() -> list[str]:
    """BatchPutContact's own errors, in model order."""
    return [shape.name for shape in _model().operation_model("BatchPutContact").error_shapes]


def error_codes() -> list[str]:
    """BatchPutContact's own errors first, then the other exception shapes of Connect."""
    ours = operation_error_codes()
    others = sorted(shape.name for shape in _model().error_shapes if shape.name not in ours)
    return ours + others


def unknown_error_code(code: str, hint: str = "") -> str:
    """raise_error's message for an unknown code: this operation's errors, then a count."""
    ours = operation_error_codes()
    others = len(error_codes()) - len(ours)
    return (
        f"Unknown error code {code!r}.{hint} Valid values for BatchPutContact: "
        f"{', '.join(ours)}. The {others} other exceptions of the Connect model are accepted too."
    )


def connect_error_shapes() -> list[Any]:
    """Every exception shape of the installed Connect model."""
    return list(_model().error_shapes)


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
