"""The simulated BatchPutContact service: instances, queues, per-item rules, contacts, tokens.

The per-item rules live in ``rules.py``, the ClientToken store in ``idempotency.py`` and the
contact records in ``contacts.py``; a scripted outcome always wins over the rules.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from .contacts import Contact as Contact  # re-exported: the public type's usual home
from .contacts import ContactIds, Created, SentItems
from .errors import ServiceError
from .idempotency import IdempotencyStore
from .items import Item, ItemAnswer
from .rules import Batch, Pending, Rule, failures, in_force


class Instances:
    """The Connect instances the stub knows, with their queues."""

    def __init__(self, instances: Mapping[str, Iterable[str]] | None) -> None:
        self._queues: dict[str, set[str]] = {}
        for instance_id, queues in (instances or {}).items():
            self.add(instance_id, queues)

    def add(self, instance_id: str, queues: Iterable[str]) -> None:
        """Register an instance, or add queues to one already registered.

        ``queues`` is checked by the caller (``options.queue_ids``), the one place that does.
        """
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
        self._contacts: dict[str, Contact] = {}
        #: Batches whose Contact objects are not made yet (see ``contacts``).
        self._unread: list[Created] = []

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
        fresh = self.contact_ids.take(len(items))
        sent = SentItems(body)
        if not answers:  # every item is created: the usual batch, in one pass
            self._unread.append(Created(range(len(items)), fresh, instance_id, client_token, sent))
            successful = [
                {"ContactId": contact_id}
                if (identifier := item.get("RequestIdentifier")) is None
                else {"RequestIdentifier": identifier, "ContactId": contact_id}
                for item, contact_id in zip(items, fresh, strict=True)
            ]
            return {"SuccessfulRequestList": successful, "FailedRequestList": []}
        unused = iter(fresh)
        indexes: list[int] = []
        contact_ids: list[str] = []
        successful = []
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
            contact_id = contact_id or next(unused)
            entry["ContactId"] = contact_id
            successful.append(entry)
            indexes.append(index)
            contact_ids.append(contact_id)
        # Only a batch answered in full creates contacts (a raising predicate aborts it).
        self._unread.append(Created(indexes, contact_ids, instance_id, client_token, sent))
        return {"SuccessfulRequestList": successful, "FailedRequestList": failed}

    @property
    def contacts(self) -> dict[str, Contact]:
        """ContactId -> the contact created for it, oldest first (a reused ID: the newest)."""
        for batch in self._unread:  # made when first read: most calls' contacts never are
            self._contacts.update(
                (
                    contact_id,
                    Contact(contact_id, batch.instance_id, batch.client_token, batch.sent, index),
                )
                for index, contact_id in zip(batch.indexes, batch.contact_ids, strict=True)
            )
        self._unread.clear()
        return self._contacts

    @property
    def rules(self) -> tuple[Rule, ...]:
        """The rules in force: those whose code the installed model has, less disabled ones."""
        if self._rules is None:
            from .model import failure_reason_codes  # botocore loads with the first call

            self._rules = in_force(failure_reason_codes(), self.disabled)
        return self._rules

    def reset(self) -> None:
        """Forget contacts and tokens; keep instances and settings."""
        self._contacts.clear()
        self._unread.clear()
        self.tokens.clear()


_CREATE = ItemAnswer()
