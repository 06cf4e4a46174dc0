"""``@ConnectStub()`` on functions, coroutines, TestCase and test classes; ``async with``."""

from __future__ import annotations

import asyncio
import unittest
from typing import Any

import boto3
import pytest
from helpers import contact_item

from pytest_connect_stub import ConnectStub


def _dial(request_identifier: str = "req-1") -> dict[str, Any]:
    client = boto3.client("connect", region_name="us-east-1")
    response: dict[str, Any] = client.batch_put_contact(
        InstanceId="inst-1", ContactDataRequestList=[contact_item(request_identifier)]
    )
    return response


def test_each_decorated_call_starts_afresh() -> None:
    stub = ConnectStub()

    @stub
    def dial_once(request_identifier: str) -> list[str]:
        _dial(request_identifier)
        stub.assert_called_once()
        return [call.contact_requests[0]["RequestIdentifier"] for call in stub.calls]

    assert dial_once("req-1") == ["req-1"]
    assert dial_once("req-2") == ["req-2"]  # nothing of the first call is left
    assert len(stub.contacts) == 1
    assert not stub.active


def test_a_parametrized_decorated_test_passes_on_every_case(user: pytest.Pytester) -> None:
    user.makepyfile(
        """
        import pytest
        from pytest_connect_stub import ConnectStub

        stub = ConnectStub()

        @pytest.mark.parametrize("number", [1, 2, 3])
        @stub
        def test_dials(number, client, item):
            client.batch_put_contact(InstanceId="inst-1", ContactDataRequestList=[item()])
            stub.assert_called_once()
        """
    )
    user.runpytest().assert_outcomes(passed=3)


def test_async_with_activates_the_stub() -> None:
    async def run() -> ConnectStub:
        async with ConnectStub() as stub:
            assert stub.active
            _dial()
        return stub

    stub = asyncio.run(run())
    assert not stub.active
    stub.assert_called_once()


def test_async_with_keeps_the_bodys_exception() -> None:
    async def run(stub: ConnectStub) -> None:
        async with stub:
            stub.fail("req-1", "INVALID_QUEUE")
            raise KeyError("body")

    stub = ConnectStub()
    with pytest.raises(KeyError):
        asyncio.run(run(stub))
    assert not stub.active


def test_overlapping_calls_of_a_decorated_coroutine_say_what_to_do_instead() -> None:
    stub = ConnectStub()

    @stub
    async def dial() -> None:
        await asyncio.sleep(0.01)
        _dial()

    async def both() -> None:
        await asyncio.gather(dial(), dial())

    with pytest.raises(RuntimeError) as raised:
        asyncio.run(both())
    message = str(raised.value)
    assert message.startswith(
        "This ConnectStub is already active: test_overlapping_calls_of_a_decorated_coroutine"
        "_say_what_to_do_instead.<locals>.dial was called while an earlier call of it"
    )
    assert "'async with ConnectStub() as stub:' inside the function" in message
    assert "the connect_stub fixture" in message


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


def test_a_decorated_plain_test_class_keeps_its_tests(user: pytest.Pytester) -> None:
    user.makepyfile(
        """
        from pytest_connect_stub import ConnectStub

        stub = ConnectStub()

        class Base:
            def test_inherited(self):
                assert stub.active

        @stub
        class TestDialer(Base):
            def helper(self):
                return stub.active

            def test_one(self, client, item):
                client.batch_put_contact(InstanceId="inst-1", ContactDataRequestList=[item()])
                stub.assert_called_once()
                assert self.helper()

            def test_two(self):
                assert stub.active and stub.calls == []

        def test_outside():
            assert not stub.active
        """
    )
    result = user.runpytest("-v", "-p", "no:randomly")
    result.assert_outcomes(passed=4)
    result.stdout.fnmatch_lines(["*TestDialer::test_inherited PASSED*"])


@pytest.mark.parametrize(
    "target",
    [42, "text", type("NoTests", (), {"helper": lambda self: None})],
    ids=["number", "string", "class-without-tests"],
)
def test_anything_else_is_refused_naming_what_can_be_decorated(target: Any) -> None:
    with pytest.raises(TypeError) as raised:
        ConnectStub()(target)
    assert (
        "ConnectStub() decorates a function, a coroutine function, a unittest.TestCase "
        "subclass, or a test class (whose test* methods are each decorated)"
    ) in str(raised.value)


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
