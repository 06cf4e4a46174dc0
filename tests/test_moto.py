"""moto side by side: BatchPutContact is the stub's inside ``mock_aws``, the rest stays moto's.

Real moto throughout. The user's runs (a decorated test, fixtures in either order) go through
pytester; the orders of starting and stopping run in-process.
"""

from __future__ import annotations

import itertools
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import boto3
import botocore.endpoint
import pytest
from botocore.exceptions import ClientError
from helpers import contact_item

moto = pytest.importorskip("moto")
moto_models = pytest.importorskip("moto.core.models")

from pytest_connect_stub import ConnectStub  # noqa: E402
from pytest_connect_stub.transports import moto as moto_transport  # noqa: E402

#: moto's before-send handler's own function, as moto defines it.
MOTOS_CALL = vars(type(moto_models.botocore_stubber))["__call__"]

_Endpoint: Any = botocore.endpoint.Endpoint


class ReachedNetwork(Exception):
    """Raised by the fake network under every patch."""


def _fake_network(self: Any, request: Any) -> Any:
    raise ReachedNetwork(request.url)


@pytest.fixture
def network(monkeypatch: pytest.MonkeyPatch) -> None:
    """botocore's ``_send`` replaced by a fake network, for the test's duration."""
    monkeypatch.setattr(_Endpoint, "_send", _fake_network)


def _client(region: str = "us-east-1") -> Any:
    return boto3.client("connect", region_name=region)


def _create_instance(client: Any) -> dict[str, Any]:
    made: dict[str, Any] = client.create_instance(
        IdentityManagementType="CONNECT_MANAGED",
        InboundCallsEnabled=True,
        OutboundCallsEnabled=True,
    )
    return made


def _needs_connect_backend() -> None:
    pytest.importorskip("moto.connect", reason="this moto has no Connect backend (5.1.21+)")


def _put(client: Any, instance_id: str = "inst-1") -> str:
    """Who answered BatchPutContact: the stub, moto, or the network."""
    try:
        client.batch_put_contact(InstanceId=instance_id, ContactDataRequestList=[contact_item()])
    except ReachedNetwork:
        return "network"
    except ClientError as error:
        if error.response["Error"]["Message"] != "Not yet implemented":
            raise  # the stub's own errors (strict mode) are the test's to check
        return "moto"
    return "stub"


def test_inside_mock_aws_batch_put_contact_is_the_stubs_and_the_rest_stays_motos() -> None:
    _needs_connect_backend()
    with moto.mock_aws():
        client = _client()
        made = _create_instance(client)
        with ConnectStub() as stub:
            answer = client.batch_put_contact(
                InstanceId=made["Id"], ContactDataRequestList=[contact_item("req-9")]
            )
            # Connect operations moto implements are still answered by moto.
            described = client.describe_instance(InstanceId=made["Id"])["Instance"]
            assert described["Arn"] == made["Arn"]
            assert [i["Id"] for i in client.list_instances()["InstanceSummaryList"]] == [made["Id"]]
        assert [s["RequestIdentifier"] for s in answer["SuccessfulRequestList"]] == ["req-9"]
        assert [call.instance_id for call in stub.calls] == [made["Id"]]
        # Stopped: moto's own answer is back.
        assert _put(client) == "moto"


def test_a_stub_started_before_mock_aws_answers_inside_it() -> None:
    _needs_connect_backend()
    with ConnectStub() as stub, moto.mock_aws():
        client = _client()
        made = _create_instance(client)
        assert _put(client, made["Id"]) == "stub"
        assert client.describe_instance(InstanceId=made["Id"])["Instance"]["Id"] == made["Id"]
    assert stub.calls[0].instance_id == made["Id"]


def test_a_client_moto_patched_by_hand_is_answered_too() -> None:
    with moto.mock_aws():
        client = _client()
        moto.core.patch_client(client)  # moto's before-send handler registered once more
        with ConnectStub():
            assert _put(client) == "stub"
        assert _put(client) == "moto"


#: Every order of the four steps in which each patch starts before it stops.
ORDERS = [
    order
    for order in itertools.permutations(["stub+", "stub-", "moto+", "moto-"])
    if order.index("stub+") < order.index("stub-") and order.index("moto+") < order.index("moto-")
]


@pytest.mark.parametrize("order", ORDERS, ids=" ".join)
def test_every_order_of_stub_and_mock_aws_answers_each_call_and_leaves_moto_as_it_was(
    network: None, order: tuple[str, ...], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")  # so the network can be "reached"
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    client = boto3.session.Session().client("connect", region_name="us-east-1")
    stub, mock = ConnectStub(), moto.mock_aws()
    steps = {"stub+": stub.start, "stub-": stub.stop, "moto+": mock.start, "moto-": mock.stop}
    active: set[str] = set()
    for step in order:
        steps[step]()
        (active.add if step.endswith("+") else active.discard)(step[:-1])
        expected = "stub" if "stub" in active else "moto" if "moto" in active else "network"
        assert _put(client) == expected, (step, active)
    assert vars(type(moto_models.botocore_stubber))["__call__"] is MOTOS_CALL
    assert moto_models.botocore_stubber.enabled is False


def test_a_mock_aws_used_in_another_thread_is_answered_in_the_same_way() -> None:
    import threading

    found: list[str] = []
    with moto.mock_aws(), ConnectStub() as stub:
        thread = threading.Thread(target=lambda: found.append(_put(_client())))
        thread.start()
        thread.join()
    assert found == ["stub"]
    assert len(stub.calls) == 1


# Strict mode: moto's Connect instances are known.


@pytest.fixture
def mocked() -> Iterator[Any]:
    _needs_connect_backend()
    with moto.mock_aws():
        yield _client()


def test_strict_mode_knows_motos_instance_by_id_and_by_arn(mocked: Any) -> None:
    made = _create_instance(mocked)
    with ConnectStub(strict=True) as stub:
        assert _put(mocked, made["Id"]) == "stub"
        assert _put(mocked, made["Arn"]) == "stub"
        with pytest.raises(mocked.exceptions.ResourceNotFoundException):
            _put(mocked, "inst-moto-never-made")
    assert [call.status_code for call in stub.calls] == [200, 200, 404]


def test_strict_mode_knows_motos_instance_only_in_the_requests_region(mocked: Any) -> None:
    made = _create_instance(_client("us-west-2"))
    with ConnectStub(strict=True):
        for instance_id in (made["Id"], made["Arn"]):
            with pytest.raises(mocked.exceptions.ResourceNotFoundException):
                _put(mocked, instance_id)
        assert _put(_client("us-west-2"), made["Id"]) == "stub"


def test_strict_mode_knows_motos_instance_only_in_the_requests_account(
    mocked: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    with monkeypatch.context() as other_account:
        other_account.setenv("MOTO_ACCOUNT_ID", "111122223333")
        made = _create_instance(mocked)
    with ConnectStub(strict=True):
        with pytest.raises(mocked.exceptions.ResourceNotFoundException):
            _put(mocked, made["Id"])
        monkeypatch.setenv("MOTO_ACCOUNT_ID", "111122223333")
        assert _put(mocked, made["Id"]) == "stub"


def test_strict_mode_forgets_an_instance_moto_deleted(mocked: Any) -> None:
    made = _create_instance(mocked)
    with ConnectStub(strict=True) as stub:
        mocked.delete_instance(InstanceId=made["Id"])
        with pytest.raises(mocked.exceptions.ResourceNotFoundException):
            _put(mocked, made["Id"])
        stub.add_instance(made["Id"])  # registered with the stub: known again
        assert _put(mocked, made["Id"]) == "stub"


def test_strict_mode_forgets_the_instances_of_a_mock_aws_that_ended() -> None:
    _needs_connect_backend()
    with moto.mock_aws():
        made = _create_instance(_client())
    with (
        moto.mock_aws(),
        ConnectStub(strict=True),
        pytest.raises(ClientError, match="ResourceNotFoundException"),
    ):
        _put(_client(), made["Id"])


def test_strict_mode_asks_moto_nothing_once_the_stub_stopped(mocked: Any) -> None:
    from pytest_connect_stub import service

    with ConnectStub(strict=True):
        assert moto_transport.holds_instance in service.known_elsewhere
    assert moto_transport.holds_instance not in service.known_elsewhere


# What a user writes.

USER_TESTS = """
import boto3
import pytest
from moto import mock_aws


def make_instance(client):
    return client.create_instance(
        IdentityManagementType="CONNECT_MANAGED",
        InboundCallsEnabled=True,
        OutboundCallsEnabled=True,
    )["Id"]


@pytest.fixture
def aws():
    with mock_aws():
        yield


@pytest.mark.connect_stub(strict=True)
@mock_aws
def test_decorated(connect_stub, item):
    client = boto3.client("connect", region_name="us-east-1")
    instance = make_instance(client)
    client.batch_put_contact(InstanceId=instance, ContactDataRequestList=[item()])
    connect_stub.assert_called_once()
    assert connect_stub.calls[0].instance_id == instance


@pytest.mark.connect_stub(strict=True)
def test_moto_fixture_first(aws, connect_stub, item):
    client = boto3.client("connect", region_name="us-east-1")
    instance = make_instance(client)
    client.batch_put_contact(InstanceId=instance, ContactDataRequestList=[item()])
    connect_stub.assert_called_once()


@pytest.mark.connect_stub(strict=True)
def test_stub_fixture_first(connect_stub, aws, item):
    client = boto3.client("connect", region_name="us-east-1")
    instance = make_instance(client)
    client.batch_put_contact(InstanceId=instance, ContactDataRequestList=[item()])
    connect_stub.assert_called_once()
"""


def test_a_users_moto_tests_get_the_stubs_answers_in_every_order(user: pytest.Pytester) -> None:
    _needs_connect_backend()
    user.makepyfile(test_user=USER_TESTS)
    result = user.runpytest("-v")
    result.assert_outcomes(passed=3)


def test_an_unused_outcome_under_mock_aws_is_no_longer_the_only_sign(
    user: pytest.Pytester,
) -> None:
    # The report: moto answered 404 and the user saw only the unused outcome.
    user.makepyfile(
        """
        from moto import mock_aws

        @mock_aws
        def test_fails_one(connect_stub, client, item):
            connect_stub.fail("req-1", "INVALID_QUEUE")
            answer = client.batch_put_contact(
                InstanceId="inst-1", ContactDataRequestList=[item()]
            )
            assert answer["FailedRequestList"][0]["FailureReasonCode"] == "INVALID_QUEUE"
        """
    )
    user.runpytest().assert_outcomes(passed=1)


def test_moto_imported_while_a_stub_is_active_lets_batch_put_contact_through() -> None:
    # A fresh process: moto is first imported with the stub already active.
    code = """
import sys
import boto3
from pytest_connect_stub import ConnectStub

item = {"CustomerEndpoint": {"Type": "TELEPHONE_NUMBER", "Address": "+15550100"},
        "QueueId": "q", "Campaign": {"CampaignId": "c"}}
with ConnectStub() as stub:
    assert "moto" not in sys.modules
    from moto import mock_aws
    with mock_aws():
        client = boto3.client("connect", region_name="us-east-1")
        client.batch_put_contact(InstanceId="inst-1", ContactDataRequestList=[item])
print(len(stub.calls))
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.stdout.splitlines() == ["1"], out.stderr
