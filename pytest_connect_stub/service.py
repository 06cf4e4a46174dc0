"""The simulated BatchPutContact service: instances, queues, per-item rules, contacts, tokens.

AWS documents the FailureReasonCodes but not what triggers them; the rules below are this
stub's model of the service (see the README's "Per-item rules" table). Each can be switched
off, and a scripted outcome always wins over them.
"""

from __future__ import annotations

import os
import random
import re
import time
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Callable, Optional

Item = Mapping[str, Any]
#: A rule looks at one ContactDataRequest and returns a failure message, or None to pass.
Rule = Callable[[Item, "BatchContext"], Optional[str]]

_E164 = re.compile(r"\+[1-9]\d{1,14}")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_ATTRIBUTE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_ATTRIBUTE_KEYS = re.compile(r"[A-Za-z0-9_-]+(?:\n[A-Za-z0-9_-]+)*")
ATTRIBUTES_MAX_BYTES = 32_768
DEFAULT_TOKEN_TTL = 7 * 24 * 3600.0


class BatchContext:
    """What the rules know beyond the item: the instance's queues, and earlier items."""

    __slots__ = ("queues", "repeated")

    def __init__(self, queues: frozenset[str] | None) -> None:
        #: The instance's queues in strict mode; None when any queue is accepted.
        self.queues = queues
        #: Whether the current item's RequestIdentifier appeared earlier in the batch.
        self.repeated = False


def _duplicate_identifier(item: Item, batch: BatchContext) -> str | None:
    if batch.repeated:
        return f"RequestIdentifier '{item['RequestIdentifier']}' appears earlier in this batch"
    return None


def _missing_customer_endpoint(item: Item, batch: BatchContext) -> str | None:
    endpoint = item.get("CustomerEndpoint")
    if not endpoint or not endpoint.get("Address"):
        return "CustomerEndpoint with an Address is required"
    return None


def _bad_address(endpoint: Mapping[str, Any], email_allowed: bool) -> str | None:
    kind, address = endpoint.get("Type"), endpoint.get("Address", "")
    if kind == "TELEPHONE_NUMBER" and not _E164.fullmatch(address):
        return f"'{address}' is not a phone number in E.164 format"
    if email_allowed and kind == "EMAIL_ADDRESS" and not _EMAIL.fullmatch(address):
        return f"'{address}' is not an email address"
    return None


def _invalid_customer_endpoint(item: Item, batch: BatchContext) -> str | None:
    endpoint = item.get("CustomerEndpoint")
    if endpoint is None:
        return None
    if "Type" not in endpoint:
        return "CustomerEndpoint.Type is required"
    return _bad_address(endpoint, email_allowed=True)


def _missing_queue_and_system_endpoint(item: Item, batch: BatchContext) -> str | None:
    if "QueueId" not in item and "SystemEndpoint" not in item:
        return "Either QueueId or SystemEndpoint is required"
    return None


def _invalid_system_endpoint(item: Item, batch: BatchContext) -> str | None:
    endpoint = item.get("SystemEndpoint")
    return None if endpoint is None else _bad_address(endpoint, email_allowed=False)


def _invalid_queue(item: Item, batch: BatchContext) -> str | None:
    queue = item.get("QueueId")
    if batch.queues is None or queue is None or queue in batch.queues:
        return None
    return f"Queue '{queue}' does not exist on this instance"


def _missing_campaign(item: Item, batch: BatchContext) -> str | None:
    if not (item.get("Campaign") or {}).get("CampaignId"):
        return "Campaign.CampaignId is required"
    return None


def _invalid_attribute_key(item: Item, batch: BatchContext) -> str | None:
    attributes = item.get("Attributes")
    if not attributes:
        return None
    if not _ATTRIBUTE_KEYS.fullmatch("\n".join(attributes)):
        bad = next(key for key in attributes if not _ATTRIBUTE_KEY.fullmatch(key))
        return f"Attribute key '{bad}' may contain only A-Z, a-z, 0-9, '-' and '_'"
    # A character is at most 4 UTF-8 bytes: encode only when the total could be over.
    if 4 * sum(len(key) + len(value) for key, value in attributes.items()) > ATTRIBUTES_MAX_BYTES:
        size = sum(len(key.encode()) + len(value.encode()) for key, value in attributes.items())
        if size > ATTRIBUTES_MAX_BYTES:
            return f"Attributes total {size} bytes, more than {ATTRIBUTES_MAX_BYTES}"
    return None


def _invalid_outbound_strategy(item: Item, batch: BatchContext) -> str | None:
    strategy = item.get("OutboundStrategy") or {}
    preview = (strategy.get("Config") or {}).get("AgentFirst", {}).get("Preview")
    if preview is not None and not preview.get("AllowedUserActions"):
        return "Preview requires at least one AllowedUserAction"
    return None


#: The default rules, in the order they are tried; the first that fails an item wins.
RULES: tuple[tuple[str, Rule], ...] = (
    ("IDEMPOTENCY_EXCEPTION", _duplicate_identifier),
    ("MISSING_CUSTOMER_ENDPOINT", _missing_customer_endpoint),
    ("INVALID_CUSTOMER_ENDPOINT", _invalid_customer_endpoint),
    ("MISSING_QUEUE_ID_AND_SYSTEM_ENDPOINT", _missing_queue_and_system_endpoint),
    ("INVALID_SYSTEM_ENDPOINT", _invalid_system_endpoint),
    ("INVALID_QUEUE", _invalid_queue),
    ("MISSING_CAMPAIGN", _missing_campaign),
    ("INVALID_ATTRIBUTE_KEY", _invalid_attribute_key),
    ("INVALID_OUTBOUND_STRATEGY", _invalid_outbound_strategy),
)
RULE_CODES = tuple(code for code, _ in RULES)


class Contact(Mapping[str, Any]):
    """A contact the stub created: the ContactDataRequest as sent, plus where it landed.

    Reads like the request (``contact["CustomerEndpoint"]["Address"]``) and carries
    ``contact_id``, ``instance_id`` and ``client_token`` as attributes.
    """

    __slots__ = ("_request", "client_token", "contact_id", "instance_id")

    def __init__(
        self, contact_id: str, instance_id: str, client_token: str | None, request: Item
    ) -> None:
        self.contact_id = contact_id
        self.instance_id = instance_id
        self.client_token = client_token
        self._request = request

    def __getitem__(self, key: str) -> Any:
        return self._request[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._request)

    def __len__(self) -> int:
        return len(self._request)

    @property
    def request_identifier(self) -> str | None:
        """The item's RequestIdentifier, if it had one."""
        return self._request.get("RequestIdentifier")

    def __repr__(self) -> str:
        return (
            f"Contact(contact_id={self.contact_id!r}, instance_id={self.instance_id!r}, "
            f"request={dict(self._request)!r})"
        )


@dataclass
class _Token:
    params: Mapping[str, Any]
    body: dict[str, Any]
    expires: float


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

    def lookup(self, token: str) -> _Token | None:
        """The live record of ``token``, dropping it first if it has expired."""
        found = self._tokens.get(token)
        if found is not None and found.expires <= self.now():
            del self._tokens[token]
            return None
        return found

    def remember(self, token: str, params: Mapping[str, Any], body: dict[str, Any]) -> None:
        """Keep a 200 answer for ``token``."""
        self._tokens[token] = _Token(params, body, self.now() + self.ttl)

    def clear(self) -> None:
        """Forget every token."""
        self._tokens.clear()


def same_request(first: Mapping[str, Any], second: Mapping[str, Any]) -> bool:
    # Decoded JSON compares by value: key order and formatting never matter.
    return {k: v for k, v in first.items() if k != "ClientToken"} == {
        k: v for k, v in second.items() if k != "ClientToken"
    }


_VARIANT = {digit: "89ab"[int(digit, 16) & 3] for digit in "0123456789abcdef"}


class ContactIds:
    """UUID4 ContactIds: random by default, a repeatable sequence with a seed."""

    def __init__(self, seed: int | None) -> None:
        self._random = None if seed is None else random.Random(seed)

    def take(self, count: int) -> list[str]:
        """Return ``count`` new ContactIds."""
        if count == 0:
            return []
        if self._random is None:
            digits = os.urandom(16 * count).hex()
        else:
            digits = f"{self._random.getrandbits(128 * count):0{32 * count}x}"
        # Formatted by hand (version 4, RFC 4122 variant): uuid.UUID objects cost more here.
        return [
            f"{digits[i : i + 8]}-{digits[i + 8 : i + 12]}-4{digits[i + 13 : i + 16]}-"
            f"{_VARIANT[digits[i + 16]]}{digits[i + 17 : i + 20]}-{digits[i + 20 : i + 32]}"
            for i in range(0, 32 * count, 32)
        ]


class Instances:
    """The Connect instances the stub knows, with their queues."""

    def __init__(self, instances: Mapping[str, Iterable[str]] | None) -> None:
        self._queues: dict[str, set[str]] = {}
        for instance_id, queues in (instances or {}).items():
            self.add(instance_id, queues)

    def add(self, instance_id: str, queues: Iterable[str]) -> None:
        """Register an instance, or add queues to one already registered."""
        if isinstance(queues, str):
            raise TypeError(f"queues must be a list of queue IDs, not the string {queues!r}")
        self._queues.setdefault(instance_id, set()).update(queues)

    def queues(self, instance_id: str) -> frozenset[str] | None:
        """The queues of an instance given by ID or ARN; None if it is not registered."""
        found = self._queues.get(instance_id)
        if found is None and instance_id.startswith("arn:"):
            found = self._queues.get(instance_id.rsplit("/", 1)[-1])
        return None if found is None else frozenset(found)

    def __contains__(self, instance_id: object) -> bool:
        return isinstance(instance_id, str) and self.queues(instance_id) is not None

    def as_dict(self) -> dict[str, list[str]]:
        """The registered instances and their queues, sorted."""
        return {name: sorted(queues) for name, queues in sorted(self._queues.items())}


#: A scripted per-item answer: (FailureReasonCode or None for success, message, ContactId).
ItemAnswer = tuple[Optional[str], Optional[str], Optional[str]]


class SimulatedService:
    """Connect as far as BatchPutContact can see it: instances, contacts and tokens."""

    def __init__(
        self,
        *,
        strict: bool,
        instances: Mapping[str, Iterable[str]] | None,
        disabled: frozenset[str],
        seed: int | None,
        token_ttl: float,
    ) -> None:
        self.strict = strict
        self.instances = Instances(instances)
        self.disabled = disabled
        self._rules: list[tuple[str, Rule]] | None = None
        self.tokens = IdempotencyStore(token_ttl)
        self.contact_ids = ContactIds(seed)
        self.contacts: dict[str, Contact] = {}

    def knows_instance(self, instance_id: str) -> bool:
        """False only in strict mode, for an instance nobody registered."""
        return not self.strict or instance_id in self.instances

    def put_contacts(
        self,
        instance_id: str,
        client_token: str | None,
        items: list[Item],
        scripted: Callable[[Item], ItemAnswer | None] | None,
    ) -> dict[str, Any]:
        """Create the batch's contacts; answer BatchPutContact's 200 body.

        ``scripted`` gives an item's scripted answer, if any (None: nothing is scripted).
        """
        batch = BatchContext(self.instances.queues(instance_id) if self.strict else None)
        rules = self.rules
        seen: set[str] = set()
        results: list[tuple[Item, ItemAnswer]] = []
        for item in items:
            identifier = item.get("RequestIdentifier")
            batch.repeated = identifier in seen
            if identifier is not None:
                seen.add(identifier)
            answer = None if scripted is None else scripted(item)
            if answer is None:
                answer = _CREATE
                for rule_code, rule in rules:
                    failure = rule(item, batch)
                    if failure is not None:
                        answer = (rule_code, failure, None)
                        break
            results.append((item, answer))
        fresh = iter(self.contact_ids.take(sum(1 for _, a in results if a == _CREATE)))
        successful: list[dict[str, Any]] = []
        failed: list[dict[str, Any]] = []
        for item, (code, message, contact_id) in results:
            entry: dict[str, Any] = {}
            if "RequestIdentifier" in item:
                entry["RequestIdentifier"] = item["RequestIdentifier"]
            if code is not None:
                entry["FailureReasonCode"] = code
                entry["FailureReasonMessage"] = message
                failed.append(entry)
                continue
            contact_id = contact_id or next(fresh)
            entry["ContactId"] = contact_id
            successful.append(entry)
            self.contacts[contact_id] = Contact(contact_id, instance_id, client_token, item)
        return {"SuccessfulRequestList": successful, "FailedRequestList": failed}

    @property
    def rules(self) -> list[tuple[str, Rule]]:
        """The rules in force: those whose code the installed model has, less disabled ones."""
        if self._rules is None:
            from .schema import failure_reason_codes

            known = set(failure_reason_codes())
            self._rules = [
                (code, rule) for code, rule in RULES if code in known and code not in self.disabled
            ]
        return self._rules

    def reset(self) -> None:
        """Forget contacts and tokens; keep instances and settings."""
        self.contacts.clear()
        self.tokens.clear()


_CREATE: ItemAnswer = (None, None, None)
