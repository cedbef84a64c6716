"""Cypher generated from the declared schema: schema objects and per-type upsert statements.

Identifiers (labels, relationship types, property names) come from the schema files, which
:func:`~graph_model.model.load_schema` has checked; values are always parameters.

Examples
--------
>>> from graph_model.model import load_schema
>>> schema = load_schema()
>>> FULLTEXT_NAMES_INDEX, THAI_ANALYZER
('entity_names', 'thai')
>>> "CREATE INDEX transfer_ts IF NOT EXISTS FOR ()-[r:`TRANSFER`]-() ON (r.`ts`)" in schema_statements(schema)
True
>>> print(node_create("Phone"))
UNWIND $rows AS r
CREATE (n:Entity:`Phone`)
SET n = r.p
"""

from __future__ import annotations

import re

from graph_model.model import PropertySpec, Schema

__all__ = [
    "FULLTEXT_NAMES_INDEX",
    "THAI_ANALYZER",
    "node_create",
    "node_upsert",
    "rel_create",
    "rel_upsert",
    "schema_statements",
]

FULLTEXT_NAMES_INDEX = "entity_names"
THAI_ANALYZER = "thai"  # listed by CALL db.index.fulltext.listAvailableAnalyzers() on 5.26
NAME_TYPES = ("Person", "Organization")
_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def ident(name: str) -> str:
    """A schema identifier, back-quoted; refuses anything that is not a plain identifier.

    >>> ident("thai_id")
    '`thai_id`'
    """
    if not _IDENT.match(name):
        raise ValueError(f"not a plain identifier: {name!r}")
    return f"`{name}`"


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def schema_statements(schema: Schema) -> list[str]:
    """Constraints and indexes, all ``IF NOT EXISTS`` (safe to run again)."""
    out = ["CREATE CONSTRAINT entity_id IF NOT EXISTS FOR (n:Entity) REQUIRE n.id IS UNIQUE"]
    # Eventually consistent: Lucene updates leave the commit path (bulk loads stay fast); searches see
    # new names a moment after the write commits.
    thai = (
        f"OPTIONS {{indexConfig: {{`fulltext.analyzer`: '{THAI_ANALYZER}', "
        "`fulltext.eventually_consistent`: true}}"
    )
    for name, nt in sorted(schema.nodes.items()):
        label = ident(name)
        # No per-label id index: look nodes up as (:Entity {id: $id}); each extra index costs every write.
        for prop in nt.indexes:
            out.append(
                f"CREATE INDEX {_snake(name)}_{prop} IF NOT EXISTS FOR (n:{label}) ON (n.{ident(prop)})"
            )
        if nt.fulltext and name not in NAME_TYPES:
            props = ", ".join(f"n.{ident(p)}" for p in nt.fulltext)
            out.append(
                f"CREATE FULLTEXT INDEX {_snake(name)}_text IF NOT EXISTS FOR (n:{label}) ON EACH [{props}] {thai}"
            )
    name_props = sorted({p for t in NAME_TYPES for p in schema.nodes[t].fulltext})
    labels = "|".join(ident(t) for t in NAME_TYPES)
    props = ", ".join(f"n.{ident(p)}" for p in name_props)
    out.append(
        f"CREATE FULLTEXT INDEX {FULLTEXT_NAMES_INDEX} IF NOT EXISTS FOR (n:{labels}) ON EACH [{props}] {thai}"
    )
    for name, rt in sorted(schema.relationships.items()):
        rel = ident(name)
        low = name.lower()
        out.append(f"CREATE CONSTRAINT {low}_id IF NOT EXISTS FOR ()-[r:{rel}]-() REQUIRE r.`id` IS UNIQUE")
        for prop in rt.indexes:
            out.append(f"CREATE INDEX {low}_{prop} IF NOT EXISTS FOR ()-[r:{rel}]-() ON (r.{ident(prop)})")
    return out


def _merge_sets(var: str, specs: dict[str, PropertySpec]) -> str:
    """SET items applying the merge rules of ``base`` to ``var`` from row ``r``."""
    items = [f"{var} += r.p"]
    for name, spec in sorted(specs.items()):
        if spec.is_list:
            p = f"{var}.{ident(name)}"
            items.append(
                f"{p} = CASE WHEN r.{ident(name)} IS NULL THEN {p} WHEN {p} IS NULL THEN r.{ident(name)} "
                f"ELSE {p} + [x IN r.{ident(name)} WHERE NOT x IN {p}] END"
            )
    v = var
    items += [
        f"{v}.sources = CASE WHEN {v}.sources IS NULL THEN r.sources "
        f"ELSE {v}.sources + [x IN r.sources WHERE NOT x IN {v}.sources] END",
        f"{v}.agencies = CASE WHEN {v}.agencies IS NULL THEN r.agencies "
        f"WHEN all(ag IN r.agencies WHERE ag IN {v}.agencies) THEN {v}.agencies "
        f"ELSE COLLECT {{ UNWIND {v}.agencies + r.agencies AS ag RETURN DISTINCT ag ORDER BY ag }} END",
        f"{v}.first_seen = CASE WHEN r.first_seen IS NULL THEN {v}.first_seen "
        f"WHEN {v}.first_seen IS NULL OR r.first_seen < {v}.first_seen THEN r.first_seen ELSE {v}.first_seen END",
        f"{v}.last_seen = CASE WHEN r.last_seen IS NULL THEN {v}.last_seen "
        f"WHEN {v}.last_seen IS NULL OR r.last_seen > {v}.last_seen THEN r.last_seen ELSE {v}.last_seen END",
    ]
    return "SET " + ",\n    ".join(items)


def node_create(type_name: str) -> str:
    """``UNWIND $rows`` creation of new nodes of one type; each row is ``{p: all properties with id}``."""
    return f"UNWIND $rows AS r\nCREATE (n:Entity:{ident(type_name)})\nSET n = r.p"


def node_upsert(schema: Schema, type_name: str) -> str:
    """``UNWIND $rows`` merge into existing nodes of one type; rows are ``{id, p: scalars, <lists>,
    sources, agencies, first_seen, last_seen}`` with duplicates already folded."""
    nt = schema.nodes[type_name]
    return f"UNWIND $rows AS r\nMATCH (n:Entity {{id: r.id}})\nWHERE n:{ident(type_name)}\n" + _merge_sets(
        "n", nt.properties
    )


def rel_create(schema: Schema, type_name: str) -> str:
    """``UNWIND $rows`` creation of new relationships; rows are ``{s, t, p: all properties with id}``.

    Only ends that exist and have a declared type match, so ``created`` below the number of rows means
    a bad end (the caller then finds which and rolls back)."""
    rt = schema.relationships[type_name]
    sources = "|".join(ident(t) for t in rt.sources)
    targets = "|".join(ident(t) for t in rt.targets)
    return (
        "UNWIND $rows AS r\n"
        f"MATCH (a:Entity {{id: r.s}}) WHERE a:{sources}\n"
        f"MATCH (b:Entity {{id: r.t}}) WHERE b:{targets}\n"
        f"CREATE (a)-[e:{ident(type_name)}]->(b)\nSET e = r.p\nRETURN count(*) AS created"
    )


def rel_upsert(schema: Schema, type_name: str) -> str:
    """``UNWIND $rows`` merge into existing relationships of one type (found by their id index)."""
    rt = schema.relationships[type_name]
    return f"UNWIND $rows AS r\nMATCH ()-[e:{ident(type_name)} {{id: r.id}}]->()\n" + _merge_sets(
        "e", rt.properties
    )
