"""``@ConnectStub()`` on functions, coroutine functions and plain test classes; ``async with``.

What the decorator refuses, and how stubs of concurrent asyncio tasks behave, are here too;
``unittest.TestCase`` classes are in test_decorated_test_cases.py.
"""

from __future__ import annotations

import asyncio
from typing import Any

import boto3
import pytest
from helpers import ItemFactory, contact_item

from pytest_connect_stub import ConnectStub, activation, decorators


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


#: The stub of a decorated test that this suite's own pytest run collects: pytest finds its
#: parameters and fixtures through the decorator, as in a user's suite.
_PARAMETRIZED = ConnectStub()


@pytest.mark.parametrize("number", [1, 2, 3])
@_PARAMETRIZED
def test_a_parametrized_decorated_test_passes_on_every_case(
    number: int, client: Any, item: ItemFactory
) -> None:
    client.batch_put_contact(InstanceId="inst-1", ContactDataRequestList=[item(f"req-{number}")])
    _PARAMETRIZED.assert_called_once()
    assert _PARAMETRIZED.calls[0].contact_requests[0]["RequestIdentifier"] == f"req-{number}"


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
    assert message.endswith(
        "Decorate the function that runs them all instead. " + activation.ONE_STUB_FOR_TASKS
    )
    assert "'async with ConnectStub() as stub: await asyncio.gather(...)'" in message
    assert "the connect_stub fixture" in message


def test_the_advice_for_overlapping_tasks_works_one_stub_around_the_gather() -> None:
    async def dial(request_identifier: str) -> None:
        await asyncio.sleep(0.01)
        _dial(request_identifier)

    async def both() -> ConnectStub:
        async with ConnectStub() as stub:
            await asyncio.gather(dial("req-1"), dial("req-2"))
        return stub

    stub = asyncio.run(both())
    assert sorted(call.contact_requests[0]["RequestIdentifier"] for call in stub.calls) == [
        "req-1",
        "req-2",
    ]


def test_a_block_ending_under_another_tasks_stub_says_so_and_leaves_that_stub_alone() -> None:
    a_stub, b_stub = ConnectStub(), ConnectStub()

    async def main() -> tuple[BaseException | None, list[ConnectStub] | BaseException]:
        a_in, b_in, a_out = asyncio.Event(), asyncio.Event(), asyncio.Event()

        async def task_a() -> None:
            try:
                async with a_stub:
                    a_in.set()
                    await b_in.wait()
            finally:
                a_out.set()

        async def task_b() -> list[ConnectStub]:
            await a_in.wait()
            async with b_stub:
                b_in.set()
                await a_out.wait()  # task A's block has ended under this one
                seen = list(activation.stack)
                _dial()
            return seen

        return await asyncio.gather(task_a(), task_b(), return_exceptions=True)

    a_result, b_result = asyncio.run(main())
    assert isinstance(a_result, RuntimeError)
    assert str(a_result) == (
        "This ConnectStub's block ended while 1 ConnectStub started later by another "
        "asyncio task, still running, stayed active above it: while both were active, that "
        "stub answered this block's calls. Only this block's own stubs are stopped. "
        + activation.ONE_STUB_FOR_TASKS
    )
    assert b_result == [b_stub]  # task B's stub stayed active until its own block ended
    b_stub.assert_called_once()
    assert activation.stack == []


def test_a_decorated_plain_test_class_keeps_its_tests(client: Any, item: ItemFactory) -> None:
    stub = ConnectStub()

    class Base:
        def test_inherited(self) -> None:
            assert stub.active

    @stub
    class Dialer(Base):
        def helper(self) -> bool:
            return stub.active

        def test_one(self, client: Any, item: ItemFactory) -> None:
            client.batch_put_contact(InstanceId="inst-1", ContactDataRequestList=[item()])
            stub.assert_called_once()
            assert self.helper()

        def test_two(self) -> None:
            assert stub.active and stub.calls == []

    # Each test as a runner calls it, in turn: the inherited one is stubbed on this class.
    dialer = Dialer()
    dialer.test_inherited()
    dialer.test_one(client, item)
    dialer.test_two()
    assert not stub.active
    assert not dialer.helper()  # not a test, so not decorated
    with pytest.raises(AssertionError):
        Base().test_inherited()  # the base class is left as it was


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


def _generator() -> Any:
    yield _dial()


async def _async_generator() -> Any:
    yield _dial()


@pytest.mark.parametrize("target", [_generator, _async_generator], ids=["sync", "async"])
def test_generator_functions_are_refused_naming_what_can_be_decorated(target: Any) -> None:
    with pytest.raises(TypeError) as raised:
        ConnectStub()(target)
    assert str(raised.value) == (
        f"ConnectStub() decorates {decorators.WHAT_CAN_BE_DECORATED}; {target.__qualname__} "
        "is a generator function, whose body runs only as it is iterated, after the "
        "decorated call has returned. Write 'with ConnectStub() as stub:' inside it."
    )


def test_the_decorator_without_parentheses_says_to_add_them() -> None:
    with pytest.raises(TypeError) as raised:

        @ConnectStub
        def dial() -> None:
            pass  # pragma: no cover - never called

    assert str(raised.value).startswith("ConnectStub() takes keyword options only, got <function")
    assert str(raised.value).endswith(
        "As a decorator, write @ConnectStub() with parentheses (options go inside them)."
    )
