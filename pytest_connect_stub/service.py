"""The simulated BatchPutContact service: instances, queues, per-item rules, contacts, tokens.

AWS documents the FailureReasonCodes but not what triggers them; the rules below are this
stub's model of the service (see the README's "Per-item rules" table). Each can be switched
off, and a scripted outcome always wins over them.
"""

from __future__ import annotations

import json
import os
import random
import re
import time
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Callable, Optional

Item = Mapping[str, Any]

_E164 = re.compile(r"\+[1-9][0-9]{1,14}")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_ATTRIBUTE_KEY = re.compile(r"[A-Za-z0-9_-]+")
ATTRIBUTES_MAX_BYTES = 32_768
DEFAULT_TOKEN_TTL = 7 * 24 * 3600.0


#: The per-item rules, in the order they are tried; the first that fails an item wins.
RULE_CODES = (
    "IDEMPOTENCY_EXCEPTION",
    "MISSING_CUSTOMER_ENDPOINT",
    "INVALID_CUSTOMER_ENDPOINT",
    "MISSING_QUEUE_ID_AND_SYSTEM_ENDPOINT",
    "INVALID_SYSTEM_ENDPOINT",
    "INVALID_QUEUE",
    "MISSING_CAMPAIGN",
    "INVALID_ATTRIBUTE_KEY",
    "INVALID_OUTBOUND_STRATEGY",
)


def _bad_address(endpoint: Mapping[str, Any], email_allowed: bool) -> str | None:
    kind, address = endpoint.get("Type"), endpoint.get("Address", "")
    if kind == "TELEPHONE_NUMBER" and not _E164.fullmatch(address):
        return f"'{address}' is not a phone number in E.164 format"
    if email_allowed and kind == "EMAIL_ADDRESS" and not _EMAIL.fullmatch(address):
        return f"'{address}' is not an email address"
    return None


def _bad_attributes(attributes: Mapping[str, str]) -> str | None:
    for key in attributes:
        if not _ATTRIBUTE_KEY.fullmatch(key):
            return f"Attribute key '{key}' may contain only A-Z, a-z, 0-9, '-' and '_'"
    # A character is at most 4 UTF-8 bytes: encode only when the total could be over.
    if 4 * sum(len(key) + len(value) for key, value in attributes.items()) > ATTRIBUTES_MAX_BYTES:
        size = sum(len(key.encode()) + len(value.encode()) for key, value in attributes.items())
        if size > ATTRIBUTES_MAX_BYTES:
            return f"Attributes total {size} bytes, more than {ATTRIBUTES_MAX_BYTES}"
    return None


class Rules:
    """The per-item rules in force, tried in ``RULE_CODES`` order.

    One method rather than a function per rule: it runs for every item of every call, and
    one call per item instead of nine is most of what the rules cost.
    """

    def __init__(self, enabled: Iterable[str]) -> None:
        on = frozenset(enabled)
        self.codes = tuple(code for code in RULE_CODES if code in on)
        (
            self._duplicate,
            self._missing_customer,
            self._invalid_customer,
            self._missing_route,
            self._invalid_system,
            self._invalid_queue,
            self._missing_campaign,
            self._invalid_attribute,
            self._invalid_strategy,
        ) = (code in on for code in RULE_CODES)

    def first_failure(
        self, item: Item, repeated: bool, queues: frozenset[str] | None
    ) -> tuple[str, str] | None:
        """The first rule ``item`` breaks, as (FailureReasonCode, message); None if none.

        ``repeated``: its RequestIdentifier appeared earlier in the batch. ``queues``: the
        instance's queues in strict mode, None when any queue is accepted.
        """
        if repeated and self._duplicate:
            return (
                "IDEMPOTENCY_EXCEPTION",
                f"RequestIdentifier '{item['RequestIdentifier']}' appears earlier in this batch",
            )
        customer = item.get("CustomerEndpoint")
        if self._missing_customer and (not customer or not customer.get("Address")):
            return "MISSING_CUSTOMER_ENDPOINT", "CustomerEndpoint with an Address is required"
        if self._invalid_customer and customer is not None:
            problem = (
                "CustomerEndpoint.Type is required"
                if "Type" not in customer
                else _bad_address(customer, email_allowed=True)
            )
            if problem is not None:
                return "INVALID_CUSTOMER_ENDPOINT", problem
        system = item.get("SystemEndpoint")
        queue = item.get("QueueId")
        if self._missing_route and queue is None and system is None:
            return (
                "MISSING_QUEUE_ID_AND_SYSTEM_ENDPOINT",
                "Either QueueId or SystemEndpoint is required",
            )
        if self._invalid_system and system is not None:
            problem = _bad_address(system, email_allowed=False)
            if problem is not None:
                return "INVALID_SYSTEM_ENDPOINT", problem
        if self._invalid_queue and queues is not None and queue is not None and queue not in queues:
            return "INVALID_QUEUE", f"Queue '{queue}' does not exist on this instance"
        if self._missing_campaign and not (item.get("Campaign") or {}).get("CampaignId"):
            return "MISSING_CAMPAIGN", "Campaign.CampaignId is required"
        attributes = item.get("Attributes")
        if self._invalid_attribute and attributes:
            problem = _bad_attributes(attributes)
            if problem is not None:
                return "INVALID_ATTRIBUTE_KEY", problem
        strategy = item.get("OutboundStrategy")
        if self._invalid_strategy and strategy:
            preview = (strategy.get("Config") or {}).get("AgentFirst", {}).get("Preview")
            if preview is not None and not preview.get("AllowedUserActions"):
                return (
                    "INVALID_OUTBOUND_STRATEGY",
                    "Preview requires at least one AllowedUserAction",
                )
        return None


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
    instance_id: str
    request: bytes
    response: bytes
    expires: float

    def same_request(self, params: Mapping[str, Any]) -> bool:
        """Whether ``params`` is the request this token was first sent with.

        Decoded JSON compares by value: key order and formatting never matter.
        """
        first = json.loads(self.request) if self.request else {}
        first["InstanceId"] = self.instance_id
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

    def lookup(self, token: str) -> _Token | None:
        """The live record of ``token``, dropping it first if it has expired."""
        found = self._tokens.get(token)
        if found is not None and found.expires <= self.now():
            del self._tokens[token]
            return None
        return found

    def remember(self, token: str, instance_id: str, request: bytes, response: bytes) -> None:
        """Keep a 200 answer for ``token``, with the request it answered (as sent)."""
        self._tokens[token] = _Token(instance_id, request, response, self.now() + self.ttl)

    def clear(self) -> None:
        """Forget every token."""
        self._tokens.clear()


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
        self._rules: Rules | None = None
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
        rules = self.rules
        queues = self.instances.queues(instance_id) if self.strict else None
        # One ContactId per item drawn up front: cheaper than one at a time, and still a
        # repeatable sequence under a seed.
        fresh = iter(self.contact_ids.take(len(items)))
        made: list[Contact] = []
        seen: set[str] = set()
        successful: list[dict[str, Any]] = []
        failed: list[dict[str, Any]] = []
        for item in items:
            identifier = item.get("RequestIdentifier")
            repeated = identifier in seen
            if identifier is not None:
                seen.add(identifier)
            answer = None if scripted is None else scripted(item)
            if answer is None:
                failure = rules.first_failure(item, repeated, queues)
                answer = _CREATE if failure is None else (failure[0], failure[1], None)
            code, message, contact_id = answer
            entry: dict[str, Any] = {} if identifier is None else {"RequestIdentifier": identifier}
            if code is not None:
                entry["FailureReasonCode"] = code
                entry["FailureReasonMessage"] = message
                failed.append(entry)
                continue
            contact_id = contact_id or next(fresh)
            entry["ContactId"] = contact_id
            successful.append(entry)
            made.append(Contact(contact_id, instance_id, client_token, item))
        # Only a batch answered in full creates contacts (a raising predicate aborts it).
        self.contacts.update((contact.contact_id, contact) for contact in made)
        return {"SuccessfulRequestList": successful, "FailedRequestList": failed}

    @property
    def rules(self) -> Rules:
        """The rules in force: those whose code the installed model has, less disabled ones."""
        if self._rules is None:
            from .schema import failure_reason_codes

            known = set(failure_reason_codes())
            self._rules = Rules(code for code in known if code not in self.disabled)
        return self._rules

    def reset(self) -> None:
        """Forget contacts and tokens; keep instances and settings."""
        self.contacts.clear()
        self.tokens.clear()


_CREATE: ItemAnswer = (None, None, None)
