"""The simulated service's per-item rules: one ordered table, the first failure winning.

AWS documents the FailureReasonCodes of BatchPutContact but not what triggers them; the
rules here are this stub's model of the service (the README's "Per-item rules" table). To
add a rule, write its check and add one ``Rule`` entry to ``RULES`` where it belongs in the
order.

A check looks at the whole batch at once and yields ``(index, message)`` for each pending
item it fails: one call per rule and batch instead of one per rule and item, because the
rules run for every item of every call.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple

from .items import Item

#: The items no scripted outcome or earlier rule has answered yet, by index in the batch.
Pending = dict[int, Item]

_IS_E164 = re.compile(r"\+[1-9][0-9]{1,14}").fullmatch
_IS_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+").fullmatch
_ATTRIBUTE_KEY = re.compile(r"[A-Za-z0-9_-]+")
ATTRIBUTES_MAX_BYTES = 32_768


class Batch(NamedTuple):
    """What a check may need beyond the items themselves."""

    #: Every item of the request, in order (scripted ones included).
    items: list[Item]
    #: The instance's queues in strict mode; None when any queue is accepted.
    queues: frozenset[str] | None
    #: The request body's length in bytes. No item's attributes can take more UTF-8 bytes
    #: than the JSON text that carried them, so a body this short cannot break the size limit.
    body_size: int


Check = Callable[[Pending, Batch], Iterator[tuple[int, str]]]


@dataclass(frozen=True)
class Rule:
    """One per-item rule: the FailureReasonCode it answers, and the check that finds it."""

    code: str
    check: Check


def _repeated_identifier(pending: Pending, batch: Batch) -> Iterator[tuple[int, str]]:
    identifiers = [item.get("RequestIdentifier") for item in batch.items]
    if len(set(identifiers)) == len(identifiers):  # all different: the usual batch
        return
    earlier: set[Any] = set()
    for index, item in enumerate(batch.items):
        identifier = item.get("RequestIdentifier")
        if identifier is None:
            continue
        if identifier in earlier and index in pending:
            yield index, f"RequestIdentifier '{identifier}' appears earlier in this batch"
        earlier.add(identifier)


def _missing_customer(pending: Pending, _: Batch) -> Iterator[tuple[int, str]]:
    for index, item in pending.items():
        customer = item.get("CustomerEndpoint")
        if not customer or not customer.get("Address"):
            yield index, "CustomerEndpoint with an Address is required"


def _bad_address(kind: Any, address: str, email_allowed: bool) -> str | None:
    if kind == "TELEPHONE_NUMBER":
        if _IS_E164(address) is None:
            return f"'{address}' is not a phone number in E.164 format"
    elif email_allowed and kind == "EMAIL_ADDRESS" and _IS_EMAIL(address) is None:
        return f"'{address}' is not an email address"
    return None


def _invalid_customer(pending: Pending, _: Batch) -> Iterator[tuple[int, str]]:
    for index, item in pending.items():
        customer = item.get("CustomerEndpoint")
        if customer is None:
            continue
        if "Type" not in customer:
            yield index, "CustomerEndpoint.Type is required"
            continue
        problem = _bad_address(customer["Type"], customer.get("Address", ""), True)
        if problem is not None:
            yield index, problem


def _missing_route(pending: Pending, _: Batch) -> Iterator[tuple[int, str]]:
    for index, item in pending.items():
        if item.get("QueueId") is None and item.get("SystemEndpoint") is None:
            yield index, "Either QueueId or SystemEndpoint is required"


def _invalid_system(pending: Pending, _: Batch) -> Iterator[tuple[int, str]]:
    # A batch's items mostly share one SystemEndpoint: one equal to the last good one passes.
    good: Item | None = None
    for index, item in pending.items():
        system = item.get("SystemEndpoint")
        if system is None or system == good:
            continue
        problem = _bad_address(system.get("Type"), system.get("Address", ""), False)
        if problem is None:
            good = system
        else:
            yield index, problem


def _invalid_queue(pending: Pending, batch: Batch) -> Iterator[tuple[int, str]]:
    queues = batch.queues
    if queues is None:
        return
    for index, item in pending.items():
        queue = item.get("QueueId")
        if queue is not None and queue not in queues:
            yield index, f"Queue '{queue}' does not exist on this instance"


def _missing_campaign(pending: Pending, _: Batch) -> Iterator[tuple[int, str]]:
    for index, item in pending.items():
        if not (item.get("Campaign") or {}).get("CampaignId"):
            yield index, "Campaign.CampaignId is required"


#: Attribute keys already found valid: keys repeat across items and calls, a set lookup is
#: cheaper than the regular expression. Bounded, so odd inputs cannot grow it for ever.
_GOOD_KEYS: set[str] = set()
_GOOD_KEYS_MAX = 4096


def _bad_attributes(attributes: Mapping[str, str], body_size: int) -> str | None:
    for key in attributes:
        if key in _GOOD_KEYS:
            continue
        if not _ATTRIBUTE_KEY.fullmatch(key):
            return f"Attribute key '{key}' may contain only A-Z, a-z, 0-9, '-' and '_'"
        if len(_GOOD_KEYS) < _GOOD_KEYS_MAX:
            _GOOD_KEYS.add(key)
    if body_size <= ATTRIBUTES_MAX_BYTES:
        return None
    size = sum(len(key.encode()) + len(value.encode()) for key, value in attributes.items())
    if size > ATTRIBUTES_MAX_BYTES:
        return f"Attributes total {size} bytes, more than {ATTRIBUTES_MAX_BYTES}"
    return None


def _invalid_attribute(pending: Pending, batch: Batch) -> Iterator[tuple[int, str]]:
    # Only known keys in a body too short to break the size limit: the usual item, passed
    # by one set operation.
    short = batch.body_size <= ATTRIBUTES_MAX_BYTES
    for index, item in pending.items():
        attributes = item.get("Attributes")
        if attributes and not (short and _GOOD_KEYS.issuperset(attributes)):
            problem = _bad_attributes(attributes, batch.body_size)
            if problem is not None:
                yield index, problem


def _invalid_strategy(pending: Pending, _: Batch) -> Iterator[tuple[int, str]]:
    for index, item in pending.items():
        strategy = item.get("OutboundStrategy")
        if not strategy:
            continue
        preview = (strategy.get("Config") or {}).get("AgentFirst", {}).get("Preview")
        if preview is not None and not preview.get("AllowedUserActions"):
            yield index, "Preview requires at least one AllowedUserAction"


#: The per-item rules, in the order they are tried; the first that fails an item wins.
RULES = (
    Rule("IDEMPOTENCY_EXCEPTION", _repeated_identifier),
    Rule("MISSING_CUSTOMER_ENDPOINT", _missing_customer),
    Rule("INVALID_CUSTOMER_ENDPOINT", _invalid_customer),
    Rule("MISSING_QUEUE_ID_AND_SYSTEM_ENDPOINT", _missing_route),
    Rule("INVALID_SYSTEM_ENDPOINT", _invalid_system),
    Rule("INVALID_QUEUE", _invalid_queue),
    Rule("MISSING_CAMPAIGN", _missing_campaign),
    Rule("INVALID_ATTRIBUTE_KEY", _invalid_attribute),
    Rule("INVALID_OUTBOUND_STRATEGY", _invalid_strategy),
)

#: The FailureReasonCodes that have a rule, in rule order.
RULE_CODES = tuple(rule.code for rule in RULES)


def in_force(known_codes: Iterable[str], disabled: Iterable[str]) -> tuple[Rule, ...]:
    """The rules whose code the installed model has, less those switched off, in order."""
    known, off = frozenset(known_codes), frozenset(disabled)
    return tuple(rule for rule in RULES if rule.code in known and rule.code not in off)


def failures(rules: tuple[Rule, ...], pending: Pending, batch: Batch) -> dict[int, tuple[str, str]]:
    """Index -> (FailureReasonCode, message) of each pending item some rule fails.

    Each item gets the first rule it breaks, in table order; ``pending`` is consumed.
    """
    failed: dict[int, tuple[str, str]] = {}
    for rule in rules:
        if not pending:
            break
        for index, message in list(rule.check(pending, batch)):
            failed[index] = (rule.code, message)
            del pending[index]
    return failed
