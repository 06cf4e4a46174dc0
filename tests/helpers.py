"""Small helpers the test modules share."""

from __future__ import annotations

import re
from typing import Any, Protocol

import pytest


def literal(line: str) -> str:
    """An fnmatch pattern matching exactly ``line`` (for ``fnmatch_lines``)."""
    return re.sub(r"([*?\[])", r"[\1]", line)


def add_ini_lines(user: pytest.Pytester, lines: str) -> None:
    """Add suite-wide options to the ini file the ``user`` fixture wrote."""
    ini = user.path / "tox.ini"
    ini.write_text(ini.read_text().rstrip("\n") + "\n" + lines)


class ItemFactory(Protocol):
    """The ``item`` fixture: a valid ContactDataRequest, with fields replaced or dropped."""

    def __call__(self, request_identifier: str = "req-1", **fields: Any) -> dict[str, Any]: ...


def contact_item(request_identifier: str = "req-1", **fields: Any) -> dict[str, Any]:
    """A ContactDataRequest every default rule accepts; a field set to None is left out."""
    made: dict[str, Any] = {
        "RequestIdentifier": request_identifier,
        "CustomerEndpoint": {"Type": "TELEPHONE_NUMBER", "Address": "+15550100"},
        "QueueId": "queue-1",
        "Campaign": {"CampaignId": "campaign-1"},
    }
    made.update(fields)
    return {key: value for key, value in made.items() if value is not None}
