"""Noticing that a library was imported while a stub is active.

Python has no post-import hook, so a finder goes first on ``sys.meta_path`` while stubs are
active and some optional transport's library is not imported yet. It answers nothing itself:
for a watched module name it asks the other finders for the spec and wraps the loader, so
that the transport is installed right after the module's code has run. The module keeps its
real loader (it is put back before anything else sees the module), and every other import
costs one dict lookup.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping, Sequence
from importlib.abc import Loader
from importlib.machinery import ModuleSpec
from types import ModuleType
from typing import Any


class ImportWatcher:
    """A meta path finder that calls ``imported(name)`` once a watched module has loaded."""

    def __init__(self, names: Mapping[str, object], imported: Callable[[str], None]) -> None:
        self.names = names
        self.imported = imported

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> ModuleSpec | None:
        """The spec the other finders give for a watched name, its loader wrapped; else None."""
        if fullname not in self.names:
            return None
        for finder in list(sys.meta_path):
            find = getattr(finder, "find_spec", None)
            if finder is self or find is None:
                continue
            spec: ModuleSpec | None = find(fullname, path, target)
            if spec is not None:
                if spec.loader is not None and hasattr(spec.loader, "exec_module"):
                    spec.loader = _Loader(spec.loader, fullname, self.imported)
                return spec
        return None


class _Loader(Loader):
    """Runs the real loader, puts it back on the module, then reports the import."""

    def __init__(self, loader: Any, name: str, imported: Callable[[str], None]) -> None:
        self._loader = loader
        self._name = name
        self._imported = imported

    def create_module(self, spec: ModuleSpec) -> ModuleType | None:
        module: ModuleType | None = self._loader.create_module(spec)
        return module

    def exec_module(self, module: ModuleType) -> None:
        # The module's own loader from the start: its code may look at __loader__ or
        # __spec__.loader (resources, source), and nothing of ours stays behind.
        module.__loader__ = self._loader
        if module.__spec__ is not None:
            module.__spec__.loader = self._loader
        self._loader.exec_module(module)
        self._imported(self._name)

    def __getattr__(self, name: str) -> Any:  # is_package, get_source, resource readers
        return getattr(self._loader, name)


_watcher: ImportWatcher | None = None


def watch(names: Mapping[str, object], imported: Callable[[str], None]) -> None:
    """Go first on ``sys.meta_path`` until :func:`unwatch`, reporting imports of ``names``."""
    global _watcher
    if _watcher is None:
        _watcher = ImportWatcher(names, imported)
    if all(finder is not _watcher for finder in sys.meta_path):
        sys.meta_path.insert(0, _watcher)


def unwatch() -> None:
    """Take the watcher off ``sys.meta_path`` (wherever others' finders moved it)."""
    if _watcher is not None:
        sys.meta_path[:] = [finder for finder in sys.meta_path if finder is not _watcher]
