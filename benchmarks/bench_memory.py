"""Memory: what the stub's records keep per call, and what ``reset()`` frees.

Run ``python benchmarks/bench_memory.py`` (``--quick`` for a smoke run). Many 1-item calls
under tracemalloc (after ``gc.collect()``): bytes still allocated per recorded call, before
and after the test reads ``stub.calls`` (records are kept as bytes until first read), what is
left after ``reset()`` (should be about 0), the floor for comparison, and the lines of the
package that allocated the retained bytes.
"""

from __future__ import annotations

import gc
import os
import tracemalloc

from _common import Floor, Mode, Settings, StubMode, lean_items, print_header, settings_from_argv

PACKAGE_DIR = os.sep + "pytest_connect_stub" + os.sep


def _run_calls(mode: Mode, calls: int) -> None:
    if isinstance(mode, StubMode):
        with mode.stub:
            mode.calls(calls)
    else:
        mode.calls(calls)


def _read_records(mode: Mode, calls: int) -> None:
    if isinstance(mode, StubMode) and len(mode.stub.calls) != calls:
        raise RuntimeError("the stub did not record every call")


def retained_per_call(mode: Mode, calls: int) -> tuple[float, float, float]:
    """Bytes still allocated per call after ``calls`` calls, then after reading the records,
    then after ``stub.reset()``."""
    if isinstance(mode, StubMode):
        mode.stub.reset()
    gc.collect()
    tracemalloc.start(1)
    base = tracemalloc.get_traced_memory()[0]
    _run_calls(mode, calls)
    gc.collect()
    kept = tracemalloc.get_traced_memory()[0] - base
    _read_records(mode, calls)
    gc.collect()
    read = tracemalloc.get_traced_memory()[0] - base
    if isinstance(mode, StubMode):
        mode.stub.reset()
    gc.collect()
    left = tracemalloc.get_traced_memory()[0] - base
    tracemalloc.stop()
    return kept / calls, read / calls, left / calls


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
    """Print what the records retain per call, and what reset() frees."""
    calls = settings.memory_calls
    stub_mode, floor_mode = StubMode(lean_items(1)), Floor(lean_items(1))
    for mode in (stub_mode, floor_mode):
        for _ in range(20):
            mode.call()
    stub_kept, stub_read, stub_left = retained_per_call(stub_mode, calls)
    floor_kept, _, _ = retained_per_call(floor_mode, calls)
    sites = retained_sites(stub_mode, calls // 20)
    print(f"Memory retained after {calls:,} calls of 1 item (tracemalloc, after gc.collect())")
    print(
        f"   stub:  {stub_kept:8.0f} bytes per recorded call "
        f"({stub_kept * calls / 1e6:.1f} MB in all); after reset(): {stub_left:.0f} B/call"
    )
    print(f"          {stub_read:8.0f} bytes per call once the test has read stub.calls")
    print(f"   floor: {floor_kept:8.0f} bytes per call (nothing recorded)")
    sample = calls // 20
    print(f"   where the stub's bytes were allocated ({sample:,} calls; innermost package frame):")
    for site, size in sites:
        print(f"     {size:8.0f} B/call  {site}")
    print()


def main() -> int:
    settings = settings_from_argv(__doc__.splitlines()[0] if __doc__ else None)
    print_header(settings)
    print_memory(settings)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
