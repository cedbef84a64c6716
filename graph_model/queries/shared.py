"""Who shares an identifier: persons and organisations giving the same phone, address, bank account or
identity document (suspects sharing phones; victims registered at one address; one "employer" phone).

>>> from graph_model.queries._common import tiny_graph
>>> [(s.identifier, s.holders) for s in shared_identifiers(tiny_graph())]
[('tel:1', ['per:a', 'per:b'])]
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any

from graph_model.queries._common import backend_of, graph_of, run

__all__ = ["IDENTIFIER_RELS", "SharedIdentifier", "shared_identifiers", "shared_with"]

# kind -> (relationship from holder to identifier, identifier node type)
IDENTIFIER_RELS = {
    "phone": ("HAS_PHONE", "Phone"),
    "address": ("HAS_ADDRESS", "Location"),
    "account": ("HOLDS_ACCOUNT", "Account"),
    "document": ("HAS_DOCUMENT", "Document"),
}
_VALUE_PROPS = ("number", "account_no", "address", "name")


@dataclass(frozen=True)
class SharedIdentifier:
    """One identifier held by several entities, with each holding's sources (agency|record|date)."""

    identifier: str
    kind: str
    value: str
    holders: list[str]
    sources: dict[str, list[str]]

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-able form."""
        return asdict(self)


def _value(props: dict[str, Any]) -> str:
    for key in _VALUE_PROPS:
        v = props.get(key)
        if v:
            return str(v[0] if isinstance(v, list) else v)
    return ""


def shared_identifiers(
    store_or_graph: Any,
    kinds: Iterable[str] = ("phone", "address", "account", "document"),
    min_holders: int = 2,
    max_holders: int | None = None,
    holders_in: Iterable[str] | None = None,
) -> list[SharedIdentifier]:
    """Identifiers with at least ``min_holders`` distinct holders (at most ``max_holders``, to leave out
    hubs such as a registration office); ``holders_in`` keeps identifiers shared by at least two of
    those entities. Sorted by number of holders (most first), then id.

    >>> from graph_model.queries._common import tiny_graph
    >>> shared_identifiers(tiny_graph(), kinds=["account"])
    []
    """
    wanted = {IDENTIFIER_RELS[k][0]: k for k in kinds}
    within = set(holders_in) if holders_in is not None else None
    rows: list[dict[str, Any]]
    if backend_of(store_or_graph) == "memory":
        g = graph_of(store_or_graph)
        acc: dict[str, dict[str, list[str]]] = {}
        for h, i, d in g.edges(data=True):
            if d.get("type") in wanted and g.nodes[h].get("type") in ("Person", "Organization"):
                acc.setdefault(i, {}).setdefault(h, []).extend(d.get("sources") or [])
        rows = [{"id": i, "kind": wanted[next(d["type"] for _, _, d in g.in_edges(i, data=True) if d["type"] in wanted)],
                 "props": g.nodes[i], "holders": hs} for i, hs in acc.items()]
    else:
        rows = run(store_or_graph,
                   "MATCH (h)-[r]->(i) WHERE type(r) IN $rels AND (h:Person OR h:Organization) "
                   "WITH i, type(r) AS t, h.id AS h, collect(r.sources) AS srcs "
                   "WITH i, t, collect([h, reduce(a = [], s IN srcs | a + coalesce(s, []))]) AS hs "
                   "WHERE size(hs) >= $min "
                   "RETURN i.id AS id, t AS t, properties(i) AS props, hs",
                   rels=sorted(wanted), min=min_holders)
        rows = [{"id": r["id"], "kind": wanted[r["t"]], "props": r["props"], "holders": dict(r["hs"])} for r in rows]
    out = []
    for row in rows:
        holders = sorted(row["holders"])
        if len(holders) < min_holders or (max_holders is not None and len(holders) > max_holders):
            continue
        if within is not None and len(within.intersection(holders)) < 2:
            continue
        out.append(SharedIdentifier(row["id"], row["kind"], _value(row["props"]), holders,
                                    {h: sorted(set(row["holders"][h])) for h in holders}))
    return sorted(out, key=lambda s: (-len(s.holders), s.identifier))


def shared_with(store_or_graph: Any, entity_id: str,
                kinds: Iterable[str] = ("phone", "address", "account", "document")) -> list[SharedIdentifier]:
    """The identifiers of one entity that others hold too.

    >>> from graph_model.queries._common import tiny_graph
    >>> [s.holders for s in shared_with(tiny_graph(), "per:b")]
    [['per:a', 'per:b']]
    """
    wanted = [IDENTIFIER_RELS[k][0] for k in kinds]
    if backend_of(store_or_graph) == "memory":
        g = graph_of(store_or_graph)
        mine = {i for _, i, d in g.out_edges(entity_id, data=True) if d.get("type") in wanted} if entity_id in g else set()
    else:
        mine = {r["id"] for r in run(store_or_graph, "MATCH (:Entity {id: $id})-[r]->(i) WHERE type(r) IN $rels "
                                     "RETURN DISTINCT i.id AS id", id=entity_id, rels=wanted)}
    # Restricting to this entity's identifiers keeps the scan small on Neo4j too.
    return _shared_of(store_or_graph, sorted(mine), kinds)


def _shared_of(store_or_graph: Any, ids: list[str], kinds: Iterable[str]) -> list[SharedIdentifier]:
    wanted = {IDENTIFIER_RELS[k][0]: k for k in kinds}
    if backend_of(store_or_graph) == "memory":
        g = graph_of(store_or_graph)
        found = []
        for i in ids:
            hs: dict[str, list[str]] = {}
            kind = ""
            for h, _, d in g.in_edges(i, data=True):
                if d.get("type") in wanted and g.nodes[h].get("type") in ("Person", "Organization"):
                    hs.setdefault(h, []).extend(d.get("sources") or [])
                    kind = wanted[d["type"]]
            if len(hs) >= 2:
                found.append(SharedIdentifier(i, kind, _value(g.nodes[i]), sorted(hs),
                                              {h: sorted(set(v)) for h, v in sorted(hs.items())}))
        return sorted(found, key=lambda s: (-len(s.holders), s.identifier))
    rows = run(store_or_graph,
               "MATCH (h)-[r]->(i:Entity) WHERE i.id IN $ids AND type(r) IN $rels AND (h:Person OR h:Organization) "
               "WITH i, type(r) AS t, h.id AS h, collect(r.sources) AS srcs "
               "WITH i, t, collect([h, reduce(a = [], s IN srcs | a + coalesce(s, []))]) AS hs WHERE size(hs) >= 2 "
               "RETURN i.id AS id, t, properties(i) AS props, hs", ids=ids, rels=sorted(wanted))
    out = [SharedIdentifier(r["id"], wanted[r["t"]], _value(r["props"]), sorted(dict(r["hs"])),
                            {h: sorted(set(s)) for h, s in sorted(dict(r["hs"]).items())}) for r in rows]
    return sorted(out, key=lambda s: (-len(s.holders), s.identifier))
