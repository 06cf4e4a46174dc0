"""How pytest shows a failed assertion of the stub: at the user's line, no frame of ours.

The messages themselves are compared as text in test_call_assertions.py and
test_contact_assertions.py; this is what only a user's pytest run shows.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import literal
from two_calls import FIRST_CALL, SECOND_CALL, SOURCE

#: Each assertion, failing, as a user writes it: (what the test does first, the assertion).
FAILING = [
    ("", "connect_stub.assert_called()"),
    ("", "connect_stub.assert_called(times=2)"),
    ("", "connect_stub.assert_called_once()"),
    ("", 'connect_stub.assert_called_with(InstanceId="inst-1")'),
    ("", 'connect_stub.assert_any_call(InstanceId="inst-1")'),
    ("", 'connect_stub.assert_called_once_with(InstanceId="inst-1")'),
    ("", 'connect_stub.assert_any_contact(QueueId="queue-1")'),
    (
        'client.batch_put_contact(InstanceId="inst-1", ContactDataRequestList=[item()])',
        "connect_stub.assert_not_called()",
    ),
]

#: A multi-line message: how pytest prints each of its lines, then the user's line.
MISMATCH = """

def test_mismatch(connect_stub, client, item):
    make_two_calls(client, item)
    connect_stub.assert_called_with(
        InstanceId="inst-1",
        ContactDataRequestList=[
            {"RequestIdentifier": "req-2"},
            {"CustomerEndpoint": {"Address": "+15550199"}, "SystemEndpoint": mock.ANY},
        ],
    )
"""


def location(path: Path, statement: str) -> str:
    """pytest's ``file:line: AssertionError`` line for ``statement`` in the user's file."""
    lines = [line.strip() for line in path.read_text().splitlines()]
    return f"{path.name}:{lines.index(statement) + 1}: AssertionError"


def error_lines(*lines: str) -> list[str]:
    """Patterns for an assertion message as pytest prints it: ``E`` and 7 spaces per line."""
    return ["E       " + literal(line) for line in lines]


def test_assertion_failures_point_at_the_users_line(user: pytest.Pytester) -> None:
    tests = "".join(
        f"\n\ndef test_points_here_{n}(connect_stub, client, item):\n"
        f"    {setup or 'x = 1'}\n"
        f"    {assertion}\n"
        for n, (setup, assertion) in enumerate(FAILING)
    )
    path = user.makepyfile(SOURCE + tests + MISMATCH)
    result = user.runpytest()
    result.assert_outcomes(failed=len(FAILING) + 1)
    for _, assertion in FAILING:
        result.stdout.fnmatch_lines([literal(f">       {assertion}"), location(path, assertion)])
    result.stdout.fnmatch_lines(
        [
            ">       connect_stub.assert_called_with(",
            *error_lines(
                "AssertionError: The last BatchPutContact call does not match:",
                "  InstanceId: expected 'inst-1', got 'inst-2'",
                "  ContactDataRequestList[1].CustomerEndpoint.Address: "
                "expected '+15550199', got '+15550100'",
                "  ContactDataRequestList[1].SystemEndpoint: expected <ANY>, but it is missing",
                "Calls received (2):",
                *FIRST_CALL,
                "      differs at ContactDataRequestList: expected 2 items, got 1",
                *SECOND_CALL,
                "      differs at InstanceId: expected 'inst-1', got 'inst-2'",
                "      differs at ContactDataRequestList[1].CustomerEndpoint.Address: "
                "expected '+15550199', got '+15550100'",
                "      differs at ContactDataRequestList[1].SystemEndpoint: "
                "expected <ANY>, but it is missing",
            ),
            "",
            location(path, "connect_stub.assert_called_with("),
        ]
    )
    # The helpers' own frames are hidden: the user's line is the only one shown.
    result.stdout.no_fnmatch_line("*pytest_connect_stub*")
    result.stdout.no_fnmatch_line("*__tracebackhide__*")
    result.stdout.no_fnmatch_line("*def assert_*")
