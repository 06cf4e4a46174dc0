"""State never leaks between tests, in any order, whatever the earlier tests did or how they ended.

A user's suite interleaves "dirty" tests, which script outcomes, create contacts and tokens,
register instances, switch strict mode and then pass, fail, error, skip or xfail, with "fresh"
tests that check they got a brand-new stub and that botocore is unpatched between tests. The
suite runs in definition order, reversed, shuffled by pytest-randomly, and under pytest-xdist.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from pytest_connect_stub import ConnectStub

HELPERS = '''
import time

import botocore.endpoint
import botocore.signers
import pytest

import pytest_connect_stub.activation
from pytest_connect_stub import ConnectStub

SEEDED = ConnectStub(seed=1)._service.contact_ids.take(1)[0]


def dirty(stub, client, item):
    """Leave every kind of state behind: instances, strict mode, contacts, tokens, outcomes."""
    stub.add_instance("inst-leak", queues=["queue-leak"])
    client.batch_put_contact(
        InstanceId="inst-leak",
        ClientToken="token-leak",
        ContactDataRequestList=[item("req-0", QueueId="queue-leak")],
    )
    stub.strict = True
    stub.advance_clock(3600)
    stub.fail("req-1", "INVALID_QUEUE", times=None)
    stub.succeed("req-2", contact_id="contact-leak")
    stub.raise_error("AccessDeniedException", times=None)
    assert len(stub.contacts) == 1


def botocore_is_unpatched():
    assert pytest_connect_stub.activation.stack == []
    assert botocore.endpoint.Endpoint._send.__qualname__ == "Endpoint._send"
    assert botocore.endpoint.Endpoint._send.__module__ == "botocore.endpoint"
    assert botocore.signers.RequestSigner.get_auth_instance.__module__ == "botocore.signers"
    assert botocore.endpoint.time is time


@pytest.fixture
def breaks_in_setup(connect_stub, client, item):
    dirty(connect_stub, client, item)
    raise RuntimeError("dirty fixture errors in setup on purpose")


@pytest.fixture
def breaks_in_teardown(connect_stub, client, item):
    yield
    dirty(connect_stub, client, item)
    raise RuntimeError("dirty fixture errors in teardown on purpose")
'''

#: Dirty tests by name: their source, and how each one ends.
DIRTY = {
    "passes": """
@pytest.mark.connect_stub(
    assert_all_used=False, strict=True, instances={"inst-marker": ["queue-marker"]},
    disable_rules=["MISSING_CAMPAIGN"], seed=1,
)
def test_dirty_passes(connect_stub, client, item):
    dirty(connect_stub, client, item)
""",
    "fails": """
@pytest.mark.connect_stub(assert_all_used=False)
def test_dirty_fails(connect_stub, client, item):
    dirty(connect_stub, client, item)
    assert False, "dirty test fails on purpose"
""",
    "errors_in_setup": """
def test_dirty_errors_in_setup(breaks_in_setup):
    pass
""",
    "errors_in_teardown": """
@pytest.mark.connect_stub(assert_all_used=False)
def test_dirty_errors_in_teardown(breaks_in_teardown):
    pass
""",
    "leaves_outcomes_unused": """
def test_dirty_leaves_outcomes_unused(connect_stub, client, item):
    dirty(connect_stub, client, item)
""",
    "skips": """
def test_dirty_skips(connect_stub, client, item):
    dirty(connect_stub, client, item)
    pytest.skip("dirty test skips on purpose")
""",
    "xfails": """
def test_dirty_xfails(connect_stub, client, item):
    dirty(connect_stub, client, item)
    pytest.xfail("dirty test xfails on purpose")
""",
    "with_block_raises": """
def test_dirty_with_block_raises(client, item):
    with ConnectStub() as stub:
        dirty(stub, client, item)
        raise RuntimeError("dirty with-block raises on purpose")
""",
    "decorated_raises": """
def test_dirty_decorated_raises(client, item):
    stub = ConnectStub()

    @stub
    def run():
        dirty(stub, client, item)
        raise RuntimeError("dirty decorated function raises on purpose")

    run()
""",
}
DIRTY_OUTCOMES = {"passed": 3, "failed": 3, "errors": 3, "skipped": 1, "xfailed": 1}

FRESH = """
def test_fresh_stub_{n}(connect_stub, client, item):
    assert connect_stub.calls == [] and connect_stub.contacts == {{}}
    assert connect_stub.instances == {{}}
    assert connect_stub.strict is False
    assert connect_stub.disabled_rules == frozenset()
    assert connect_stub.assert_all_used is True
    # No scripted outcome, token, seed or switched-off rule survived: same token, other request.
    response = client.batch_put_contact(
        InstanceId="inst-leak",
        ClientToken="token-leak",
        ContactDataRequestList=[item("req-1"), item("req-2"), item("req-3", Campaign=None)],
    )
    created = response["SuccessfulRequestList"]
    assert [entry["RequestIdentifier"] for entry in created] == ["req-1", "req-2"]
    assert "contact-leak" not in [entry["ContactId"] for entry in created]
    assert SEEDED not in [entry["ContactId"] for entry in created]
    failed = response["FailedRequestList"]
    assert [(f["RequestIdentifier"], f["FailureReasonCode"]) for f in failed] == [
        ("req-3", "MISSING_CAMPAIGN")
    ]
    assert [call.replayed for call in connect_stub.calls] == [False]
    # No instance survived either: strict mode knows none.
    connect_stub.strict = True
    for instance in ("inst-leak", "inst-marker"):
        with pytest.raises(client.exceptions.ResourceNotFoundException):
            client.batch_put_contact(InstanceId=instance, ContactDataRequestList=[item()])


def test_fresh_botocore_{n}():
    botocore_is_unpatched()
"""


def user_suite(order: list[str]) -> str:
    """The user's test module: each dirty test followed by fresh tests, in the given order."""
    return HELPERS + "".join(DIRTY[name] + FRESH.format(n=name) for name in order)


def fresh_names() -> set[str]:
    return {f"test_fresh_{kind}_{name}" for name in DIRTY for kind in ("stub", "botocore")}


def check(result: pytest.RunResult) -> list[str]:
    """Check the outcomes, that every fresh test passed; return the tests in the order run."""
    result.assert_outcomes(
        passed=DIRTY_OUTCOMES["passed"] + len(fresh_names()),
        **{key: value for key, value in DIRTY_OUTCOMES.items() if key != "passed"},
    )
    summary = result.stdout.lines[
        next(i for i, line in enumerate(result.stdout.lines) if "short test summary info" in line) :
    ]
    outcomes: dict[str, set[str]] = {}
    for line in summary:
        found = re.match(r"(PASSED|FAILED|ERROR|SKIPPED|XFAIL|XPASS) \S+::(test_\w+)", line)
        if found:
            outcomes.setdefault(found.group(2), set()).add(found.group(1))
    fresh = {name: outcomes.get(name) for name in fresh_names()}
    assert fresh == {name: {"PASSED"} for name in fresh_names()}, result.stdout.str()
    ran = re.findall(r"::(test_\w+) (?:PASSED|FAILED|ERROR|SKIPPED|XFAIL)", result.stdout.str())
    return list(dict.fromkeys(ran))  # a test that errors at teardown is listed twice


def defined(source: str) -> list[str]:
    """The test functions of a module, in definition order."""
    return re.findall(r"^def (test_\w+)", source, re.MULTILINE)


def test_a_fresh_stub_follows_every_kind_of_dirty_test_in_definition_order(
    user: pytest.Pytester,
) -> None:
    source = user_suite(list(DIRTY))
    user.makepyfile(test_suite=source)
    ran = check(user.runpytest("-v", "-rA"))
    assert ran == defined(source)
    assert ran[:3] == ["test_dirty_passes", "test_fresh_stub_passes", "test_fresh_botocore_passes"]


def test_a_fresh_stub_follows_every_kind_of_dirty_test_in_reverse_order(
    user: pytest.Pytester,
) -> None:
    source = user_suite(list(DIRTY)[::-1])
    user.makepyfile(test_suite=source)
    ran = check(user.runpytest("-v", "-rA"))
    assert ran == defined(source)
    assert ran[-3:] == ["test_dirty_passes", "test_fresh_stub_passes", "test_fresh_botocore_passes"]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_fresh_stub_follows_every_kind_of_dirty_test_in_random_order(
    user: pytest.Pytester, seed: int
) -> None:
    pytest.importorskip("pytest_randomly")
    source = user_suite(list(DIRTY))
    user.makepyfile(test_suite=source)
    # "-p randomly" on the command line overrides the "-p no:randomly" of the user's ini.
    ran = check(user.runpytest("-p", "randomly", f"--randomly-seed={seed}", "-v", "-rA"))
    assert sorted(ran) == sorted(defined(source))
    assert ran != defined(source), "pytest-randomly did not shuffle the tests"


def test_a_fresh_stub_follows_every_kind_of_dirty_test_under_xdist(user: pytest.Pytester) -> None:
    pytest.importorskip("xdist")
    user.makepyfile(test_suite=user_suite(list(DIRTY)))
    # "-p xdist" on the command line overrides the "-p no:xdist" of the user's ini.
    result = user.runpytest("-p", "xdist", "-n", "2", "-rA")
    check(result)
    result.stdout.fnmatch_lines(["*2 workers*"])


def test_a_with_block_that_raised_leaves_no_stub_active_and_botocore_unpatched() -> None:
    import time

    import botocore.endpoint
    import botocore.signers

    import pytest_connect_stub.activation

    endpoint: Any = botocore.endpoint
    send, sign = endpoint.Endpoint._send, botocore.signers.RequestSigner.get_auth_instance
    outer, inner = ConnectStub(), ConnectStub()
    with pytest.raises(RuntimeError, match="outer body"), outer:
        with pytest.raises(KeyError), inner:
            inner.fail("req-1", "INVALID_QUEUE")
            raise KeyError("inner body")
        assert outer.active and not inner.active
        assert pytest_connect_stub.activation.stack == [outer]
        outer.raise_error("AccessDeniedException")
        raise RuntimeError("outer body")
    assert not outer.active and not inner.active
    assert pytest_connect_stub.activation.stack == []
    assert endpoint.Endpoint._send is send
    assert botocore.signers.RequestSigner.get_auth_instance is sign
    assert endpoint.time is time


@pytest.mark.parametrize("fixture", ["connect_stub", ""], ids=["with-fixture", "without-fixture"])
def test_a_stub_a_test_started_and_never_stopped_does_not_outlive_the_test(
    user: pytest.Pytester, fixture: str
) -> None:
    user.makepyfile(
        f"""
        import botocore.endpoint

        import pytest_connect_stub.activation
        from pytest_connect_stub import ConnectStub


        def test_forgets_to_stop({fixture}):
            ConnectStub().start()


        def test_later():
            assert pytest_connect_stub.activation.stack == []
            assert botocore.endpoint.Endpoint._send.__module__ == "botocore.endpoint"
        """
    )
    # In a subprocess: a leaked stub must not stay active in this process.
    result = user.runpytest_subprocess("-rA")
    result.assert_outcomes(passed=2, errors=1)
    result.stdout.fnmatch_lines(
        [
            "*ERROR at teardown of test_forgets_to_stop*",
            "connect_stub: the test left 1 ConnectStub active (started and never stopped); "
            "stopped now, so later tests are not stubbed. Use 'with ConnectStub():', the "
            "decorator, or stop() what you start().",
            "PASSED test_a_stub_a_test_started*::test_later",
        ]
    )


def test_a_session_wide_stub_is_left_alone(user: pytest.Pytester) -> None:
    user.makeconftest(
        """
        import pytest
        from pytest_connect_stub import ConnectStub

        @pytest.fixture(scope="session", autouse=True)
        def session_stub():
            with ConnectStub() as stub:
                yield stub
        """
    )
    user.makepyfile(
        """
        def test_one(session_stub):
            assert session_stub.active

        def test_two(session_stub):
            assert session_stub.active
        """
    )
    user.runpytest().assert_outcomes(passed=2)
