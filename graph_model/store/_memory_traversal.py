"""Traversals of the memory store: neighbourhood paging and deterministic k shortest paths.

Kept apart from :mod:`graph_model.store.memory` so each module stays small; both functions take the
``networkx.MultiDiGraph`` and a :class:`~graph_model.store._filters.FilterLogic`.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from itertools import pairwise
from typing import Any

import networkx as nx

from graph_model.store._filters import FilterLogic
from graph_model.store.base import Node, Path, Relationship, Subgraph

__all__ = ["neighbourhood", "shortest_paths"]


def to_node(graph: nx.MultiDiGraph, node_id: str) -> Node:
    """The store's read-back form of one node."""
    attrs = graph.nodes[node_id]
    return Node(node_id, attrs["type"], {k: v for k, v in attrs.items() if k != "type"})


def to_rel(u: str, v: str, key: str, attrs: dict[str, Any]) -> Relationship:
    """The store's read-back form of one relationship."""
    return Relationship(key, attrs["type"], u, v, {k: v for k, v in attrs.items() if k != "type"})


def incident(
    graph: nx.MultiDiGraph, node: str, logic: FilterLogic, exempt: frozenset[str]
) -> dict[str, list[Relationship]]:
    """Neighbour id -> relationships joining it to ``node`` (either direction) that pass the filter."""
    out: dict[str, dict[str, Relationship]] = {}
    nodes = graph.nodes
    for u, v, key, attrs in graph.out_edges(node, keys=True, data=True):
        _add(out, v, u, v, key, attrs, nodes, logic, exempt)
    for u, v, key, attrs in graph.in_edges(node, keys=True, data=True):
        _add(out, u, u, v, key, attrs, nodes, logic, exempt)
    return {nb: sorted(rels.values(), key=lambda r: r.id) for nb, rels in out.items()}


def _add(
    out: dict[str, dict[str, Relationship]],
    nb: str,
    u: str,
    v: str,
    key: str,
    attrs: dict[str, Any],
    nodes: Any,
    logic: FilterLogic,
    exempt: frozenset[str],
) -> None:
    if not logic.trivial_rels and not logic.rel_ok(attrs["type"], attrs):
        return
    if not logic.trivial_nodes and nb not in exempt and not logic.node_ok(nodes[nb]):
        return
    out.setdefault(nb, {})[key] = to_rel(u, v, key, attrs)


def neighbourhood(
    graph: nx.MultiDiGraph,
    seeds: Sequence[str],
    hops: int,
    logic: FilterLogic,
    limit_per_node: int,
    offset: int,
    hub_degree: int | None = None,
) -> Subgraph:
    """Breadth-first expansion; see :meth:`graph_model.store.base.GraphStore.neighbourhood`."""
    start = sorted({s for s in seeds if s in graph})
    exempt = frozenset(start)
    visited = set(start)
    frontier = start
    rels: dict[str, Relationship] = {}
    truncated: dict[str, int] = {}
    for _ in range(hops):
        nxt: set[str] = set()
        for node in frontier:
            if hub_degree is not None and node not in exempt:
                degree = graph.degree(node)  # in + out
                if degree > hub_degree:  # a hub on the way: counted, not expanded
                    truncated[node] = degree
                    continue
            by_nb = incident(graph, node, logic, exempt)
            names = sorted(by_nb)
            if len(names) > limit_per_node:
                truncated[node] = len(names)
            for nb in names[offset : offset + limit_per_node]:
                for rel in by_nb[nb]:
                    rels[rel.id] = rel
                if nb not in visited:
                    visited.add(nb)
                    nxt.add(nb)
        frontier = sorted(nxt)
        if not frontier:
            break
    return Subgraph(
        nodes=[to_node(graph, n) for n in sorted(visited)],
        relationships=[rels[r] for r in sorted(rels)],
        truncated=truncated,
    )


def shortest_paths(
    graph: nx.MultiDiGraph, source: str, target: str, max_hops: int, k: int, logic: FilterLogic
) -> list[Path]:
    """Up to ``k`` undirected simple paths ordered by (length, node-id sequence); each hop carries the
    relationship with the smallest id among those joining the pair that pass the filter."""
    if source not in graph or target not in graph or k < 1:
        return []
    if source == target:
        return [Path([source], [])]
    exempt = frozenset((source, target))
    cache: dict[str, dict[str, list[Relationship]]] = {}

    def nbrs(node: str) -> dict[str, list[Relationship]]:
        if node not in cache:
            cache[node] = incident(graph, node, logic, exempt)
        return cache[node]

    # Distances to the target through allowed intermediates: an admissible bound to prune the search.
    dist = {target: 0}
    queue = deque([target])
    while queue:
        node = queue.popleft()
        if dist[node] >= max_hops or (node == source):
            continue
        for nb in nbrs(node):
            if nb not in dist:
                dist[nb] = dist[node] + 1
                if nb != source:
                    queue.append(nb)
    if source not in dist:
        return []
    found: list[list[str]] = []
    for length in range(dist[source], max_hops + 1):
        _collect(source, target, length, k - len(found), nbrs, dist, found)
        if len(found) >= k:
            break
    return [Path(ids, [nbrs(a)[b][0] for a, b in pairwise(ids)]) for ids in found]


def _collect(
    source: str,
    target: str,
    length: int,
    need: int,
    nbrs: Any,
    dist: dict[str, int],
    found: list[list[str]],
) -> None:
    """Depth-first search over sorted neighbours: simple paths of exactly ``length`` hops come out in
    node-id order, so the first ``need`` of them are the ones wanted."""
    path = [source]
    on_path = {source}
    stack = [iter(sorted(nbrs(source)))]
    got = 0
    while stack and got < need:
        nb = next(stack[-1], None)
        if nb is None:
            stack.pop()
            on_path.discard(path.pop())
            continue
        depth = len(path)  # hops after stepping to nb
        if nb in on_path or depth + dist.get(nb, _FAR) > length:
            continue
        if nb == target:
            if depth == length:
                found.append([*path, nb])
                got += 1
            continue
        path.append(nb)
        on_path.add(nb)
        stack.append(iter(sorted(nbrs(nb))))


_FAR = 1 << 30
