"""A process that forks while other threads are inside stubbed calls: every child works."""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
import traceback
from typing import Any

import boto3
import pytest
from botocore.config import Config
from helpers import contact_item

from pytest_connect_stub import ConnectStub

pytestmark = [
    pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork"),
    # Python 3.12+ warns that forking a threaded process may deadlock: that is the point.
    pytest.mark.filterwarnings("ignore:This process .* is multi-threaded:DeprecationWarning"),
]

CHILDREN = 40
THREADS = 4
#: How long the children have, together, to finish; a hung child is killed after it.
DEADLINE = 30


def _client() -> Any:
    return boto3.client(
        "connect", region_name="us-east-1", config=Config(retries={"mode": "legacy"})
    )


def _in_child(client: Any, stub: ConnectStub) -> int:
    """What a forked child does: one stubbed call, answered by the stub it inherited."""
    try:
        response = client.batch_put_contact(
            InstanceId="inst-1", ContactDataRequestList=[contact_item("child")]
        )
        ok = len(response["SuccessfulRequestList"]) == 1 and stub.calls[-1].status_code == 200
    except BaseException:
        return 2
    return 0 if ok else 1


def test_children_forked_while_threads_are_mid_call_never_hang() -> None:
    before = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # threads switch often, so some hold the stub's lock at fork
    done = threading.Event()
    clients = [_client() for _ in range(THREADS)]
    child_client = _client()  # made before the threads start; no thread ever uses it
    pids: list[int] = []

    def call(number: int) -> None:
        while not done.is_set():
            clients[number].batch_put_contact(
                InstanceId="inst-1", ContactDataRequestList=[contact_item(f"t{number}")]
            )

    try:
        with ConnectStub() as stub:
            workers = [threading.Thread(target=call, args=(n,)) for n in range(THREADS)]
            for worker in workers:
                worker.start()
            try:
                for _ in range(CHILDREN):
                    pid = os.fork()
                    if pid == 0:  # the child: never returns into pytest
                        os._exit(_in_child(child_client, stub))
                    pids.append(pid)
                    time.sleep(0.005)
            finally:
                done.set()
                for worker in workers:
                    worker.join()
    finally:
        sys.setswitchinterval(before)
        codes = _reap(pids)
    assert codes == dict.fromkeys(pids, 0), "None: hung (killed); 1: wrong answer; 2: raised"


def _reap(pids: list[int]) -> dict[int, int | None]:
    """Each child's exit code, or None for one still running at the deadline (now killed)."""
    codes: dict[int, int | None] = {}
    deadline = time.monotonic() + DEADLINE
    waiting = list(pids)
    while waiting and time.monotonic() < deadline:
        for pid in list(waiting):
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                codes[pid] = os.waitstatus_to_exitcode(status)
                waiting.remove(pid)
        time.sleep(0.01)
    for pid in waiting:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        codes[pid] = None
    return codes


def _ids(response: dict[str, Any]) -> list[str]:
    return [item["ContactId"] for item in response["SuccessfulRequestList"]] + [
        response["ResponseMetadata"]["RequestId"]
    ]


def _write_ids(client: Any, items: list[dict[str, Any]], write: int) -> int:
    """In a forked child: one call, and its IDs (or the traceback) written to ``write``."""
    try:
        response = client.batch_put_contact(InstanceId="inst-1", ContactDataRequestList=items)
        os.write(write, ",".join(_ids(response)).encode())
        return 0
    except BaseException:
        os.write(write, traceback.format_exc().encode())
        return 1


def test_a_forked_child_draws_other_ids_than_its_parent() -> None:
    # Whatever ContactIds and request IDs are drawn from, a child must not draw what its
    # parent draws next, as a generator whose state the child kept would.
    client = _client()
    items = [contact_item(f"r{n}") for n in range(3)]
    with ConnectStub():
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: never returns into pytest
            os._exit(_write_ids(client, items, write))
        os.close(write)
        parent = _ids(client.batch_put_contact(InstanceId="inst-1", ContactDataRequestList=items))
        codes = _reap([pid])  # killed if it hangs, so the read below ends
    with os.fdopen(read) as pipe:
        said = pipe.read()
    assert codes == {pid: 0}, said
    child = said.split(",")
    assert len(child) == len(parent) == 4
    assert not set(child) & set(parent)
