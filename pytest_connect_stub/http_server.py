"""The HTTP/1.1 side of ConnectStubServer: connections, keep-alive, bodies, shutdown.

The standard library's HTTP server, with a thread per connection that ``close_connections``
can end. Each request goes to the stub's ``http.Handler`` (Connect's paths) or to the
control API (``/_connect_stub/...``); whatever happens, the client gets an HTTP answer and
nothing reaches the terminal.
"""

from __future__ import annotations

import contextlib
import http.server
import json
import socket
import socketserver
import threading
import time
import uuid
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from .bodies import write_json
from .errors import ServiceError
from .http import HttpResponse

if TYPE_CHECKING:
    from .server import ConnectStubServer

#: The largest request body read. The stub answers in memory; a larger body would only be a
#: broken client or an attack on the test machine. 30,000 items are about 5 MB.
MAX_BODY = 64 * 1024 * 1024

CONTROL_PREFIX = "/_connect_stub"


class HttpServer(http.server.HTTPServer):
    """The standard library's HTTP server, with a thread per connection it can shut down."""

    daemon_threads = True

    def __init__(self, host: str, port: int, owner: ConnectStubServer) -> None:
        self.owner = owner
        self.stopping = False
        #: Open connections and their threads; a socket here is closed only under the lock.
        self._connections: dict[threading.Thread, socket.socket] = {}
        self._connections_lock = threading.Lock()
        if ":" in host:
            self.address_family = socket.AF_INET6
        super().__init__((host, port), _RequestHandler)
        # pytest-socket swaps socket.socket for a class that refuses to be made, and
        # socket.accept() makes its sockets through that name: accept with the class the
        # listening socket was made with, so a test that blocks sockets does not break a
        # server started before it (for clients in other processes).
        self._socket_class = type(self.socket)

    def server_bind(self) -> None:
        # HTTPServer's own looks the host's FQDN up, which can wait on DNS; nothing here
        # uses that name.
        socketserver.TCPServer.server_bind(self)
        self.server_name = str(self.server_address[0])
        self.server_port = self.server_address[1]

    def get_request(self) -> tuple[socket.socket, Any]:
        fd, address = self.socket._accept()  # type: ignore[attr-defined]
        listening = self.socket
        return self._socket_class(
            listening.family, listening.type, listening.proto, fileno=fd
        ), address

    def process_request(self, request: Any, client_address: Any) -> None:
        thread = threading.Thread(
            target=self._serve_connection,
            args=(request, client_address),
            name=f"connect-stub-connection:{self.server_address[1]}",
            daemon=True,  # a server never stopped must not keep the interpreter alive
        )
        with self._connections_lock:
            self._connections[thread] = request
        try:
            thread.start()
        except BaseException:
            with self._connections_lock:
                del self._connections[thread]
            raise

    def _serve_connection(self, request: socket.socket, client_address: Any) -> None:
        try:
            self.finish_request(request, client_address)
        except Exception:
            self.handle_error(request, client_address)
        finally:
            with self._connections_lock:
                self._connections.pop(threading.current_thread(), None)
                self.shutdown_request(request)

    def handle_error(self, request: Any, client_address: Any) -> None:
        # Only a client going away gets here (every answer is built inside a try): nothing
        # to tell anyone, and no traceback on the user's terminal.
        return

    def close_connections(self, grace: float) -> None:
        """End every connection: idle ones at once, those answering once they have answered."""
        # Closing the reading side wakes a thread waiting for a keep-alive connection's next
        # request, and lets one answering a request still send its answer.
        self._shutdown_all(socket.SHUT_RD)
        deadline = time.monotonic() + grace
        for thread in list(self._connections):
            thread.join(max(0.0, deadline - time.monotonic()))
        # Past the grace, a thread stuck sending to a client that does not read is cut off.
        self._shutdown_all(socket.SHUT_RDWR)
        for thread in list(self._connections):
            thread.join(1.0)

    def _shutdown_all(self, how: int) -> None:
        with self._connections_lock:
            for connection in self._connections.values():
                with contextlib.suppress(OSError):  # the client closed it already
                    connection.shutdown(how)


class _RequestHandler(http.server.BaseHTTPRequestHandler):
    """One connection: its requests, one after another (HTTP/1.1 keep-alive)."""

    protocol_version = "HTTP/1.1"
    server_version = "pytest-connect-stub"
    sys_version = ""
    # Headers and body leave in one write (flushed after each request): no delayed-ACK
    # stall between two small writes.
    wbufsize = 64 * 1024
    disable_nagle_algorithm = True
    server: HttpServer

    def _answer(self) -> None:
        is_control = _is_control(self.path)
        try:
            body = self._read_body()
            if body is None:
                return  # answered already
            if is_control:
                from .control import answer

                response = answer(self.server.owner.stub, self.command, self.path, body)
            else:
                # As a full URL: a path starting with "//" would otherwise read as a host.
                url = self.path if not self.path.startswith("/") else f"http://stub{self.path}"
                stub = self.server.owner.stub
                response = stub._handler.handle(self.command, url, dict(self.headers), body)
        except OSError:
            raise  # the connection failed: there is nobody to answer
        except Exception as error:
            problem = f"pytest-connect-stub failed: {type(error).__name__}: {error}"
            response = _problem(is_control, problem, 500)
        self._send(response)

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = do_OPTIONS = _answer

    def _read_body(self) -> bytes | None:
        """The request's body; None when it could not be read (and was answered, or the
        client is gone)."""
        is_control = _is_control(self.path)
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            return self._read_chunks(is_control)
        length_text = self.headers.get("Content-Length")
        if length_text is None:
            return b""
        # ASCII digits only: int() refuses some characters isdigit() takes ("²").
        digits = length_text.strip()
        length = int(digits) if digits.isascii() and digits.isdigit() else -1
        if length < 0:
            self._refuse(is_control, f"Content-Length must be a whole number, not {length_text!r}.")
            return None
        if length > MAX_BODY:
            self._refuse(is_control, _too_large(f"{length:,} bytes"))
            return None
        body = self.rfile.read(length)
        if len(body) < length:  # the client went away mid-body (or stop() closed it)
            self.close_connection = True
            return None
        return body

    def _read_chunks(self, is_control: bool) -> bytes | None:
        chunks: list[bytes] = []
        size = 0
        while True:
            line = self.rfile.readline(1024)
            text = line.split(b";", 1)[0].strip()
            try:
                chunk = int(text, 16)
            except ValueError:
                if not line.endswith(b"\n"):  # the client went away
                    self.close_connection = True
                    return None
                self._refuse(is_control, f"Malformed chunk size {text!r} in a chunked body.")
                return None
            size += chunk
            if chunk < 0 or size > MAX_BODY:
                self._refuse(is_control, _too_large("chunked"))
                return None
            if chunk == 0:
                break
            data = self.rfile.read(chunk + 2)  # the chunk and its CRLF
            if len(data) < chunk + 2:
                self.close_connection = True
                return None
            chunks.append(data[:chunk])
        while self.rfile.readline(65537) not in (b"\r\n", b"\n", b""):
            pass  # trailers: nothing the stub reads
        return b"".join(chunks)

    def _refuse(self, is_control: bool, message: str) -> None:
        """Answer a request whose body cannot be read, and close: its bytes are not read."""
        self.close_connection = True
        self._send(_problem(is_control, message, 400))

    def _send(self, response: HttpResponse) -> None:
        self.send_response(response.status)
        for name, value in response.headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(response.body)))
        if self.close_connection or self.server.stopping:
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(response.body)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """Malformed HTTP (a bad request line, too many headers...): a JSON answer, then close."""
        self.close_connection = True
        # A request line too broken to name a version leaves HTTP/0.9, whose answers have no
        # status line: answer it as HTTP/1.1, which every client reads.
        if not self.request_version.startswith("HTTP/1."):
            self.request_version = "HTTP/1.1"
        text = message or self.responses.get(code, ("Error",))[0]
        body = json.dumps({"message": text}).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD" and code >= 200:
            self.wfile.write(body)
        self.wfile.flush()

    def handle_expect_100(self) -> bool:
        result = super().handle_expect_100()
        self.wfile.flush()  # the write buffer would hold the 100 Continue back
        return result

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: a test's output is no place for an access log."""


def _is_control(path: str) -> bool:
    path = urlsplit(path).path
    return path == CONTROL_PREFIX or path.startswith(CONTROL_PREFIX + "/")


def _too_large(size: str) -> str:
    return f"The request body ({size}) is larger than the {MAX_BODY:,} bytes the stub reads."


def _problem(is_control: bool, message: str, status: int) -> HttpResponse:
    """A control call's error as ``{"message"}``; a Connect request's as a modelled error."""
    headers = {"Content-Type": "application/json"}
    if is_control:
        return HttpResponse(status, headers, json.dumps({"message": message}).encode())
    code = "InvalidRequestException" if status == 400 else "InternalServiceException"
    error = ServiceError(code, message)
    headers["x-amzn-ErrorType"] = code
    headers["x-amzn-RequestId"] = str(uuid.uuid4())
    return HttpResponse(error.status, headers, write_json(error.body()))
