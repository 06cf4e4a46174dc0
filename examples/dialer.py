"""Outbound dialing: hand dial requests to Amazon Connect with BatchPutContact.

This is the kind of module an outbound-dialing team writes, and the code that
``test_dialer.py`` tests with the ``connect_stub`` fixture. It sends dial requests in
batches of at most 25 (the API's limit), records the ContactId Connect created for each
request, and re-sends items that failed for a transient reason (``REQUEST_THROTTLED``,
``INTERNAL_ERROR``) in a later batch, a bounded number of times.

Whole-call errors (throttling of the API itself, 5xx) are retried by botocore before they
reach this module; one that still fails after botocore gave up fails every request of that
batch with the error's code, and the dialer carries on with the next batch.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from botocore.exceptions import ClientError

#: The most items BatchPutContact accepts in one call.
MAX_BATCH_SIZE = 25

#: FailureReasonCodes worth sending again: the item itself was fine.
RETRYABLE_CODES = frozenset({"REQUEST_THROTTLED", "INTERNAL_ERROR"})

#: The code recorded for a request Connect's answer did not mention at all.
NO_RESULT = "NO_RESULT"


class ConnectClient(Protocol):
    """The part of a boto3 ``connect`` client the dialer uses."""

    def batch_put_contact(self, **kwargs: Any) -> Mapping[str, Any]:
        """Amazon Connect's BatchPutContact."""
        ...


@dataclass(frozen=True)
class DialRequest:
    """One customer to call: who, for which campaign, routed to which queue."""

    request_id: str
    phone_number: str
    campaign_id: str
    queue_id: str
    attributes: Mapping[str, str] = field(default_factory=dict)

    def to_contact_data(self) -> dict[str, Any]:
        """This request as one ``ContactDataRequest`` of BatchPutContact."""
        item: dict[str, Any] = {
            "RequestIdentifier": self.request_id,
            "CustomerEndpoint": {"Type": "TELEPHONE_NUMBER", "Address": self.phone_number},
            "QueueId": self.queue_id,
            "Campaign": {"CampaignId": self.campaign_id},
        }
        if self.attributes:
            item["Attributes"] = dict(self.attributes)
        return item


@dataclass
class DialResult:
    """What became of each request.

    ``created`` maps request_id to the ContactId Connect created; ``failed`` maps
    request_id to ``(code, message)``: a FailureReasonCode, or the error code of a call
    that failed as a whole. Every request ends up in exactly one of the two.
    """

    created: dict[str, str] = field(default_factory=dict)
    failed: dict[str, tuple[str, str]] = field(default_factory=dict)
    #: How many BatchPutContact calls were made (botocore's own retries not counted).
    batches: int = 0


@dataclass
class _Pending:
    request: DialRequest
    retries: int = 0


def dial(
    client: ConnectClient,
    instance_id: str,
    requests: Iterable[DialRequest],
    *,
    max_retries: int = 2,
    batch_size: int = MAX_BATCH_SIZE,
) -> DialResult:
    """Create an outbound contact for every request, in batches of ``batch_size``.

    An item that fails with a code in :data:`RETRYABLE_CODES` goes back in the queue and
    is sent again in a later batch, at most ``max_retries`` times; any other failure is
    final. Raises ValueError for a repeated request_id, before anything is sent.
    """
    if not 1 <= batch_size <= MAX_BATCH_SIZE:
        raise ValueError(f"batch_size must be between 1 and {MAX_BATCH_SIZE}, not {batch_size}")
    if max_retries < 0:
        raise ValueError(f"max_retries must be >= 0, not {max_retries}")
    queue = deque(_Pending(request) for request in _unique(requests))
    result = DialResult()
    while queue:
        batch = [queue.popleft() for _ in range(min(batch_size, len(queue)))]
        result.batches += 1
        for pending, outcome in _send(client, instance_id, batch):
            request_id = pending.request.request_id
            if isinstance(outcome, str):
                result.created[request_id] = outcome
            elif outcome[0] in RETRYABLE_CODES and pending.retries < max_retries:
                pending.retries += 1
                queue.append(pending)
            else:
                result.failed[request_id] = outcome
    return result


def _unique(requests: Iterable[DialRequest]) -> list[DialRequest]:
    seen: set[str] = set()
    unique = []
    for request in requests:
        if request.request_id in seen:
            raise ValueError(f"request_id {request.request_id!r} appears more than once")
        seen.add(request.request_id)
        unique.append(request)
    return unique


def _send(
    client: ConnectClient, instance_id: str, batch: Sequence[_Pending]
) -> list[tuple[_Pending, str | tuple[str, str]]]:
    """Send one batch; pair each item with its ContactId or its ``(code, message)``."""
    try:
        response = client.batch_put_contact(
            InstanceId=instance_id,
            ContactDataRequestList=[pending.request.to_contact_data() for pending in batch],
        )
    except ClientError as error:
        details = error.response.get("Error", {})
        failure = (str(details.get("Code", "Unknown")), str(details.get("Message", error)))
        return [(pending, failure) for pending in batch]
    outcomes: dict[str, str | tuple[str, str]] = {}
    for success in response.get("SuccessfulRequestList", []):
        outcomes[success["RequestIdentifier"]] = success["ContactId"]
    for failure in response.get("FailedRequestList", []):
        outcomes[failure["RequestIdentifier"]] = (
            failure.get("FailureReasonCode", "UNKNOWN"),
            failure.get("FailureReasonMessage", ""),
        )
    missing = (NO_RESULT, "BatchPutContact's answer did not mention this request")
    return [(pending, outcomes.get(pending.request.request_id, missing)) for pending in batch]
