"""What pytest-connect-stub costs, as ratios measured side by side in one process.

Run ``python benchmarks/bench_call.py`` (``--quick`` for fewer rounds, ``--profile`` to see
where a stubbed call's time goes). Nothing here asserts on absolute times: every number is
printed next to the baseline it should be compared with, measured in the same process,
interleaved round by round so machine noise hits all of them alike.

1. Per-call time of ``client.batch_put_contact`` with 1, 10 and 25 items, for
   (a) the floor: a bare ``before-send`` handler returning a canned 200 of the same size
   as the stub's answer (botocore serializes, signs and parses; nothing else happens);
   (b) botocore's ``Stubber`` (responses queued before the timed calls);
   (c) ``ConnectStub``.
2. Retained memory per recorded call (tracemalloc around many 1-item calls).
3. ``ConnectStub`` enter+exit, and ``moto.mock_aws()`` enter+exit if moto is installed.
4. What importing the plugin costs a pytest process, and what it imports.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import json
import os
import pstats
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

os.environ.setdefault("AWS_EC2_METADATA_DISABLED", "true")

import boto3
from botocore.awsrequest import AWSResponse
from botocore.stub import Stubber

from pytest_connect_stub import ConnectStub

SIZES = (1, 10, 25)
INSTANCE_ID = "inst-bench"
PACKAGE_DIR = os.sep + "pytest_connect_stub" + os.sep


@dataclass(frozen=True)
class Settings:
    """How long each part runs."""

    rounds: int
    block_seconds: float
    memory_calls: int
    enter_exit_rounds: int
    import_reps: int


FULL = Settings(
    rounds=21, block_seconds=0.05, memory_calls=10_000, enter_exit_rounds=11, import_reps=20
)
QUICK = Settings(
    rounds=5, block_seconds=0.02, memory_calls=2_000, enter_exit_rounds=3, import_reps=5
)


def make_client() -> Any:
    """A plain boto3 Connect client with fixed fake credentials (the same for every mode)."""
    return boto3.client(
        "connect",
        region_name="us-east-1",
        aws_access_key_id="AKIDCONNECTBENCH",
        aws_secret_access_key="connect-bench-not-a-secret",
    )


def contact_requests(count: int) -> list[dict[str, Any]]:
    """``count`` items every default rule of the stub accepts."""
    return [
        {
            "RequestIdentifier": f"req-{n}",
            "CustomerEndpoint": {"Type": "TELEPHONE_NUMBER", "Address": f"+1555010{n:04d}"},
            "QueueId": "queue-1",
            "Campaign": {"CampaignId": "campaign-1"},
        }
        for n in range(count)
    ]


def success_body(count: int) -> dict[str, Any]:
    """The shape of the stub's answer when all ``count`` items succeed."""
    return {
        "SuccessfulRequestList": [
            {"RequestIdentifier": f"req-{n}", "ContactId": str(uuid.uuid4())} for n in range(count)
        ],
        "FailedRequestList": [],
    }


class _CannedBody:
    """The ``raw`` of an AWSResponse: botocore reads the body through ``stream()``."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    def stream(self, **_: Any) -> Iterator[bytes]:
        yield self.data


# --- 1. per-call time ------------------------------------------------------------------------


class Mode:
    """One way of answering batch_put_contact; ``block(k)`` times k calls, in seconds."""

    name = ""

    def __init__(self, count: int) -> None:
        self.client = make_client()
        self.params: dict[str, Any] = {
            "InstanceId": INSTANCE_ID,
            "ContactDataRequestList": contact_requests(count),
        }
        self.body = success_body(count)

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


class Floor(Mode):
    """botocore's own pipeline, answered by a bare before-send handler."""

    name = "floor"

    def __init__(self, count: int) -> None:
        super().__init__(count)
        payload = json.dumps(self.body).encode()
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

    def __init__(self, count: int) -> None:
        super().__init__(count)
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


class StubMode(Mode):
    """pytest-connect-stub, active only around its own timed calls."""

    name = "stub"

    def __init__(self, count: int) -> None:
        super().__init__(count)
        self.stub = ConnectStub()

    def call(self) -> dict[str, Any]:
        with self.stub:
            return super().call()

    def block(self, k: int) -> float:
        self.stub.reset()
        with self.stub:
            elapsed = self.calls(k)
        if len(self.stub.calls) != k or any(c.status_code != 200 for c in self.stub.calls):
            raise RuntimeError("the stub did not answer every benchmark call with a 200")
        self.stub.reset()
        return elapsed


@dataclass
class Row:
    """Per-call medians of one batch size, and the medians of the per-round ratios."""

    items: int
    micros: dict[str, float]
    stub_floor: float
    stub_stubber: float
    calls_per_block: int


def per_call(settings: Settings) -> list[Row]:
    """Interleaved rounds of the three modes for each batch size."""
    rows = []
    for count in SIZES:
        modes: list[Mode] = [Floor(count), StubberMode(count), StubMode(count)]
        for mode in modes:  # warm-up: caches, the stub's schema, lazy imports
            for _ in range(20):
                mode.call()
        _check_same_size(modes)
        probe = modes[0].block(20) / 20
        k = max(5, int(settings.block_seconds / probe))
        samples: dict[str, list[float]] = {mode.name: [] for mode in modes}
        stub_floor: list[float] = []
        stub_stubber: list[float] = []
        for round_no in range(settings.rounds):
            order = modes[round_no % 3 :] + modes[: round_no % 3]
            this_round = {mode.name: mode.block(k) / k for mode in order}
            for name, seconds in this_round.items():
                samples[name].append(seconds)
            stub_floor.append(this_round["stub"] / this_round["floor"])
            stub_stubber.append(this_round["stub"] / this_round["Stubber"])
        rows.append(
            Row(
                items=count,
                micros={name: statistics.median(s) * 1e6 for name, s in samples.items()},
                stub_floor=statistics.median(stub_floor),
                stub_stubber=statistics.median(stub_stubber),
                calls_per_block=k,
            )
        )
    return rows


def _check_same_size(modes: Sequence[Mode]) -> None:
    """The floor's canned body must be as long as what the stub really answers."""
    floor = next(m for m in modes if isinstance(m, Floor))
    stub = next(m for m in modes if isinstance(m, StubMode))
    stub.stub.reset()
    stub.call()
    answered = len(json.dumps(stub.stub.calls[-1].response).encode())
    stub.stub.reset()
    if answered != floor.payload_size:
        print(f"  note: floor body {floor.payload_size} B, stub body {answered} B")


def print_per_call(rows: list[Row], settings: Settings) -> None:
    print(
        f"1. Per-call time of client.batch_put_contact "
        f"(median of {settings.rounds} interleaved rounds; ratios: median of per-round ratios)"
    )
    print(
        f"{'items':>5}  {'floor µs':>9}  {'Stubber µs':>10}  {'stub µs':>8}  "
        f"{'stub/floor':>10}  {'stub/Stubber':>12}  {'calls/block':>11}"
    )
    for row in rows:
        print(
            f"{row.items:>5}  {row.micros['floor']:>9.1f}  {row.micros['Stubber']:>10.1f}  "
            f"{row.micros['stub']:>8.1f}  {row.stub_floor:>10.3f}  {row.stub_stubber:>12.3f}  "
            f"{row.calls_per_block:>11}"
        )
    print()


# --- 2. memory ---------------------------------------------------------------------------------


def _run_calls(mode: Mode, calls: int) -> None:
    if isinstance(mode, StubMode):
        with mode.stub:
            mode.calls(calls)
        if len(mode.stub.calls) != calls:
            raise RuntimeError("the stub did not record every call")
    else:
        mode.calls(calls)


def retained_per_call(mode: Mode, calls: int) -> tuple[float, float]:
    """Bytes still allocated per call after ``calls`` calls, then after ``stub.reset()``."""
    if isinstance(mode, StubMode):
        mode.stub.reset()
    gc.collect()
    tracemalloc.start(1)
    base = tracemalloc.get_traced_memory()[0]
    _run_calls(mode, calls)
    gc.collect()
    kept = tracemalloc.get_traced_memory()[0] - base
    if isinstance(mode, StubMode):
        mode.stub.reset()
    gc.collect()
    left = tracemalloc.get_traced_memory()[0] - base
    tracemalloc.stop()
    return kept / calls, left / calls


def retained_sites(mode: StubMode, calls: int) -> list[tuple[str, float]]:
    """Where the retained bytes were allocated: the innermost package frame on the stack."""
    mode.stub.reset()
    gc.collect()
    tracemalloc.start(12)
    before = tracemalloc.take_snapshot()
    _run_calls(mode, calls)
    gc.collect()
    after = tracemalloc.take_snapshot()
    tracemalloc.stop()
    mode.stub.reset()
    where: dict[str, int] = {}
    for stat in after.compare_to(before, "traceback"):
        site = "no package frame on the stack (freed by reset(), so held by the records)"
        for frame in reversed(stat.traceback):  # innermost first
            if PACKAGE_DIR in frame.filename:
                site = f"{os.path.basename(frame.filename)}:{frame.lineno}"
                break
        where[site] = where.get(site, 0) + stat.size_diff
    top = sorted(where.items(), key=lambda pair: -pair[1])[:6]
    return [(site, size / calls) for site, size in top]


def print_memory(settings: Settings) -> None:
    calls = settings.memory_calls
    stub_mode, floor_mode = StubMode(1), Floor(1)
    for mode in (stub_mode, floor_mode):
        for _ in range(20):
            mode.call()
    stub_kept, stub_left = retained_per_call(stub_mode, calls)
    floor_kept, _ = retained_per_call(floor_mode, calls)
    sites = retained_sites(stub_mode, calls // 20)
    print(f"2. Memory retained after {calls:,} calls of 1 item (tracemalloc, after gc.collect())")
    print(
        f"   stub:  {stub_kept:8.0f} bytes per recorded call "
        f"({stub_kept * calls / 1e6:.1f} MB in all); after reset(): {stub_left:.0f} B/call"
    )
    print(f"   floor: {floor_kept:8.0f} bytes per call (nothing recorded)")
    sample = calls // 20
    print(f"   where the stub's bytes were allocated ({sample:,} calls; innermost package frame):")
    for site, size in sites:
        print(f"     {size:8.0f} B/call  {site}")
    print()


# --- 3. enter + exit -----------------------------------------------------------------------------


def per_iteration(body: Callable[[], None], iterations: int) -> float:
    gc.collect()
    start = time.perf_counter()
    for _ in range(iterations):
        body()
    return (time.perf_counter() - start) / iterations


def _moto_mock_aws() -> Callable[[], Any] | None:
    """moto's ``mock_aws``, or None when moto is not installed.

    Imported only now: importing moto adds a before-send handler to every botocore client
    created afterwards, which would have slowed down the per-call floor measured before.
    """
    try:
        from moto import mock_aws
    except ImportError:
        return None
    found: Callable[[], Any] = mock_aws
    return found


def print_enter_exit(settings: Settings) -> None:
    stub = ConnectStub()

    def stub_enter_exit() -> None:
        with stub:
            pass

    def stub_fixture_like() -> None:
        with ConnectStub():
            pass

    candidates: dict[str, Callable[[], None]] = {
        "ConnectStub: with stub: pass": stub_enter_exit,
        "ConnectStub: with ConnectStub(): pass": stub_fixture_like,
    }
    mock_aws = _moto_mock_aws()
    if mock_aws is not None:
        mock = mock_aws()

        def moto_enter_exit() -> None:
            with mock:
                pass

        def moto_fixture_like() -> None:
            with mock_aws():
                pass

        candidates["moto: with mock: pass"] = moto_enter_exit
        candidates["moto: with mock_aws(): pass"] = moto_fixture_like
    iterations = {}
    for name, body in candidates.items():
        body()  # warm-up
        once = per_iteration(body, 3)
        iterations[name] = max(3, int(0.05 / once))
    samples: dict[str, list[float]] = {name: [] for name in candidates}
    for round_no in range(settings.enter_exit_rounds):
        names = list(candidates)
        names = names[round_no % len(names) :] + names[: round_no % len(names)]
        for name in names:
            samples[name].append(per_iteration(candidates[name], iterations[name]))
    print(f"3. Enter + exit (median of {settings.enter_exit_rounds} interleaved rounds)")
    micros = {name: statistics.median(s) * 1e6 for name, s in samples.items()}
    for name, value in micros.items():
        print(f"   {name:<40} {value:10.1f} µs")
    if mock_aws is not None:
        reuse = micros["moto: with mock: pass"] / micros["ConnectStub: with stub: pass"]
        fresh = (
            micros["moto: with mock_aws(): pass"] / micros["ConnectStub: with ConnectStub(): pass"]
        )
        print(f"   mock_aws/stub: {reuse:.1f}x (object reused), {fresh:.1f}x (made each time)")
    else:
        print("   moto is not installed: no mock_aws comparison")
    print()


# --- 4. plugin import ----------------------------------------------------------------------------

BASE = "import pytest"
WITH_PLUGIN = "import pytest; import pytest_connect_stub.plugin"
WATCH = ("botocore", "boto3", "jsonschema", "fastjsonschema", "jsonschema_rs")


def _environment(pycache: str) -> dict[str, str]:
    """Like an ordinary install: bytecode cached (outside the source tree), not recompiled."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = pycache
    return env


_ENV: dict[str, str] = dict(os.environ)


def _python(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args], capture_output=True, text=True, check=True, env=_ENV
    )


def _wall(code: str) -> float:
    start = time.perf_counter()
    _python("-c", code)
    return time.perf_counter() - start


def _importtime(code: str) -> dict[str, tuple[int, int]]:
    """``-X importtime``'s (self µs, cumulative µs) of every module it imported."""
    found = {}
    for line in _python("-X", "importtime", "-c", code).stderr.splitlines():
        parts = [part.strip() for part in line.split("|")]
        if len(parts) == 3 and parts[1].isdigit():
            found[parts[2]] = (int(parts[0].rsplit(" ", 1)[-1]), int(parts[1]))
    return found


def print_import(settings: Settings) -> None:
    global _ENV
    base: list[float] = []
    plugin: list[float] = []
    times: dict[str, list[tuple[int, int]]] = {}
    with tempfile.TemporaryDirectory(prefix="bench-pycache-") as pycache:
        _ENV = _environment(pycache)
        _python("-c", WITH_PLUGIN)  # compile once
        for _ in range(settings.import_reps):
            base.append(_wall(BASE))
            plugin.append(_wall(WITH_PLUGIN))
            for module, pair in _importtime(WITH_PLUGIN).items():
                if module.split(".")[0] == "pytest_connect_stub":
                    times.setdefault(module, []).append(pair)
    probe = (
        "import sys, json, pytest\n"
        "before = set(sys.modules)\n"
        "import pytest_connect_stub.plugin\n"
        "new = sorted(set(sys.modules) - before)\n"
        f"watch = {WATCH!r}\n"
        "print(json.dumps({'new': new, 'loaded': {m: m in sys.modules for m in watch}}))\n"
    )
    report = json.loads(_python("-c", probe).stdout)
    ours = [m for m in report["new"] if m.split(".")[0] == "pytest_connect_stub"]
    others = [m for m in report["new"] if m.split(".")[0] != "pytest_connect_stub"]
    best_base, best_plugin = min(base), min(plugin)
    print(f"4. Plugin import (fresh interpreters, bytecode cached, min of {settings.import_reps})")
    print(f"   python -c '{BASE}': {best_base * 1e3:8.1f} ms")
    print(f"   python -c '{WITH_PLUGIN}': {best_plugin * 1e3:8.1f} ms")
    print(
        f"   difference: {(best_plugin - best_base) * 1e3:.1f} ms ({best_plugin / best_base:.3f}x)"
    )
    print("   -X importtime, min over runs (self / cumulative):")
    for module, pairs in times.items():
        own, total = min(p[0] for p in pairs), min(p[1] for p in pairs)
        print(f"     {module:<32} {own / 1e3:6.2f} ms / {total / 1e3:6.2f} ms")
    loaded = ", ".join(f"{m} {'YES' if hit else 'no'}" for m, hit in report["loaded"].items())
    print(f"   imported by the plugin import: {loaded}")
    print(f"   modules the plugin import added: {', '.join(ours)}")
    print(f"     and from elsewhere ({len(others)}): {', '.join(others) or '-'}")
    print()


# --- profile ------------------------------------------------------------------------------------


def print_profile(count: int = 25, calls: int = 400) -> None:
    """cProfile the stub path and show the package functions by cumulative time."""
    mode = StubMode(count)
    for _ in range(20):
        mode.call()
    mode.stub.reset()
    profiler = cProfile.Profile()
    with mode.stub:
        call, params = mode.client.batch_put_contact, mode.params
        profiler.enable()
        for _ in range(calls):
            call(**params)
        profiler.disable()
    stats = pstats.Stats(profiler)
    raw: dict[tuple[str, int, str], tuple[Any, ...]] = stats.stats  # type: ignore[attr-defined]
    total = sum(entry[2] for entry in raw.values())
    print(
        f"Profile of {calls} stubbed calls with {count} items (cProfile; shares of profiled time)"
    )
    print(
        "   cProfile inflates Python code that makes many small calls (per-item rules, loops):\n"
        "   compare shares, and time a piece in isolation before optimizing it."
    )
    print(f"   {'cumulative':>10}  {'own':>6}  {'profiled µs/call':>16}  function")
    ours = [(key, entry) for key, entry in raw.items() if PACKAGE_DIR in key[0]]
    for (filename, line, name), entry in sorted(ours, key=lambda pair: -pair[1][3])[:20]:
        where = f"{os.path.basename(filename)}:{line} {name}"
        print(
            f"   {entry[3] / total:>10.1%}  {entry[2] / total:>6.1%}  "
            f"{entry[3] / calls * 1e6:>16.1f}  {where}"
        )
    print("   outside the package, called from it (own time):")
    called: list[tuple[float, str]] = []
    for (filename, line, name), entry in raw.items():
        if PACKAGE_DIR in filename:
            continue
        callers: dict[tuple[str, int, str], tuple[Any, ...]] = entry[4]
        from_us = sum(c[2] for key, c in callers.items() if PACKAGE_DIR in key[0])
        if from_us:
            called.append((from_us, f"{os.path.basename(filename)}:{line} {name}"))
    for seconds, where in sorted(called, reverse=True)[:10]:
        print(f"   {seconds / total:>10.1%}  {seconds / calls * 1e6:>8.1f} µs/call  {where}")
    print()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="fewer rounds, for a smoke run")
    parser.add_argument(
        "--profile", action="store_true", help="also cProfile the stub path at 25 items"
    )
    args = parser.parse_args(argv)
    settings = QUICK if args.quick else FULL
    import botocore

    print(
        f"pytest-connect-stub benchmark: Python {sys.version.split()[0]}, "
        f"botocore {botocore.__version__}, boto3 {boto3.__version__}"
        + (" (--quick)" if args.quick else "")
    )
    print()
    print_per_call(per_call(settings), settings)
    print_memory(settings)
    if args.profile:
        print_profile()
    print_enter_exit(settings)
    print_import(settings)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
