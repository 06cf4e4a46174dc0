"""The pytest plugin: the ``connect_stub`` fixture, its marker and ini options. Nothing else.

Loading this module imports neither botocore nor jsonschema; a test that does not use the
fixture pays nothing.
"""

from __future__ import annotations

import sys
from collections.abc import Generator, Iterator
from typing import TYPE_CHECKING, Any

import pytest

from . import options
from .hints import did_you_mean

if TYPE_CHECKING:
    from .stub import ConnectStub

MARKER = "connect_stub"
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
    """A test carrying the marker gets the fixture without naming it."""
    for item in items:
        fixturenames = getattr(item, "fixturenames", None)
        if (
            fixturenames is not None
            and MARKER not in fixturenames
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


_DEPTH = pytest.StashKey[int]()


def _read_ini(config: pytest.Config) -> dict[str, Any]:
    """The stub's options as the ini file sets them (or their defaults).

    A bad value is a usage error of the whole run, reported as pytest reports its own: one
    line naming the option, the value and what is accepted, and no traceback.
    """
    values: dict[str, Any] = {}
    for ini in options.ini_options():
        try:
            values[ini.option] = config.getini(ini.name)
        except (ValueError, pytest.UsageError) as error:
            # pytest's own reason quotes the value; only the option's name is missing.
            problem = f"{ini.name} in the pytest configuration: {error}. {_ACCEPTED[ini.type]}"
        else:
            continue
        # Raised outside the except block, so pytest shows no chained exception.
        raise pytest.UsageError(problem)
    return values


def _active_stubs() -> list[ConnectStub]:
    # Read through sys.modules: a test that never used a stub must not import one.
    module = sys.modules.get("pytest_connect_stub.stub")
    return [] if module is None else list(module._active)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Generator[None, Any, None]:
    """Remember how many stubs were active when the test body started."""
    item.stash[_DEPTH] = len(_active_stubs())
    yield


@pytest.hookimpl(trylast=True)
def pytest_runtest_teardown(item: pytest.Item) -> None:
    """Stop a stub the test body started and never stopped, and say so."""
    depth = item.stash.get(_DEPTH, None)
    active = _active_stubs()
    if depth is None or len(active) <= depth:
        return
    from .stub import _stop_leftovers

    left = _stop_leftovers(active[depth - 1] if depth else None)
    pytest.fail(_leftover_message(left), pytrace=False)


def _leftover_message(left: list[ConnectStub]) -> str:
    return (
        f"connect_stub: the test left {len(left)} ConnectStub{'' if len(left) == 1 else 's'} "
        "active (started and never stopped); stopped now, so later tests are not stubbed. "
        "Use 'with ConnectStub():', the decorator, or stop() what you start()."
    )


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
        for name in marker.kwargs:
            if name not in valid:
                pytest.fail(
                    f"@pytest.mark.{MARKER} got an unknown option {name!r}."
                    f"{did_you_mean(name, valid)} "
                    f"Valid options: {', '.join(valid)}.",
                    pytrace=False,
                )
        chosen.update(marker.kwargs)
    return chosen


@pytest.fixture
def connect_stub(request: pytest.FixtureRequest) -> Iterator[ConnectStub]:
    """A ConnectStub answering every botocore client's BatchPutContact for this test.

    Configure it with ``@pytest.mark.connect_stub(...)`` (on a test, a class, or a module's
    ``pytestmark``) or the ``connect_stub_*`` ini options. At teardown, a scripted outcome
    left unused fails the test, unless the test already failed.
    """
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
    stub.start()
    try:
        yield stub
    finally:
        from .stub import _stop_leftovers

        left = _stop_leftovers(stub)
        if stub.active:  # the test may have stopped it itself
            stub.stop()
    if left:
        pytest.fail(_leftover_message(left), pytrace=False)
    if stub.assert_all_used and not request.node.stash.get(_FAILED, False):
        try:
            stub.assert_outcomes_used()
        except AssertionError as error:
            unused = str(error)
        else:
            return
        pytest.fail(unused, pytrace=False)
