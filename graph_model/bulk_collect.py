"""The collect step of :mod:`graph_model.bulk`: records → validated assertions spilled to disk → CSV files.

Memory stays bounded at a national scale: nothing holds every node or relationship. The records are read
once (from a :class:`~ingest.store.RecordStore`, only the columns the build needs: the raw cells are not
decoded). Pass 1 turns each record into its node assertion (:func:`graph_model.build.record_node`, the
conversion of the upsert build), validates it (:class:`~graph_model.store._validate.BatchValidator`, as the
stores do) and appends it to one of ``buckets`` temporary files by a hash of its id; a record's links go
to a file of their own. Pass 2 reads the links back and turns them into relationship assertions
(:func:`graph_model.build.link_relationships`), validated (an end must be a node) and bucketed by id the
same way. Pass 3 (:mod:`graph_model.bulk_csv`) loads one bucket at a time, merges every id's assertions in
the order of the records with the merge rules of :mod:`graph_model.store._merge` in one go, so an id seen
ten thousand times is merged once, not copied ten thousand times, and writes the CSV rows.

Every pass of a record store runs in ``workers`` processes (:mod:`graph_model.bulk_parallel`: record-id
ranges in passes 1 and 2, buckets in pass 3); :func:`collect_csvs` over any iterable of records runs passes
1 and 2 in the caller's process. Peak memory ≈ the record → entity map of the records and the node id →
type map (in the caller, and the types in each pass-2 process) and one bucket per process.

Examples
--------
>>> _bucket_of("per:1", 64) == _bucket_of("per:1", 64)  # the same in every process
True
"""

from __future__ import annotations

import pickle
import time
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import orjson

from entity_resolution.ids import identifier_entity_id
from graph_model._gc import cyclic_gc_paused
from graph_model.build import BuildReport, identifier_props, link_relationships, record_node
from graph_model.bulk import CsvFiles
from graph_model.bulk_csv import BucketJob, merge_assertions, read_spill, write_buckets, write_headers
from graph_model.model import Schema
from graph_model.store._validate import BatchValidator
from graph_model.store.base import NodeRecord, Provenance, RelRecord
from ingest.records import RESOLVED_TYPES, Link, SourceRecord
from ingest.store import link_to_dict

__all__ = ["Collected", "collect_csvs", "lean_records", "merge_assertions"]

#: Columns of ``records.sqlite`` the build needs (not ``raw``, ``first_seen``, ``content_hash``, ...).
LEAN_COLUMNS = ("record_id", "agency", "source_file", "row", "exchange_id", "part", "entity_type", "key",
                "record_date", "props", "flags", "links", "ingested_at", "last_seen")
_CHUNK = 5000  # assertions validated at a time, and links written to their file at a time
_BUCKET_CHUNK = 1000  # assertions written to one bucket file at a time (64 buckets hold 64k at most)

#: A record and its links: a list of links, or the JSON text of ``records.sqlite`` (decoded in pass 2).
LeanRecord = tuple[SourceRecord, "list[Link] | str | None"]
#: Records in batches, each with the resolution that holds (at least) its records' entities.
Batches = Iterable[tuple[Mapping[str, str], Iterable[LeanRecord]]]


def lean_records(store: Any) -> Iterator[LeanRecord]:
    """The records of a :class:`~ingest.store.RecordStore` in record-id order (the order of
    ``iter_records``), without their raw cells, with their links as JSON text."""
    for rows in store.iter_rows(LEAN_COLUMNS):
        yield from lean_rows(rows)


def lean_rows(rows: Iterable[tuple[Any, ...]]) -> Iterator[LeanRecord]:
    """Records from rows of :data:`LEAN_COLUMNS`."""
    loads = orjson.loads
    for rid, agency, file, n, xid, part, etype, key, rdate, props, flags, links, ing, last in rows:
        record = SourceRecord(
            record_id=rid, agency=agency, source_file=file, row=n, exchange_id=xid, part=part,
            entity_type=etype, key=key, record_date=rdate, props=loads(props),
            flags=loads(flags) if flags != "[]" else [], ingested_at=ing, last_seen=last)
        yield record, (links if links != "[]" else None)


def _bucket_of(key: str, count: int) -> int:
    return zlib.crc32(key.encode()) % count  # not hash(): str hashes differ between processes


class _Buckets:
    """``count`` append-only files of pickled chunks; an item goes to the file of its key's bucket."""

    def __init__(self, folder: Path, prefix: str, count: int) -> None:
        self.paths = [folder / f"{prefix}-{i:04d}.pkl" for i in range(count)]
        self._files: list[IO[bytes]] = [open(p, "wb") for p in self.paths]  # noqa: SIM115
        self._pending: list[list[Any]] = [[] for _ in range(count)]

    def add(self, key: str, item: Any) -> None:
        i = zlib.crc32(key.encode()) % len(self.paths)
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


@dataclass
class Collected:
    """What the collect wrote: counts and the CSV files."""

    report: BuildReport
    files: CsvFiles
    nodes: int = 0
    relationships: int = 0
    #: CPU seconds of the worker processes, per step (``collect``: passes 1 and 2, ``csv``: pass 3); they
    #: are children of a fork server, so neither this process's nor its children's CPU time holds them.
    worker_cpu: dict[str, float] = field(default_factory=dict)


class _Spill:
    """Validates assertions in chunks (as a store validates a batch) and buckets them by id."""

    def __init__(self, validator: BatchValidator, nodes: _Buckets, rels: _Buckets | None,
                 types: dict[str, str]) -> None:
        self.validator, self.types = validator, types
        self.nodes, self.rels = nodes, rels
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
        if not self._rels:
            return
        assert self.rels is not None
        self.validator.check_rels(self._rels, self.types.get)
        add = self.rels.add
        for r in self._rels:
            src = r.sources[0]
            add(r.id, (r.id, r.type, r.source, r.target, r.props, src.agency, src.record_id, src.seen))
        self._rels = []

    def close(self) -> None:
        self.flush_nodes()
        self.flush_rels()
        self.nodes.close()
        if self.rels is not None:
            self.rels.close()


@dataclass
class Learned:
    """What pass 1 learns of its records: each node id's type, each record's entity, the entity first giving
    each national ID / company registration; the node buckets and links file it wrote."""

    report: BuildReport = field(default_factory=BuildReport)
    types: dict[str, str] = field(default_factory=dict)
    entity_of_record: dict[str, str] = field(default_factory=dict)
    by_id_no: dict[str, str] = field(default_factory=dict)
    node_paths: list[Path] = field(default_factory=list)
    links_path: Path | None = None
    #: Identifiers that some link of these records brings with their required properties (id → type), and
    #: the records that links point to by record id: what pass 2 of later records needs (``find_targets``).
    targets: dict[str, str] = field(default_factory=dict)
    referenced: set[str] = field(default_factory=set)
    cpu_seconds: float = 0.0

    def extend(self, later: Learned) -> None:
        """Add what pass 1 learnt of later records (as if it had read them after these)."""
        self.report.records += later.report.records
        self.report.skipped.update(later.report.skipped)
        self.report.examples = (self.report.examples + later.report.examples)[:20]
        self.types.update(later.types)  # the last record's type, as in one pass
        self.entity_of_record.update(later.entity_of_record)
        for id_no, eid in later.by_id_no.items():
            self.by_id_no.setdefault(id_no, eid)  # the first record's entity, as in one pass


def pass1(batches: Batches, schema: Schema, spill_dir: Path, prefix: str, buckets: int,
          progress: Callable[[str], None] = lambda _: None, find_targets: bool = False) -> Learned:
    """Pass 1 over ``batches``: node assertions to ``<prefix>-nodes-*`` buckets, links to ``<prefix>-links``
    (with ``find_targets``, also the links' valid identifier targets and referenced records)."""
    learned = Learned(links_path=spill_dir / f"{prefix}-links.pkl")
    note_targets = _TargetFinder(schema, learned) if find_targets else None
    spill = _Spill(BatchValidator(schema), _Buckets(spill_dir, f"{prefix}-nodes", buckets), None, learned.types)
    report, types, entity_of_record, by_id_no = (learned.report, learned.types, learned.entity_of_record,
                                                  learned.by_id_no)
    n = 0
    assert learned.links_path is not None
    with open(learned.links_path, "wb") as links_file:
        pending: list[Any] = []
        for resolution, records in batches:
            for record, links in records:
                n += 1
                node = record_node(record, resolution, schema, report, types, entity_of_record, by_id_no)
                spill.add_node(node.id, node)
                if links:
                    src = node.sources[0]
                    pending.append((node.id, src.agency, src.record_id, src.seen, record.locator, links))
                    if note_targets is not None:
                        note_targets(links, record.locator)
                    if len(pending) >= _CHUNK:
                        pickle.dump(pending, links_file, protocol=pickle.HIGHEST_PROTOCOL)
                        pending = []
                if n % 500_000 == 0:
                    progress(f"pass 1: {n:,} records")
        pickle.dump(pending, links_file, protocol=pickle.HIGHEST_PROTOCOL)
    spill.close()
    report.records = n
    learned.node_paths = spill.nodes.paths
    return learned


class _TargetFinder:
    """Notes what pass 2 of later records needs to know of these records' links: the identifiers first met as
    link targets that one of them brings with the required properties (a link without them is left out
    only while no earlier link brought the node), and the records that links point to by record id."""

    def __init__(self, schema: Schema, learned: Learned) -> None:
        self.schema, self.targets, self.referenced = schema, learned.targets, learned.referenced
        self._scratch = BuildReport()  # pass 2 counts what is left out, not this look-ahead

    def __call__(self, links: list[Link] | str, locator: str) -> None:
        for d in orjson.loads(links) if isinstance(links, str) else map(link_to_dict, links):
            if rid := d.get("target_record_id"):
                self.referenced.add(rid)
            elif (kind := d.get("target_type")) and (key := d.get("target_key")) and kind not in RESOLVED_TYPES:
                target = identifier_entity_id(kind, key)
                if target not in self.targets and not identifier_props(
                        self.schema, kind, target, d.get("target_props") or {}, self._scratch, locator)[1]:
                    self.targets[target] = kind


@dataclass
class Pass2Job:
    """Pass 2 of one record-id range: its links file, what pass 1 of all records learnt (a pickle file, or
    the objects), the identifier nodes earlier ranges bring, and where the buckets go."""

    links_path: Path
    state: Path | Learned
    earlier_targets: dict[str, str]
    schema: Schema
    spill_dir: Path
    prefix: str
    buckets: int


@dataclass
class Pass2Done:
    """What pass 2 of one range wrote and left out."""

    report: BuildReport
    node_paths: list[Path]
    rel_paths: list[Path]
    new_nodes: int
    cpu_seconds: float = 0.0


_state: dict[Path, tuple[dict[str, str], dict[str, str], dict[str, str]]] = {}


def _load_state(path: Path) -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """What pass 1 learnt, as pickled by :func:`finish`: read once per worker process (for its later jobs)."""
    if path not in _state:
        _state.clear()
        with open(path, "rb") as f:
            _state[path] = pickle.load(f)
    return _state[path]


def pass2(job: Pass2Job) -> Pass2Done:
    """Pass 2 over the links of one range in record order: relationship assertions to ``<prefix>-rels-*``
    buckets, the identifiers first met as link targets (and not brought by an earlier range) to
    ``<prefix>-targets-*``. Runs in a worker process or in the caller's."""
    started = time.process_time()
    with cyclic_gc_paused():
        if isinstance(job.state, Path):
            shared_types, entity_of_record, by_id_no = _load_state(job.state)
            types = dict(shared_types)  # this range's link targets are added: not seen by the next job
        else:
            types, entity_of_record, by_id_no = job.state.types, job.state.entity_of_record, job.state.by_id_no
        for target, type_name in job.earlier_targets.items():
            types.setdefault(target, type_name)
        before = len(types)
        report = BuildReport()
        spill = _Spill(BatchValidator(job.schema), _Buckets(job.spill_dir, f"{job.prefix}-targets", job.buckets),
                       _Buckets(job.spill_dir, f"{job.prefix}-rels", job.buckets), types)
        for source, agency, rid, seen, locator, links in read_spill(job.links_path):
            if isinstance(links, str):
                links = [Link(**d) for d in orjson.loads(links)]
            for rel in link_relationships(source, Provenance(agency, rid, seen), locator, links, entity_of_record,
                                          types, by_id_no, spill.add_node, job.schema, report):
                spill.add_rel(rel)
        spill.close()
        assert spill.rels is not None
        new_nodes = len(types) - before
        return Pass2Done(report, spill.nodes.paths, spill.rels.paths, new_nodes, time.process_time() - started)


def collect_csvs(records: Iterable[LeanRecord], resolution: Mapping[str, str], schema: Schema, folder: Path,
                 *, buckets: int = 64, workers: int = 1, progress: Callable[[str], None] = lambda _: None,
                 collected: Callable[[], None] = lambda: None) -> Collected:
    """Convert, validate and spill ``records`` (passes 1 and 2, in this process), call ``collected()``, then
    merge each bucket and write the CSV files of every node label and relationship type into ``folder``
    (pass 3, in ``workers`` processes).

    The CSV files equal those of the upsert build's graph: same conversion, same validation, same merge
    order (the order of ``records``). Spill files go to ``folder/spill`` and are removed as they are read.
    The cyclic garbage collector is paused meanwhile: millions of live acyclic objects made its passes
    the larger part of the CPU time.
    """
    spill_dir = _spill_dir(folder)
    with cyclic_gc_paused():
        learned = pass1([(resolution, records)], schema, spill_dir, "r00", buckets, progress)
    return finish([learned], schema, folder, buckets, workers, progress, collected)


def _spill_dir(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    spill_dir = folder / "spill"
    spill_dir.mkdir(exist_ok=True)
    return spill_dir


def _extend_report(report: BuildReport, later: BuildReport) -> None:
    report.skipped.update(later.skipped)
    report.examples = (report.examples + later.examples)[:20]


def finish(parts: list[Learned], schema: Schema, folder: Path, buckets: int, workers: int,
           progress: Callable[[str], None], collected: Callable[[], None]) -> Collected:
    """Join what pass 1 learnt of each record-id range (``parts``, in record order), run pass 2 (one process
    per range when there are several), then pass 3 in ``workers`` processes."""
    from graph_model.bulk_parallel import run_in_processes

    spill_dir = folder / "spill"
    learned = parts[0]
    for later in parts[1:]:
        learned.extend(later)
        for table in (later.types, later.entity_of_record, later.by_id_no):
            table.clear()
    jobs: list[Pass2Job] = []
    worker_cpu = {"collect": sum(p.cpu_seconds for p in parts) if len(parts) > 1 else 0.0}
    if len(parts) > 1:
        progress(f"pass 1: CPU s per range {', '.join(f'{p.cpu_seconds:.1f}' for p in parts)}")
    if len(parts) == 1:
        assert learned.links_path is not None
        done = [pass2(Pass2Job(learned.links_path, learned, {}, schema, spill_dir, "r00", buckets))]
    else:
        referenced = set().union(*(p.referenced for p in parts))
        state = spill_dir / "pass2-state.pkl"
        with open(state, "wb") as f:
            entities = {r: e for r in referenced if (e := learned.entity_of_record.get(r)) is not None}
            pickle.dump((learned.types, entities, learned.by_id_no), f, protocol=pickle.HIGHEST_PROTOCOL)
        earlier: dict[str, str] = {}
        for k, part in enumerate(parts):
            assert part.links_path is not None
            jobs.append(Pass2Job(part.links_path, state, dict(earlier), schema, spill_dir, f"r{k:02d}", buckets))
            earlier.update((t, ty) for t, ty in part.targets.items() if t not in learned.types)
        progress(f"pass 2: {len(jobs)} ranges in {min(len(jobs), workers)} processes")
        done = run_in_processes(pass2, jobs, workers)
        worker_cpu["collect"] += sum(d.cpu_seconds for d in done)
        progress(f"pass 2: CPU s per range {', '.join(f'{d.cpu_seconds:.1f}' for d in done)}")
        state.unlink()
    report = learned.report
    for d in done:
        _extend_report(report, d.report)
    nodes = len(learned.types) + sum(d.new_nodes for d in done)
    for table in (learned.types, learned.entity_of_record, learned.by_id_no):
        table.clear()  # not needed by pass 3
    progress(f"pass 2: {nodes:,} nodes; merging {buckets} buckets in {workers} process(es)")
    collected()
    node_files = [*(p.node_paths for p in parts), *(d.node_paths for d in done)]  # pass 1's, then link targets
    by_bucket = [[paths[i] for paths in node_files] for i in range(buckets)]
    rels_by_bucket = [[d.rel_paths[i] for d in done] for i in range(buckets)]
    bucket_jobs = [BucketJob(folder, w, schema, by_bucket[w::workers], rels_by_bucket[w::workers])
                   for w in range(max(1, workers))]
    written = [write_buckets(bucket_jobs[0])] if len(bucket_jobs) == 1 else run_in_processes(write_buckets,
                                                                                            bucket_jobs)
    spill_dir.rmdir()
    worker_cpu["csv"] = sum(w.cpu_seconds for w in written) if len(written) > 1 else 0.0
    if len(written) > 1:
        progress(f"pass 3: CPU s per process {', '.join(f'{w.cpu_seconds:.1f}' for w in written)}")
    out = Collected(report, CsvFiles(), worker_cpu=worker_cpu)
    headers = write_headers(folder, schema, [k for w in written for k in w.parts])
    for (kind, type_name), header in headers.items():
        files = [header, *(w.parts[kind, type_name] for w in written if (kind, type_name) in w.parts)]
        (out.files.nodes if kind == "nodes" else out.files.relationships)[type_name] = files
    out.files.multiline = any(w.multiline for w in written)
    out.nodes, out.relationships = sum(w.nodes for w in written), sum(w.relationships for w in written)
    report.nodes, report.relationships = out.nodes, out.relationships
    return out
