"""``@ConnectStub()`` on ``unittest.TestCase`` classes, ``IsolatedAsyncioTestCase`` too.

The stub is active and reset around each test, from before ``setUp`` to after the cleanups;
unused outcomes fail the test unless it failed already. Functions, coroutines and plain test
classes are in test_decorated_functions.py.

The decorated classes run in-process, under unittest's own runner. pytest runs a TestCase
through the same ``TestCase.run``, with a result object of its own; the README's decorated
TestCase runs under a user's pytest (test_readme.py).
"""

from __future__ import annotations

import gc
import unittest
import warnings
from typing import Any

import boto3
from helpers import contact_item

from pytest_connect_stub import ConnectStub, activation


def _run(*cases: type[unittest.TestCase]) -> unittest.TestResult:
    """Run every test of ``cases``, each class's in name order, into one result."""
    loader = unittest.defaultTestLoader
    result = unittest.TestResult()
    unittest.TestSuite(loader.loadTestsFromTestCase(case) for case in cases).run(result)
    return result


def _reported(result: unittest.TestResult) -> list[tuple[str, str]]:
    """Each failure and error as (test method's name, traceback), sorted by name."""
    reported = result.failures + result.errors
    return sorted((test.id().rsplit(".", 1)[-1], text) for test, text in reported)


def _assert_passed(result: unittest.TestResult, count: int) -> None:
    """As pytester's ``assert_outcomes(passed=count)``: ``count`` tests ran, and all passed."""
    __tracebackhide__ = True
    assert _reported(result) == []
    assert result.testsRun == count
    assert (result.skipped, result.expectedFailures, result.unexpectedSuccesses) == ([], [], [])


def test_a_decorated_test_case_has_the_stub_from_set_up_to_tear_down() -> None:
    stub = ConnectStub()
    seen: list[tuple[object, ...]] = []

    @stub
    class Dialer(unittest.TestCase):
        def setUp(self) -> None:
            seen.append(("setUp", stub.active, len(stub.calls)))
            # State is reset before setUp, so setUp can script this test's outcomes.
            stub.fail("req-1", "INVALID_QUEUE")
            self.client: Any = boto3.client("connect", region_name="us-east-1")

        def tearDown(self) -> None:
            seen.append(("tearDown", stub.active))

        def test_one(self) -> None:
            response = self.client.batch_put_contact(
                InstanceId="inst-1", ContactDataRequestList=[contact_item("req-1")]
            )
            assert response["FailedRequestList"][0]["FailureReasonCode"] == "INVALID_QUEUE"

        def test_two(self) -> None:
            self.client.batch_put_contact(
                InstanceId="inst-1", ContactDataRequestList=[contact_item("req-1")]
            )
            stub.assert_called_once()

    _assert_passed(_run(Dialer), 2)
    assert not stub.active
    assert seen == [("setUp", True, 0), ("tearDown", True)] * 2


def test_a_decorated_test_case_reports_unused_outcomes_unless_the_test_failed() -> None:
    @ConnectStub()
    class Forgets(unittest.TestCase):
        def setUp(self) -> None:
            self.stub = activation.stack[-1]
            self.stub.fail("req-1", "INVALID_QUEUE")

        def test_unused(self) -> None:
            pass

        def test_fails(self) -> None:
            raise AssertionError("the test's own failure")

    result = _run(Forgets)
    assert result.testsRun == 2
    [(failed, failure), (unused, unused_report)] = _reported(result)
    assert (failed, unused) == ("test_fails", "test_unused")
    assert "the test's own failure" in failure
    assert "scripted outcome was not used up" in unused_report
    assert (failure + unused_report).count("scripted outcome was not used up") == 1


def test_a_decorated_test_case_stops_the_stub_when_set_up_fails() -> None:
    stub = ConnectStub()

    @stub
    class Case(unittest.TestCase):
        def setUp(self) -> None:
            raise RuntimeError("setUp broke")

        def test_never(self) -> None:
            pass

    result = unittest.TestResult()
    Case("test_never").run(result)
    assert len(result.errors) == 1
    assert not stub.active


def test_a_decorated_test_case_that_leaves_a_stub_active_errors_after_stopping_it() -> None:
    stub, left = ConnectStub(), ConnectStub()

    @stub
    class Case(unittest.TestCase):
        def test_leaks(self) -> None:
            left.start()

    result = unittest.TestResult()
    Case("test_leaks").run(result)
    assert len(result.errors) == 1
    assert "the test left 1 ConnectStub active" in result.errors[0][1]
    assert not stub.active and not left.active


def test_a_decorated_isolated_asyncio_test_case_runs_its_async_tests_stubbed() -> None:
    stub = ConnectStub()

    @stub
    class AsyncDialer(unittest.IsolatedAsyncioTestCase):
        async def asyncSetUp(self) -> None:
            stub.fail("req-1", "INVALID_QUEUE")

        async def test_dials(self) -> None:
            client = boto3.client("connect", region_name="us-east-1")
            response = client.batch_put_contact(
                InstanceId="inst-1", ContactDataRequestList=[contact_item("req-1")]
            )
            assert response["FailedRequestList"][0]["FailureReasonCode"] == "INVALID_QUEUE"
            stub.assert_called_once()

        async def test_fails(self) -> None:
            assert stub.active
            raise AssertionError("the async test's own failure")

    # Every warning, as a run with -W error would turn it into an error: a coroutine that
    # was never awaited warns as it is collected.
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = _run(AsyncDialer)
        gc.collect()
    assert [str(warning.message) for warning in caught] == []
    assert result.testsRun == 2
    [(failed, failure)] = _reported(result)
    assert failed == "test_fails"
    assert "the async test's own failure" in failure
    assert "scripted outcome was not used up" not in failure
    assert not stub.active


def test_a_subclass_overriding_set_up_without_super_keeps_the_stub() -> None:
    stub = ConnectStub()

    @stub
    class Base(unittest.TestCase):
        def setUp(self) -> None:
            self.client: Any = None

    class Child(Base):
        def setUp(self) -> None:
            stub.fail("req-1", "INVALID_QUEUE")  # setUp still scripts this test
            self.client = boto3.client("connect", region_name="us-east-1")

        def test_is_stubbed(self) -> None:
            response = self.client.batch_put_contact(
                InstanceId="inst-1", ContactDataRequestList=[contact_item("req-1")]
            )
            assert response["FailedRequestList"][0]["FailureReasonCode"] == "INVALID_QUEUE"

    _assert_passed(_run(Child), 1)


def test_a_decorated_subclass_of_a_decorated_test_case_gets_its_own_stub() -> None:
    stub, other = ConnectStub(), ConnectStub()

    @stub
    class Base(unittest.TestCase):
        expected = stub

        def test_answered_by_its_class_stub(self) -> None:
            assert activation.stack == [self.expected]
            client = boto3.client("connect", region_name="us-east-1")
            client.batch_put_contact(
                InstanceId="inst-1", ContactDataRequestList=[contact_item("req-1")]
            )
            self.expected.assert_called_once()

    @other
    class Child(Base):
        expected = other

    _assert_passed(_run(Base, Child), 2)
    assert len(stub.calls) == len(other.calls) == 1


def test_a_decorated_test_case_whose_run_is_overridden_starts_the_stub_once() -> None:
    stub = ConnectStub()
    seen: list[list[ConnectStub]] = []

    @stub
    class Base(unittest.TestCase):
        def test_one(self) -> None:
            seen.append(list(activation.stack))

    @stub
    class Child(Base):
        def run(self, result: Any = None) -> Any:
            return super().run(result)

    result = unittest.TestResult()
    Child("test_one").run(result)
    assert result.wasSuccessful(), result.errors
    assert seen == [[stub]] and activation.stack == []


def test_a_skipped_test_of_a_decorated_test_case_leaves_nothing_active() -> None:
    stub = ConnectStub()

    @stub
    class Case(unittest.TestCase):
        @unittest.skip("not today")
        def test_skipped(self) -> None:
            pass

    result = unittest.TestResult()
    Case("test_skipped").run(result)
    assert len(result.skipped) == 1
    assert activation.stack == []


def test_an_expected_failure_in_a_decorated_test_case_gets_no_unused_outcome_error() -> None:
    stub = ConnectStub()

    @stub
    class Case(unittest.TestCase):
        @unittest.expectedFailure
        def test_known_bug(self) -> None:
            stub.fail("req-1", "INVALID_QUEUE")
            raise AssertionError("known")

    result = unittest.TestResult()
    Case("test_known_bug").run(result)
    assert len(result.expectedFailures) == 1 and result.errors == []


def test_a_failed_sub_test_of_a_decorated_test_case_gets_no_unused_outcome_error() -> None:
    stub = ConnectStub()

    @stub
    class Case(unittest.TestCase):
        def test_cases(self) -> None:
            stub.fail("req-1", "INVALID_QUEUE")
            with self.subTest(number=1):
                pass
            with self.subTest(number=2):
                raise AssertionError("the sub-test's own failure")

    result = Case("test_cases").run()  # unittest makes the result
    assert result is not None and result.testsRun == 1
    assert len(result.failures) == 1
    assert "the sub-test's own failure" in result.failures[0][1]
    assert result.errors == [] and activation.stack == []
