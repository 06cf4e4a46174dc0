"""Credentials of aiobotocore Connect clients: none looked up under a stub, the chain after it.

Nothing here has an ``AWS_*`` variable that hides a lookup; a ``credential_process`` that
marks a file shows whether, and when, the chain ran.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path
from typing import Any

import pytest
from aio_helpers import aio_client, aiobotocore_session
from botocore.exceptions import NoCredentialsError
from helpers import contact_item

from pytest_connect_stub import ConnectStub


def test_a_client_made_under_a_stub_looks_no_credentials_up_until_signing_after_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    marked = _process_profile(tmp_path, monkeypatch)

    async def main() -> str:
        session = aiobotocore_session.get_session()
        with ConnectStub():
            async with aio_client(session=session) as client:
                await client.batch_put_contact(
                    InstanceId="inst-1", ContactDataRequestList=[contact_item()]
                )
                assert not marked.exists()
        # After the stub, the same client's credentials are its session's own, found once.
        credentials = client._request_signer._credentials
        assert credentials.method == "deferred"
        frozen = await credentials.get_frozen_credentials()
        await credentials.get_frozen_credentials()
        assert credentials.method == "custom-process"
        assert credentials.access_key == "AKIDPROCESS"
        assert (await session.get_credentials()).access_key == "AKIDPROCESS"
        return str(frozen.access_key)

    assert asyncio.run(main()) == "AKIDPROCESS"
    assert marked.read_text() == "ran\n"


def test_other_services_and_explicit_keys_get_credentials_as_aiobotocore_gives_them() -> None:
    async def main() -> list[Any]:
        made = []
        with ConnectStub():
            async with aio_client("sqs") as sqs:
                made.append(sqs._request_signer._credentials)
            async with aio_client(aws_access_key_id="AKIDMINE", aws_secret_access_key="s") as c:
                made.append(c._request_signer._credentials)
        return made

    sqs, explicit = asyncio.run(main())
    assert sqs is None  # no credentials anywhere in this suite: the chain ran, found none
    assert (explicit.method, explicit.access_key) == ("explicit", "AKIDMINE")


def _process_profile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, account: str = "") -> Path:
    """A default profile whose keys come from a process that marks a file when it runs."""
    for name in ("AWS_EC2_METADATA_DISABLED", "AWS_SHARED_CREDENTIALS_FILE"):
        monkeypatch.delenv(name, raising=False)
    script, marked, config = tmp_path / "keys.py", tmp_path / "marker", tmp_path / "config"
    found = {"Version": 1, "AccessKeyId": "AKIDPROCESS", "SecretAccessKey": "s"}
    if account:
        found["AccountId"] = account
    script.write_text(
        f"import json, sys\nopen(sys.argv[1], 'a').write('ran\\n')\nprint(json.dumps({found!r}))\n"
    )
    config.write_text(f'[default]\ncredential_process = "{sys.executable}" "{script}" "{marked}"\n')
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    return marked


async def _made_under_a_stub() -> Any:
    """The credentials of a Connect client made (and used) while a stub was active."""
    with ConnectStub():
        async with aio_client() as client:
            await client.batch_put_contact(InstanceId="i", ContactDataRequestList=[contact_item()])
    return client._request_signer._credentials


def test_what_the_chain_finds_answers_the_account_id_and_every_attribute(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _process_profile(tmp_path, monkeypatch, account="123456789012")

    async def main() -> list[Any]:
        credentials = await _made_under_a_stub()
        with pytest.raises(AttributeError, match="looked up the first time they are awaited"):
            credentials.access_key  # noqa: B018
        assert getattr(credentials, "token", "absent") == "absent"
        account = await credentials.get_account_id()
        deferred = await credentials.get_deferred_property("account_id")()
        return [account, deferred, credentials.access_key, credentials.token]

    assert asyncio.run(main()) == ["123456789012", "123456789012", "AKIDPROCESS", None]


def test_tasks_awaiting_the_credentials_at_once_all_get_the_first_answer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _process_profile(tmp_path, monkeypatch)

    async def main() -> set[str]:
        credentials = await _made_under_a_stub()
        frozen = await asyncio.gather(*(credentials.get_frozen_credentials() for _ in range(5)))
        assert credentials.method == "custom-process"
        return {found.access_key for found in frozen}

    assert asyncio.run(main()) == {"AKIDPROCESS"}


def test_when_the_chain_finds_nothing_signing_after_the_stub_is_no_credentials_error() -> None:
    async def main() -> None:
        credentials = await _made_under_a_stub()
        assert await credentials.get_frozen_credentials() is None
        assert credentials.method is None
        assert await credentials.get_account_id() is None
        with pytest.raises(NoCredentialsError):
            credentials.access_key  # noqa: B018
        async with aio_client() as client:
            with pytest.raises(NoCredentialsError):
                await client.batch_put_contact(
                    InstanceId="i", ContactDataRequestList=[contact_item()]
                )

    asyncio.run(main())
