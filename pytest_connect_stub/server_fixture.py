"""The ``connect_stub_server`` fixture: one ConnectStubServer per session, a fresh stub per test.

Imported by plugin.py, whose fixture helpers it shares. Loading it imports only pytest: the
server and the stub load when a test first asks for the fixture.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from .server import ConnectStubServer

#: What a suite using pytest-socket must allow for the server fixture.
_LOOPBACK_HINT = (
    "It listens on 127.0.0.1: with pytest-socket, allow loopback for the tests that use it "
    "(--allow-hosts=127.0.0.1, or @pytest.mark.allow_hosts(['127.0.0.1']))."
)


@pytest.fixture(scope="session")
def _connect_stub_server_session() -> Iterator[ConnectStubServer]:
    """The session's one server (one per xdist worker); each test gets a fresh stub in it."""
    from .server import ConnectStubServer

    problem: str | None = None
    try:
        server = ConnectStubServer().start()
    except Exception as error:  # pytest-socket raises its own error (or, as a warning, that)
        problem = (
            f"connect_stub_server could not start: {type(error).__name__}: {error}\n"
            f"{_LOOPBACK_HINT}"
        )
    if problem is not None:
        pytest.fail(problem, pytrace=False)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def connect_stub_server(
    request: pytest.FixtureRequest, _connect_stub_server_session: ConnectStubServer
) -> Iterator[ConnectStubServer]:
    """A ConnectStubServer for tests that drive a subprocess, a CLI or another language.

    One server per session (per xdist worker): give its ``endpoint_url`` to the client.
    Each test finds a fresh stub behind it (``connect_stub_server.stub``), made with the
    ini options and the test's ``@pytest.mark.connect_stub(...)``; at teardown, a scripted
    outcome left unused fails the test, unless the test already failed.
    """
    from .plugin import _check_outcomes_used, _new_stub

    server = _connect_stub_server_session
    stub = _new_stub(request)
    server._use(stub)
    yield server
    _check_outcomes_used(stub, request)
