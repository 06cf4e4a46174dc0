"""Small helpers the test modules share."""

from __future__ import annotations

import re

import pytest


def literal(line: str) -> str:
    """An fnmatch pattern matching exactly ``line`` (for ``fnmatch_lines``)."""
    return re.sub(r"([*?\[])", r"[\1]", line)


def add_ini_lines(user: pytest.Pytester, lines: str) -> None:
    """Add suite-wide options to the ini file the ``user`` fixture wrote."""
    ini = user.path / "tox.ini"
    ini.write_text(ini.read_text().rstrip("\n") + "\n" + lines)
