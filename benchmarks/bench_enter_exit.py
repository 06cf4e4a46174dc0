"""Enter + exit: what starting and stopping a stub costs, next to ``moto.mock_aws()``.

Run ``python benchmarks/bench_enter_exit.py`` (``--quick`` for a smoke run). ``with stub:
pass`` (a stub reused) and ``with ConnectStub(): pass`` (what the fixture does), in
interleaved rounds with moto's ``mock_aws`` when moto is installed. moto is imported only
here: importing it adds a ``before-send`` handler to every client created afterwards.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable
from typing import Any

from _common import Settings, per_iteration, print_header, settings_from_argv

from pytest_connect_stub import ConnectStub


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
    """Print enter + exit of a stub next to moto's mock_aws."""
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
    print(f"Enter + exit (median of {settings.enter_exit_rounds} interleaved rounds)")
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


def main() -> int:
    settings = settings_from_argv(__doc__.splitlines()[0] if __doc__ else None)
    print_header(settings)
    print_enter_exit(settings)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
