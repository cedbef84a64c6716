"""Corruption links: officials (``is_official``, a HOLDS_POSITION, or an official/officer role in a case:
PACC complaints, DOPA village and sub-district heads, officers named in police records) within ``k`` hops
of suspects through money, family, phones, addresses or documents, each hit with its explaining path and
sources, ranked.

An official's own duties (ROLE_IN as officer, HOLDS_POSITION) are never followed: an inquiry officer is
not suspicious for being on the case. Paths do not pass through hubs (more than ``HUB_DEGREE`` links: an
address or account shared by thousands); the search is :mod:`graph_model.queries._official_search`, the
same Python code on both stores. At 100,000 persons (2026-11-27, load 9-15) it takes 1.6 s on Neo4j
(0.8 server + 0.6 client CPU s; the one ``ALL SHORTEST`` query before it: 320 s, 88 server CPU s) and
1.4 CPU s on the embedded store (was 16.2); the hub rule raised recall@50 of the world's 18 planted
officials from 0.78 to 1.00 (@20: 0.39 to 0.67). At 1,000,000 persons on Neo4j (bulk-imported graph, warm
server, load 2.3-2.6): 14.9 s, 6.9 client + 10.4 server CPU s, 2,610 officials near suspects. Score: the sum over suspects reached of 1/distance (a quarter for
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
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from typing import Any

from graph_model.queries._common import SUSPECT_ROLES, backend_of, explain_path, graph_of, run
from graph_model.queries._official_evidence import complaint_evidence, promptpay_evidence
from graph_model.queries._official_search import LINK_RELS, official_paths, suspects_of
from graph_model.store.base import HUB_DEGREE

__all__ = ["LINK_RELS", "OfficialHit", "official_links", "officials"]

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
    if backend_of(store_or_graph) == "neo4j":  # three scans of what marks an official, not a test of every person
        rows = run(store_or_graph, "MATCH (o:Person) WHERE o.is_official = true RETURN o.id AS id "
                   "UNION MATCH (o:Person)-[:HOLDS_POSITION]->() RETURN o.id AS id "
                   "UNION MATCH (o:Person)-[x:ROLE_IN]->() WHERE x.role IN $roles RETURN o.id AS id",
                   roles=list(OFFICIAL_ROLES))
        return sorted(r["id"] for r in rows)
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


def _accounts(store_or_graph: Any, ids: set[str]) -> set[str]:
    """Which of ``ids`` are accounts (a transfer on a path joins two of them)."""
    if backend_of(store_or_graph) == "neo4j":
        return {r["id"] for r in run(store_or_graph, "UNWIND $ids AS id MATCH (a:Entity {id: id}) WHERE a:Account RETURN id",
                                     ids=sorted(ids))}
    g = graph_of(store_or_graph)
    return {n for n in ids if g.nodes[n].get("type") == "Account"}


def _path_weight(path: list[str], accounts: set[str]) -> float:
    """1/length, a quarter for each transfer beyond the first: money relayed through other accounts is
    the economy at work more often than a payment to the official."""
    transfers = sum(1 for a, b in itertools.pairwise(path) if a in accounts and b in accounts)
    return (1.0 / (len(path) - 1)) * RELAY_FACTOR ** max(0, transfers - 1)


def official_links(store_or_graph: Any, k: int = 5, limit: int | None = None,
                   explain: bool = True, hub_degree: int | None = HUB_DEGREE) -> list[OfficialHit]:
    """Officials with at least one suspect within ``k`` hops through money, family, phones, addresses
    or documents; ranked by score, then distance, then id. ``path`` is the smallest (by node ids) among
    the shortest paths to the nearest suspects; ``steps`` explain it with sources. Paths do not pass
    through hubs (nodes with more than ``hub_degree`` relationships; ``None``: through every node), see
    :mod:`graph_model.queries._official_search`.

    >>> from graph_model.queries._common import tiny_graph
    >>> official_links(tiny_graph())
    []
    """
    ids = officials(store_or_graph)
    suspects = suspects_of(store_or_graph, SUSPECT_ROLES)
    rows = official_paths(store_or_graph, ids, suspects, k, hub_degree)
    accounts = _accounts(store_or_graph, {n for paths in rows.values() for _, p in paths for n in p})
    self_suspects = set(ids) & suspects
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
