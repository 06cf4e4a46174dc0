"""pytest-connect-stub: Amazon Connect's BatchPutContact, stubbed behind botocore's real pipeline.

Importing this package is cheap: botocore and jsonschema load with the first ConnectStub.
"""

from __future__ import annotations

from .calls import Call
from .service import Contact
from .stub import ConnectStub

__all__ = ["Call", "ConnectStub", "Contact"]
__version__ = "0.1.0"
