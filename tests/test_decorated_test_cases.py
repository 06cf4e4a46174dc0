"""``@ConnectStub()`` on ``unittest.TestCase`` classes, ``IsolatedAsyncioTestCase`` too.

The stub is active and reset around each test, from before ``setUp`` to after the cleanups;
unused outcomes fail the test unless it failed already. Functions, coroutines and plain test
classes are in test_decorated_functions.py.
"""

from __future__ import annotations

import unittest
from typing import Any

import pytest

from pytest_connect_stub import ConnectStub, activation


def test_a_decorated_test_case_has_the_stub_from_set_up_to_tear_down(
    user: pytest.Pytester,
) -> None:
    user.makepyfile(
        """
        import unittest

        import boto3
        from pytest_connect_stub import ConnectStub

        stub = ConnectStub()
        SEEN = []

        def item(request_identifier):
            return {
                "RequestIdentifier": request_identifier,
                "CustomerEndpoint": {"Type": "TELEPHONE_NUMBER", "Address": "+15550100"},
                "QueueId": "queue-1",
                "Campaign": {"CampaignId": "campaign-1"},
            }

        @stub
        class TestDialer(unittest.TestCase):
            def setUp(self):
                SEEN.append(("setUp", stub.active, len(stub.calls)))
                # State is reset before setUp, so setUp can script this test's outcomes.
                stub.fail("req-1", "INVALID_QUEUE")
                self.client = boto3.client("connect", region_name="us-east-1")

            def tearDown(self):
                SEEN.append(("tearDown", stub.active))

            def test_one(self):
                response = self.client.batch_put_contact(
                    InstanceId="inst-1", ContactDataRequestList=[item("req-1")]
                )
                assert response["FailedRequestList"][0]["FailureReasonCode"] == "INVALID_QUEUE"

            def test_two(self):
                self.client.batch_put_contact(
                    InstanceId="inst-1", ContactDataRequestList=[item("req-1")]
                )
                stub.assert_called_once()

        class TestAfter(unittest.TestCase):
            def test_seen(self):
                assert not stub.active
                assert SEEN == [("setUp", True, 0), ("tearDown", True)] * 2
        """
    )
    user.runpytest("-p", "no:randomly").assert_outcomes(passed=3)


def test_a_decorated_test_case_reports_unused_outcomes_unless_the_test_failed(
    user: pytest.Pytester,
) -> None:
    user.makepyfile(
        """
        import unittest
        from pytest_connect_stub import ConnectStub

        @ConnectStub()
        class TestForgets(unittest.TestCase):
            def setUp(self):
                from pytest_connect_stub import activation

                self.stub = activation.stack[-1]
                self.stub.fail("req-1", "INVALID_QUEUE")

            def test_unused(self):
                pass

            def test_fails(self):
                assert False, "the test's own failure"
        """
    )
    result = user.runpytest("-p", "no:randomly")
    result.assert_outcomes(failed=2)
    assert result.stdout.str().count("scripted outcome was not used up") == 1
    result.stdout.fnmatch_lines(["*the test's own failure*"])


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


def test_a_decorated_isolated_asyncio_test_case_runs_its_async_tests_stubbed(
    user: pytest.Pytester,
) -> None:
    user.makepyfile(
        """
        import unittest

        import boto3
        from pytest_connect_stub import ConnectStub

        stub = ConnectStub()
        ITEM = {
            "RequestIdentifier": "req-1",
            "CustomerEndpoint": {"Type": "TELEPHONE_NUMBER", "Address": "+15550100"},
            "QueueId": "queue-1",
            "Campaign": {"CampaignId": "campaign-1"},
        }

        @stub
        class TestAsyncDialer(unittest.IsolatedAsyncioTestCase):
            async def asyncSetUp(self):
                stub.fail("req-1", "INVALID_QUEUE")

            async def test_dials(self):
                client = boto3.client("connect", region_name="us-east-1")
                response = client.batch_put_contact(
                    InstanceId="inst-1", ContactDataRequestList=[ITEM]
                )
                assert response["FailedRequestList"][0]["FailureReasonCode"] == "INVALID_QUEUE"
                stub.assert_called_once()

            async def test_fails(self):
                assert stub.active
                assert False, "the async test's own failure"
        """
    )
    result = user.runpytest("-p", "no:randomly", "-W", "error")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["*the async test's own failure*"])
    result.stdout.no_fnmatch_line("*never awaited*")
    result.stdout.no_fnmatch_line("*scripted outcome was not used up*")


def test_a_subclass_overriding_set_up_without_super_keeps_the_stub(
    user: pytest.Pytester,
) -> None:
    user.makepyfile(
        """
        import unittest

        import boto3
        from pytest_connect_stub import ConnectStub

        stub = ConnectStub()

        @stub
        class Base(unittest.TestCase):
            def setUp(self):
                self.client = None

        class TestChild(Base):
            def setUp(self):
                stub.fail("req-1", "INVALID_QUEUE")  # setUp still scripts this test
                self.client = boto3.client("connect", region_name="us-east-1")

            def test_is_stubbed(self):
                response = self.client.batch_put_contact(
                    InstanceId="inst-1",
                    ContactDataRequestList=[{
                        "RequestIdentifier": "req-1",
                        "CustomerEndpoint": {"Type": "TELEPHONE_NUMBER", "Address": "+1555"},
                        "QueueId": "queue-1",
                        "Campaign": {"CampaignId": "campaign-1"},
                    }],
                )
                assert response["FailedRequestList"][0]["FailureReasonCode"] == "INVALID_QUEUE"
        """
    )
    user.runpytest().assert_outcomes(passed=1)


def test_a_decorated_subclass_of_a_decorated_test_case_gets_its_own_stub(
    user: pytest.Pytester,
) -> None:
    user.makepyfile(
        """
        import unittest

        import boto3
        from pytest_connect_stub import ConnectStub, activation

        stub, other = ConnectStub(), ConnectStub()

        @stub
        class TestBase(unittest.TestCase):
            expected = stub

            def test_answered_by_its_class_stub(self, ):
                assert activation.stack == [self.expected]
                client = boto3.client("connect", region_name="us-east-1")
                client.batch_put_contact(
                    InstanceId="inst-1",
                    ContactDataRequestList=[{
                        "RequestIdentifier": "req-1",
                        "CustomerEndpoint": {"Type": "TELEPHONE_NUMBER", "Address": "+1555"},
                        "QueueId": "queue-1",
                        "Campaign": {"CampaignId": "campaign-1"},
                    }],
                )
                self.expected.assert_called_once()

        @other
        class TestChild(TestBase):
            expected = other
        """
    )
    user.runpytest().assert_outcomes(passed=2)


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
