"""What the server tests share: a client over real HTTP, and the control API from outside."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any

import boto3
import pytest

#: Server tests talk to 127.0.0.1 only; pytest-socket keeps every other host blocked.
LOOPBACK = pytest.mark.allow_hosts(["127.0.0.1"])

#: Fake keys: a client pointed at the server signs with them, and the server ignores them.
FAKE_KEYS = {"aws_access_key_id": "AKIDSERVERTEST", "aws_secret_access_key": "not-a-secret"}


def http_client(endpoint_url: str | None = None, **config: Any) -> Any:
    """A boto3 Connect client that sends real HTTP (to ``endpoint_url`` when given)."""
    from botocore.config import Config

    extra = {"endpoint_url": endpoint_url} if endpoint_url is not None else {}
    return boto3.client(
        "connect",
        region_name="us-east-1",
        config=Config(**config) if config else None,
        **FAKE_KEYS,
        **extra,
    )


#: Straight to the server, whatever proxy the environment names.
_DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def send(
    url: str, method: str = "GET", body: bytes | str | None = None
) -> tuple[int, dict[str, str], Any]:
    """An HTTP request as any client in any language makes it: status, headers, JSON."""
    data = body.encode() if isinstance(body, str) else body
    request = urllib.request.Request(url, data=data, method=method)
    try:
        with _DIRECT.open(request, timeout=30) as response:
            return response.status, dict(response.headers), json.loads(response.read())
    except urllib.error.HTTPError as error:
        with error:
            return error.code, dict(error.headers), json.loads(error.read())


def control(server_url: str, method: str, **arguments: Any) -> tuple[int, Any]:
    """``POST /_connect_stub/<method>`` with the arguments as a JSON object."""
    status, _, document = send(
        f"{server_url}/_connect_stub/{method}", "POST", json.dumps(arguments)
    )
    return status, document
