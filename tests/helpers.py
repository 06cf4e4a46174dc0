"""Small helpers the test modules share."""

from __future__ import annotations

import re
from typing import Any, Protocol

import botocore.loaders
import botocore.session
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


_LOADER = botocore.loaders.create_loader()


def fresh_session() -> botocore.session.Session:
    """A new botocore session, with its own credentials and config, that reuses loaded models.

    A session loads botocore's JSON models afresh (about a fifth of a second); the tests that
    need a session of their own, for its credentials, share one loader, which holds only
    model data.
    """
    session = botocore.session.get_session()
    session.register_component("data_loader", _LOADER)
    return session
