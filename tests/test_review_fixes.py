"""Defects an adversarial review of issue 7's work found: each is answered where a user meets it.

Options that would be misread, ini values checked before any test runs, ``times`` checked in
the assertions, scripted values the stub could never send, and failure messages whose size
does not grow with the calls.
"""

from __future__ import annotations

from typing import Any

import pytest
from connect_model import reason_unions
from helpers import add_ini_lines, contact_item, literal

from pytest_connect_stub import ConnectStub

INSTANCES_HINT = "instances must map instance IDs to their queue IDs, e.g. {'inst-1': ['queue-1']}"


# --- 1. options that would be misread ---------------------------------------------------------


@pytest.mark.parametrize(
    ("instances", "got"),
    [
        ({"i": "queue-1"}, "got 'queue-1' for instance 'i'"),
        ({"i": None}, "got None for instance 'i'"),
        ({"i": 7}, "got 7 for instance 'i'"),
        ({"i": [None]}, "got the queue ID None for instance 'i'"),
        ({3: ["queue-1"]}, "got the instance ID 3"),
    ],
)
def test_instances_that_are_not_lists_of_queue_ids_are_refused_naming_the_option(
    instances: Any, got: str
) -> None:
    with pytest.raises(TypeError) as raised:
        ConnectStub(instances=instances)
    assert str(raised.value) == f"{INSTANCES_HINT}; {got}"


@pytest.mark.parametrize("value", [None, 5])
def test_disable_rules_that_is_not_a_list_is_refused_naming_the_option(value: Any) -> None:
    with pytest.raises(TypeError) as raised:
        ConnectStub(disable_rules=value)
    assert str(raised.value) == (
        "disable_rules must be a list of FailureReasonCodes, e.g. ['MISSING_CAMPAIGN']; "
        f"got {value!r}"
    )


def test_a_queue_given_as_a_string_in_the_marker_fails_the_test_naming_the_option(
    user: pytest.Pytester,
) -> None:
    user.makepyfile(
        """
        import pytest

        @pytest.mark.connect_stub(strict=True, instances={"i": "queue-1"})
        def test_strict(connect_stub):
            pass
        """
    )
    result = user.runpytest()
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(
        [literal(f"connect_stub options: {INSTANCES_HINT}; got 'queue-1' for instance 'i'")]
    )


# --- 9. ini values are checked once, when pytest configures ------------------------------------


def test_an_unknown_rule_in_the_ini_file_stops_the_run_naming_the_ini_option(
    user: pytest.Pytester,
) -> None:
    from pytest_connect_stub.rules import RULE_CODES

    add_ini_lines(user, "connect_stub_disable_rules = MISSING_CAMPAIGN INVALID_QUEU\n")
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
        "ERROR: In the pytest configuration: Unknown rule in connect_stub_disable_rules "
        "'INVALID_QUEU'. Did you mean 'INVALID_QUEUE'? "
        f"Valid values: {', '.join(RULE_CODES)}."
    ]
    assert "Traceback" not in result.stdout.str() + result.stderr.str()


# --- 10. assert_called(times=) -----------------------------------------------------------------

TIMES_HINT = "times must be a whole number >= 0, or None for at least once"


@pytest.mark.parametrize(
    ("times", "error"), [("1", TypeError), (1.0, TypeError), (True, TypeError), (-1, ValueError)]
)
def test_assert_called_refuses_a_times_no_count_could_equal(
    times: Any, error: type[Exception], client: Any, item: Any
) -> None:
    with ConnectStub() as stub:
        client.batch_put_contact(InstanceId="inst-1", ContactDataRequestList=[item()])
        with pytest.raises(error) as raised:
            stub.assert_called(times=times)
    assert str(raised.value) == f"{TIMES_HINT}; got {times!r}"


def test_a_bad_times_points_at_the_users_line(user: pytest.Pytester) -> None:
    user.makepyfile(
        """
        def test_count(connect_stub):
            connect_stub.assert_called(times=-1)
        """
    )
    result = user.runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            ">       connect_stub.assert_called(times=-1)",
            literal(f"E       ValueError: {TIMES_HINT}; got -1"),
        ]
    )


# --- 11. scripted values the stub could never send ---------------------------------------------


def _script(stub: ConnectStub, how: str) -> None:
    """Script one outcome with a bad value, as a test would."""
    good = {"RequestIdentifier": "req-1", "ContactId": "contact-1"}
    scripts = {
        "respond_with int key": lambda: stub.respond_with({1: []}),  # type: ignore[dict-item]
        "respond_with nested int key": lambda: stub.respond_with(
            {"SuccessfulRequestList": [{**good, 3: "x"}]}
        ),
        "respond_with surrogate": lambda: stub.respond_with(
            {"SuccessfulRequestList": [{**good, "ContactId": "c\udc80"}]}
        ),
        "respond_with surrogate name": lambda: stub.respond_with(
            {"SuccessfulRequestList": [{**good, "x\ud800": "y"}]}
        ),
        "fail message": lambda: stub.fail("req-1", "INVALID_QUEUE", "bad \udc80"),
        "fail request": lambda: stub.fail("req-\udc80", "INVALID_QUEUE"),
        "succeed contact_id": lambda: stub.succeed("req-1", contact_id="c\udc80"),
        "raise_error message": lambda: stub.raise_error("ThrottlingException", "bad \udc80"),
        "raise_error reason key": lambda: stub.raise_error(
            "InvalidRequestException",
            reason={5: "INVALID_FILE_SIZE"},  # type: ignore[dict-item]
        ),
        "advance_clock nan": lambda: stub.advance_clock(float("nan")),
        "advance_clock inf": lambda: stub.advance_clock(float("inf")),
    }
    scripts[how]()


@pytest.mark.parametrize(
    ("how", "error", "message"),
    [
        (
            "respond_with int key",
            TypeError,
            "Invalid BatchPutContact response: member names are strings; got 1 at the top.",
        ),
        (
            "respond_with nested int key",
            TypeError,
            "Invalid BatchPutContact response: member names are strings; got 3 in "
            "'SuccessfulRequestList[0]'.",
        ),
        (
            "respond_with surrogate",
            ValueError,
            "Invalid BatchPutContact response: the string at "
            "'SuccessfulRequestList[0].ContactId' is not valid Unicode: it holds the lone "
            "surrogate \\udc80 at index 1.",
        ),
        (
            "respond_with surrogate name",
            ValueError,
            "Invalid BatchPutContact response: the member name at "
            "'SuccessfulRequestList[0].x\\ud800' is not valid Unicode: it holds the lone "
            "surrogate \\ud800 at index 1.",
        ),
        (
            "fail message",
            ValueError,
            "message is not valid Unicode: it holds the lone surrogate \\udc80 at index 4.",
        ),
        (
            "fail request",
            ValueError,
            "request is not valid Unicode: it holds the lone surrogate \\udc80 at index 4.",
        ),
        (
            "succeed contact_id",
            ValueError,
            "contact_id is not valid Unicode: it holds the lone surrogate \\udc80 at index 1.",
        ),
        (
            "raise_error message",
            ValueError,
            "message is not valid Unicode: it holds the lone surrogate \\udc80 at index 4.",
        ),
        (
            "raise_error reason key",
            TypeError,
            "Invalid reason for InvalidRequestException: member names are strings; got 5 at "
            "the top.",
        ),
        (
            "advance_clock nan",
            ValueError,
            "delta must be a timedelta or a number of seconds >= 0, not nan: it must be finite",
        ),
        (
            "advance_clock inf",
            ValueError,
            "delta must be a timedelta or a number of seconds >= 0, not inf: it must be finite",
        ),
    ],
)
def test_a_scripted_value_the_stub_could_not_send_is_refused_where_it_is_scripted(
    how: str, error: type[Exception], message: str
) -> None:
    if how == "raise_error reason key" and not reason_unions():
        pytest.skip("this botocore models no Reason union")
    stub = ConnectStub()
    with pytest.raises(error) as raised:
        _script(stub, how)
    assert str(raised.value) == message


@pytest.mark.parametrize("ttl", [float("nan"), float("inf"), 10**400], ids=["nan", "inf", "huge"])
def test_a_token_ttl_that_is_not_finite_is_refused(ttl: float) -> None:
    with pytest.raises(ValueError) as raised:
        ConnectStub(token_ttl=ttl)
    assert str(raised.value).startswith("token_ttl must be a timedelta or a number of seconds")
    assert str(raised.value).endswith(": it must be finite")


def test_a_bad_respond_with_points_at_the_users_line(user: pytest.Pytester) -> None:
    user.makepyfile(
        """
        def test_script(connect_stub):
            connect_stub.respond_with({1: []})
        """
    )
    result = user.runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            ">       connect_stub.respond_with({1: []})",
            "E       TypeError: Invalid BatchPutContact response: member names are strings; "
            "got 1 at the top.",
        ]
    )


# --- 6. failure messages do not grow with the size of each call ---------------------------------


def _batch(size: int, **fields: Any) -> list[dict[str, Any]]:
    return [contact_item(f"req-{n}", **fields) for n in range(size)]


def _message(check: Any) -> str:
    with pytest.raises(AssertionError) as raised:
        check()
    return str(raised.value)


def test_a_message_about_calls_of_25_items_shows_a_few_items_of_each(client: Any) -> None:
    with ConnectStub() as stub:
        for n in range(30):
            client.batch_put_contact(InstanceId=f"inst-{n}", ContactDataRequestList=_batch(25))
        message = _message(lambda: stub.assert_any_call(InstanceId="inst-x"))
    lines = message.splitlines()
    # 390 lines before: every item of the three closest calls, pretty-printed.
    assert len(lines) <= 70
    assert lines[1] == "Calls received (30); the 3 closest to the expected:"
    assert lines.count("                                    ... and 22 more items],") == 3
    for n in range(3):
        assert f"      differs at InstanceId: expected 'inst-x', got 'inst-{n}'" in lines


def test_long_values_are_cut_and_many_differences_counted(client: Any) -> None:
    attributes = {f"attribute-{k}": "v" * 300 for k in range(100)}
    expected = [contact_item("req-0", Attributes=dict.fromkeys(attributes, "w" * 300))]
    with ConnectStub(disable_rules=["INVALID_ATTRIBUTE_KEY"]) as stub:
        for n in range(3):
            client.batch_put_contact(
                InstanceId=f"inst-{n}", ContactDataRequestList=_batch(1, Attributes=attributes)
            )
        messages = [
            _message(lambda: stub.assert_any_call(InstanceId="inst-x")),
            _message(lambda: stub.assert_called_with(ContactDataRequestList=expected)),
            _message(lambda: stub.assert_any_contact(Attributes={"attribute-0": "w" * 300})),
        ]
    cut_v = f"{'v' * 120!r}... (300 characters)"
    cut_w = f"{'w' * 120!r}... (300 characters)"
    for message in messages:
        # 345 lines and 114 KB before: every attribute, every character.
        assert len(message.splitlines()) <= 90
        assert len(message) <= 20_000
        assert "v" * 121 not in message
        assert "w" * 121 not in message
        assert "...: and 90 more members}" in message
    called_with = messages[1].splitlines()
    assert called_with[:7] == [
        "The last BatchPutContact call does not match:",
        *(
            f"  ContactDataRequestList[0].Attributes.attribute-{k}: expected {cut_w}, got {cut_v}"
            for k in range(5)
        ),
        "  ... and 95 more differences",
    ]
    assert "      ... and 95 more differences" in called_with
    assert messages[2].splitlines()[0] == (
        f"No contact created matches {{'Attributes': {{'attribute-0': {cut_w}}}}}."
    )


def test_a_difference_past_the_items_shown_is_still_named(client: Any) -> None:
    with ConnectStub() as stub:
        client.batch_put_contact(
            InstanceId="inst-1",
            ContactDataRequestList=[*_batch(24), contact_item("req-24", QueueId="queue-9")],
        )
        message = _message(lambda: stub.assert_called_with(ContactDataRequestList=_batch(25)))
    assert message.splitlines()[1] == (
        "  ContactDataRequestList[24].QueueId: expected 'queue-1', got 'queue-9'"
    )
    assert "      differs at ContactDataRequestList[24].QueueId: expected 'queue-1', got " in (
        message
    )


# --- 12. request-level names in assert_any_contact -----------------------------------------------


def test_assert_any_contact_on_instance_id_says_it_is_an_attribute(client: Any) -> None:
    with ConnectStub() as stub:
        client.batch_put_contact(InstanceId="inst-1", ContactDataRequestList=[contact_item()])
        message = _message(
            lambda: stub.assert_any_contact(InstanceId="inst-1", QueueId="queue-1")
        ).splitlines()
    assert message[:2] == [
        "No contact created matches {'InstanceId': 'inst-1', 'QueueId': 'queue-1'}.",
        "InstanceId is not in a ContactDataRequest: it is each contact's .instance_id "
        "attribute; check it on connect_stub.contacts.values() instead.",
    ]
    assert "Contacts created (1):" in message[2:]


@pytest.mark.parametrize(
    ("key", "attribute"),
    [("ContactId", "contact_id"), ("ClientToken", "client_token"), ("instanceID", "instance_id")],
)
def test_other_request_level_names_are_explained_too(client: Any, key: str, attribute: str) -> None:
    with ConnectStub() as stub:
        client.batch_put_contact(InstanceId="inst-1", ContactDataRequestList=_batch(1))
        message = _message(lambda: stub.assert_any_contact(**{key: "x"}))
    assert message.splitlines()[1] == (
        f"{key} is not in a ContactDataRequest: it is each contact's .{attribute} attribute; "
        "check it on connect_stub.contacts.values() instead."
    )


@pytest.mark.parametrize(("extra", "elided"), [(4, "{...}"), (5, "[...]")])
def test_data_nested_past_what_a_message_shows_is_elided(extra: int, elided: str) -> None:
    from pytest_connect_stub.reports import DEPTH_SHOWN, shown

    deep: Any = "bottom"
    for level in range(DEPTH_SHOWN + extra):
        deep = {"member": deep} if level % 2 else [deep]
    text = shown(deep)
    # DEPTH_SHOWN levels shown, then the next one elided, the rest left out.
    assert text.count("{'member': ") + text.count("[") - text.count("[...]") == DEPTH_SHOWN
    assert elided in text
    assert "bottom" not in text
