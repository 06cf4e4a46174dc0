"""Shared fixtures: a user's project for pytester, with no AWS credentials anywhere."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
import responses  # noqa: F401  (kept whole for pytester runs: see below)
from helpers import ItemFactory, contact_item

# pytester's in-process runs drop modules first imported inside them; importing botocore and
# the stub's lazily loaded modules here keeps one copy of each for the whole session, as in
# a user's process.
import pytest_connect_stub.transports.botocore  # noqa: F401

# The same for requests, responses and moto, which the README's examples and users' runs
# import (importing moto adds its before-send handler to every client made afterwards, as
# it does in a user's process). CI's oldest-botocore environment runs without moto.
with contextlib.suppress(ImportError):
    import moto  # noqa: F401

pytest_plugins = ["pytester"]

#: Plugins a user's run does without (random order, and plugins whose per-run imports pytester
#: would drop and redo on every in-process run); network sockets stay blocked there too.
INNER_OPTIONS = (
    "-p no:randomly -p no:cacheprovider -p no:hypothesispytest -p no:xdist "
    "--disable-socket --allow-unix-socket"
)

#: Written as the user's conftest.py: what a team's own suite would have.
USER_CONFTEST = """
import boto3
import pytest


@pytest.fixture
def client(connect_stub):
    # Made while the stub is active: botocore looks no credentials up for it.
    return boto3.client("connect", region_name="us-east-1")


@pytest.fixture
def item():
    def make(request_identifier="req-1", **fields):
        made = {
            "RequestIdentifier": request_identifier,
            "CustomerEndpoint": {"Type": "TELEPHONE_NUMBER", "Address": "+15550100"},
            "QueueId": "queue-1",
            "Campaign": {"CampaignId": "campaign-1"},
        }
        made.update(fields)
        return {key: value for key, value in made.items() if value is not None}
    return make
"""


@pytest.fixture(autouse=True)
def no_credentials(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """No credential in the environment or in files, and no instance-metadata lookups."""
    for name in list(os.environ):
        # AWS_DATA_PATH is no credential: importing awscli sets it to the CLI's own data,
        # which the in-process CLI driver then needs, as in a user's process.
        if name.startswith("AWS_") and name != "AWS_DATA_PATH":
            monkeypatch.delenv(name)
    missing = tmp_path_factory.mktemp("aws") / "missing"
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(missing))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(missing))
    # Many tests here make a client before any stub starts (module-level clients, clients
    # of other threads, clients made before the stub on purpose): botocore looks those
    # credentials up at creation, and its last resort is the instance-metadata service,
    # over the network. Clients made while a stub is active look nothing up, and the tests
    # that prove it (test_credentials.py, and examples/, which has no such fixture) run
    # without this variable.
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    # On CI, pytest prints whole messages in its short summary too; the user's runs here
    # should print as on a developer's machine, wherever this suite runs.
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.delenv("BUILD_NUMBER", raising=False)


@pytest.fixture
def user(pytester: pytest.Pytester) -> Iterator[pytest.Pytester]:
    """A user's project: their conftest with a Connect client and an item factory."""
    pytester.makeconftest(USER_CONFTEST)
    pytester.makeini(f"[pytest]\naddopts = {INNER_OPTIONS}\n")
    yield pytester


@pytest.fixture
def client() -> Any:
    """A boto3 Connect client, as the user's conftest has (for in-process tests)."""
    return boto3.client("connect", region_name="us-east-1")


@pytest.fixture
def item() -> ItemFactory:
    """Makes valid ContactDataRequests, as the user's conftest has (for in-process tests)."""
    return contact_item
