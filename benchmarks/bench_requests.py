"""Per call with ``requests``: the stub against a ``responses`` callback answering canned bytes.

Run ``python benchmarks/bench_requests.py`` (``--quick`` for a smoke run). A BatchPutContact
request signed once with botocore's SigV4Auth is sent with ``requests.put`` again and again.
The *floor* is a ``responses.RequestsMock`` whose callback returns a canned 200 of the same
size and headers as the stub's answer: what any ``responses``-based stub costs at least. The
*stub* is a ``ConnectStub`` answering the same request (validation, rules, ContactIds,
records). Interleaved rounds; the ratio printed is the median of per-round ratios.
"""

from __future__ import annotations

import contextlib
import json
import re
import statistics
from collections.abc import Callable, Iterator
from typing import Any

import requests
import responses
from _common import Settings, lean_items, per_iteration, print_header, settings_from_argv
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from pytest_connect_stub import ConnectStub

URL = "https://connect.us-east-1.amazonaws.com/contact/batch/inst-bench"


def _signed(items: list[dict[str, Any]]) -> tuple[bytes, dict[str, str]]:
    body = json.dumps({"ContactDataRequestList": items}).encode()
    request = AWSRequest("PUT", URL, data=body, headers={"Content-Type": "application/json"})
    SigV4Auth(Credentials("AKIDBENCH", "not-a-secret"), "connect", "us-east-1").add_auth(request)
    return body, dict(request.headers)


def _modes(
    items: list[dict[str, Any]],
) -> dict[str, tuple[Callable[[], contextlib.AbstractContextManager[Any]], Callable[[], None]]]:
    """Each mode: what makes the context it runs in, and one call."""
    body, headers = _signed(items)
    session = requests.Session()

    def call() -> None:
        answer = session.put(URL, data=body, headers=headers)
        assert answer.status_code == 200, answer.text

    with ConnectStub():
        first = session.put(URL, data=body, headers=headers)
    assert first.status_code == 200, first.text
    # The stub's own answer, byte for byte, is the floor's canned one.
    status, answer = 200, first.content
    answer_headers = {"Content-Type": "application/json", "x-amzn-RequestId": "0" * 36}
    floor = responses.RequestsMock(assert_all_requests_are_fired=False)
    floor.add(
        responses.CallbackResponse(
            "PUT",
            url=re.compile(re.escape(URL)),
            callback=lambda _request: (status, answer_headers, answer),
            content_type=None,
        )
    )

    @contextlib.contextmanager
    def floor_active() -> Iterator[None]:
        # start()/stop(), not ``with``: leaving a RequestsMock's block resets its registry.
        floor.start()
        try:
            yield
        finally:
            floor.stop(allow_assert=False)

    return {"floor": (floor_active, call), "stub": (ConnectStub, call)}


def print_requests(settings: Settings) -> None:
    """Print per-call times of the floor and the stub, and their ratio, by item count."""
    print(f"requests.put per call (median of {settings.rounds} interleaved rounds)")
    for count in (1, 10, 25):
        modes = _modes(lean_items(count))
        iterations = {}
        for name, (context, call) in modes.items():
            with context():
                call()  # warm-up
                once = per_iteration(call, 3)
            iterations[name] = max(3, int(settings.block_seconds / once))
        samples: dict[str, list[float]] = {name: [] for name in modes}
        ratios = []
        for round_no in range(settings.rounds):
            names = list(modes) if round_no % 2 == 0 else list(reversed(modes))
            for name in names:
                context, call = modes[name]
                with context():
                    samples[name].append(per_iteration(call, iterations[name]))
            ratios.append(samples["stub"][-1] / samples["floor"][-1])
        floor = statistics.median(samples["floor"]) * 1e6
        stub = statistics.median(samples["stub"]) * 1e6
        print(
            f"   {count:>2} items: stub {stub:8.1f} µs, floor {floor:8.1f} µs, "
            f"stub/floor {statistics.median(ratios):.2f}x"
        )
    print()


def main() -> int:
    settings = settings_from_argv(__doc__.splitlines()[0] if __doc__ else None)
    print_header(settings)
    print_requests(settings)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
