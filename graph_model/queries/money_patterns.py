"""Money-laundering patterns over TRANSFER relationships: fan-in, fan-out, time-ordered cycles,
pass-through (mule) accounts, structuring under the 2,000,000 THB cash-transaction report threshold,
and compensation paid into a suspect's account.

Each detector returns :class:`MoneyPattern` rows sorted deterministically, the same on both stores.

>>> from graph_model.queries._common import tiny_graph
>>> fan_in(tiny_graph(), min_counterparties=1)[0].accounts
['acc:1', 'acc:2']
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass, field
from typing import Any

from graph_model.queries._common import SUSPECT_ROLES, backend_of, graph_of, run
from graph_model.queries.money import transfers

__all__ = [
    "CTR_THRESHOLD_THB",
    "MoneyPattern",
    "compensation_to_suspect",
    "cycles",
    "fan_in",
    "fan_out",
    "pass_through",
    "structuring",
]

CTR_THRESHOLD_THB = 2_000_000.0
DAY = 86_400


@dataclass(frozen=True)
class MoneyPattern:
    """One detected pattern: the focal account first in ``accounts``, the transactions involved."""

    pattern: str
    accounts: list[str]
    txn_ids: list[str]
    total_thb: float
    detail: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-able form."""
        return asdict(self)


_TRANSFER_ROWS_CYPHER = """
MATCH (a:Account)-[r:TRANSFER]->(b:Account)
RETURN a.id AS s, b.id AS t, r.id AS id, r.txn_id AS txn, r.amount_thb AS amt, r.ts AS ts
"""


def _rows(store_or_graph: Any) -> list[dict[str, Any]]:
    """Transfers as rows ``{s, t, id, txn, amt, ts}``, sorted by (ts, id), from either store."""
    if backend_of(store_or_graph) == "memory":
        return [{"s": s, "t": t, "id": k, "txn": str(d.get("txn_id")), "amt": float(d.get("amount_thb") or 0),
                 "ts": int(d.get("ts") or 0)} for s, t, k, d in transfers(graph_of(store_or_graph))]
    rows = [{"s": r["s"], "t": r["t"], "id": str(r["id"]), "txn": str(r["txn"]), "amt": float(r["amt"] or 0),
             "ts": int(r["ts"] or 0)} for r in run(store_or_graph, _TRANSFER_ROWS_CYPHER)]
    rows.sort(key=lambda r: (r["ts"], r["id"]))
    return rows


def _best_window(focal: str, legs: list[dict[str, Any]], other: str, window: int, k: int) -> MoneyPattern | None:
    legs = sorted(legs, key=lambda x: (x["ts"], x["id"]))
    best: tuple[int, int, list[dict[str, Any]]] | None = None
    for _i, w in enumerate(legs):
        inside = [x for x in legs if w["ts"] <= x["ts"] <= w["ts"] + window]
        n = len({x[other] for x in inside})
        if n >= k and (best is None or n > best[0]):
            best = (n, w["ts"], inside)
    if best is None:
        return None
    inside = best[2]
    return MoneyPattern("", [focal, *sorted({x[other] for x in inside})], sorted(x["txn"] for x in inside),
                        round(sum(x["amt"] for x in inside), 2), {"counterparties": best[0]})


_FAN_CYPHER = """
MATCH (a:Account){arrow}(b:Account) WHERE a <> b
WITH a, collect({{o: b.id, id: r.id, txn: r.txn_id, amt: r.amount_thb, ts: r.ts}}) AS legs
WHERE size(legs) >= $k
UNWIND legs AS w
WITH a, w, [x IN legs WHERE x.ts >= w.ts AND x.ts <= w.ts + $window] AS inside
UNWIND inside AS x
WITH a, w, inside, collect(DISTINCT x.o) AS others
WHERE size(others) >= $k
WITH a, w, inside, others ORDER BY size(others) DESC, w.ts, w.id
WITH a, collect({{inside: inside, others: others}})[0] AS best
RETURN a.id AS focal, best.others AS others, [x IN best.inside | x.txn] AS txns,
       reduce(s = 0.0, x IN best.inside | s + x.amt) AS total
"""


def _fan(store_or_graph: Any, pattern: str, k: int, window_days: float) -> list[MoneyPattern]:
    window = int(window_days * DAY)
    incoming = pattern == "fan_in"
    if backend_of(store_or_graph) == "memory":
        legs: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for row in _rows(store_or_graph):
            if row["s"] != row["t"]:
                legs[row["t"] if incoming else row["s"]].append(row)
        found = [_best_window(a, ls, "s" if incoming else "t", window, k) for a, ls in legs.items()]
        out = [MoneyPattern(pattern, p.accounts, p.txn_ids, p.total_thb, p.detail) for p in found if p]
    else:
        arrow = "<-[r:TRANSFER]-" if incoming else "-[r:TRANSFER]->"
        rows = run(store_or_graph, _FAN_CYPHER.format(arrow=arrow), k=k, window=window)
        out = [MoneyPattern(pattern, [r["focal"], *sorted(r["others"])], sorted(r["txns"]),
                            round(float(r["total"]), 2), {"counterparties": len(r["others"])}) for r in rows]
    return sorted(out, key=lambda p: (-len(p.accounts), p.accounts))


def fan_in(store_or_graph: Any, min_counterparties: int = 5, window_days: float = 30) -> list[MoneyPattern]:
    """Accounts receiving from at least ``min_counterparties`` distinct accounts within ``window_days``
    (e.g. victims' families paying "debts" into a collector's account); the busiest window is reported.

    >>> from graph_model.queries._common import tiny_graph
    >>> fan_in(tiny_graph(), min_counterparties=2)
    []
    """
    return _fan(store_or_graph, "fan_in", min_counterparties, window_days)


def fan_out(store_or_graph: Any, min_counterparties: int = 5, window_days: float = 30) -> list[MoneyPattern]:
    """Accounts sending to at least ``min_counterparties`` distinct accounts within ``window_days``.

    >>> from graph_model.queries._common import tiny_graph
    >>> [p.accounts for p in fan_out(tiny_graph(), min_counterparties=1)]
    [['acc:2', 'acc:1']]
    """
    return _fan(store_or_graph, "fan_out", min_counterparties, window_days)


_CYCLES_CYPHER = """
MATCH (a:Account)-[r0:TRANSFER]->(b:Account) WHERE a <> b
MATCH p = (b) ((x:Account)-[r:TRANSFER]->(y:Account)
               WHERE x <> y AND r.ts >= r0.ts AND r.ts <= r0.ts + $window){{1,{inner}}} (a)
WITH a, [r0] + relationships(p) AS rs, [a] + nodes(p) AS ns
WHERE all(i IN range(0, size(rs) - 2) WHERE rs[i].ts <= rs[i + 1].ts)
  AND all(i IN range(1, size(ns) - 2) WHERE NOT ns[i] IN ns[i + 1..size(ns) - 1])
  AND NOT a IN ns[1..size(ns) - 1]
RETURN [n IN ns[..size(ns) - 1] | n.id] AS accounts, [x IN rs | {{id: x.id, txn: x.txn_id, amt: x.amount_thb}}] AS legs
"""


def _memory_cycles(rows: list[dict[str, Any]], max_length: int, window: int) -> list[MoneyPattern]:
    """Every time-ordered simple cycle, walked from each transfer, pruning each leg as it goes."""
    found: list[MoneyPattern] = []
    out_legs: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        if row["s"] != row["t"]:
            out_legs[row["s"]].append(row)

    def walk(nodes: list[str], legs: list[dict[str, Any]]) -> None:
        for nxt in out_legs.get(nodes[-1], ()):
            if nxt["ts"] < legs[-1]["ts"] or nxt["ts"] > legs[0]["ts"] + window:
                continue
            if nxt["t"] == nodes[0]:
                chain = [*legs, nxt]
                found.append(MoneyPattern("cycle", list(nodes), [x["txn"] for x in chain],
                                          round(sum(x["amt"] for x in chain), 2),
                                          {"rel_ids": [x["id"] for x in chain]}))
            elif nxt["t"] not in nodes and len(legs) + 1 < max_length:
                walk([*nodes, nxt["t"]], [*legs, nxt])

    for row in rows:
        if row["s"] != row["t"]:
            walk([row["s"], row["t"]], [row])
    return found


def cycles(store_or_graph: Any, max_length: int = 6, window_days: float = 30) -> list[MoneyPattern]:
    """Round trips: simple time-ordered chains of 2 to ``max_length`` transfers that return to the first
    account within ``window_days``; accounts listed from the first transfer's sender.

    >>> from graph_model.queries._common import tiny_graph
    >>> g = tiny_graph()
    >>> _ = g.add_edge("acc:1", "acc:2", key="transfer:2", type="TRANSFER", txn_id="T2", amount_thb=49000.0,
    ...                ts=1706842800, at="2024-02-02T10:00:00+07:00")
    >>> [(c.accounts, c.txn_ids) for c in cycles(g)]
    [(['acc:2', 'acc:1'], ['T1', 'T2'])]
    """
    window = int(window_days * DAY)
    found: list[MoneyPattern] = []
    if backend_of(store_or_graph) == "neo4j":
        for r in run(store_or_graph, _CYCLES_CYPHER.format(inner=max(int(max_length) - 1, 1)), window=window):
            legs = r["legs"]
            found.append(MoneyPattern("cycle", list(r["accounts"]), [str(x["txn"]) for x in legs],
                                      round(sum(float(x["amt"] or 0) for x in legs), 2),
                                      {"rel_ids": [str(x["id"]) for x in legs]}))
    else:
        found = _memory_cycles(_rows(store_or_graph), max_length, window)
    seen: set[frozenset[str]] = set()
    unique = []
    for p in sorted(found, key=lambda p: (p.accounts[0], p.detail["rel_ids"])):
        if frozenset(p.detail["rel_ids"]) not in seen:  # equal times let a cycle start at any leg
            seen.add(frozenset(p.detail["rel_ids"]))
            unique.append(p)
    return unique


_PASS_CYPHER = """
MATCH (m:Account)-[o:TRANSFER]->(x:Account) WHERE x <> m
WITH m, collect(o) AS outs
MATCH (y:Account)-[i:TRANSFER]->(m) WHERE y <> m
WITH m, outs, collect(i) AS ins
WITH m, outs, ins, [o IN outs WHERE any(i IN ins WHERE i.ts <= o.ts AND o.ts <= i.ts + $delay
       AND o.amount_thb >= (1 - $tol) * i.amount_thb AND o.amount_thb <= (1 + $tol) * i.amount_thb)] AS matched
WITH m, ins, outs, matched, reduce(s = 0.0, r IN ins | s + r.amount_thb) AS tin,
     reduce(s = 0.0, r IN outs | s + r.amount_thb) AS tout, reduce(s = 0.0, r IN matched | s + r.amount_thb) AS tm
WHERE size(matched) >= 1 AND tm >= $share * tout AND tin >= $min_in
RETURN m.id AS account, tin, tout, [r IN ins | r.txn_id] + [r IN outs | r.txn_id] AS txns
"""


def pass_through(store_or_graph: Any, tolerance: float = 0.2, max_delay_days: float = 3,
                 min_in_thb: float = 0.0, share: float = 0.8) -> list[MoneyPattern]:
    """Mule accounts: at least ``share`` of the money sent out leaves within ``max_delay_days`` of an
    incoming transfer of about the same amount (within ``tolerance``, a fraction); other income (a salary)
    does not hide a mule.

    >>> from graph_model.queries._common import tiny_graph
    >>> pass_through(tiny_graph())
    []
    """
    delay = int(max_delay_days * DAY)
    rows: list[dict[str, Any]]
    if backend_of(store_or_graph) == "memory":
        ins: dict[str, list[dict[str, Any]]] = defaultdict(list)
        outs: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for row in _rows(store_or_graph):
            if row["s"] != row["t"]:
                outs[row["s"]].append(row)
                ins[row["t"]].append(row)
        rows = []
        for m in sorted(set(ins) & set(outs)):
            matched = [o for o in outs[m] if any(
                i["ts"] <= o["ts"] <= i["ts"] + delay and (1 - tolerance) * i["amt"] <= o["amt"] <= (1 + tolerance) * i["amt"]
                for i in ins[m])]
            tin, tout = sum(r["amt"] for r in ins[m]), sum(r["amt"] for r in outs[m])
            if matched and sum(o["amt"] for o in matched) >= share * tout and tin >= min_in_thb:
                rows.append({"account": m, "tin": tin, "tout": tout,
                             "txns": [r["txn"] for r in ins[m]] + [r["txn"] for r in outs[m]]})
    else:
        rows = run(store_or_graph, _PASS_CYPHER, tol=tolerance, delay=delay, min_in=min_in_thb, share=share)
    return sorted((MoneyPattern("pass_through", [r["account"]], sorted(r["txns"]), round(float(r["tin"]), 2),
                                {"in_thb": round(float(r["tin"]), 2), "out_thb": round(float(r["tout"]), 2)})
                   for r in rows), key=lambda p: p.accounts)


def structuring(store_or_graph: Any, threshold_thb: float = CTR_THRESHOLD_THB, margin: float = 0.1,
                min_count: int = 2, channels: tuple[str, ...] = ("ATM_CASH_DEPOSIT", "COUNTER")
                ) -> list[MoneyPattern]:
    """Accounts receiving at least ``min_count`` cash transfers (``channels``; empty = any) of amounts
    just under the reporting threshold: within ``margin`` (a fraction) below ``threshold_thb``.

    >>> from graph_model.queries._common import tiny_graph
    >>> structuring(tiny_graph(), threshold_thb=50001, channels=(), min_count=1)[0].accounts
    ['acc:1']
    """
    low = threshold_thb * (1 - margin)
    if backend_of(store_or_graph) == "memory":
        g = graph_of(store_or_graph)
        hits: dict[str, list[tuple[str, float]]] = defaultdict(list)
        for _, t, _, d in transfers(g):
            amt = float(d.get("amount_thb") or 0)
            if low <= amt < threshold_thb and (not channels or d.get("channel") in channels):
                hits[t].append((str(d.get("txn_id")), amt))
        rows: list[dict[str, Any]] = [{"account": a, "txns": [x for x, _ in v], "total": sum(x for _, x in v)}
                                      for a, v in hits.items()]
    else:
        rows = run(store_or_graph,
                   "MATCH ()-[r:TRANSFER]->(a:Account) WHERE r.amount_thb >= $low AND r.amount_thb < $high "
                   "AND (size($channels) = 0 OR r.channel IN $channels) "
                   "RETURN a.id AS account, collect(r.txn_id) AS txns, sum(r.amount_thb) AS total",
                   low=low, high=threshold_thb, channels=list(channels))
    return sorted((MoneyPattern("structuring", [r["account"]], sorted(r["txns"]), round(float(r["total"]), 2),
                                {"count": len(r["txns"])}) for r in rows if len(r["txns"]) >= min_count),
                  key=lambda p: (-len(p.txn_ids), p.accounts))


_COMPENSATION_CYPHER = """
MATCH (c:Case)-[p:PAID_TO]->(a:Account)<-[:HOLDS_ACCOUNT]-(h:Entity)
WITH c, p, a, collect(DISTINCT h) AS hs
WITH c, p, a, hs, [h IN hs WHERE EXISTS { (h)-[x:ROLE_IN]->() WHERE x.role IN $roles }] AS sus,
     COLLECT { MATCH (cl:Entity)-[y:ROLE_IN]->(c) WHERE y.role = 'claimant' RETURN DISTINCT cl } AS cls
WITH c, p, a, hs, sus, cls, reduce(ks = [], cl IN cls | ks + coalesce(cl.name_keys, [])) AS clkeys
WHERE size(sus) > 0 OR (size(cls) > 0 AND none(h IN hs WHERE h IN cls OR EXISTS { (h)-[:FAMILY]-(f) WHERE f IN cls }
                                              OR any(k IN coalesce(h.name_keys, []) WHERE k IN clkeys))
                         AND COUNT { MATCH (x:Account)-[:TRANSFER]->(a) WHERE x <> a RETURN DISTINCT x } >= $min_senders)
RETURN a.id AS account, c.id AS claim, p.id AS rel, p.amount_thb AS amt, [h IN sus | h.id] AS holders,
       [h IN hs | h.id] AS all_holders,
       COLLECT { MATCH ()-[t:TRANSFER]->(a) WHERE t.amount_thb = p.amount_thb AND left(t.at, 10) = p.date
                 RETURN t.txn_id } AS txns
"""


def compensation_to_suspect(store_or_graph: Any, min_senders: int = 3) -> list[MoneyPattern]:
    """Compensation (PAID_TO from a claim) into an account held by a suspect of any case, or into a
    collecting account (money in from at least ``min_senders`` accounts) held by nobody among the claimants,
    their family or a record with a claimant's name key (the claimant's record left apart by entity
    resolution): the victim's money diverted to the ring. ``txn_ids`` are the bank
    transfers that carried the payment (same account, amount and day), else the PAID_TO relationship id.

    >>> from graph_model.queries._common import tiny_graph
    >>> compensation_to_suspect(tiny_graph())
    []
    """
    if backend_of(store_or_graph) == "memory":
        g = graph_of(store_or_graph)

        def suspect(h: str) -> bool:
            return any(x.get("type") == "ROLE_IN" and x.get("role") in SUSPECT_ROLES for _, _, x in g.out_edges(h, data=True))

        def kin(h: str) -> set[str]:
            return {n for _, n, e in g.out_edges(h, data=True) if e.get("type") == "FAMILY"} | {
                n for n, _, e in g.in_edges(h, data=True) if e.get("type") == "FAMILY"}

        rows = []
        for c, a, k, d in g.edges(keys=True, data=True):
            if d.get("type") != "PAID_TO":
                continue
            hs = sorted({h for h, _, e in g.in_edges(a, data=True) if e.get("type") == "HOLDS_ACCOUNT"})
            sus = [h for h in hs if suspect(h)]
            cls = {x for x, _, e in g.in_edges(c, data=True) if e.get("type") == "ROLE_IN" and e.get("role") == "claimant"}
            senders = {x for x, _, e in g.in_edges(a, data=True) if e.get("type") == "TRANSFER" and x != a}
            keys = {k for x in cls for k in g.nodes[x].get("name_keys") or ()}
            diverted = bool(hs) and bool(cls) and not any(
                h in cls or kin(h) & cls or keys & set(g.nodes[h].get("name_keys") or ()) for h in hs) \
                and len(senders) >= min_senders
            if sus or diverted:
                txns = [str(e.get("txn_id")) for _, _, e in g.in_edges(a, data=True) if e.get("type") == "TRANSFER"
                        and e.get("amount_thb") == d.get("amount_thb") and str(e.get("at", ""))[:10] == d.get("date")]
                rows.append({"account": a, "claim": c, "rel": str(k), "amt": d.get("amount_thb"), "holders": sus,
                             "all_holders": hs, "txns": txns})
    else:
        rows = run(store_or_graph, _COMPENSATION_CYPHER, roles=list(SUSPECT_ROLES), min_senders=min_senders)
    return sorted((MoneyPattern("compensation_to_suspect", [r["account"]], sorted(r["txns"]) or [r["rel"]],
                                round(float(r["amt"] or 0), 2),
                                {"claim": r["claim"], "paid_to": r["rel"], "holders": sorted(r["holders"]),
                                 "account_holders": sorted(r["all_holders"])})
                   for r in rows), key=lambda p: (p.accounts, p.txn_ids))
