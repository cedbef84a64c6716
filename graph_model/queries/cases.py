"""A case's life across agencies and the cases linked to it.

Lifecycle: the cases joined by REFERS_TO (police → DSI → prosecution → court → compensation, plus PACC,
AMLO and MSDHS files citing them), ordered by stage, with dates and the days each stage took.
Linkage: other cases sharing a person (any role) or an identifier held by persons of both cases.

>>> from graph_model.queries._common import tiny_graph
>>> g = tiny_graph()
>>> g.add_node("case:p", type="Case", case_kind="police", opened_date="2019-01-01", agency="RTP")
>>> g.add_node("case:o", type="Case", case_kind="prosecution", opened_date="2019-03-02", agency="OAG")
>>> _ = g.add_edge("case:o", "case:p", key="refers_to:1", type="REFERS_TO", relation="prosecution_of")
>>> [(s["case_id"], s["days_to_next"]) for s in lifecycle(g, "case:p")["stages"]]
[('case:p', 60), ('case:o', None)]
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from graph_model.queries._common import backend_of, graph_of, node_props, run

__all__ = ["STAGE_ORDER", "case_chain", "lifecycle", "linked_cases"]

STAGE_ORDER = ("police", "dsi_special", "prosecution", "court_black", "court_red", "compensation_claim",
               "pacc_complaint", "amlo_report", "victim_referral")
_FIELDS = ("case_no", "agency", "case_kind", "opened_date", "decision", "decision_date", "status")


def case_chain(store_or_graph: Any, case_id: str, max_hops: int = 10) -> list[dict[str, Any]]:
    """Every case joined to ``case_id`` through REFERS_TO (either direction), with its properties.

    >>> from graph_model.queries._common import tiny_graph
    >>> case_chain(tiny_graph(), "per:a")
    []
    """
    if backend_of(store_or_graph) == "neo4j":
        rows = run(store_or_graph, f"MATCH (c:Case {{id: $id}})-[:REFERS_TO*0..{int(max_hops)}]-(x:Case) "
                   "RETURN DISTINCT x.id AS id, properties(x) AS props", id=case_id)
        return sorted(({"id": r["id"], **node_props(r["props"])} for r in rows), key=lambda c: c["id"])
    g = graph_of(store_or_graph)
    if case_id not in g or g.nodes[case_id].get("type") != "Case":
        return []
    seen, todo = {case_id}, [case_id]
    while todo:
        n = todo.pop()
        for u, v, d in [*g.out_edges(n, data=True), *g.in_edges(n, data=True)]:
            other = v if u == n else u
            if d.get("type") == "REFERS_TO" and other not in seen:
                seen.add(other)
                todo.append(other)
    return sorted(({"id": n, **node_props(g.nodes[n])} for n in seen), key=lambda c: c["id"])


def _days(a: str | None, b: str | None) -> int | None:
    if not a or not b:
        return None
    return (date.fromisoformat(b[:10]) - date.fromisoformat(a[:10])).days


def lifecycle(store_or_graph: Any, case_id: str) -> dict[str, Any]:
    """The case's journey: stages ordered police → DSI → prosecution → court → compensation (then other
    files), each with dates, decision and days until the next stage opened; the last stage gives days
    from opening to its decision. ``total_days`` spans the first opening to the last date seen.

    >>> from graph_model.queries._common import tiny_graph
    >>> lifecycle(tiny_graph(), "nope")["stages"]
    []
    """
    chain = case_chain(store_or_graph, case_id)
    chain.sort(key=lambda c: (STAGE_ORDER.index(c["case_kind"]) if c.get("case_kind") in STAGE_ORDER
                              else len(STAGE_ORDER), c.get("opened_date") or "9999", c["id"]))
    stages = []
    for i, c in enumerate(chain):
        nxt = chain[i + 1] if i + 1 < len(chain) else None
        stage = {"case_id": c["id"], **{f: c.get(f) for f in _FIELDS}}
        stage["days_to_next"] = _days(c.get("opened_date"), nxt.get("opened_date")) if nxt else None
        stage["days_to_decision"] = _days(c.get("opened_date"), c.get("decision_date"))
        stages.append(stage)
    dates = [d for c in chain for d in (c.get("opened_date"), c.get("decision_date")) if d]
    return {"case_id": case_id, "stages": stages,
            "total_days": _days(min(dates), max(dates)) if dates else None}


def linked_cases(store_or_graph: Any, case_id: str) -> list[dict[str, Any]]:
    """Cases outside this case's chain that share a person with it, or whose persons share an
    identifier (phone, account, document, address) with this case's persons; most links first.

    >>> from graph_model.queries._common import tiny_graph
    >>> linked_cases(tiny_graph(), "per:a")
    []
    """
    chain = {c["id"] for c in case_chain(store_or_graph, case_id)}
    ids = ["HAS_PHONE", "HOLDS_ACCOUNT", "HAS_DOCUMENT", "HAS_ADDRESS"]
    rows: list[dict[str, Any]]
    if backend_of(store_or_graph) == "neo4j":
        rows = run(store_or_graph,
                   "MATCH (c:Case) WHERE c.id IN $chain MATCH (p)-[:ROLE_IN]->(c) WITH DISTINCT p "
                   "MATCH (p)-[:ROLE_IN]->(o:Case) WHERE NOT o.id IN $chain "
                   "RETURN o.id AS case, 'person' AS kind, p.id AS via "
                   "UNION "
                   "MATCH (c:Case) WHERE c.id IN $chain MATCH (p)-[:ROLE_IN]->(c) WITH DISTINCT p "
                   "MATCH (p)-[r1]->(i)<-[r2]-(q)-[:ROLE_IN]->(o:Case) "
                   "WHERE type(r1) IN $ids AND type(r2) = type(r1) AND q <> p AND NOT o.id IN $chain "
                   "RETURN o.id AS case, 'identifier' AS kind, i.id AS via", chain=sorted(chain), ids=ids)
    else:
        g = graph_of(store_or_graph)
        people = {p for c in chain for p, _, d in g.in_edges(c, data=True) if d.get("type") == "ROLE_IN"}
        rows = []

        def cases_of(p: str) -> list[str]:
            return [c for _, c, d in g.out_edges(p, data=True) if d.get("type") == "ROLE_IN" and c not in chain]

        for p in people:
            rows += [{"case": o, "kind": "person", "via": p} for o in cases_of(p)]
            for _, i, d1 in g.out_edges(p, data=True):
                if d1.get("type") not in ids:
                    continue
                for q, _, d2 in g.in_edges(i, data=True):
                    if q != p and d2.get("type") == d1["type"]:
                        rows += [{"case": o, "kind": "identifier", "via": i} for o in cases_of(q)]
    links: dict[str, dict[str, set[str]]] = defaultdict(lambda: {"person": set(), "identifier": set()})
    for r in rows:
        links[r["case"]][r["kind"]].add(r["via"])
    out = [{"case_id": c, "shared_persons": sorted(v["person"]), "shared_identifiers": sorted(v["identifier"])}
           for c, v in links.items()]
    return sorted(out, key=lambda x: (-(len(x["shared_persons"]) + len(x["shared_identifiers"])), x["case_id"]))
