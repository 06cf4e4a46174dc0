"""The pytest plugin: the ``connect_stub`` fixture, its marker and ini options. Nothing else.

Loading this module imports neither botocore nor jsonschema-rs; a test that does not use the
fixture pays nothing.
"""

from __future__ import annotations

import sys
from collections.abc import Generator, Iterator
from typing import TYPE_CHECKING, Any, NamedTuple

import pytest

from . import options

if TYPE_CHECKING:
    from .stub import ConnectStub

MARKER = "connect_stub"
SERVER_FIXTURE = "connect_stub_server"
_FAILED = pytest.StashKey[bool]()


def pytest_addoption(parser: pytest.Parser) -> None:
    """Register the suite-wide defaults of the stub's options."""
    for ini in options.ini_options():
        parser.addini(ini.name, f"connect_stub: {ini.help}.", type=ini.type, default=ini.default)


_INI_VALUES = pytest.StashKey[dict[str, Any]]()

#: What each type of ini option accepts, for the message about a bad value.
_ACCEPTED = {
    "bool": (
        "Use true or false (an ini file also takes yes/no, on/off, y/n, t/f or 1/0, in any case)."
    ),
    "args": "Give FailureReasonCodes: a list, or space-separated words in an ini file.",
}


def pytest_configure(config: pytest.Config) -> None:
    """Read the ini options once, failing the run on a bad one; declare the marker."""
    config.stash[_INI_VALUES] = _read_ini(config)
    config.addinivalue_line(
        "markers",
        f"{MARKER}(**options): options for the connect_stub fixture "
        f"({', '.join(name + '=' for name in options.names())}); "
        "a marked test gets the fixture even without asking for it.",
    )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A test carrying the marker gets the fixture without naming it.

    Unless it uses ``connect_stub_server``, which the marker configures instead: a stub
    active in the process would answer the test's own clients instead of the server.
    """
    for item in items:
        fixturenames = getattr(item, "fixturenames", None)
        if (
            fixturenames is not None
            and MARKER not in fixturenames
            and SERVER_FIXTURE not in fixturenames
            and item.get_closest_marker(MARKER) is not None
        ):
            # First, so the stub is active while the test's other fixtures set up.
            fixturenames.insert(0, MARKER)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, Any, None]:
    """Remember a setup or call that did not pass, so teardown adds no second error.

    A failure, an expected failure (xfail) or a skip mid-test all leave scripted outcomes
    unused for a reason the user already sees.
    """
    outcome = yield
    if not outcome.get_result().passed:
        item.stash[_FAILED] = True


def _read_ini(config: pytest.Config) -> dict[str, Any]:
    """The stub's options as the ini file sets them (or their defaults).

    A bad value is a usage error of the whole run, reported as pytest reports its own: one
    line naming the option, the value and what is accepted, and no traceback. Each value
    goes through its option's own check here, once, rather than in every test's setup.
    """
    values: dict[str, Any] = {}
    for ini in options.ini_options():
        try:
            values[ini.option] = config.getini(ini.name)
        except (ValueError, pytest.UsageError) as error:
            # pytest's own reason quotes the value; only the option's name is missing.
            problem = f"{ini.name} in the pytest configuration: {error}. {_ACCEPTED[ini.type]}"
        else:
            try:
                ini.check(ini.name, values[ini.option])
            except (TypeError, ValueError) as error:
                # The check names the ini option itself, with the value and the valid ones.
                problem = f"In the pytest configuration: {error}"
            else:
                continue
        # Raised outside the except block, so pytest shows no chained exception.
        raise pytest.UsageError(problem)
    return values


def _active_stubs() -> list[ConnectStub]:
    # Read through sys.modules: a test that never used a stub must not import one.
    module = sys.modules.get("pytest_connect_stub.activation")
    return [] if module is None else list(module.stack)


class _Held(NamedTuple):
    """A stub a wider-scoped fixture started: its own until that fixture is finalized."""

    stub: ConnectStub
    fixturedef: pytest.FixtureDef[Any]
    #: The fixture's cached result when it started the stub: once it differs, that fixture
    #: instance is gone (finalized, or set up again for another parameter).
    instance: object


_BEFORE = pytest.StashKey[list["ConnectStub"]]()
_HELD = pytest.StashKey[list[_Held]]()


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """Remember the stubs active before the test: none of them is the test's to stop."""
    item.stash[_BEFORE] = _active_stubs()


@pytest.hookimpl(hookwrapper=True)
def pytest_fixture_setup(
    fixturedef: pytest.FixtureDef[Any], request: pytest.FixtureRequest
) -> Generator[None, Any, None]:
    """Credit a stub started by a module-, class- or session-scoped fixture to that fixture.

    It is not a leak of the test during whose setup it started; it is checked when the
    fixture is finalized. A function-scoped fixture's stubs are the test's own.
    """
    before = _active_stubs()
    yield
    if fixturedef.scope == "function":
        return
    started = [stub for stub in _active_stubs() if all(stub is not b for b in before)]
    if started:
        held = request.config.stash.setdefault(_HELD, [])
        held += [_Held(stub, fixturedef, fixturedef.cached_result) for stub in started]


def _stop_leaks(item: pytest.Item) -> list[str]:
    """Stop every stub the test (or a fixture finalized with it) left active; say which."""
    active = _active_stubs()
    if not active:
        return []
    from . import activation

    before = item.stash.get(_BEFORE, [])
    held = {id(entry.stub): entry for entry in item.config.stash.get(_HELD, [])}
    leaks: dict[str, list[ConnectStub]] = {}
    for stub in active:
        entry = held.get(id(stub))
        if entry is None:
            if any(stub is b for b in before):
                continue  # started before the test, outside any fixture: not the test's
            where = "the test"
        elif entry.fixturedef.cached_result is entry.instance:
            continue  # its fixture is still alive
        else:
            where = f"fixture {entry.fixturedef.argname!r} ({entry.fixturedef.scope} scope)"
        leaks.setdefault(where, []).append(stub)
    stopped = [stub for stubs in leaks.values() for stub in stubs]
    activation.discard(stopped)
    item.config.stash[_HELD] = [e for e in held.values() if activation.is_active(e.stub)]
    return [activation.leftover_message(len(stubs), where) for where, stubs in leaks.items()]


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item: pytest.Item) -> Generator[None, Any, None]:
    """Once the test's fixtures are finalized, stop what it left active, and say so.

    Reported as the test's teardown error; if teardown already failed, that error stays
    and carries the report (in its message, or as a note).
    """
    outcome = yield
    problems = _stop_leaks(item)
    if not problems:
        return
    message = "\n".join(problems)
    if outcome.excinfo is None:
        outcome.force_exception(pytest.fail.Exception(message, pytrace=False))
        return
    error = outcome.excinfo[1]
    if isinstance(error, pytest.fail.Exception) and not error.pytrace:
        # pytest prints such a failure's message alone, without notes: extend the message.
        error.msg = f"{error.msg}\n{message}"
    else:
        from . import activation

        activation.tell(error, message)


def _options(request: pytest.FixtureRequest) -> dict[str, Any]:
    """Suite defaults from ini, then module, class and test markers, the closest winning."""
    ini: dict[str, Any] = request.config.stash[_INI_VALUES]
    chosen = dict(ini)
    valid = options.names()
    for marker in reversed(list(request.node.iter_markers(MARKER))):
        if marker.args:
            pytest.fail(
                f"@pytest.mark.{MARKER} takes keyword options only, got {marker.args!r}. "
                f"Valid options: {', '.join(valid)}.",
                pytrace=False,
            )
        problem = options.unknown_option(f"@pytest.mark.{MARKER}", marker.kwargs)
        if problem is not None:
            pytest.fail(problem, pytrace=False)
        chosen.update(marker.kwargs)
    return chosen


def _new_stub(request: pytest.FixtureRequest) -> ConnectStub:
    """A stub with the test's options (ini, then markers); a bad option fails the test."""
    from .stub import ConnectStub

    # pytest.fail outside the except blocks: inside, pytest would print the message twice
    # ("During handling of the above exception, another exception occurred").
    problem: str | None = None
    try:
        stub = ConnectStub(**_options(request))
    except (TypeError, ValueError) as error:
        problem = f"connect_stub options: {error}"
    if problem is not None:
        pytest.fail(problem, pytrace=False)
    return stub


def _check_outcomes_used(stub: ConnectStub, request: pytest.FixtureRequest) -> None:
    """At teardown: fail the test over scripted outcomes left unused, unless it failed."""
    if stub.assert_all_used and not request.node.stash.get(_FAILED, False):
        try:
            stub.assert_outcomes_used()
        except AssertionError as error:
            unused = str(error)
        else:
            return
        pytest.fail(unused, pytrace=False)


@pytest.fixture
def connect_stub(request: pytest.FixtureRequest) -> Iterator[ConnectStub]:
    """A ConnectStub answering every botocore client's BatchPutContact for this test.

    Configure it with ``@pytest.mark.connect_stub(...)`` (on a test, a class, or a module's
    ``pytestmark``) or the ``connect_stub_*`` ini options. At teardown, a scripted outcome
    left unused fails the test, unless the test already failed.
    """
    stub = _new_stub(request)
    stub.start()
    try:
        yield stub
    finally:
        from . import activation

        # Only its own stub, wherever it is on the stack (the test may have stopped it
        # already): what else is active is checked once every fixture is finalized.
        activation.discard([stub])
    _check_outcomes_used(stub, request)


# The server's fixtures live beside it; imported here, pytest finds them in this plugin.
from .server_fixture import _connect_stub_server_session, connect_stub_server  # noqa: E402, F401
