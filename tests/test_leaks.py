"""A stub left active is stopped and reported against the test (or fixture) that leaked it.

It never outlives that test, and the user's own exception is never replaced by the report.
"""

from __future__ import annotations

import contextlib
import re
import sys
from collections.abc import Iterator
from textwrap import dedent

import pytest
from helpers import literal

from pytest_connect_stub import ConnectStub, activation
from pytest_connect_stub.activation import LeakWarning


def _leak_line(count: int, where: str) -> str:
    return activation.leftover_message(count, where)


#: Later tests check that nothing is stubbed any more.
UNSTUBBED = """
def test_later():
    import botocore.endpoint
    from pytest_connect_stub import activation

    assert activation.stack == []
    assert botocore.endpoint.Endpoint._send.__module__ == "botocore.endpoint"
"""


def test_a_users_fixture_that_starts_a_stub_and_never_stops_it_is_reported(
    user: pytest.Pytester,
) -> None:
    user.makepyfile(
        dedent(
            """
        import pytest
        from pytest_connect_stub import ConnectStub

        @pytest.fixture
        def my_stub():
            yield ConnectStub().start()

        def test_uses_it(my_stub):
            assert my_stub.active
        """
        )
        + UNSTUBBED
    )
    result = user.runpytest("-rA")
    result.assert_outcomes(passed=2, errors=1)
    result.stdout.fnmatch_lines(
        [
            "*ERROR at teardown of test_uses_it*",
            literal(_leak_line(1, "the test")),
            "PASSED test_a_users_fixture*::test_later",
        ]
    )


def test_a_test_that_stops_the_fixtures_stub_and_starts_another_is_reported(
    user: pytest.Pytester,
) -> None:
    user.makepyfile(
        dedent(
            """
        from pytest_connect_stub import ConnectStub

        def test_swaps(connect_stub):
            connect_stub.stop()
            ConnectStub().start()
        """
        )
        + UNSTUBBED
    )
    result = user.runpytest("-rA")
    result.assert_outcomes(passed=2, errors=1)
    result.stdout.fnmatch_lines(
        ["*ERROR at teardown of test_swaps*", literal(_leak_line(1, "the test"))]
    )


def test_stubs_of_wider_scoped_fixtures_are_theirs_until_they_are_finalized(
    user: pytest.Pytester,
) -> None:
    user.makepyfile(
        test_a="""
        import pytest
        from pytest_connect_stub import ConnectStub

        @pytest.fixture(scope="module")
        def kept():
            with ConnectStub() as stub:
                yield stub

        @pytest.fixture(scope="class")
        def forgotten():
            yield ConnectStub().start()

        def test_one(kept, connect_stub):
            assert kept.active and connect_stub.active

        class TestGroup:
            def test_two(self, kept, forgotten):
                assert kept.active and forgotten.active

            def test_three(self, kept, forgotten):
                assert kept.active and forgotten.active

        def test_four(kept):
            assert kept.active
        """,
        test_b=UNSTUBBED,
    )
    result = user.runpytest("-rA", "-p", "no:randomly")
    result.assert_outcomes(passed=5, errors=1)
    result.stdout.fnmatch_lines(
        [
            "*ERROR at teardown of TestGroup.test_three*",
            literal(_leak_line(1, "fixture 'forgotten' (class scope)")),
        ]
    )


def test_a_leak_in_a_test_whose_teardown_already_failed_is_stopped_and_noted(
    user: pytest.Pytester,
) -> None:
    user.makepyfile(
        dedent(
            """
        from pytest_connect_stub import ConnectStub

        def test_leaks_and_forgets(connect_stub):
            connect_stub.fail("req-1", "INVALID_QUEUE")
            ConnectStub().start()
        """
        )
        + UNSTUBBED
    )
    result = user.runpytest("-rA")
    result.assert_outcomes(passed=2, errors=1)
    result.stdout.fnmatch_lines(
        ["*ERROR at teardown of test_leaks_and_forgets*", "*1 scripted outcome was not used up*"]
    )
    if sys.version_info >= (3, 11):
        result.stdout.fnmatch_lines([literal(_leak_line(1, "the test"))])


@contextlib.contextmanager
def _warned_before_311(message: str) -> Iterator[None]:
    """Before Python 3.11 (no exception notes), what a note would say is a LeakWarning."""
    told: contextlib.AbstractContextManager[object] = (
        contextlib.nullcontext()
        if sys.version_info >= (3, 11)
        else pytest.warns(LeakWarning, match=re.escape(message))
    )
    with told:
        yield


def test_a_with_block_keeps_the_users_exception_and_stops_what_its_body_left_active() -> None:
    outer, inner = ConnectStub(), ConnectStub()
    with (
        _warned_before_311(_leak_line(1, "the block")),
        pytest.raises(ValueError, match="the user's own") as raised,
        outer,
    ):
        inner.start()
        raise ValueError("the user's own")
    assert not outer.active and not inner.active
    assert activation.stack == []
    if sys.version_info >= (3, 11):
        assert raised.value.__notes__ == [_leak_line(1, "the block")]


def test_a_with_block_that_ends_normally_with_a_stub_left_active_raises_after_stopping_it() -> None:
    outer, inner = ConnectStub(), ConnectStub()
    with pytest.raises(RuntimeError) as raised, outer:
        inner.start()
    assert str(raised.value) == _leak_line(1, "the block")
    assert not outer.active and not inner.active


def test_a_with_block_whose_stub_was_stopped_inside_says_so() -> None:
    stub = ConnectStub()
    with pytest.raises(RuntimeError, match="it is not active"), stub:
        stub.stop()
    with (
        _warned_before_311("Cannot stop this ConnectStub: it is not active"),
        pytest.raises(KeyError),
        stub,
    ):  # the body's exception wins
        stub.stop()
        raise KeyError("body")


def test_the_readme_shows_the_leak_message_users_see() -> None:
    from pathlib import Path

    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    assert f"  {_leak_line(1, 'the test')}\n" in readme


def test_a_leak_in_a_test_whose_fixture_raised_at_teardown_is_noted_on_that_error(
    user: pytest.Pytester,
) -> None:
    user.makepyfile(
        dedent(
            """
            import pytest
            from pytest_connect_stub import ConnectStub

            @pytest.fixture
            def breaks():
                yield
                raise RuntimeError("the user's teardown broke")

            def test_leaks(breaks):
                ConnectStub().start()
            """
        )
        + UNSTUBBED
    )
    result = user.runpytest("-rA")
    result.assert_outcomes(passed=2, errors=1)
    lines = ["E       RuntimeError: the user's teardown broke"]
    if sys.version_info >= (3, 11):
        lines.append(literal(f"E       {_leak_line(1, 'the test')}"))
    result.stdout.fnmatch_lines(lines)


def test_a_stub_started_outside_any_test_is_left_alone(user: pytest.Pytester) -> None:
    user.makeconftest(
        user.path.joinpath("conftest.py").read_text()
        + dedent(
            """
            from pytest_connect_stub import ConnectStub

            STUB = ConnectStub()

            def pytest_sessionstart(session):
                STUB.start()

            def pytest_sessionfinish(session):
                STUB.stop()
            """
        )
    )
    user.makepyfile(
        """
        import boto3
        from conftest import STUB

        def test_one(item):
            client = boto3.client("connect", region_name="us-east-1")
            client.batch_put_contact(InstanceId="inst-1", ContactDataRequestList=[item()])

        def test_two():
            assert STUB.active and len(STUB.calls) == 1
        """
    )
    user.runpytest("-p", "no:randomly").assert_outcomes(passed=2)


def test_a_with_block_whose_stub_was_stopped_inside_stops_what_the_block_started_after() -> None:
    stub, other = ConnectStub(), ConnectStub()
    with pytest.raises(RuntimeError) as raised, stub:
        stub.stop()
        other.start()
    assert not other.active and activation.stack == []
    assert str(raised.value) == (
        "Cannot stop this ConnectStub: it is not active (stopped inside its block).\n"
        + _leak_line(1, "the block")
    )


def test_a_block_whose_stub_was_stopped_inside_keeps_the_users_exception_and_stops_the_rest() -> (
    None
):
    outer, stub, other = ConnectStub(), ConnectStub(), ConnectStub()
    told = (
        "Cannot stop this ConnectStub: it is not active (stopped inside its block).\n"
        + _leak_line(1, "the block")
    )
    with outer:
        with (
            _warned_before_311(told),
            pytest.raises(ValueError, match="the user's own") as raised,
            stub,
        ):
            stub.stop()
            other.start()
            raise ValueError("the user's own")
        assert activation.stack == [outer]  # what was active before the block stays
    assert activation.stack == []
    if sys.version_info >= (3, 11):
        assert raised.value.__notes__ == [told]


def test_a_stub_entered_again_inside_its_own_block_ends_each_block_in_turn() -> None:
    stub = ConnectStub()
    with pytest.raises(RuntimeError, match="it is not active"), stub:
        stub.stop()
        with stub:
            assert activation.stack == [stub]
        assert activation.stack == []
    assert activation.stack == []
