"""The server on the wire: malformed, huge, chunked and abandoned requests get an answer (or a
clean close), never a traceback, and the server goes on serving."""

from __future__ import annotations

import http.client
import json
import socket
from collections.abc import Iterator

import pytest
from helpers import ItemFactory
from serving import LOOPBACK, send

from pytest_connect_stub import ConnectStubServer
from pytest_connect_stub.http_server import MAX_BODY

pytestmark = LOOPBACK


@pytest.fixture
def server() -> Iterator[ConnectStubServer]:
    with ConnectStubServer() as server:
        yield server


def _connect(server: ConnectStubServer) -> socket.socket:
    return socket.create_connection(("127.0.0.1", int(server.endpoint_url.rsplit(":", 1)[1])))


def _exchange(server: ConnectStubServer, raw: bytes) -> http.client.HTTPResponse:
    """Send raw bytes on a new connection; the answer, read in full."""
    connection = _connect(server)
    connection.sendall(raw)
    response = http.client.HTTPResponse(connection, method=raw.split(b" ", 1)[0].decode())
    response.begin()
    response.body = response.read()  # type: ignore[attr-defined]
    connection.close()
    return response


def _put(body: bytes, *headers: str) -> bytes:
    lines = ["PUT /contact/batch/inst-1 HTTP/1.1", "Host: stub", *headers, "", ""]
    return "\r\n".join(lines).encode() + body


def test_a_chunked_request_is_answered_as_any_other(
    server: ConnectStubServer, item: ItemFactory
) -> None:
    body = json.dumps({"ContactDataRequestList": [item()]}).encode()
    chunks = b"".join(b"%x\r\n%s\r\n" % (len(part), part) for part in (body[:10], body[10:]))
    response = _exchange(
        server, _put(chunks + b"0\r\nX-Trailer: 1\r\n\r\n", "Transfer-Encoding: chunked")
    )
    assert response.status == 200
    assert server.stub.calls[0].contact_requests == [item()]


def test_expect_100_continue_gets_its_interim_answer_at_once(
    server: ConnectStubServer, item: ItemFactory
) -> None:
    body = json.dumps({"ContactDataRequestList": [item()]}).encode()
    with _connect(server) as connection:
        connection.settimeout(5)
        connection.sendall(_put(b"", f"Content-Length: {len(body)}", "Expect: 100-continue"))
        assert connection.recv(100).startswith(b"HTTP/1.1 100 Continue\r\n")
        connection.sendall(body)
        assert connection.recv(100).startswith(b"HTTP/1.1 200 OK\r\n")


@pytest.mark.parametrize(
    ("headers", "message"),
    [
        (("Content-Length: twelve",), "Content-Length must be a whole number, not 'twelve'."),
        (
            (f"Content-Length: {MAX_BODY + 1}",),
            f"The request body ({MAX_BODY + 1:,} bytes) is larger than the {MAX_BODY:,} bytes",
        ),
        (("Transfer-Encoding: chunked",), "Malformed chunk size b'zz' in a chunked body."),
    ],
)
def test_a_body_that_cannot_be_read_is_an_invalid_request_and_closes(
    server: ConnectStubServer, headers: tuple[str, ...], message: str
) -> None:
    # Only the headers, or a broken chunk: the server answers without waiting for a body.
    response = _exchange(server, _put(b"zz\r\n" if "chunked" in headers[0] else b"", *headers))
    assert response.status == 400
    assert response.getheader("x-amzn-ErrorType") == "InvalidRequestException"
    assert response.getheader("Connection") == "close"
    body: bytes = response.body  # type: ignore[attr-defined]
    assert json.loads(body)["Message"].startswith(message)
    assert body == json.dumps(json.loads(body), separators=(",", ":")).encode()  # as AWS writes


def test_a_control_call_too_large_is_a_400_with_a_message(server: ConnectStubServer) -> None:
    raw = f"POST /_connect_stub/fail HTTP/1.1\r\nContent-Length: {MAX_BODY + 1}\r\n\r\n"
    response = _exchange(server, raw.encode())
    assert response.status == 400
    assert "is larger than" in json.loads(response.body)["message"]  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("raw", "status"),
    [
        (b"NONSENSE\r\n\r\n", 400),
        (b"GET / HTTP/9.9\r\n\r\n", 505),
        (b"BREW /contact/batch/inst-1 HTTP/1.1\r\n\r\n", 501),
        (b"GET /" + b"x" * 70_000 + b" HTTP/1.1\r\n\r\n", 414),
    ],
)
def test_malformed_http_gets_a_json_error_and_a_close(
    server: ConnectStubServer, raw: bytes, status: int
) -> None:
    response = _exchange(server, raw)
    assert response.status == status
    assert response.getheader("Content-Type") == "application/json"
    assert json.loads(response.body)["message"]  # type: ignore[attr-defined]


def test_head_answers_headers_only(server: ConnectStubServer) -> None:
    response = _exchange(server, b"HEAD /_connect_stub/calls HTTP/1.1\r\nHost: x\r\n\r\n")
    assert response.status == 200
    assert response.getheader("Content-Length") == "2"
    assert response.body == b""  # type: ignore[attr-defined]


def test_clients_that_vanish_leave_no_traceback_and_the_server_serves_on(
    server: ConnectStubServer, capfd: pytest.CaptureFixture[str]
) -> None:
    for raw in (
        _put(b'{"ContactData', "Content-Length: 500"),  # gone mid-body
        _put(b"5\r\nab", "Transfer-Encoding: chunked"),  # gone mid-chunk
        _put(b"", "Transfer-Encoding: chunked"),  # gone before the first chunk
        b"GET /_connect_stub/calls HTTP/1.1\r\n",  # gone mid-headers
    ):
        with _connect(server) as connection:
            connection.sendall(raw)
    with _connect(server) as connection:  # reset: the client's close throws data away
        connection.setsockopt(
            socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00"
        )
        connection.sendall(b"GET /_connect_stub/calls HTTP/1.1\r\n\r\n")

    status, _, calls = send(f"{server.endpoint_url}/_connect_stub/calls")
    assert (status, calls) == (200, [])
    server.stop()
    assert capfd.readouterr().err == ""


def test_a_content_length_of_non_ascii_digits_is_refused_as_any_other_bad_one(
    server: ConnectStubServer,
) -> None:
    # "²" is a digit to str.isdigit() but not to int(): it was a 500 whose unread body was
    # then read as the next request of the kept-alive connection.
    # The header's byte as a client sends it (latin-1), not as _put encodes text (UTF-8).
    raw = _put(b"{}", "Content-Length: \xb2").replace("\xb2".encode(), b"\xb2")
    response = _exchange(server, raw)
    assert response.status == 400
    assert response.getheader("x-amzn-ErrorType") == "InvalidRequestException"
    assert response.getheader("Connection") == "close"
    assert json.loads(response.body)["Message"] == (  # type: ignore[attr-defined]
        "Content-Length must be a whole number, not '\xb2'."
    )
