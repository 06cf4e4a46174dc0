"""ConnectStubServer: the whole stub behind a local HTTP endpoint, for every other client.

The AWS CLI, the JavaScript SDK or a boto3 client given ``endpoint_url`` send real HTTP to
it; each Connect request goes to the same ``http.Handler`` the in-process stub uses, so the
answers are the same. Paths under ``/_connect_stub/`` are the control API (control.py).
Nothing here starts the stub: botocore is not patched in this process.

The HTTP server (http_server.py) is the standard library's, with HTTP/1.1 keep-alive and
one thread per connection; ``stop()`` closes every connection it accepted and waits for
their threads.
"""

from __future__ import annotations

import threading
from types import TracebackType
from typing import Any

from . import options as stub_options
from .http_server import HttpServer
from .stub import ConnectStub

#: How long ``stop()`` lets requests in flight finish before it cuts their connections.
GRACE_SECONDS = 5.0

#: How often the accepting thread looks whether ``stop()`` asked it to end.
_POLL_SECONDS = 0.05


class ConnectStubServer:
    """A ``ConnectStub`` served over HTTP, for the AWS CLI and every other SDK.

    ::

        with ConnectStubServer(strict=True, instances={"inst-1": ["queue-1"]}) as server:
            server.stub.raise_error("LimitExceededException")
            subprocess.run(["aws", "connect", "batch-put-contact", "--endpoint-url",
                            server.endpoint_url, ...])
        server.stub.assert_called()

    ``options`` are ``ConnectStub``'s (see ``pytest_connect_stub.options.StubOptions``).
    ``port=0`` picks a free port. ``stub`` is the ``ConnectStub`` behind the server, with
    its whole Python API; it is never started, so botocore in this process is left alone.
    Leaving a ``with`` block without an exception checks that every scripted outcome was
    used, as a ``with ConnectStub()`` block does (unless ``assert_all_used=False``).
    """

    def __init__(self, host: str = "127.0.0.1", port: int = 0, **options: Any) -> None:
        __tracebackhide__ = True
        problem = stub_options.unknown_option("ConnectStubServer", options)
        if problem is not None:
            raise TypeError(problem)
        if not isinstance(host, str) or not host:
            raise TypeError(f"host must be a non-empty string, not {host!r}")
        if isinstance(port, bool) or not isinstance(port, int) or not 0 <= port <= 65535:
            raise ValueError(f"port must be a whole number from 0 to 65535, not {port!r}")
        self.host = host
        self.port = port
        self._stub = ConnectStub(**options)
        self._http: HttpServer | None = None
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    @property
    def stub(self) -> ConnectStub:
        """The ``ConnectStub`` answering the server's requests."""
        return self._stub

    @property
    def running(self) -> bool:
        """Whether the server is accepting requests."""
        return self._http is not None

    @property
    def endpoint_url(self) -> str:
        """``http://127.0.0.1:<port>``: what a client takes as its endpoint URL."""
        http = self._http
        if http is None:
            raise RuntimeError(
                "This ConnectStubServer is not running: start() it, or use it in a with block."
            )
        host = {"0.0.0.0": "127.0.0.1", "::": "::1", "": "127.0.0.1"}.get(self.host, self.host)
        if ":" in host:
            host = f"[{host}]"
        return f"http://{host}:{http.server_address[1]}"

    def start(self) -> ConnectStubServer:
        """Listen and serve in a background thread; returns the server.

        Raises OSError naming the address when it cannot listen (a port in use).
        """
        __tracebackhide__ = True
        with self._lock:
            if self._http is not None:
                raise RuntimeError(
                    f"This ConnectStubServer is already running at {self.endpoint_url}; "
                    "stop() it first."
                )
            try:
                http = HttpServer(self.host, self.port, self)
            except OSError as error:
                raise OSError(
                    error.errno,
                    f"ConnectStubServer cannot listen on {self.host}:{self.port}: "
                    f"{error.strerror or error}",
                ) from None
            thread = threading.Thread(
                target=http.serve_forever,
                kwargs={"poll_interval": _POLL_SECONDS},
                name=f"connect-stub-server:{http.server_address[1]}",
                daemon=True,
            )
            thread.start()
            self._http, self._thread = http, thread
        return self

    def stop(self) -> None:
        """Stop accepting, finish the requests in flight, close every connection.

        Returns once every thread of the server has ended. Stopping a stopped server does
        nothing.
        """
        with self._lock:
            http, thread = self._http, self._thread
            if http is None or thread is None:
                return
            self._http = self._thread = None
            http.stopping = True
            http.shutdown()
            thread.join()
            http.server_close()
            http.close_connections(GRACE_SECONDS)

    def __enter__(self) -> ConnectStubServer:
        __tracebackhide__ = True
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        __tracebackhide__ = True
        self.stop()
        if exc is None and self._stub.assert_all_used:
            self._stub.assert_outcomes_used()

    def _use(self, stub: ConnectStub) -> None:
        """Answer from now on with ``stub`` (the fixture gives each test a fresh one)."""
        self._stub = stub

    def __repr__(self) -> str:
        where = self.endpoint_url if self._http is not None else "stopped"
        return f"<ConnectStubServer {where}>"
