"""Modelled errors: raised where they arise, encoded once by the HTTP handler."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .model import ErrorShape


class ServiceError(Exception):
    """An error answer of the Connect service, raised by whatever part of the stub finds it.

    ``code`` names an exception shape of the installed model, which gives the HTTP status
    and the spelling of the message member; ``reason`` fills the shape's ``Reason`` member.
    A code the model lacks (``NotImplemented``, for an operation the stub does not serve)
    gives its own ``status``; otherwise it is answered as a 400.
    """

    def __init__(
        self,
        code: str,
        message: str,
        reason: Mapping[str, Any] | None = None,
        *,
        status: int | None = None,
    ) -> None:
        super().__init__(code, message)
        self.code = code
        self.message = message
        self.reason = reason
        self._status = status

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"

    @property
    def status(self) -> int:
        """The HTTP status: the one given, else the model's for the code, else 400."""
        if self._status is not None:
            return self._status
        shape = self._shape()
        return shape.status if shape is not None else 400

    def body(self) -> dict[str, Any]:
        """The JSON body of the answer, with the message under the model's member name."""
        shape = self._shape()
        lower = shape is not None and "message" in shape.members
        body: dict[str, Any] = {"message" if lower else "Message": self.message}
        if self.reason:
            body["Reason"] = dict(self.reason)
        return body

    def _shape(self) -> ErrorShape | None:
        # Imported here, not at the top: importing the stub's modules must not load botocore.
        from .model import error_shapes

        return error_shapes().get(self.code)
