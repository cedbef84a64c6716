"""Corruption links: officials (``is_official``, a HOLDS_POSITION, or an official/officer role in a case:
PACC complaints, DOPA village and sub-district heads, officers named in police records) within ``k`` hops
of suspects through money, family, phones, addresses or documents, each hit with its explaining path and
sources, ranked.

An official's own duties (ROLE_IN as officer, HOLDS_POSITION) are never followed: an inquiry officer is
not suspicious for being on the case. Score: the sum over suspects reached of 1/distance (a quarter for
each transfer beyond the first on the way), plus 2 when the
official is a suspect, plus the evidence of :mod:`graph_model.queries._official_evidence` (PACC complaints
citing a case with suspects, weighed by their status; PromptPay ids on the official's or a relative's
accounts that are a suspect's phone). Every item is listed in ``evidence`` with its weight and path.

>>> from graph_model.queries._common import tiny_graph
>>> g = tiny_graph()
>>> g.add_node("case:1", type="Case", case_no="X")
>>> _ = g.add_edge("per:b", "case:1", key="role_in:1", type="ROLE_IN", role="suspect")
>>> [(h.entity_id, h.distance, h.path, h.links) for h in official_links(g)]
[('per:a', 2, ['per:a', 'tel:1', 'per:b'], ['phone'])]
"""

from __future__ import annotations

import itertools
from collections import defaultdict, deque
from dataclasses import asdict, dataclass, field
from typing import Any

from graph_model.queries._common import SUSPECT_ROLES, backend_of, explain_path, graph_of, run
from graph_model.queries._official_evidence import complaint_evidence, promptpay_evidence

__all__ = ["LINK_RELS", "OfficialHit", "official_links", "officials"]

LINK_RELS = {"TRANSFER": "money", "HOLDS_ACCOUNT": "money", "FAMILY": "family", "HAS_PHONE": "phone",
             "HAS_ADDRESS": "address", "HAS_DOCUMENT": "document"}
OFFICIAL_ROLES = ("official", "officer")
RELAY_FACTOR = 0.25


@dataclass
class OfficialHit:
    """An official near suspects: score, distance to the nearest, the explaining path and its steps."""

    entity_id: str
    score: float
    distance: int
    suspects: list[str]
    path: list[str]
    links: list[str]
    steps: list[dict[str, Any]] = field(default_factory=list)
    evidence: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-able form."""
        return asdict(self)


def officials(store_or_graph: Any) -> list[str]:
    """Ids of every official, sorted.

    >>> from graph_model.queries._common import tiny_graph
    >>> officials(tiny_graph())
    ['per:a']
    """
    if backend_of(store_or_graph) == "neo4j":
        rows = run(store_or_graph, "MATCH (o:Person) WHERE o.is_official = true OR EXISTS { (o)-[:HOLDS_POSITION]->() } "
                   "OR EXISTS { (o)-[x:ROLE_IN]->() WHERE x.role IN $roles } RETURN o.id AS id ORDER BY id",
                   roles=list(OFFICIAL_ROLES))
        return [r["id"] for r in rows]
    g = graph_of(store_or_graph)
    out = []
    for n, a in g.nodes(data=True):
        if a.get("type") != "Person":
            continue
        if a.get("is_official") is True or any(
            d.get("type") == "HOLDS_POSITION" or (d.get("type") == "ROLE_IN" and d.get("role") in OFFICIAL_ROLES)
            for _, _, d in g.out_edges(n, data=True)
        ):
            out.append(n)
    return sorted(out)


def _suspects(g: Any) -> set[str]:
    """Nodes with a suspect role in a case (an outgoing ROLE_IN), in one pass over the relationships."""
    return {u for u, _, d in g.edges(data=True) if d.get("type") == "ROLE_IN" and d.get("role") in SUSPECT_ROLES}


def _link_adjacency(g: Any) -> dict[str, list[str]]:
    """Each node's neighbours through the linking relationships, either direction, sorted (built once
    for all officials instead of filtering every visited node's edges again for each one)."""
    adj: dict[str, set[str]] = defaultdict(set)
    for u, v, d in g.edges(data=True):
        if d.get("type") in LINK_RELS:
            adj[u].add(v)
            adj[v].add(u)
    return {n: sorted(nbrs) for n, nbrs in adj.items()}


def _memory_paths(g: Any, o: str, k: int, adjacency: dict[str, list[str]] | None = None,
                  suspects: set[str] | None = None) -> list[tuple[int, list[str]]]:
    """All shortest paths (within k) from ``o`` to each suspect, as (length, node ids)."""
    adjacency = _link_adjacency(g) if adjacency is None else adjacency
    suspects = _suspects(g) if suspects is None else suspects
    dist = {o: 0}
    preds: dict[str, list[str]] = defaultdict(list)
    queue = deque([o])
    while queue:
        n = queue.popleft()
        if dist[n] >= k:
            continue
        for nb in adjacency.get(n, ()):
            if nb not in dist:
                dist[nb] = dist[n] + 1
                queue.append(nb)
            if dist[nb] == dist[n] + 1:
                preds[nb].append(n)

    def back(n: str) -> list[list[str]]:
        return [[o]] if n == o else [[*p, n] for m in preds[n] for p in back(m)]

    return [(dist[s], p) for s in sorted(dist) if s != o and s in suspects for p in back(s)]


def _path_weight(path: list[str], accounts: set[str]) -> float:
    """1/length, a quarter for each transfer beyond the first: money relayed through other accounts is
    the economy at work more often than a payment to the official."""
    transfers = sum(1 for a, b in itertools.pairwise(path) if a in accounts and b in accounts)
    return (1.0 / (len(path) - 1)) * RELAY_FACTOR ** max(0, transfers - 1)


def official_links(store_or_graph: Any, k: int = 5, limit: int | None = None,
                   explain: bool = True) -> list[OfficialHit]:
    """Officials with at least one suspect within ``k`` hops through money, family, phones, addresses
    or documents; ranked by score, then distance, then id. ``path`` is the smallest (by node ids) among
    the shortest paths to the nearest suspects; ``steps`` explain it with sources.

    >>> from graph_model.queries._common import tiny_graph
    >>> official_links(tiny_graph())
    []
    """
    rows: dict[str, list[tuple[int, list[str]]]] = defaultdict(list)
    accounts: set[str] = set()
    self_suspects: set[str] = set()
    if backend_of(store_or_graph) == "memory":
        g = graph_of(store_or_graph)
        adjacency, suspects = _link_adjacency(g), _suspects(g)
        for o in officials(g):
            rows[o] = _memory_paths(g, o, k, adjacency, suspects)
            accounts.update(n for _, p in rows[o] for n in p if g.nodes[n].get("type") == "Account")
            if o in suspects:
                self_suspects.add(o)
    else:
        rels = "|".join(sorted(LINK_RELS))  # fixed identifiers, not input
        found = run(store_or_graph,
                    f"UNWIND $officials AS oid MATCH (o:Entity {{id: oid}}) "
                    f"MATCH p = ALL SHORTEST (o)-[:{rels}]-{{1,{int(k)}}}"
                    "(s:Entity WHERE EXISTS { (s)-[x:ROLE_IN]->() WHERE x.role IN $roles }) "
                    "RETURN oid, length(p) AS d, [n IN nodes(p) | n.id] AS ids, "
                    "[n IN nodes(p) WHERE n:Account | n.id] AS accounts",
                    officials=officials(store_or_graph), roles=list(SUSPECT_ROLES))
        for r in found:
            rows[r["oid"]].append((int(r["d"]), list(r["ids"])))
            accounts.update(r["accounts"])
        self_suspects = {r["id"] for r in run(
            store_or_graph, "UNWIND $ids AS id MATCH (o:Entity {id: id}) "
            "WHERE EXISTS { (o)-[x:ROLE_IN]->() WHERE x.role IN $roles } RETURN o.id AS id",
            ids=officials(store_or_graph), roles=list(SUSPECT_ROLES))}
    ids = officials(store_or_graph)
    extra: dict[str, list[tuple[float, str, list[str]]]] = defaultdict(list)
    for found_ev in (complaint_evidence(store_or_graph, ids, OFFICIAL_ROLES), promptpay_evidence(store_or_graph, ids)):
        for o, items in found_ev.items():
            extra[o].extend(i for i in items if i[0] > 0)
    hits = []
    for o in sorted(set(rows) | self_suspects | {o for o, items in extra.items() if items}):
        paths = sorted(((d, p) for d, p in rows.get(o, []) if p[-1] != o),
                       key=lambda x: (-_path_weight(x[1], accounts), x[0], x[1]))
        dist = {p[-1]: d for d, p in reversed(paths)}
        weight: dict[str, float] = {}
        for _, p in paths:
            weight.setdefault(p[-1], _path_weight(p, accounts))
        items = sorted(extra.get(o, []), key=lambda i: (-i[0], len(i[2]), i[2]))
        if not dist and o not in self_suspects and not items:
            continue
        score = sum(weight.values()) + (2.0 if o in self_suspects else 0.0) + sum(i[0] for i in items)
        best = paths[0] if paths else (0, [o])
        evidence = ([{"kind": "suspect", "weight": 2.0, "path": [o]}] if o in self_suspects else []) + (
            [{"kind": "network", "weight": round(weight[best[1][-1]], 4), "path": best[1]}] if paths else []) + [
            {"kind": k, "weight": w, "path": p} for w, k, p in items]
        if items and (not paths or items[0][0] > weight[best[1][-1]]):
            best = (len(items[0][2]) - 1, items[0][2])  # the strongest item explains the hit
        reached = sorted(set(dist) | {i[2][-1] for i in items})
        hits.append(OfficialHit(o, round(score, 4), best[0], reached, best[1], [], [], evidence))
    hits.sort(key=lambda h: (-h.score, h.distance, h.entity_id))
    hits = hits[:limit] if limit is not None else hits
    for h in hits:
        on_network = any(e["kind"] == "network" and e["path"] == h.path for e in h.evidence)
        steps = explain_path(store_or_graph, h.path, sorted(LINK_RELS) if on_network else None) \
            if len(h.path) > 1 else []
        h.links = sorted({LINK_RELS[s["type"]] for s in steps if s["type"] in LINK_RELS and on_network}
                         | {e["kind"] for e in h.evidence if e["kind"] not in ("network", "suspect")})
        if explain:
            h.steps = steps
    return hits
