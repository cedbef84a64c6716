"""Reads of the Neo4j store: entities, per-hop neighbourhood queries, shortest paths, subgraphs, counts.

Every function takes the :class:`~graph_model.store.neo4j.Neo4jStore` and returns the same records, in
the same order, as the memory store (the contract suite checks it).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import pairwise
from typing import TYPE_CHECKING, Any

from graph_model.store._cypher import ident
from graph_model.store._filters import FilterLogic
from graph_model.store.base import Node, Path, Relationship, Subgraph, TraversalFilter

if TYPE_CHECKING:
    from graph_model.store.neo4j import Neo4jStore

__all__ = ["counts", "get_entities", "neighbourhood", "shortest_paths", "subgraph"]

NODE_MAP = "{id: n.id, type: [l IN labels(n) WHERE l <> 'Entity'][0], p: properties(n)}"
REL_MAP = "{id: r.id, type: type(r), s: startNode(r).id, t: endNode(r).id, p: properties(r)}"


def to_node(row: dict[str, Any]) -> Node:
    props = dict(row["p"])
    props.pop("id", None)
    return Node(row["id"], row["type"], props)


def to_rel(row: dict[str, Any]) -> Relationship:
    props = dict(row["p"])
    props.pop("id", None)
    return Relationship(row["id"], row["type"], row["s"], row["t"], props)


def get_entities(store: Neo4jStore, entity_ids: Iterable[str]) -> list[Node]:
    """Nodes by id, sorted, missing ones left out."""
    ids = sorted(set(entity_ids))
    rows = store.run(
        f"UNWIND $ids AS id MATCH (n:Entity {{id: id}}) RETURN {NODE_MAP} AS n ORDER BY id", {"ids": ids}
    )
    return [to_node(r["n"]) for r in rows]


_NEIGHBOUR_PAGE = """
UNWIND $frontier AS fid
MATCH (n:Entity {{id: fid}})
CALL (n) {{
  MATCH (n)-[r]-(m:Entity)
  WHERE {rel_ok} AND (m.id IN $seeds OR {node_ok})
  WITH DISTINCT m.id AS mid ORDER BY mid
  WITH collect(mid) AS names
  RETURN size(names) AS degree, names[$offset..$offset + $limit] AS page
}}
CALL (n, page) {{
  UNWIND page AS mid
  MATCH (n)-[r]-(:Entity {{id: mid}})
  WHERE {rel_ok}
  WITH DISTINCT r
  RETURN collect({rel_map}) AS rels
}}
RETURN fid, degree, page, rels
"""


def neighbourhood(
    store: Neo4jStore,
    seeds: Sequence[str],
    hops: int,
    flt: TraversalFilter | None,
    limit_per_node: int,
    offset: int,
) -> Subgraph:
    """Breadth-first expansion, one query per hop (the frontier goes in as a parameter)."""
    logic = FilterLogic(store.schema, flt)
    start = [n.id for n in get_entities(store, seeds)]
    cypher = _NEIGHBOUR_PAGE.format(
        rel_ok=logic.cypher_rel("r"), node_ok=logic.cypher_node("m"), rel_map=REL_MAP
    )
    params = {**logic.params(), "seeds": start, "offset": offset, "limit": limit_per_node}
    visited = set(start)
    frontier = start
    rels: dict[str, Relationship] = {}
    truncated: dict[str, int] = {}
    for _ in range(hops):
        if not frontier:
            break
        nxt: set[str] = set()
        for row in store.run(cypher, {**params, "frontier": frontier}):
            if row["degree"] > limit_per_node:
                truncated[row["fid"]] = row["degree"]
            for rel in row["rels"]:
                rels[rel["id"]] = to_rel(rel)
            nxt.update(m for m in row["page"] if m not in visited)
        visited |= nxt
        frontier = sorted(nxt)
    return Subgraph(get_entities(store, visited), [rels[r] for r in sorted(rels)], truncated)


def shortest_paths(
    store: Neo4jStore, source: str, target: str, max_hops: int, k: int, flt: TraversalFilter | None
) -> list[Path]:
    """``SHORTEST g GROUPS`` gives every trail of the ``g`` smallest lengths; the simple ones are sorted by
    (length, node ids) here and ``g`` grows until ``k`` paths are found or no longer lengths exist."""
    if k < 1 or max_hops < 1:
        return []
    ends = {n.id for n in get_entities(store, {source, target})}
    if source not in ends or target not in ends:
        return []
    if source == target:
        return [Path([source], [])]
    logic = FilterLogic(store.schema, flt)
    params = {**logic.params(), "s": source, "t": target}
    groups = k
    while True:
        cypher = (
            "MATCH (s:Entity {id: $s}), (t:Entity {id: $t}) "
            f"MATCH p = SHORTEST {int(groups)} GROUPS (s) ((a)-[r]-(b) WHERE {logic.cypher_rel('r')} "
            f"AND (b.id = $t OR {logic.cypher_node('b')})){{1,{int(max_hops)}}} (t) "
            "RETURN DISTINCT [x IN nodes(p) | x.id] AS ids"
        )
        found = [row["ids"] for row in store.run(cypher, params)]
        lengths = {len(ids) for ids in found}
        simple = sorted((ids for ids in found if len(set(ids)) == len(ids)), key=lambda ids: (len(ids), ids))
        if len(simple) >= k or len(lengths) < groups or max(lengths, default=0) - 1 >= max_hops:
            break
        groups += k
    chosen = simple[:k]
    return [Path(ids, hops) for ids, hops in zip(chosen, _hop_rels(store, chosen, logic), strict=True)]


def _hop_rels(store: Neo4jStore, paths: list[list[str]], logic: FilterLogic) -> list[list[Relationship]]:
    """For each hop, the relationship with the smallest id joining the pair that passes the filter."""
    pairs = sorted({(a, b) for ids in paths for a, b in pairwise(ids)})
    rows = store.run(
        "UNWIND $pairs AS pair "
        "MATCH (a:Entity {id: pair[0]})-[r]-(b:Entity {id: pair[1]}) "
        f"WHERE {logic.cypher_rel('r')} "
        "WITH pair, r ORDER BY r.id "
        f"WITH pair, head(collect(r)) AS r RETURN pair, {REL_MAP} AS rel",
        {**logic.params(), "pairs": [list(p) for p in pairs]},
    )
    best = {tuple(row["pair"]): to_rel(row["rel"]) for row in rows}
    return [[best[(a, b)] for a, b in pairwise(ids)] for ids in paths]


def subgraph(store: Neo4jStore, entity_ids: Iterable[str]) -> Subgraph:
    """The nodes and all relationships among them."""
    nodes = get_entities(store, entity_ids)
    ids = [n.id for n in nodes]
    rows = store.run(
        "UNWIND $ids AS id MATCH (n:Entity {id: id})-[r]->(m:Entity) WHERE m.id IN $ids "
        f"RETURN {REL_MAP} AS r ORDER BY r.id",
        {"ids": ids},
    )
    return Subgraph(nodes, [to_rel(row["r"]) for row in rows], {})


def counts(store: Neo4jStore) -> dict[str, int]:
    """Counts per type from Neo4j's count store (``COUNT {}`` on one label or type)."""
    names = sorted([*store.schema.nodes, *store.schema.relationships])
    parts = [
        f"COUNT {{ (:{ident(n)}) }} AS {ident(n)}"
        if n in store.schema.nodes
        else f"COUNT {{ ()-[:{ident(n)}]->() }} AS {ident(n)}"
        for n in names
    ]
    row = store.run("RETURN " + ", ".join(parts))[0]
    return {name: int(row[name]) for name in names if row[name]}
