"""The stub's options, defined once.

``StubOptions`` is the one definition of every option: its name, type, default, help text,
check and, where it has one, its ini name. The constructor of ``ConnectStub``, the
``connect_stub`` marker, the ini options, the marker's help line and the README's table all
read it; a new option is one field here (and its keyword in ``ConnectStub.__init__``, which a
test keeps in step).

This module imports nothing heavy: the pytest plugin reads it when it loads.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Iterable, Mapping
from datetime import timedelta
from typing import Any, Literal, NamedTuple, cast

from .hints import did_you_mean

#: How long a ClientToken is remembered: 7 days, as Connect's StartOutboundVoiceContact.
DEFAULT_TOKEN_TTL = 7 * 24 * 3600.0

Duration = timedelta | float
IniType = Literal["bool", "args"]
Check = Callable[[str, Any], Any]


def _flag(name: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise TypeError(f"{name} must be True or False, not {value!r}")
    return value


def _instances(name: str, value: Any) -> dict[str, tuple[str, ...]] | None:
    __tracebackhide__ = True
    if value is None:
        return None
    example = f"{name} must map instance IDs to their queue IDs, e.g. {{'inst-1': ['queue-1']}}"
    if not isinstance(value, Mapping):
        raise TypeError(f"{example}; got {value!r}")
    checked = {}
    for instance, queues in value.items():
        if not isinstance(instance, str):
            raise TypeError(f"{example}; got the instance ID {instance!r}")
        checked[instance] = queue_ids(example, instance, queues)
    return checked


def queue_ids(example: str, instance: str, queues: Any) -> tuple[str, ...]:
    """``queues`` as a tuple of queue IDs, or a TypeError that starts with ``example``."""
    __tracebackhide__ = True
    # A string is iterable too, and would register each of its letters as a queue.
    if isinstance(queues, (str, bytes)) or not isinstance(queues, Iterable):
        raise TypeError(f"{example}; got {queues!r} for instance {instance!r}")
    checked = tuple(queues)
    for queue in checked:
        if not isinstance(queue, str) or not queue:
            raise TypeError(f"{example}; got the queue ID {queue!r} for instance {instance!r}")
    return checked


def _rules(name: str, value: Any) -> frozenset[str]:
    __tracebackhide__ = True
    from .rules import RULE_CODES

    if isinstance(value, str):
        value = [value]
    elif not isinstance(value, Iterable):
        raise TypeError(
            f"{name} must be a list of FailureReasonCodes, e.g. ['MISSING_CAMPAIGN']; got {value!r}"
        )
    codes = list(value)
    for code in codes:
        if not isinstance(code, str) or code not in RULE_CODES:
            raise ValueError(
                f"Unknown rule in {name} {code!r}.{did_you_mean(str(code), RULE_CODES)} "
                f"Valid values: {', '.join(RULE_CODES)}."
            )
    return frozenset(codes)


def _seed(name: str, value: Any) -> int | None:
    if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
        raise TypeError(f"{name} must be an int or None, not {value!r}")
    return value


def seconds(name: str, value: Any) -> float:
    """A duration as finite seconds: a timedelta or a number >= 0; ValueError naming ``name``."""
    __tracebackhide__ = True
    number = value.total_seconds() if isinstance(value, timedelta) else value
    problem = f"{name} must be a timedelta or a number of seconds >= 0, not {value!r}"
    if isinstance(number, bool) or not isinstance(number, (int, float)) or number < 0:
        raise ValueError(problem)
    try:
        result = float(number)
    except OverflowError:  # an int too large for a float
        result = math.inf
    # nan passes "< 0" and inf would make the clock itself inf (or nan, as inf - inf).
    if not math.isfinite(result):
        raise ValueError(f"{problem}: it must be finite")
    return result


def _about(check: Check, help: str, ini: IniType | None = None) -> dict[str, Any]:
    return {"check": check, "help": help, "ini": ini}


@dataclasses.dataclass(frozen=True)
class StubOptions:
    """Every option of a ConnectStub, checked and normalized when constructed.

    Raises TypeError or ValueError naming the option and what it accepts.
    """

    strict: bool = dataclasses.field(
        default=False,
        metadata=_about(_flag, "unknown instances and queues fail as in real Connect", "bool"),
    )
    instances: Mapping[str, Iterable[str]] | None = dataclasses.field(
        default=None,
        metadata=_about(_instances, "{instance_id: [queue_id, ...]} known from the start"),
    )
    disable_rules: Iterable[str] = dataclasses.field(
        default=(),
        metadata=_about(_rules, "FailureReasonCodes whose default per-item rule is off", "args"),
    )
    assert_all_used: bool = dataclasses.field(
        default=True,
        metadata=_about(_flag, "fail a test that left scripted outcomes unused", "bool"),
    )
    seed: int | None = dataclasses.field(
        default=None,
        metadata=_about(_seed, "makes ContactIds a repeatable sequence"),
    )
    token_ttl: Duration = dataclasses.field(
        default=DEFAULT_TOKEN_TTL,
        metadata=_about(seconds, "how long a ClientToken is remembered, on the stub's clock"),
    )
    skip_retry_sleep: bool = dataclasses.field(
        default=True,
        metadata=_about(
            _flag, "skip botocore's back-off sleep after an attempt the stub answered", "bool"
        ),
    )

    def __post_init__(self) -> None:
        for field in dataclasses.fields(self):
            checked = field.metadata["check"](field.name, getattr(self, field.name))
            object.__setattr__(self, field.name, checked)


def fields() -> tuple[dataclasses.Field[Any], ...]:
    """The options' definitions, in order."""
    return dataclasses.fields(StubOptions)


def names() -> list[str]:
    """The options' names, in order."""
    return [field.name for field in fields()]


def unknown_option(owner: str, given: Iterable[str]) -> str | None:
    """What to say of the first of ``given`` that is no option, naming the valid ones; None
    when all are options. The caller raises it as its own kind of error."""
    valid = names()
    for name in given:
        if name not in valid:
            return (
                f"{owner} got an unknown option {name!r}.{did_you_mean(name, valid)} "
                f"Valid options: {', '.join(valid)}."
            )
    return None


class IniOption(NamedTuple):
    """An option a suite may set in its pytest configuration."""

    option: str
    name: str
    type: IniType
    default: Any
    help: str
    #: The option's own check, which the plugin runs on the ini file's value.
    check: Check


def ini_options() -> list[IniOption]:
    """The options a suite may set in its ini file, with their ini names."""
    return [
        IniOption(
            field.name,
            f"connect_stub_{field.name}",
            field.metadata["ini"],
            # pytest wants a list for "args"; the dataclass keeps an immutable default.
            list(cast(Iterable[str], field.default))
            if field.metadata["ini"] == "args"
            else field.default,
            field.metadata["help"],
            field.metadata["check"],
        )
        for field in fields()
        if field.metadata["ini"] is not None
    ]
