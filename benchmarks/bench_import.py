"""Plugin import: what loading the plugin costs a pytest process, and what it imports.

Run ``python benchmarks/bench_import.py`` (``--quick`` for a smoke run). ``python -c
"import pytest"`` against the same plus ``import pytest_connect_stub.plugin`` in fresh
interpreters (min of many runs, bytecode cached in a temporary ``PYTHONPYCACHEPREFIX``),
``-X importtime`` for the package's modules, and whether botocore, boto3, jsonschema or
jsonschema_rs got imported by loading the plugin (they should not be).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time

from _common import Settings, print_header, settings_from_argv

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
    """Print what loading the plugin costs a pytest process, and what it imports."""
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
    print(f"Plugin import (fresh interpreters, bytecode cached, min of {settings.import_reps})")
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


def main() -> int:
    settings = settings_from_argv(__doc__.splitlines()[0] if __doc__ else None)
    print_header(settings)
    print_import(settings)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
