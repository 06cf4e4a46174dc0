"""The simulated BatchPutContact service: instances, queues, per-item rules, contacts, tokens.

The per-item rules live in ``rules.py`` and the ClientToken store in ``idempotency.py``; a
scripted outcome always wins over the rules.
"""

from __future__ import annotations

import json
import os
import random
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

from .errors import ServiceError
from .idempotency import IdempotencyStore
from .items import Item, ItemAnswer
from .rules import Batch, Pending, Rule, failures, in_force


class SentItems:
    """The ContactDataRequestList of one request, decoded afresh from its bytes when first read.

    Contacts read their items from here rather than sharing the dicts of the ``Call`` record:
    a test editing one record cannot change the other. Decoding waits for the first read, so
    a call whose contacts nobody reads costs no copy.
    """

    __slots__ = ("_body", "_items")

    def __init__(self, body: bytes) -> None:
        self._body = body
        self._items: list[dict[str, Any]] | None = None

    def __getitem__(self, index: int) -> dict[str, Any]:
        if self._items is None:
            self._items = json.loads(self._body.decode("utf-8"))["ContactDataRequestList"]
        return self._items[index]


class Contact(Mapping[str, Any]):
    """A contact the stub created: the ContactDataRequest as sent, plus where it landed.

    Reads like the request (``contact["CustomerEndpoint"]["Address"]``) and carries
    ``contact_id``, ``instance_id`` and ``client_token`` as attributes. Its data is its own
    copy: editing it leaves the ``Call`` record alone, and the other way round.
    """

    __slots__ = ("_index", "_sent", "client_token", "contact_id", "instance_id")

    def __init__(
        self,
        contact_id: str,
        instance_id: str,
        client_token: str | None,
        sent: SentItems,
        index: int,
    ) -> None:
        self.contact_id = contact_id
        self.instance_id = instance_id
        self.client_token = client_token
        self._sent = sent
        self._index = index

    @property
    def _request(self) -> dict[str, Any]:
        return self._sent[self._index]

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
            f"request={self._request!r})"
        )


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
        # Version 4, RFC 4122 variant, formatted by hand (benchmarks/README.md says why).
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


#: Asked in strict mode about an instance nobody registered, with its InstanceId (ID or ARN)
#: and the request's URL and headers: True if it exists elsewhere (moto's transport adds
#: moto's Connect backend here while it is switched on).
InstanceFinder = Callable[[str, str, Mapping[str, Any]], bool]
known_elsewhere: list[InstanceFinder] = []


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
        self._rules: tuple[Rule, ...] | None = None
        self.tokens = IdempotencyStore(token_ttl)
        self.contact_ids = ContactIds(seed)
        self.contacts: dict[str, Contact] = {}

    def check_instance(
        self, instance_id: str, url: str = "", headers: Mapping[str, Any] | None = None
    ) -> None:
        """Raise ResourceNotFoundException in strict mode, for an instance nobody registered
        (nor holds elsewhere, see ``known_elsewhere``, for the request to ``url``)."""
        if (
            self.strict
            and instance_id not in self.instances
            and not any(known(instance_id, url, headers or {}) for known in known_elsewhere)
        ):
            raise ServiceError(
                "ResourceNotFoundException",
                f"Instance '{instance_id}' does not exist (strict mode: register it with "
                "add_instance() or the instances option).",
            )

    def put_contacts(
        self,
        instance_id: str,
        client_token: str | None,
        items: list[Item],
        scripted: Callable[[Item], ItemAnswer | None] | None,
        body: bytes,
    ) -> dict[str, Any]:
        """Create the batch's contacts; answer BatchPutContact's 200 body.

        ``items`` are the decoded ``body``'s ContactDataRequestList; ``scripted`` gives an
        item's scripted answer, if any (None: nothing is scripted).
        """
        answers: dict[int, ItemAnswer] = {}
        pending: Pending = dict(enumerate(items))
        if scripted is not None:
            for index, item in enumerate(items):
                answer = scripted(item)
                if answer is not None:
                    answers[index] = answer
                    del pending[index]
        if pending:
            queues = self.instances.queues(instance_id) if self.strict else None
            batch = Batch(items, queues, len(body))
            for index, (reason, why) in failures(self.rules, pending, batch).items():
                answers[index] = ItemAnswer(reason, why)
        # One ContactId per item drawn up front: cheaper than one at a time, and still a
        # repeatable sequence under a seed.
        fresh = iter(self.contact_ids.take(len(items)))
        sent = SentItems(body)
        made: list[Contact] = []
        successful: list[dict[str, Any]] = []
        failed: list[dict[str, Any]] = []
        for index, item in enumerate(items):
            identifier = item.get("RequestIdentifier")
            code, message, contact_id = answers.get(index, _CREATE)
            entry: dict[str, Any] = {} if identifier is None else {"RequestIdentifier": identifier}
            if code is not None:
                entry["FailureReasonCode"] = code
                entry["FailureReasonMessage"] = message
                failed.append(entry)
                continue
            contact_id = contact_id or next(fresh)
            entry["ContactId"] = contact_id
            successful.append(entry)
            made.append(Contact(contact_id, instance_id, client_token, sent, index))
        # Only a batch answered in full creates contacts (a raising predicate aborts it).
        self.contacts.update((contact.contact_id, contact) for contact in made)
        return {"SuccessfulRequestList": successful, "FailedRequestList": failed}

    @property
    def rules(self) -> tuple[Rule, ...]:
        """The rules in force: those whose code the installed model has, less disabled ones."""
        if self._rules is None:
            from .model import failure_reason_codes  # botocore loads with the first call

            self._rules = in_force(failure_reason_codes(), self.disabled)
        return self._rules

    def reset(self) -> None:
        """Forget contacts and tokens; keep instances and settings."""
        self.contacts.clear()
        self.tokens.clear()


_CREATE = ItemAnswer()
