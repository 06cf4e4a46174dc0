"""ClientToken idempotency: the first 200 answer to a token, replayed while it lives.

The handler asks :meth:`IdempotencyStore.replay_or_raise` before the simulated service
answers a request, and :meth:`IdempotencyStore.remember` once that answer is encoded.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .bodies import read_again, request_params
from .errors import ServiceError


@dataclass
class _Token:
    instance_id: str
    #: The request body and the answer, as bytes: a test editing a ``Call`` record cannot
    #: change what a later request is compared with or answered.
    request: bytes
    response: bytes
    expires: float

    def same_request(self, params: Mapping[str, Any]) -> bool:
        """Whether ``params`` is the request this token was first sent with.

        Decoded JSON compares by value: key order and formatting never matter.
        """
        first = request_params(
            self.instance_id, read_again(self.request, fast=False) if self.request else {}
        )
        first.pop("ClientToken", None)
        return first == {key: value for key, value in params.items() if key != "ClientToken"}


class IdempotencyStore:
    """ClientToken -> the first 200 answer, kept for ``ttl`` seconds of the stub's clock."""

    def __init__(self, ttl: float) -> None:
        self.ttl = ttl
        self.offset = 0.0
        self._tokens: dict[str, _Token] = {}

    def now(self) -> float:
        """The stub's clock: wall time moved on by ``advance``."""
        return time.time() + self.offset

    def advance(self, seconds: float) -> None:
        """Move the stub's clock forward."""
        self.offset += seconds

    def replay_or_raise(self, params: Mapping[str, Any]) -> bytes | None:
        """The answer to replay for this request's ClientToken; None to answer it afresh.

        Raises IdempotencyException's ServiceError when the token was first sent with
        different parameters. An expired token is forgotten first.
        """
        token = params.get("ClientToken")
        if token is None:
            return None
        found = self._tokens.get(token)
        if found is None:
            return None
        if found.expires <= self.now():
            del self._tokens[token]
            return None
        if found.same_request(params):
            return found.response
        raise ServiceError(
            "IdempotencyException",
            f"ClientToken '{token}' was already used with different parameters.",
        )

    def remember(self, token: str, instance_id: str, request: bytes, response: bytes) -> None:
        """Keep a 200 answer for ``token``, with the request it answered (as sent)."""
        self._tokens[token] = _Token(instance_id, request, response, self.now() + self.ttl)

    def clear(self) -> None:
        """Forget every token."""
        self._tokens.clear()
