"""Ingest files on several cores: each file cut into chunks of rows that a ``fork`` pool maps and stores.

The parent reads every file once, in order, and gives each row its stable ``#n`` suffix for a repeated key
(so record ids are those of a sequential run) and quarantines rows whose key cannot be read; workers turn
chunks of rows into records and write them to the record store (SQLite under WAL, one transaction per
chunk). Results come back in submission order, so quarantine files list rows in file order. Files of the
same mapping can share record ids, so such a file starts only when the earlier one is stored: the later
file wins, as in a sequential run.

Examples
--------
>>> import tempfile, pathlib
>>> from ingest.mapping import load_mappings
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> _ = (d / "amlo_transactions.csv").write_text(
...     "txn_id,timestamp,from_bank,from_account,to_bank,to_account,amount_thb,channel,memo\\n"
...     "T1,2018-08-15T10:30:00+07:00,004,1234567890,014,9876543210,500,MOBILE,\\n"
...     "T1,2018-08-15T10:30:00+07:00,004,1234567890,014,9876543210,500,MOBILE,\\n"
...     ",2018-08-15T10:30:00+07:00,004,1234567890,014,9876543210,500,MOBILE,\\n", encoding="utf-8")
>>> m = load_mappings()["amlo_transactions"]
>>> [r] = ingest_files([(d / "amlo_transactions.csv", m)], d / "ws", "run", "2026-11-26", workers=2,
...                    chunk_rows=2)
>>> r.read, r.loaded, r.quarantined, r.records
(3, 2, 1, 4)
"""

from __future__ import annotations

import gc
import multiprocessing as mp
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from multiprocessing.pool import AsyncResult
from pathlib import Path
from typing import Any

from ingest.mapping import Mapping, RowError, row_keys
from ingest.mapping.columnar import Item, map_chunk
from ingest.quarantine import Quarantine
from ingest.readers import read_rows
from ingest.report import FileReport
from ingest.store import RecordStore

__all__ = ["ingest_files", "keyed_rows", "paused_gc"]

#: What a worker sends back: file index, read, loaded, records, inserted, updated, unchanged, bad rows.
Result = tuple[int, int, int, int, int, int, int, list[tuple[int, str, str, dict[str, Any]]]]

# Set in the parent just before the pool forks: (files, workspace, run id, run date, ingest time).
_JOB: tuple[list[tuple[Path, Mapping]], Path, str, str, str] | None = None


@contextmanager
def paused_gc() -> Iterator[None]:
    """No cyclic garbage collection inside the block (re-enabled after, if it was on).

    Mapping a chunk allocates millions of small acyclic objects (dicts, lists, records) next to large
    caches: the collector's full passes found nothing to free and cost about a third of the CPU.
    Reference counting still frees everything as usual.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


#: A worker collects cyclic garbage once every this many chunks (its collector is off in between). Mapping
#: and storing make none (a collection after each of the four big exports of the 100k world found 0
#: objects), but a pass looks at every object the worker made since the last one, its caches included:
#: ~0.47 CPU s per worker at chunk 64 of the 100k world. So it is a rare guard against a cycle on some
#: unusual path (once per ~1M rows per worker), not a routine step.
_COLLECT_EVERY = 512
_chunks_mapped = [0]


def _start_worker() -> None:
    """Worker start: no automatic cyclic garbage collection (:func:`_map_chunk` collects now and then).

    With the collector only paused while a chunk was mapped and stored (:func:`paused_gc`), the first
    allocation after it was switched on again ran a collection over every object of the chunk still
    alive, its records among them: about 10 us per record of the population export, for nothing, as
    mapping makes no reference cycles (a collection after a chunk finds no garbage). What the parent
    built before the fork is frozen out of every collection.
    """
    gc.disable()
    gc.freeze()


def _map_chunk(task: tuple[int, list[Item], list[tuple[str, ...]]]) -> Result:
    """Worker: map one chunk of one file and store its records in one transaction."""
    _chunks_mapped[0] += 1
    if _chunks_mapped[0] % _COLLECT_EVERY == 0:  # between chunks: only what outlives a chunk is looked at
        gc.collect()
        gc.freeze()
    assert _JOB is not None, "ingest.parallel workers run only inside ingest_files"
    files, workspace, run_id, run_date, now = _JOB
    index, items, keys = task
    path, mapping = files[index]
    # column by column where the mapping allows it, else row by row (same records either way)
    records, bad, loaded = map_chunk(mapping, items, source_file=path.name, row_keys_read=keys)
    with RecordStore(workspace) as store:
        counts = store.upsert(records, run_id=run_id, run_date=run_date, now=now)
    return index, len(items), loaded, len(records), counts.inserted, counts.updated, counts.unchanged, bad


def keyed_rows(path: Path, mapping: Mapping) -> Iterator[tuple[Item, tuple[str, ...]]]:
    """The file's rows in order, each with its ``#n`` suffix (a repeated key) or its key error, and its
    :func:`~ingest.mapping.row_keys` (empty for a key error), so that mapping need not read them again."""
    seen: dict[tuple[str, ...], int] = {}
    for n, row in read_rows(path, mapping.format, mapping.encoding, mapping.sheet, mapping.delimiter):
        try:
            keys = tuple(row_keys(mapping, row))
        except RowError as exc:
            yield (n, row, (), (exc.field, exc.reason)), ()
        else:
            occurrence = seen[keys] = seen.get(keys, 0) + 1  # a repeated key gets a stable "#n" suffix
            yield (n, row, (f"#{occurrence}",) if occurrence > 1 else (), None), keys


def _chunks(index: int, path: Path, mapping: Mapping,
            chunk_rows: int) -> Iterator[tuple[int, list[Item], list[tuple[str, ...]]]]:
    """The file's :func:`keyed_rows` in chunks of ``chunk_rows`` (items, and their keys beside)."""
    chunk: list[Item] = []
    keys: list[tuple[str, ...]] = []
    for item, row_keys_read in keyed_rows(path, mapping):
        chunk.append(item)
        keys.append(row_keys_read)
        if len(chunk) >= chunk_rows:
            yield index, chunk, keys
            chunk, keys = [], []
    if chunk:
        yield index, chunk, keys


def ingest_files(plan: list[tuple[Path, Mapping]], workspace: Path, run_id: str, run_date: str, *,
                 workers: int = 2, chunk_rows: int = 2000, quarantine: Quarantine | None = None,
                 progress: Callable[[FileReport], None] | None = None) -> list[FileReport]:
    """Read, map and store the (already checked) files of ``plan`` with ``workers`` processes.

    Returns one :class:`FileReport` per file in plan order (``progress`` gets each as it completes);
    bad rows go to ``quarantine`` (default: the run's quarantine folder of ``workspace``).
    """
    global _JOB
    from ingest.types.names.romanise import _single_threaded_onnx, _table, shared_romanisations

    _table()  # the romanisation table loads once, before the fork, and is shared by the workers
    # so do the model's sessions (~0.18 CPU s to build, once instead of once per worker; they start no
    # thread, so the fork is safe); the parent runs them itself for the DGA envelopes after the files
    _single_threaded_onnx()
    now = datetime.now(UTC).isoformat(timespec="seconds")
    reports = [FileReport(file=p.name, mapping=m.name) for p, m in plan]
    started = [0.0] * len(plan)
    pending = [0] * len(plan)
    q = quarantine or Quarantine(workspace, run_id)
    RecordStore(workspace).close()  # schema and WAL set up once, not raced by the workers
    _JOB = (plan, workspace, run_id, run_date, now)
    try:  # with the model's romanisations shared: a token's model run made by one worker
        with shared_romanisations(), paused_gc(), mp.get_context("fork").Pool(
                workers, initializer=_start_worker) as pool:
            window: deque[AsyncResult[Result]] = deque()

            def collect() -> None:
                index, read, loaded, records, inserted, updated, unchanged, bad = window.popleft().get()
                fr = reports[index]
                fr.read += read
                fr.loaded += loaded
                fr.quarantined += len(bad)
                fr.records += records
                fr.inserted += inserted
                fr.updated += updated
                fr.unchanged += unchanged
                for n, field, reason, row in bad:
                    q.add(fr.file, n, field, reason, row)
                pending[index] -= 1
                if pending[index] == 0:
                    _finish(fr, q, started[index])
                    if progress:
                        progress(fr)

            mappings_done: set[str] = set()
            for index, (path, mapping) in enumerate(plan):
                if mapping.name in mappings_done:  # same record ids possible: the earlier file goes first
                    while window:
                        collect()
                mappings_done.add(mapping.name)
                started[index] = time.perf_counter()
                pending[index] += 1  # held until every chunk is submitted
                for task in _chunks(index, path, mapping, chunk_rows):
                    pending[index] += 1
                    window.append(pool.apply_async(_map_chunk, (task,)))
                    while len(window) > 2 * workers:
                        collect()
                pending[index] -= 1
                if pending[index] == 0:  # an empty file
                    _finish(reports[index], q, started[index])
                    if progress:
                        progress(reports[index])
            while window:
                collect()
    finally:
        _JOB = None
        if quarantine is None:
            q.close()
    return reports


def _finish(fr: FileReport, q: Quarantine, started: float) -> None:
    assert fr.loaded + fr.quarantined == fr.read, fr
    if fr.quarantined:
        fr.quarantine_file = str(q.path_for(fr.file))
    fr.seconds = time.perf_counter() - started
