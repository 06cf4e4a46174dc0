"""Hypothesis strategies for any document the model-derived request schema accepts.

hypothesis-jsonschema is not used: its 0.23.1 release calls ``many.more()`` from Hypothesis's
private internals, gone in the installed Hypothesis, and cannot resolve ``$ref``s under the
schema's URN ``$id``. This small generator covers exactly the keywords ``schema.py`` emits
and fails loudly on any other, so a change to the schema cannot go untested.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from pytest_connect_stub import schema

Json = dict[str, Any]
Pointer = tuple[str | int, ...]

ROOT: Json = schema.request_schema()
REQUEST_CHECK = Draft202012Validator(ROOT)
OWN_ERRORS = frozenset({"InvalidRequestException", "ResourceNotFoundException"})
URL = "https://connect.us-east-1.amazonaws.com/contact/batch/"


#: Every keyword schema.py writes. Another one fails the run: the generator must learn it first.
_KEYWORDS = frozenset(
    {
        "$ref",
        "type",
        "properties",
        "required",
        "additionalProperties",
        "propertyNames",
        "items",
        "minItems",
        "maxItems",
        "minLength",
        "maxLength",
        "minProperties",
        "maxProperties",
        "enum",
        "minimum",
        "maximum",
        "pattern",
    }
)
_DOCUMENT_KEYWORDS = frozenset({"$schema", "$id", "title", "$comment", "$defs"})


def resolve(node: Mapping[str, Any]) -> Json:
    """Follow ``$ref``s into the request schema's ``$defs``."""
    while "$ref" in node:
        prefix, _, name = node["$ref"].rpartition("/")
        assert prefix == "#/$defs", node["$ref"]
        node = ROOT["$defs"][name]
    return dict(node)


def is_map(node: Mapping[str, Any]) -> bool:
    return node.get("type") == "object" and "propertyNames" in node


_strategies: dict[str, st.SearchStrategy[Any]] = {}


def valid_values(node: Mapping[str, Any]) -> st.SearchStrategy[Any]:
    """Values that satisfy ``node``, a (sub)schema of the request schema."""
    if "$ref" in node:
        ref = node["$ref"]
        if ref not in _strategies:
            # Deferred, so a recursive shape in some future model still terminates here.
            _strategies[ref] = st.deferred(lambda: _values(resolve(node)))
        return _strategies[ref]
    return _values(dict(node))


def _values(node: Json) -> st.SearchStrategy[Any]:
    unknown = set(node) - _KEYWORDS - _DOCUMENT_KEYWORDS
    assert not unknown, f"teach test_properties.py the schema keywords {sorted(unknown)}"
    if "enum" in node:
        return st.sampled_from(node["enum"])
    kind = node["type"]
    if is_map(node):
        return st.dictionaries(
            _strings(resolve(node["propertyNames"])),
            valid_values(node["additionalProperties"]),
            min_size=node.get("minProperties", 0),
            max_size=min(node.get("maxProperties", 3), 3),
        )
    if kind == "object":
        members = node["properties"]
        if node.get("maxProperties") == 1:  # a union: exactly one member
            return st.one_of(
                [st.fixed_dictionaries({name: valid_values(s)}) for name, s in members.items()]
            )
        required = set(node.get("required", ()))
        return st.fixed_dictionaries(
            {name: valid_values(s) for name, s in members.items() if name in required},
            optional={name: valid_values(s) for name, s in members.items() if name not in required},
        )
    if kind == "array":
        return st.lists(
            valid_values(node["items"]),
            min_size=node.get("minItems", 0),
            max_size=node.get("maxItems", 4),
        )
    if kind == "string":
        return _strings(node)
    if kind == "integer":
        return st.integers(node.get("minimum"), node.get("maximum"))
    if kind == "boolean":
        return st.booleans()
    raise AssertionError(f"teach test_properties.py to generate {kind!r}")


def _strings(node: Json) -> st.SearchStrategy[str]:
    if "pattern" in node:
        pattern: str = node["pattern"]
        return st.from_regex(pattern, fullmatch=True).filter(
            lambda s: node.get("minLength", 0) <= len(s) <= node.get("maxLength", len(s))
        )
    low, high = node.get("minLength", 0), node.get("maxLength")
    text = st.text(min_size=low, max_size=high)
    if high is not None and high <= 1000:
        # The boundary itself, which small random strings almost never reach.
        return st.one_of(text, st.text(min_size=high, max_size=high))
    return text


def child(node: Mapping[str, Any], *names: str) -> Json:
    """The resolved subschema of a member path, e.g. ``child(ROOT, "ContactDataRequestList")``."""
    found = resolve(node)
    for name in names:
        found = resolve(found["items"] if name == "[]" else found["properties"][name])
    return found


LIST = child(ROOT, "ContactDataRequestList")
ITEM = child(LIST, "[]")
IDENTIFIERS = ("req-1", "req-2", "req-3")


def without(node: Mapping[str, Any], names: frozenset[str]) -> Json:
    """``node``, an object schema, with the members ``names`` neither required nor drawn."""
    return {
        **node,
        "properties": {k: v for k, v in node["properties"].items() if k not in names},
        "required": [name for name in node.get("required", ()) if name not in names],
    }


# What items() and valid_requests() replace is left out of the schema they draw from, rather than
# drawn and thrown away: the same documents come out at a fraction of the draws. Built once.
_PLAUSIBLE = frozenset({"CustomerEndpoint", "QueueId", "Campaign", "Attributes"})
_ANY_ITEM = valid_values(ITEM)
_ITEM_BUT_PLAUSIBLE = valid_values(without(ITEM, _PLAUSIBLE))
_PHONE_NUMBERS = st.from_regex(r"\+[1-9][0-9]{1,14}", fullmatch=True)
_QUEUES = st.sampled_from(["queue-1", "queue-2"])
_IDENTIFIER_USES = st.sampled_from(["keep", "drop", "shared"])
_SHARED_IDENTIFIERS = st.sampled_from(IDENTIFIERS)
_PARAMS_BUT_LIST = valid_values(without(ROOT, frozenset({"ContactDataRequestList"})))


@st.composite
def items(draw: st.DrawFn) -> Json:
    """A ContactDataRequest from the schema; often reachable, often sharing an identifier."""
    if draw(st.booleans()):
        # Plausible endpoints, queue and campaign, so the simulated rules also let items through.
        item: Json = draw(_ITEM_BUT_PLAUSIBLE)
        item["CustomerEndpoint"] = {"Type": "TELEPHONE_NUMBER", "Address": draw(_PHONE_NUMBERS)}
        item["QueueId"] = draw(_QUEUES)
        item["Campaign"] = {"CampaignId": "campaign-1"}
    else:
        item = draw(_ANY_ITEM)
    identifier = draw(_IDENTIFIER_USES)
    if identifier == "drop":
        item.pop("RequestIdentifier", None)
    elif identifier == "shared":
        item["RequestIdentifier"] = draw(_SHARED_IDENTIFIERS)
    return item


_ITEM_LISTS = st.lists(items(), min_size=LIST.get("minItems", 0), max_size=LIST.get("maxItems", 25))


@st.composite
def valid_requests(draw: st.DrawFn) -> Json:
    """Parameters of a valid BatchPutContact call, as passed to ``batch_put_contact``."""
    params: Json = draw(_PARAMS_BUT_LIST)
    params["ContactDataRequestList"] = draw(_ITEM_LISTS)
    problems = [error.message for error in REQUEST_CHECK.iter_errors(params)]
    assert problems == [], f"the generator made an invalid request: {problems}"
    return params
