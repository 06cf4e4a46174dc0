"""pytest-connect-stub: Amazon Connect's BatchPutContact, stubbed behind botocore's real pipeline.

The public names load on first use, so that pytest loading the plugin (which imports this
package first) costs next to nothing; botocore and jsonschema-rs load with the first stub.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .calls import Call
    from .server import ConnectStubServer
    from .service import Contact
    from .stub import ConnectStub

__all__ = ["Call", "ConnectStub", "ConnectStubServer", "Contact"]
__version__ = "0.1.0"

_HOMES = {
    "Call": ".calls",
    "ConnectStub": ".stub",
    "ConnectStubServer": ".server",
    "Contact": ".service",
}


def __getattr__(name: str) -> Any:
    if name in _HOMES:
        return getattr(importlib.import_module(_HOMES[name], __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
