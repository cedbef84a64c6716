"""Shared plumbing of the query modules: which backend a store is, reading nodes and relationships
from either representation (contracts.md §5), and explaining a path step by step with its sources.

Every query function accepts a ``GraphStore`` (``backend`` ``"memory"`` or ``"neo4j"``) or, for
convenience in notebooks and doctests, a bare ``networkx.MultiDiGraph`` in the memory representation.

>>> g = tiny_graph()
>>> backend_of(g)
'memory'
>>> [s["agency"] for s in parse_sources(["RTP|r-1|2024-01-02"])]
['RTP']
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from typing import Any

import networkx as nx

from graph_model.store.base import Relationship

__all__ = [
    "ACTOR_ROLES",
    "CYPHER_REL",
    "DATE_PROPS",
    "SUSPECT_ROLES",
    "VICTIM_ROLES",
    "backend_of",
    "explain_path",
    "graph_of",
    "node_props",
    "node_type",
    "parse_sources",
    "rel_date",
    "run",
    "store_of",
    "tiny_graph",
]

SUSPECT_ROLES = ("suspect", "defendant", "accomplice", "recruiter", "subject")
VICTIM_ROLES = ("victim", "claimant")
ACTOR_ROLES = (*SUSPECT_ROLES, "organisation")
# Date property of each dated relationship type (schema ``date_property``), used for time ordering.
DATE_PROPS = ("at", "date", "since", "opened_date")
# One relationship as a map, the same shape in every Cypher query.
CYPHER_REL = "{id: r.id, type: type(r), source: startNode(r).id, target: endNode(r).id, props: properties(r)}"


def backend_of(store_or_graph: Any) -> str:
    """``"memory"`` or ``"neo4j"``: which implementation of a query to run."""
    if isinstance(store_or_graph, nx.MultiDiGraph):
        return "memory"
    backend = getattr(store_or_graph, "backend", None)
    if backend in ("memory", "neo4j"):
        return str(backend)
    raise TypeError(f"expected a GraphStore or a networkx.MultiDiGraph, got {type(store_or_graph).__name__}")


def graph_of(store_or_graph: Any) -> nx.MultiDiGraph:
    """The networkx graph behind a memory store (or the graph itself)."""
    if isinstance(store_or_graph, nx.MultiDiGraph):
        return store_or_graph
    graph: nx.MultiDiGraph = store_or_graph.graph
    return graph


def store_of(store_or_graph: Any) -> Any:
    """A GraphStore for the argument: the store itself, or a MemoryStore wrapping a bare graph."""
    if isinstance(store_or_graph, nx.MultiDiGraph):
        from graph_model.store.memory import MemoryStore

        store = MemoryStore()
        store.graph = store_or_graph
        return store
    return store_or_graph


def run(store: Any, cypher: str, **params: Any) -> list[dict[str, Any]]:
    """Run a read query on a Neo4j store with parameters; rows as dicts."""
    return list(store.run(cypher, params))


def node_type(g: nx.MultiDiGraph, node: str) -> str:
    """Declared type of a node in the memory representation."""
    return str(g.nodes[node].get("type", ""))


def node_props(attrs: dict[str, Any]) -> dict[str, Any]:
    """A node's or relationship's properties without ``type`` and ``id`` (both stores alike)."""
    return {k: v for k, v in attrs.items() if k not in ("type", "id")}


def rel_date(props: dict[str, Any]) -> str | None:
    """The date or datetime (ISO string) of a dated relationship, or None."""
    for name in DATE_PROPS:
        value = props.get(name)
        if value:
            return str(value)
    return None


def parse_sources(sources: Iterable[str] | None) -> list[dict[str, str]]:
    """``"AGENCY|record|seen"`` strings as dicts ``{agency, record_id, seen}``."""
    out = []
    for text in sources or ():
        agency, record_id, seen = ([*str(text).split("|", 2), "", ""])[:3]
        out.append({"agency": agency, "record_id": record_id, "seen": seen})
    return out


def _memory_rel(g: nx.MultiDiGraph, u: str, v: str, key: str, attrs: dict[str, Any]) -> Relationship:
    return Relationship(id=str(key), type=str(attrs.get("type")), source=u, target=v, props=node_props(attrs))


def _pick_memory(g: nx.MultiDiGraph, a: str, b: str, rel_types: Sequence[str] | None) -> Relationship | None:
    best: Relationship | None = None
    for u, v in ((a, b), (b, a)):
        for key, attrs in (g.get_edge_data(u, v) or {}).items():
            if rel_types and attrs.get("type") not in rel_types:
                continue
            if best is None or str(key) < best.id:
                best = _memory_rel(g, u, v, key, attrs)
    return best


def explain_path(
    store_or_graph: Any, nodes: Sequence[str], rel_types: Sequence[str] | None = None
) -> list[dict[str, Any]]:
    """Explain each step of a node path: the relationship joining consecutive nodes (smallest id among
    the allowed types, either direction), its direction, date and sources.

    >>> steps = explain_path(tiny_graph(), ["per:a", "tel:1", "per:b"])
    >>> [(s["type"], s["forward"], s["sources"][0]["agency"]) for s in steps]
    [('HAS_PHONE', True, 'DOPA'), ('HAS_PHONE', False, 'RTP')]
    """
    pairs = list(itertools.pairwise(nodes))
    rels: list[Relationship | None]
    if backend_of(store_or_graph) == "memory":
        g = graph_of(store_or_graph)
        rels = [_pick_memory(g, a, b, rel_types) for a, b in pairs]
    else:
        rows = run(
            store_or_graph,
            "UNWIND range(0, size($pairs) - 1) AS i "
            "WITH i, $pairs[i] AS p "
            "MATCH (a:Entity {id: p[0]})-[r]-(b:Entity {id: p[1]}) "
            "WHERE $types IS NULL OR type(r) IN $types "
            f"WITH i, r ORDER BY r.id WITH i, collect({CYPHER_REL})[0] AS rel RETURN i, rel ORDER BY i",
            pairs=[list(p) for p in pairs],
            types=list(rel_types) if rel_types else None,
        )
        by_i = {row["i"]: row["rel"] for row in rows}
        rels = []
        for i in range(len(pairs)):
            m = by_i.get(i)
            rels.append(
                Relationship(m["id"], m["type"], m["source"], m["target"], node_props(m["props"])) if m else None
            )
    steps: list[dict[str, Any]] = []
    for (a, b), rel in zip(pairs, rels, strict=True):
        if rel is None:
            steps.append({"from": a, "to": b, "type": None, "rel_id": None, "forward": True, "date": None,
                          "sources": []})
            continue
        steps.append({
            "from": a,
            "to": b,
            "type": rel.type,
            "rel_id": rel.id,
            "forward": rel.source == a,
            "date": rel_date(rel.props),
            "props": {k: v for k, v in rel.props.items() if k not in ("sources", "agencies")},
            "sources": parse_sources(rel.props.get("sources")),
        })
    return steps


def tiny_graph() -> nx.MultiDiGraph:
    """A five-node graph in the memory representation, for examples: two persons sharing a phone,
    each holding an account, one transfer between the accounts.

    >>> sorted(tiny_graph().nodes)
    ['acc:1', 'acc:2', 'per:a', 'per:b', 'tel:1']
    """
    g = nx.MultiDiGraph()
    g.add_node("per:a", type="Person", names=["สมชาย ใจดี", "Somchai Jaidee"], sources=["DOPA|d1|2024-01-01"],
               agencies=["DOPA"], is_official=True)
    g.add_node("per:b", type="Person", names=["Aung Ko"], sources=["RTP|r1|2024-01-01"], agencies=["RTP"])
    g.add_node("tel:1", type="Phone", number="+66812345678", sources=["RTP|r1|2024-01-01"], agencies=["RTP"])
    g.add_node("acc:1", type="Account", account_no="1234567890", bank_code="004",
               sources=["AMLO|x1|2024-01-01"], agencies=["AMLO"])
    g.add_node("acc:2", type="Account", account_no="2222222222", bank_code="004",
               sources=["AMLO|x2|2024-01-01"], agencies=["AMLO"])
    g.add_edge("per:a", "tel:1", key="has_phone:1", type="HAS_PHONE", sources=["DOPA|d1|2024-01-01"],
               agencies=["DOPA"])
    g.add_edge("per:b", "tel:1", key="has_phone:2", type="HAS_PHONE", sources=["RTP|r1|2024-01-01"],
               agencies=["RTP"])
    g.add_edge("per:a", "acc:1", key="holds_account:1", type="HOLDS_ACCOUNT", sources=["AMLO|x1|2024-01-01"],
               agencies=["AMLO"])
    g.add_edge("per:b", "acc:2", key="holds_account:2", type="HOLDS_ACCOUNT", sources=["AMLO|x2|2024-01-01"],
               agencies=["AMLO"])
    g.add_edge("acc:2", "acc:1", key="transfer:1", type="TRANSFER", txn_id="T1", amount_thb=50000.0,
               at="2024-02-01T10:00:00+07:00", ts=1706756400, sources=["AMLO|t1|2024-02-02"], agencies=["AMLO"])
    return g
