"""``connect-stub serve`` and ``python -m pytest_connect_stub serve``, as a script runs them."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from serving import LOOPBACK, control, send

from pytest_connect_stub import ConnectStubServer, options
from pytest_connect_stub.__main__ import main
from pytest_connect_stub.contacts import ContactIds

pytestmark = LOOPBACK

#: How each command is run -> the name it calls itself in its messages.
COMMANDS = {
    "connect-stub": ([str(Path(sys.executable).with_name("connect-stub"))], "connect-stub"),
    "python -m": ([sys.executable, "-m", "pytest_connect_stub"], "python -m pytest_connect_stub"),
}


@pytest.fixture(params=list(COMMANDS))
def command(request: pytest.FixtureRequest) -> list[str]:
    return COMMANDS[request.param][0]


def _prog(command: list[str]) -> str:
    return next(prog for argv, prog in COMMANDS.values() if argv == command)


def _serve(command: list[str], *arguments: str) -> tuple[subprocess.Popen[str], str]:
    """Start the server as a script does; its process and the URL it printed."""
    process = subprocess.Popen(
        [*command, "serve", *arguments],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    return process, process.stdout.readline().strip()


@pytest.fixture
def served(command: list[str]) -> Iterator[tuple[subprocess.Popen[str], str]]:
    process, url = _serve(
        command,
        "--port=0",
        "--strict",
        "--instances",
        '{"inst-1": ["queue-1"]}',
        "--seed",
        "7",
        "--disable-rules",
        "MISSING_CAMPAIGN",
    )
    yield process, url
    if process.poll() is None:  # pragma: no cover - only when the test failed early
        process.kill()
        process.communicate()


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_serve_prints_its_url_and_stops_cleanly_on_a_signal(
    served: tuple[subprocess.Popen[str], str], command: list[str], signum: int
) -> None:
    process, url = served
    assert url.startswith("http://127.0.0.1:")
    assert url != "http://127.0.0.1:0"
    assert send(f"{url}/_connect_stub/calls")[::2] == (200, [])

    process.send_signal(signum)
    out, err = process.communicate(timeout=20)

    assert process.returncode == 0
    assert out == ""  # the URL was the only line
    assert err == f"{_prog(command)}: serving BatchPutContact at {url}; Ctrl-C stops it.\n"


def test_the_stub_options_given_on_the_command_line_apply(
    served: tuple[subprocess.Popen[str], str],
) -> None:
    process, url = served
    item = {
        "RequestIdentifier": "req-1",
        "CustomerEndpoint": {"Type": "TELEPHONE_NUMBER", "Address": "+15550100"},
        "QueueId": "queue-1",  # no Campaign: its rule is disabled
    }
    body = json.dumps({"ContactDataRequestList": [item]})
    status, _, answer = send(f"{url}/contact/batch/inst-1", "PUT", body)
    assert status == 200
    assert answer["SuccessfulRequestList"][0]["ContactId"] == ContactIds(7).take(1)[0]
    status, headers, _ = send(f"{url}/contact/batch/inst-2", "PUT", body)  # strict
    assert (status, headers["x-amzn-ErrorType"]) == (404, "ResourceNotFoundException")
    process.terminate()
    process.communicate(timeout=20)


def test_a_port_in_use_is_one_line_and_status_1(command: list[str]) -> None:
    with ConnectStubServer() as taken:
        port = taken.endpoint_url.rsplit(":", 1)[1]
        result = subprocess.run(
            [*command, "serve", "--port", port], capture_output=True, text=True, timeout=60
        )
    assert result.returncode == 1
    assert result.stdout == ""
    assert f"cannot listen on 127.0.0.1:{port}: " in result.stderr
    assert len(result.stderr.splitlines()) == 1  # no traceback


# --- the same command line in-process (what coverage measures) ------------------------------


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--seed", '"seven"'], "seed must be an int or None, not 'seven'"),
        (["--seed", "seven"], "argument --seed: not a JSON value: 'seven'"),
        (["--disable-rules", "MISSING_CAMPAIGNS"], "Did you mean 'MISSING_CAMPAIGN'?"),
        (["--stirct"], "unrecognized arguments: --stirct"),
        (["--port", "70000"], "port must be a whole number from 0 to 65535, not 70000"),
    ],
)
def test_bad_arguments_exit_2_with_one_message(
    capsys: pytest.CaptureFixture[str], arguments: list[str], message: str
) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["serve", *arguments])
    assert exited.value.code == 2
    assert message in capsys.readouterr().err


def test_no_command_prints_the_help(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    assert "serve     serve the stub on a local HTTP endpoint" in capsys.readouterr().err


def test_every_stub_option_is_a_flag_with_its_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["serve", "--help"])
    shown = " ".join(capsys.readouterr().out.split())
    for field in options.fields():
        flag = "--" + field.name.replace("_", "-")
        assert flag in shown
        assert field.metadata["help"] in shown
    assert "--strict, --no-strict" in shown


class _FirstLine:
    """Standard output that tells when the first line was written."""

    def __init__(self) -> None:
        self.text = ""
        self.written = threading.Event()

    def write(self, text: str) -> int:
        self.text += text
        self.written.set()
        return len(text)

    def flush(self) -> None:
        pass


def test_main_serves_until_sigterm_and_restores_the_signal_handlers(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    if threading.current_thread() is not threading.main_thread():  # pragma: no cover
        pytest.skip("signal handlers can be set only from the main thread")
    stdout = _FirstLine()
    monkeypatch.setattr(sys, "stdout", stdout)
    before = signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT)
    seen: list[Any] = []

    def client() -> None:
        stdout.written.wait(20)
        url = stdout.text.strip()
        seen.append(control(url, "raise_error", code="InternalServiceException"))
        os.kill(os.getpid(), signal.SIGTERM)

    thread = threading.Thread(target=client)
    thread.start()
    assert main(["serve", "--port", "0", "--no-assert-all-used"], prog="connect-stub") == 0
    thread.join(20)

    assert seen == [(200, {})]
    assert (signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT)) == before
