"""Find entities by name (Thai or Latin script, fuzzy, aliases) or by identifier: national ID, passport,
phone (any format → E.164), bank account, case number.

Names are scored with rapidfuzz ``WRatio`` on lower-cased names, aliases and name keys; the memory store
scans nodes, Neo4j takes candidates from its full-text index (any index on Person or Organization) and the
same scorer ranks them, so a name found by both stores gets the same score. Identifier searches return the
identifier's node and every holder (score 100). Input normalisation: :mod:`graph_model.queries._normalise`.

>>> from graph_model.queries._common import tiny_graph
>>> [(h.id, h.score) for h in search(tiny_graph(), "somchai jaide")]
[('per:a', 96.3)]
>>> [h.id for h in search(tiny_graph(), "081 234 5678")]
['per:a', 'per:b', 'tel:1']
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any, Literal

from rapidfuzz import fuzz

from graph_model.queries._common import backend_of, graph_of, run
from graph_model.queries._normalise import case_key, digits, name_key, passport, phone_e164

__all__ = ["SearchHit", "search", "search_identifier", "search_name"]

Kind = Literal["auto", "name", "thai_id", "passport", "phone", "account", "case_no"]
NAME_PROPS = ("names", "aliases", "name_keys", "name_th", "name_en")
_HOLDING = {"Phone": "HAS_PHONE", "Document": "HAS_DOCUMENT", "Account": "HOLDS_ACCOUNT"}


@dataclass(frozen=True)
class SearchHit:
    """One entity found: id, type, display label, score 0-100, and what matched."""

    id: str
    type: str
    label: str
    score: float
    matched: str

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-able form."""
        return asdict(self)


def _label(props: dict[str, Any]) -> str:
    for key in ("names", "case_no", "number", "account_no", "plate", "name", "address"):
        value = props.get(key)
        if value:
            return str(value[0] if isinstance(value, list) else value)
    return ""


def _score(query: str, props: dict[str, Any]) -> tuple[float, str]:
    best, matched = 0.0, ""
    for prop in NAME_PROPS:
        for value in props.get(prop) or ():
            s = round(float(fuzz.WRatio(query, name_key(str(value)))), 1)
            if s > best:
                best, matched = s, str(value)
    return best, matched


def _lucene(query: str) -> str:
    """The full-text query for ``query``: Latin terms of four letters or more fuzzy, every other term as written.

    A fuzzy term bypasses the analyser, so a Thai word (written without spaces between words, split by the
    index's ``thai`` analyser) would only match one indexed token spelled exactly like the whole run; Thai terms
    go through the analyser instead, and the Python scoring ranks what comes back.

    >>> _lucene("somchai jaidee สมชาย ใจดี")
    'somchai~ jaidee~ สมชาย ใจดี'
    """
    terms = [re.sub(r'([+\-&|!(){}\[\]^"~*?:\\/])', r"\\\1", t) for t in query.split()]
    return " ".join(f"{t}~" if len(t) > 3 and t.isascii() else t for t in terms if t)


def search_name(store_or_graph: Any, query: str, min_score: float = 80, limit: int = 20) -> list[SearchHit]:
    """Persons and organisations whose name or alias resembles ``query``, best first (ties by id).

    >>> from graph_model.queries._common import tiny_graph
    >>> search_name(tiny_graph(), "สมชาย ใจดี")[0].matched
    'สมชาย ใจดี'
    """
    q = name_key(query)
    candidates: list[tuple[str, str, dict[str, Any]]]
    if backend_of(store_or_graph) == "memory":
        g = graph_of(store_or_graph)
        candidates = [(n, a["type"], a) for n, a in g.nodes(data=True) if a.get("type") in ("Person", "Organization")]
    else:
        indexes = [r["name"] for r in run(
            store_or_graph, "SHOW FULLTEXT INDEXES YIELD name, labelsOrTypes, entityType "
            "WHERE entityType = 'NODE' AND any(l IN labelsOrTypes WHERE l IN ['Person', 'Organization']) "
            "RETURN name ORDER BY name")]
        rows: list[dict[str, Any]] = []
        for index in indexes:
            rows += run(store_or_graph,
                        "CALL db.index.fulltext.queryNodes($index, $q, {limit: $n}) YIELD node "
                        "RETURN node.id AS id, [l IN labels(node) WHERE l <> 'Entity'][0] AS type, "
                        "properties(node) AS props", index=index, q=_lucene(q), n=max(200, limit * 10))
        if not indexes:
            rows = run(store_or_graph,
                       "MATCH (n:Entity) WHERE (n:Person OR n:Organization) AND any(x IN coalesce(n.names, []) + "
                       "coalesce(n.aliases, []) WHERE any(t IN $tokens WHERE toLower(x) CONTAINS t)) "
                       "RETURN n.id AS id, [l IN labels(n) WHERE l <> 'Entity'][0] AS type, properties(n) AS props",
                       tokens=q.split())
        candidates = [(r["id"], r["type"], r["props"]) for r in rows]
    hits: dict[str, SearchHit] = {}
    for node_id, type_, props in candidates:
        score, matched = _score(q, props)
        if score >= min_score:
            hits[node_id] = SearchHit(node_id, type_, _label(props), score, matched)
    return sorted(hits.values(), key=lambda h: (-h.score, h.id))[:limit]


def _identifier_specs(kind: str, value: str) -> list[tuple[str, str, str]]:
    """(node type, property, normalised value) pairs to look up for one identifier kind."""
    if kind == "thai_id" and len(digits(value)) == 13:
        return [("Person", "thai_id", digits(value)), ("Document", "number", digits(value))]
    if kind == "passport" and re.fullmatch(r"[A-Za-z0-9\s\-]{5,}", value):
        return [("Document", "number", passport(value))]
    if kind == "phone" and (e164 := phone_e164(value)):
        return [("Phone", "number", e164)]
    if kind == "account" and 6 <= len(digits(value)) <= 20:
        return [("Account", "account_no", digits(value))]
    if kind == "case_no" and value.strip():
        return [("Case", "case_no", case_key(value)), ("Case", "case_no_raw", case_key(value))]
    return []


def search_identifier(store_or_graph: Any, kind: Kind, value: str) -> list[SearchHit]:
    """The node carrying an identifier and every holder of it, sorted by id.

    >>> from graph_model.queries._common import tiny_graph
    >>> [h.id for h in search_identifier(tiny_graph(), "account", "123-4-56789-0")]
    ['acc:1', 'per:a']
    """
    specs = _identifier_specs(kind, value)
    found: dict[str, SearchHit] = {}
    is_memory = backend_of(store_or_graph) == "memory"
    for type_, prop, v in specs:
        rel = _HOLDING.get(type_)
        if is_memory:
            g = graph_of(store_or_graph)
            for node, a in g.nodes(data=True):
                if a.get("type") != type_:
                    continue
                have = a.get(prop)
                values = [case_key(str(x)) for x in have] if isinstance(have, list) else \
                    [case_key(str(have)) if prop.startswith("case_no") else str(have)]
                if v not in values:
                    continue
                found[node] = SearchHit(node, type_, _label(a), 100.0, f"{kind}:{v}")
                for h, _, e in g.in_edges(node, data=True):
                    if rel and e.get("type") == rel:
                        found[h] = SearchHit(h, g.nodes[h]["type"], _label(g.nodes[h]), 100.0, f"{kind}:{v}")
        else:
            match = (f"ANY(x IN coalesce(n.{prop}, []) WHERE replace(x, ' ', '') = $v)" if prop == "case_no_raw"
                     else f"n.{prop} = $v")  # property names come from the fixed specs above
            rows = run(store_or_graph,
                       f"MATCH (n:{type_}) WHERE {match} "
                       "OPTIONAL MATCH (h)-[r]->(n) WHERE type(r) = $rel "
                       "WITH n, collect(DISTINCT h) AS hs UNWIND [n] + hs AS x "
                       "RETURN DISTINCT x.id AS id, [l IN labels(x) WHERE l <> 'Entity'][0] AS type, "
                       "properties(x) AS props", v=v, rel=rel or "")
            for row in rows:
                found[row["id"]] = SearchHit(row["id"], row["type"], _label(row["props"]), 100.0, f"{kind}:{v}")
    return sorted(found.values(), key=lambda h: h.id)


def search(store_or_graph: Any, query: str, kind: Kind = "auto", min_score: float = 80,
           limit: int = 20) -> list[SearchHit]:
    """One search box: a name (no digits) searches names; anything with digits tries every identifier
    kind (or only ``kind``); results by score then id.

    >>> from graph_model.queries._common import tiny_graph
    >>> search(tiny_graph(), "aung ko")[0].id
    'per:b'
    """
    if kind == "name" or (kind == "auto" and not re.search(r"[0-9๐-๙]", query)):
        return search_name(store_or_graph, query, min_score, limit)
    kinds: list[Kind] = [kind] if kind != "auto" else ["thai_id", "passport", "phone", "account", "case_no"]
    hits: dict[str, SearchHit] = {}
    for k in kinds:
        for h in search_identifier(store_or_graph, k, query):
            hits.setdefault(h.id, h)
    return sorted(hits.values(), key=lambda h: (-h.score, h.id))[:limit]
