"""ConnectStubServer: the stub over real HTTP, for boto3 given an endpoint and other clients."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator, Mapping
from typing import Any

import botocore.endpoint
import pytest
from botocore.exceptions import ClientError
from helpers import ItemFactory, contact_item
from serving import LOOPBACK, http_client

from pytest_connect_stub import ConnectStubServer, activation

pytestmark = LOOPBACK


@pytest.fixture
def server() -> Iterator[ConnectStubServer]:
    with ConnectStubServer(assert_all_used=False) as server:
        yield server


def _server_threads(port: int) -> list[threading.Thread]:
    """The threads of the server on ``port`` (a session's server may run beside it)."""
    return [
        t
        for t in threading.enumerate()
        if t.name.startswith("connect-stub-") and t.name.endswith(f":{port}")
    ]


def _port(server: ConnectStubServer) -> int:
    return int(server.endpoint_url.rsplit(":", 1)[1])


def test_boto3_with_endpoint_url_goes_over_real_http(
    server: ConnectStubServer, item: ItemFactory
) -> None:
    client = http_client(server.endpoint_url)
    response = client.batch_put_contact(InstanceId="inst-1", ContactDataRequestList=[item()])

    [created] = response["SuccessfulRequestList"]
    assert server.stub.contacts[created["ContactId"]]["RequestIdentifier"] == "req-1"
    # Only a request that went through a socket has the Host header urllib3 writes.
    assert server.stub.calls[0].headers["host"] == f"127.0.0.1:{_port(server)}"
    # Nothing in this process was patched: the server's stub is never started.
    assert activation.stack == []
    assert not server.stub.active
    assert vars(botocore.endpoint.Endpoint)["_send"].__module__ == "botocore.endpoint"


def test_boto3_finds_the_server_through_AWS_ENDPOINT_URL_CONNECT(
    server: ConnectStubServer, item: ItemFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL_CONNECT", server.endpoint_url)
    client = http_client()
    client.batch_put_contact(InstanceId="inst-1", ContactDataRequestList=[item()])
    server.stub.assert_called_once_with(InstanceId="inst-1")


def test_port_zero_picks_a_free_port_each_time() -> None:
    with ConnectStubServer() as first, ConnectStubServer(port=0) as second:
        assert first.endpoint_url.startswith("http://127.0.0.1:")
        assert first.endpoint_url != second.endpoint_url


def test_a_port_in_use_is_an_os_error_naming_the_address() -> None:
    with ConnectStubServer() as running:
        port = _port(running)
        with pytest.raises(OSError, match=f"cannot listen on 127.0.0.1:{port}: .*in use"):
            ConnectStubServer(port=port).start()


def test_an_ipv6_host_gets_a_bracketed_endpoint_url(item: ItemFactory) -> None:
    try:
        server = ConnectStubServer(host="::1").start()
    except OSError as error:  # pragma: no cover - a machine without IPv6
        pytest.skip(f"no IPv6 loopback here: {error}")
    try:
        assert server.endpoint_url.startswith("http://[::1]:")
    finally:
        server.stop()


def test_other_connect_operations_get_501_not_implemented(server: ConnectStubServer) -> None:
    client = http_client(server.endpoint_url, retries={"max_attempts": 0})
    with pytest.raises(ClientError) as raised:
        client.describe_instance(InstanceId="inst-1")
    assert raised.value.response["Error"]["Code"] == "NotImplemented"
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 501
    assert "DescribeInstance" in raised.value.response["Error"]["Message"]


def test_misuse_of_the_constructor_names_the_valid_choices() -> None:
    with pytest.raises(TypeError, match=r"unknown option 'stirct'\. Did you mean 'strict'\?"):
        ConnectStubServer(stirct=True)
    with pytest.raises(ValueError, match="port must be a whole number from 0 to 65535"):
        ConnectStubServer(port=70000)
    with pytest.raises(TypeError, match="host must be a non-empty string"):
        ConnectStubServer(host="")
    with pytest.raises(ValueError, match="Unknown rule in disable_rules"):
        ConnectStubServer(disable_rules=["NOT_A_RULE"])


def test_start_stop_and_the_url_of_a_stopped_server() -> None:
    server = ConnectStubServer()
    with pytest.raises(RuntimeError, match=r"not running: start\(\) it"):
        server.endpoint_url  # noqa: B018
    assert repr(server) == "<ConnectStubServer stopped>"
    server.start()
    try:
        assert repr(server) == f"<ConnectStubServer {server.endpoint_url}>"
        with pytest.raises(RuntimeError, match=r"already running at http://.*; stop\(\) it"):
            server.start()
    finally:
        server.stop()
    server.stop()  # a second stop does nothing
    assert not server.running
    with server:  # and it starts again
        assert server.running


def test_leaving_a_with_block_checks_scripted_outcomes_were_used() -> None:
    with (
        pytest.raises(AssertionError, match="1 scripted outcome was not used up"),
        ConnectStubServer() as server,
    ):
        server.stub.raise_error("InternalServiceException")
    assert not server.running
    # The block's own exception goes on alone.
    with pytest.raises(KeyError), ConnectStubServer() as server:
        server.stub.raise_error("InternalServiceException")
        raise KeyError("the test's own")


def test_concurrent_clients_each_keep_their_connection(
    server: ConnectStubServer, item: ItemFactory
) -> None:
    clients = [http_client(server.endpoint_url) for _ in range(4)]
    errors: list[BaseException] = []

    def dial(client: Any, worker: int) -> None:
        try:
            for n in range(10):
                client.batch_put_contact(
                    InstanceId="inst-1", ContactDataRequestList=[item(f"req-{worker}-{n}")]
                )
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=dial, args=(c, w)) for w, c in enumerate(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert len(server.stub.contacts) == 40
    # Keep-alive: one connection per client, however many calls each made.
    assert len([t for t in _server_threads(_port(server)) if "connection" in t.name]) == 4


def test_stop_ends_idle_keep_alive_connections_and_every_thread(item: ItemFactory) -> None:
    server = ConnectStubServer().start()
    port = _port(server)
    client = http_client(server.endpoint_url)
    client.batch_put_contact(InstanceId="inst-1", ContactDataRequestList=[item()])
    assert len(_server_threads(port)) == 2  # the server's, and the connection's

    started = time.monotonic()
    server.stop()

    assert time.monotonic() - started < 2  # the idle connection did not wait for a grace
    assert _server_threads(port) == []


def test_stop_lets_a_request_in_flight_finish(item: ItemFactory) -> None:
    server = ConnectStubServer().start()
    port = _port(server)
    inside, release = threading.Event(), threading.Event()

    def slow(request: Mapping[str, Any]) -> bool:
        inside.set()
        release.wait(10)
        return False

    server.stub.fail(slow, "INVALID_QUEUE", times=None)
    answers: list[Any] = []
    caller = threading.Thread(
        target=lambda: answers.append(
            http_client(server.endpoint_url).batch_put_contact(
                InstanceId="inst-1", ContactDataRequestList=[item()]
            )
        )
    )
    caller.start()
    assert inside.wait(10)
    stopper = threading.Thread(target=server.stop)
    stopper.start()
    time.sleep(0.2)
    assert stopper.is_alive()  # waiting for the request in flight
    release.set()
    stopper.join(10)
    caller.join(10)

    assert not stopper.is_alive()
    assert len(answers[0]["SuccessfulRequestList"]) == 1
    assert _server_threads(port) == []


def test_a_client_that_never_reads_its_answer_cannot_hold_stop_past_the_grace(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from pytest_connect_stub import server as server_module

    monkeypatch.setattr(server_module, "GRACE_SECONDS", 0.2)
    server = ConnectStubServer().start()
    port = _port(server)
    # Enough calls that their JSON overfills the socket buffers, handed to the stub's
    # handler directly (a transport's way in) rather than over 2,000 connections.
    padded = contact_item(Attributes={"padding": "x" * 5000})
    body = json.dumps({"ContactDataRequestList": [padded]}).encode()
    for _ in range(2000):
        answer = server.stub._handler.handle(
            "PUT", f"{server.endpoint_url}/contact/batch/inst-1", {}, body
        )
        assert answer.status == 200
    with socket.create_connection(("127.0.0.1", _port(server))) as connection:
        connection.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        connection.sendall(b"GET /_connect_stub/calls HTTP/1.1\r\nHost: x\r\n\r\n")
        time.sleep(0.3)  # the server is now stuck sending to a client that does not read
        started = time.monotonic()
        server.stop()
        assert time.monotonic() - started < 3
    assert _server_threads(port) == []
