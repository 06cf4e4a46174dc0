"""The README's examples run as a user's tests, so the docs cannot rot."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
PYTHON_BLOCKS = re.findall(r"```python\n(.*?)```", README, flags=re.DOTALL)
TEST_BLOCKS = [block for block in PYTHON_BLOCKS if "\ndef test_" in block]


def test_every_python_example_is_a_test() -> None:
    assert len(TEST_BLOCKS) == len(PYTHON_BLOCKS) >= 6


@pytest.mark.parametrize("block", TEST_BLOCKS, ids=lambda b: re.findall(r"def (test_\w+)", b)[0])
def test_readme_example_passes(user: pytest.Pytester, block: str) -> None:
    user.makepyfile(block)
    result = user.runpytest()
    result.assert_outcomes(passed=block.count("\ndef test_"))


def test_ci_runs_the_readme_test_command() -> None:
    commands = re.findall(r"```sh\n(.*?)\n```", README, flags=re.DOTALL)
    assert commands[0].endswith("pytest examples")
    ci_lines = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert f"{commands[1]} || exit 1" in ci_lines
