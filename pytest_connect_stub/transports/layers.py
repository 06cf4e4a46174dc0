"""Patches that survive other patches: each is a layer that remembers what it replaced.

A library's attribute (``Endpoint._send``, a signer method, a module's ``time``) gets a
layer made by the transport; the layer answers while a stub is active and otherwise hands
every call to what it replaced. Lifting takes only our layers off the top, so a user's
``mock.patch`` laid over ours stays, and whatever order patches come and go in, the
attribute ends as it was.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


class PatchPoint:
    """One attribute a transport patches, and the layers the stub laid on it.

    Each layer remembers what it replaced (``below``) and passes through to it when no stub
    is active, so it works whatever state it finds. Never the same layer over two different
    values: a patch laid on top of ours (``mock.patch``) may later put ours back, and ours
    must then still lead to what was below it, not to that patch. A layer's ``below`` is
    older than the layer, so no chain of them can loop.
    """

    def __init__(self, owner: Any, name: str, make: Callable[[Any], Any]) -> None:
        self.owner = owner
        self.name = name
        self.make = make
        # Keyed by id(), each entry holding the object itself, so identity is what counts
        # (a user's patch may define __eq__ or be unhashable) and starting a stub stays cheap.
        self._below_of: dict[int, tuple[Any, Any]] = {}  # id(layer) -> (layer, below)
        self._layer_over: dict[int, tuple[Any, Any]] = {}  # id(below) -> (below, layer)

    def _below(self, value: Any) -> tuple[bool, Any]:
        entry = self._below_of.get(id(value))
        if entry is not None and entry[0] is value:
            return True, entry[1]
        return False, None

    def lay(self) -> None:
        """Put a layer on top, unless one of ours is on top already."""
        value = getattr(self.owner, self.name)
        if self._below(value)[0]:
            return
        # A layer made over this very value before behaves as a new one would, and reusing
        # it keeps the layers as few as the foreign patches we were laid on.
        entry = self._layer_over.get(id(value))
        if entry is not None and entry[0] is value:
            layer = entry[1]
        else:
            layer = self.make(value)
            self._below_of[id(layer)] = (layer, value)
            self._layer_over[id(value)] = (value, layer)
        setattr(self.owner, self.name, layer)

    def lift(self) -> None:
        """Take our layers off the top; a patch someone laid on top of them stays."""
        while True:
            ours, below = self._below(getattr(self.owner, self.name))
            if not ours:
                return
            setattr(self.owner, self.name, below)
