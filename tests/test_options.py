"""The stub's options have one definition, which the constructor, ini options and docs follow."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest

from pytest_connect_stub import ConnectStub
from pytest_connect_stub.options import StubOptions, fields, ini_options, names

README = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")


def test_the_constructor_takes_exactly_the_defined_options_with_their_defaults() -> None:
    parameters = inspect.signature(ConnectStub.__init__).parameters
    keyword = {
        name: parameter.default
        for name, parameter in parameters.items()
        if parameter.kind is inspect.Parameter.KEYWORD_ONLY
    }
    assert keyword == {field.name: field.default for field in fields()}


def test_every_option_has_a_row_in_the_readme_options_table() -> None:
    rows = dict(re.findall(r"^\| `(\w+)` \|[^|]*\|([^|]*)\|", README, flags=re.MULTILINE))
    for name in names():
        assert name in rows, f"README's options table has no row for {name}"
    for ini in ini_options():
        assert rows[ini.option].strip() == f"`{ini.name}`"
    assert {ini.name for ini in ini_options()} == {
        "connect_stub_strict",
        "connect_stub_disable_rules",
        "connect_stub_assert_all_used",
        "connect_stub_skip_retry_sleep",
    }


@pytest.mark.parametrize(
    ("options", "error", "message"),
    [
        ({"strict": "yes"}, TypeError, "strict must be True or False, not 'yes'"),
        ({"seed": 1.5}, TypeError, "seed must be an int or None, not 1.5"),
        (
            {"token_ttl": -1},
            ValueError,
            "token_ttl must be a timedelta or a number of seconds >= 0, not -1",
        ),
        (
            {"disable_rules": ["MISSING_CAMPAGN"]},
            ValueError,
            "Unknown rule in disable_rules 'MISSING_CAMPAGN'. Did you mean 'MISSING_CAMPAIGN'?",
        ),
    ],
)
def test_a_bad_option_is_refused_naming_it(
    options: dict[str, object], error: type[Exception], message: str
) -> None:
    with pytest.raises(error) as raised:
        StubOptions(**options)  # type: ignore[arg-type]
    assert str(raised.value).startswith(message)


def test_options_are_normalized_once() -> None:
    options = StubOptions(disable_rules="MISSING_CAMPAIGN", instances={"inst-1": ["q-1"]})
    assert options.disable_rules == frozenset({"MISSING_CAMPAIGN"})
    assert options.instances == {"inst-1": ("q-1",)}
