"""Money trails: from an account or a person, forward or backward through TRANSFER relationships, in
time order (each transfer not before the previous one), with an amount tolerance and a hop limit.

The detectors (fan-in, fan-out, cycles, pass-through mules, structuring) are in
:mod:`graph_model.queries.money_patterns`.

>>> from graph_model.queries._common import tiny_graph
>>> [p.txn_ids for p in trail(tiny_graph(), "per:b")]
[['T1']]
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

import networkx as nx

from graph_model.queries._common import backend_of, graph_of, run

__all__ = ["MoneyPath", "accounts_of", "layering", "trail", "transfers"]

Direction = Literal["forward", "backward"]


@dataclass(frozen=True)
class MoneyPath:
    """One chain of transfers: accounts in the order the money was followed, transaction ids,
    amounts and times; ``total_thb`` sums the amounts, ``delivered_thb`` is the last amount."""

    accounts: list[str]
    txn_ids: list[str]
    rel_ids: list[str]
    amounts: list[float]
    ats: list[str]
    total_thb: float = field(default=0.0)
    delivered_thb: float = field(default=0.0)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-able form."""
        return asdict(self)


def transfers(g: nx.MultiDiGraph) -> list[tuple[str, str, str, dict[str, Any]]]:
    """Every TRANSFER of a memory graph as ``(source, target, rel_id, attrs)``, sorted by (ts, rel id).

    >>> from graph_model.queries._common import tiny_graph
    >>> [(s, t) for s, t, _, _ in transfers(tiny_graph())]
    [('acc:2', 'acc:1')]
    """
    out = [(u, v, str(k), d) for u, v, k, d in g.edges(keys=True, data=True) if d.get("type") == "TRANSFER"]
    out.sort(key=lambda e: (int(e[3].get("ts") or 0), e[2]))
    return out


def accounts_of(store_or_graph: Any, entity_id: str) -> list[str]:
    """The entity itself if it is an account, else the accounts it holds (sorted).

    >>> from graph_model.queries._common import tiny_graph
    >>> accounts_of(tiny_graph(), "per:a")
    ['acc:1']
    """
    if backend_of(store_or_graph) == "memory":
        g = graph_of(store_or_graph)
        if entity_id not in g:
            return []
        if g.nodes[entity_id].get("type") == "Account":
            return [entity_id]
        return sorted(
            {v for _, v, d in g.out_edges(entity_id, data=True) if d.get("type") == "HOLDS_ACCOUNT"}
        )
    rows = run(
        store_or_graph,
        "MATCH (e:Entity {id: $id}) OPTIONAL MATCH (e)-[:HOLDS_ACCOUNT]->(a:Account) "
        "WITH e, collect(DISTINCT a.id) AS held RETURN CASE WHEN e:Account THEN [e.id] ELSE held END AS ids",
        id=entity_id,
    )
    return sorted(rows[0]["ids"]) if rows else []


def _ok_next(prev: dict[str, Any], nxt: dict[str, Any], direction: str, time_ordered: bool,
             tolerance: float | None) -> bool:
    if time_ordered:
        if direction == "forward" and int(nxt["ts"]) < int(prev["ts"]):
            return False
        if direction == "backward" and int(nxt["ts"]) > int(prev["ts"]):
            return False
    if tolerance is not None:
        a = float(prev["amount_thb"])
        if abs(float(nxt["amount_thb"]) - a) > tolerance * a:
            return False
    return True


def _memory_paths(g: nx.MultiDiGraph, starts: list[str], direction: str, max_hops: int,
                  time_ordered: bool, tolerance: float | None) -> list[tuple[list[str], list[dict[str, Any]]]]:
    def steps(node: str) -> list[tuple[str, dict[str, Any]]]:
        edges = g.out_edges(node, keys=True, data=True) if direction == "forward" else \
            g.in_edges(node, keys=True, data=True)
        out = []
        for u, v, k, d in edges:
            if d.get("type") == "TRANSFER":
                out.append((v if direction == "forward" else u, {**d, "id": str(k)}))
        return out

    found: list[tuple[list[str], list[dict[str, Any]]]] = []

    def walk(nodes: list[str], rels: list[dict[str, Any]]) -> None:
        if rels:
            found.append((list(nodes), list(rels)))
        if len(rels) >= max_hops:
            return
        for nxt, rel in steps(nodes[-1]):
            if nxt in nodes or (rels and not _ok_next(rels[-1], rel, direction, time_ordered, tolerance)):
                continue
            nodes.append(nxt)
            rels.append(rel)
            walk(nodes, rels)
            nodes.pop()
            rels.pop()

    for s in starts:
        walk([s], [])
    return found


# One hop of a trail for every chain of the frontier: only the transfers that keep the rules (time order,
# amount tolerance, no account twice) are followed, so a hub account is not expanded into every path
# through it before the rules are checked (one variable-length match filtered afterwards took a Neo4j
# CPU second per 5-hop trail at a million persons, 38 s for the worst).
_TRAIL_STEP_CYPHER = """
UNWIND $frontier AS f
MATCH (a:Entity {{id: f.last}}){arrow}(b:Account)
WHERE a:Account AND NOT b.id IN f.seen
  AND (f.ts IS NULL OR NOT $ordered OR ($forward AND r.ts >= f.ts) OR (NOT $forward AND r.ts <= f.ts))
  AND (f.amount IS NULL OR $tol IS NULL OR abs(r.amount_thb - f.amount) <= $tol * f.amount)
RETURN f.i AS i, b.id AS next, {{id: r.id, txn_id: r.txn_id, amount_thb: r.amount_thb, at: r.at, ts: r.ts}} AS rel
"""


def _neo4j_paths(store: Any, starts: list[str], direction: str, max_hops: int, time_ordered: bool,
                 tolerance: float | None, through: Collection[str] | None = None
                 ) -> list[tuple[list[str], list[dict[str, Any]]]]:
    """Every chain within the rules, hop by hop (one query per hop for the whole frontier); with
    ``through``, a chain goes on from its last account only if that account is one of them."""
    arrow = "-[r:TRANSFER]->" if direction == "forward" else "<-[r:TRANSFER]-"
    frontier: list[tuple[list[str], list[dict[str, Any]]]] = [([s], []) for s in starts]
    found: list[tuple[list[str], list[dict[str, Any]]]] = []
    for _ in range(int(max_hops)):
        if not frontier:
            break
        rows = run(store, _TRAIL_STEP_CYPHER.format(arrow=arrow), frontier=[
            {"i": i, "last": nodes[-1], "seen": nodes, "ts": rels[-1]["ts"] if rels else None,
             "amount": rels[-1]["amount_thb"] if rels else None} for i, (nodes, rels) in enumerate(frontier)],
            ordered=time_ordered, forward=direction == "forward", tol=tolerance)
        grown = [([*frontier[r["i"]][0], r["next"]], [*frontier[r["i"]][1], r["rel"]]) for r in rows]
        found += grown
        frontier = grown if through is None else [chain for chain in grown if chain[0][-1] in through]
    return found


def trail(
    store_or_graph: Any,
    start: str,
    direction: Direction = "forward",
    max_hops: int = 5,
    time_ordered: bool = True,
    amount_tolerance: float | None = None,
    limit: int = 100,
) -> list[MoneyPath]:
    """Follow money from an account (or every account a person or organisation holds).

    Returns the maximal chains (not extendable within the rules): no account twice, at most
    ``max_hops`` transfers; with ``time_ordered`` each transfer is not before the previous one (forward)
    or not after it (backward); with ``amount_tolerance`` (a fraction) each amount is within that share
    of the previous amount. Ordered by hops (longest first), total (largest first), transaction ids.

    >>> from graph_model.queries._common import tiny_graph
    >>> p = trail(tiny_graph(), "acc:1", direction="backward")[0]
    >>> p.accounts, p.total_thb
    (['acc:1', 'acc:2'], 50000.0)
    """
    starts = accounts_of(store_or_graph, start)
    raw: list[tuple[list[str], list[dict[str, Any]]]]
    if backend_of(store_or_graph) == "memory":
        raw = _memory_paths(graph_of(store_or_graph), starts, direction, max_hops, time_ordered,
                            amount_tolerance)
    else:
        raw = _neo4j_paths(store_or_graph, starts, direction, max_hops, time_ordered, amount_tolerance)
    prefixes = {tuple(str(r["id"]) for r in rels[:-1]) for _, rels in raw}
    paths = []
    for nodes, rels in raw:
        ids = tuple(str(r["id"]) for r in rels)
        if ids in prefixes and len(rels) < max_hops:
            continue  # extended by a longer chain
        amounts = [round(float(r["amount_thb"]), 2) for r in rels]
        paths.append(MoneyPath(
            accounts=list(nodes), txn_ids=[str(r.get("txn_id")) for r in rels], rel_ids=list(ids),
            amounts=amounts, ats=[str(r.get("at")) for r in rels],
            total_thb=round(sum(amounts), 2), delivered_thb=amounts[-1],
        ))
    paths.sort(key=lambda p: (-len(p.rel_ids), -p.total_thb, p.txn_ids))
    return paths[:limit]


def _mule_paths(store_or_graph: Any, starts: list[str], mules: set[str], max_hops: int,
                tolerance: float | None) -> list[tuple[list[str], list[dict[str, Any]]]]:
    """Every time-ordered simple chain of at most ``max_hops`` transfers from a start whose accounts after
    the start, except the last, are mules (on Neo4j hop by hop for all starts at once, going on only from
    mules: one variable-length match filtered afterwards enumerated every path through the mules before
    the time order was checked, minutes at a million persons)."""
    if backend_of(store_or_graph) == "neo4j":
        return _neo4j_paths(store_or_graph, starts, "forward", max_hops, True, tolerance, through=mules)
    g = graph_of(store_or_graph)
    found: list[tuple[list[str], list[dict[str, Any]]]] = []

    def walk(nodes: list[str], rels: list[dict[str, Any]]) -> None:
        if rels:
            found.append((list(nodes), list(rels)))
        if len(rels) >= max_hops or (rels and nodes[-1] not in mules):
            return
        for _, nxt, k, d in g.out_edges(nodes[-1], keys=True, data=True):
            rel = {**d, "id": str(k)}
            if d.get("type") != "TRANSFER" or nxt in nodes or (
                    rels and not _ok_next(rels[-1], rel, "forward", True, tolerance)):
                continue
            walk([*nodes, nxt], [*rels, rel])

    for s in starts:
        walk([s], [])
    return found


def layering(store_or_graph: Any, mules: set[str], max_hops: int = 6,
             amount_tolerance: float | None = 0.2, min_transfers: int = 2) -> list[MoneyPath]:
    """Layering chains: time-ordered transfers from an account into ``mules`` (pass-through accounts,
    see :func:`graph_model.queries.money_patterns.pass_through`) and on through mules until the money
    leaves them (or the chain can go no further within the rules); at least ``min_transfers`` transfers.
    Sorted by first account, then transaction ids.

    >>> from graph_model.queries._common import tiny_graph
    >>> layering(tiny_graph(), mules={"acc:2"})
    []
    """
    if backend_of(store_or_graph) == "memory":
        g = graph_of(store_or_graph)
        starts = sorted({u for m in mules if m in g for u, _, d in g.in_edges(m, data=True)
                         if d.get("type") == "TRANSFER" and u not in mules})
    else:
        starts = sorted(r["id"] for r in run(
            store_or_graph, "MATCH (s:Account)-[:TRANSFER]->(m:Account) WHERE m.id IN $mules AND NOT s.id IN $mules "
            "RETURN DISTINCT s.id AS id", mules=sorted(mules)))
    raw = _mule_paths(store_or_graph, starts, mules, max_hops, amount_tolerance)
    extended = {tuple(str(r["id"]) for r in rels[:-1]) for _, rels in raw}
    chains: dict[tuple[str, ...], MoneyPath] = {}
    for nodes, rels in raw:
        ids = tuple(str(r["id"]) for r in rels)
        if len(rels) < max(min_transfers, 2) or nodes[1] not in mules:
            continue
        if nodes[-1] in mules and ids in extended and len(rels) < max_hops:
            continue  # the money went on: a longer chain holds this one
        amounts = [round(float(r["amount_thb"]), 2) for r in rels]
        chains.setdefault(ids, MoneyPath(list(nodes), [str(r.get("txn_id")) for r in rels], list(ids), amounts,
                                         [str(r.get("at")) for r in rels], round(sum(amounts), 2), amounts[-1]))
    return sorted(chains.values(), key=lambda c: (c.accounts[0], c.txn_ids))
