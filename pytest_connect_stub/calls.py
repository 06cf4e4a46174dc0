"""Call records, and the partial matching behind the assertion helpers."""

from __future__ import annotations

import pprint
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any


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


def mismatches(expected: Any, actual: Any, path: str = "") -> Iterator[str]:
    """Yield one line per place where ``actual`` does not contain ``expected``.

    Mappings match partially (only the expected keys are compared, at every depth);
    lists match item by item and must have the same length; anything else, including
    ``unittest.mock.ANY``, compares with ``==``.
    """
    if isinstance(expected, Mapping) and isinstance(actual, Mapping):
        for key, value in expected.items():
            where = f"{path}.{key}" if path else str(key)
            if key not in actual:
                yield f"{where}: expected {value!r}, but it is missing"
            else:
                yield from mismatches(value, actual[key], where)
    elif (
        isinstance(expected, Sequence)
        and isinstance(actual, Sequence)
        and not isinstance(expected, str)
        and not isinstance(actual, str)
    ):
        if len(expected) != len(actual):
            yield f"{path}: expected {len(expected)} items, got {len(actual)}"
            return
        for index, (want, got) in enumerate(zip(expected, actual)):
            yield from mismatches(want, got, f"{path}[{index}]")
    elif expected != actual:  # expected first, so mock.ANY decides
        yield f"{path}: expected {expected!r}, got {actual!r}"


def describe_calls(calls: Sequence[Call], expected: Mapping[str, Any] | None = None) -> str:
    """List every call received, with what differs from ``expected`` when given."""
    if not calls:
        return "No BatchPutContact call was received."
    lines = [f"Calls received ({len(calls)}):"]
    for index, call in enumerate(calls):
        outcome = call.error_code or call.status_code
        lines.append(f"  [{index}] attempt {call.attempt}, answered {outcome}:")
        body = pprint.pformat(call.params, width=88, sort_dicts=False)
        lines.extend("        " + line for line in body.splitlines())
        if expected is not None:
            for problem in mismatches(expected, call.params):
                lines.append(f"      differs at {problem}")
    return "\n".join(lines)
