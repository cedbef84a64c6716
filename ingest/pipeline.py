"""Ingest exports into the record store: pick the mapping, refuse bad files, quarantine bad rows, count.

Every file is checked before anything of it is written: a file with no fitting mapping, a missing sheet or
missing required columns is refused with one message naming the file and what is missing. Every loaded
file reports read, loaded and quarantined rows, and ``loaded + quarantined == read`` always holds.

Examples
--------
>>> import tempfile, pathlib
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> _ = (d / "amlo_transactions.csv").write_text(
...     "txn_id,timestamp,from_bank,from_account,to_bank,to_account,amount_thb,channel,memo\\n"
...     "T1,2018-08-15T10:30:00+07:00,004,1234567890,014,9876543210,500,MOBILE,\\n"
...     "T2,not a time,004,1234567890,014,9876543210,500,MOBILE,\\n", encoding="utf-8")
>>> report = ingest_path(d, d / "ws", progress=None)
>>> f = report.files[0]
>>> f.read, f.loaded, f.quarantined, f.records
(2, 1, 1, 2)
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Collection, Sequence
from collections.abc import Mapping as Mapping_
from contextlib import nullcontext
from datetime import UTC, datetime
from pathlib import Path

from ingest.mapping import Mapping, MappingError, load_mappings
from ingest.mapping.columnar import Item, map_chunk
from ingest.parallel import keyed_rows, paused_gc
from ingest.quarantine import Quarantine
from ingest.readers import ReaderError, detect_format, read_header
from ingest.records import SourceRecord
from ingest.report import FileReport, IngestReport, RefusedFile
from ingest.store import RecordStore
from ingest.types.names.romanise import shared_romanisations

__all__ = ["FileReport", "IngestReport", "RefusedFile", "check_file", "ingest_envelopes", "ingest_file",
           "ingest_path", "select_mapping"]

Progress = Callable[[str], None]
KeySource = Mapping_[str, str] | str | Path
_NOT_DATA = frozenset({"keys.json"})  # the DGA key registry sits beside the envelopes, it is not an export
_DATA_SUFFIXES = (".csv", ".xlsx", ".json", ".jsonl", ".ndjson", ".txt", ".tsv")


def select_mapping(path: Path, mappings: dict[str, Mapping]) -> Mapping:
    """The mapping of ``path``: by file name pattern, else by layout (all required columns present).

    Raise :class:`RefusedFile` naming the file when no mapping fits.
    """
    by_name = [m for m in mappings.values() if m.matches(path.name)]
    if len(by_name) == 1:
        return by_name[0]
    try:
        fmt = detect_format(path)
    except ReaderError as exc:
        raise RefusedFile(str(exc)) from None
    candidates = by_name or [m for m in mappings.values() if m.kind == "file" and m.format == fmt]
    try:
        header = set(read_header(path, fmt))
    except (ReaderError, OSError, UnicodeDecodeError) as exc:
        raise RefusedFile(f"{path.name}: cannot read its header: {exc}") from None
    fitting = [m for m in candidates if m.required and set(m.required) <= header]
    if fitting:
        return max(fitting, key=lambda m: len(m.required))
    if len(by_name) > 1:
        return by_name[0]
    raise RefusedFile(f"{path.name}: unknown layout: no mapping matches its name and none has all its "
                      f"required columns among {sorted(header)}")


def check_file(path: Path, mapping: Mapping) -> None:
    """Refuse ``path`` (:class:`RefusedFile`, one message) when its sheet or required columns are missing."""
    try:
        header = read_header(path, mapping.format, mapping.encoding, mapping.sheet, mapping.delimiter)
    except (ReaderError, OSError, UnicodeDecodeError) as exc:
        raise RefusedFile(f"{path.name} (mapping {mapping.name}): {exc}") from None
    missing = [c for c in mapping.required if c not in header]
    if missing:
        raise RefusedFile(f"{path.name} (mapping {mapping.name}): missing required columns {missing}; "
                          f"found {header}")


def ingest_file(path: Path, mapping: Mapping, store: RecordStore, quarantine: Quarantine, run_id: str,
                run_date: str, batch: int = 20_000, chunk_rows: int = 2000) -> FileReport:
    """Read, map and store one (already checked) file; quarantine its bad rows.

    Rows are mapped ``chunk_rows`` at a time (:func:`ingest.mapping.columnar.map_chunk`: column by column
    where the mapping allows it), bad rows quarantined in file order.
    """
    started = time.perf_counter()
    report = FileReport(file=path.name, mapping=mapping.name)
    now = datetime.now(UTC).isoformat(timespec="seconds")
    pending: list[SourceRecord] = []

    def flush() -> None:
        counts = store.upsert(pending, run_id=run_id, run_date=run_date, now=now)
        report.inserted += counts.inserted
        report.updated += counts.updated
        report.unchanged += counts.unchanged
        pending.clear()

    chunk: list[Item] = []
    keys: list[tuple[str, ...]] = []

    def map_rows() -> None:
        records, bad, loaded = map_chunk(mapping, chunk, source_file=path.name, row_keys_read=keys)
        for n, field, reason, row in bad:
            quarantine.add(path.name, n, field, reason, row)
        report.quarantined += len(bad)
        report.loaded += loaded
        report.records += len(records)
        pending.extend(records)
        chunk.clear()
        keys.clear()
        if len(pending) >= batch:
            flush()

    with paused_gc():
        for item, row_keys_read in keyed_rows(path, mapping):
            report.read += 1
            chunk.append(item)
            keys.append(row_keys_read)
            if len(chunk) >= chunk_rows:
                map_rows()
        if chunk:
            map_rows()
    flush()
    assert report.loaded + report.quarantined == report.read, report
    if report.quarantined:
        report.quarantine_file = str(quarantine.path_for(path.name))
    report.seconds = time.perf_counter() - started
    return report


def ingest_envelopes(path: Path, workspace: Path, keys: KeySource, run_id: str, run_date: str,
                     mappings: dict[str, Mapping]) -> FileReport:
    """Load a file of DGA envelopes through :func:`ingest.exchange.receive`; refused envelopes count as
    quarantined (kept in ``exchange/rejected.jsonl``), already-taken ones as loaded (and as duplicates)."""
    from ingest.exchange import receive

    started = time.perf_counter()
    with open(path, encoding="utf-8") as fh:
        results = receive(fh, keys, workspace, mappings=mappings, run_date=run_date, run_id=run_id)
    report = FileReport(file=path.name, mapping="dga_exchange", read=len(results))
    for r in results:
        if r.status == "rejected":
            report.quarantined += 1
        else:
            report.loaded += 1
            report.duplicates += r.status == "duplicate"
            report.records += len(r.record_ids)
    report.inserted = sum(len(r.record_ids) for r in results if r.status == "loaded")
    assert report.loaded + report.quarantined == report.read, report
    if report.quarantined:
        report.quarantine_file = str(workspace / "exchange" / "rejected.jsonl")
    report.seconds = time.perf_counter() - started
    return report


def _keys_for(path: Path, keys: KeySource | None) -> KeySource:
    if keys is not None:
        return keys
    beside = path.parent / "keys.json"
    if beside.exists():
        return beside
    raise RefusedFile(f"{path.name}: DGA envelopes need a key registry (keys=..., or keys.json beside the file)")


def _files(path: Path) -> list[Path]:
    if path.is_file():
        return [path]
    found = [p for p in sorted(path.rglob("*"))
             if p.is_file() and p.suffix.lower() in _DATA_SUFFIXES and p.name not in _NOT_DATA]
    return sorted(found, key=lambda p: -p.stat().st_size)  # big files first: workers finish together


def ingest_path(
    path: str | Path,
    workspace: str | Path,
    *,
    mappings: dict[str, Mapping] | None = None,
    mappings_dir: str | Path | None = None,
    run_date: str | None = None,
    run_id: str | None = None,
    workers: int = 1,
    progress: Progress | None = print,
    only: Sequence[str] | None = None,
    keys: KeySource | None = None,
    skip_names: Collection[str] = (),
) -> IngestReport:
    """Ingest a file or a directory of exports into ``<workspace>/records.sqlite``.

    ``run_date`` (ISO date, default today in UTC) is the seen date written to first/last seen;
    ``workers`` > 1 maps chunks of rows in that many processes (:mod:`ingest.parallel`, same record ids);
    ``only`` limits to these mapping names; ``keys``
    is the DGA key registry (a dict or a JSON file; default ``keys.json`` beside an envelopes file);
    files named in ``skip_names`` are left alone.
    Refused files are listed in ``report.refused`` (each with its one message) and nothing of them is
    written; the other files load.
    """
    started = time.perf_counter()
    path, workspace = Path(path), Path(workspace)
    now = datetime.now(UTC)
    run_date = run_date or now.date().isoformat()
    run_id = run_id or f"{now.strftime('%Y%m%dT%H%M%S')}-{uuid.uuid4().hex[:6]}"
    try:
        mappings = mappings if mappings is not None else load_mappings(mappings_dir)
    except MappingError as exc:
        raise RefusedFile(str(exc)) from None
    report = IngestReport(run_id=run_id, run_date=run_date)
    plan: list[tuple[Path, Mapping]] = []
    envelopes: list[tuple[Path, KeySource]] = []
    for file in _files(path):
        if file.name in skip_names:
            continue
        try:
            mapping = select_mapping(file, mappings)
            if only is not None and mapping.name not in only:
                continue
            check_file(file, mapping)
            if mapping.kind == "exchange":
                envelopes.append((file, _keys_for(file, keys)))
                continue
        except RefusedFile as exc:
            report.refused.append(FileReport(file=file.name, refused=str(exc)))
            if progress:
                progress(f"REFUSED {exc}")
            continue
        plan.append((file, mapping))
    workspace.mkdir(parents=True, exist_ok=True)
    # the workers' romanisations stay shared for the envelopes that this process maps after them
    with shared_romanisations() if workers > 1 and plan else nullcontext():
        if workers > 1 and plan:
            from ingest.parallel import ingest_files

            q = Quarantine(workspace, run_id)
            try:
                report.files.extend(ingest_files(
                    plan, workspace, run_id, run_date, workers=workers, quarantine=q,
                    progress=(lambda fr: progress(fr.line())) if progress else None))
            finally:
                q.close()
        else:
            with RecordStore(workspace) as store:
                q = Quarantine(workspace, run_id)
                try:
                    for file, mapping in plan:
                        fr = ingest_file(file, mapping, store, q, run_id, run_date)
                        report.files.append(fr)
                        if progress:
                            progress(fr.line())
                finally:
                    q.close()
        for file, key_source in envelopes:  # after the files: an envelope may repeat a row of a file
            fr = ingest_envelopes(file, workspace, key_source, run_id, run_date, mappings)
            report.files.append(fr)
            if progress:
                progress(fr.line())
    report.seconds = time.perf_counter() - started
    with RecordStore(workspace) as store:
        store.log_run(run_id, now.isoformat(timespec="seconds"), run_date, str(path), report.to_dict())
    return report
