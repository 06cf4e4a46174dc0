"""Interception: every botocore client, at the wire, with nothing leaving the process."""

from __future__ import annotations

import asyncio

import boto3
import botocore.endpoint
import botocore.signers
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError, HTTPClientError
from helpers import contact_item

from pytest_connect_stub import ConnectStub

ITEM = contact_item()


def _text(value: str | bytes) -> str:
    return value.decode() if isinstance(value, bytes) else value


def _patched_attributes() -> tuple[object, object, object]:
    return (
        vars(botocore.endpoint.Endpoint)["_send"],
        vars(botocore.signers.RequestSigner)["get_auth_instance"],
        vars(botocore.endpoint)["time"],
    )


def test_module_level_client_without_credentials_works() -> None:
    # Made before any stub starts, as a module-level client is, with no credential anywhere.
    client = boto3.client("connect", region_name="us-east-1")
    assert client._request_signer._credentials is None
    with ConnectStub():
        response = client.batch_put_contact(
            InstanceId="inst-1", ContactDataRequestList=[contact_item("req-1")]
        )
    assert [s["RequestIdentifier"] for s in response["SuccessfulRequestList"]] == ["req-1"]
    assert response["FailedRequestList"] == []


def test_client_made_before_the_package_was_imported(user: pytest.Pytester) -> None:
    script = user.makepyfile(
        check="""
        import sys
        import boto3

        client = boto3.client("connect", region_name="us-east-1")
        assert "pytest_connect_stub" not in sys.modules

        from pytest_connect_stub import ConnectStub

        item = {
            "RequestIdentifier": "r1",
            "CustomerEndpoint": {"Type": "TELEPHONE_NUMBER", "Address": "+15550100"},
            "QueueId": "q",
            "Campaign": {"CampaignId": "c"},
        }
        with ConnectStub() as stub:
            response = client.batch_put_contact(InstanceId="i", ContactDataRequestList=[item])
        contact_id = response["SuccessfulRequestList"][0]["ContactId"]
        assert list(stub.contacts) == [contact_id], stub.contacts
        print("answered by the stub:", contact_id)
        """
    )
    result = user.runpython(script)
    assert result.ret == 0, result.stderr.str()
    result.stdout.fnmatch_lines(["answered by the stub: *-*-4*-*-*"])


def test_nothing_is_intercepted_after_exit() -> None:
    original = _patched_attributes()
    client = boto3.client(
        "connect",
        region_name="us-east-1",
        endpoint_url="http://127.0.0.1:9",
        aws_access_key_id="test",
        aws_secret_access_key="test",
        config=Config(retries={"max_attempts": 1}),
    )
    with ConnectStub() as stub:
        assert _patched_attributes() != original
        client.batch_put_contact(InstanceId="i", ContactDataRequestList=[ITEM])
    assert _patched_attributes() == original
    assert len(stub.calls) == 1
    # The request now leaves through botocore's own HTTP session, where this suite's socket
    # guard stops it: proof that it was headed for the network, not for the stub.
    with pytest.raises(HTTPClientError, match="A test tried to use socket"):
        client.batch_put_contact(InstanceId="i", ContactDataRequestList=[ITEM])
    assert len(stub.calls) == 1


def test_everything_is_restored_after_an_exception() -> None:
    original = _patched_attributes()
    with pytest.raises(KeyError), ConnectStub():
        raise KeyError("boom")
    assert _patched_attributes() == original


def test_a_users_before_send_handler_answers_first() -> None:
    client = boto3.client("connect", region_name="us-east-1")
    seen: list[str] = []

    def spy(request: botocore.awsrequest.AWSPreparedRequest, **_: object) -> None:
        seen.append(_text(request.headers["Authorization"]))

    client.meta.events.register("before-send.connect.BatchPutContact", spy)
    with ConnectStub() as stub:
        client.batch_put_contact(InstanceId="i", ContactDataRequestList=[ITEM])
    assert len(seen) == 1 and len(stub.calls) == 1
    assert "Credential=AKIACONNECTSTUBFAKE/" in seen[0]


def test_real_credentials_are_never_used_or_recorded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAREALKEYREALKEY00")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "real-secret")
    monkeypatch.setenv("AWS_SESSION_TOKEN", "real-session-token")
    # A session of its own: boto3's default session would keep these credentials for later tests.
    client = boto3.Session().client("connect", region_name="us-east-1")
    signed: list[str] = []
    client.meta.events.register(
        "before-send.connect.*",
        lambda request, **_: signed.append(_text(request.headers["Authorization"])),
    )
    with ConnectStub() as stub:
        client.batch_put_contact(InstanceId="i", ContactDataRequestList=[ITEM])
    recorded = repr(stub.calls[0])
    assert "AKIAREAL" not in signed[0] and "AKIAREAL" not in recorded
    assert "real-session-token" not in recorded
    assert stub.calls[0].headers["authorization"] == "<redacted>"


def test_other_connect_operations_get_a_clear_error_and_no_network() -> None:
    client = boto3.client("connect", region_name="us-east-1", endpoint_url="http://127.0.0.1:9")
    with ConnectStub() as stub, pytest.raises(ClientError) as raised:
        client.describe_instance(InstanceId="inst-1")
    error = raised.value.response["Error"]
    assert error["Code"] == "NotImplemented"
    assert error["Message"].startswith(
        "pytest-connect-stub serves BatchPutContact only; DescribeInstance (GET /instance/inst-1)"
    )
    assert raised.value.response["ResponseMetadata"]["RetryAttempts"] == 0
    assert stub.calls == []


def test_other_services_are_untouched() -> None:
    sts = boto3.client(
        "sts",
        region_name="us-east-1",
        endpoint_url="http://127.0.0.1:9",
        aws_access_key_id="test",
        aws_secret_access_key="test",
        config=Config(retries={"max_attempts": 1}),
    )
    signed: list[str] = []
    sts.meta.events.register(
        "before-send.sts.*",
        lambda request, **_: signed.append(_text(request.headers["Authorization"])),
    )
    with ConnectStub() as stub, pytest.raises(HTTPClientError, match="A test tried to use socket"):
        sts.get_caller_identity()
    # Signed with its own credentials and sent through its own transport (socket guard).
    assert "Credential=test/" in signed[0]
    assert stub.calls == []


def test_instance_id_that_needs_percent_encoding_round_trips() -> None:
    client = boto3.client("connect", region_name="us-east-1")
    paths: list[str] = []
    client.meta.events.register(
        "before-send.connect.*", lambda request, **_: paths.append(request.url)
    )
    with ConnectStub() as stub:
        client.batch_put_contact(InstanceId="a b/c:d%e", ContactDataRequestList=[ITEM])
    assert paths[0].endswith("/contact/batch/a%20b%2Fc%3Ad%25e")
    assert stub.calls[0].instance_id == "a b/c:d%e"
    assert next(iter(stub.contacts.values())).instance_id == "a b/c:d%e"


def test_nested_stubs_the_innermost_answers() -> None:
    client = boto3.client("connect", region_name="us-east-1")
    with ConnectStub() as outer:
        with ConnectStub() as inner:
            client.batch_put_contact(InstanceId="i", ContactDataRequestList=[ITEM])
        client.batch_put_contact(InstanceId="i", ContactDataRequestList=[ITEM])
    assert (len(outer.calls), len(inner.calls)) == (1, 1)


def test_starting_twice_or_stopping_out_of_order_is_refused() -> None:
    outer, inner = ConnectStub(), ConnectStub()
    with outer:
        with pytest.raises(RuntimeError, match="already active"):
            outer.start()
        inner.start()
        with pytest.raises(RuntimeError, match="not the innermost active stub"):
            outer.stop()
        inner.stop()
    with pytest.raises(RuntimeError, match="it is not active"):
        outer.stop()


def test_decorator_activates_the_stub_for_each_call() -> None:
    stub = ConnectStub()

    @stub
    def dial() -> bool:
        boto3.client("connect", region_name="us-east-1").batch_put_contact(
            InstanceId="i", ContactDataRequestList=[ITEM]
        )
        return stub.active

    assert dial() is True
    assert stub.active is False
    assert len(stub.calls) == 1


def test_decorator_on_a_coroutine_function() -> None:
    stub = ConnectStub()

    @stub
    async def dial() -> bool:
        boto3.client("connect", region_name="us-east-1").batch_put_contact(
            InstanceId="i", ContactDataRequestList=[ITEM]
        )
        return stub.active

    assert asyncio.run(dial()) is True
    assert len(stub.calls) == 1


def test_aws_cli_driver_calls_batch_put_contact_through_the_stub(
    capsys: pytest.CaptureFixture[str],
) -> None:
    clidriver = pytest.importorskip("awscli.clidriver")
    import json

    with ConnectStub(seed=7) as stub:
        code = clidriver.create_clidriver().main(
            [
                "connect",
                "batch-put-contact",
                "--region",
                "us-east-1",
                "--instance-id",
                "inst-1",
                "--contact-data-request-list",
                json.dumps([ITEM]),
            ]
        )
    out = capsys.readouterr().out
    assert code == 0, out
    printed = json.loads(out)
    assert printed["SuccessfulRequestList"] == [
        {"RequestIdentifier": "req-1", "ContactId": next(iter(stub.contacts))}
    ]
    assert stub.calls[0].instance_id == "inst-1"


def test_a_second_thread_cannot_start_a_stub_while_one_is_active() -> None:
    import threading

    errors: list[BaseException] = []

    def start_other() -> None:
        try:
            ConnectStub().start()
        except RuntimeError as error:
            errors.append(error)

    with ConnectStub():
        worker = threading.Thread(target=start_other)
        worker.start()
        worker.join()
    assert [str(e) for e in errors] == [
        "Another thread has a ConnectStub active. One stub answers the whole process: "
        "start it once, from one thread, and share it."
    ]


def test_the_active_stub_answers_clients_in_other_threads() -> None:
    from concurrent.futures import ThreadPoolExecutor

    client = boto3.client("connect", region_name="us-east-1")
    with ConnectStub() as stub, ThreadPoolExecutor(max_workers=2) as pool:
        list(
            pool.map(
                lambda n: client.batch_put_contact(
                    InstanceId="i", ContactDataRequestList=[{**ITEM, "RequestIdentifier": n}]
                ),
                ["a", "b"],
            )
        )
    assert sorted(c.contact_requests[0]["RequestIdentifier"] for c in stub.calls) == ["a", "b"]
