"""The AWS SDK for JavaScript v3 against ``connect_stub_server``: the README's example, run.

It needs ``node`` and ``@aws-sdk/client-connect`` in ``build/js`` (``.ci/run`` installs it
there). Without node it skips; with node but without the package it skips saying how to
install it, and ``.ci/run`` fails a run where it skipped although node was there.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from serving import LOOPBACK

from pytest_connect_stub import ConnectStubServer

ROOT = Path(__file__).parent.parent
MODULES = ROOT / "build" / "js" / "node_modules"
INSTALL = 'npm install --prefix build/js "@aws-sdk/client-connect@^3"'
README = (ROOT / "README.md").read_text(encoding="utf-8")
[EXAMPLE] = re.findall(r"```js\n(.*?)```", README, flags=re.DOTALL)

pytestmark = [
    LOOPBACK,
    pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed"),
]


def test_the_readme_javascript_example_passes(
    connect_stub_server: ConnectStubServer, tmp_path: Path
) -> None:
    if not (MODULES / "@aws-sdk" / "client-connect").is_dir():
        pytest.skip(f"@aws-sdk/client-connect is not installed; from the repository: {INSTALL}")
    script = tmp_path / "dial.test.cjs"
    script.write_text(EXAMPLE, encoding="utf-8")
    environment = {
        **os.environ,
        "NODE_PATH": str(MODULES),
        "CONNECT_STUB_URL": connect_stub_server.endpoint_url,
    }

    result = subprocess.run(
        ["node", str(script)], env=environment, capture_output=True, text=True, timeout=120
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout == "ok\n"
    # What JavaScript did, seen from Python: its retries, and the 26 items refused.
    calls = connect_stub_server.stub.calls
    assert [(c.attempt, c.status_code) for c in calls[:3]] == [(1, 429), (2, 429), (3, 200)]
    assert calls[0].headers["user-agent"].startswith("aws-sdk-js/3.")
    assert calls[3].error_code == "InvalidRequestException"
    assert "Member must have length less than or equal to 25" in (calls[3].error_message or "")
