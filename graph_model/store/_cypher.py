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
    "id_constraints",
    "node_create",
    "node_seek",
    "node_upsert",
    "rel_create",
    "rel_seek",
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


def id_constraints(schema: Schema) -> list[str]:
    """Names of the uniqueness constraints on ids that :func:`schema_statements` creates.

    >>> from graph_model.model import load_schema
    >>> id_constraints(load_schema())[:2]
    ['entity_id', 'concerns_id']
    """
    return ["entity_id", *(f"{name.lower()}_id" for name in sorted(schema.relationships))]


def schema_statements(schema: Schema) -> list[str]:
    """Constraints and indexes, all ``IF NOT EXISTS`` (safe to run again).

    Relationship ids get a uniqueness constraint, not a plain index, although it costs more per create
    (5.26, 200k relationship creates, server CPU per relationship: constraint 58 us, range index on
    ``r.id`` 54 us, no index 50 us; 2026-11-27, see ``benchmarks/store_load.py``). An upsert reads which
    ids exist and then creates the others; the two parts of one call write disjoint ids, but two callers
    writing the same ids at once (two processes, two API requests) can both find an id missing and both
    create it. The constraint turns that race into a constraint error for the later writer (nothing of
    its call is written, and the call can be run again) instead of a silent duplicate, which every later
    upsert of the id would merge into twice."""
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
    return f"UNWIND $rows AS r\n{node_seek('n', 'r.id')}\nWHERE n:{ident(type_name)}\n" + _merge_sets(
        "n", nt.properties
    )


def _has_label(var: str, labels: tuple[str, ...] | list[str]) -> str:
    """A label test that the planner cannot turn into a label scan or a union of index seeks.

    (``a:A|B`` became one id seek per label plus a union; with fresh statistics after a clear, a plan
    scanning a small label was cached and then ran quadratically as the label grew.)

    >>> _has_label("a", ["Person"]), _has_label("a", ["Person", "Organization"])
    ('a:`Person`', "any(l IN labels(a) WHERE l IN ['Person', 'Organization'])")
    """
    if len(labels) == 1:
        return f"{var}:{ident(labels[0])}"
    for label in labels:
        ident(label)  # a plain identifier, so safe between quotes
    return f"any(l IN labels({var}) WHERE l IN [{', '.join(repr(label) for label in labels)}])"


def node_seek(var: str, key: str) -> str:
    """``MATCH`` of a node by id, bound to a seek in the ``entity_id`` constraint's index whatever the
    statistics say (``USING INDEX`` alone allows a scan of the whole index, see :func:`rel_seek`).

    >>> node_seek("a", "r.s")
    'MATCH (a:Entity {id: r.s}) USING INDEX SEEK a:Entity(id)'
    """
    return f"MATCH ({var}:Entity {{id: {key}}}) USING INDEX SEEK {var}:Entity(id)"


def rel_seek(type_name: str, key: str, ends: tuple[str, str] = ("", "")) -> str:
    """``MATCH`` of a relationship by id, bound to a seek in its type's id constraint index.

    ``USING INDEX SEEK``, not ``USING INDEX``: with the latter the planner was free to scan the whole
    index and filter, and with some statistics did so for TRANSFER (PROFILE: 500,050 db hits for 50 ids
    among 10,000 transfers), which made relationship batches cost the server 3-6x in some runs.

    >>> rel_seek("FAMILY", "r.id")
    'MATCH ()-[e:`FAMILY` {id: r.id}]->() USING INDEX SEEK e:`FAMILY`(id)'
    """
    rel = ident(type_name)
    return f"MATCH ({ends[0]})-[e:{rel} {{id: {key}}}]->({ends[1]}) USING INDEX SEEK e:{rel}(id)"


def rel_create(schema: Schema, type_name: str) -> str:
    """``UNWIND $rows`` creation of new relationships; rows are ``{s, t, p: all properties with id}``.

    Only ends that exist and have a declared type match, so ``created`` below the number of rows means
    a bad end (the caller then finds which and rolls back)."""
    rt = schema.relationships[type_name]
    return (
        "UNWIND $rows AS r\n"
        f"{node_seek('a', 'r.s')} WHERE {_has_label('a', rt.sources)}\n"
        f"{node_seek('b', 'r.t')} WHERE {_has_label('b', rt.targets)}\n"
        f"CREATE (a)-[e:{ident(type_name)}]->(b)\nSET e = r.p\nRETURN count(*) AS created"
    )


def rel_upsert(schema: Schema, type_name: str) -> str:
    """``UNWIND $rows`` merge into existing relationships of one type (found by their id index)."""
    rt = schema.relationships[type_name]
    return f"UNWIND $rows AS r\n{rel_seek(type_name, 'r.id')}\n" + _merge_sets("e", rt.properties)
