"""The plugin as pytest loads it: cheap to load, one fixture, state per test."""

from __future__ import annotations

import subprocess
import sys

import pytest


def test_loading_the_plugin_imports_neither_botocore_nor_jsonschema() -> None:
    heavy = (
        "botocore",
        "boto3",
        "jsonschema",
        "jsonschema_rs",
        "fastjsonschema",
        "pytest_connect_stub.stub",
        "pytest_connect_stub.model",
        "pytest_connect_stub.schema",
        "pytest_connect_stub.validation",
        "pytest_connect_stub.routes",
        "pytest_connect_stub.http",
        "pytest_connect_stub.service",
        "pytest_connect_stub.transports.botocore",
    )
    code = (
        "import sys, pytest, pytest_connect_stub.plugin\n"
        f"print([m for m in {heavy!r} if m in sys.modules])\n"
        "print('pytest_connect_stub.plugin' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.splitlines() == ["[]", "True"]


def test_the_plugin_is_registered_by_its_entry_point(pytester: pytest.Pytester) -> None:
    result = pytester.runpytest("--trace-config", "-p", "no:randomly")
    result.stdout.fnmatch_lines(["*connect_stub*pytest_connect_stub/plugin.py*"])


def test_a_test_that_does_not_use_the_fixture_loads_nothing(user: pytest.Pytester) -> None:
    user.makeconftest("")
    user.makepyfile(
        """
        import sys

        def test_plain():
            assert [m for m in ("botocore", "jsonschema") if m in sys.modules] == []
        """
    )
    result = user.runpytest_subprocess()
    result.assert_outcomes(passed=1)


def test_each_test_gets_a_fresh_stub(user: pytest.Pytester) -> None:
    user.makepyfile(
        """
        def test_first(connect_stub, client, item):
            connect_stub.add_instance("inst-1")
            client.batch_put_contact(InstanceId="inst-1", ContactDataRequestList=[item()])
            connect_stub.assert_called_once()

        def test_second(connect_stub):
            connect_stub.assert_not_called()
            assert connect_stub.contacts == {}
            assert connect_stub.instances == {}
        """
    )
    user.runpytest().assert_outcomes(passed=2)


def test_the_stub_is_inactive_once_the_test_ends(user: pytest.Pytester) -> None:
    user.makepyfile(
        """
        import boto3
        import pytest
        from botocore.exceptions import NoCredentialsError

        KEEP = []

        def test_with_stub(connect_stub):
            KEEP.append(connect_stub)
            assert connect_stub.active

        def test_after(item):
            assert not KEEP[0].active
            client = boto3.client(
                "connect", region_name="us-east-1", endpoint_url="http://127.0.0.1:9"
            )
            with pytest.raises(NoCredentialsError):
                client.batch_put_contact(InstanceId="inst-1", ContactDataRequestList=[item()])
        """
    )
    user.runpytest().assert_outcomes(passed=2)
