"""Server mode against moto's ``ThreadedMotoServer``: throughput over HTTP and start-up time.

Run ``python benchmarks/bench_server.py`` (``--quick`` for a smoke run; moto comes with the
``bench`` extra). Both servers run in this process, each answering boto3 clients over real
HTTP on loopback:

* ConnectStubServer: ``batch_put_contact`` with 25 realistic items;
* ThreadedMotoServer: ``describe_instance``, a Connect call moto implements (it has no
  BatchPutContact).

Throughput is calls per second with 1 and 4 client threads (one client each), in
interleaved rounds; the ratio is the median of per-round ratios (> 1: the stub serves more).
Start-up is from ``start()`` until the first answer, median of several starts.
"""

from __future__ import annotations

import logging
import statistics
import threading
import time
from collections.abc import Callable
from typing import Any

from _common import Settings, print_header, realistic_items, settings_from_argv
from moto.server import ThreadedMotoServer

from pytest_connect_stub import ConnectStubServer

THREADS = (1, 4)
STARTS = 7


class Target:
    """One server and the call its clients make."""

    name = ""

    def start(self) -> str:
        """Start the server; its endpoint URL."""
        raise NotImplementedError

    def stop(self) -> None:
        """Stop the server."""
        raise NotImplementedError

    def call_maker(self, endpoint_url: str) -> Callable[[], object]:
        """A new client's call (made once per thread)."""
        raise NotImplementedError


class Stub(Target):
    name = "ConnectStubServer"

    def __init__(self) -> None:
        self.items = realistic_items(25)

    def start(self) -> str:
        # Calls are recorded, as in a test: main() resets between rounds, keeping memory flat.
        self.server = ConnectStubServer().start()
        return self.server.endpoint_url

    def stop(self) -> None:
        self.server.stop()

    def call_maker(self, endpoint_url: str) -> Callable[[], object]:
        client = _http_client(endpoint_url)
        return lambda: client.batch_put_contact(
            InstanceId="inst-bench", ContactDataRequestList=self.items
        )


class Moto(Target):
    name = "ThreadedMotoServer"

    def start(self) -> str:
        self.server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
        self.server.start()
        host, port = self.server.get_host_and_port()
        url = f"http://{host}:{port}"
        self.instance_id = _http_client(url).create_instance(
            IdentityManagementType="CONNECT_MANAGED",
            InboundCallsEnabled=True,
            OutboundCallsEnabled=True,
        )["Id"]
        return url

    def stop(self) -> None:
        self.server.stop()

    def call_maker(self, endpoint_url: str) -> Callable[[], object]:
        client = _http_client(endpoint_url)
        return lambda: client.describe_instance(InstanceId=self.instance_id)


def _http_client(endpoint_url: str) -> Any:
    import boto3

    return boto3.client(
        "connect",
        region_name="us-east-1",
        endpoint_url=endpoint_url,
        aws_access_key_id="AKIDCONNECTBENCH",
        aws_secret_access_key="connect-bench-not-a-secret",
    )


def throughput(calls: list[Callable[[], object]], seconds: float) -> float:
    """Calls per second of ``calls``, each run in a loop on its own thread for ``seconds``."""
    done = [0] * len(calls)
    start = threading.Barrier(len(calls) + 1)
    deadline = 0.0

    def loop(index: int) -> None:
        start.wait()
        count = 0
        while time.perf_counter() < deadline:
            calls[index]()
            count += 1
        done[index] = count

    threads = [threading.Thread(target=loop, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    deadline = time.perf_counter() + seconds
    began = time.perf_counter()
    start.wait()
    for thread in threads:
        thread.join()
    return sum(done) / (time.perf_counter() - began)


def start_up(target: Target) -> float:
    """Seconds from start() to the first answer."""
    began = time.perf_counter()
    url = target.start()
    target.call_maker(url)()
    elapsed = time.perf_counter() - began
    target.stop()
    return elapsed


def main(settings: Settings) -> None:
    """Print throughput and start-up time of both servers, and their ratios."""
    print_header(settings)
    # moto's werkzeug logs every request to stderr; neither server logs here.
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    stub_target = Stub()
    targets: list[Target] = [stub_target, Moto()]
    for target in targets:  # warm-up: imports, models, caches
        start_up(target)
    starts = {t.name: [start_up(t) for _ in range(STARTS)] for t in targets}
    seconds = 2.0 if settings.rounds > 5 else 0.5
    rounds = max(3, settings.rounds // 4)
    urls = {t.name: t.start() for t in targets}
    try:
        print(f"\nThroughput ({rounds} interleaved rounds of {seconds:.1f} s each):")
        print("| client threads | ConnectStubServer calls/s | ThreadedMotoServer calls/s | ratio |")
        print("| --- | --- | --- | --- |")
        for threads in THREADS:
            makers = {t.name: [t.call_maker(urls[t.name]) for _ in range(threads)] for t in targets}
            rates: dict[str, list[float]] = {t.name: [] for t in targets}
            ratios = []
            for round_no in range(rounds):
                order = targets if round_no % 2 == 0 else targets[::-1]
                this = {t.name: throughput(makers[t.name], seconds) for t in order}
                stub_target.server.stub.reset()
                for name, rate in this.items():
                    rates[name].append(rate)
                ratios.append(this["ConnectStubServer"] / this["ThreadedMotoServer"])
            stub, moto = (statistics.median(rates[t.name]) for t in targets)
            print(
                f"| {threads} | {stub:,.0f} (25 items) | {moto:,.0f} (describe_instance) | "
                f"{statistics.median(ratios):.2f}x |"
            )
    finally:
        for target in targets:
            target.stop()
    stub_start, moto_start = (statistics.median(starts[t.name]) * 1e3 for t in targets)
    print(f"\nStart-up, start() to first answer (median of {STARTS}):")
    print(f"ConnectStubServer {stub_start:.1f} ms, ThreadedMotoServer {moto_start:.1f} ms")


if __name__ == "__main__":
    main(settings_from_argv(__doc__))
