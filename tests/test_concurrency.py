"""Many threads calling BatchPutContact at once through one active stub.

Every thread waits at a barrier and then makes all its calls, with the interpreter switching
threads as often as it can, so calls really do overlap inside the stub. Nothing here measures
time: each test counts calls, contacts and answers.
"""

from __future__ import annotations

import functools
import sys
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import boto3
import pytest
from botocore.exceptions import ClientError
from helpers import contact_item

from pytest_connect_stub import ConnectStub

THREADS = 16
CALLS = 20
ITEMS = 3
#: Only a guard against a deadlocked test hanging the suite; no assertion depends on it.
BARRIER_TIMEOUT = 60

T = TypeVar("T")


@pytest.fixture(autouse=True)
def switch_threads_often() -> Iterator[None]:
    """Make the interpreter switch threads far more often than its 5 ms default."""
    before = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        yield
    finally:
        sys.setswitchinterval(before)


@functools.cache
def _made_clients() -> tuple[Any, ...]:
    session = boto3.session.Session()
    return tuple(session.client("connect", region_name="us-east-1") for _ in range(THREADS))


def new_clients(count: int = THREADS) -> list[Any]:
    """Separate clients, made one after the other (making clients is not thread-safe).

    Made once for the module and handed to every test: these tests are about calls through
    the stub, which keeps its state in itself, not in clients.
    """
    return list(_made_clients()[:count])


def all_at_once(work: Callable[[int], T], threads: int = THREADS) -> list[T]:
    """Run ``work(0) ... work(threads - 1)`` in as many threads, released together."""
    barrier = threading.Barrier(threads, timeout=BARRIER_TIMEOUT)

    def run(thread: int) -> T:
        barrier.wait()
        return work(thread)

    with ThreadPoolExecutor(max_workers=threads) as pool:
        return list(pool.map(run, range(threads)))


@pytest.mark.parametrize("shared", [False, True], ids=["client-per-thread", "shared-client"])
def test_no_call_is_lost_and_every_contact_id_is_unique_when_threads_call_at_once(
    shared: bool,
) -> None:
    clients = new_clients(1) * THREADS if shared else new_clients()

    def work(thread: int) -> list[tuple[list[str], dict[str, Any]]]:
        answers = []
        for number in range(CALLS):
            identifiers = [f"t{thread}-c{number}-i{index}" for index in range(ITEMS)]
            response = clients[thread].batch_put_contact(
                InstanceId=f"inst-{thread % 4}",
                ContactDataRequestList=[contact_item(identifier) for identifier in identifiers],
            )
            answers.append((identifiers, response))
        return answers

    with ConnectStub() as stub:
        answers = [answer for thread in all_at_once(work) for answer in thread]

    calls = stub.calls
    assert len(calls) == THREADS * CALLS
    assert all(call.status_code == 200 and call.attempt == 1 for call in calls)
    assert len({call.invocation_id for call in calls}) == THREADS * CALLS
    assert len({call.client_token for call in calls}) == THREADS * CALLS
    sent = Counter(tuple(i["RequestIdentifier"] for i in c.contact_requests) for c in calls)
    assert sent == Counter(tuple(identifiers) for identifiers, _ in answers)

    created: dict[str, str] = {}
    for identifiers, response in answers:
        assert response["FailedRequestList"] == []
        successes = response["SuccessfulRequestList"]
        assert [entry["RequestIdentifier"] for entry in successes] == identifiers
        created.update((entry["ContactId"], entry["RequestIdentifier"]) for entry in successes)
    assert len(created) == THREADS * CALLS * ITEMS  # no ContactId handed out twice
    contacts = stub.contacts
    assert {cid: contact.request_identifier for cid, contact in contacts.items()} == created


def test_one_client_token_from_many_threads_creates_its_contacts_once() -> None:
    clients = new_clients()
    batch = [contact_item(f"req-{index}") for index in range(ITEMS)]

    def work(thread: int) -> list[list[dict[str, Any]]]:
        return [
            clients[thread].batch_put_contact(
                InstanceId="inst-1", ClientToken=f"token-{round_}", ContactDataRequestList=batch
            )["SuccessfulRequestList"]
            for round_ in range(CALLS)
        ]

    with ConnectStub() as stub:
        answers = all_at_once(work)

    for round_ in range(CALLS):
        per_thread = [answers[thread][round_] for thread in range(THREADS)]
        assert all(answer == per_thread[0] for answer in per_thread)
        assert [entry["RequestIdentifier"] for entry in per_thread[0]] == [
            f"req-{index}" for index in range(ITEMS)
        ]
    assert len(stub.contacts) == CALLS * ITEMS
    calls = stub.calls
    assert len(calls) == THREADS * CALLS
    first = Counter(call.client_token for call in calls if not call.replayed)
    assert first == Counter({f"token-{round_}": 1 for round_ in range(CALLS)})


def test_one_client_token_with_two_different_requests_lets_exactly_one_through() -> None:
    clients = new_clients()

    def work(thread: int) -> list[str]:
        outcomes = []
        for round_ in range(CALLS):
            try:
                response = clients[thread].batch_put_contact(
                    InstanceId="inst-1",
                    ClientToken=f"token-{round_}",
                    ContactDataRequestList=[contact_item(f"req-{thread % 2}")],
                )
            except ClientError as error:
                outcomes.append(f"{thread % 2}:{error.response['Error']['Code']}")
            else:
                [entry] = response["SuccessfulRequestList"]
                outcomes.append(f"{thread % 2}:created {entry['RequestIdentifier']}")
        return outcomes

    with ConnectStub() as stub:
        outcomes = all_at_once(work)

    for round_ in range(CALLS):
        seen = Counter(outcomes[thread][round_] for thread in range(THREADS))
        winner = next(
            c.contact_requests
            for c in stub.calls
            if c.client_token == f"token-{round_}" and not c.replayed
        )
        won = winner[0]["RequestIdentifier"][-1]
        lost = "1" if won == "0" else "0"
        assert seen == Counter(
            {
                f"{won}:created req-{won}": THREADS // 2,
                f"{lost}:IdempotencyException": THREADS // 2,
            }
        )
    assert len(stub.contacts) == CALLS


def test_a_scripted_item_failure_is_used_exactly_as_often_as_scripted_under_concurrency() -> None:
    times = 37
    clients = new_clients()

    def work(thread: int) -> list[str]:
        codes = []
        for number in range(CALLS):
            response = clients[thread].batch_put_contact(
                InstanceId="inst-1",
                ContactDataRequestList=[
                    contact_item("target"),
                    contact_item(f"t{thread}-c{number}"),
                ],
            )
            assert [e["RequestIdentifier"] for e in response["SuccessfulRequestList"]][-1] == (
                f"t{thread}-c{number}"
            )
            codes += [entry["FailureReasonCode"] for entry in response["FailedRequestList"]]
        return codes

    with ConnectStub() as stub:  # exiting checks every scripted outcome was used up
        stub.fail("target", "REQUEST_THROTTLED", "scripted", times=times)
        codes = [code for thread in all_at_once(work) for code in thread]

    assert codes == ["REQUEST_THROTTLED"] * times
    assert len(stub.contacts) == 2 * THREADS * CALLS - times


def test_a_scripted_error_reaches_exactly_as_many_calls_as_scripted_under_concurrency() -> None:
    times = 45
    clients = new_clients()

    def work(thread: int) -> list[str]:
        outcomes = []
        for number in range(CALLS):
            try:
                clients[thread].batch_put_contact(
                    InstanceId="inst-1",
                    ContactDataRequestList=[contact_item(f"t{thread}-c{number}")],
                )
            except ClientError as error:
                outcomes.append(error.response["Error"]["Code"])
            else:
                outcomes.append("created")
        return outcomes

    with ConnectStub() as stub:
        stub.raise_error("AccessDeniedException", times=times)  # 403: botocore never retries
        outcomes = Counter(outcome for thread in all_at_once(work) for outcome in thread)

    assert outcomes == Counter({"AccessDeniedException": times, "created": THREADS * CALLS - times})
    assert len(stub.calls) == THREADS * CALLS
    assert len(stub.contacts) == THREADS * CALLS - times


def test_scripted_throttling_is_answered_to_exactly_as_many_attempts_under_concurrency() -> None:
    times = 45
    clients = new_clients()

    def work(thread: int) -> list[str]:
        outcomes = []
        for number in range(CALLS):
            try:
                clients[thread].batch_put_contact(
                    InstanceId="inst-1",
                    ContactDataRequestList=[contact_item(f"t{thread}-c{number}")],
                )
            except ClientError as error:  # every attempt of this call was throttled
                outcomes.append(error.response["Error"]["Code"])
            else:
                outcomes.append("created")
        return outcomes

    with ConnectStub() as stub:
        stub.raise_error("LimitExceededException", times=times)  # 429: botocore retries
        outcomes = Counter(outcome for thread in all_at_once(work) for outcome in thread)

    calls = stub.calls
    throttled = [call for call in calls if call.error_code is not None]
    assert len(throttled) == times
    assert {call.error_code for call in throttled} == {"LimitExceededException"}
    # Each created call made its throttled attempts plus one; a call that gave up made only
    # throttled attempts. So the attempts add up to the throttles plus the successes.
    assert len(calls) == times + outcomes["created"]
    assert outcomes["created"] + outcomes["LimitExceededException"] == THREADS * CALLS
    assert len(stub.contacts) == outcomes["created"]
