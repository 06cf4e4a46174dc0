"""What the stub handles per item: a ContactDataRequest, and the answer it gets."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

#: One ContactDataRequest of a BatchPutContact request, as decoded from the body.
Item = Mapping[str, Any]


class ItemAnswer(NamedTuple):
    """How one item is answered: failed with a FailureReasonCode, or created."""

    #: The FailureReasonCode, or None when the item is created.
    code: str | None = None
    #: The FailureReasonMessage of a failed item.
    message: str | None = None
    #: The ContactId a created item gets; None draws a fresh one.
    contact_id: str | None = None
