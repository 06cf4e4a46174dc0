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
        self.layers: list[tuple[Any, Any]] = []  # (layer, what it replaced)

    def _below(self, value: Any) -> tuple[bool, Any]:
        for layer, below in self.layers:
            if layer is value:
                return True, below
        return False, None

    def lay(self) -> None:
        """Put a layer on top, unless one of ours is on top already."""
        value = getattr(self.owner, self.name)
        if self._below(value)[0]:
            return
        # A layer made over this very value before behaves as a new one would, and reusing
        # it keeps the list as short as the number of foreign patches we were laid on.
        layer = next((layer for layer, below in self.layers if below is value), None)
        if layer is None:
            layer = self.make(value)
            self.layers.append((layer, value))
        setattr(self.owner, self.name, layer)

    def lift(self) -> None:
        """Take our layers off the top; a patch someone laid on top of them stays."""
        while True:
            ours, below = self._below(getattr(self.owner, self.name))
            if not ours:
                return
            setattr(self.owner, self.name, below)
