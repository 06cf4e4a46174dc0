"""Defects found reviewing the orjson reader and writer and the call log kept as bytes.

Each test fails on the commits reviewed and states what a user would see instead.
"""

from __future__ import annotations

import configparser
from pathlib import Path

from packaging.requirements import Requirement

ROOT = Path(__file__).parent.parent


def _install_requires() -> list[Requirement]:
    config = configparser.ConfigParser()
    config.read(ROOT / "setup.cfg", encoding="utf-8")
    lines = config["options"]["install_requires"].splitlines()
    return [Requirement(line) for line in lines if line.strip()]


def test_no_orjson_the_package_admits_crashes_on_a_deeply_nested_body() -> None:
    # orjson before 3.9.15 has no nesting limit on loads() (CVE-2024-27454): a request body
    # of some 150,000 nested arrays (300 kB) overflows the C stack and kills the interpreter,
    # the whole pytest run with it (and, in server mode, any local client can send one).
    # 3.9.15 refuses past 1024 levels with a JSONDecodeError, which the stub already handles.
    [orjson] = [r for r in _install_requires() if r.name == "orjson"]
    crashing = [v for v in ("3.9.0", "3.9.10", "3.9.14") if orjson.specifier.contains(v)]
    assert crashing == [], f"setup.cfg admits orjson {crashing} ({orjson})"
