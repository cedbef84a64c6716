"""Build the graph from source records and their resolution: records → nodes, links → relationships.

Two passes over the records: the first writes one node per entity (merging the records' properties, each
record kept as a source) and learns which entity holds which national ID or company registration; the
second turns every record's links into relationships. Writes are idempotent upserts, so a build that was
stopped half-way (Neo4j killed, machine rebooted) is finished by running it again: the result equals that
of an uninterrupted run.

A value that does not fit the declared schema is left out and counted in the report, never written half.
"""

from __future__ import annotations

import hashlib
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from entity_resolution.ids import identifier_entity_id, resolved_entity_id
from graph_model.model import PropertySpec, Schema, SchemaError
from graph_model.store.base import GraphStore, NodeRecord, PartialCommitError, Provenance, RelRecord
from ingest.records import RESOLVED_TYPES, Link, SourceRecord

__all__ = ["BuildReport", "build_graph", "clean_props", "entity_id_of", "identifier_props", "link_relationships",
           "pseudonym", "record_node"]

RecordSource = Callable[[], Iterable[SourceRecord]]
Progress = Callable[[str, int], None]


@dataclass
class BuildReport:
    """What a build wrote and what it had to leave out (reason → count, with a few examples)."""

    records: int = 0
    nodes: int = 0
    relationships: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    examples: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def skip(self, reason: str, example: str) -> None:
        """Count one left-out value or link."""
        self.skipped[reason] += 1
        if len(self.examples) < 20:
            self.examples.append(f"{reason}: {example}")

    def summary(self) -> str:
        """One line for the CLI."""
        left = sum(self.skipped.values())
        return (
            f"{self.records:,} records → {self.nodes:,} node writes, {self.relationships:,} relationship writes"
            f" in {self.seconds:.1f} s; {left:,} values or links left out"
        )


def pseudonym(entity_id: str) -> str:
    """A stable pseudonym for a person, shown to roles that may not see identities.

    >>> pseudonym("per:abc") == pseudonym("per:abc")
    True
    >>> pseudonym("per:abc").startswith("P-")
    True
    """
    return "P-" + hashlib.blake2b(entity_id.encode(), digest_size=4).hexdigest().upper()


def entity_id_of(record: SourceRecord, resolution: Mapping[str, str]) -> str:
    """The entity a record belongs to: its resolved cluster, or its identifier key.

    A resolved-type record missing from ``resolution`` stands alone (its own singleton entity).
    """
    if record.entity_type in RESOLVED_TYPES:
        found = resolution.get(record.record_id)
        return found or resolved_entity_id(record.entity_type, record.record_id)
    if not record.key:
        raise SchemaError(f"{record.locator} part {record.part}: {record.entity_type} record without a key")
    return identifier_entity_id(record.entity_type, record.key)


def _seen(record: SourceRecord) -> str:
    for value in (record.last_seen, record.ingested_at, record.record_date):
        if value:
            return value[:10]
    return datetime.now(UTC).date().isoformat()


class _Writer:
    """Runs the store's writes in submission order, on one background thread when ``threaded``.

    With a database behind the store (Neo4j), Python prepares the next batch while the database writes
    this one, so the two work at once; at most ``depth`` batches wait, which bounds the memory. A failed
    write is raised by the next :meth:`submit` or by :meth:`close` (the writes are idempotent upserts, so
    running the build again finishes it).
    """

    def __init__(self, threaded: bool, depth: int = 1) -> None:
        self._pool = ThreadPoolExecutor(1, thread_name_prefix="build-writer") if threaded else None
        self._pending: deque[tuple[Future[int], _Batcher]] = deque()
        self._depth = depth

    def submit(self, batcher: _Batcher, write: Callable[[list[Any]], int], items: list[Any]) -> None:
        if self._pool is None:
            batcher.written += write(items)
            return
        self._pending.append((self._pool.submit(write, items), batcher))
        while len(self._pending) > self._depth:
            self._collect()

    def _collect(self) -> None:
        future, batcher = self._pending.popleft()
        batcher.written += future.result()

    def close(self) -> None:
        """Wait for every write; raise the first failure (later queued writes are cancelled)."""
        try:
            while self._pending:
                self._collect()
        finally:
            self.abandon()

    def abandon(self) -> None:
        """Cancel the queued writes, wait for the running one, stop the thread (idempotent)."""
        self._pending.clear()
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)


class _Batcher:
    """Collects node or relationship writes, merging repeats of one id, and flushes them when ``size``
    distinct ids are held, in write calls of at most ``chunk`` items."""

    def __init__(self, flush: Callable[[list[Any]], int], size: int, writer: _Writer,
                 before: Callable[[], None] | None = None, chunk: int | None = None, kind: str = "node") -> None:
        self._flush = flush
        self._kind = kind
        self._batches = 0  # write calls so far, to name a partly committed one
        self._before = before
        self._size = size
        self._chunk = chunk or size
        self._writer = writer
        self._items: dict[str, Any] = {}
        self.written = 0

    def add(self, item_id: str, item: NodeRecord | RelRecord) -> None:
        old = self._items.get(item_id)
        if old is None:
            self._items[item_id] = item
        else:
            _merge_into(old.props, item.props)
            old.sources.extend(s for s in item.sources if s not in old.sources)
        if len(self._items) >= self._size:
            self.flush()

    def flush(self) -> None:
        if self._before is not None:
            self._before()
        if self._items:
            items, chunk, write = list(self._items.values()), self._chunk, self._named
            if len(items) <= chunk:
                self._writer.submit(self, write, items)
            else:
                self._writer.submit(self, lambda _: sum(write(items[i:i + chunk])
                                                        for i in range(0, len(items), chunk)), [])
            self._items = {}


    def _named(self, items: list[NodeRecord | RelRecord]) -> int:
        """One write call; a :class:`PartialCommitError` is raised again naming the batch and what to do."""
        self._batches += 1
        try:
            return self._flush(items)
        except PartialCommitError as exc:
            first, last = (items[0].id, items[-1].id) if items else ("", "")
            raise PartialCommitError(
                f"{self._kind} batch {self._batches} ({len(items):,} {self._kind}s, ids {first} ... {last}): part "
                "of this batch is in the graph; the write is idempotent: run `tipgraph build` again to complete "
                f"it ({exc})") from exc


def _merge_into(old: dict[str, Any], new: dict[str, Any]) -> None:
    for name, value in new.items():
        if isinstance(value, list):
            have = old.setdefault(name, [])
            have.extend(v for v in value if v not in have)
        elif value is not None:
            old[name] = value


_STR_TYPES = frozenset({str})
#: Per set of declared properties (held, so that its id stays its own): name → (spec, fast kind), the
#: kind saying which values pass without the full check: 1 a plain string, 2 a list of plain strings,
#: 3 a plain integer (only properties without allowed values), 0 none.
_FAST_KINDS: dict[int, tuple[Mapping[str, PropertySpec], dict[str, tuple[PropertySpec, int]]]] = {}


def _fast_kinds(schema_props: Mapping[str, PropertySpec]) -> dict[str, tuple[PropertySpec, int]]:
    found = _FAST_KINDS.get(id(schema_props))
    if found is None or found[0] is not schema_props:
        table = {}
        for name, spec in schema_props.items():
            kind = 0
            if not spec.enum and spec.type == "string":
                kind = 2 if spec.is_list else 1
            elif not spec.enum and spec.type == "integer" and not spec.is_list:
                kind = 3
            table[name] = (spec, kind)
        found = _FAST_KINDS[id(schema_props)] = (schema_props, table)
    return found[1]


def clean_props(schema_props: Mapping[str, PropertySpec], type_name: str, element_id: str,
                props: Mapping[str, Any], report: BuildReport, locator: str) -> dict[str, Any]:
    """The declared, non-empty properties of ``props`` that fit ``schema_props``; a value that does not fit
    is left out and counted in ``report`` (naming ``type_name[element_id]`` and ``locator``).

    A scalar of a list property becomes a one-item list, a tuple a list. Plain strings, lists of plain
    strings and plain integers are taken without the full check (:meth:`PropertySpec.check`), which
    decides everything else.

    Examples
    --------
    >>> from graph_model.model import load_schema
    >>> report = BuildReport()
    >>> specs = load_schema().node_type("Phone").properties
    >>> clean_props(specs, "Phone", "tel:1", {"number": "+661", "raw": "081", "colour": "red", "carrier": ""},
    ...             report, "f.csv#1")
    {'number': '+661', 'raw': ['081']}
    >>> clean_props(specs, "Phone", "tel:1", {"number": 5}, report, "f.csv#2"), report.examples
    ({}, ['property does not fit the schema: f.csv#2: Phone[tel:1].number: expected string, got 5'])
    """
    kinds = _fast_kinds(schema_props)
    clean: dict[str, Any] = {}
    for name, value in props.items():
        entry = kinds.get(name)
        if entry is None or value is None or value == [] or value == "":
            continue
        spec, kind = entry
        vtype = type(value)
        if ((kind == 1 and vtype is str) or (kind == 3 and vtype is int)
                or (kind == 2 and vtype is list and _STR_TYPES.issuperset(map(type, value)))):
            clean[name] = value
            continue
        if spec.is_list and not isinstance(value, list | tuple):
            value = [value]
        if isinstance(value, tuple):
            value = list(value)
        try:
            spec.check(f"{type_name}[{element_id}]", value)
        except SchemaError as exc:
            report.skip("property does not fit the schema", f"{locator}: {exc}")
            continue
        clean[name] = value
    return clean


def identifier_props(schema: Schema, type_name: str, target: str, target_props: Mapping[str, Any],
                     report: BuildReport, locator: str) -> tuple[dict[str, Any], list[str]]:
    """The clean properties of an identifier node met as a link target (``target`` of ``type_name``), and
    the required properties they lack: the node is made only when none is missing.

    Examples
    --------
    >>> from graph_model.model import load_schema
    >>> identifier_props(load_schema(), "Phone", "tel:1", {"raw": ["081"]}, BuildReport(), "f.csv#1")
    ({'raw': ['081']}, ['number'])
    """
    nt = schema.node_type(type_name)
    props = clean_props(nt.properties, nt.name, target, target_props, report, locator)
    return props, [p.name for p in nt.properties.values() if p.required and p.name not in props]


_REL_FAST: dict[int, tuple[Schema, dict[str, tuple[Callable[[dict[str, Any]], bool], frozenset[str],
                                                   frozenset[str]]]]] = {}


def _rel_fast(schema: Schema) -> dict[str, tuple[Callable[[dict[str, Any]], bool], frozenset[str], frozenset[str]]]:
    """Per relationship type: the batch validator's generated check of its properties (dates included),
    which never accepts what :meth:`Schema.check_relationship` refuses, and the allowed end types."""
    found = _REL_FAST.get(id(schema))
    if found is None or found[0] is not schema:
        from graph_model.store._validate import BatchValidator

        validator = BatchValidator(schema)
        table = {name: (validator.rels[name].ok, *validator.rel_ends[name]) for name in schema.relationships}
        found = _REL_FAST[id(schema)] = (schema, table)
    return found[1]


def build_graph(
    records: RecordSource,
    resolution: Mapping[str, str],
    store: GraphStore,
    *,
    batch_size: int = 20_000,
    progress: Progress | None = None,
    background_writes: bool | None = None,
    node_buffer: int = 250_000,
    reread_links: bool = False,
) -> BuildReport:
    """Write the entities and relationships asserted by ``records()`` into ``store``.

    Parameters
    ----------
    records
        A function returning an iterable of source records (called once; the links of the records
        are kept for the second pass).
    resolution
        ``record_id → entity_id`` for Person and Organization records (from entity resolution).
    store
        Any :class:`~graph_model.store.base.GraphStore`.
    batch_size
        Distinct nodes (relationships) per write call. Larger batches mean fewer transactions and fewer
        repeats of one entity across batches (a repeat is a merge, dearer than a create in Neo4j).
    node_buffer
        Distinct nodes held before they are written (in batches of ``batch_size``): the records of one
        entity are spread over the record order (one per agency), and every repeat of an entity in a later
        write is a merge; a larger buffer means fewer merges, at the price of memory.
    background_writes
        Write batches on a background thread while the next ones are prepared (default: for every store
        but the in-memory one, whose writes are Python work that a thread would not overlap).
    reread_links
        Call ``records()`` a second time for the links instead of keeping every record's links in memory
        between the two passes (the larger part of the build's own memory at a national scale; the
        records must come back in the same order, as those of a ``RecordStore`` do).

    Examples
    --------
    >>> from graph_model.store.memory import MemoryStore
    >>> recs = [SourceRecord(record_id="r1", agency="RTP", source_file="rtp_case_persons.csv", row=1,
    ...         part="person", entity_type="Person", props={"names": ["สมชาย ใจดี"]}, last_seen="2026-11-26",
    ...         links=[Link("HAS_PHONE", target_type="Phone", target_key="+66812345678",
    ...                     target_props={"number": "+66812345678"})])]
    >>> store = MemoryStore()
    >>> report = build_graph(lambda: recs, {"r1": "per:1"}, store)
    >>> sorted(store.counts().items())[:2]
    [('HAS_PHONE', 1), ('Person', 1)]
    """
    started = time.perf_counter()
    schema: Schema = store.schema
    report = BuildReport()
    if background_writes is None:
        background_writes = store.backend != "memory"
    writer = _Writer(background_writes)
    try:
        _build(records, resolution, store, schema, report, writer, batch_size, max(batch_size, node_buffer),
               progress, reread_links)
    finally:
        writer.abandon()  # after a failure: no write is left running behind the caller's back
    refresh = getattr(store, "refresh_search", None)  # the bulk collector is no store and has none
    if refresh is not None:
        refresh()  # names just written are found by search as soon as the build returns
    report.seconds = time.perf_counter() - started
    return report


def _build(records: RecordSource, resolution: Mapping[str, str], store: GraphStore, schema: Schema,
           report: BuildReport, writer: _Writer, batch_size: int, node_buffer: int,
           progress: Progress | None, reread_links: bool = False) -> None:
    nodes = _Batcher(store.upsert_nodes, node_buffer, writer, chunk=batch_size)
    types: dict[str, str] = {}
    entity_of_record: dict[str, str] = {}
    by_id_no: dict[str, str] = {}
    # What the second pass needs of a record with links, kept from the first pass so that the records
    # are read (and their JSON decoded) once: the raw cells and the properties are not kept.
    linked: list[tuple[str, Provenance, str, list[Link]]] | None = None if reread_links else []
    for n, record in enumerate(records(), 1):
        report.records = n
        node = record_node(record, resolution, schema, report, types, entity_of_record, by_id_no)
        nodes.add(node.id, node)
        if record.links and linked is not None:
            linked.append((node.id, node.sources[0], record.locator, record.links))
        if progress and n % 100_000 == 0:
            progress("nodes", n)
    nodes.flush()
    rels = _Batcher(store.upsert_relationships, batch_size, writer, before=nodes.flush, kind="relationship")
    for source, prov, locator, links in linked if linked is not None else _links_again(records, entity_of_record):
        for rel in link_relationships(source, prov, locator, links, entity_of_record, types, by_id_no, nodes.add,
                                      schema, report):
            rels.add(rel.id, rel)
    if linked is not None:
        linked.clear()
    rels.flush()  # flushes identifier nodes first seen as link targets before it
    writer.close()
    report.nodes, report.relationships = nodes.written, rels.written


def _links_again(records: RecordSource, entity_of_record: Mapping[str, str]
                 ) -> Iterable[tuple[str, Provenance, str, list[Link]]]:
    """What the first pass keeps of a record with links, from a second reading of the records."""
    for record in records():
        if record.links:
            prov = Provenance(record.agency, record.record_id, _seen(record))
            yield entity_of_record[record.record_id], prov, record.locator, record.links


def record_node(record: SourceRecord, resolution: Mapping[str, str], schema: Schema, report: BuildReport,
                types: dict[str, str], entity_of_record: dict[str, str], by_id_no: dict[str, str]) -> NodeRecord:
    """The node a record asserts (one source: the record), noting its entity's type, the record's entity
    and the national ID / company registration it gives (first pass; shared with :mod:`graph_model.bulk`)."""
    eid = entity_id_of(record, resolution)
    nt = schema.node_type(record.entity_type)
    types[eid] = record.entity_type
    entity_of_record[record.record_id] = eid
    props = clean_props(nt.properties, nt.name, eid, record.props, report, record.locator)
    if record.entity_type == "Person":
        props["pseudonym"] = pseudonym(eid)
        if record.props.get("thai_id") and "thai_id:bad_check_digit" not in record.flags:
            by_id_no.setdefault(f"thai_id:{record.props['thai_id']}", eid)
    elif record.entity_type == "Organization" and record.props.get("registration_no"):
        by_id_no.setdefault(f"company_reg:{record.props['registration_no']}", eid)
    prov = Provenance(record.agency, record.record_id, _seen(record))
    return NodeRecord(record.entity_type, eid, props, [prov])


def link_relationships(
    source: str,
    prov: Provenance,
    locator: str,
    links: Iterable[Link],
    entity_of_record: Mapping[str, str],
    types: dict[str, str],
    by_id_no: Mapping[str, str],
    add_node: Callable[[str, NodeRecord], None],
    schema: Schema,
    report: BuildReport,
) -> Iterator[RelRecord]:
    """The relationships of one record's links (second pass); an identifier first met as a link target is
    given to ``add_node`` (shared with :mod:`graph_model.bulk`)."""
    fast = _rel_fast(schema)
    for link in links:
        target = _link_target(link, locator, entity_of_record, types, by_id_no, add_node, prov, schema, report)
        if target is None:
            continue
        a, b = (target, source) if link.reverse else (source, target)
        entry = fast.get(link.rel_type)
        if entry is None or types[a] not in entry[1] or types[b] not in entry[2] or not entry[0](link.props):
            try:
                schema.check_relationship(link.rel_type, types[a], types[b], link.props)
            except SchemaError as exc:
                report.skip("relationship does not fit the schema", f"{locator}: {exc}")
                continue
        yield RelRecord(link.rel_type, a, b, dict(link.props), [prov], discriminator=link.discriminator)


def _link_target(
    link: Link,
    locator: str,
    entity_of_record: Mapping[str, str],
    types: dict[str, str],
    by_id_no: Mapping[str, str],
    add_node: Callable[[str, NodeRecord], None],
    prov: Provenance,
    schema: Schema,
    report: BuildReport,
) -> str | None:
    if link.target_record_id:
        target = entity_of_record.get(link.target_record_id)
        if target is None:
            report.skip("link to a part that was not loaded", f"{locator} {link.rel_type} {link.target_part}")
            return None
        return target
    if not link.target_type or not link.target_key:
        report.skip("link without a target", f"{locator} {link.rel_type}")
        return None
    if link.target_type in RESOLVED_TYPES:
        found = by_id_no.get(link.target_key)
        if found is None:
            report.skip("reference to an unknown person or organisation", f"{locator} {link.target_key}")
        return found
    target = identifier_entity_id(link.target_type, link.target_key)
    if target not in types:
        props, missing = identifier_props(schema, link.target_type, target, link.target_props, report, locator)
        if missing:
            report.skip("identifier without its required properties", f"{locator} {target} {missing}")
            return None
        types[target] = link.target_type
        add_node(target, NodeRecord(link.target_type, target, props, [prov]))
    return target

