"""@pytest.mark.connect_stub and the connect_stub_* ini options, as users configure them."""

from __future__ import annotations

import pytest
from helpers import add_ini_lines, literal

VALID_OPTIONS = (
    "strict, instances, disable_rules, assert_all_used, seed, token_ttl, skip_retry_sleep"
)


def test_strict_option_makes_unknown_instances_fail(user: pytest.Pytester) -> None:
    user.makepyfile(
        """
        import pytest

        @pytest.mark.connect_stub(strict=True)
        def test_strict(connect_stub, client, item):
            assert connect_stub.strict is True
            with pytest.raises(client.exceptions.ResourceNotFoundException):
                client.batch_put_contact(InstanceId="inst-1", ContactDataRequestList=[item()])

        def test_lenient(connect_stub, client, item):
            assert connect_stub.strict is False
            client.batch_put_contact(InstanceId="inst-1", ContactDataRequestList=[item()])
        """
    )
    user.runpytest().assert_outcomes(passed=2)


def test_instances_option_registers_instances_and_their_queues(user: pytest.Pytester) -> None:
    user.makepyfile(
        """
        import pytest

        @pytest.mark.connect_stub(strict=True, instances={"inst-1": ["queue-1", "queue-2"]})
        def test_known_world(connect_stub, client, item):
            assert connect_stub.instances == {"inst-1": ["queue-1", "queue-2"]}
            resp = client.batch_put_contact(
                InstanceId="inst-1",
                ContactDataRequestList=[
                    item("a", QueueId="queue-2"), item("b", QueueId="queue-3")
                ],
            )
            assert [s["RequestIdentifier"] for s in resp["SuccessfulRequestList"]] == ["a"]
            assert [
                (f["RequestIdentifier"], f["FailureReasonCode"]) for f in resp["FailedRequestList"]
            ] == [("b", "INVALID_QUEUE")]
            with pytest.raises(client.exceptions.ResourceNotFoundException):
                client.batch_put_contact(InstanceId="inst-2", ContactDataRequestList=[item()])
        """
    )
    user.runpytest().assert_outcomes(passed=1)


def test_disable_rules_option_switches_rules_off(user: pytest.Pytester) -> None:
    user.makepyfile(
        """
        import pytest

        @pytest.mark.connect_stub(disable_rules=["MISSING_CAMPAIGN"])
        def test_rule_off(connect_stub, client, item):
            resp = client.batch_put_contact(
                InstanceId="inst-1", ContactDataRequestList=[item(Campaign=None)]
            )
            assert resp["FailedRequestList"] == []
            assert connect_stub.disabled_rules == {"MISSING_CAMPAIGN"}

        def test_rule_on(connect_stub, client, item):
            resp = client.batch_put_contact(
                InstanceId="inst-1", ContactDataRequestList=[item(Campaign=None)]
            )
            assert [f["FailureReasonCode"] for f in resp["FailedRequestList"]] == [
                "MISSING_CAMPAIGN"
            ]
        """
    )
    user.runpytest().assert_outcomes(passed=2)


def test_seed_option_makes_contact_ids_repeatable(user: pytest.Pytester) -> None:
    user.makepyfile(
        """
        import uuid
        import pytest
        from pytest_connect_stub import ConnectStub

        def put(client, item):
            resp = client.batch_put_contact(
                InstanceId="inst-1", ContactDataRequestList=[item("a"), item("b")]
            )
            return [s["ContactId"] for s in resp["SuccessfulRequestList"]]

        @pytest.mark.connect_stub(seed=7)
        def test_seeded(connect_stub, client, item):
            ids = put(client, item)
            with ConnectStub(seed=7):
                assert put(client, item) == ids
            with ConnectStub(seed=8):
                assert put(client, item) != ids
            assert all(uuid.UUID(i).version == 4 for i in ids)

        def test_unseeded(connect_stub, client, item):
            ids = put(client, item)
            with ConnectStub():
                assert put(client, item) != ids
        """
    )
    user.runpytest().assert_outcomes(passed=2)


def test_module_marker_applies_to_every_test_in_the_module(user: pytest.Pytester) -> None:
    user.makepyfile(
        test_strict_module="""
        import pytest

        pytestmark = pytest.mark.connect_stub(strict=True)

        def test_one(connect_stub):
            assert connect_stub.strict is True

        def test_two(connect_stub):
            assert connect_stub.strict is True
        """,
        test_other_module="""
        def test_three(connect_stub):
            assert connect_stub.strict is False
        """,
    )
    user.runpytest().assert_outcomes(passed=3)


def test_closest_marker_wins_and_options_merge(user: pytest.Pytester) -> None:
    user.makepyfile(
        """
        import pytest

        pytestmark = pytest.mark.connect_stub(strict=True, instances={"inst-1": ["q-1"]})

        def test_module_level(connect_stub):
            assert connect_stub.strict is True
            assert connect_stub.instances == {"inst-1": ["q-1"]}

        @pytest.mark.connect_stub(strict=False, seed=1)
        class TestLenient:
            def test_class_level(self, connect_stub):
                assert connect_stub.strict is False
                assert connect_stub.instances == {"inst-1": ["q-1"]}

            @pytest.mark.connect_stub(strict=True)
            def test_test_level(self, connect_stub):
                assert connect_stub.strict is True

            @pytest.mark.connect_stub(instances={"inst-2": []})
            def test_instances_replaced(self, connect_stub):
                assert connect_stub.strict is False
                assert connect_stub.instances == {"inst-2": []}
        """
    )
    user.runpytest().assert_outcomes(passed=4)


def test_marked_test_gets_the_stub_without_requesting_the_fixture(
    user: pytest.Pytester,
) -> None:
    user.makepyfile(
        """
        import pytest

        @pytest.mark.connect_stub(strict=True)
        def test_marked(client, item):
            with pytest.raises(client.exceptions.ResourceNotFoundException) as raised:
                client.batch_put_contact(InstanceId="inst-1", ContactDataRequestList=[item()])
            assert "Instance 'inst-1' does not exist" in str(raised.value)

        @pytest.mark.connect_stub()
        def test_marked_without_options(request, client, item):
            resp = client.batch_put_contact(InstanceId="inst-1", ContactDataRequestList=[item()])
            assert len(resp["SuccessfulRequestList"]) == 1
            assert len(request.getfixturevalue("connect_stub").calls) == 1

        @pytest.mark.connect_stub
        class TestMarkedClass:
            def test_in_class(self, request):
                assert request.getfixturevalue("connect_stub").active
        """
    )
    user.runpytest().assert_outcomes(passed=3)


def test_option_typo_fails_naming_the_option_and_the_valid_ones(user: pytest.Pytester) -> None:
    user.makepyfile(
        """
        import pytest

        @pytest.mark.connect_stub(strcit=True)
        def test_typo(connect_stub):
            pass
        """
    )
    result = user.runpytest()
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(
        [
            "*_ ERROR at setup of test_typo _*",
            literal(
                "@pytest.mark.connect_stub got an unknown option 'strcit'. "
                f"Did you mean 'strict'? Valid options: {VALID_OPTIONS}."
            ),
            "=*= short test summary info =*=",
        ]
    )
    result.stdout.no_fnmatch_line("*During handling*")


def test_option_typo_in_a_module_marker_fails_every_test(user: pytest.Pytester) -> None:
    user.makepyfile(
        """
        import pytest

        pytestmark = pytest.mark.connect_stub(asert_all_used=False)

        def test_one(connect_stub):
            pass

        @pytest.mark.connect_stub(strict=True)
        def test_two(connect_stub):
            pass
        """
    )
    result = user.runpytest()
    result.assert_outcomes(errors=2)
    result.stdout.fnmatch_lines(
        [
            literal(
                "@pytest.mark.connect_stub got an unknown option 'asert_all_used'. "
                f"Did you mean 'assert_all_used'? Valid options: {VALID_OPTIONS}."
            )
        ]
        * 2
    )


def test_option_unlike_any_valid_one_is_named_without_a_guess(user: pytest.Pytester) -> None:
    user.makepyfile(
        """
        import pytest

        @pytest.mark.connect_stub(region="us-east-1")
        def test_unknown(connect_stub):
            pass
        """
    )
    result = user.runpytest()
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(
        [
            literal(
                "@pytest.mark.connect_stub got an unknown option 'region'. "
                f"Valid options: {VALID_OPTIONS}."
            )
        ]
    )


def test_positional_marker_arguments_are_rejected(user: pytest.Pytester) -> None:
    user.makepyfile(
        """
        import pytest

        @pytest.mark.connect_stub(True)
        def test_positional(connect_stub):
            pass
        """
    )
    result = user.runpytest()
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(
        [
            literal(
                "@pytest.mark.connect_stub takes keyword options only, got (True,). "
                f"Valid options: {VALID_OPTIONS}."
            )
        ]
    )


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (
            'disable_rules=["MISSING_CAMPAIG"]',
            "connect_stub options: Unknown rule in disable_rules 'MISSING_CAMPAIG'. "
            "Did you mean 'MISSING_CAMPAIGN'? Valid values: IDEMPOTENCY_EXCEPTION, "
            "MISSING_CUSTOMER_ENDPOINT, INVALID_CUSTOMER_ENDPOINT, "
            "MISSING_QUEUE_ID_AND_SYSTEM_ENDPOINT, INVALID_SYSTEM_ENDPOINT, INVALID_QUEUE, "
            "MISSING_CAMPAIGN, INVALID_ATTRIBUTE_KEY, INVALID_OUTBOUND_STRATEGY.",
        ),
        (
            'instances=["inst-1"]',
            "connect_stub options: instances must map instance IDs to their queue IDs, "
            "e.g. {'inst-1': ['queue-1']}; got ['inst-1']",
        ),
        (
            'seed="7"',
            "connect_stub options: seed must be an int or None, not '7'",
        ),
    ],
)
def test_invalid_option_value_fails_with_one_clear_message(
    user: pytest.Pytester, options: str, message: str
) -> None:
    user.makepyfile(
        f"""
        import pytest

        @pytest.mark.connect_stub({options})
        def test_bad_value(connect_stub):
            pass
        """
    )
    result = user.runpytest()
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*_ ERROR at setup of test_bad_value _*", literal(message)])
    assert result.stdout.str().count(message.split(": ", 1)[1]) == 1


def test_ini_strict_sets_the_suite_default(user: pytest.Pytester) -> None:
    add_ini_lines(user, "connect_stub_strict = true\n")
    user.makepyfile(
        """
        import pytest

        def test_strict_by_default(connect_stub, client, item):
            assert connect_stub.strict is True
            with pytest.raises(client.exceptions.ResourceNotFoundException):
                client.batch_put_contact(InstanceId="inst-1", ContactDataRequestList=[item()])

        @pytest.mark.connect_stub(strict=False)
        def test_marker_overrides_ini(connect_stub):
            assert connect_stub.strict is False
        """
    )
    user.runpytest().assert_outcomes(passed=2)


def test_ini_disable_rules_sets_the_suite_default(user: pytest.Pytester) -> None:
    add_ini_lines(user, "connect_stub_disable_rules = MISSING_CAMPAIGN INVALID_QUEUE\n")
    user.makepyfile(
        """
        import pytest

        @pytest.mark.connect_stub(strict=True, instances={"inst-1": []})
        def test_rules_off(connect_stub, client, item):
            assert connect_stub.disabled_rules == {"MISSING_CAMPAIGN", "INVALID_QUEUE"}
            resp = client.batch_put_contact(
                InstanceId="inst-1",
                ContactDataRequestList=[item(Campaign=None, QueueId="unknown-queue")],
            )
            assert resp["FailedRequestList"] == []

        @pytest.mark.connect_stub(disable_rules=[])
        def test_marker_overrides_ini(connect_stub, client, item):
            resp = client.batch_put_contact(
                InstanceId="inst-1", ContactDataRequestList=[item(Campaign=None)]
            )
            assert [f["FailureReasonCode"] for f in resp["FailedRequestList"]] == [
                "MISSING_CAMPAIGN"
            ]
        """
    )
    user.runpytest().assert_outcomes(passed=2)


def test_marker_is_registered_for_strict_markers(user: pytest.Pytester) -> None:
    user.makepyfile(
        """
        import pytest

        @pytest.mark.connect_stub(strict=True)
        def test_marked(connect_stub):
            assert connect_stub.strict
        """
    )
    user.runpytest("--strict-markers").assert_outcomes(passed=1)
    result = user.runpytest("--markers")
    result.stdout.fnmatch_lines(["@pytest.mark.connect_stub(**options): *"])


BOOL_OPTIONS = [
    "connect_stub_strict",
    "connect_stub_assert_all_used",
    "connect_stub_skip_retry_sleep",
]


@pytest.mark.parametrize("name", BOOL_OPTIONS)
@pytest.mark.parametrize("value", ["flase", "2"])
def test_ini_bool_typo_stops_the_run_naming_option_value_and_accepted_ones(
    user: pytest.Pytester, name: str, value: str
) -> None:
    add_ini_lines(user, f"{name} = {value}\n")
    user.makepyfile(
        """
        def test_any(connect_stub):
            pass

        def test_without_the_stub():
            pass
        """
    )
    result = user.runpytest()
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert [line for line in result.errlines if line] == [
        f"ERROR: {name} in the pytest configuration: invalid truth value {value!r}. "
        "Use true or false (an ini file also takes yes/no, on/off, y/n, t/f or 1/0, "
        "in any case)."
    ]
    assert "Traceback" not in result.stdout.str() + result.stderr.str()


def test_ini_args_option_that_cannot_be_split_stops_the_run_naming_it(
    user: pytest.Pytester,
) -> None:
    add_ini_lines(user, 'connect_stub_disable_rules = "MISSING_CAMPAIGN\n')
    user.makepyfile(
        """
        def test_any(connect_stub):
            pass
        """
    )
    result = user.runpytest()
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(
        [
            "ERROR: connect_stub_disable_rules in the pytest configuration: No closing "
            "quotation. Give FailureReasonCodes: a list, or space-separated words in an ini "
            "file."
        ]
    )
    assert "Traceback" not in result.stdout.str() + result.stderr.str()


@pytest.mark.parametrize(("value", "expected"), [("yes", True), ("Off", False), ("1", True)])
def test_ini_bool_options_take_pytests_spellings(
    user: pytest.Pytester, value: str, expected: bool
) -> None:
    add_ini_lines(user, f"connect_stub_strict = {value}\n")
    user.makepyfile(
        f"""
        def test_strict(connect_stub):
            assert connect_stub.strict is {expected}
        """
    )
    user.runpytest().assert_outcomes(passed=1)
