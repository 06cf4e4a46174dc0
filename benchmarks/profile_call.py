"""Where a stubbed call's time goes: cProfile of many 25-item calls.

Run ``python benchmarks/profile_call.py [lean|realistic]``. It lists the package's functions
by cumulative share, and the functions outside the package it calls. cProfile inflates code
that makes many small calls; time a piece in isolation before optimizing it.
"""

from __future__ import annotations

import cProfile
import os
import pstats
import sys
from typing import Any

from _common import ITEM_KINDS, StubMode

PACKAGE_DIR = os.sep + "pytest_connect_stub" + os.sep


def print_profile(kind: str = "realistic", count: int = 25, calls: int = 400) -> None:
    """cProfile the stub path and show the package functions by cumulative time."""
    mode = StubMode(ITEM_KINDS[kind](count))
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
        f"Profile of {calls} stubbed calls with {count} {kind} items "
        "(cProfile; shares of profiled time)"
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


if __name__ == "__main__":
    print_profile(sys.argv[1] if len(sys.argv) > 1 else "realistic")
