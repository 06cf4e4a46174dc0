"""Real clients no one here wrote, driven as subprocesses against ``connect_stub_server``.

The AWS CLI (in the test extra; the run on the oldest botocore leaves it out). boto3 with an
endpoint URL is in test_server.py; the JavaScript SDK in test_server_node.py.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from helpers import contact_item
from serving import LOOPBACK

from pytest_connect_stub import ConnectStubServer

# Looked up, not imported: importing awscli sets AWS_DATA_PATH in this process's
# environment, which the suite clears before each test, and the in-process CLI test of
# test_interception.py needs it set by its own import.
pytestmark = [
    LOOPBACK,
    pytest.mark.skipif(
        importlib.util.find_spec("awscli") is None,
        reason="the AWS CLI is not installed (pip install awscli)",
    ),
]


def aws(server: ConnectStubServer, items: Path, *options: str) -> subprocess.CompletedProcess[str]:
    """``aws connect batch-put-contact`` as a shell script runs it, with fake keys of its own."""
    environment = {
        **os.environ,
        "AWS_ACCESS_KEY_ID": "AKIDCLITEST",
        "AWS_SECRET_ACCESS_KEY": "not-a-secret",
        "AWS_DEFAULT_REGION": "us-east-1",
    }
    command = [sys.executable, "-m", "awscli", "connect", "batch-put-contact"]
    command += ["--instance-id", "inst-1", "--contact-data-request-list", f"file://{items}"]
    command += ["--endpoint-url", server.endpoint_url, "--output", "json", *options]
    return subprocess.run(command, env=environment, capture_output=True, text=True, timeout=120)


def _items(tmp_path: Path, *items: dict[str, Any]) -> Path:
    path = tmp_path / "items.json"
    path.write_text(json.dumps(list(items)))
    return path


def test_the_aws_cli_creates_contacts(
    connect_stub_server: ConnectStubServer, tmp_path: Path
) -> None:
    connect_stub_server.stub.fail("req-2", "INVALID_QUEUE", message="queue off")

    result = aws(
        connect_stub_server, _items(tmp_path, contact_item("req-1"), contact_item("req-2"))
    )

    assert result.returncode == 0, result.stderr
    output = json.loads(result.stdout)
    [created] = output["SuccessfulRequestList"]
    assert output["FailedRequestList"] == [
        {
            "RequestIdentifier": "req-2",
            "FailureReasonCode": "INVALID_QUEUE",
            "FailureReasonMessage": "queue off",
        }
    ]
    assert created["ContactId"] in connect_stub_server.stub.contacts
    [call] = connect_stub_server.stub.calls
    assert call.headers["user-agent"].startswith("aws-cli/")
    assert call.headers["authorization"] == "<redacted>"


def test_the_aws_cli_reports_a_scripted_error(
    connect_stub_server: ConnectStubServer, tmp_path: Path
) -> None:
    connect_stub_server.stub.raise_error("ResourceNotFoundException", "no such instance")

    result = aws(connect_stub_server, _items(tmp_path, contact_item()))

    assert result.returncode != 0  # 255 from the CLI v1, 254 from v2
    assert result.stderr.strip() == (
        "An error occurred (ResourceNotFoundException) when calling the BatchPutContact "
        "operation: no such instance"
    )


def test_the_aws_cli_gets_the_validation_botocore_skips(
    connect_stub_server: ConnectStubServer, tmp_path: Path
) -> None:
    result = aws(connect_stub_server, _items(tmp_path, *[contact_item(f"r{n}") for n in range(26)]))

    assert result.returncode != 0  # 255 from the CLI v1, 254 from v2
    assert "(InvalidRequestException)" in result.stderr
    assert "Member must have length less than or equal to 25" in result.stderr


def test_the_readme_shell_example_scripts_a_failure_with_curl(tmp_path: Path) -> None:
    if shutil.which("curl") is None:  # pragma: no cover - curl is on CI's machine
        pytest.skip("curl is not installed")
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    [script] = [b for b in re.findall(r"```sh\n(.*?)```", readme, re.DOTALL) if "curl" in b]
    # The venv's connect-stub and aws first on PATH, as in an activated environment.
    path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"

    result = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", script],
        cwd=tmp_path,
        env={**os.environ, "PATH": path},
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stderr
    # Three JSON documents, one after the other: curl's, the CLI's, curl's.
    scripted, answer, calls = _documents(result.stdout)
    assert scripted == {}
    assert answer["FailedRequestList"] == [
        {
            "RequestIdentifier": "req-2",
            "FailureReasonCode": "INVALID_QUEUE",
            "FailureReasonMessage": "queue disabled",
        }
    ]
    [call] = calls
    assert (call["instance_id"], call["status_code"]) == ("inst-1", 200)


def _documents(text: str) -> list[Any]:
    decoder, documents, at = json.JSONDecoder(), [], 0
    while text[at:].strip():
        at += len(text[at:]) - len(text[at:].lstrip())
        document, at = decoder.raw_decode(text, at)
        documents.append(document)
    return documents
