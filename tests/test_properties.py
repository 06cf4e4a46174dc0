"""Property tests: requests generated from the model-derived schema, valid and broken on purpose.

Valid requests are drawn from ``schema.request_schema()`` itself; invalid ones are valid
requests with one to three model-derived mutations (a required member dropped, a string past
its ``max``, a list past 25 items, an unknown enum value, a wrong JSON type, an unknown member),
each of which knows the AWS path and constraint the stub must report.

Requests go through a real boto3 client with ``parameter_validation=False`` wherever botocore
can serialize them; what it cannot (unknown members, wrong types of containers, nulls) is sent
as bytes to the stub's HTTP handler, as a broken client would.

hypothesis-jsonschema is not used: its 0.23.1 release calls ``many.more()`` from Hypothesis's
private internals, gone in the installed Hypothesis, and cannot resolve ``$ref``s under the
schema's URN ``$id``. The small generator below covers exactly the keywords ``schema.py`` emits
and fails loudly on any other, so a change to the schema cannot go untested.

Profiles: ``CONNECT_STUB_HYPOTHESIS_PROFILE=ci`` (default, well under a minute on two cores) or
``long`` (on demand, thousands of requests per property).
"""

from __future__ import annotations

import json
import os
import re
import uuid
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cache
from typing import Any, Callable, Union, cast
from urllib.parse import quote

import boto3
import botocore.parsers
import pytest
from botocore.awsrequest import HeadersDict
from botocore.config import Config
from botocore.exceptions import ClientError
from hypothesis import HealthCheck, event, given, note, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from pytest_connect_stub import ConnectStub, schema
from pytest_connect_stub.http import HttpResponse

settings.register_profile(
    "ci",
    max_examples=400,
    # The same examples on every run: CI stays reproducible; the long profile explores.
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "long",
    max_examples=5000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
PROFILE = settings.get_profile(os.environ.get("CONNECT_STUB_HYPOTHESIS_PROFILE", "ci"))

Json = dict[str, Any]
Pointer = tuple[Union[str, int], ...]

ROOT: Json = schema.request_schema()
REQUEST_CHECK = Draft202012Validator(ROOT)
OWN_ERRORS = frozenset({"InvalidRequestException", "ResourceNotFoundException"})
URL = "https://connect.us-east-1.amazonaws.com/contact/batch/"

# --- a strategy for any document the model-derived schema accepts -----------------------------

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


@st.composite
def items(draw: st.DrawFn) -> Json:
    """A ContactDataRequest from the schema; often reachable, often sharing an identifier."""
    item: Json = draw(valid_values(ITEM))
    if draw(st.booleans()):
        # Plausible endpoints, queue and campaign, so the simulated rules also let items through.
        item["CustomerEndpoint"] = {
            "Type": "TELEPHONE_NUMBER",
            "Address": draw(st.from_regex(r"\+[1-9][0-9]{1,14}", fullmatch=True)),
        }
        item["QueueId"] = draw(st.sampled_from(["queue-1", "queue-2"]))
        item["Campaign"] = {"CampaignId": "campaign-1"}
        item.pop("Attributes", None)
    identifier = draw(st.sampled_from(["keep", "drop", "shared"]))
    if identifier == "drop":
        item.pop("RequestIdentifier", None)
    elif identifier == "shared":
        item["RequestIdentifier"] = draw(st.sampled_from(IDENTIFIERS))
    return item


@st.composite
def valid_requests(draw: st.DrawFn) -> Json:
    """Parameters of a valid BatchPutContact call, as passed to ``batch_put_contact``."""
    params: Json = draw(valid_values(ROOT))
    params["ContactDataRequestList"] = draw(
        st.lists(items(), min_size=LIST.get("minItems", 0), max_size=LIST.get("maxItems", 25))
    )
    problems = [error.message for error in REQUEST_CHECK.iter_errors(params)]
    assert problems == [], f"the generator made an invalid request: {problems}"
    return params


# --- mutations that break a valid request in one known place ------------------------------------


@dataclass(frozen=True)
class Site:
    """A place in a concrete request: where it is, its value and schema, and its AWS path."""

    pointer: Pointer
    value: Any
    node: Json
    path: str

    @property
    def kind(self) -> str | None:
        kind: str | None = self.node.get("type")
        return kind

    def key(self, draw: st.DrawFn) -> str:
        """An entry of this map to change: an existing key, or a new one."""
        return draw(st.sampled_from(sorted(self.value))) if self.value else "k"


@dataclass(frozen=True)
class Mutation:
    """A change that breaks one place, with the clauses the stub must report for it."""

    pointer: Pointer
    apply: Callable[[Json], None]
    clauses: tuple[tuple[str, str], ...]
    #: ``kind: path``, e.g. ``too-long: contactDataRequestList.1.member.requestIdentifier``.
    description: str
    #: botocore's serializer cannot send it (or would change it): send the bytes instead.
    wire_only: bool = False


def lower_first(name: str) -> str:
    return name[:1].lower() + name[1:]


def join(path: str, part: str) -> str:
    return f"{path}.{part}" if path else part


def sites(
    document: Any, node: Mapping[str, Any], pointer: Pointer = (), path: str = ""
) -> Iterator[Site]:
    """Every place of ``document`` a mutation can target, root first."""
    node = resolve(node)
    yield Site(pointer, document, node, path)
    if is_map(node):
        return  # AWS reports a map's keys and values at the map itself
    if node.get("type") == "object" and isinstance(document, dict):
        for name, value in document.items():
            if name in node["properties"]:
                yield from sites(
                    value, node["properties"][name], (*pointer, name), join(path, lower_first(name))
                )
    elif node.get("type") == "array" and isinstance(document, list):
        for index, value in enumerate(document):
            yield from sites(
                value, node["items"], (*pointer, index), join(path, f"{index + 1}.member")
            )


def _setter(pointer: Pointer, value: Any) -> Callable[[Json], None]:
    def apply(document: Json) -> None:
        found: Any = document
        for part in pointer[:-1]:
            found = found[part]
        found[pointer[-1]] = value

    return apply


def _deleter(pointer: Pointer) -> Callable[[Json], None]:
    def apply(document: Json) -> None:
        found: Any = document
        for part in pointer[:-1]:
            found = found[part]
        del found[pointer[-1]]

    return apply


def _length(bound: str, limit: int) -> str:
    return f"Member must have length {bound} than or equal to {limit}"


def _enum(values: Sequence[str]) -> str:
    return f"Member must satisfy enum value set: [{', '.join(values)}]"


def _map(constraint: str, of: str) -> str:
    return f"Map {of} must satisfy constraint: [{constraint}]"


_AWS_TYPES = {
    "string": "string",
    "integer": "integer",
    "number": "number",
    "boolean": "boolean",
    "array": "list",
    "object": "structure",
}
#: One value of each JSON type; 1.5 because JSON Schema counts 2.0 as an integer.
_SAMPLES: dict[str, Any] = {
    "string": "x",
    "integer": 7,
    "number": 1.5,
    "boolean": True,
    "array": [],
    "object": {},
    "null": None,
}


def _droppable(site: Site) -> list[str]:
    if site.kind != "object" or is_map(site.node):
        return []
    # InstanceId travels in the URL path, where it is never missing, only empty.
    return [
        name
        for name in site.node.get("required", ())
        if name in site.value and (site.pointer or name != "InstanceId")
    ]


def _drop_required(draw: st.DrawFn, site: Site) -> Mutation:
    name = draw(st.sampled_from(_droppable(site)))
    where = join(site.path, lower_first(name))
    clause = (where, "Member must not be null")
    return Mutation((*site.pointer, name), _deleter((*site.pointer, name)), (clause,), where)


def _unknown_member(draw: st.DrawFn, site: Site) -> Mutation:
    name = draw(
        st.from_regex(r"[A-Z][A-Za-z0-9]{0,12}", fullmatch=True).filter(
            lambda n: n not in site.node["properties"] and n not in site.value
        )
    )
    value = draw(st.one_of(st.text(max_size=5), st.integers(), st.booleans()))
    where = join(site.path, lower_first(name))
    clause = (where, "Member must be a known field")
    # botocore's serializer raises KeyError for a member its model lacks.
    pointer = (*site.pointer, name)
    return Mutation(pointer, _setter(pointer, value), (clause,), where, wire_only=True)


def _long_map_key(draw: st.DrawFn, site: Site) -> Mutation:
    limit = resolve(site.node["propertyNames"])["maxLength"]
    key = "k" * (limit + draw(st.integers(1, 3)))
    value = draw(valid_values(site.node["additionalProperties"]))
    clause = (site.path, _map(_length("less", limit), "keys"))
    # Pointing at the map itself: AWS reports every entry at the map, so one change per map.
    return Mutation(site.pointer, _setter((*site.pointer, key), value), (clause,), site.path)


def _empty_map_key(draw: st.DrawFn, site: Site) -> Mutation:
    limit = resolve(site.node["propertyNames"])["minLength"]
    value = draw(valid_values(site.node["additionalProperties"]))
    clause = (site.path, _map(_length("greater", limit), "keys"))
    return Mutation(site.pointer, _setter((*site.pointer, ""), value), (clause,), site.path)


def _long_map_value(draw: st.DrawFn, site: Site) -> Mutation:
    limit = resolve(site.node["additionalProperties"])["maxLength"]
    value = "v" * (limit + draw(st.integers(1, 3)))
    clause = (site.path, _map(_length("less", limit), "value"))
    setter = _setter((*site.pointer, site.key(draw)), value)
    return Mutation(site.pointer, setter, (clause,), site.path)


def _map_value_type(draw: st.DrawFn, site: Site) -> Mutation:
    kind = resolve(site.node["additionalProperties"])["type"]
    value = _SAMPLES["boolean" if kind != "boolean" else "integer"]
    clause = (site.path, _map(f"Member must be of type {_AWS_TYPES[kind]}", "value"))
    setter = _setter((*site.pointer, site.key(draw)), value)
    return Mutation(site.pointer, setter, (clause,), site.path)


def _unknown_enum(draw: st.DrawFn, site: Site) -> Mutation:
    allowed = site.node["enum"]
    value = draw(st.text(min_size=1, max_size=12).filter(lambda v: v not in allowed))
    clause = (site.path, _enum(allowed))
    return Mutation(site.pointer, _setter(site.pointer, value), (clause,), site.path)


def _too_long(draw: st.DrawFn, site: Site) -> Mutation:
    limit = site.node["maxLength"]
    value = "x" * (limit + draw(st.integers(1, 3)))
    clause = (site.path, _length("less", limit))
    return Mutation(site.pointer, _setter(site.pointer, value), (clause,), site.path)


def _too_short(draw: st.DrawFn, site: Site) -> Mutation:
    clause = (site.path, _length("greater", site.node["minLength"]))
    return Mutation(site.pointer, _setter(site.pointer, ""), (clause,), site.path)


def _below_minimum(draw: st.DrawFn, site: Site) -> Mutation:
    limit = site.node["minimum"]
    value = limit - draw(st.integers(1, 10**12))
    clause = (site.path, f"Member must have value greater than or equal to {limit}")
    return Mutation(site.pointer, _setter(site.pointer, value), (clause,), site.path)


def _too_many_items(draw: st.DrawFn, site: Site) -> Mutation:
    limit = site.node["maxItems"]
    value = [site.value[n % len(site.value)] for n in range(limit + draw(st.integers(1, 3)))]
    clause = (site.path, _length("less", limit))
    return Mutation(site.pointer, _setter(site.pointer, value), (clause,), site.path)


def _too_few_items(draw: st.DrawFn, site: Site) -> Mutation:
    clause = (site.path, _length("greater", site.node["minItems"]))
    return Mutation(site.pointer, _setter(site.pointer, []), (clause,), site.path)


def _wrong_type(draw: st.DrawFn, site: Site) -> Mutation:
    kind = str(site.kind)
    others = [
        name for name in _SAMPLES if name not in (kind, "integer" if kind == "number" else kind)
    ]
    value = _SAMPLES[draw(st.sampled_from(others))]
    # As AWS words it, a null is missing rather than mistyped.
    expected = (
        "Member must not be null" if value is None else f"Member must be of type {_AWS_TYPES[kind]}"
    )
    clauses = [(site.path, expected)]
    if "enum" in site.node:
        clauses.append((site.path, _enum(site.node["enum"])))
    return Mutation(
        site.pointer,
        _setter(site.pointer, value),
        tuple(clauses),
        f"{type(value).__name__} at {site.path}",
        # botocore walks containers by their model shape, and drops a top-level None.
        wire_only=kind in ("object", "array") or value is None,
    )


Applies = Callable[[Site], bool]
Build = Callable[[st.DrawFn, Site], Mutation]

#: Every way to break a request, by name: where it applies, and how.
MUTATIONS: dict[str, tuple[Applies, Build]] = {
    "drop-required": (lambda s: bool(_droppable(s)), _drop_required),
    "unknown-member": (
        lambda s: s.kind == "object" and s.node.get("additionalProperties") is False,
        _unknown_member,
    ),
    "long-map-key": (
        lambda s: is_map(s.node) and "maxLength" in resolve(s.node["propertyNames"]),
        _long_map_key,
    ),
    "empty-map-key": (
        lambda s: is_map(s.node) and resolve(s.node["propertyNames"]).get("minLength", 0) >= 1,
        _empty_map_key,
    ),
    "long-map-value": (
        lambda s: is_map(s.node) and "maxLength" in resolve(s.node["additionalProperties"]),
        _long_map_value,
    ),
    "map-value-type": (lambda s: is_map(s.node), _map_value_type),
    "unknown-enum": (lambda s: s.kind == "string" and "enum" in s.node, _unknown_enum),
    "too-long": (lambda s: s.kind == "string" and "maxLength" in s.node, _too_long),
    "too-short": (lambda s: s.kind == "string" and s.node.get("minLength", 0) >= 1, _too_short),
    "below-minimum": (lambda s: s.kind == "integer" and "minimum" in s.node, _below_minimum),
    "too-many-items": (lambda s: s.kind == "array" and "maxItems" in s.node, _too_many_items),
    "too-few-items": (
        lambda s: s.kind == "array" and s.node.get("minItems", 0) >= 1,
        _too_few_items,
    ),
    # By the shape broken, so rare containers are tried as often as common strings.
    "wrong-type-scalar": (lambda s: _typed(s) and s.kind not in ("object", "array"), _wrong_type),
    "wrong-type-list": (lambda s: _typed(s) and s.kind == "array", _wrong_type),
    "wrong-type-structure": (lambda s: _typed(s) and _structure(s), _wrong_type),
    "wrong-type-map": (lambda s: _typed(s) and is_map(s.node), _wrong_type),
}


def _typed(site: Site) -> bool:
    # Not the root, and not the InstanceId: the URL path always carries a string.
    return site.pointer not in ((), ("InstanceId",))


def _structure(site: Site) -> bool:
    return site.kind == "object" and not is_map(site.node)


@st.composite
def invalid_requests(draw: st.DrawFn) -> tuple[Json, list[Mutation]]:
    """A valid request broken by one to three mutations at unrelated places.

    The kind of mutation is drawn first, then a place where it applies, so each kind is
    tried about as often as the others, however many places the request has.
    """
    params = draw(valid_requests())
    places = list(sites(params, ROOT))
    where = {kind: [s for s in places if applies(s)] for kind, (applies, _) in MUTATIONS.items()}
    kinds = [kind for kind, found in where.items() if found]
    chosen: list[Mutation] = []
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(kinds))
        mutation = MUTATIONS[kind][1](draw, draw(st.sampled_from(where[kind])))
        mutation = replace(mutation, description=f"{kind}: {mutation.description}")
        if not any(_related(mutation.pointer, other.pointer) for other in chosen):
            chosen.append(mutation)
    broken = json.loads(json.dumps(params))
    for mutation in chosen:
        mutation.apply(broken)
    return broken, chosen


def _related(first: Pointer, second: Pointer) -> bool:
    """Whether one place contains the other: changing both would hide one change."""
    shorter = min(len(first), len(second))
    return first[:shorter] == second[:shorter]


# --- sending ----------------------------------------------------------------------------------


@cache
def client() -> Any:
    """One real boto3 client for the module, with botocore's own validation off."""
    return boto3.client(
        "connect", region_name="us-east-1", config=Config(parameter_validation=False)
    )


def send_bytes(stub: ConnectStub, params: Mapping[str, Any]) -> HttpResponse:
    """Send ``params`` as a client that checks nothing would put them on the wire."""
    instance_id = params["InstanceId"]
    body = {name: value for name, value in params.items() if name != "InstanceId"}
    return stub._handler.handle(
        "PUT",
        URL + quote(instance_id, safe=""),
        {"Content-Type": "application/json"},
        json.dumps(body).encode(),
    )


def parse(answer: HttpResponse) -> Json:
    """Read an HTTP answer exactly as botocore's rest-json parser reads it for a client."""
    parser = botocore.parsers.create_parser("rest-json")
    shape = schema.operation_model().output_shape
    assert shape is not None
    parsed: Json = parser.parse(
        {"status_code": answer.status, "headers": HeadersDict(answer.headers), "body": answer.body},
        shape,
    )
    return parsed


def call(stub: ConnectStub, params: Json, *, wire_only: bool = False) -> Json:
    """The caller's view: a parsed response, or ``{"Error": ...}`` for a modeled ClientError."""
    if wire_only:
        parsed = parse(send_bytes(stub, params))
        if "Error" in parsed:
            assert parsed["Error"]["Code"] in schema.error_shapes(), parsed
        return parsed
    try:
        response: Json = client().batch_put_contact(**params)
    except ClientError as error:
        code = error.response["Error"]["Code"]
        assert code in schema.error_shapes(), error.response
        assert type(error) is client().exceptions.from_code(code), "not the modeled exception"
        return cast(Json, error.response)
    return response


def outcome_lists(response: Mapping[str, Any]) -> Json:
    return {name: response[name] for name in ("SuccessfulRequestList", "FailedRequestList")}


def account_for_every_item(
    items: Sequence[Mapping[str, Any]], succeeded: Sequence[Json], failed: Sequence[Json]
) -> dict[int, int] | None:
    """Match each item to exactly one answer, both lists in request order; None if impossible.

    A repeated RequestIdentifier must fail with IDEMPOTENCY_EXCEPTION; a first one must not.
    Returns request index -> index in ``succeeded`` for the items that were created.
    """
    seen: set[Any] = set()
    repeated = []
    for item in items:
        identifier = item.get("RequestIdentifier")
        repeated.append(identifier is not None and identifier in seen)
        seen.add(identifier)
    if len(items) != len(succeeded) + len(failed):
        return None
    # reach[(i, s)]: the first i items can take the first s successes and i - s failures.
    reach: dict[tuple[int, int], tuple[int, int] | None] = {(0, 0): None}
    for index, item in enumerate(items):
        identifier = item.get("RequestIdentifier")
        for (done, s), _ in list(reach.items()):
            if done != index:
                continue
            f = index - s
            if (
                s < len(succeeded)
                and not repeated[index]
                and succeeded[s].get("RequestIdentifier") == identifier
            ):
                reach.setdefault((index + 1, s + 1), (index, s))
            if f < len(failed) and failed[f].get("RequestIdentifier") == identifier:
                code = failed[f]["FailureReasonCode"]
                if repeated[index] == (code == "IDEMPOTENCY_EXCEPTION"):
                    reach.setdefault((index + 1, s), (index, s))
    end = (len(items), len(succeeded))
    if end not in reach:
        return None
    created: dict[int, int] = {}
    step: tuple[int, int] | None = end
    while step is not None and step != (0, 0):
        previous = reach[step]
        assert previous is not None
        if step[1] != previous[1]:
            created[previous[0]] = previous[1]
        step = previous
    return created


# --- properties -------------------------------------------------------------------------------


@PROFILE
@given(params=valid_requests())
def test_valid_requests_succeed_and_answer_every_item_once_in_request_order(params: Json) -> None:
    note(f"params={params!r}")
    with ConnectStub() as stub:
        response = call(stub, params)
    assert "Error" not in response, response
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 200
    [recorded] = stub.calls
    assert schema.response_validator().errors(recorded.response) == []
    assert schema.response_validator().errors(outcome_lists(response)) == []

    sent = {name: value for name, value in recorded.params.items() if name != "ClientToken"}
    assert sent == {name: value for name, value in params.items() if name != "ClientToken"}
    if "ClientToken" in params:
        assert recorded.client_token == params["ClientToken"]

    items = params["ContactDataRequestList"]
    succeeded, failed = response["SuccessfulRequestList"], response["FailedRequestList"]
    created = account_for_every_item(items, succeeded, failed)
    event(f"items: {len(items)}")
    event("some created" if succeeded else "none created")
    event("some failed" if failed else "none failed")
    for entry in failed:
        event(f"failed: {entry['FailureReasonCode']}")
    assert created is not None, f"answers do not match the items one to one, in order: {response}"

    contact_ids = [entry["ContactId"] for entry in succeeded]
    assert sorted(stub.contacts) == sorted(set(contact_ids))
    assert len(set(contact_ids)) == len(contact_ids)
    assert all(uuid.UUID(contact_id).version == 4 for contact_id in contact_ids)
    identifiers = [item.get("RequestIdentifier") for item in items]
    for index, position in created.items():
        contact = stub.contacts[contact_ids[position]]
        assert contact.instance_id == params["InstanceId"]
        assert contact.client_token == recorded.client_token
        if identifiers[index] is not None and identifiers.count(identifiers[index]) == 1:
            assert dict(contact) == items[index]


@PROFILE
@given(params=valid_requests())
def test_a_valid_request_sent_again_with_its_client_token_replays_the_first_answer(
    params: Json,
) -> None:
    with ConnectStub() as stub:
        first = call(stub, params)
        contacts = stub.contacts
        again = {**params, "ClientToken": stub.calls[0].client_token}
        second = call(stub, again)
    assert outcome_lists(second) == outcome_lists(first)
    assert stub.contacts == contacts
    assert [c.replayed for c in stub.calls] == [False, True]


@PROFILE
@given(case=invalid_requests())
def test_invalid_requests_are_rejected_naming_every_violated_path(
    case: tuple[Json, list[Mutation]],
) -> None:
    params, mutations = case
    note(f"mutations={[m.description for m in mutations]}")
    wire_only = any(m.wire_only for m in mutations)
    for mutation in mutations:
        event(mutation.description.partition(":")[0])
    event("sent as bytes" if wire_only else "sent by boto3")
    with ConnectStub() as stub:
        response = call(stub, params, wire_only=wire_only)

    assert response.get("Error", {}).get("Code") == "InvalidRequestException", response
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 400
    message: str = response["Error"]["Message"]
    expected = [clause for mutation in mutations for clause in mutation.clauses]
    header = re.match(r"(\d+) validation errors? detected: ", message)
    assert header is not None, message
    assert int(header.group(1)) == len(expected), message
    for path, constraint in expected:
        assert f" at '{path}' failed to satisfy constraint: {constraint}" in message, message
    named = set(re.findall(r" at '([A-Za-z0-9.]*)' failed to satisfy constraint: ", message))
    assert named == {path for path, _ in expected}, message
    assert stub.contacts == {}
    assert [c.error_code for c in stub.calls] == ["InvalidRequestException"]


_NAMES = sorted(
    {name for node in [ROOT, *ROOT["$defs"].values()] for name in node.get("properties", {})}
)
_ANY_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.sampled_from(_NAMES) | st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=25,
)


@st.composite
def any_requests(draw: st.DrawFn) -> Json:
    """Valid, broken, or any JSON object at all under the model's member names."""
    choice = draw(st.sampled_from(["valid", "broken", "anything"]))
    if choice == "valid":
        return draw(valid_requests())
    if choice == "broken":
        params, _ = draw(invalid_requests())
        return params
    body = draw(st.dictionaries(st.sampled_from(_NAMES) | st.text(max_size=8), _ANY_JSON))
    return {**body, "InstanceId": draw(st.text(max_size=110))}


@PROFILE
@given(params=any_requests(), strict=st.booleans(), register=st.booleans())
def test_any_request_gets_a_success_or_one_of_its_own_modeled_errors(
    params: Json, strict: bool, register: bool
) -> None:
    instances = {params["InstanceId"]: ["queue-1"]} if register else {}
    with ConnectStub(strict=strict, instances=instances) as stub:
        response = call(stub, params, wire_only=True)
    if "Error" in response:
        # An internal failure of the stub would answer InternalServiceException: never unscripted.
        assert response["Error"]["Code"] in OWN_ERRORS, response
        assert response["Error"]["Message"], response
        assert stub.contacts == {}
    else:
        assert response["ResponseMetadata"]["HTTPStatusCode"] == 200
        assert schema.response_validator().errors(stub.calls[0].response) == []
        assert REQUEST_CHECK.is_valid(params)
    if REQUEST_CHECK.is_valid(params) and (register or not strict):
        assert "Error" not in response, response


@PROFILE
@given(
    code=st.sampled_from(sorted(schema.error_shapes())),
    times=st.integers(1, 6),
    message=st.text(max_size=40),
)
def test_any_scripted_modeled_error_reaches_the_caller_as_that_exception(
    code: str, times: int, message: str
) -> None:
    params = {
        "InstanceId": "inst-1",
        "ContactDataRequestList": [
            {
                "RequestIdentifier": "req-1",
                "CustomerEndpoint": {"Type": "TELEPHONE_NUMBER", "Address": "+15550100"},
                "QueueId": "queue-1",
                "Campaign": {"CampaignId": "campaign-1"},
            }
        ],
    }
    with ConnectStub(assert_all_used=False) as stub:
        stub.raise_error(code, message, times=times)
        response = call(stub, params)
    calls = stub.calls
    if "Error" in response:  # not retried, or retried until botocore gave up
        assert response["Error"]["Code"] == code
        assert response["Error"]["Message"] == message
        assert response["ResponseMetadata"]["HTTPStatusCode"] == schema.error_shapes()[code].status
        assert len(calls) == response["ResponseMetadata"]["RetryAttempts"] + 1 <= times
        assert {c.error_code for c in calls} == {code}
    else:  # botocore retried past every scripted error
        assert [c.error_code for c in calls] == [code] * times + [None]
        assert schema.response_validator().errors(outcome_lists(response)) == []
        assert len(response["SuccessfulRequestList"]) == 1
    assert [c.attempt for c in calls] == list(range(1, len(calls) + 1))


def test_a_map_of_the_wrong_type_is_named_as_the_map_not_as_a_value_inside_it() -> None:
    # Found by test_invalid_requests_are_rejected_naming_every_violated_path.
    params = {"InstanceId": "inst-1", "ContactDataRequestList": [{"Attributes": "x"}]}
    with ConnectStub() as stub:
        response = call(stub, params, wire_only=True)
    assert response["Error"]["Message"] == (
        "1 validation error detected: Value 'x' at 'contactDataRequestList.1.member.attributes' "
        "failed to satisfy constraint: Member must be of type structure"
    )


@pytest.mark.parametrize(
    ("items", "succeeded", "failed", "matches"),
    [
        ([{"RequestIdentifier": "a"}, {"RequestIdentifier": "b"}], ["a"], [("b", "X")], True),
        ([{"RequestIdentifier": "a"}, {"RequestIdentifier": "b"}], ["b"], [("a", "X")], True),
        ([{"RequestIdentifier": "a"}, {"RequestIdentifier": "b"}], ["b", "a"], [], False),
        ([{"RequestIdentifier": "a"}], ["a"], [("a", "X")], False),
        ([{"RequestIdentifier": "a"}, {"RequestIdentifier": "a"}], ["a", "a"], [], False),
        (
            [{"RequestIdentifier": "a"}, {"RequestIdentifier": "a"}],
            ["a"],
            [("a", "IDEMPOTENCY_EXCEPTION")],
            True,
        ),
        (
            [{"RequestIdentifier": "a"}, {"RequestIdentifier": "a"}],
            [],
            [("a", "IDEMPOTENCY_EXCEPTION"), ("a", "IDEMPOTENCY_EXCEPTION")],
            False,
        ),
        ([{}, {"RequestIdentifier": "a"}], [None], [("a", "X")], True),
    ],
    ids=[
        "in-order",
        "interleaved",
        "reordered",
        "twice",
        "duplicate-created",
        "repeat",
        "first-repeat",
        "no-identifier",
    ],
)
def test_the_item_accounting_oracle_rejects_what_the_stub_must_not_answer(
    items: list[Json], succeeded: list[str | None], failed: list[tuple[str, str]], matches: bool
) -> None:
    ok = [{} if s is None else {"RequestIdentifier": s} for s in succeeded]
    ko = [{"RequestIdentifier": i, "FailureReasonCode": c} for i, c in failed]
    assert (account_for_every_item(items, ok, ko) is not None) is matches
