"""Export the graph as FollowTheMoney entities (JSON Lines), so it meets Aleph and OpenSanctions tooling.

Nodes: Person → Person, Organization → Company (PublicBody for government units), Account → BankAccount,
Location → Address, Case → CourtCase, Vehicle → Vehicle, Asset → Asset. Phones, identity documents and
addresses are written onto their holders (``phone``, ``idNumber``/``passportNumber``/``registrationNumber``,
``addressEntity``). Relationships: TRANSFER → Payment, HOLDS_ACCOUNT → Ownership, DIRECTOR_OF →
Directorship, FAMILY → Family, EMPLOYED_BY → Employment, ROLE_IN → CourtCaseParty, anything else →
UnknownLink with the relationship type as role. Entity ids are made from the graph's ids
(:func:`ftm_id`: FtM ids allow only letters, digits, ``.`` and ``-``), the same graph id always giving the
same FtM id.

With the optional ``followthemoney`` package installed, every entity is built and cleaned through its
model (values normalised, unknown properties refused); without it the same dicts are written as they are.

Examples
--------
>>> import networkx as nx
>>> g = nx.MultiDiGraph()
>>> g.add_node("per:1", type="Person", names=["สมชาย ใจดี"], birth_date="1977-08-05", sex="M")
>>> g.add_node("tel:+66812345678", type="Phone", number="+66812345678")
>>> g.add_node("acc:004-1", type="Account", bank_code="004", account_no="1")
>>> _ = g.add_edge("per:1", "tel:+66812345678", key="r1", type="HAS_PHONE")
>>> _ = g.add_edge("per:1", "acc:004-1", key="r2", type="HOLDS_ACCOUNT")
>>> ents = list(ftm_entities(g))
>>> [(e["schema"], e["id"][:4]) for e in ents]
[('Person', 'per-'), ('BankAccount', 'acc-'), ('Ownership', 'r2')]
>>> ents[0]["properties"]["phone"], ents[0]["properties"]["gender"]
(['+66812345678'], ['male'])
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

__all__ = ["export_ftm", "ftm_entities", "ftm_id", "graph_elements"]

Node = tuple[str, str, dict[str, Any]]
Rel = tuple[str, str, str, str, dict[str, Any]]
_ORG_SCHEMA = {"government_unit": "PublicBody"}
_REL_SCHEMA = {"TRANSFER": ("Payment", "payerAccount", "beneficiaryAccount"),
               "HOLDS_ACCOUNT": ("Ownership", "owner", "asset"),
               "DIRECTOR_OF": ("Directorship", "director", "organization"),
               "FAMILY": ("Family", "person", "relative"),
               "EMPLOYED_BY": ("Employment", "employee", "employer"),
               "ROLE_IN": ("CourtCaseParty", "party", "case")}
_ON_HOLDER = {"HAS_PHONE", "HAS_DOCUMENT", "HAS_ADDRESS"}
_SKIP_NODES = {"Phone", "Document"}


_UNSAFE = re.compile(r"[^0-9A-Za-z.\-]")


def ftm_id(graph_id: str) -> str:
    """An FtM-valid entity id for a graph id: kept when already valid, else its prefix and a hash.

    >>> ftm_id("per:3f2a"), ftm_id("abc-1")
    ('per-f456ba299c7d2719c7a7c4a8', 'abc-1')
    """
    if not _UNSAFE.search(graph_id):
        return graph_id
    prefix = _UNSAFE.sub("", graph_id.split(":", 1)[0]) or "tg"
    return f"{prefix}-{hashlib.blake2b(graph_id.encode(), digest_size=12).hexdigest()}"


def graph_elements(source: Any) -> tuple[list[Node], list[Rel]]:
    """Nodes ``(id, type, props)`` and relationships ``(id, type, source, target, props)`` of a networkx
    graph, a store with a ``.graph`` (memory), or a store with ``run(cypher, params)`` (Neo4j)."""
    import networkx as nx

    graph = source if isinstance(source, nx.Graph) else getattr(source, "graph", None)
    if isinstance(graph, nx.MultiDiGraph):
        nodes = [(str(n), str(a.get("type")), {k: v for k, v in a.items() if k != "type"})
                 for n, a in graph.nodes(data=True)]
        rels = [(str(k), str(a.get("type")), str(u), str(v), {k2: v2 for k2, v2 in a.items() if k2 != "type"})
                for u, v, k, a in graph.edges(keys=True, data=True)]
        return nodes, rels
    if hasattr(source, "run"):
        rows = source.run("MATCH (n:Entity) RETURN n.id AS id, [l IN labels(n) WHERE l <> 'Entity'][0] AS type,"
                          " properties(n) AS props ORDER BY n.id", {})
        nodes = [(r["id"], r["type"], r["props"]) for r in rows]
        rows = source.run("MATCH (a:Entity)-[r]->(b:Entity) RETURN r.id AS id, type(r) AS type, a.id AS source,"
                          " b.id AS target, properties(r) AS props ORDER BY r.id", {})
        return nodes, [(r["id"], r["type"], r["source"], r["target"], r["props"]) for r in rows]
    raise TypeError(f"cannot read a graph from {type(source).__name__}: give a networkx graph or a GraphStore")


def _as_list(value: Any) -> list[Any]:
    if value is None or value == "":
        return []
    return list(value) if isinstance(value, list | tuple) else [value]


def _money(value: Any) -> list[str]:
    """An FtM amount: a decimal string with two places, as FtM's own ``number`` type writes it."""
    if value is None or value == "":
        return []
    return [f"{float(value):.2f}"]


def _node_entity(nid: str, ntype: str, p: dict[str, Any]) -> dict[str, Any] | None:
    props: dict[str, list[Any]] = {}

    def put(name: str, *values: Any) -> None:
        for v in values:
            for item in _as_list(v):
                props.setdefault(name, [])
                if item not in props[name]:
                    props[name].append(item)

    if ntype == "Person":
        schema = "Person"
        put("name", p.get("names"))
        put("alias", p.get("aliases"))
        put("birthDate", p.get("birth_date"))
        put("nationality", p.get("nationality"))
        put("gender", {"M": "male", "F": "female"}.get(str(p.get("sex"))))
        put("idNumber", p.get("thai_id"))
        put("title", p.get("prefixes"))
    elif ntype == "Organization":
        schema = _ORG_SCHEMA.get(str(p.get("org_kind")), "Company")
        put("name", p.get("names"))
        put("registrationNumber", p.get("registration_no"))
    elif ntype == "Account":
        schema = "BankAccount"
        put("accountNumber", p.get("account_no"))
        put("bankName", p.get("bank_name") or p.get("bank_code"))
        put("name", p.get("account_names"))
        put("openingDate", p.get("opened_date"))
    elif ntype == "Location":
        schema = "Address"
        put("full", p.get("address") or p.get("name") or nid.split(":", 1)[-1])
        put("city", p.get("amphoe"))
        put("region", p.get("changwat") or p.get("province"))
        put("postalCode", p.get("postcode"))
        put("country", p.get("country"))
    elif ntype == "Case":
        schema = "CourtCase"
        put("caseNumber", p.get("case_no"), p.get("case_no_raw"))
        put("name", p.get("title") or p.get("case_no"))
        put("court", p.get("court"))
        put("fileDate", p.get("opened_date"))
        put("closeDate", p.get("decision_date"))
        put("status", p.get("status"))
        put("category", p.get("case_kind"))
    elif ntype == "Vehicle":
        schema = "Vehicle"
        put("registrationNumber", p.get("plate"))
        put("name", p.get("plate"))
    elif ntype == "Asset":
        schema = "Asset"
        put("name", p.get("description") or p.get("asset_kind"))
        put("amount", *_money(p.get("value_thb")))
        put("currency", "THB" if p.get("value_thb") is not None else None)
    else:
        return None
    put("publisher", p.get("agencies"))
    return {"id": ftm_id(nid), "schema": schema, "properties": props}


def _rel_entity(rid: str, rtype: str, src: str, dst: str, p: dict[str, Any]) -> dict[str, Any]:
    schema, a, b = _REL_SCHEMA.get(rtype, ("UnknownLink", "subject", "object"))
    props: dict[str, list[Any]] = {a: [ftm_id(src)], b: [ftm_id(dst)]}
    if rtype == "TRANSFER":
        props.update(amount=_money(p.get("amount_thb")), currency=["THB"], date=_as_list(p.get("at")),
                     transactionNumber=_as_list(p.get("txn_id")), purpose=_as_list(p.get("memo")))
    elif rtype == "FAMILY":
        props["relationship"] = _as_list(p.get("relation"))
    elif rtype == "ROLE_IN":
        props["role"] = _as_list(p.get("role"))
    elif schema == "UnknownLink":
        props["role"] = [rtype if not p.get("relation") else f"{rtype}:{p['relation']}"]
        dated = p.get("at") or p.get("date") or p.get("since")
        props["date"] = _as_list(dated)
    props["publisher"] = _as_list(p.get("agencies"))
    return {"id": ftm_id(rid), "schema": schema,
            "properties": {k: v for k, v in props.items() if v and v != [None]}}


def _validated(entities: Iterable[dict[str, Any]], validate: bool | None) -> Iterator[dict[str, Any]]:
    model = None
    if validate is not False:
        try:
            from followthemoney import model as ftm_model
        except ImportError:
            if validate:
                raise ImportError("validate=True needs the optional 'followthemoney' package") from None
        else:
            model = ftm_model
    for ent in entities:
        if model is None:
            yield ent
            continue
        proxy = model.make_entity(ent["schema"])
        proxy.id = ent["id"]
        for name, values in ent["properties"].items():
            for value in values:
                proxy.add(name, value)  # raises on a property the schema does not have
        yield proxy.to_dict()


def ftm_entities(source: Any, validate: bool | None = None) -> Iterator[dict[str, Any]]:
    """FtM entity dicts for every node and relationship of ``source`` (see :func:`graph_elements`)."""
    nodes, rels = graph_elements(source)
    kinds = {nid: ntype for nid, ntype, _ in nodes}
    by_id = {nid: props for nid, _, props in nodes}
    extra: dict[str, dict[str, list[Any]]] = {}
    for _, rtype, src, dst, _p in rels:
        if rtype not in _ON_HOLDER:
            continue
        far = by_id.get(dst, {})
        if rtype == "HAS_PHONE":
            name, value = "phone", far.get("number") or dst.split(":", 1)[-1]
        elif rtype == "HAS_ADDRESS":
            name, value = "addressEntity", ftm_id(dst)
        else:
            doc_type = far.get("doc_type")
            name = {"passport": "passportNumber", "company_reg": "registrationNumber"}.get(str(doc_type), "idNumber")
            value = far.get("number") or dst.split(":")[-1]
        extra.setdefault(src, {}).setdefault(name, []).append(value)

    def all_entities() -> Iterator[dict[str, Any]]:
        for nid, ntype, props in nodes:
            if ntype in _SKIP_NODES:
                continue
            ent = _node_entity(nid, ntype, props)
            if ent is None:
                continue
            for name, values in extra.get(nid, {}).items():
                if name == "passportNumber" and ent["schema"] != "Person":
                    name = "idNumber"
                ent["properties"].setdefault(name, []).extend(v for v in values if v not in ent["properties"].get(name, []))
            yield ent
        for rid, rtype, src, dst, props in rels:
            if rtype in _ON_HOLDER or kinds.get(src) in _SKIP_NODES or kinds.get(dst) in _SKIP_NODES:
                continue
            yield _rel_entity(rid, rtype, src, dst, props)

    yield from _validated(all_entities(), validate)


def export_ftm(source: Any, out: str | Path, validate: bool | None = None) -> int:
    """Write ``source``'s graph as FtM JSON Lines to ``out``; return the number of entities written."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    n = 0
    with open(out, "w", encoding="utf-8") as fh:
        for ent in ftm_entities(source, validate):
            fh.write(json.dumps(ent, ensure_ascii=False, sort_keys=True) + "\n")
            n += 1
    return n
