"""The ``connect_stub_server`` fixture, as a user's suite meets it (pytester runs)."""

from __future__ import annotations

import threading
from textwrap import dedent

import pytest
from helpers import add_ini_lines
from serving import LOOPBACK

# The users' runs happen in this process: what this test allows is what they start from.
pytestmark = LOOPBACK

#: What a suite with pytest-socket allows for the server fixture: loopback only.
ALLOW_LOOPBACK = "--allow-hosts=127.0.0.1"

#: The user's own helper: a client in another language would send the same bytes.
HTTP = """
import json
import urllib.request


def send(url, method="GET", body=None):
    request = urllib.request.Request(url, data=body and json.dumps(body).encode(), method=method)
    with urllib.request.urlopen(request) as response:
        return json.loads(response.read())


def put(server, *identifiers):
    items = [
        {
            "RequestIdentifier": identifier,
            "CustomerEndpoint": {"Type": "TELEPHONE_NUMBER", "Address": "+15550100"},
            "QueueId": "queue-1",
            "Campaign": {"CampaignId": "campaign-1"},
        }
        for identifier in identifiers
    ]
    url = f"{server.endpoint_url}/contact/batch/inst-1"
    return send(url, "PUT", {"ContactDataRequestList": items})
"""


def _server_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.startswith("connect-stub-")]


def test_one_server_per_session_with_a_fresh_stub_for_each_test(user: pytest.Pytester) -> None:
    before = _server_threads()
    user.makepyfile(
        HTTP
        + dedent(
            """
            URLS = []

            def test_first(connect_stub_server):
                URLS.append(connect_stub_server.endpoint_url)
                connect_stub_server.stub.add_instance("inst-9")
                send(f"{connect_stub_server.endpoint_url}/_connect_stub/fail", "POST",
                     {"request": "req-1", "code": "INVALID_QUEUE"})
                answer = put(connect_stub_server, "req-1", "req-2")
                assert [f["RequestIdentifier"] for f in answer["FailedRequestList"]] == ["req-1"]
                connect_stub_server.stub.assert_called_once()

            def test_second(connect_stub_server):
                assert URLS == [connect_stub_server.endpoint_url]
                stub = connect_stub_server.stub
                assert (stub.calls, stub.contacts, stub.instances) == ([], {}, {})
                assert send(f"{connect_stub_server.endpoint_url}/_connect_stub/calls") == []
                assert not stub.active
            """
        )
    )
    result = user.runpytest(ALLOW_LOOPBACK)
    result.assert_outcomes(passed=2)
    # The users' session stopped its server (this suite's own server may run beside it).
    assert [t for t in _server_threads() if t not in before] == []


def test_an_outcome_scripted_over_http_and_never_used_fails_at_teardown(
    user: pytest.Pytester,
) -> None:
    user.makepyfile(
        HTTP
        + dedent(
            """
            def test_forgot(connect_stub_server):
                url = f"{connect_stub_server.endpoint_url}/_connect_stub/raise_error"
                send(url, "POST", {"code": "LimitExceededException"})

            def test_failed_already(connect_stub_server):
                connect_stub_server.stub.fail("req-9", "INVALID_QUEUE")
                assert False, "the test's own failure"
            """
        )
    )
    result = user.runpytest(ALLOW_LOOPBACK, "-rA")
    result.assert_outcomes(passed=1, failed=1, errors=1)
    result.stdout.fnmatch_lines(
        [
            "*ERROR at teardown of test_forgot*",
            "connect_stub: 1 scripted outcome was not used up:",
            "  - raise_error('LimitExceededException'): used 0 of 1",
            "Use them, remove them, or opt out with assert_all_used=False: *",
        ]
    )
    assert "ERROR at teardown of test_failed_already" not in result.stdout.str()


def test_the_marker_and_ini_options_configure_the_servers_stub(user: pytest.Pytester) -> None:
    add_ini_lines(user, "connect_stub_assert_all_used = false")
    user.makepyfile(
        dedent(
            """
            import pytest
            from pytest_connect_stub import activation

            @pytest.mark.connect_stub(strict=True, instances={"inst-1": ["queue-1"]})
            def test_marked(connect_stub_server):
                assert connect_stub_server.stub.strict
                assert connect_stub_server.stub.instances == {"inst-1": ["queue-1"]}
                connect_stub_server.stub.simulate()  # left unused: the ini allows it
                # The marker does not also start an in-process stub, which would answer
                # this process's own clients instead of the server.
                assert activation.stack == []

            @pytest.mark.connect_stub(stirct=True)
            def test_misspelt(connect_stub_server):
                pass
            """
        )
    )
    result = user.runpytest(ALLOW_LOOPBACK)
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(["*got an unknown option 'stirct'. Did you mean 'strict'?*"])


def test_with_sockets_blocked_the_fixture_says_what_to_allow(user: pytest.Pytester) -> None:
    user.makepyfile(
        """
        def test_needs_it(connect_stub_server):
            pass
        """
    )
    result = user.runpytest()  # the user's ini blocks every socket but Unix ones
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(
        [
            "*connect_stub_server could not start: *",
            "It listens on 127.0.0.1: with pytest-socket, allow loopback for the tests that "
            "use it (--allow-hosts=127.0.0.1, or @pytest.mark.allow_hosts(['127.0.0.1'])).",
        ]
    )
