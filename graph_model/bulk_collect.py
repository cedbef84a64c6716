"""The collect step of :mod:`graph_model.bulk`: records → validated assertions spilled to disk → CSV files.

Memory stays bounded at a national scale: nothing holds every node or relationship. The records are read
once (from a :class:`~ingest.store.RecordStore`, only the columns the build needs: the raw cells are not
decoded). Pass 1 turns each record into its node assertion (:func:`graph_model.build.record_node`, the
conversion of the upsert build), validates it (:class:`~graph_model.store._validate.BatchValidator`, as the
stores do) and appends it to one of ``buckets`` temporary files by the hash of its id; a record's links go
to a file of their own. Pass 2 reads the links back and turns them into relationship assertions
(:func:`graph_model.build.link_relationships`), validated (an end must be a node) and bucketed by id the
same way. Pass 3 loads one bucket at a time, merges every id's assertions in the order of the records with
the merge rules of :mod:`graph_model.store._merge` (newest non-null scalar, ordered list union,
provenance union, sorted agencies, first/last seen) in one go, so an id seen ten thousand times is merged
once, not copied ten thousand times, and writes the CSV rows.

Peak memory ≈ the record → entity mapping + the node id → type map + one bucket.

Examples
--------
>>> attrs = merge_assertions([({"names": ["A", "B"], "sex": "M"}, "RTP", "r1", "2026-01-02"),
...                           ({"names": ["B", "C"]}, "DSI", "d1", "2025-05-05")], {"names"})
>>> attrs["names"], attrs["sex"], attrs["sources"]
(['A', 'B', 'C'], 'M', ['RTP|r1|2026-01-02', 'DSI|d1|2025-05-05'])
>>> attrs["agencies"], attrs["first_seen"], attrs["last_seen"]
(['DSI', 'RTP'], '2025-05-05', '2026-01-02')
"""

from __future__ import annotations

import csv
import pickle
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import orjson

from graph_model._gc import cyclic_gc_paused
from graph_model.build import BuildReport, link_relationships, record_node
from graph_model.bulk import ARRAY_DELIMITER as _DELIMITER
from graph_model.bulk import CsvFiles, _cell, _props_of, node_columns, rel_columns
from graph_model.model import Schema, SchemaError
from graph_model.store._validate import BatchValidator
from graph_model.store.base import NodeRecord, Provenance, RelRecord
from ingest.records import Link, SourceRecord

__all__ = ["Collected", "collect_csvs", "lean_records", "merge_assertions"]

#: Columns of ``records.sqlite`` the build needs (not ``raw``, ``first_seen``, ``content_hash``, ...).
LEAN_COLUMNS = ("record_id", "agency", "source_file", "row", "exchange_id", "part", "entity_type", "key",
                "record_date", "props", "flags", "links", "ingested_at", "last_seen")
_CHUNK = 5000  # assertions validated at a time, and links written to their file at a time
_BUCKET_CHUNK = 1000  # assertions written to one bucket file at a time (64 buckets hold 64k at most)

#: What one source asserts of an element: its properties, the source's agency, record id and seen date.
Assertion = tuple[Mapping[str, Any], str, str, str]
#: A record and its links: a list of links, or the JSON text of ``records.sqlite`` (decoded in pass 2).
LeanRecord = tuple[SourceRecord, "list[Link] | str | None"]


def lean_records(store: Any) -> Iterator[LeanRecord]:
    """The records of a :class:`~ingest.store.RecordStore` in record-id order (the order of
    ``iter_records``), without their raw cells, with their links as JSON text."""
    loads = orjson.loads
    for rows in store.iter_rows(LEAN_COLUMNS):
        for rid, agency, file, n, xid, part, etype, key, rdate, props, flags, links, ing, last in rows:
            record = SourceRecord(
                record_id=rid, agency=agency, source_file=file, row=n, exchange_id=xid, part=part,
                entity_type=etype, key=key, record_date=rdate, props=loads(props),
                flags=loads(flags) if flags != "[]" else [], ingested_at=ing, last_seen=last)
            yield record, (links if links != "[]" else None)


def merge_assertions(items: Sequence[Assertion], list_props: Collection[str]) -> dict[str, Any]:
    """The properties of an element asserted by ``items`` (props and the source's agency, record id and
    seen date) in this order: what folding them one by one with
    :func:`graph_model.store._merge.merge_into` gives, in one pass."""
    attrs: dict[str, Any]
    if len(items) == 1:
        props, agency, rid, seen = items[0]
        attrs = {name: list(dict.fromkeys(value)) if name in list_props else value
                 for name, value in props.items() if value is not None}
        attrs["sources"] = [f"{agency}|{rid}|{seen}"]  # Provenance.encode
        attrs["agencies"] = [agency]
        attrs["first_seen"] = attrs["last_seen"] = seen
        return attrs
    attrs = {}
    lists: dict[str, dict[Any, None]] = {}
    for props, *_ in items:
        for name, value in props.items():
            if value is None:
                continue
            if name in list_props:
                have = lists.get(name)
                if have is None:
                    lists[name] = have = {}
                have.update(dict.fromkeys(value))
            else:
                attrs[name] = value
    for name, have in lists.items():
        attrs[name] = list(have)
    dates = [s for _, _, _, s in items]
    attrs["sources"] = list(dict.fromkeys(f"{a}|{r}|{s}" for _, a, r, s in items))
    attrs["agencies"] = sorted({a for _, a, _, _ in items})
    attrs["first_seen"], attrs["last_seen"] = min(dates), max(dates)
    return attrs


class _Buckets:
    """``count`` append-only files of pickled chunks; an item goes to the file of ``hash(key) % count``
    (``str`` hashes are stable within one process, which writes and reads the files)."""

    def __init__(self, folder: Path, prefix: str, count: int) -> None:
        self.paths = [folder / f"{prefix}-{i:04d}.pkl" for i in range(count)]
        self._files: list[IO[bytes]] = [open(p, "wb") for p in self.paths]  # noqa: SIM115
        self._pending: list[list[Any]] = [[] for _ in range(count)]

    def add(self, key: str, item: Any) -> None:
        i = hash(key) % len(self.paths)
        pending = self._pending[i]
        pending.append(item)
        if len(pending) >= _BUCKET_CHUNK:
            pickle.dump(pending, self._files[i], protocol=pickle.HIGHEST_PROTOCOL)
            self._pending[i] = []

    def close(self) -> None:
        for f, pending in zip(self._files, self._pending, strict=True):
            if pending:
                pickle.dump(pending, f, protocol=pickle.HIGHEST_PROTOCOL)
            f.close()
        self._pending = []

    def read(self, i: int) -> Iterator[Any]:
        with open(self.paths[i], "rb") as f:
            while True:
                try:
                    chunk = pickle.load(f)
                except EOFError:
                    break
                yield from chunk
        self.paths[i].unlink()


@dataclass
class Collected:
    """What the collect wrote: counts and the CSV files."""

    report: BuildReport
    files: CsvFiles
    nodes: int = 0
    relationships: int = 0


class _Spill:
    """Validates assertions in chunks (as a store validates a batch) and buckets them by id."""

    def __init__(self, validator: BatchValidator, folder: Path, buckets: int, types: dict[str, str]) -> None:
        self.validator, self.types = validator, types
        self.nodes = _Buckets(folder, "nodes", buckets)
        self.rels = _Buckets(folder, "rels", buckets)
        self._nodes: list[NodeRecord] = []
        self._rels: list[RelRecord] = []

    def add_node(self, _id: str, node: NodeRecord) -> None:
        self._nodes.append(node)
        if len(self._nodes) >= _CHUNK:
            self.flush_nodes()

    def add_rel(self, rel: RelRecord) -> None:
        self._rels.append(rel)
        if len(self._rels) >= _CHUNK:
            self.flush_rels()

    def flush_nodes(self) -> None:
        self.validator.check_nodes(self._nodes)
        add = self.nodes.add
        for n in self._nodes:
            src = n.sources[0]  # plain strings: a Provenance pickles ten times slower
            add(n.id, (n.id, n.type, n.props, src.agency, src.record_id, src.seen))
        self._nodes = []

    def flush_rels(self) -> None:
        self.validator.check_rels(self._rels, self.types.get)
        add = self.rels.add
        for r in self._rels:
            src = r.sources[0]
            add(r.id, (r.id, r.type, r.source, r.target, r.props, src.agency, src.record_id, src.seen))
        self._rels = []


def collect_csvs(records: Iterable[LeanRecord], resolution: Mapping[str, str], schema: Schema, folder: Path,
                 *, buckets: int = 64, progress: Callable[[str], None] = lambda _: None,
                 collected: Callable[[], None] = lambda: None) -> Collected:
    """Convert, validate and spill ``records`` (passes 1 and 2), call ``collected()``, then merge each
    bucket and write one CSV per node label and relationship type into ``folder`` (pass 3).

    The CSV files equal those of the upsert build's graph: same conversion, same validation, same merge
    order (the order of ``records``). Spill files go to ``folder/spill`` and are removed as they are read.
    The cyclic garbage collector is paused meanwhile: millions of live acyclic objects made its passes
    the larger part of the CPU time.
    """
    with cyclic_gc_paused():
        return _collect(records, resolution, schema, folder, buckets, progress, collected)


def _collect(records: Iterable[LeanRecord], resolution: Mapping[str, str], schema: Schema, folder: Path,
             buckets: int, progress: Callable[[str], None], collected: Callable[[], None]) -> Collected:
    folder.mkdir(parents=True, exist_ok=True)
    spill_dir = folder / "spill"
    spill_dir.mkdir(exist_ok=True)
    report = BuildReport()
    types: dict[str, str] = {}
    entity_of_record: dict[str, str] = {}
    by_id_no: dict[str, str] = {}
    spill = _Spill(BatchValidator(schema), spill_dir, buckets, types)
    links_path = spill_dir / "links.pkl"
    with open(links_path, "wb") as links_file:
        pending: list[Any] = []
        for n, (record, links) in enumerate(records, 1):
            report.records = n
            node = record_node(record, resolution, schema, report, types, entity_of_record, by_id_no)
            spill.add_node(node.id, node)
            if links:
                src = node.sources[0]
                pending.append((node.id, src.agency, src.record_id, src.seen, record.locator, links))
                if len(pending) >= _CHUNK:
                    pickle.dump(pending, links_file, protocol=pickle.HIGHEST_PROTOCOL)
                    pending = []
            if n % 500_000 == 0:
                progress(f"pass 1: {n:,} records")
        pickle.dump(pending, links_file, protocol=pickle.HIGHEST_PROTOCOL)
    with open(links_path, "rb") as links_file:
        while True:
            try:
                chunk = pickle.load(links_file)
            except EOFError:
                break
            for source, agency, rid, seen, locator, links in chunk:
                if isinstance(links, str):
                    links = [Link(**d) for d in orjson.loads(links)]
                for rel in link_relationships(source, Provenance(agency, rid, seen), locator, links, entity_of_record, types, by_id_no,
                                              spill.add_node, schema, report):
                    spill.add_rel(rel)
    links_path.unlink()
    del entity_of_record, by_id_no
    spill.flush_nodes()
    spill.flush_rels()
    spill.nodes.close()
    spill.rels.close()
    progress(f"pass 2: {len(types):,} nodes; merging {buckets} buckets")
    collected()
    out = Collected(report, CsvFiles())
    with _CsvWriters(folder, schema, out.files) as writers:
        for i in range(buckets):
            out.nodes += _write_nodes(spill.nodes.read(i), writers)
        for i in range(buckets):
            out.relationships += _write_rels(spill.rels.read(i), writers)
    spill_dir.rmdir()
    report.nodes, report.relationships = out.nodes, out.relationships
    return out


class _CsvWriters:
    """One CSV writer per node label / relationship type, opened (with its typed header) on first use."""

    def __init__(self, folder: Path, schema: Schema, files: CsvFiles) -> None:
        self.folder, self.schema, self.files = folder, schema, files
        self._open: dict[str, tuple[IO[str], Any]] = {}
        self.node_specs = {t: _specs(nt.properties, schema) for t, nt in schema.nodes.items()}
        self.rel_specs = {t: _specs(rt.properties, schema) for t, rt in schema.relationships.items()}

    def __enter__(self) -> _CsvWriters:
        return self

    def __exit__(self, *exc: object) -> None:
        for f, _ in self._open.values():
            f.close()

    def writer(self, kind: str, type_name: str) -> Any:
        key = f"{kind}-{type_name}"
        found = self._open.get(key)
        if found is None:
            path = self.folder / f"{key}.csv"
            f = open(path, "w", encoding="utf-8", newline="")  # noqa: SIM115 (closed by __exit__)
            w = csv.writer(f, lineterminator="\n")
            if kind == "nodes":
                w.writerow(node_columns(self.schema, type_name))
                self.files.nodes[type_name] = path
            else:
                w.writerow(rel_columns(self.schema, type_name))
                self.files.relationships[type_name] = path
            found = self._open[key] = (f, w)
        return found[1]

    def row(self, kind: str, type_name: str, row: list[str]) -> None:
        if not self.files.multiline and any("\n" in c or "\r" in c for c in row):
            self.files.multiline = True
        self.writer(kind, type_name).writerow(row)


@dataclass(frozen=True)
class _Specs:
    columns: tuple[str, ...]
    lists: tuple[bool, ...]
    list_props: frozenset[str]
    declared: frozenset[str]


def _specs(properties: Mapping[str, Any], schema: Schema) -> _Specs:
    props = _props_of(properties, schema)
    return _Specs(tuple(n for n, _, _ in props), tuple(lst for _, _, lst in props),
                  frozenset(n for n, s in properties.items() if s.is_list), frozenset(n for n, _, _ in props))


def _cells(owner: Callable[[], str], specs: _Specs, attrs: dict[str, Any]) -> list[str]:
    """The CSV cells of one element, as :func:`graph_model.bulk._cell` writes them (which names the element,
    ``owner()``, in a refusal); strings and lists of plain strings take a short cut."""
    if not attrs.keys() <= specs.declared:
        extra = sorted(set(attrs) - specs.declared)
        raise SchemaError(f"{owner()}: properties {extra} are not declared for the bulk import")
    out: list[str] = []
    for name, is_list in zip(specs.columns, specs.lists, strict=True):
        value = attrs.get(name)
        if value is None:
            out.append("")
        elif type(value) is str and not is_list:
            out.append(value)
        elif is_list and type(value) is list and all(type(v) is str and v and _DELIMITER not in v for v in value):
            out.append(_DELIMITER.join(value))
        else:
            out.append(_cell(owner(), name, value, is_list))
    return out


def _write_nodes(items: Iterator[tuple[Any, ...]], writers: _CsvWriters) -> int:
    grouped: dict[str, list[tuple[Any, ...]]] = {}
    for item in items:
        found = grouped.get(item[0])
        if found is None:
            grouped[item[0]] = [item]
        elif found[0][1] != item[1]:
            raise SchemaError(f"{item[1]}[{item[0]}]: id already used by a {found[0][1]} node")
        else:
            found.append(item)
    specs_of, row = writers.node_specs, writers.row
    for node_id, asserted in grouped.items():
        t = asserted[0][1]
        specs = specs_of[t]
        attrs = merge_assertions([a[2:] for a in asserted], specs.list_props)
        row("nodes", t, [node_id, *_cells(lambda: f"{t}[{node_id}]", specs, attrs)])  # noqa: B023 (called at once)
    return len(grouped)


def _write_rels(items: Iterator[tuple[Any, ...]], writers: _CsvWriters) -> int:
    grouped: dict[str, list[tuple[Any, ...]]] = {}
    for item in items:
        found = grouped.get(item[0])
        if found is None:
            grouped[item[0]] = [item]
        elif found[0][1:4] != item[1:4]:
            first = found[0]
            raise SchemaError(f"{item[1]}[{item[0]}]: id already used by {first[1]} {first[2]} -> {first[3]}")
        else:
            found.append(item)
    specs_of, row = writers.rel_specs, writers.row
    for rid, asserted in grouped.items():
        _, t, s, e = asserted[0][:4]
        specs = specs_of[t]
        attrs = merge_assertions([a[4:] for a in asserted], specs.list_props)
        row("rels", t, [s, e, rid, *_cells(lambda: f"{t}[{s} -> {e}]", specs, attrs)])  # noqa: B023 (called at once)
    return len(grouped)
