"""What refusing an oversized request costs, as a ratio to botocore serializing it.

Run ``python benchmarks/bench_reject.py``. For each request below, botocore's rest-json
serializer turns the parameters into the request it would send (no client-side
validation: with ``parameter_validation=False`` this is all botocore does with them), then
the stub's HTTP handler answers those bytes. Both are timed in this process, best of a few
runs, and the stub's time is printed as a ratio to botocore's: under 1.0, refusing a
request costs less than making it. The size of the answer's message is printed too.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable
from typing import Any

from _common import lean_items
from botocore.serialize import create_serializer

from pytest_connect_stub import ConnectStub, model

URL = "https://connect.us-east-1.amazonaws.com"


CASES: dict[str, Callable[[], dict[str, Any]]] = {
    "30,000 items": lambda: {"ContactDataRequestList": lean_items(30_000)},
    "100,000 items": lambda: {"ContactDataRequestList": lean_items(100_000)},
    "40,000 bad attribute values": lambda: {
        "ContactDataRequestList": [
            {**lean_items(1)[0], "Attributes": {f"key{n}": n for n in range(40_000)}}
        ]
    },
}


def best(run: Callable[[], object], repeats: int) -> float:
    """The shortest of ``repeats`` timed runs, in seconds."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    """Print one line per case: botocore's time, the stub's, their ratio, the message size."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    serializer = create_serializer("rest-json", include_validation=False)
    operation = model.operation_model()
    handler = ConnectStub()._handler
    print(f"{'request':<30}{'botocore s':>12}{'stub s':>10}{'stub/botocore':>15}{'message':>12}")
    for name, make in CASES.items():
        params = {"InstanceId": "inst-1", **make()}
        request = serializer.serialize_to_request(params, operation)
        url = URL + request["url_path"]

        def answer(body: bytes = request["body"], url: str = url) -> Any:
            return handler.handle("PUT", url, {}, body)

        def make_request(params: dict[str, Any] = params) -> Any:
            return serializer.serialize_to_request(params, operation)

        serialize = best(make_request, args.repeats)
        reject = best(answer, args.repeats)
        response = answer()
        assert response.status == 400, response.status
        message = json.loads(response.body)["Message"]
        print(
            f"{name:<30}{serialize:>12.3f}{reject:>10.3f}{reject / serialize:>15.2f}"
            f"{len(message):>12,}"
        )


if __name__ == "__main__":
    main()
