"""Who belongs to a ring, after community detection: members tied into their community by too little are
dropped (:func:`prune`), and actors outside every ring join the ring they are most tied to when that tie is
strong enough (:func:`grow`). Household ties (family, a shared address) group people but are no evidence of
membership, except for officials: an official who is a member's relative or housemate is the protecting link.

>>> ev = {("a", "b"): 3.0, ("b", "c"): 3.0, ("c", "d"): 0.5}
>>> g = adjacency(ev)  # all ties; here every tie is evidence too
>>> need = dict.fromkeys("abcd", 1.6)
>>> prune([["a", "b", "c", "d"]], g, g, need, set())
[['a', 'b', 'c']]
>>> rings = [{"a", "b"}]
>>> grow(rings, g, g, need, set())
>>> sorted(rings[0])
['a', 'b', 'c']
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping

__all__ = ["Ties", "adjacency", "grow", "prune"]

Ties = Mapping[str, Mapping[str, float]]  # node -> neighbour -> weight (both ways)


def adjacency(weights: Mapping[tuple[str, str], float] | Iterable[tuple[tuple[str, str], float]]
              ) -> dict[str, dict[str, float]]:
    """Pair weights ``{(a, b): w}`` as neighbour maps, filled in sorted pair order (so that a node's
    neighbours, and sums over them, come in the same order whatever order the pairs were found in); pairs
    given as ``((a, b), w)`` items are taken in the order given."""
    adj: dict[str, dict[str, float]] = defaultdict(dict)
    for (a, b), w in sorted(weights.items()) if isinstance(weights, Mapping) else weights:
        adj[a][b] = adj[b][a] = w
    return adj


def _tie(n: str, m: str, g: Ties, adj: Ties, officials: Collection[str]) -> float:
    return g[n][m] if n in officials else adj.get(n, {}).get(m, 0.0)


def prune(communities: list[list[str]], g: Ties, evidence: Ties, need: Mapping[str, float],
          officials: Collection[str]) -> list[list[str]]:
    """Drop, round by round, members whose evidence ties into their own community weigh less than
    ``need[member]`` (a family that paid one debt, a nominee co-director, a relative of a member).

    ``g`` holds the projection's ties (all of them, :func:`adjacency`), ``evidence`` those without
    household ties."""
    adj = evidence
    out = []
    for comm in communities:
        keep = set(comm)
        look = keep  # only a member next to one dropped in the last round can have become weak
        while True:
            weak = {n for n in look if sum(_tie(n, m, g, adj, officials) for m in g[n] if m in keep) < need[n]}
            if not weak or weak == keep:
                break
            keep -= weak
            look = {m for n in weak for m in g[n] if m in keep}
        out.append(sorted(keep))
    return out


def grow(rings: list[set[str]], g: Ties, evidence: Ties, need: Mapping[str, float], officials: Collection[str],
         rounds: int = 3, prepare: Callable[[list[str]], None] | None = None) -> None:
    """Round by round, an actor in no ring joins the ring its evidence ties weigh most into (ties broken by
    ring order), when that weight reaches ``need[actor]``: a collector whom modularity put with the families
    paying into her account, a mule at the end of a layering chain. Changes ``rings`` in place.

    Only actors tied to a ring are looked at; ``prepare`` is called with them (sorted) before each round
    (to fill ``need`` and ``officials`` for them)."""
    adj = evidence
    for _ in range(rounds):
        owner = {n: i for i, r in enumerate(rings) for n in r}
        candidates = sorted({m for n in owner for m in g.get(n, ()) if m not in owner})
        if prepare is not None:
            prepare(candidates)
        adds: dict[int, set[str]] = defaultdict(set)
        for n in candidates:
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
