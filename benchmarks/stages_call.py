"""Where a stubbed call's time goes inside real botocore calls, and the same steps alone.

Run ``python benchmarks/stages_call.py [lean|realistic]`` (``--quick`` for a smoke run).
Some of the stub's steps are timed from inside, by wrappers laid over them for this run
only: once in blocks of 25-item ``batch_put_contact`` calls interleaved with the floor's
(as ``bench_call.py`` runs them), once with ``Handler.handle`` called alone in a tight loop
on the same request. The table gives each step's median µs per call both ways, their
ratio, and the step's share of the floor's time per call.

A step costs more inside a call than alone when botocore's own work has pushed the stub's
code and data out of the CPU's caches in between: instruction counts
(``count_call.py``) do not see that, wall-clock ratios (``bench_call.py``) do.
"""

from __future__ import annotations

import functools
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from typing import Any

from _common import ITEM_KINDS, Floor, StubMode, argument_parser, print_header, settings_of

from pytest_connect_stub import contacts, http, service, validation

#: The timed steps: a label, and the object and attribute the wrapper is laid on.
STEPS: tuple[tuple[str, Any, str], ...] = (
    ("Handler.handle, whole", http.Handler, "handle"),
    ("read the body (decode)", http, "decode"),
    ("  compiled schema check", validation.Validator, "is_valid"),
    ("put_contacts, whole", service.SimulatedService, "put_contacts"),
    ("  per-item rules", service, "failures"),
    ("  ContactIds", contacts.ContactIds, "take"),
    ("write the answer", http, "write_json"),
)

Samples = dict[str, list[int]]


@contextmanager
def timed_steps(samples: Samples) -> Iterator[None]:
    """Lay a timing wrapper over each step; take them off afterwards."""
    with ExitStack() as stack:
        for label, owner, name in STEPS:
            original = owner.__dict__[name]
            stack.callback(setattr, owner, name, original)
            setattr(owner, name, _timing(original, samples.setdefault(label, [])))
        yield


def _timing(function: Callable[..., Any], into: list[int]) -> Callable[..., Any]:
    clock = time.perf_counter_ns

    @functools.wraps(function)
    def timed(*args: Any, **kwargs: Any) -> Any:
        start = clock()
        try:
            return function(*args, **kwargs)
        finally:
            into.append(clock() - start)

    return timed


def in_calls(floor: Floor, stub: StubMode, rounds: int, k: int) -> tuple[Samples, float]:
    """Each step's times inside blocks of stub calls, and the floor's median s per call."""
    samples: Samples = {}
    floor_calls: list[float] = []
    for round_no in range(rounds):
        floor_first = round_no % 2 == 0
        if floor_first:
            floor_calls.append(floor.block(k) / k)
        with timed_steps(samples):
            stub.block(k)
        if not floor_first:
            floor_calls.append(floor.block(k) / k)
    return samples, statistics.median(floor_calls)


def alone(stub: StubMode, calls: int) -> Samples:
    """Each step's times with ``Handler.handle`` called directly, over and over."""
    sent: list[tuple[str, str, dict[str, Any], bytes]] = []

    def keep(request: Any, **_: Any) -> None:
        sent.append((request.method, request.url, dict(request.headers.items()), request.body))

    event = "before-send.connect.BatchPutContact"
    stub.client.meta.events.register(event, keep)
    try:
        stub.call()
    finally:
        stub.client.meta.events.unregister(event, keep)
    handler = stub.stub._handler  # the handler every transport calls
    samples: Samples = {}
    with timed_steps(samples):
        for _ in range(calls):
            stub.stub.reset()  # the same ClientToken again: otherwise a replay
            handler.handle(*sent[0])
    return samples


def main() -> int:
    parser = argument_parser(__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("kind", nargs="?", choices=sorted(ITEM_KINDS), default="realistic")
    args = parser.parse_args()
    settings = settings_of(args)
    print_header(settings)
    items = ITEM_KINDS[args.kind](25)
    floor, stub = Floor(items), StubMode(items)
    for mode in (floor, stub):
        for _ in range(20):
            mode.call()
    k = max(5, int(settings.block_seconds / (floor.block(20) / 20)))
    inside, floor_seconds = in_calls(floor, stub, settings.rounds, k)
    outside = alone(stub, settings.rounds * k)
    floor_micros = floor_seconds * 1e6
    print(
        f"\nSteps of a stubbed call, 25 {args.kind} items: median µs per call "
        f"({settings.rounds} rounds of {k} calls; floor {floor_micros:.0f} µs per call)"
    )
    print(f"{'step':<26}  {'in a call':>9}  {'alone':>7}  {'in/alone':>8}  {'of floor':>8}")
    for label, _, _ in STEPS:
        within = statistics.median(inside[label]) / 1000
        apart = statistics.median(outside[label]) / 1000
        print(
            f"{label:<26}  {within:>9.1f}  {apart:>7.1f}  {within / apart:>8.2f}  "
            f"{within / floor_micros:>8.3f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
