"""Teardown strictness: unused scripted outcomes fail the test, with opt-outs at every level."""

from __future__ import annotations

import pytest
from helpers import add_ini_lines, literal

from pytest_connect_stub import ConnectStub

OPT_OUT = (
    "Use them, remove them, or opt out with assert_all_used=False: "
    "@pytest.mark.connect_stub(assert_all_used=False) on a test, "
    "pytestmark = pytest.mark.connect_stub(assert_all_used=False) in a module, "
    "or connect_stub_assert_all_used = false in the pytest configuration."
)


def test_unused_failure_fails_at_teardown(user: pytest.Pytester) -> None:
    user.makepyfile(
        """
        def test_forgot(connect_stub):
            connect_stub.fail("req-2", "INVALID_QUEUE", message="queue disabled")
        """
    )
    result = user.runpytest()
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(
        [
            "*_ ERROR at teardown of test_forgot _*",
            literal("connect_stub: 1 scripted outcome was not used up:"),
            literal("  - fail('req-2', 'INVALID_QUEUE', message='queue disabled'): used 0 of 1"),
            literal(OPT_OUT),
            "=*= short test summary info =*=",
        ]
    )
    # The message is shown once, not chained to a second copy of itself.
    assert result.stdout.str().count("scripted outcome was not used up") == 1
    result.stdout.no_fnmatch_line("*During handling of the above exception*")


def test_every_unused_outcome_is_named_with_its_usage(user: pytest.Pytester) -> None:
    user.makepyfile(
        """
        def test_forgot_several(connect_stub):
            connect_stub.raise_error("LimitExceededException", times=2)
            connect_stub.respond_with({"SuccessfulRequestList": []})
            connect_stub.simulate(times=3)
            connect_stub.fail("req-1", "INTERNAL_ERROR", times=None)
            connect_stub.succeed("req-2", times=2)
        """
    )
    result = user.runpytest()
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(
        [
            literal(line)
            for line in [
                "connect_stub: 5 scripted outcomes were not used up:",
                "  - raise_error('LimitExceededException', times=2): used 0 of 2",
                "  - respond_with({'SuccessfulRequestList': []}): used 0 of 1",
                "  - simulate(times=3): used 0 of 3",
                "  - fail('req-1', 'INTERNAL_ERROR', times=None): used 0 of every time",
                "  - succeed('req-2', times=2): used 0 of 2",
                OPT_OUT,
            ]
        ]
    )


def test_partly_used_outcome_fails_at_teardown(user: pytest.Pytester) -> None:
    user.makepyfile(
        """
        def test_half(connect_stub, client, item):
            connect_stub.fail("req-1", "INVALID_QUEUE", times=2)
            client.batch_put_contact(InstanceId="inst-1", ContactDataRequestList=[item()])
        """
    )
    result = user.runpytest()
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(
        [
            literal("connect_stub: 1 scripted outcome was not used up:"),
            literal("  - fail('req-1', 'INVALID_QUEUE', times=2): used 1 of 2"),
        ]
    )


def test_unused_predicate_outcome_is_named_by_the_function(user: pytest.Pytester) -> None:
    user.makepyfile(
        """
        def blocked_number(item):
            return item["CustomerEndpoint"]["Address"] == "+15550199"

        def test_predicate(connect_stub):
            connect_stub.fail(blocked_number, "INVALID_CUSTOMER_ENDPOINT")
        """
    )
    result = user.runpytest()
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(
        [literal("  - fail(blocked_number, 'INVALID_CUSTOMER_ENDPOINT'): used 0 of 1")]
    )


def test_outcomes_used_as_scripted_pass_teardown(user: pytest.Pytester) -> None:
    user.makepyfile(
        """
        def test_all_used(connect_stub, client, item):
            connect_stub.raise_error("LimitExceededException")
            connect_stub.fail("req-1", "INVALID_QUEUE", times=None)
            connect_stub.succeed("req-2")
            client.batch_put_contact(
                InstanceId="inst-1", ContactDataRequestList=[item("req-1"), item("req-2")]
            )
        """
    )
    result = user.runpytest()
    result.assert_outcomes(passed=1)
    result.stdout.no_fnmatch_line("*connect_stub:*")


def test_failed_test_gets_no_second_error_at_teardown(user: pytest.Pytester) -> None:
    user.makepyfile(
        """
        def test_broken(connect_stub):
            connect_stub.fail("req-2", "INVALID_QUEUE")
            assert 1 == 2
        """
    )
    result = user.runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.no_fnmatch_line("*ERROR at teardown*")
    result.stdout.no_fnmatch_line("*not used up*")


def test_failed_setup_gets_no_second_error_at_teardown(user: pytest.Pytester) -> None:
    user.makepyfile(
        """
        import pytest

        @pytest.fixture
        def scripted(connect_stub):
            connect_stub.fail("req-2", "INVALID_QUEUE")

        @pytest.fixture
        def broken(scripted):
            raise RuntimeError("setup broke")

        def test_never_runs(broken):
            pass
        """
    )
    result = user.runpytest()
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*ERROR at setup of test_never_runs*"])
    result.stdout.no_fnmatch_line("*not used up*")


def test_expected_failure_gets_no_second_report_at_teardown(user: pytest.Pytester) -> None:
    user.makepyfile(
        """
        import pytest

        @pytest.mark.xfail(reason="known bug", strict=True)
        def test_known_bug(connect_stub):
            connect_stub.fail("req-2", "INVALID_QUEUE")
            assert 1 == 2
        """
    )
    result = user.runpytest()
    result.assert_outcomes(xfailed=1)
    result.stdout.no_fnmatch_line("*not used up*")


def test_test_skipped_midway_gets_no_error_at_teardown(user: pytest.Pytester) -> None:
    user.makepyfile(
        """
        import pytest

        def test_skipped(connect_stub):
            connect_stub.fail("req-2", "INVALID_QUEUE")
            pytest.skip("not on this platform")
        """
    )
    result = user.runpytest()
    result.assert_outcomes(skipped=1)
    result.stdout.no_fnmatch_line("*not used up*")


def test_opt_out_per_test_with_the_marker(user: pytest.Pytester) -> None:
    user.makepyfile(
        """
        import pytest

        @pytest.mark.connect_stub(assert_all_used=False)
        def test_lenient(connect_stub):
            connect_stub.fail("req-2", "INVALID_QUEUE")

        def test_strict(connect_stub):
            connect_stub.fail("req-2", "INVALID_QUEUE")
        """
    )
    result = user.runpytest()
    result.assert_outcomes(passed=2, errors=1)
    result.stdout.fnmatch_lines(["*ERROR at teardown of test_strict*"])
    result.stdout.no_fnmatch_line("*ERROR at teardown of test_lenient*")


def test_opt_out_per_module_with_pytestmark(user: pytest.Pytester) -> None:
    user.makepyfile(
        test_lenient_module="""
        import pytest

        pytestmark = pytest.mark.connect_stub(assert_all_used=False)

        def test_one(connect_stub):
            connect_stub.fail("req-2", "INVALID_QUEUE")

        def test_two(connect_stub):
            connect_stub.raise_error("AccessDeniedException")
        """,
        test_strict_module="""
        def test_three(connect_stub):
            connect_stub.fail("req-2", "INVALID_QUEUE")
        """,
    )
    result = user.runpytest()
    result.assert_outcomes(passed=3, errors=1)
    result.stdout.fnmatch_lines(["*ERROR at teardown of test_three*"])


def test_test_marker_turns_strictness_back_on_inside_a_lenient_module(
    user: pytest.Pytester,
) -> None:
    user.makepyfile(
        """
        import pytest

        pytestmark = pytest.mark.connect_stub(assert_all_used=False)

        @pytest.mark.connect_stub(assert_all_used=True)
        def test_strict_again(connect_stub):
            connect_stub.fail("req-2", "INVALID_QUEUE")
        """
    )
    result = user.runpytest()
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(["*ERROR at teardown of test_strict_again*"])


def test_opt_out_for_the_suite_with_the_ini_option(user: pytest.Pytester) -> None:
    add_ini_lines(user, "connect_stub_assert_all_used = false\n")
    user.makepyfile(
        """
        import pytest

        def test_lenient(connect_stub):
            connect_stub.fail("req-2", "INVALID_QUEUE")

        @pytest.mark.connect_stub(assert_all_used=True)
        def test_strict(connect_stub):
            connect_stub.fail("req-2", "INVALID_QUEUE")
        """
    )
    result = user.runpytest()
    result.assert_outcomes(passed=2, errors=1)
    result.stdout.fnmatch_lines(["*ERROR at teardown of test_strict*"])
    result.stdout.no_fnmatch_line("*ERROR at teardown of test_lenient*")


def test_stub_is_stopped_and_reset_between_tests(user: pytest.Pytester) -> None:
    user.makepyfile(
        """
        import pytest

        @pytest.mark.connect_stub(assert_all_used=False)
        def test_first(connect_stub, client, item):
            connect_stub.raise_error("AccessDeniedException", times=None)
            with pytest.raises(client.exceptions.AccessDeniedException):
                client.batch_put_contact(InstanceId="inst-1", ContactDataRequestList=[item()])

        def test_second(connect_stub, client, item):
            resp = client.batch_put_contact(InstanceId="inst-1", ContactDataRequestList=[item()])
            assert len(resp["SuccessfulRequestList"]) == 1
            assert len(connect_stub.calls) == 1
        """
    )
    user.runpytest().assert_outcomes(passed=2)


def test_context_manager_raises_for_unused_outcomes_on_exit() -> None:
    stub = ConnectStub()
    with pytest.raises(AssertionError) as raised, stub:
        stub.fail("req-1", "INVALID_QUEUE")
    assert str(raised.value).splitlines() == [
        "connect_stub: 1 scripted outcome was not used up:",
        "  - fail('req-1', 'INVALID_QUEUE'): used 0 of 1",
        OPT_OUT,
    ]
    assert not stub.active


def test_context_manager_does_not_mask_the_body_exception() -> None:
    stub = ConnectStub()
    with pytest.raises(KeyError), stub:
        stub.fail("req-1", "INVALID_QUEUE")
        raise KeyError("from the body")


def test_context_manager_with_assert_all_used_false_ignores_unused_outcomes() -> None:
    with ConnectStub(assert_all_used=False) as stub:
        stub.raise_error("AccessDeniedException")
    with pytest.raises(AssertionError):
        stub.assert_outcomes_used()
