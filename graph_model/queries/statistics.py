"""Yearly figures in the shape of Thailand's annual anti-trafficking report: investigations,
prosecutions, convictions; victims by nationality, sex, age band (child < 18 at identification) and
form of exploitation; complicit officials; assets seized.

>>> from graph_model.queries._common import tiny_graph
>>> g = tiny_graph()
>>> g.add_node("case:1", type="Case", case_kind="police", opened_date="2019-03-01")
>>> annual_report(g)["cases"]
[{'year': 2019, 'investigations': 1, 'prosecutions': 0, 'convictions': 0}]
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from graph_model.queries._common import SUSPECT_ROLES, backend_of, graph_of, run
from graph_model.queries.corruption import officials
from graph_model.queries.routes import victim_routes

__all__ = ["annual_report", "is_conviction", "is_prosecution"]

INVESTIGATION_KINDS = ("police", "dsi_special")
COURT_KINDS = ("court_black", "court_red")


def is_prosecution(decision: str | None) -> bool:
    """Whether an OAG decision is to prosecute (สั่งฟ้อง, not สั่งไม่ฟ้อง).

    >>> is_prosecution("สั่งฟ้อง"), is_prosecution("สั่งไม่ฟ้อง"), is_prosecution("prosecute")
    (True, False, True)
    """
    d = (decision or "").lower()
    return ("สั่งฟ้อง" in d or "prosecut" in d or d == "indict") and "ไม่" not in d and "not" not in d


def is_conviction(decision: str | None) -> bool:
    """Whether a court decision convicts (ลงโทษ, จำคุก, guilty, convicted), not ยกฟ้อง / acquitted.

    >>> is_conviction("ลงโทษจำคุก 10 ปี"), is_conviction("ยกฟ้อง")
    (True, False)
    """
    d = (decision or "").lower()
    return any(w in d for w in ("ลงโทษ", "จำคุก", "guilty", "convict")) and "ยกฟ้อง" not in d and "not" not in d


def _year(value: Any) -> int | None:
    return int(str(value)[:4]) if value else None


def _case_rows(store_or_graph: Any) -> list[dict[str, Any]]:
    if backend_of(store_or_graph) == "neo4j":
        return run(store_or_graph, "MATCH (c:Case) RETURN c.id AS id, c.case_kind AS kind, c.opened_date AS opened, "
                   "c.decision AS decision, c.decision_date AS decided ORDER BY id")
    g = graph_of(store_or_graph)
    return [{"id": n, "kind": a.get("case_kind"), "opened": a.get("opened_date"), "decision": a.get("decision"),
             "decided": a.get("decision_date")} for n, a in sorted(g.nodes(data=True)) if a.get("type") == "Case"]


def _official_case_rows(store_or_graph: Any, ids: list[str]) -> list[dict[str, Any]]:
    if backend_of(store_or_graph) == "neo4j":
        return run(store_or_graph, "UNWIND $ids AS id MATCH (o:Entity {id: id})-[x:ROLE_IN]->(c:Case) "
                   "WHERE x.role IN $roles RETURN o.id AS official, c.opened_date AS opened", ids=ids,
                   roles=list(SUSPECT_ROLES))
    g = graph_of(store_or_graph)
    return [{"official": o, "opened": g.nodes[c].get("opened_date")} for o in ids
            for _, c, d in g.out_edges(o, data=True) if d.get("type") == "ROLE_IN" and d.get("role") in SUSPECT_ROLES]


def _seized_rows(store_or_graph: Any) -> list[dict[str, Any]]:
    if backend_of(store_or_graph) == "neo4j":
        return run(store_or_graph, "MATCH (c:Case)-[s:SEIZED]->(x) RETURN s.id AS id, c.opened_date AS opened, "
                   "coalesce(s.value_thb, 0.0) AS value, coalesce(s.asset_kind, x.asset_kind) AS kind")
    g = graph_of(store_or_graph)
    return [{"id": k, "opened": g.nodes[c].get("opened_date"), "value": float(d.get("value_thb") or 0.0),
             "kind": d.get("asset_kind") or g.nodes[x].get("asset_kind")}
            for c, x, k, d in g.edges(keys=True, data=True) if d.get("type") == "SEIZED"]


def _counts(rows: list[dict[str, Any]], key: str) -> list[dict[str, Any]]:
    c = Counter((r["year"], r[key]) for r in rows)
    return [{"year": y, key: k, "victims": n} for (y, k), n in sorted(c.items(), key=lambda x: (x[0][0] or 0, str(x[0][1])))]


def annual_report(store_or_graph: Any) -> dict[str, list[dict[str, Any]]]:
    """Tables keyed ``cases``, ``victims_by_nationality``, ``victims_by_sex``, ``victims_by_age_band``,
    ``victims_by_exploitation``, ``complicit_officials``, ``assets_seized``; rows sorted by year.

    Investigations count police and DSI cases by the year opened, prosecutions OAG decisions to
    prosecute, convictions court decisions that convict (by decision year). Victims are counted in the
    year identified (FOUND_AT, else first crossing); age band from birth year.

    >>> from graph_model.queries._common import tiny_graph
    >>> annual_report(tiny_graph())["assets_seized"]
    []
    """
    cases: dict[int, Counter[str]] = defaultdict(Counter)
    for c in _case_rows(store_or_graph):
        if c["kind"] in INVESTIGATION_KINDS and _year(c["opened"]):
            cases[_year(c["opened"]) or 0]["investigations"] += 1
        elif c["kind"] == "prosecution" and is_prosecution(c["decision"]):
            cases[_year(c["decided"] or c["opened"]) or 0]["prosecutions"] += 1
        elif c["kind"] in COURT_KINDS and is_conviction(c["decision"]):
            cases[_year(c["decided"] or c["opened"]) or 0]["convictions"] += 1
    victims = []
    for r in victim_routes(store_or_graph):
        by = r.get("birth_year")
        band = None if not by or not r["year"] else ("child" if r["year"] - int(by) < 18 else "adult")
        victims.append({"year": r["year"], "nationality": r.get("nationality"), "sex": r.get("sex"),
                        "age_band": band, "exploitation": r.get("exploitation")})
    complicit: dict[int, set[str]] = defaultdict(set)
    for row in _official_case_rows(store_or_graph, officials(store_or_graph)):
        complicit[_year(row["opened"]) or 0].add(row["official"])
    seized: dict[int, dict[str, float]] = defaultdict(lambda: {"count": 0, "value_thb": 0.0})
    for s in _seized_rows(store_or_graph):
        seized[_year(s["opened"]) or 0]["count"] += 1
        seized[_year(s["opened"]) or 0]["value_thb"] += float(s["value"] or 0)
    return {
        "cases": [{"year": y, "investigations": c["investigations"], "prosecutions": c["prosecutions"],
                   "convictions": c["convictions"]} for y, c in sorted(cases.items())],
        "victims_by_nationality": _counts(victims, "nationality"),
        "victims_by_sex": _counts(victims, "sex"),
        "victims_by_age_band": _counts(victims, "age_band"),
        "victims_by_exploitation": _counts(victims, "exploitation"),
        "complicit_officials": [{"year": y, "officials": len(o)} for y, o in sorted(complicit.items())],
        "assets_seized": [{"year": y, "count": int(v["count"]), "value_thb": round(v["value_thb"], 2)}
                          for y, v in sorted(seized.items())],
    }
