"""How are A and B connected: shortest and k shortest paths (undirected, simple), optionally
time-ordered, every step explained with its relationship, direction, date and sources.

Built on ``GraphStore.shortest_paths`` (same order on both stores: length, then node ids). A time-ordered
connection needs the dated steps in non-decreasing date order; between two nodes joined by several
relationships the earliest one not before the previous step is taken.

>>> from graph_model.queries._common import tiny_graph
>>> c = connections(tiny_graph(), "per:a", "per:b")[0]
>>> c.nodes, [s["type"] for s in c.steps]
(['per:a', 'tel:1', 'per:b'], ['HAS_PHONE', 'HAS_PHONE'])
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from graph_model.queries._common import (
    CYPHER_REL,
    backend_of,
    graph_of,
    node_props,
    parse_sources,
    rel_date,
    run,
    store_of,
)
from graph_model.queries.neighbourhood import traversal_filter
from graph_model.store._filters import FilterLogic
from graph_model.store.base import Relationship

__all__ = ["Connection", "connections", "relationships_between"]


@dataclass(frozen=True)
class Connection:
    """A path between two entities: node ids in order and one explained step per hop."""

    nodes: list[str]
    steps: list[dict[str, Any]]

    @property
    def length(self) -> int:
        """Number of hops."""
        return len(self.steps)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-able form."""
        return {**asdict(self), "length": self.length}


def _step(a: str, b: str, rel: Relationship) -> dict[str, Any]:
    return {
        "from": a, "to": b, "type": rel.type, "rel_id": rel.id, "forward": rel.source == a,
        "date": rel_date(rel.props),
        "props": {k: v for k, v in rel.props.items() if k not in ("sources", "agencies", "first_seen", "last_seen")},
        "sources": parse_sources(rel.props.get("sources")),
    }


def relationships_between(
    store_or_graph: Any, pairs: Sequence[tuple[str, str]], rel_types: Iterable[str] | None = None
) -> list[list[Relationship]]:
    """For each node pair, every relationship joining them (either direction), sorted by id.

    >>> from graph_model.queries._common import tiny_graph
    >>> [[r.type for r in rs] for rs in relationships_between(tiny_graph(), [("acc:1", "acc:2")])]
    [['TRANSFER']]
    """
    types = set(rel_types) if rel_types is not None else None
    if backend_of(store_or_graph) == "memory":
        g = graph_of(store_or_graph)
        out = []
        for a, b in pairs:
            rels = [Relationship(str(k), d["type"], u, v, node_props(d))
                    for u, v in ((a, b), (b, a)) for k, d in (g.get_edge_data(u, v) or {}).items()
                    if types is None or d["type"] in types]
            out.append(sorted({r.id: r for r in rels}.values(), key=lambda r: r.id))
        return out
    rows = run(store_or_graph,
               "UNWIND range(0, size($pairs) - 1) AS i WITH i, $pairs[i] AS p "
               "OPTIONAL MATCH (a:Entity {id: p[0]})-[r]-(b:Entity {id: p[1]}) "
               "WHERE r IS NULL OR $types IS NULL OR type(r) IN $types "
               f"WITH i, r ORDER BY i, r.id RETURN i, collect(CASE WHEN r IS NULL THEN null ELSE {CYPHER_REL} END) AS rels",
               pairs=[list(p) for p in pairs], types=sorted(types) if types is not None else None)
    by_i = {row["i"]: row["rels"] for row in rows}
    return [[Relationship(m["id"], m["type"], m["source"], m["target"], node_props(m["props"]))
             for m in by_i.get(i, []) if m] for i in range(len(pairs))]


def _time_ordered(nodes: list[str], options: list[list[Relationship]]) -> list[dict[str, Any]] | None:
    last = ""
    steps = []
    for (a, b), rels in zip(itertools.pairwise(nodes), options, strict=True):
        undated = [r for r in rels if rel_date(r.props) is None]
        dated = sorted((r for r in rels if (rel_date(r.props) or "") >= last), key=lambda r: (rel_date(r.props), r.id))
        if dated and not undated:
            pick = dated[0]
            last = rel_date(pick.props) or last
        elif undated:
            pick = undated[0]
        else:
            return None
        steps.append(_step(a, b, pick))
    return steps


def connections(
    store_or_graph: Any,
    source: str,
    target: str,
    max_hops: int = 6,
    k: int = 1,
    time_ordered: bool = False,
    rel_types: Iterable[str] | None = None,
    types: Iterable[str] | None = None,
    agencies: Iterable[str] | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
) -> list[Connection]:
    """Up to ``k`` shortest connections from ``source`` to ``target``, each step explained.

    With ``time_ordered`` only paths whose dated steps can be taken in date order count (up to 20×k
    shortest paths are examined, so very long detours are not searched).

    >>> from graph_model.queries._common import tiny_graph
    >>> [c.nodes for c in connections(tiny_graph(), "per:a", "per:b", k=2)]
    [['per:a', 'tel:1', 'per:b'], ['per:a', 'acc:1', 'acc:2', 'per:b']]
    >>> connections(tiny_graph(), "per:a", "per:b", time_ordered=True, rel_types=["HOLDS_ACCOUNT", "TRANSFER"])[0].steps[1]["date"]
    '2024-02-01T10:00:00+07:00'
    """
    flt = traversal_filter(types, rel_types, agencies, date_from, date_to)
    store = store_of(store_or_graph)
    if not time_ordered:
        return [Connection(p.nodes, [_step(a, b, r) for a, b, r in zip(p.nodes, p.nodes[1:], p.relationships,
                                                                          strict=False)])
                for p in store.shortest_paths(source, target, max_hops, k, flt)]
    paths = store.shortest_paths(source, target, max_hops, 20 * k, flt)
    logic = FilterLogic(store.schema, flt)
    out = []
    for p in paths:
        options = [[r for r in rs if logic.rel_ok(r.type, r.props)] for rs in relationships_between(
            store_or_graph, list(zip(p.nodes, p.nodes[1:], strict=False)), rel_types)]
        steps = _time_ordered(p.nodes, options)
        if steps is not None:
            out.append(Connection(p.nodes, steps))
        if len(out) == k:
            break
    return out
