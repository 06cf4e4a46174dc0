"""Instructions per call of ``client.batch_put_contact``: the stub against the floor.

Run ``python benchmarks/count_call.py [--kind realistic] [--items 25] [--calls 100]``. It
needs ``valgrind``. Wall-clock ratios (``bench_call.py``) move with whatever else runs on the
machine; instruction counts do not, so they judge a change to the stub's per-call path
within a fraction of a percent, even on a busy machine. They do not see what costs time
without costing instructions (cache misses, a slower instruction mix): ``bench_call.py``
stays the measure of record.

Three runs of this script under callgrind, each building the same clients and warming both
modes up: one makes no timed call, one makes ``--calls`` calls answered by the floor, one
makes as many answered by the stub. A mode's count per call is its run's total less the
first run's, divided by ``--calls``. Hash randomization is fixed, so reruns agree.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys

from _common import ITEM_KINDS, Floor, StubMode


def child(kind: str, count: int, mode: str, calls: int) -> None:
    """Build both modes, warm them up, then make ``calls`` calls of ``mode`` (if any)."""
    items = ITEM_KINDS[kind](count)
    floor, stub = Floor(items), StubMode(items)
    for warmed in (floor, stub):
        for _ in range(20):
            warmed.call()
    stub.stub.reset()
    if mode == "none":
        floor.calls(0)  # the collection every mode's calls() starts with, and nothing else
    elif mode == "floor":
        floor.calls(calls)
    elif mode == "stub":
        with stub.stub:
            stub.calls(calls)


def _instructions(kind: str, count: int, mode: str, calls: int) -> int:
    command = [
        "valgrind",
        "--tool=callgrind",
        "--callgrind-out-file=" + os.devnull,
        sys.executable,
        os.path.abspath(__file__),
        "--child",
        mode,
        "--kind",
        kind,
        "--items",
        str(count),
        "--calls",
        str(calls),
    ]
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=True)
    found = re.search(r"Collected\s*:\s*(\d+)", done.stderr)
    if found is None:
        raise RuntimeError(f"no instruction count in callgrind's output:\n{done.stderr}")
    return int(found.group(1))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--kind", choices=sorted(ITEM_KINDS), default="realistic")
    parser.add_argument("--items", type=int, default=25)
    parser.add_argument("--calls", type=int, default=100)
    parser.add_argument("--child", choices=("none", "floor", "stub"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        child(args.kind, args.items, args.child, args.calls)
        return 0
    if shutil.which("valgrind") is None:
        print("count_call.py needs valgrind (callgrind counts the instructions).")
        return 1
    base = _instructions(args.kind, args.items, "none", 0)
    floor = (_instructions(args.kind, args.items, "floor", args.calls) - base) / args.calls
    stub = (_instructions(args.kind, args.items, "stub", args.calls) - base) / args.calls
    print(
        f"Instructions per call, {args.items} {args.kind} items "
        f"(callgrind, {args.calls} calls per mode)"
    )
    print(f"  floor {floor:>12,.0f}")
    print(f"  stub  {stub:>12,.0f}   stub/floor {stub / floor:.3f}")
    print(f"  stub - floor {stub - floor:>12,.0f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
