"""``requests`` traffic: Connect's is the stub's, everything else goes where it would have gone.

Real ``requests`` and ``responses`` throughout, signed by hand as users do. The network is
blocked for the whole suite (pytest-socket): a request that reaches it raises
``SocketBlockedError``, which is how "went on to the network" is seen here.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from typing import Any

import pytest
import requests
import responses
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from helpers import contact_item
from pytest_socket import SocketBlockedError
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from pytest_connect_stub import ConnectStub
from pytest_connect_stub.transports import requests as requests_transport

ENDPOINT = "https://connect.us-east-1.amazonaws.com"
ELSEWHERE = "https://api.example.com/things"


def _network() -> Any:
    """What pytest-socket raises for a request that reaches the network (a lookup warns)."""
    return pytest.raises((SocketBlockedError, UserWarning), match="A test tried to use socket")


#: What responses and requests define, as this module found them.
ORIGINAL_SEND = vars(HTTPAdapter)["send"]
ORIGINAL_ON_REQUEST = vars(responses.RequestsMock)["_on_request"]


def signed(
    instance_id: str = "inst-1", *, method: str = "PUT", path: str | None = None, **body: Any
) -> tuple[str, str, dict[str, str], bytes]:
    """A request to Connect signed with botocore's SigV4Auth: method, URL, headers, body."""
    url = ENDPOINT + (path if path is not None else f"/contact/batch/{instance_id}")
    data = json.dumps(body or {"ContactDataRequestList": [contact_item()]}).encode()
    request = AWSRequest(method, url, data=data, headers={"Content-Type": "application/json"})
    SigV4Auth(Credentials("AKIDEXAMPLE", "secret"), "connect", "us-east-1").add_auth(request)
    return method, url, dict(request.headers), data


def send(session: Any = requests, *args: Any, **kwargs: Any) -> requests.Response:
    method, url, headers, data = signed(*args, **kwargs)
    response: requests.Response = session.request(method, url, headers=headers, data=data)
    return response


def test_a_request_signed_by_hand_is_answered_by_the_stub() -> None:
    with ConnectStub() as stub:
        stub.fail("req-1", "INVALID_QUEUE", message="queue disabled")
        answer = send()
    assert answer.status_code == 200
    assert answer.headers["Content-Type"] == "application/json"
    assert answer.json()["FailedRequestList"] == [
        {
            "RequestIdentifier": "req-1",
            "FailureReasonCode": "INVALID_QUEUE",
            "FailureReasonMessage": "queue disabled",
        }
    ]
    assert stub.calls[0].instance_id == "inst-1"
    assert stub.calls[0].headers["authorization"] != signed()[2]["Authorization"]  # redacted


def test_the_services_modelled_errors_come_back_as_its_http_answers() -> None:
    with ConnectStub(strict=True, instances={"inst-1": ["queue-1"]}) as stub:
        answer = send(instance_id="never-registered")
        invalid = send(ContactDataRequestList="not a list")
        other = send(method="GET", path="/instance/inst-1")
    assert answer.status_code == 404
    assert answer.headers["x-amzn-ErrorType"] == "ResourceNotFoundException"
    assert invalid.status_code == 400
    assert invalid.headers["x-amzn-ErrorType"] == "InvalidRequestException"
    # Connect's other operations never leave the process either: answered as not stubbed.
    assert other.status_code == 501
    assert [call.status_code for call in stub.calls] == [404, 400]  # only BatchPutContact's


# aws-requests-auth calls datetime.utcnow(), which Python 3.12+ deprecates: its warning, not ours.
@pytest.mark.filterwarnings("ignore:datetime.datetime.utcnow:DeprecationWarning")
def test_other_signing_libraries_are_answered_too() -> None:
    from aws_requests_auth.aws_auth import AWSRequestsAuth  # type: ignore[import-untyped]
    from requests_auth_aws_sigv4 import AWSSigV4  # type: ignore[import-untyped]

    url = f"{ENDPOINT}/contact/batch/inst-1"
    body = {"ContactDataRequestList": [contact_item()]}
    auths = [
        AWSRequestsAuth(
            "AKIDEXAMPLE", "secret", "connect.us-east-1.amazonaws.com", "us-east-1", "connect"
        ),
        AWSSigV4(
            "connect",
            region="us-east-1",
            aws_access_key_id="AKIDEXAMPLE",
            aws_secret_access_key="secret",
        ),
    ]
    with ConnectStub() as stub:
        answers = [requests.put(url, json=body, auth=auth) for auth in auths]
    assert [answer.status_code for answer in answers] == [200, 200]
    assert [call.instance_id for call in stub.calls] == ["inst-1", "inst-1"]


def test_connects_other_endpoints_are_recognised_from_botocores_data() -> None:
    pattern = requests_transport.connect_url()
    for url in (
        "https://connect.eu-west-2.amazonaws.com/contact/batch/i",
        "https://connect-fips.us-gov-west-1.amazonaws.com/contact/batch/i",
        "https://connect.us-east-1.api.aws/contact/batch/i",
        "https://connect.cn-north-1.amazonaws.com.cn/contact/batch/i",
        "https://CONNECT.us-east-1.amazonaws.com:443/contact/batch/i",
    ):
        assert pattern.match(url), url
    for url in (
        "https://connect-campaigns.us-east-1.amazonaws.com/x",
        "https://connect.us-east-1.amazonaws.com.example.com/x",
        "https://s3.amazonaws.com/connect.us-east-1.amazonaws.com/x",
        "https://evil.example/?u=https://connect.us-east-1.amazonaws.com/",
    ):
        assert not pattern.match(url), url


def test_other_traffic_goes_on_to_the_network_unanswered() -> None:
    with ConnectStub() as stub, _network():
        requests.get(ELSEWHERE)
    assert stub.calls == []


def test_after_the_stub_stops_connect_traffic_goes_to_the_network_again() -> None:
    with ConnectStub():
        assert send().status_code == 200
    with _network():
        send()
    assert vars(HTTPAdapter)["send"] is ORIGINAL_SEND
    assert vars(responses.RequestsMock)["_on_request"] is ORIGINAL_ON_REQUEST


def test_a_users_mock_started_before_the_stub_keeps_everything_but_connect() -> None:
    with responses.RequestsMock(assert_all_requests_are_fired=True) as mock:
        mock.get(ELSEWHERE, json={"mine": True})
        with ConnectStub() as stub:
            assert send().status_code == 200
            assert requests.get(ELSEWHERE).json() == {"mine": True}
            with pytest.raises(requests.ConnectionError, match="Connection refused by Responses"):
                requests.get(ELSEWHERE + "/unregistered")
        assert [call.request.url for call in mock.calls] == [ELSEWHERE, ELSEWHERE + "/unregistered"]
    assert len(stub.calls) == 1


def test_a_users_mock_started_inside_the_stub_keeps_everything_but_connect() -> None:
    with ConnectStub() as stub:
        with responses.RequestsMock(assert_all_requests_are_fired=True) as mock:
            mock.get(ELSEWHERE, json={"mine": True})
            assert send().status_code == 200
            assert requests.get(ELSEWHERE).json() == {"mine": True}
            with pytest.raises(requests.ConnectionError, match="Connection refused by Responses"):
                requests.get(ELSEWHERE + "/unregistered")
            # The stub registered nothing on the user's mock, and its calls are the user's own.
            assert [c.request.url for c in mock.calls] == [ELSEWHERE, ELSEWHERE + "/unregistered"]
            assert mock.registered()[0].call_count == 1
        assert send().status_code == 200
    assert len(stub.calls) == 2


def test_a_users_passthrough_still_passes_through() -> None:
    with ConnectStub(), responses.RequestsMock() as mock:
        mock.add_passthru("https://")
        assert send().status_code == 200
        with _network():
            requests.get(ELSEWHERE)


def test_a_mounted_retry_retries_the_stubs_server_errors() -> None:
    session = requests.Session()
    retry = Retry(total=3, status_forcelist=[500], allowed_methods=None, backoff_factor=0)
    session.mount("https://", HTTPAdapter(max_retries=retry))
    with ConnectStub() as stub:
        stub.raise_error("InternalServiceException", times=2)
        assert send(session).status_code == 200
    assert [call.status_code for call in stub.calls] == [500, 500, 200]


def test_threads_share_the_stub() -> None:
    answers: list[int] = []
    with ConnectStub() as stub:
        threads = [
            threading.Thread(target=lambda: answers.append(send().status_code)) for _ in range(8)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert answers == [200] * 8
    assert len(stub.calls) == 8


def test_under_mock_aws_connects_other_operations_stay_motos() -> None:
    moto = pytest.importorskip("moto")
    pytest.importorskip("moto.connect", reason="this moto has no Connect backend")
    with moto.mock_aws(), ConnectStub() as stub:
        assert send().status_code == 200
        described = send(method="GET", path="/instance/inst-none")
        with _network():
            requests.get(ELSEWHERE)  # moto passes what is not AWS's through
    assert described.status_code == 404  # moto's own answer for an instance it does not hold
    assert "not found" in described.text
    assert [call.status_code for call in stub.calls] == [200]


USER_TESTS = """
import json

import pytest
import requests
import responses
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

URL = "https://connect.us-east-1.amazonaws.com/contact/batch/inst-1"


def put_contacts(items):
    body = json.dumps({"ContactDataRequestList": items})
    request = AWSRequest("PUT", URL, data=body, headers={"Content-Type": "application/json"})
    SigV4Auth(Credentials("AKIDEXAMPLE", "secret"), "connect", "us-east-1").add_auth(request)
    return requests.put(URL, data=body, headers=dict(request.headers))


@responses.activate(assert_all_requests_are_fired=True)
def test_decorated(connect_stub, item):
    responses.get("https://api.example.com/flag", json={"on": True})
    assert requests.get("https://api.example.com/flag").json() == {"on": True}
    assert put_contacts([item()]).json()["FailedRequestList"] == []
    connect_stub.assert_called_once()


@pytest.fixture
def mocked():
    with responses.RequestsMock(assert_all_requests_are_fired=True) as mock:
        mock.get("https://api.example.com/flag", json={"on": True})
        yield mock


def test_users_fixture_first(mocked, connect_stub, item):
    assert put_contacts([item()]).status_code == 200
    assert requests.get("https://api.example.com/flag").json() == {"on": True}


def test_stub_fixture_first(connect_stub, mocked, item):
    assert put_contacts([item()]).status_code == 200
    assert requests.get("https://api.example.com/flag").json() == {"on": True}


def test_unfired_user_mock_still_fails(connect_stub, mocked, item):
    assert put_contacts([item()]).status_code == 200
"""


def test_a_users_responses_mocks_work_beside_the_fixture_in_either_order(
    user: pytest.Pytester,
) -> None:
    user.makepyfile(test_user=USER_TESTS)
    result = user.runpytest()
    result.assert_outcomes(passed=4, errors=1)
    result.stdout.fnmatch_lines(
        [
            "*ERROR at teardown of test_unfired_user_mock_still_fails*",
            "E*AssertionError: Not all requests have been executed*",
        ]
    )


def _run(code: str) -> list[str]:
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    return out.stdout.splitlines()


def test_a_stub_imports_neither_requests_nor_responses_for_a_process_without_requests() -> None:
    code = """
import sys
from pytest_connect_stub import ConnectStub
with ConnectStub():
    pass
print(sorted(m for m in ("requests", "responses", "moto") if m in sys.modules))
"""
    assert _run(code) == ["[]"]


def test_requests_imported_while_a_stub_is_active_is_answered() -> None:
    code = f"""
import sys
from pytest_connect_stub import ConnectStub
with ConnectStub() as stub:
    import requests
    answer = requests.put({ENDPOINT + "/contact/batch/inst-1"!r}, json={{}})
print(answer.status_code, len(stub.calls))
"""
    assert _run(code) == ["400 1"]  # answered: an empty request is invalid
