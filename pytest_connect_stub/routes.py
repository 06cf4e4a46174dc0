"""Routing: which Connect operation a request's method and path address.

The URI templates come from the installed model, so a request for any other Connect
operation is recognized (and answered as not stubbed) rather than misread.
"""

from __future__ import annotations

import functools
import re
from typing import NamedTuple

from .model import OPERATION_NAME, service_model


class _Route(NamedTuple):
    method: str
    pattern: re.Pattern[str]
    operation: str
    #: How many characters of the template are literal: the most literal match wins.
    literal: int


@functools.cache
def _routes() -> tuple[_Route, ...]:
    routes = []
    for name in service_model().operation_names:
        http = service_model().operation_model(name).http
        uri = http["requestUri"].split("?", 1)[0]
        regex = re.sub(
            r"\\\{([A-Za-z0-9_]+)(\\\+)?\\\}",
            lambda m: f"(?P<{m.group(1)}>{'.+' if m.group(2) else '[^/]*'})",
            re.escape(uri),
        )
        literal = len(re.sub(r"\{[^}]*\}", "", uri))
        routes.append(_Route(http["method"], re.compile(regex + "$"), name, literal))
    # BatchPutContact is tried first (the hot path); elsewhere the most literal template wins.
    return tuple(
        sorted(routes, key=lambda route: (route.operation != OPERATION_NAME, -route.literal))
    )


def operation_for(method: str, path: str) -> tuple[str, dict[str, str]] | None:
    """The Connect operation a request's method and path address, with its raw path values."""
    for route in _routes():
        match = route.pattern.search(path) if route.method == method else None
        if match is not None:
            return route.operation, match.groupdict()
    return None
