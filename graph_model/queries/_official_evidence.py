"""Evidence against officials beyond the network of links (see :mod:`graph_model.queries.corruption`):

- a PACC complaint about the official (``ROLE_IN`` as official in a ``pacc_complaint`` case) that cites a
  case with suspects; weighed by the complaint's status: a finding (ชี้มูล) counts most, an open inquiry
  (ไต่สวน) less, a dismissed complaint (ยุติ) not at all;
- a PromptPay id registered on an account held by the official or a family member that is the phone
  (or the national ID) of a suspect: money meant for the ring can be paid to the official by phone number.

Each function returns ``{official: [(weight, kind, path)]}``; paths run from the official to a suspect.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

from graph_model.queries._common import SUSPECT_ROLES, backend_of, graph_of, run

__all__ = ["COMPLAINT_STATUS_WEIGHT", "Evidence", "complaint_evidence", "promptpay_evidence", "promptpay_key"]

Evidence = dict[str, list[tuple[float, str, list[str]]]]
# PACC complaint status → weight of the complaint as evidence (unknown statuses count as an open inquiry)
COMPLAINT_STATUS_WEIGHT = {"ชี้มูล": 2.0, "ไต่สวน": 1.0, "ยุติ": 0.0}
PROMPTPAY_WEIGHT = 1.0
_OPEN_STATUS_WEIGHT = 1.0


def promptpay_key(value: str) -> str | None:
    """The graph id a PromptPay id points at: a Thai mobile number's Phone or a national ID's Document.

    >>> promptpay_key("097-381-7620"), promptpay_key("1100700123456"), promptpay_key("x")
    ('tel:+66973817620', 'doc:thai_id:1100700123456', None)
    """
    digits = re.sub(r"\D", "", str(value))
    if len(digits) == 10 and digits.startswith("0"):
        return "tel:+66" + digits[1:]
    if len(digits) == 11 and digits.startswith("66"):
        return "tel:+" + digits
    if len(digits) == 13:
        return "doc:thai_id:" + digits
    return None


def _is_suspect(g: Any, n: str) -> bool:
    return any(d.get("type") == "ROLE_IN" and d.get("role") in SUSPECT_ROLES for _, _, d in g.out_edges(n, data=True))


def complaint_evidence(store_or_graph: Any, officials: list[str], official_roles: tuple[str, ...]) -> Evidence:
    """PACC complaints about ``officials`` citing a case (or a case one REFERS_TO away from it) with suspects."""
    found: Evidence = defaultdict(list)
    if backend_of(store_or_graph) == "memory":
        g = graph_of(store_or_graph)
        rows = []
        for o in officials:
            for _, k, d in g.out_edges(o, data=True):
                if d.get("type") != "ROLE_IN" or d.get("role") not in official_roles \
                        or g.nodes[k].get("case_kind") != "pacc_complaint":
                    continue
                for _, c, e in g.out_edges(k, data=True):
                    if e.get("type") != "REFERS_TO":
                        continue
                    near = {c} | {x for _, x, f in g.out_edges(c, data=True) if f.get("type") == "REFERS_TO"} \
                        | {x for x, _, f in g.in_edges(c, data=True) if f.get("type") == "REFERS_TO"}
                    for c2 in sorted(near):
                        for s, _, f in g.in_edges(c2, data=True):
                            if f.get("type") == "ROLE_IN" and f.get("role") in SUSPECT_ROLES and s != o:
                                rows.append({"oid": o, "k": k, "status": g.nodes[k].get("status"), "c": c,
                                             "c2": c2, "s": s})
    else:
        rows = run(store_or_graph,
                   "UNWIND $officials AS oid MATCH (o:Entity {id: oid})-[r:ROLE_IN]->(k:Case) "
                   "WHERE o:Person AND r.role IN $oroles AND k.case_kind = 'pacc_complaint' "
                   "MATCH (k)-[:REFERS_TO]->(c:Case) "
                   "CALL (c) { MATCH (c)-[:REFERS_TO]-(x:Case) RETURN x AS c2 UNION RETURN c AS c2 } "
                   "MATCH (c2)<-[f:ROLE_IN]-(s:Entity) WHERE f.role IN $roles AND s <> o "
                   "RETURN DISTINCT oid, k.id AS k, k.status AS status, c.id AS c, c2.id AS c2, s.id AS s",
                   officials=officials, oroles=list(official_roles), roles=list(SUSPECT_ROLES))
    best: dict[tuple[str, str], tuple[float, list[str]]] = {}
    for r in rows:
        w = COMPLAINT_STATUS_WEIGHT.get(str(r["status"] or "").strip(), _OPEN_STATUS_WEIGHT)
        path = [r["oid"], r["k"], r["c"], *([r["c2"]] if r["c2"] != r["c"] else []), r["s"]]
        key = (r["oid"], r["k"])  # one complaint counts once, explained by its shortest, smallest path
        if key not in best or (len(path), path) < (len(best[key][1]), best[key][1]):
            best[key] = (w, path)
    for (o, _), (w, path) in sorted(best.items()):
        found[o].append((w, "complaint", path))
    return dict(found)


def promptpay_evidence(store_or_graph: Any, officials: list[str]) -> Evidence:
    """Accounts of ``officials`` or their family whose PromptPay id is a suspect's phone or national ID."""
    rows: list[dict[str, Any]] = []
    if backend_of(store_or_graph) == "memory":
        g = graph_of(store_or_graph)
        for o in officials:
            holders = {o} | {x for x in g.successors(o) if any(
                d.get("type") == "FAMILY" for d in g.get_edge_data(o, x).values())} | {x for x in g.predecessors(o) if any(
                    d.get("type") == "FAMILY" for d in g.get_edge_data(x, o).values())}
            for h in sorted(holders):
                for _, a, d in g.out_edges(h, data=True):
                    if d.get("type") != "HOLDS_ACCOUNT":
                        continue
                    for pp in g.nodes[a].get("promptpay_ids") or ():
                        key = promptpay_key(pp)
                        if key is None or key not in g:
                            continue
                        for s, _, e in g.in_edges(key, data=True):
                            if e.get("type") in ("HAS_PHONE", "HAS_DOCUMENT") and s not in (o, h) \
                                    and _is_suspect(g, s):
                                rows.append({"oid": o, "h": h, "a": a, "x": key, "s": s})
    else:
        rows = run(store_or_graph,
                   "UNWIND $officials AS oid MATCH (o:Entity {id: oid}) WHERE o:Person "
                   "CALL (o) { MATCH (o)-[:FAMILY]-(h:Person) RETURN DISTINCT h UNION RETURN o AS h } "
                   "MATCH (h)-[:HOLDS_ACCOUNT]->(a:Account) WHERE a.promptpay_ids IS NOT NULL "
                   "UNWIND a.promptpay_ids AS pp "
                   "WITH oid, o, h, a, reduce(d = '', ch IN split(pp, '') | "
                   "  d + CASE WHEN ch >= '0' AND ch <= '9' THEN ch ELSE '' END) AS digits "
                   "WITH oid, o, h, a, CASE WHEN size(digits) = 10 AND digits STARTS WITH '0' "
                   "  THEN 'tel:+66' + substring(digits, 1) WHEN size(digits) = 11 AND digits STARTS WITH '66' "
                   "  THEN 'tel:+' + digits WHEN size(digits) = 13 THEN 'doc:thai_id:' + digits END AS key "
                   "MATCH (x:Entity {id: key})<-[:HAS_PHONE|HAS_DOCUMENT]-(s:Entity) "
                   "WHERE s <> o AND s <> h AND EXISTS { (s)-[f:ROLE_IN]->() WHERE f.role IN $roles } "
                   "RETURN DISTINCT oid, h.id AS h, a.id AS a, x.id AS x, s.id AS s",
                   officials=officials, roles=list(SUSPECT_ROLES))
    found: Evidence = defaultdict(list)
    seen: set[tuple[str, str]] = set()
    for r in sorted(rows, key=lambda r: (r["oid"], r["h"] != r["oid"], r["h"], r["a"], r["x"], r["s"])):
        if (r["oid"], r["s"]) in seen:  # one suspect counts once
            continue
        seen.add((r["oid"], r["s"]))
        path = [r["oid"], *([r["h"]] if r["h"] != r["oid"] else []), r["a"], r["x"], r["s"]]
        found[r["oid"]].append((PROMPTPAY_WEIGHT, "promptpay", path))
    return dict(found)
