"""Optional transports are switched on for libraries imported before or during a stub, only.

A stand-in library and a stand-in transport, written to a temporary folder, take the place
of aiobotocore (or requests) and its transport: what is checked is when the transport is
installed and uninstalled, and that the library imports as it would without the stub.
"""

from __future__ import annotations

import importlib
import importlib.machinery
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from pytest_connect_stub import ConnectStub, transports

LIBRARY = "connect_stub_fake_library"
TRANSPORT = "connect_stub_fake_transport"

TRANSPORT_SOURCE = """
from pytest_connect_stub.transports import innermost

events = []

def install():
    import connect_stub_fake_library as library
    events.append(("install", library.READY))

def ask():
    return innermost()

def uninstall():
    events.append(("uninstall",))
"""


@pytest.fixture
def fake(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[tuple[object, ...]]]:
    """The stand-in transport's event list; the library is importable but not imported."""
    package = tmp_path / LIBRARY
    package.mkdir()
    (package / "__init__.py").write_text("from . import part\nREADY = part.READY\n")
    (package / "part.py").write_text("READY = True\n")
    (tmp_path / f"{TRANSPORT}.py").write_text(TRANSPORT_SOURCE)
    monkeypatch.syspath_prepend(str(tmp_path))
    # The stand-in is the only optional transport: real ones (aiobotocore's) would keep a
    # watcher waiting where their library is not imported.
    for trigger in list(transports.OPTIONAL):
        monkeypatch.delitem(transports.OPTIONAL, trigger)
    monkeypatch.setitem(transports.OPTIONAL, LIBRARY, TRANSPORT)
    module = importlib.import_module(TRANSPORT)
    yield module.events
    # What the transport asks answers with the stub that was active, and None once off.
    assert module.ask() is None
    for name in (LIBRARY, f"{LIBRARY}.part", TRANSPORT):
        sys.modules.pop(name, None)


def _import_library() -> ModuleType:
    return importlib.import_module(LIBRARY)


def _watchers() -> list[object]:
    return [finder for finder in sys.meta_path if type(finder).__name__ == "ImportWatcher"]


def test_a_library_imported_before_the_stub_gets_its_transport_for_the_stubs_life(
    fake: list[tuple[object, ...]],
) -> None:
    _import_library()
    with ConnectStub() as stub:
        assert fake == [("install", True)]
        assert _watchers() == []  # nothing left to wait for
        assert sys.modules[TRANSPORT].ask() == (stub._handler, stub.skip_retry_sleep)
    assert fake == [("install", True), ("uninstall",)]


def test_a_library_imported_while_a_stub_is_active_gets_its_transport_once_loaded(
    fake: list[tuple[object, ...]],
) -> None:
    with ConnectStub():
        assert fake == []
        library = _import_library()
        # Installed after the whole package ran (it could read library.READY), once.
        assert fake == [("install", True)]
        importlib.import_module(LIBRARY)
        assert fake == [("install", True)]
        # The library keeps its own loader: nothing of the stub's stays on it.
        assert type(library.__loader__) is importlib.machinery.SourceFileLoader
        assert library.__spec__ is not None
        assert library.__spec__.loader is library.__loader__
    assert fake == [("install", True), ("uninstall",)]
    assert _watchers() == []


def test_a_library_imported_from_another_thread_while_a_stub_is_active_is_covered(
    fake: list[tuple[object, ...]],
) -> None:
    with ConnectStub():
        thread = threading.Thread(target=_import_library)
        thread.start()
        thread.join()
        assert fake == [("install", True)]


def test_a_library_never_imported_costs_no_import_and_no_finder_after_the_stub(
    fake: list[tuple[object, ...]],
) -> None:
    with ConnectStub():
        assert len(_watchers()) == 1
        with ConnectStub():  # nested stubs share the one watcher
            assert len(_watchers()) == 1
    assert LIBRARY not in sys.modules
    assert _watchers() == []
    assert fake == []


def test_a_library_imported_after_the_stub_stopped_gets_no_transport(
    fake: list[tuple[object, ...]],
) -> None:
    with ConnectStub():
        pass
    _import_library()
    assert fake == []
    with ConnectStub():
        assert fake == [("install", True)]
    assert fake == [("install", True), ("uninstall",)]


def test_a_library_that_fails_to_import_under_a_stub_fails_as_it_would_without(
    fake: list[tuple[object, ...]], tmp_path: Path
) -> None:
    (tmp_path / LIBRARY / "part.py").write_text("raise ImportError('part is broken')\n")
    with ConnectStub(), pytest.raises(ImportError, match="part is broken"):
        _import_library()
    assert fake == []


#: A library whose import takes a while (another thread is importing it), and its transport,
#: which imports it as every transport imports its library.
SLOW_LIBRARY = """
import builtins
builtins.connect_stub_slow_started.set()
builtins.connect_stub_slow_go.wait(5)
"""
DEADLOCK_CHECK = """
import builtins, sys, threading
sys.path.insert(0, {folder!r})
builtins.connect_stub_slow_started = threading.Event()
builtins.connect_stub_slow_go = threading.Event()
from pytest_connect_stub import ConnectStub, transports
transports.OPTIONAL["slow_library"] = "slow_transport"
first = ConnectStub().start()
threading.Thread(target=__import__, args=("slow_library",), daemon=True).start()
builtins.connect_stub_slow_started.wait(5)
first.stop()
threading.Timer(0.5, builtins.connect_stub_slow_go.set).start()
done = threading.Event()
def second():
    with ConnectStub():
        pass
    done.set()
threading.Thread(target=second, daemon=True).start()
print("finished" if done.wait(10) else "deadlocked")
"""


def test_a_stub_started_while_another_thread_imports_a_watched_library_does_not_deadlock(
    tmp_path: Path,
) -> None:
    # A stub was active when the other thread began the import (so its loader is watched),
    # then stopped, and a second stub starts before the import completes. In a subprocess:
    # a deadlock would hold the transports lock in this process for good.
    import subprocess

    (tmp_path / "slow_library.py").write_text(SLOW_LIBRARY)
    (tmp_path / "slow_transport.py").write_text(
        "import slow_library\n\ndef install():\n    pass\n\ndef uninstall():\n    pass\n"
    )
    script = DEADLOCK_CHECK.format(folder=str(tmp_path))
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60
    )
    assert result.stdout.strip() == "finished", result.stderr
