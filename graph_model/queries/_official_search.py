"""The officials' search of :func:`graph_model.queries.corruption.official_links`: every shortest path of at
most ``k`` links (money, family, phones, addresses, documents) from each official to each suspect it
reaches, by one breadth-first search in Python on either store, so that both give the same paths.

Two rules keep it to a small part of the graph at a million persons, where one 5-hop ``ALL SHORTEST`` query
from every official ran more than 11 minutes on Neo4j and was stopped:

- **hubs** are not walked through: a node with more than ``HUB_DEGREE`` relationships (any type, either
  direction), as in :meth:`graph_model.store.base.GraphStore.neighbourhood` — an address shared by
  thousands of people or a bank's collecting account says nothing about an official. A hub may still end a
  path (a suspect), and the official itself is always expanded;
- **distance to suspects**: a search from all suspects at once, ``reach`` levels deep, gives every node near
  them its distance to the nearest; the official's search expands a node at depth ``d`` only when a suspect
  can still be within ``k - d`` of it. This changes no path: every node on a shortest path from an official
  to a suspect within ``k`` has that suspect within ``k - d``, and so does every other predecessor of a node
  on such a path, so exactly the paths of the full search are found.

The search runs level by level for all officials together; the links of each level's frontier come from
the networkx graph or from Neo4j in one query per chunk of nodes (the degree from Neo4j's count store).

>>> from graph_model.queries._common import tiny_graph
>>> official_paths(tiny_graph(), ["per:a"], {"per:b"}, 2)
{'per:a': [(2, ['per:a', 'tel:1', 'per:b'])]}
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from graph_model.queries._common import backend_of, graph_of, run
from graph_model.store.base import HUB_DEGREE

__all__ = ["LINK_RELS", "official_paths", "suspects_of"]

LINK_RELS = {"TRANSFER": "money", "HOLDS_ACCOUNT": "money", "FAMILY": "family", "HAS_PHONE": "phone",
             "HAS_ADDRESS": "address", "HAS_DOCUMENT": "document"}
CHUNK = 5000  # nodes per Neo4j query: a few seconds of server time at most, one transaction each
REACH = 3  # levels of the search from suspects (the official's side goes k - REACH levels unpruned)


def suspects_of(store_or_graph: Any, roles: Iterable[str]) -> set[str]:
    """Nodes with an outgoing ``ROLE_IN`` whose role is one of ``roles`` (from the relationship type's scan
    on Neo4j, not a test of every node).

    >>> from graph_model.queries._common import tiny_graph
    >>> suspects_of(tiny_graph(), ["suspect"])
    set()
    """
    wanted = set(roles)
    if backend_of(store_or_graph) == "neo4j":
        return {r["id"] for r in run(store_or_graph, "MATCH (s:Entity)-[x:ROLE_IN]->() WHERE x.role IN $roles "
                                     "RETURN DISTINCT s.id AS id", roles=sorted(wanted))}
    g = graph_of(store_or_graph)
    return {u for u, _, d in g.edges(data=True) if d.get("type") == "ROLE_IN" and d.get("role") in wanted}


class _Links:
    """Each node's neighbours through the linking relationships, sorted, fetched on demand and kept; a hub
    (more than ``hub`` relationships) has none unless it is fetched as a start (``start=True``)."""

    def __init__(self, store_or_graph: Any, hub: int | None) -> None:
        self.source, self.hub = store_or_graph, hub
        self.neo4j = backend_of(store_or_graph) == "neo4j"
        self.nbs: dict[str, list[str] | None] = {}  # None: a hub, not walked through
        self.start_nbs: dict[str, list[str]] = {}  # hubs fetched as starts

    def load(self, ids: Iterable[str], start: bool = False) -> None:
        """Fetch the nodes not known yet (as starts: also the hubs' neighbours)."""
        want = [n for n in dict.fromkeys(ids) if n not in self.nbs or (
            start and self.nbs[n] is None and n not in self.start_nbs)]
        if self.neo4j:
            rels = "|".join(sorted(LINK_RELS))  # fixed identifiers, not input
            for i in range(0, len(want), CHUNK):
                for r in run(self.source,
                             "UNWIND $ids AS id MATCH (n:Entity {id: id}) WITH n, id, COUNT { (n)--() } AS degree "
                             f"RETURN id, degree, CASE WHEN $start OR $hub IS NULL OR degree <= $hub "
                             f"THEN [(n)-[:{rels}]-(m) | m.id] END AS nbs",
                             ids=want[i:i + CHUNK], start=start, hub=self.hub):
                    self._keep(r["id"], int(r["degree"]), r["nbs"], start)
            return
        g = graph_of(self.source)
        for n in want:
            degree = g.degree(n)
            nbs = None
            if start or self.hub is None or degree <= self.hub:
                nbs = [v for adj in (g._succ[n], g._pred[n]) for v, keyed in adj.items()
                       if any(a.get("type") in LINK_RELS for a in keyed.values())]
            self._keep(n, degree, nbs, start)

    def _keep(self, n: str, degree: int, nbs: list[str] | None, start: bool) -> None:
        hub = self.hub is not None and degree > self.hub
        found = sorted(set(nbs)) if nbs is not None else None
        if hub and start and found is not None:
            self.start_nbs[n] = found
        self.nbs.setdefault(n, None if hub else found)

    def of(self, n: str, start: bool = False) -> list[str]:
        """Neighbours of a loaded node (none for a hub unless it is a start)."""
        if start and n in self.start_nbs:
            return self.start_nbs[n]
        return self.nbs.get(n) or []


def _near_suspects(links: _Links, suspects: set[str], reach: int) -> dict[str, int]:
    """Distance to the nearest suspect of every node within ``reach`` of one, hubs not walked through."""
    dist = dict.fromkeys(sorted(suspects), 0)
    frontier = list(dist)
    for level in range(reach):
        links.load(frontier, start=level == 0)
        nxt = []
        for n in frontier:
            for m in links.of(n, start=level == 0):
                if m not in dist:
                    dist[m] = level + 1
                    nxt.append(m)
        frontier = nxt
    return dist


def official_paths(store_or_graph: Any, officials: list[str], suspects: set[str], k: int,
                   hub: int | None = HUB_DEGREE, reach: int = REACH) -> dict[str, list[tuple[int, list[str]]]]:
    """Every shortest path (within ``k``) from each official to each suspect, as ``(length, node ids)``
    sorted by suspect; officials reaching none are left out. ``hub=None`` walks through every node."""
    links = _Links(store_or_graph, hub)
    reach = max(0, min(reach, k - 1))
    near = _near_suspects(links, suspects, reach) if reach else {}
    far = reach + 1  # a node not within reach of a suspect is at least this far from one

    dist: dict[str, dict[str, int]] = {o: {o: 0} for o in officials}
    preds: dict[str, dict[str, list[str]]] = {o: defaultdict(list) for o in officials}
    frontier: dict[str, list[str]] = {o: [o] for o in officials}
    for depth in range(k):
        expand = {o: [n for n in nodes if (near.get(n, far) if reach else 0) <= k - depth]
                  for o, nodes in frontier.items()}
        links.load((n for nodes in expand.values() for n in nodes), start=depth == 0)
        for o, nodes in expand.items():
            seen, back, nxt = dist[o], preds[o], []
            for n in nodes:
                for nb in links.of(n, start=depth == 0):
                    if nb not in seen:
                        seen[nb] = depth + 1
                        nxt.append(nb)
                    if seen[nb] == depth + 1:
                        back[nb].append(n)
            frontier[o] = nxt
        frontier = {o: nodes for o, nodes in frontier.items() if nodes}

    def paths_to(o: str, n: str) -> list[list[str]]:
        return [[o]] if n == o else [[*p, n] for m in preds[o][n] for p in paths_to(o, m)]

    found = {o: [(dist[o][s], p) for s in sorted(dist[o]) if s != o and s in suspects for p in paths_to(o, s)]
             for o in officials}
    return {o: paths for o, paths in found.items() if paths}
