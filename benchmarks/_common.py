"""What the benchmarks share: settings, a client, the items, the modes of answering a call.

Every benchmark prints ratios against a baseline measured in the same process, interleaved
round by round so that machine noise hits both alike; none asserts on absolute times.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import json
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import boto3
from botocore.awsrequest import AWSResponse
from botocore.stub import Stubber

from pytest_connect_stub import ConnectStub

INSTANCE_ID = "inst-bench"


@dataclass(frozen=True)
class Settings:
    """How long each benchmark runs."""

    #: Rounds of blocks of calls (one block per mode each), and how long a block takes.
    rounds: int
    block_seconds: float
    #: Rounds of one call per mode (``bench_call.py --per-call``).
    call_rounds: int
    memory_calls: int
    enter_exit_rounds: int
    import_reps: int


FULL = Settings(
    rounds=21,
    block_seconds=0.05,
    call_rounds=1500,
    memory_calls=10_000,
    enter_exit_rounds=11,
    import_reps=20,
)
QUICK = Settings(
    rounds=5,
    block_seconds=0.02,
    call_rounds=100,
    memory_calls=2_000,
    enter_exit_rounds=3,
    import_reps=5,
)


def argument_parser(description: str | None) -> argparse.ArgumentParser:
    """The options every benchmark takes: ``--quick`` for a smoke run."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--quick", action="store_true", help="fewer rounds, for a smoke run")
    return parser


def settings_of(args: argparse.Namespace) -> Settings:
    """The settings ``--quick`` asks for, or the full ones."""
    return QUICK if args.quick else FULL


def settings_from_argv(description: str | None) -> Settings:
    """``--quick`` for a smoke run; the full settings otherwise."""
    return settings_of(argument_parser(description).parse_args())


def print_header(settings: Settings) -> None:
    """The versions measured, first line of every benchmark's output."""
    import botocore

    quick = " (--quick)" if settings is QUICK else ""
    print(
        f"Python {sys.version.split()[0]}, botocore {botocore.__version__}, "
        f"boto3 {boto3.__version__}{quick}"
    )


def make_client() -> Any:
    """A plain boto3 Connect client with fixed fake credentials (the same for every mode)."""
    return boto3.client(
        "connect",
        region_name="us-east-1",
        aws_access_key_id="AKIDCONNECTBENCH",
        aws_secret_access_key="connect-bench-not-a-secret",
    )


def lean_items(count: int) -> list[dict[str, Any]]:
    """``count`` items with only what the default rules require."""
    return [
        {
            "RequestIdentifier": f"req-{n}",
            "CustomerEndpoint": {"Type": "TELEPHONE_NUMBER", "Address": f"+1555010{n:04d}"},
            "QueueId": "queue-1",
            "Campaign": {"CampaignId": "campaign-1"},
        }
        for n in range(count)
    ]


def realistic_items(count: int) -> list[dict[str, Any]]:
    """``count`` items as an outbound campaign sends them: endpoints, queue, attributes."""
    return [
        {
            "RequestIdentifier": f"dial-2026-11-28-{n:06d}",
            "CustomerEndpoint": {"Type": "TELEPHONE_NUMBER", "Address": f"+1555010{n:04d}"},
            "SystemEndpoint": {"Type": "TELEPHONE_NUMBER", "Address": "+15550199"},
            "QueueId": "4f1a2b3c-0d9e-4f8a-b7c6-d5e4f3a2b1c0",
            "Campaign": {"CampaignId": "c0ffee00-1234-4abc-9def-00000000cafe"},
            "Attributes": {
                "customerName": f"Customer {n}",
                "accountNumber": f"ACCT-{n:08d}",
                "segment": "renewals-gold",
                "preferredLanguage": "en-US",
                "timeZone": "America/New_York",
            },
        }
        for n in range(count)
    ]


#: The item sets the per-call benchmark measures.
ITEM_KINDS: dict[str, Callable[[int], list[dict[str, Any]]]] = {
    "lean": lean_items,
    "realistic": realistic_items,
}


def compact(body: dict[str, Any]) -> bytes:
    """JSON as AWS (and the stub) writes it, with no spaces: the floor's body is that long."""
    return json.dumps(body, separators=(",", ":")).encode()


@contextlib.contextmanager
def answer_sizes(client: Any) -> Iterator[list[int]]:
    """The lengths of the answer bodies ``client`` parses inside the block: the bytes sent.

    Read from botocore's ``before-parse`` event, registered only for the block, so timed
    calls never run it.
    """
    sizes: list[int] = []

    def record(response_dict: dict[str, Any], **_: Any) -> None:
        sizes.append(len(response_dict["body"]))

    event = "before-parse.connect.BatchPutContact"
    client.meta.events.register(event, record)
    try:
        yield sizes
    finally:
        client.meta.events.unregister(event, record)


def success_body(items: list[dict[str, Any]]) -> dict[str, Any]:
    """The shape of the stub's answer when all ``items`` succeed."""
    return {
        "SuccessfulRequestList": [
            {"RequestIdentifier": item["RequestIdentifier"], "ContactId": str(uuid.uuid4())}
            for item in items
        ],
        "FailedRequestList": [],
    }


class _CannedBody:
    """The ``raw`` of an AWSResponse: botocore reads the body through ``stream()``."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    def stream(self, **_: Any) -> Iterator[bytes]:
        yield self.data


class Mode:
    """One way of answering batch_put_contact, timed in seconds: ``block(k)`` for k calls in
    a row, ``once()`` for one call."""

    name = ""

    def __init__(self, items: list[dict[str, Any]]) -> None:
        self.client = make_client()
        self.params: dict[str, Any] = {"InstanceId": INSTANCE_ID, "ContactDataRequestList": items}
        self.body = success_body(items)

    def call(self) -> dict[str, Any]:
        response: dict[str, Any] = self.client.batch_put_contact(**self.params)
        return response

    def calls(self, k: int) -> float:
        call = self.client.batch_put_contact
        params = self.params
        gc.collect()
        start = time.perf_counter()
        for _ in range(k):
            call(**params)
        return time.perf_counter() - start

    def block(self, k: int) -> float:
        return self.calls(k)

    def once(self) -> float:
        """One call; what the mode sets up for it is not timed."""
        call = self.client.batch_put_contact
        params = self.params
        start = time.perf_counter()
        call(**params)
        return time.perf_counter() - start


class Floor(Mode):
    """botocore's own pipeline, answered by a bare before-send handler."""

    name = "floor"

    def __init__(self, items: list[dict[str, Any]]) -> None:
        super().__init__(items)
        payload = compact(self.body)
        # A plain dict, as the stub passes (AWSResponse copies it into a HeadersDict).
        headers: Any = {
            "Content-Type": "application/json",
            "x-amzn-RequestId": str(uuid.uuid4()),
        }

        def answer(request: Any, **_: Any) -> AWSResponse:
            return AWSResponse(request.url, 200, headers, _CannedBody(payload))

        self.payload_size = len(payload)
        self.client.meta.events.register("before-send.connect.BatchPutContact", answer)


class StubberMode(Mode):
    """botocore.stub.Stubber, one queued response per call."""

    name = "Stubber"

    def __init__(self, items: list[dict[str, Any]]) -> None:
        super().__init__(items)
        self.stubber = Stubber(self.client)
        self.stubber.activate()

    def call(self) -> dict[str, Any]:
        self.stubber.add_response("batch_put_contact", self.body)
        return super().call()

    def block(self, k: int) -> float:
        for _ in range(k):
            self.stubber.add_response("batch_put_contact", self.body)
        elapsed = self.calls(k)
        self.stubber.assert_no_pending_responses()
        return elapsed

    def once(self) -> float:
        self.stubber.add_response("batch_put_contact", self.body)
        return super().once()


class StubMode(Mode):
    """pytest-connect-stub, active only around its own timed calls."""

    name = "stub"

    def __init__(self, items: list[dict[str, Any]]) -> None:
        super().__init__(items)
        self.stub = ConnectStub()

    def call(self) -> dict[str, Any]:
        with self.stub:
            return super().call()

    #: Seconds the last block's first read of ``stub.calls`` took: records are kept as bytes
    #: until then, so a test that reads them pays this too.
    last_read = 0.0

    def block(self, k: int) -> float:
        self.stub.reset()
        with self.stub:
            elapsed = self.calls(k)
        self.last_read = self.read_records(k)
        return elapsed

    def once(self) -> float:
        with self.stub:
            return super().once()

    def read_records(self, expected: int) -> float:
        """Seconds the first read of ``stub.calls`` takes (``expected`` calls); then a reset."""
        start = time.perf_counter()
        calls = self.stub.calls
        elapsed = time.perf_counter() - start
        if len(calls) != expected or any(c.status_code != 200 for c in calls):
            raise RuntimeError("the stub did not answer every benchmark call with a 200")
        self.stub.reset()
        return elapsed


def per_iteration(body: Callable[[], None], iterations: int) -> float:
    """Seconds per run of ``body``, over ``iterations`` runs."""
    gc.collect()
    start = time.perf_counter()
    for _ in range(iterations):
        body()
    return (time.perf_counter() - start) / iterations
