"""Mutations that break a valid request in one known place, each knowing the AWS path and
constraint the stub must report."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from hypothesis import strategies as st
from property_documents import ROOT, Json, Pointer, is_map, resolve, valid_requests, valid_values


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
