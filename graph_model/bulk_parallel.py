"""The bulk collect of a record store on several cores (:mod:`graph_model.bulk_collect`).

Pass 1 (record → validated node assertion) needs nothing but the record and its resolution, so the records
are cut into ``workers`` x :data:`RANGES_PER_WORKER` ranges of record ids, each read and converted by the
next free process into its own spill files. What each range learnt (node types, record → entity, the
first holder of each national ID) is joined in record-id order, range after range, which gives what one
pass over all records gives. Pass 2 (links → relationships) runs per range too: the only thing it learns
as it goes, the identifiers first met as link targets, is known ahead from pass 1 (which identifiers each
range's links bring with their required properties), so a range starts from the node types of all
records plus the link-target identifiers of the ranges before it, as one pass would. Pass 3 merges the
buckets in ``workers`` processes, reading each bucket's files range after range: the order of the
records, so the CSV files equal the serial collect's.

The processes come from a ``forkserver`` (:func:`run_in_processes`), never forked from the caller.

Examples
--------
>>> run_in_processes(abs, [-1, 2, -3])
[1, 2, 3]
"""

from __future__ import annotations

import itertools
import multiprocessing
import sqlite3
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from graph_model._gc import cyclic_gc_paused
from graph_model.bulk_collect import LEAN_COLUMNS, Collected, Learned, _spill_dir, finish, lean_rows, pass1
from graph_model.model import Schema
from graph_model.record_entities import RecordEntities

__all__ = ["collect_store", "run_in_processes"]

T = TypeVar("T")
R = TypeVar("R")
_BATCH = 20_000  # rows read (and resolved) at a time
#: Record-id ranges per process: the sources' records (ids begin with the source's name) differ in cost,
#: twice over for the links of pass 2 (at 100k, 2 ranges took 3.5 and 7.3 CPU s); more, smaller ranges,
#: each taken by the next free process, even the processes out.
RANGES_PER_WORKER = 4


def run_in_processes(fn: Callable[[T], R], jobs: Sequence[T], processes: int | None = None) -> list[R]:
    """``[fn(job) for job in jobs]`` in ``processes`` processes (default: one per job), each taking the next
    job when done with one; an exception is raised here.

    The processes are forked from a fresh server process that has imported the collect's modules once
    (``forkserver``), not from this one: a copy of a caller holding millions of objects would be counted
    (and, as reference counts change, copied) once more, and a fresh interpreter per job would import them
    again (1.2 CPU s each)."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["graph_model.bulk_collect", "graph_model.bulk_parallel"])
    with ProcessPoolExecutor(max_workers=min(len(jobs), processes or len(jobs)), mp_context=context) as pool:
        futures = [pool.submit(fn, job) for job in jobs]
        return [f.result() for f in futures]


@dataclass
class _RangeJob:
    database: Path
    low: str | None
    high: str | None
    resolution: Mapping[str, str]
    schema: Schema
    spill_dir: Path
    prefix: str
    buckets: int


def _split_points(database: Path, parts: int) -> list[str | None]:
    """``parts + 1`` record-id bounds (None: open) cutting the records into ranges of about equal size."""
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as conn:
        count = conn.execute("SELECT count(*) FROM records").fetchone()[0]
        inner = [conn.execute("SELECT record_id FROM records ORDER BY record_id LIMIT 1 OFFSET ?",
                              (count * k // parts,)).fetchone() for k in range(1, parts)]
    cuts = sorted({row[0] for row in inner if row is not None})
    return [None, *cuts, None]


def _batches(job: _RangeJob) -> Iterator[tuple[Mapping[str, str], Iterator[Any]]]:
    where, args = [], []
    if job.low is not None:
        where.append("record_id >= ?")
        args.append(job.low)
    if job.high is not None:
        where.append("record_id < ?")
        args.append(job.high)
    sql = (f"SELECT {', '.join(LEAN_COLUMNS)} FROM records"
           f"{' WHERE ' + ' AND '.join(where) if where else ''} ORDER BY record_id")
    conn = sqlite3.connect(f"file:{job.database}?mode=ro", uri=True)
    try:
        cursor = conn.execute(sql, args)
        resolution = job.resolution
        many = resolution.get_many if isinstance(resolution, RecordEntities) else None
        while rows := cursor.fetchmany(_BATCH):
            yield (many([r[0] for r in rows]) if many else resolution), lean_rows(rows)
    finally:
        conn.close()


def _pass1_range(job: _RangeJob) -> Learned:
    started = time.process_time()
    with cyclic_gc_paused():
        learned = pass1(_batches(job), job.schema, job.spill_dir, job.prefix, job.buckets, find_targets=True)
    learned.cpu_seconds = time.process_time() - started
    return learned


def _resolution_between(resolution: Mapping[str, str], low: str | None, high: str | None) -> Mapping[str, str]:
    if isinstance(resolution, RecordEntities):
        return resolution.between(low, high)
    return {k: v for k, v in resolution.items() if (low is None or k >= low) and (high is None or k < high)}


def collect_store(database: Path, resolution: Mapping[str, str], schema: Schema, folder: Path, *,
                  workers: int = 2, buckets: int = 64, progress: Callable[[str], None] = lambda _: None,
                  collected: Callable[[], None] = lambda: None) -> Collected:
    """The collect of :func:`graph_model.bulk_collect.collect_csvs` over the records of ``database`` (a
    ``records.sqlite``, read only) in record-id order, every pass in ``workers`` processes (passes 1 and 2
    over ``workers`` x :data:`RANGES_PER_WORKER` record-id ranges).

    ``resolution`` is best a :class:`~graph_model.record_entities.RecordEntities` (each process gets the
    slice of its range); a dict is cut into ranges here.
    """
    spill_dir = _spill_dir(folder)
    bounds = _split_points(database, 1 if workers <= 1 else workers * RANGES_PER_WORKER)
    jobs = [_RangeJob(database, low, high, _resolution_between(resolution, low, high), schema, spill_dir,
                      f"r{k:02d}", buckets) for k, (low, high) in enumerate(itertools.pairwise(bounds))]
    progress(f"pass 1: {len(jobs)} record-id range(s) in {min(len(jobs), max(1, workers))} process(es)")
    parts = run_in_processes(_pass1_range, jobs, workers) if len(jobs) > 1 else [_pass1_range(jobs[0])]
    progress(f"pass 1: {sum(p.report.records for p in parts):,} records")
    return finish(parts, schema, folder, buckets, workers, progress, collected)
