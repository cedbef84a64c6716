"""Data quality per agency, the seed's own complaint (records kept by hand were wrong, stale and late):
freshness (newest date an entity was seen), completeness (persons known by name only: no national ID and no
document), validity (failed check digits, impossible dates), cross-reference gaps (a case cited by
another agency but missing at the agency that owns it) and quarantine counts (passed in by ingest).

>>> from graph_model.queries._common import tiny_graph
>>> [(q["agency"], q["newest_record"], q["persons_name_only"]) for q in agency_quality(tiny_graph())]
[('AMLO', '2024-01-01', 0), ('DOPA', '2024-01-01', 1), ('RTP', '2024-01-01', 1)]
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from graph_model.queries._common import backend_of, graph_of, run

__all__ = ["CASE_OWNER", "agency_quality"]

CASE_OWNER = {"police": "RTP", "dsi_special": "DSI", "prosecution": "OAG", "court_black": "COJ",
              "court_red": "COJ", "pacc_complaint": "PACC", "compensation_claim": "RLPD",
              "amlo_report": "AMLO", "victim_referral": "MSDHS"}


def _rows(store_or_graph: Any, today: str) -> dict[str, list[dict[str, Any]]]:
    if backend_of(store_or_graph) == "neo4j":
        q = {
            "fresh": "MATCH (n:Entity) UNWIND coalesce(n.sources, []) AS s WITH split(s, '|') AS p "
                     "RETURN p[0] AS agency, max(p[2]) AS newest, count(DISTINCT p[1]) AS records",
            "persons": "MATCH (p:Person) WHERE p.thai_id IS NULL AND NOT EXISTS { (p)-[:HAS_DOCUMENT]->() } "
                       "UNWIND coalesce(p.agencies, []) AS agency RETURN agency, count(*) AS n",
            "invalid": "MATCH (d:Document) WHERE d.valid = false UNWIND coalesce(d.agencies, []) AS agency "
                       "RETURN agency, count(*) AS n",
            "dates": "MATCH (n:Entity) WHERE (n:Person AND (n.birth_date > $today OR n.birth_year < 1900 "
                     "OR n.birth_year > toInteger(substring($today, 0, 4)))) "
                     "OR (n:Case AND n.decision_date < n.opened_date) "
                     "UNWIND coalesce(n.agencies, []) AS agency RETURN agency, count(*) AS n",
            "cases": "MATCH (c:Case) RETURN c.id AS id, c.agency AS agency, c.case_kind AS kind, "
                     "coalesce(c.agencies, []) AS agencies",
        }
        return {k: run(store_or_graph, v, today=today) for k, v in q.items()}
    g = graph_of(store_or_graph)
    fresh: dict[str, dict[str, Any]] = {}
    recs: dict[str, set[str]] = defaultdict(set)
    counts: dict[str, dict[str, int]] = {"persons": defaultdict(int), "invalid": defaultdict(int),
                                         "dates": defaultdict(int)}
    cases = []
    for n, a in g.nodes(data=True):
        for s in a.get("sources") or ():
            agency, rec, seen = ([*str(s).split("|", 2), "", ""])[:3]
            recs[agency].add(rec)
            fresh[agency] = {"agency": agency, "newest": max(seen, fresh.get(agency, {}).get("newest", ""))}
        t, ags = a.get("type"), a.get("agencies") or []
        if t == "Person" and not a.get("thai_id") and not any(
                d.get("type") == "HAS_DOCUMENT" for _, _, d in g.out_edges(n, data=True)):
            for ag in ags:
                counts["persons"][ag] += 1
        if t == "Document" and a.get("valid") is False:
            for ag in ags:
                counts["invalid"][ag] += 1
        by = a.get("birth_year")
        bad = t == "Person" and ((a.get("birth_date") or "") > today or (by is not None and (by < 1900 or by > int(today[:4]))))
        bad = bad or (t == "Case" and bool(a.get("decision_date")) and bool(a.get("opened_date"))
                      and a["decision_date"] < a["opened_date"])
        if bad:
            for ag in ags:
                counts["dates"][ag] += 1
        if t == "Case":
            cases.append({"id": n, "agency": a.get("agency"), "kind": a.get("case_kind"), "agencies": list(ags)})
    out: dict[str, list[dict[str, Any]]] = {
        "fresh": [{**f, "records": len(recs[k])} for k, f in fresh.items()], "cases": cases}
    for k, c in counts.items():
        out[k] = [{"agency": ag, "n": n} for ag, n in c.items()]
    return out


def agency_quality(store_or_graph: Any, quarantine: dict[str, int] | None = None,
                   today: str | None = None) -> list[dict[str, Any]]:
    """One row per agency: ``newest_record``, ``days_since_newest``, ``records``, ``persons_name_only``,
    ``invalid_documents``, ``impossible_dates``, ``missing_cases`` (cases of theirs only others cite, with
    ``cited_by``) and ``quarantined`` (from ``quarantine``, agency → rows refused by ingest).

    >>> from graph_model.queries._common import tiny_graph
    >>> agency_quality(tiny_graph(), quarantine={"RTP": 3}, today="2024-01-31")[-1]["quarantined"]
    3
    """
    today = today or date.today().isoformat()
    rows = _rows(store_or_graph, today)
    table: dict[str, dict[str, Any]] = defaultdict(lambda: {
        "newest_record": None, "days_since_newest": None, "records": 0, "persons_name_only": 0,
        "invalid_documents": 0, "impossible_dates": 0, "missing_cases": 0, "cited_by": [], "quarantined": 0})
    for f in rows["fresh"]:
        t = table[f["agency"]]
        t["newest_record"], t["records"] = f["newest"] or None, int(f["records"])
        if f["newest"]:
            t["days_since_newest"] = (date.fromisoformat(today) - date.fromisoformat(f["newest"][:10])).days
    for key, col in (("persons", "persons_name_only"), ("invalid", "invalid_documents"), ("dates", "impossible_dates")):
        for r in rows[key]:
            table[r["agency"]][col] = int(r["n"])
    cited: dict[str, set[str]] = defaultdict(set)
    for c in rows["cases"]:
        owner = c["agency"] or CASE_OWNER.get(c["kind"] or "")
        if owner and owner not in c["agencies"]:
            table[owner]["missing_cases"] += 1
            cited[owner].update(c["agencies"])
    for ag, by in cited.items():
        table[ag]["cited_by"] = sorted(by)
    for ag, n in (quarantine or {}).items():
        table[ag]["quarantined"] = int(n)
    return [{"agency": ag, **table[ag]} for ag in sorted(table)]
