"""Trafficking routes: each victim's origin → checkpoints crossed (in time order) → place where they
were identified, and counts aggregated by country or province and year.

>>> from graph_model.queries._common import tiny_graph
>>> g = tiny_graph()
>>> g.add_node("loc:cp", type="Location", loc_kind="checkpoint", name="Mae Sot", province="ตาก", country="THA")
>>> g.add_node("loc:d", type="Location", loc_kind="changwat", province="สมุทรสาคร", country="THA")
>>> g.nodes["per:b"]["nationality"] = "MMR"
>>> _ = g.add_edge("per:b", "loc:cp", key="c1", type="CROSSED_BORDER", at="2019-01-05T09:00:00+07:00", ts=1)
>>> _ = g.add_edge("per:b", "loc:d", key="f1", type="FOUND_AT", date="2019-02-20", exploitation="fishing")
>>> route_summary(g)
[{'origin': 'MMR', 'checkpoints': ['Mae Sot'], 'destination': 'THA', 'year': 2019, 'victims': 1}]
"""

from __future__ import annotations

from collections import Counter
from typing import Any, Literal

from graph_model.queries._common import backend_of, graph_of, run
from graph_model.queries._ring_data import is_victim, victim_cypher

__all__ = ["route_summary", "victim_routes"]

_LOC = ("id", "name", "province", "changwat", "geocode", "country")


def _loc(attrs: dict[str, Any] | None, node_id: str | None = None) -> dict[str, Any] | None:
    if attrs is None:
        return None
    return {"id": node_id or attrs.get("id"), **{k: attrs.get(k) for k in _LOC[1:]}}


def _victim_rows(store_or_graph: Any) -> list[dict[str, Any]]:
    if backend_of(store_or_graph) == "neo4j":
        return run(store_or_graph, f"""
MATCH (v:Person) WHERE {victim_cypher('v')}
OPTIONAL MATCH (v)-[h:HAS_ADDRESS]->(home:Location) WHERE coalesce(h.context, 'home') = 'home'
WITH v, home ORDER BY home.id WITH v, collect(home {{.id, .name, .province, .changwat, .geocode, .country}})[0] AS home
OPTIONAL MATCH (v)-[c:CROSSED_BORDER]->(cp:Location)
WITH v, home, c, cp ORDER BY c.ts, cp.id
WITH v, home, collect(cp {{.id, .name, .province, .changwat, .geocode, .country}}) AS checkpoints, collect(c.at) AS crossed
OPTIONAL MATCH (v)-[f:FOUND_AT]->(d:Location)
WITH v, home, checkpoints, crossed, f, d ORDER BY f.date, d.id
WITH v, home, checkpoints, crossed,
     collect(CASE WHEN d IS NULL THEN null ELSE {{loc: d {{.id, .name, .province, .changwat, .geocode, .country}}, date: f.date,
             exploitation: f.exploitation}} END)[0] AS found
RETURN v.id AS id, v.nationality AS nationality, v.sex AS sex, v.birth_year AS birth_year, home, checkpoints,
       crossed, found ORDER BY id""", vroles=["victim", "claimant"],
                   sroles=["suspect", "defendant", "accomplice", "recruiter", "subject"])
    g = graph_of(store_or_graph)
    rows = []
    for v in sorted(n for n, a in g.nodes(data=True) if a.get("type") == "Person"):
        if not is_victim(g, v):
            continue
        out = [(d.get("type"), t, d) for _, t, d in g.out_edges(v, data=True)]
        homes = sorted(t for ty, t, d in out if ty == "HAS_ADDRESS" and (d.get("context") or "home") == "home")
        cross = sorted(((d.get("ts") or 0, t, d.get("at")) for ty, t, d in out if ty == "CROSSED_BORDER"),
                       key=lambda x: (x[0], x[1]))
        found = sorted(((d.get("date") or "", t, d) for ty, t, d in out if ty == "FOUND_AT"), key=lambda x: (x[0], x[1]))
        a = g.nodes[v]
        rows.append({
            "id": v, "nationality": a.get("nationality"), "sex": a.get("sex"), "birth_year": a.get("birth_year"),
            "home": _loc(g.nodes[homes[0]], homes[0]) if homes else None,
            "checkpoints": [_loc(g.nodes[t], t) for _, t, _ in cross], "crossed": [at for _, _, at in cross],
            "found": {"loc": _loc(g.nodes[found[0][1]], found[0][1]), "date": found[0][2].get("date") or None,
                      "exploitation": found[0][2].get("exploitation")} if found else None,
        })
    return rows


def victim_routes(store_or_graph: Any) -> list[dict[str, Any]]:
    """One route per victim who crossed a checkpoint or was identified somewhere: origin (home address,
    else nationality), checkpoints in time order, destination, year (identification, else first
    crossing), form of exploitation. Sorted by victim id.

    >>> from graph_model.queries._common import tiny_graph
    >>> victim_routes(tiny_graph())
    []
    """
    routes = []
    for r in _victim_rows(store_or_graph):
        found = r.get("found")
        if not r["checkpoints"] and not found:
            continue
        date = (found or {}).get("date") or (r["crossed"][0] if r["crossed"] else None)
        home = r.get("home") or {}
        routes.append({
            "entity_id": r["id"], "nationality": r.get("nationality"), "sex": r.get("sex"),
            "birth_year": r.get("birth_year"),
            "origin": {**{k: home.get(k) for k in _LOC}, "country": home.get("country") or r.get("nationality")},
            "checkpoints": r["checkpoints"],
            "destination": (found or {}).get("loc"),
            "year": int(str(date)[:4]) if date else None,
            "exploitation": (found or {}).get("exploitation"),
        })
    return routes


def _place(loc: dict[str, Any] | None, level: str) -> str | None:
    if not loc:
        return None
    if level == "province":
        code = str(loc.get("geocode") or "")[:2]
        return (loc.get("province") or loc.get("changwat") or loc.get("name") or (f"TH-{code}" if code else None)
                or loc.get("country"))
    return loc.get("country")


def route_summary(store_or_graph: Any, level: Literal["country", "province"] = "country",
                  by_year: bool = True) -> list[dict[str, Any]]:
    """Victims counted per (origin, checkpoints, destination[, year]) at country or province level,
    most victims first.

    >>> from graph_model.queries._common import tiny_graph
    >>> route_summary(tiny_graph(), level="province")
    []
    """
    counts: Counter[tuple[Any, ...]] = Counter()
    for r in victim_routes(store_or_graph):
        cps = tuple(c.get("name") or c.get("id") for c in r["checkpoints"])
        counts[(_place(r["origin"], level), cps, _place(r["destination"], level), r["year"] if by_year else None)] += 1
    out = [{"origin": o, "checkpoints": list(c), "destination": d, **({"year": y} if by_year else {}), "victims": n}
           for (o, c, d, y), n in counts.items()]
    return sorted(out, key=lambda x: (-x["victims"], str(x["origin"]), x["checkpoints"], str(x["destination"]),
                                      x.get("year") or 0))
