"""Credentials: a Connect client made while a stub is active looks none up until it needs them.

botocore runs its credential chain when a client is created, and the chain's last resort is
the instance-metadata service over the network. Here the user's runs have no ``AWS_*``
variable at all, so nothing hides a lookup; a ``credential_process`` that leaves a marker
file shows whether, and when, the chain ran.
"""

from __future__ import annotations

import contextlib
import copy
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from unittest import mock

import boto3
import botocore.session
import pytest
from botocore import UNSIGNED
from botocore.config import Config
from botocore.credentials import Credentials
from botocore.exceptions import NoCredentialsError

from pytest_connect_stub import ConnectStub

ITEM: dict[str, Any] = {
    "RequestIdentifier": "req-1",
    "CustomerEndpoint": {"Type": "TELEPHONE_NUMBER", "Address": "+15550100"},
    "QueueId": "queue-1",
    "Campaign": {"CampaignId": "campaign-1"},
}

#: The credential process: notes each run in the marker file, then hands out its keys.
PROCESS = """
import json, sys
with open(sys.argv[1], "a") as marker:
    marker.write("ran\\n")
print(json.dumps({"Version": 1, "AccessKeyId": "AKIDFROMPROCESS", "SecretAccessKey": "s"}))
"""


def no_aws_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    """No ``AWS_*`` variable at all, not even the ones the suite's own fixture sets."""
    for name in list(os.environ):
        if name.startswith("AWS_"):
            monkeypatch.delenv(name)


@pytest.fixture
def marker(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A config file whose default profile gets its keys from a process that marks a file.

    Yields the marker file, which exists once the credential chain ran.
    """
    no_aws_variables(monkeypatch)
    script = tmp_path / "credentials.py"
    script.write_text(PROCESS)
    marked = tmp_path / "marker"
    config = tmp_path / "config"
    config.write_text(f'[default]\ncredential_process = "{sys.executable}" "{script}" "{marked}"\n')
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-credentials"))
    # boto3's default session reads the configuration once: the user's run gets its own.
    monkeypatch.setattr(boto3, "DEFAULT_SESSION", None)
    yield marked


def runs(marker: Path) -> int:
    """How often the credential process ran."""
    return marker.read_text().count("ran") if marker.exists() else 0


def test_a_client_made_in_a_test_needs_no_aws_variable_and_no_network(
    user: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    no_aws_variables(monkeypatch)
    user.makepyfile(
        """
        import boto3

        def test_dialer(connect_stub, item):
            client = boto3.client("connect", region_name="us-east-1")
            client.batch_put_contact(InstanceId="inst-1", ContactDataRequestList=[item()])
            connect_stub.assert_called_once()
        """
    )
    # A fresh process, as on a newcomer's machine: no session made earlier in this one.
    result = user.runpytest_subprocess()
    result.assert_outcomes(passed=1)


def test_the_credential_process_runs_only_when_a_request_is_signed_after_the_stub(
    user: pytest.Pytester, marker: Path
) -> None:
    user.makepyfile(
        f"""
        import json
        import pathlib

        import boto3
        from botocore.awsrequest import AWSResponse

        MARKER = pathlib.Path({str(marker)!r})
        CLIENTS = []


        class Body:
            def stream(self, **_):
                yield json.dumps({{"SuccessfulRequestList": [], "FailedRequestList": []}}).encode()


        def test_stubbed(connect_stub, item):
            client = boto3.client("connect", region_name="us-east-1")
            CLIENTS.append(client)
            client.batch_put_contact(InstanceId="inst-1", ContactDataRequestList=[item()])
            assert not MARKER.exists()


        def test_the_same_client_after_the_stub(item):
            [client] = CLIENTS
            signed = []

            def answer(request, **_):
                signed.append(request.headers["Authorization"].decode())
                return AWSResponse(request.url, 200, {{}}, Body())

            client.meta.events.register("before-send.connect.BatchPutContact", answer)
            assert not MARKER.exists()
            client.batch_put_contact(InstanceId="inst-1", ContactDataRequestList=[item()])
            assert MARKER.read_text() == "ran\\n"
            assert "Credential=AKIDFROMPROCESS/" in signed[0]
        """
    )
    user.runpytest().assert_outcomes(passed=2)
    assert runs(marker) == 1


def test_the_chain_runs_once_when_the_credentials_are_read(marker: Path) -> None:
    with ConnectStub():
        client: Any = boto3.client("connect", region_name="us-east-1")
        client.batch_put_contact(InstanceId="inst-1", ContactDataRequestList=[ITEM])
        credentials = client._request_signer._credentials
        assert credentials.method == "deferred"
        copy.copy(credentials)  # copying or pickling probes private names: no lookup
        assert runs(marker) == 0
        assert credentials.access_key == "AKIDFROMPROCESS"
    assert credentials.secret_key == "s"
    assert credentials.method == "custom-process"
    assert credentials.get_deferred_property("access_key")() == "AKIDFROMPROCESS"
    assert runs(marker) == 1


def test_other_services_keys_and_unsigned_clients_are_made_as_botocore_makes_them(
    marker: Path,
) -> None:
    with ConnectStub():
        keyed: Any = boto3.client(
            "connect", region_name="us-east-1", aws_access_key_id="a", aws_secret_access_key="b"
        )
        unsigned: Any = boto3.client(
            "connect", region_name="us-east-1", config=Config(signature_version=UNSIGNED)
        )
        assert runs(marker) == 0
        sqs: Any = boto3.client("sqs", region_name="us-east-1")
        assert runs(marker) == 1  # another service looks its credentials up at creation
        # The session holds them now: a Connect client gets the very same object.
        connect: Any = boto3.client("connect", region_name="us-east-1")
    assert type(keyed._request_signer._credentials) is Credentials
    assert keyed._request_signer._credentials.method == "explicit"
    assert unsigned._request_signer._credentials is None
    assert connect._request_signer._credentials is sqs._request_signer._credentials
    assert runs(marker) == 1


def test_nothing_found_is_botocores_no_credentials_error_when_signing_outside_a_stub(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    no_aws_variables(monkeypatch)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "missing"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "missing"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")  # the chain ends without one
    session = botocore.session.get_session()
    with ConnectStub() as stub:
        client: Any = session.create_client("connect", region_name="us-east-1")
        client.batch_put_contact(InstanceId="inst-1", ContactDataRequestList=[ITEM])
    stub.assert_called_once()
    with pytest.raises(NoCredentialsError):
        client.batch_put_contact(InstanceId="inst-1", ContactDataRequestList=[ITEM])
    credentials = client._request_signer._credentials
    assert credentials.method is None
    assert credentials.get_deferred_property("account_id")() is None
    with pytest.raises(NoCredentialsError):
        credentials.access_key  # noqa: B018 - reading is what runs the chain


def test_the_session_is_restored_exactly_when_the_last_stub_stops() -> None:
    session_class = botocore.session.Session
    before = dict(vars(session_class))
    with ConnectStub(), ConnectStub():
        assert vars(session_class)["create_client"] is not before["create_client"]
    assert dict(vars(session_class)) == before


def test_a_patch_made_over_the_stubs_leaves_clients_as_botocore_makes_them(
    marker: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    session_class = botocore.session.Session
    names = ("create_client", "get_credentials")
    for name in names:  # what this test leaves in place is put back at its teardown
        monkeypatch.setattr(session_class, name, vars(session_class)[name])
    stub = ConnectStub().start()
    with contextlib.ExitStack() as mocks:
        for name in names:
            ours = vars(session_class)[name]
            mocks.enter_context(
                mock.patch.object(session_class, name, autospec=True, side_effect=ours)
            )
        stub.stop()  # the mocks' patches stay until the mocks end
    # The mocks put the stub's patch back: it now passes straight through.
    client: Any = boto3.client("connect", region_name="us-east-1")
    assert runs(marker) == 1
    assert client._request_signer._credentials.method == "custom-process"
