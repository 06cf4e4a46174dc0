"""The README's examples run as a user's tests, so the docs cannot rot."""

from __future__ import annotations

import re
from pathlib import Path

import boto3
import pytest

ROOT = Path(__file__).parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
PYTHON_BLOCKS = re.findall(r"```python\n(.*?)```", README, flags=re.DOTALL)
# An async test needs the user's runner; an indented one is a unittest.TestCase method.
TEST = re.compile(r"\n[ ]*(?:async )?def test_")
TEST_BLOCKS = [block for block in PYTHON_BLOCKS if TEST.search(block)]


def test_every_python_example_is_a_test() -> None:
    assert len(TEST_BLOCKS) == len(PYTHON_BLOCKS) >= 6


# Loopback only, for the server examples: the user's run blocks sockets again for the others.
@pytest.mark.allow_hosts(["127.0.0.1"])
@pytest.mark.parametrize("block", TEST_BLOCKS, ids=lambda b: re.findall(r"def (test_\w+)", b)[0])
def test_readme_example_passes(
    user: pytest.Pytester, block: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # As a reader copies it: no variable keeps a credential lookup off the network, and a
    # default session of the reader's own, which no earlier test configured.
    monkeypatch.delenv("AWS_EC2_METADATA_DISABLED")
    monkeypatch.setattr(boto3, "DEFAULT_SESSION", None)
    if "import aiobotocore" in block:  # the async example runs where aiobotocore is installed
        pytest.importorskip(
            "aiobotocore", reason="needs aiobotocore (pip install ...[aiobotocore])"
        )
        pytest.importorskip("anyio", reason="needs aiobotocore's httpx extra or anyio")
    if "from awscli" in block:  # the AWS CLI pins botocore: not in every environment CI has
        pytest.importorskip("awscli", reason="needs the AWS CLI (pip install awscli)")
    user.makepyfile(block)
    result = user.runpytest()
    result.assert_outcomes(passed=len(TEST.findall(block)))


def test_ci_runs_both_readme_commands_verbatim_in_a_bare_environment() -> None:
    commands = re.findall(r"```sh\n(.*?)\n```", README, flags=re.DOTALL)
    assert commands[0].endswith("pytest examples")
    assert commands[1].endswith("coverage report")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    ci_lines = [line.strip() for line in ci.splitlines()]
    for command in commands[:2]:
        assert f"{command} || exit 1" in ci_lines
    # An AWS or pip variable CI sets, which a user does not have, hides what the user
    # meets first (instance-metadata lookups, unpinned versions).
    assert re.findall(r"\b(?:AWS|PIP)_\w*=", ci) == []


def test_the_readme_teardown_message_is_what_users_see(user: pytest.Pytester) -> None:
    block = next(
        b for b in re.findall(r"```text\n(.*?)```", README, flags=re.DOTALL) if "not used up" in b
    )
    user.makepyfile(
        """
        def test_forgot(connect_stub):
            connect_stub.fail("req-9", "INVALID_QUEUE")
        """
    )
    result = user.runpytest()
    for line in block.strip().splitlines():
        assert line in result.stdout.lines


def test_the_readme_validation_message_is_what_users_see(user: pytest.Pytester) -> None:
    from botocore.loaders import Loader

    shapes = Loader().load_service_model("connect", "service-2")["shapes"]
    if "EMAIL_ADDRESS" not in shapes["EndpointType"]["enum"]:
        pytest.skip("the README shows the EndpointType values of a newer botocore")
    block = next(
        b
        for b in re.findall(r"```text\n(.*?)```", README, flags=re.DOTALL)
        if "validation errors" in b
    )
    user.makepyfile(
        """
        import pytest

        def test_bad(connect_stub, client, item):
            items = [
                item("x" * 81),
                item("req-2", CustomerEndpoint={"Type": "FAX", "Address": "+15550100"}),
            ]
            with pytest.raises(client.exceptions.InvalidRequestException) as raised:
                client.batch_put_contact(InstanceId="inst-1", ContactDataRequestList=items)
            print()
            print(raised.value.response["Error"]["Message"])
        """
    )
    result = user.runpytest("-s")
    result.assert_outcomes(passed=1)
    assert block.strip() in result.stdout.lines
