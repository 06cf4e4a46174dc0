"""Per-call time of ``client.batch_put_contact``: the stub against botocore's own floor.

Run ``python benchmarks/bench_call.py`` (``--quick`` for a smoke run). For lean items (only
what the rules require) and realistic ones (endpoints, queue, campaign, attributes), with
1, 10 and 25 items, three modes run in interleaved rounds (the order rotates each round):

* floor: a bare ``before-send`` handler answering a canned 200 of the same size as the
  stub's answer, so botocore still validates, serializes, signs and parses;
* Stubber: ``botocore.stub.Stubber`` (it skips serializing, signing and parsing);
* stub: ``ConnectStub()`` active.

The tables show medians; the ratios are medians of per-round ratios. ``stub/floor`` is
what the stub adds to botocore itself. ``read µs`` is what reading ``stub.calls`` once
afterwards costs per call (records are kept as bytes until read), outside the timed calls.

``--per-call``: each round times one call per mode instead of a block of calls, so no
stub call follows another. The stub's data and code are then colder in the CPU's caches,
and its ratios higher (``benchmarks/README.md``).
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass

from _common import (
    ITEM_KINDS,
    Floor,
    Mode,
    Settings,
    StubberMode,
    StubMode,
    answer_sizes,
    argument_parser,
    print_header,
    settings_of,
)

SIZES = (1, 10, 25)


@dataclass
class Row:
    """Per-call medians of one batch size, and the medians of the per-round ratios."""

    items: int
    micros: dict[str, float]
    stub_floor: float
    stub_stubber: float
    calls_per_block: int
    read_micros: float


def measure(kind: str, count: int, settings: Settings) -> Row:
    """Interleaved rounds of a block of calls per mode, for one item kind and batch size."""
    modes, stub = _warmed_modes(kind, count)
    probe = modes[0].block(20) / 20
    k = max(5, int(settings.block_seconds / probe))
    samples: dict[str, list[float]] = {mode.name: [] for mode in modes}
    reads: list[float] = []
    for round_no in range(settings.rounds):
        shift = round_no % len(modes)
        for mode in modes[shift:] + modes[:shift]:
            samples[mode.name].append(mode.block(k) / k)
        reads.append(stub.last_read / k)
    return _row(count, samples, reads, k)


#: ``--per-call``: rounds between two reads of the stub's records (each read then resets).
READ_EVERY = 100


def measure_per_call(kind: str, count: int, settings: Settings) -> Row:
    """Rounds of one call per mode, in rotating order, for one item kind and batch size."""
    modes, stub = _warmed_modes(kind, count)
    samples: dict[str, list[float]] = {mode.name: [] for mode in modes}
    reads: list[float] = []
    for round_no in range(settings.call_rounds):
        shift = round_no % len(modes)
        for mode in modes[shift:] + modes[:shift]:
            samples[mode.name].append(mode.once())
        done = round_no + 1
        if done % READ_EVERY == 0 or done == settings.call_rounds:
            made = done % READ_EVERY or READ_EVERY
            reads.append(stub.read_records(made) / made)
    return _row(count, samples, reads, 1)


def _warmed_modes(kind: str, count: int) -> tuple[list[Mode], StubMode]:
    """The floor, Stubber and stub modes (the stub also on its own), warmed up and checked."""
    items = ITEM_KINDS[kind](count)
    floor, stub = Floor(items), StubMode(items)
    modes: list[Mode] = [floor, StubberMode(items), stub]
    for mode in modes:  # warm-up: caches, the stub's schema, lazy imports
        for _ in range(20):
            mode.call()
    _check_same_size(floor, stub)
    return modes, stub


def _row(
    count: int, samples: dict[str, list[float]], reads: list[float], calls_per_block: int
) -> Row:
    """Medians of each mode's seconds per call, and of the ratios within each round."""
    floor, stubber, stubbed = samples["floor"], samples["Stubber"], samples["stub"]
    return Row(
        items=count,
        micros={name: statistics.median(s) * 1e6 for name, s in samples.items()},
        stub_floor=statistics.median(s / f for s, f in zip(stubbed, floor, strict=True)),
        stub_stubber=statistics.median(s / b for s, b in zip(stubbed, stubber, strict=True)),
        calls_per_block=calls_per_block,
        read_micros=statistics.median(reads) * 1e6,
    )


def _check_same_size(floor: Floor, stub: StubMode) -> None:
    """The floor's canned body must be as long as what the stub really answers."""
    stub.stub.reset()
    with answer_sizes(stub.client) as sizes:
        stub.call()
    [answered] = sizes
    stub.stub.reset()
    if answered != floor.payload_size:
        print(f"  note: floor body {floor.payload_size} B, stub body {answered} B")


def print_rows(kind: str, rows: list[Row], rounds: int) -> None:
    """One table per item kind."""
    print(
        f"Per-call time, {kind} items (median of {rounds} interleaved rounds; "
        "ratios: median of per-round ratios)"
    )
    print(
        f"{'items':>5}  {'floor µs':>9}  {'Stubber µs':>10}  {'stub µs':>8}  "
        f"{'stub/floor':>10}  {'stub/Stubber':>12}  {'calls/block':>11}  {'read µs':>7}"
    )
    for row in rows:
        print(
            f"{row.items:>5}  {row.micros['floor']:>9.1f}  {row.micros['Stubber']:>10.1f}  "
            f"{row.micros['stub']:>8.1f}  {row.stub_floor:>10.3f}  {row.stub_stubber:>12.3f}  "
            f"{row.calls_per_block:>11}  {row.read_micros:>7.1f}"
        )
    print()


def main() -> int:
    parser = argument_parser(__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--per-call", action="store_true", help="one call per mode a round")
    args = parser.parse_args()
    settings = settings_of(args)
    print_header(settings)
    run, rounds = (
        (measure_per_call, settings.call_rounds) if args.per_call else (measure, settings.rounds)
    )
    print()
    for kind in ITEM_KINDS:
        print_rows(kind, [run(kind, count, settings) for count in SIZES], rounds)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
