"""Call records: what a test reads of each BatchPutContact attempt, and how they are kept."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple, cast

from .bodies import read_again, request_params


@dataclass(frozen=True)
class Call:
    """One HTTP attempt of BatchPutContact that reached the stub (retries are calls too).

    ``params`` is the request as the caller would pass it to ``batch_put_contact``:
    ``InstanceId`` (percent-decoded from the path) beside the decoded JSON body.
    ``headers`` are the request's headers with credentials redacted.
    """

    params: dict[str, Any]
    status_code: int
    response: dict[str, Any]
    error_code: str | None
    attempt: int
    headers: Mapping[str, str]
    request_id: str
    replayed: bool = False

    def __hash__(self) -> int:
        # Every attempt gets its own request_id, and equal Calls have equal ones; the dicts
        # in the other fields are what made the generated hash raise.
        return hash(self.request_id)

    @property
    def instance_id(self) -> str | None:
        """The InstanceId from the request path."""
        value = self.params.get("InstanceId")
        return value if isinstance(value, str) else None

    @property
    def client_token(self) -> str | None:
        """The ClientToken botocore sent (filled in by botocore when the caller gave none)."""
        value = self.params.get("ClientToken")
        return value if isinstance(value, str) else None

    @property
    def contact_requests(self) -> list[dict[str, Any]]:
        """The ContactDataRequestList as sent (empty if the request had none)."""
        value = self.params.get("ContactDataRequestList")
        return value if isinstance(value, list) else []

    @property
    def invocation_id(self) -> str | None:
        """botocore's ``amz-sdk-invocation-id``: the same for every attempt of one call."""
        return self.headers.get("amz-sdk-invocation-id")

    @property
    def error_message(self) -> str | None:
        """The error's message, for a call answered with an error."""
        if self.error_code is None:
            return None
        message = self.response.get("Message", self.response.get("message"))
        return message if isinstance(message, str) else None


_REDACTED = "<redacted>"
_SECRET_HEADERS = frozenset({"authorization", "x-amz-security-token"})


def redact(headers: Mapping[str, str | bytes]) -> dict[str, str]:
    """Copy headers as text with lower-cased names, credentials replaced by a marker."""
    copy = {}
    for name, value in headers.items():
        key = name.lower()
        if key in _SECRET_HEADERS:
            copy[key] = _REDACTED
        else:
            copy[key] = value.decode("latin-1") if isinstance(value, bytes) else value
    return copy


class Kept(NamedTuple):
    """A call as the log keeps it until first read: the bytes it sent and was answered."""

    #: The request as read, or None to read it again from ``body`` (InstanceId beside the
    #: body's members): only a body the schema accepted, which nests no deeper than the
    #: model, so reading it again cannot hit the interpreter's recursion limit.
    params: dict[str, Any] | None
    instance_id: str
    body: bytes
    #: Whether orjson read ``body`` (see ``bodies.Decoded.fast``).
    fast: bool
    answer: bytes
    status_code: int
    error_code: str | None
    attempt: int
    headers: Mapping[str, str]
    request_id: str
    replayed: bool

    def call(self) -> Call:
        """The ``Call`` record of this call."""
        params = self.params
        if params is None:
            params = request_params(self.instance_id, read_again(self.body, self.fast))
        return Call(
            params=params,
            status_code=self.status_code,
            response=read_again(self.answer, fast=False),
            error_code=self.error_code,
            attempt=self.attempt,
            headers=self.headers,
            request_id=self.request_id,
            replayed=self.replayed,
        )


class CallLog:
    """The calls one stub received, oldest first; callers hold the handler's lock.

    Each call is kept as the bytes it sent and was answered until the log is first read, so
    a call whose record nobody reads keeps no dicts (``benchmarks/README.md``). A call once
    read stays the same ``Call`` object, so edits a test makes to it stay too.
    """

    def __init__(self) -> None:
        self._entries: list[Call | Kept] = []
        self._read = 0  # entries before this index are Calls

    def add(self, kept: Kept) -> None:
        """Keep one call."""
        self._entries.append(kept)

    def read(self) -> list[Call]:
        """Every call, as ``Call`` records (a new list; the records are shared)."""
        entries = self._entries
        for index in range(self._read, len(entries)):
            entry = entries[index]
            if isinstance(entry, Kept):
                entries[index] = entry.call()
        self._read = len(entries)
        return cast("list[Call]", list(entries))  # every entry is a Call now

    def clear(self) -> None:
        """Forget every call."""
        self._entries.clear()
        self._read = 0

    def __len__(self) -> int:
        return len(self._entries)
