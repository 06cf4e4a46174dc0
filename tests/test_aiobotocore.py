"""aiobotocore clients (and so aioboto3's) answered by the stub behind aiobotocore's pipeline.

Everything runs in-process under ``asyncio.run``: each test owns its event loop from start
to shutdown, so the loop's lifetime is part of what is tested, and no async test plugin is
needed (the user's view, with pytest-asyncio, is in test_aiobotocore_plugin.py).
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from aio_helpers import aio_client, record_sleeps, retrying
from helpers import contact_item

from pytest_connect_stub import ConnectStub

from aiobotocore.awsrequest import AioAWSResponse  # isort: skip


class _Raw:
    """What aiobotocore reads a response body from."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    async def read(self) -> bytes:
        return self.data


def answer(status: int, body: dict[str, Any], headers: dict[str, str] | None = None) -> Any:
    """A response a user's ``before-send`` handler gives aiobotocore."""
    raw = json.dumps(body).encode()
    return AioAWSResponse("https://connect", status, headers or {}, _Raw(raw))


@pytest.fixture
def slept(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Every back-off aiobotocore awaits, recorded instead of slept."""
    return record_sleeps(monkeypatch, asyncio)


def test_an_async_call_is_answered_recorded_and_parsed() -> None:
    async def main() -> tuple[dict[str, Any], list[str]]:
        signed: list[str] = []

        def look(request: Any, **_: Any) -> None:
            signed.append(request.headers["Authorization"].decode())

        async with aio_client() as client:
            client.meta.events.register("before-send.connect.BatchPutContact", look)
            response = await client.batch_put_contact(
                InstanceId="inst-1", ContactDataRequestList=[contact_item("req-1")]
            )
        return response, signed

    with ConnectStub() as stub:
        response, signed = asyncio.run(main())
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert response["FailedRequestList"] == []
    [success] = response["SuccessfulRequestList"]
    assert success["RequestIdentifier"] == "req-1"
    assert list(stub.contacts) == [success["ContactId"]]
    [call] = stub.calls
    assert call.instance_id == "inst-1"
    assert call.client_token is not None  # aiobotocore filled the idempotency token in
    assert call.contact_requests == [contact_item("req-1")]
    # Signed by aiobotocore's own SigV4 signer, with the stub's fake key, for Connect.
    [authorization] = signed
    assert authorization.startswith("AWS4-HMAC-SHA256 Credential=AKIACONNECTSTUBFAKE/")
    assert "/us-east-1/connect/aws4_request" in authorization


def test_scripted_failures_and_errors_reach_the_async_caller_as_botocore_parses_them() -> None:
    async def main(stub: ConnectStub) -> tuple[dict[str, Any], Any]:
        async with aio_client() as client:
            stub.fail("req-2", "INVALID_QUEUE", message="queue disabled")
            partial = await client.batch_put_contact(
                InstanceId="inst-1",
                ContactDataRequestList=[contact_item("req-1"), contact_item("req-2")],
            )
            stub.raise_error("ServiceQuotaExceededException", "too many contacts")
            with pytest.raises(client.exceptions.ServiceQuotaExceededException) as raised:
                await client.batch_put_contact(
                    InstanceId="inst-1", ContactDataRequestList=[contact_item()]
                )
        return partial, raised.value

    with ConnectStub() as stub:
        partial, error = asyncio.run(main(stub))
    assert partial["FailedRequestList"] == [
        {"RequestIdentifier": "req-2", "FailureReasonCode": "INVALID_QUEUE",
         "FailureReasonMessage": "queue disabled"}
    ]  # fmt: skip
    assert error.response["Error"] == {
        "Code": "ServiceQuotaExceededException", "Message": "too many contacts"
    }  # fmt: skip
    assert error.response["ResponseMetadata"]["HTTPStatusCode"] == 402
    assert [call.error_code for call in stub.calls] == [None, "ServiceQuotaExceededException"]


def test_invalid_input_gets_the_services_modelled_error_not_a_traceback() -> None:
    async def main() -> Any:
        async with aio_client() as client:
            with pytest.raises(client.exceptions.InvalidRequestException) as raised:
                # botocore never checks a maximum length; the service does.
                await client.batch_put_contact(
                    InstanceId="inst-1", ContactDataRequestList=[contact_item("x" * 81)]
                )
        return raised.value

    with ConnectStub() as stub:
        error = asyncio.run(main())
    assert error.response["Error"]["Message"] == (
        f"1 validation error detected: Value '{'x' * 81}' at "
        "'contactDataRequestList.1.member.requestIdentifier' failed to satisfy constraint: "
        "Member must have length less than or equal to 80"
    )
    assert error.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert stub.calls[0].error_code == "InvalidRequestException"


@pytest.mark.parametrize("mode", ["legacy", "standard"])
def test_retries_after_the_stubs_own_answers_skip_the_back_off(
    mode: str, slept: list[float]
) -> None:
    async def main() -> dict[str, Any]:
        async with aio_client(config=retrying(mode)) as client:
            response: dict[str, Any] = await client.batch_put_contact(
                InstanceId="inst-1", ContactDataRequestList=[contact_item()]
            )
        return response

    with ConnectStub() as stub:
        stub.raise_error("ThrottlingException", times=2)
        response = asyncio.run(main())
    assert [call.attempt for call in stub.calls] == [1, 2, 3]
    assert {call.client_token for call in stub.calls} == {stub.calls[0].client_token}
    assert response["ResponseMetadata"]["RetryAttempts"] == 2
    assert slept == []


@pytest.mark.parametrize("mode", ["legacy", "standard"])
def test_retries_back_off_when_the_stub_is_told_not_to_skip(mode: str, slept: list[float]) -> None:
    async def main(stub: ConnectStub) -> None:
        async with aio_client(config=retrying(mode)) as client:
            stub.raise_error("InternalServiceException", times=2)
            await client.batch_put_contact(
                InstanceId="inst-1", ContactDataRequestList=[contact_item()]
            )

    with ConnectStub(skip_retry_sleep=False) as stub:
        asyncio.run(main(stub))
    assert len(stub.calls) == 3
    assert len(slept) == 2 and all(seconds > 0 for seconds in slept)


def test_only_the_back_off_after_the_stubs_answer_is_skipped(slept: list[float]) -> None:
    # The first attempt is answered by the user's own before-send handler (a 500): the
    # back-off after it is the user's, and aiobotocore takes it. The second is the stub's.
    async def main() -> None:
        handled: list[int] = []

        def users_handler(request: Any, **_: Any) -> Any:
            if handled:
                return None
            handled.append(1)
            return answer(
                500, {"Message": "busy"}, {"x-amzn-ErrorType": "InternalServiceException"}
            )

        async with aio_client(config=retrying("standard")) as client:
            client.meta.events.register("before-send.connect.BatchPutContact", users_handler)
            await client.batch_put_contact(
                InstanceId="inst-1", ContactDataRequestList=[contact_item()]
            )

    with ConnectStub() as stub:
        stub.raise_error("ThrottlingException")  # the stub's answer to the second attempt
        asyncio.run(main())
    assert [call.attempt for call in stub.calls] == [2, 3]
    assert len(slept) == 1


def test_concurrent_calls_with_one_token_create_the_contacts_once() -> None:
    async def main() -> list[dict[str, Any]]:
        async with aio_client() as client:
            return list(
                await asyncio.gather(
                    *(
                        client.batch_put_contact(
                            InstanceId="inst-1",
                            ClientToken="token-1",
                            ContactDataRequestList=[contact_item("a"), contact_item("b")],
                        )
                        for _ in range(20)
                    )
                )
            )

    with ConnectStub() as stub:
        responses = asyncio.run(main())
    lists = [response["SuccessfulRequestList"] for response in responses]
    assert all(found == lists[0] for found in lists)
    assert len(stub.contacts) == 2
    assert len(stub.calls) == 20
    assert sum(not call.replayed for call in stub.calls) == 1


def test_many_tasks_each_get_their_own_contacts_and_every_call_is_recorded() -> None:
    async def one(client: Any, number: int) -> str:
        response = await client.batch_put_contact(
            InstanceId="inst-1", ContactDataRequestList=[contact_item(f"req-{number}")]
        )
        return str(response["SuccessfulRequestList"][0]["ContactId"])

    async def main() -> list[str]:
        async with aio_client() as client:
            return list(await asyncio.gather(*(one(client, n) for n in range(50))))

    with ConnectStub() as stub:
        contact_ids = asyncio.run(main())
    assert len(set(contact_ids)) == 50
    assert set(stub.contacts) == set(contact_ids)
    assert sorted(call.contact_requests[0]["RequestIdentifier"] for call in stub.calls) == sorted(
        f"req-{n}" for n in range(50)
    )


def test_a_call_cancelled_before_it_reaches_the_stub_records_nothing() -> None:
    async def main(stub: ConnectStub) -> None:
        waiting = asyncio.Event()

        async def hold(**_: Any) -> None:
            waiting.set()
            await asyncio.Event().wait()  # forever: the task is cancelled here

        async with aio_client() as client:
            client.meta.events.register_first("before-send.connect.BatchPutContact", hold)
            call = asyncio.ensure_future(
                client.batch_put_contact(InstanceId="i", ContactDataRequestList=[contact_item()])
            )
            await asyncio.wait_for(waiting.wait(), 30)  # fails, not hangs, if never sent
            call.cancel()
            with pytest.raises(asyncio.CancelledError):
                await call
            assert stub.calls == []
            client.meta.events.unregister("before-send.connect.BatchPutContact", hold)
            await client.batch_put_contact(InstanceId="i", ContactDataRequestList=[contact_item()])

    with ConnectStub() as stub:
        asyncio.run(main(stub))
    assert [call.attempt for call in stub.calls] == [1]


def test_a_call_cancelled_in_its_back_off_leaves_the_next_call_its_own() -> None:
    async def main(stub: ConnectStub) -> None:
        async with aio_client(config=retrying("legacy")) as client:
            stub.raise_error("InternalServiceException")
            call = asyncio.ensure_future(
                client.batch_put_contact(InstanceId="i", ContactDataRequestList=[contact_item()])
            )
            while not stub.calls and not call.done():
                await asyncio.sleep(0)
            await asyncio.sleep(0.01)  # now in the back-off, which is not skipped here
            call.cancel()
            with pytest.raises(asyncio.CancelledError):
                await call
            response = await client.batch_put_contact(
                InstanceId="i", ContactDataRequestList=[contact_item()]
            )
            assert response["ResponseMetadata"]["RetryAttempts"] == 0

    with ConnectStub(skip_retry_sleep=False) as stub:
        asyncio.run(main(stub))
    assert [(call.attempt, call.status_code) for call in stub.calls] == [(1, 500), (1, 200)]


def test_one_stub_answers_clients_of_successive_event_loops() -> None:
    async def main() -> None:
        async with aio_client() as client:
            await client.batch_put_contact(InstanceId="i", ContactDataRequestList=[contact_item()])

    with ConnectStub() as stub:
        asyncio.run(main())
        asyncio.run(main())
    assert len(stub.calls) == 2
