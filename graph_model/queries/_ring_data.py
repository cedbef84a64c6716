"""What ring detection reads from a store, as plain rows: the same rows from networkx (memory) and from
Cypher aggregations run inside Neo4j, so everything after this (projection, communities, roles, scores)
is one shared Python path and gives identical answers on both stores.

A *victim* is a Person identified somewhere (FOUND_AT) or with a victim/claimant role and no suspect-like
role; an *actor* is any Organization or non-victim Person.

>>> from graph_model.queries._common import tiny_graph
>>> identifier_rows(tiny_graph(), 30)
[{'id': 'tel:1', 'actors': ['per:a', 'per:b']}]
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import networkx as nx

from graph_model.queries._common import ACTOR_ROLES, SUSPECT_ROLES, VICTIM_ROLES, backend_of, graph_of

__all__ = [
    "case_rows",
    "feature_rows",
    "identifier_rows",
    "is_victim",
    "money_rows",
    "pair_rows",
    "refers_rows",
    "travel_rows",
    "victim_cypher",
    "victim_ids",
    "victim_phone_rows",
    "victim_rows",
]

IDENTIFIER_RELS = ["HAS_ADDRESS", "HAS_DOCUMENT", "HAS_PHONE", "HOLDS_ACCOUNT"]  # to Location, Document, Phone, Account
_P = {"vroles": list(VICTIM_ROLES), "sroles": list(SUSPECT_ROLES), "aroles": list(ACTOR_ROLES)}


def _table(store: Any, cypher: str, columns: dict[str, str], **params: Any) -> list[dict[str, Any]]:
    """Rows ``{name: value}`` of ``cypher`` (which ends with a ``WITH`` or ``MATCH`` binding what the
    ``columns`` expressions read), sent back as one record holding a list per row: the driver decodes
    100k records in about 2 CPU s, one record of 100k short lists in 0.2 s (a whole-graph read at a
    million persons returns about a million rows)."""
    names = list(columns)
    found = store.records(f"{cypher} RETURN collect([{', '.join(columns.values())}]) AS rows", params)
    return [dict(zip(names, row, strict=True)) for row in found[0]["rows"]] if found else []


def victim_cypher(v: str) -> str:
    """A Cypher predicate: node variable ``v`` is a victim."""
    return (f"((EXISTS {{ ({v})-[:FOUND_AT]->() }} OR EXISTS {{ ({v})-[{v}_x:ROLE_IN]->() WHERE {v}_x.role IN $vroles }})"
            f" AND NOT EXISTS {{ ({v})-[{v}_y:ROLE_IN]->() WHERE {v}_y.role IN $sroles }})")


def is_victim(g: nx.MultiDiGraph, n: str) -> bool:
    """Whether node ``n`` of a memory graph is a victim (see the module docstring)."""
    if g.nodes[n].get("type") != "Person":
        return False
    found = suspect = False
    for _, _, d in g.out_edges(n, data=True):
        t = d.get("type")
        if t == "FOUND_AT" or (t == "ROLE_IN" and d.get("role") in VICTIM_ROLES):
            found = True
        elif t == "ROLE_IN" and d.get("role") in SUSPECT_ROLES:
            suspect = True
    return found and not suspect


def victim_ids(store_or_graph: Any) -> frozenset[str]:
    """Every victim (see the module docstring): a few thousand persons at a million. The Neo4j reads below
    leave victims out in Python with this set, instead of testing every holder, relative and traveller
    in Cypher (three relationship look-ups each: 1.34 -> 0.28 JVM CPU s for the family and director ties
    at 100,000 persons)."""
    if backend_of(store_or_graph) == "neo4j":
        rows = _table(store_or_graph, "CALL () { MATCH (v:Person)-[:FOUND_AT]->() RETURN v UNION "
                      "MATCH (v:Person)-[x:ROLE_IN]->() WHERE x.role IN $vroles RETURN v } "
                      "WITH v WHERE NOT EXISTS { (v)-[y:ROLE_IN]->() WHERE y.role IN $sroles }", {"id": "v.id"}, **_P)
        return frozenset(r["id"] for r in rows)
    g = graph_of(store_or_graph)
    return frozenset(n for n in g if is_victim(g, n))


def _victims(store_or_graph: Any, victims: frozenset[str] | None) -> frozenset[str]:
    return victim_ids(store_or_graph) if victims is None else victims


_HOLDER = "(h:Person OR h:Organization)"  # with h not a victim: an actor


def _is_actor(g: nx.MultiDiGraph, n: str) -> bool:
    t = g.nodes[n].get("type")
    return t == "Organization" or (t == "Person" and not is_victim(g, n))


def case_rows(store_or_graph: Any) -> list[dict[str, Any]]:
    """Per case with an actor role in it: the actors (suspect-like or organisation roles) and victims."""
    if backend_of(store_or_graph) == "neo4j":
        return _table(store_or_graph, "MATCH (h)-[x:ROLE_IN]->(c:Case) WHERE x.role IN $aroles "
                      "WITH c, collect(DISTINCT h.id) AS actors "
                      f"OPTIONAL MATCH (v:Person)-[y:ROLE_IN]->(c) WHERE y.role IN $vroles AND {victim_cypher('v')} "
                      "WITH c, actors, collect(DISTINCT v.id) AS victims",
                      {"case": "c.id", "actors": "actors", "victims": "victims"}, **_P)
    g = graph_of(store_or_graph)
    actors: dict[str, set[str]] = defaultdict(set)
    victims: dict[str, set[str]] = defaultdict(set)
    for h, c, d in g.edges(data=True):
        if d.get("type") == "ROLE_IN":
            if d.get("role") in ACTOR_ROLES:
                actors[c].add(h)
            elif d.get("role") in VICTIM_ROLES and is_victim(g, h):
                victims[c].add(h)
    return [{"case": c, "actors": sorted(a), "victims": sorted(victims[c])} for c, a in actors.items()]


TIP_MARKERS = ("ค้ามนุษย์", "trafficking")


def _is_tip(offence: Any) -> bool:
    values = offence if isinstance(offence, list) else [offence]
    return any(m in str(v).lower() for v in values if v for m in TIP_MARKERS)


def offence_rows(store_or_graph: Any) -> list[tuple[str, bool]]:
    """Every case that names its offence, and whether the offence is human trafficking."""
    if backend_of(store_or_graph) == "neo4j":
        rows = _table(store_or_graph, "MATCH (c:Case) WHERE c.offence IS NOT NULL", {"id": "c.id", "offence": "c.offence"})
    else:
        rows = [{"id": n, "offence": a.get("offence")} for n, a in graph_of(store_or_graph).nodes(data=True)
                if a.get("type") == "Case" and a.get("offence")]
    return sorted((r["id"], _is_tip(r["offence"])) for r in rows)


def refers_rows(store_or_graph: Any) -> list[tuple[str, str]]:
    """Every REFERS_TO tie between two cases (one case's life across agencies)."""
    if backend_of(store_or_graph) == "neo4j":
        rows = _table(store_or_graph, "MATCH (a:Case)-[:REFERS_TO]->(b:Case) WITH DISTINCT a, b", {"a": "a.id", "b": "b.id"})
        return [(r["a"], r["b"]) for r in rows]
    g = graph_of(store_or_graph)
    return sorted({(a, b) for a, b, d in g.edges(data=True) if d.get("type") == "REFERS_TO"})


def identifier_rows(store_or_graph: Any, cap: int, victims: frozenset[str] | None = None) -> list[dict[str, Any]]:
    """Identifiers (phone, account, document, address) held by 2 to ``cap`` actors (``victims``: the
    :func:`victim_ids`, read when not given)."""
    if backend_of(store_or_graph) == "neo4j":
        # identifiers with two holders or more first (a count of relationships): most phones and documents
        # have one (1.55 -> 0.68 JVM CPU s at 100k)
        rels = "|".join(IDENTIFIER_RELS)
        found = _table(store_or_graph, "MATCH (i) WHERE (i:Location OR i:Document OR i:Phone OR i:Account) "
                       f"AND COUNT {{ (i)<-[:{rels}]-() }} >= 2 MATCH (h)-[:{rels}]->(i) WHERE {_HOLDER} "
                       "WITH i, collect(DISTINCT h.id) AS holders WHERE size(holders) >= 2",
                       {"id": "i.id", "holders": "holders"})
        vs = _victims(store_or_graph, victims)
        rows = [{"id": r["id"], "actors": [h for h in r["holders"] if h not in vs]} for r in found]
        return [r for r in rows if 2 <= len(r["actors"]) <= cap]
    g = graph_of(store_or_graph)
    held: dict[str, set[str]] = defaultdict(set)
    for h, i, d in g.edges(data=True):
        if d.get("type") in IDENTIFIER_RELS and _is_actor(g, h):
            held[i].add(h)
    return [{"id": i, "actors": sorted(a)} for i, a in held.items() if 2 <= len(a) <= cap]


def travel_rows(store_or_graph: Any, cap: int, victims: frozenset[str] | None = None) -> list[dict[str, Any]]:
    """Groups crossing one checkpoint on one day (2 to ``cap`` persons, at least one actor)."""
    if backend_of(store_or_graph) == "neo4j":
        found = _table(store_or_graph, "MATCH (p:Person)-[c:CROSSED_BORDER]->(cp) "
                       "WITH cp, substring(c.at, 0, 10) AS day, collect(DISTINCT p.id) AS ps "
                       "WHERE size(ps) >= 2 AND size(ps) <= $cap", {"key": "cp.id + '|' + day", "ps": "ps"}, cap=cap)
        vs = _victims(store_or_graph, victims)
        rows = [{"key": r["key"], "actors": [p for p in r["ps"] if p not in vs], "victims": [p for p in r["ps"] if p in vs]}
                for r in found]
        return [r for r in rows if r["actors"]]
    g = graph_of(store_or_graph)
    groups: dict[str, set[str]] = defaultdict(set)
    for p, cp, d in g.edges(data=True):
        if d.get("type") == "CROSSED_BORDER" and g.nodes[p].get("type") == "Person":
            groups[f"{cp}|{str(d.get('at'))[:10]}"].add(p)
    out = []
    for key, ps in groups.items():
        if 2 <= len(ps) <= cap:
            crossed = sorted(p for p in ps if is_victim(g, p))
            actors = sorted(ps.difference(crossed))
            if actors:
                out.append({"key": key, "actors": actors, "victims": crossed})
    return out


def _by_victim(found: list[dict[str, Any]], victims: frozenset[str], kinds: dict[str, str]) -> list[dict[str, Any]]:
    """Rows ``{victim, kind, x}`` grouped per victim into distinct actor lists per kind (rows whose ``x`` is
    a victim left out; a victim without an actor left out)."""
    out: dict[str, dict[str, list[str]]] = {}
    for r in found:
        if r["x"] in victims:
            continue
        row = out.setdefault(r["victim"], {k: [] for k in kinds.values()})
        xs = row[kinds[r["kind"]]]
        if r["x"] not in xs:
            xs.append(r["x"])
    return [{"victim": v, **row} for v, row in out.items()]


def victim_rows(store_or_graph: Any, victims: frozenset[str] | None = None) -> list[dict[str, Any]]:
    """Per victim: the actors named as recruiter (RECRUITED_BY) and employer (EMPLOYED_BY)."""
    if backend_of(store_or_graph) == "neo4j":
        vs = _victims(store_or_graph, victims)
        found = _table(store_or_graph, "UNWIND $victims AS id MATCH (v:Entity {id: id})-[r:RECRUITED_BY|EMPLOYED_BY]->(h) "
                       f"WHERE v:Person AND {_HOLDER}", {"victim": "v.id", "kind": "type(r)", "x": "h.id"},
                       victims=sorted(vs))
        return _by_victim(found, vs, {"RECRUITED_BY": "recruiters", "EMPLOYED_BY": "employers"})
    g = graph_of(store_or_graph)
    rows: dict[str, dict[str, set[str]]] = {}
    for v, x, d in g.edges(data=True):
        t = d.get("type")
        if t in ("RECRUITED_BY", "EMPLOYED_BY") and is_victim(g, v) and _is_actor(g, x):
            row = rows.setdefault(v, {"recruiters": set(), "employers": set()})
            row["recruiters" if t == "RECRUITED_BY" else "employers"].add(x)
    return [{"victim": v, "recruiters": sorted(r["recruiters"]), "employers": sorted(r["employers"])}
            for v, r in rows.items()]


def victim_phone_rows(store_or_graph: Any, cap: int, victims: frozenset[str] | None = None) -> list[dict[str, Any]]:
    """Per victim: the actors holding a phone the victim gave (a phone held by at most ``cap`` persons or
    organisations): victims give their employer's or broker's number."""
    if backend_of(store_or_graph) == "neo4j":
        vs = _victims(store_or_graph, victims)
        found = _table(store_or_graph, "UNWIND $victims AS id MATCH (v:Entity {id: id})-[:HAS_PHONE]->(ph)<-[:HAS_PHONE]-(h) "
                       f"WHERE v:Person AND v <> h AND {_HOLDER} AND COUNT {{ (ph)<-[:HAS_PHONE]-() }} <= $cap",
                       {"victim": "v.id", "kind": "'phone'", "x": "h.id"}, victims=sorted(vs), cap=cap)
        found = _by_victim(found, vs, {"phone": "actors"})
        return [{"victim": r["victim"], "actors": sorted(r["actors"])} for r in found]
    g = graph_of(store_or_graph)
    holders: dict[str, set[str]] = defaultdict(set)
    for h, ph, d in g.edges(data=True):
        if d.get("type") == "HAS_PHONE":
            holders[ph].add(h)
    rows: dict[str, set[str]] = defaultdict(set)
    for hs in holders.values():
        if len(hs) > cap:
            continue
        actors = {h for h in hs if _is_actor(g, h)}
        for v in [h for h in hs if is_victim(g, h)]:
            if actors - {v}:
                rows[v].update(actors - {v})
    return [{"victim": v, "actors": sorted(a)} for v, a in rows.items()]


def pair_rows(store_or_graph: Any, victims: frozenset[str] | None = None) -> list[dict[str, Any]]:
    """FAMILY and DIRECTOR_OF ties between two actors."""
    if backend_of(store_or_graph) == "neo4j":
        found = _table(store_or_graph, "MATCH (h)-[r:FAMILY|DIRECTOR_OF]->(b) "
                       f"WHERE h <> b AND {_HOLDER} AND (b:Person OR b:Organization)",
                       {"a": "h.id", "b": "b.id", "kind": "type(r)"})
        vs = _victims(store_or_graph, victims)
        return [r for r in found if r["a"] not in vs and r["b"] not in vs]
    g = graph_of(store_or_graph)
    return [{"a": a, "b": b, "kind": d["type"]} for a, b, d in g.edges(data=True)
            if d.get("type") in ("FAMILY", "DIRECTOR_OF") and a != b and _is_actor(g, a) and _is_actor(g, b)]


def money_rows(store_or_graph: Any) -> list[dict[str, Any]]:
    """Money between holders: per (sender holder, receiver holder) the total and number of transfers."""
    if backend_of(store_or_graph) == "neo4j":
        return _table(store_or_graph, "MATCH (h1)-[:HOLDS_ACCOUNT]->(a:Account)-[t:TRANSFER]->(b:Account)"
                      "<-[:HOLDS_ACCOUNT]-(h2) WHERE h1 <> h2 "
                      "WITH h1.id AS src, h2.id AS dst, collect(DISTINCT t) AS ts",
                      {"src": "src", "dst": "dst", "amount": "reduce(s = 0.0, t IN ts | s + t.amount_thb)",
                       "count": "size(ts)"})
    g = graph_of(store_or_graph)
    holders: dict[str, set[str]] = defaultdict(set)
    for h, a, d in g.edges(data=True):
        if d.get("type") == "HOLDS_ACCOUNT":
            holders[a].add(h)
    acc: dict[tuple[str, str], dict[str, float]] = {}
    for a, b, _k, d in g.edges(keys=True, data=True):
        if d.get("type") != "TRANSFER":
            continue
        for h1 in holders.get(a, ()):
            for h2 in holders.get(b, ()):
                if h1 != h2:
                    row = acc.setdefault((h1, h2), {"amount": 0.0, "count": 0})
                    row["amount"] += float(d.get("amount_thb") or 0)
                    row["count"] += 1
    return [{"src": s, "dst": t, **v} for (s, t), v in acc.items()]


def feature_rows(store_or_graph: Any, ids: list[str]) -> list[dict[str, Any]]:
    """Per entity: type, whether an official, org kind, border crossings, vehicles used, accounts held,
    whether a suspect in some case, organisations directed."""
    if backend_of(store_or_graph) == "neo4j":
        return _table(store_or_graph, "UNWIND $ids AS id MATCH (n:Entity {id: id}) "
                      "WITH n, coalesce(n.is_official, false) OR EXISTS { (n)-[:HOLDS_POSITION]->() } AS official, "
                      "COUNT { (n)-[:CROSSED_BORDER]->() } AS crossings, COUNT { (n)-[:USED_VEHICLE]->() } AS vehicles, "
                      "COUNT { (n)-[:HOLDS_ACCOUNT]->() } AS accounts, "
                      "EXISTS { (n)-[x:ROLE_IN]->() WHERE x.role IN $sroles } AS suspect, "
                      "[(n)-[:DIRECTOR_OF]->(o) | o.id] AS directs",
                      {"id": "n.id", "type": "[l IN labels(n) WHERE l <> 'Entity'][0]", "official": "official",
                       "org_kind": "n.org_kind", "crossings": "crossings", "vehicles": "vehicles",
                       "accounts": "accounts", "suspect": "suspect", "directs": "directs"},
                      ids=ids, sroles=list(ACTOR_ROLES))
    g = graph_of(store_or_graph)
    out = []
    for n in ids:
        if n not in g:
            continue
        a = g.nodes[n]
        types = [d.get("type") for _, _, d in g.out_edges(n, data=True)]
        out.append({"id": n, "type": a.get("type"),
                    "official": bool(a.get("is_official")) or "HOLDS_POSITION" in types,
                    "org_kind": a.get("org_kind"), "crossings": types.count("CROSSED_BORDER"),
                    "vehicles": types.count("USED_VEHICLE"), "accounts": types.count("HOLDS_ACCOUNT"),
                    "suspect": any(d.get("type") == "ROLE_IN" and d.get("role") in ACTOR_ROLES
                                   for _, _, d in g.out_edges(n, data=True)),
                    "directs": sorted(o for _, o, d in g.out_edges(n, data=True) if d.get("type") == "DIRECTOR_OF")})
    return out
