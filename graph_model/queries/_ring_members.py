"""Who belongs to a ring, after community detection: members tied into their community by too little are
dropped (:func:`prune`), and actors outside every ring join the ring they are most tied to when that tie is
strong enough (:func:`grow`). Household ties (family, a shared address) group people but are no evidence of
membership, except for officials: an official who is a member's relative or housemate is the protecting link.

>>> import networkx as nx
>>> g = nx.Graph()
>>> g.add_weighted_edges_from([("a", "b", 3.0), ("b", "c", 3.0), ("c", "d", 0.5)])
>>> ev = {("a", "b"): 3.0, ("b", "c"): 3.0, ("c", "d"): 0.5}
>>> need = dict.fromkeys("abcd", 1.6)
>>> prune([["a", "b", "c", "d"]], g, ev, need, set())
[['a', 'b', 'c']]
>>> rings = [{"a", "b"}]
>>> grow(rings, g, ev, need, set())
>>> sorted(rings[0])
['a', 'b', 'c']
"""

from __future__ import annotations

from collections import defaultdict

import networkx as nx

__all__ = ["grow", "prune"]


def _adjacency(evidence: dict[tuple[str, str], float]) -> dict[str, dict[str, float]]:
    adj: dict[str, dict[str, float]] = defaultdict(dict)
    for (a, b), w in evidence.items():
        adj[a][b] = adj[b][a] = w
    return adj


def _tie(n: str, m: str, g: nx.Graph, adj: dict[str, dict[str, float]], officials: set[str]) -> float:
    return float(g[n][m]["weight"]) if n in officials else adj[n].get(m, 0.0)


def prune(communities: list[list[str]], g: nx.Graph, evidence: dict[tuple[str, str], float],
          need: dict[str, float], officials: set[str]) -> list[list[str]]:
    """Drop, round by round, members whose evidence ties into their own community weigh less than
    ``need[member]`` (a family that paid one debt, a nominee co-director, a relative of a member).

    ``g`` is the projection (all ties), ``evidence`` the pair weights without household ties."""
    adj = _adjacency(evidence)
    out = []
    for comm in communities:
        keep = set(comm)
        while True:
            weak = {n for n in keep if sum(_tie(n, m, g, adj, officials) for m in g[n] if m in keep) < need[n]}
            if not weak or weak == keep:
                break
            keep -= weak
        out.append(sorted(keep))
    return out


def grow(rings: list[set[str]], g: nx.Graph, evidence: dict[tuple[str, str], float], need: dict[str, float],
         officials: set[str], rounds: int = 3) -> None:
    """Round by round, an actor in no ring joins the ring its evidence ties weigh most into (ties broken by
    ring order), when that weight reaches ``need[actor]``: a collector whom modularity put with the families
    paying into her account, a mule at the end of a layering chain. Changes ``rings`` in place."""
    adj = _adjacency(evidence)
    for _ in range(rounds):
        owner = {n: i for i, r in enumerate(rings) for n in r}
        adds: dict[int, set[str]] = defaultdict(set)
        for n in sorted(g):
            if n in owner:
                continue
            into: dict[int, float] = defaultdict(float)
            for m in g[n]:
                if m in owner:
                    into[owner[m]] += _tie(n, m, g, adj, officials)
            best = min(into, key=lambda i: (-into[i], i), default=None)
            if best is not None and into[best] >= need[n]:
                adds[best].add(n)
        if not adds:
            return
        for i, new in adds.items():
            rings[i] |= new
