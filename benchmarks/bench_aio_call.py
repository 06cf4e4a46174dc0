"""Per-call time of an aiobotocore client's ``batch_put_contact``: the stub against a floor.

Run ``python benchmarks/bench_aio_call.py`` (``--quick`` for a smoke run) where aiobotocore
is installed (``pip install -e ".[bench,aiobotocore]"``). For lean and realistic items, with
1, 10 and 25 items, two modes run in interleaved rounds on one event loop (the order
alternates each round):

* floor: a bare ``before-send`` handler answering a canned 200 of the same size as the
  stub's answer, as an ``AioAWSResponse`` whose body reads asynchronously, so aiobotocore
  still validates, serializes, signs and parses;
* stub: ``ConnectStub()`` active.

The tables show medians; ``stub/floor`` is the median of per-round ratios, what the stub
adds to aiobotocore itself.
"""

from __future__ import annotations

import asyncio
import gc
import statistics
import time
import uuid
from typing import Any

from _common import (
    INSTANCE_ID,
    ITEM_KINDS,
    Settings,
    answer_sizes,
    compact,
    settings_from_argv,
    success_body,
)

from pytest_connect_stub import ConnectStub

SIZES = (1, 10, 25)


class _CannedBody:
    """The ``raw`` of an AioAWSResponse: aiobotocore awaits ``read()``."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    async def read(self) -> bytes:
        return self.data


async def _client(stack: Any) -> Any:
    import aiobotocore.session

    session = aiobotocore.session.get_session()
    return await stack.enter_async_context(
        session.create_client(
            "connect",
            region_name="us-east-1",
            aws_access_key_id="AKIDCONNECTBENCH",
            aws_secret_access_key="connect-bench-not-a-secret",
        )
    )


async def _calls(client: Any, params: dict[str, Any], k: int) -> float:
    call = client.batch_put_contact
    gc.collect()
    start = time.perf_counter()
    for _ in range(k):
        await call(**params)
    return time.perf_counter() - start


async def measure(kind: str, count: int, settings: Settings) -> tuple[float, float, float]:
    """Median µs per call of the floor and the stub, and the median per-round ratio."""
    from contextlib import AsyncExitStack

    from aiobotocore.awsrequest import AioAWSResponse

    items = ITEM_KINDS[kind](count)
    params = {"InstanceId": INSTANCE_ID, "ContactDataRequestList": items}
    payload = compact(success_body(items))
    headers = {"Content-Type": "application/json", "x-amzn-RequestId": str(uuid.uuid4())}

    def answer(request: Any, **_: Any) -> Any:
        return AioAWSResponse(request.url, 200, headers, _CannedBody(payload))

    stub = ConnectStub()
    async with AsyncExitStack() as stack:
        floor, stubbed = await _client(stack), await _client(stack)
        floor.meta.events.register("before-send.connect.BatchPutContact", answer)

        async def floor_block(k: int) -> float:
            return await _calls(floor, params, k)

        async def stub_block(k: int) -> float:
            stub.reset()
            with stub:
                elapsed = await _calls(stubbed, params, k)
            if len(stub.calls) != k or any(c.status_code != 200 for c in stub.calls):
                raise RuntimeError("the stub did not answer every benchmark call with a 200")
            return elapsed

        stub.reset()
        with stub, answer_sizes(stubbed) as sizes:
            await stubbed.batch_put_contact(**params)
        if sizes != [len(payload)]:
            print(f"  note: floor body {len(payload)} B, stub body {sizes} B")
        for block in (floor_block, stub_block):  # warm-up: caches, schema, lazy imports
            await block(20)
        k = max(5, int(settings.block_seconds / (await floor_block(20) / 20)))
        floors, stubs, ratios = [], [], []
        for round_no in range(settings.rounds):
            order = (floor_block, stub_block) if round_no % 2 else (stub_block, floor_block)
            timed = {block: await block(k) / k for block in order}
            floors.append(timed[floor_block])
            stubs.append(timed[stub_block])
            ratios.append(timed[stub_block] / timed[floor_block])
    return (
        statistics.median(floors) * 1e6,
        statistics.median(stubs) * 1e6,
        statistics.median(ratios),
    )


async def run(settings: Settings) -> None:
    """Print one table per item kind."""
    for kind in ITEM_KINDS:
        print(f"Per-call time, {kind} items, aiobotocore (median of {settings.rounds} rounds)")
        print(f"{'items':>5}  {'floor µs':>9}  {'stub µs':>8}  {'stub/floor':>10}")
        for count in SIZES:
            floor, stub, ratio = await measure(kind, count, settings)
            print(f"{count:>5}  {floor:>9.1f}  {stub:>8.1f}  {ratio:>10.3f}")
        print()


def main() -> int:
    settings = settings_from_argv(__doc__.splitlines()[0] if __doc__ else None)
    import aiobotocore
    import botocore

    print(f"aiobotocore {aiobotocore.__version__}, botocore {botocore.__version__}\n")
    asyncio.run(run(settings))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
