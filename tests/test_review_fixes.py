"""Defects an adversarial review of issue 7's work found: each is answered where a user meets it.

Options that would be misread, ini values checked before any test runs, ``times`` checked in
the assertions, scripted values the stub could never send, and failure messages whose size
does not grow with the calls.
"""

from __future__ import annotations

from typing import Any

import pytest
from helpers import add_ini_lines, literal

from pytest_connect_stub import ConnectStub

INSTANCES_HINT = "instances must map instance IDs to their queue IDs, e.g. {'inst-1': ['queue-1']}"


# --- 1. options that would be misread ---------------------------------------------------------


@pytest.mark.parametrize(
    ("instances", "got"),
    [
        ({"i": "queue-1"}, "got 'queue-1' for instance 'i'"),
        ({"i": None}, "got None for instance 'i'"),
        ({"i": 7}, "got 7 for instance 'i'"),
        ({"i": [None]}, "got the queue ID None for instance 'i'"),
        ({3: ["queue-1"]}, "got the instance ID 3"),
    ],
)
def test_instances_that_are_not_lists_of_queue_ids_are_refused_naming_the_option(
    instances: Any, got: str
) -> None:
    with pytest.raises(TypeError) as raised:
        ConnectStub(instances=instances)
    assert str(raised.value) == f"{INSTANCES_HINT}; {got}"


@pytest.mark.parametrize("value", [None, 5])
def test_disable_rules_that_is_not_a_list_is_refused_naming_the_option(value: Any) -> None:
    with pytest.raises(TypeError) as raised:
        ConnectStub(disable_rules=value)
    assert str(raised.value) == (
        "disable_rules must be a list of FailureReasonCodes, e.g. ['MISSING_CAMPAIGN']; "
        f"got {value!r}"
    )


def test_a_queue_given_as_a_string_in_the_marker_fails_the_test_naming_the_option(
    user: pytest.Pytester,
) -> None:
    user.makepyfile(
        """
        import pytest

        @pytest.mark.connect_stub(strict=True, instances={"i": "queue-1"})
        def test_strict(connect_stub):
            pass
        """
    )
    result = user.runpytest()
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(
        [literal(f"connect_stub options: {INSTANCES_HINT}; got 'queue-1' for instance 'i'")]
    )


# --- 9. ini values are checked once, when pytest configures ------------------------------------


def test_an_unknown_rule_in_the_ini_file_stops_the_run_naming_the_ini_option(
    user: pytest.Pytester,
) -> None:
    from pytest_connect_stub.rules import RULE_CODES

    add_ini_lines(user, "connect_stub_disable_rules = MISSING_CAMPAIGN INVALID_QUEU\n")
    user.makepyfile(
        """
        def test_any(connect_stub):
            pass

        def test_without_the_stub():
            pass
        """
    )
    result = user.runpytest()
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert [line for line in result.errlines if line] == [
        "ERROR: In the pytest configuration: Unknown rule in connect_stub_disable_rules "
        "'INVALID_QUEU'. Did you mean 'INVALID_QUEUE'? "
        f"Valid values: {', '.join(RULE_CODES)}."
    ]
    assert "Traceback" not in result.stdout.str() + result.stderr.str()


# --- 10. assert_called(times=) -----------------------------------------------------------------

TIMES_HINT = "times must be a whole number >= 0, or None for at least once"


@pytest.mark.parametrize(
    ("times", "error"), [("1", TypeError), (1.0, TypeError), (True, TypeError), (-1, ValueError)]
)
def test_assert_called_refuses_a_times_no_count_could_equal(
    times: Any, error: type[Exception], client: Any, item: Any
) -> None:
    with ConnectStub() as stub:
        client.batch_put_contact(InstanceId="inst-1", ContactDataRequestList=[item()])
        with pytest.raises(error) as raised:
            stub.assert_called(times=times)
    assert str(raised.value) == f"{TIMES_HINT}; got {times!r}"


def test_a_bad_times_points_at_the_users_line(user: pytest.Pytester) -> None:
    user.makepyfile(
        """
        def test_count(connect_stub):
            connect_stub.assert_called(times=-1)
        """
    )
    result = user.runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            ">       connect_stub.assert_called(times=-1)",
            literal(f"E       ValueError: {TIMES_HINT}; got -1"),
        ]
    )
