"""The record store: source records with provenance in SQLite (``<workspace>/records.sqlite``).

Keyed by ``record_id``, each record keeps a content hash and first/last seen dates. Seen dates are *run
dates* (the UTC day of the run unless the caller gives one):

- a new record gets ``first_seen = last_seen = run date``;
- the same record with the same content seen again on the same run date changes nothing at all;
- seen again on a later run date, only ``last_seen`` moves forward;
- with changed content (props, raw cells, flags, links, file or row), the record is replaced, its
  ``ingested_at`` is the new run's time and ``last_seen`` the run date; ``first_seen`` stays.

Writes go in large transactions with ``executemany`` under WAL; nothing commits per row.

Examples
--------
>>> import tempfile
>>> from ingest.records import SourceRecord
>>> store = RecordStore(tempfile.mkdtemp())
>>> r = SourceRecord(record_id="x:1", agency="RTP", source_file="rtp_cases.csv", row=1, part="case",
...                  entity_type="Case", key="สภ.แม่สอด123/2561", props={"case_no": "สภ.แม่สอด123/2561"})
>>> store.upsert([r], run_date="2026-11-26")
UpsertCounts(inserted=1, updated=0, unchanged=0)
>>> store.upsert([r], run_date="2026-11-26")
UpsertCounts(inserted=0, updated=0, unchanged=1)
>>> next(store.iter_records(entity_type="Case")).first_seen
'2026-11-26'
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

from ingest.records import Link, SourceRecord

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["COLUMNS", "PERSON_COLUMNS", "RecordStore", "UpsertCounts", "link_from_dict", "link_to_dict"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS records (
  record_id TEXT PRIMARY KEY, agency TEXT NOT NULL, source_file TEXT NOT NULL, row INTEGER,
  exchange_id TEXT, part TEXT NOT NULL, entity_type TEXT NOT NULL, key TEXT, record_date TEXT,
  content_hash TEXT NOT NULL, props TEXT NOT NULL, raw TEXT NOT NULL, flags TEXT NOT NULL,
  links TEXT NOT NULL, ingested_at TEXT NOT NULL, first_seen TEXT NOT NULL, last_seen TEXT NOT NULL,
  run_id TEXT);
CREATE INDEX IF NOT EXISTS records_type ON records(entity_type, agency);
CREATE INDEX IF NOT EXISTS records_file ON records(source_file, row);
CREATE TABLE IF NOT EXISTS runs (run_id TEXT PRIMARY KEY, started_at TEXT, run_date TEXT, source TEXT,
  report TEXT);
CREATE TABLE IF NOT EXISTS exchange (exchange_id TEXT PRIMARY KEY, agency TEXT, record_type TEXT,
  issued_at TEXT, received_at TEXT, payload_hash TEXT, record_ids TEXT);
"""
_COLUMNS = ("record_id, agency, source_file, row, exchange_id, part, entity_type, key, record_date, "
            "content_hash, props, raw, flags, links, ingested_at, first_seen, last_seen, run_id")
_UPSERT = f"""
INSERT INTO records ({_COLUMNS}) VALUES ({", ".join("?" * 18)})
ON CONFLICT(record_id) DO UPDATE SET
  agency=excluded.agency, source_file=excluded.source_file, row=excluded.row,
  exchange_id=excluded.exchange_id, part=excluded.part, entity_type=excluded.entity_type,
  key=excluded.key, record_date=excluded.record_date, props=excluded.props, raw=excluded.raw,
  flags=excluded.flags, links=excluded.links, run_id=excluded.run_id,
  ingested_at=CASE WHEN records.content_hash != excluded.content_hash
                   THEN excluded.ingested_at ELSE records.ingested_at END,
  content_hash=excluded.content_hash,
  last_seen=max(records.last_seen, excluded.last_seen)
WHERE records.content_hash != excluded.content_hash OR records.last_seen < excluded.last_seen
"""
_INSERT = f"INSERT INTO records ({_COLUMNS}) VALUES ({', '.join('?' * 18)})"
#: Columns of :meth:`RecordStore.person_frame` (props of Person records, flattened for matching).
PERSON_COLUMNS = ("names", "name_th", "name_en", "aliases", "prefixes", "name_keys", "birth_date",
                  "birth_year", "sex", "nationality", "thai_id", "thai_id_valid", "passport", "pink_card",
                  "phones", "accounts", "location_key", "geocode", "province", "case_keys", "role")


@dataclass(frozen=True)
class UpsertCounts:
    """What one upsert batch did: new records, records whose content changed, records seen unchanged
    (their ``last_seen`` may still have moved to a later run date)."""

    inserted: int = 0
    updated: int = 0
    unchanged: int = 0


def link_to_dict(link: Link) -> dict[str, Any]:
    """A link as a compact dict (defaults left out)."""
    d: dict[str, Any] = {"rel_type": link.rel_type}
    if link.target_part:
        d["target_part"] = link.target_part
    if link.target_record_id:
        d["target_record_id"] = link.target_record_id
    if link.target_type:
        d["target_type"] = link.target_type
    if link.target_key:
        d["target_key"] = link.target_key
    if link.discriminator:
        d["discriminator"] = link.discriminator
    if link.target_props:
        d["target_props"] = link.target_props
    if link.props:
        d["props"] = link.props
    if link.reverse:
        d["reverse"] = True
    return d


def link_from_dict(d: dict[str, Any]) -> Link:
    """Inverse of :func:`link_to_dict`."""
    return Link(**d)


def _dumps(value: Any) -> str:
    return orjson.dumps(value, option=orjson.OPT_SORT_KEYS).decode()


_SORTED = orjson.OPT_SORT_KEYS
_blake2b = hashlib.blake2b


def _row(r: SourceRecord, run_id: str, now: str, run_date: str) -> tuple[Any, ...]:
    dumps = orjson.dumps
    props, raw = dumps(r.props, option=_SORTED), dumps(r.raw, option=_SORTED)
    flags = dumps(r.flags) if r.flags else b"[]"  # a list of strings: no keys to sort
    links = dumps([link_to_dict(ln) for ln in r.links], option=_SORTED) if r.links else b"[]"
    # the hash of the fields joined by \x1f, in UTF-8: the JSON is hashed as orjson wrote it (UTF-8 already)
    head = "\x1f".join((r.agency, r.source_file, str(r.row), r.exchange_id or "", r.part, r.entity_type,
                        r.key or "", r.record_date or "", "")).encode()
    digest = _blake2b(b"\x1f".join((head + props, raw, flags, links)), digest_size=12).hexdigest()
    return (r.record_id, r.agency, r.source_file, r.row, r.exchange_id, r.part, r.entity_type, r.key,
            r.record_date, digest, props.decode(), raw.decode(), flags.decode(), links.decode(), now, run_date,
            run_date, run_id)


#: Columns of the ``records`` table, as :meth:`RecordStore.iter_rows` takes them.
COLUMNS = tuple(c.strip() for c in _COLUMNS.split(","))
_SELECT = ("SELECT record_id, agency, source_file, row, exchange_id, part, entity_type, key, record_date,"
           " props, raw, flags, links, ingested_at, first_seen, last_seen FROM records")


def _record(row: tuple[Any, ...]) -> SourceRecord:
    rid, agency, file, n, xid, part, etype, key, rdate, props, raw, flags, links, ing, first, last = row
    return SourceRecord(
        record_id=rid, agency=agency, source_file=file, row=n, exchange_id=xid, part=part, entity_type=etype,
        key=key, record_date=rdate, props=orjson.loads(props), raw=orjson.loads(raw),
        flags=orjson.loads(flags), links=[link_from_dict(d) for d in orjson.loads(links)], ingested_at=ing,
        first_seen=first, last_seen=last)


class RecordStore:
    """Source records with provenance in ``<workspace>/records.sqlite`` (created on first use)."""

    def __init__(self, workspace: str | Path) -> None:
        self.workspace = Path(workspace)
        self.workspace.mkdir(parents=True, exist_ok=True)
        self.path = self.workspace / "records.sqlite"
        self.conn = sqlite3.connect(self.path, timeout=60, isolation_level=None)
        # 16 KiB pages for a new file (an existing one keeps its own): records are ~1 KB of JSON, and an
        # insert with 4 KiB pages cost ~1.7 us more (11.9 -> 10.0 us per record into the three indexes)
        self.conn.execute("PRAGMA page_size=16384")
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.execute("PRAGMA synchronous=NORMAL")
        self.conn.execute("PRAGMA cache_size=-200000")
        self.conn.executescript(_SCHEMA)
        self._maybe_new = True  # until a write meets a stored record id

    def close(self) -> None:
        """Close the connection."""
        self.conn.close()

    def __enter__(self) -> RecordStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def upsert(self, records: Iterable[SourceRecord], run_id: str = "", run_date: str | None = None,
               now: str | None = None) -> UpsertCounts:
        """Insert or update records in one transaction (see the module docstring for seen dates)."""
        return self._write(records, run_id, run_date, now, [])

    def upsert_exchange(self, records: Iterable[SourceRecord], envelopes: list[tuple[str, ...]],
                        run_id: str = "", run_date: str | None = None, now: str | None = None) -> UpsertCounts:
        """Write exchange envelopes' records and mark the envelopes taken, in one transaction.

        ``envelopes``: ``(exchange_id, agency, record_type, issued_at, payload_hash, record_ids_json)``.
        """
        return self._write(records, run_id, run_date, now, envelopes)

    def _write(self, records: Iterable[SourceRecord], run_id: str, run_date: str | None, now: str | None,
               envelopes: list[tuple[str, ...]]) -> UpsertCounts:
        now = now or datetime.now(UTC).isoformat(timespec="seconds")
        run_date = run_date or now[:10]
        rows = [_row(r, run_id, now, run_date) for r in records]
        if not rows and not envelopes:
            return UpsertCounts()
        cur = self.conn.cursor()
        if not envelopes and self._all_new(cur, rows):
            return UpsertCounts(inserted=len(rows))
        cur.execute("BEGIN IMMEDIATE")
        try:
            known = self._hashes(cur, [r[0] for r in rows])
            cur.executemany(_UPSERT, rows)
            cur.executemany("INSERT INTO exchange VALUES (?, ?, ?, ?, ?, ?, ?)",
                            [(e[0], e[1], e[2], e[3], now, e[4], e[5]) for e in envelopes])
            cur.execute("COMMIT")
        except BaseException:
            cur.execute("ROLLBACK")
            raise
        inserted = sum(1 for r in rows if r[0] not in known)
        changed = sum(1 for r in rows if r[0] in known and known[r[0]] != r[9])
        return UpsertCounts(inserted, changed, len(rows) - inserted - changed)

    def _all_new(self, cur: sqlite3.Cursor, rows: list[tuple[Any, ...]]) -> bool:
        """Insert ``rows`` in one transaction if none of their ids is stored yet (True), else change nothing.

        A first ingest stores only new records: a plain insert then spares looking up every id's stored
        hash (a quarter of the store's time). The first id already stored undoes it, and the rest of this
        store's writes take the general path.
        """
        if not self._maybe_new:
            return False
        cur.execute("BEGIN IMMEDIATE")
        try:
            cur.executemany(_INSERT, rows)
        except sqlite3.IntegrityError:
            cur.execute("ROLLBACK")
            self._maybe_new = False
            return False
        except BaseException:
            cur.execute("ROLLBACK")
            raise
        cur.execute("COMMIT")
        return True

    @staticmethod
    def _hashes(cur: sqlite3.Cursor, ids: list[str]) -> dict[str, str]:
        out: dict[str, str] = {}
        for i in range(0, len(ids), 900):
            chunk = ids[i:i + 900]
            q = f"SELECT record_id, content_hash FROM records WHERE record_id IN ({','.join('?' * len(chunk))})"
            out.update(cur.execute(q, chunk).fetchall())
        return out

    def taken(self, exchange_ids: Iterable[str]) -> set[str]:
        """The exchange ids among ``exchange_ids`` already taken."""
        ids = list(exchange_ids)
        found: set[str] = set()
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            q = f"SELECT exchange_id FROM exchange WHERE exchange_id IN ({','.join('?' * len(chunk))})"
            found.update(r[0] for r in self.conn.execute(q, chunk))
        return found

    def count(self, entity_type: str | None = None, agency: str | None = None) -> int:
        """Number of records, optionally of one entity type and/or agency."""
        where, args = self._where(entity_type, agency)
        return int(self.conn.execute(f"SELECT count(*) FROM records{where}", args).fetchone()[0])

    @staticmethod
    def _where(entity_type: str | None, agency: str | None) -> tuple[str, list[str]]:
        clauses, args = [], []
        if entity_type is not None:
            clauses.append("entity_type = ?")
            args.append(entity_type)
        if agency is not None:
            clauses.append("agency = ?")
            args.append(agency)
        return (" WHERE " + " AND ".join(clauses) if clauses else ""), args

    def iter_records(self, entity_type: str | None = None, agency: str | None = None,
                     batch: int = 5000) -> Iterator[SourceRecord]:
        """Stream records (ordered by record id), optionally of one entity type and/or agency."""
        where, args = self._where(entity_type, agency)
        cur = self.conn.execute(f"{_SELECT}{where} ORDER BY record_id", args)
        while True:
            rows = cur.fetchmany(batch)
            if not rows:
                return
            yield from (_record(row) for row in rows)

    def iter_rows(self, columns: Sequence[str], entity_types: Sequence[str] | None = None,
                  batch: int = 20_000, ordered: bool = True) -> Iterator[list[tuple[Any, ...]]]:
        """Batches of raw column tuples (JSON columns as text), ordered by record id, optionally of some
        entity types only: the cheap way to read millions of records without building :class:`SourceRecord`.

        ``ordered=False`` reads in storage order: no sort, and pages read once in turn rather than in record-id
        order all over the file (sort the few columns afterwards if the order matters).

        >>> import tempfile
        >>> store = RecordStore(tempfile.mkdtemp())
        >>> store.upsert([SourceRecord(record_id="x:1", agency="DOE", source_file="doe.csv", row=3, part="p",
        ...                            entity_type="Person", props={"names": ["Somchai"]})], run_date="2026-11-26")
        UpsertCounts(inserted=1, updated=0, unchanged=0)
        >>> next(store.iter_rows(("record_id", "row", "props"), ["Person"]))
        [('x:1', 3, '{"names":["Somchai"]}')]
        """
        unknown = [c for c in columns if c not in COLUMNS]
        if unknown or not columns:
            raise ValueError(f"records.sqlite: unknown column(s) {unknown or '(none)'}; known: {', '.join(COLUMNS)}")
        where, args = "", list(entity_types or [])
        if entity_types is not None:
            where = f" WHERE entity_type IN ({','.join('?' * len(args))})" if args else " WHERE 0"
        order = " ORDER BY record_id" if ordered else ""
        cur = self.conn.execute(f"SELECT {', '.join(columns)} FROM records{where}{order}", args)
        while True:
            rows = cur.fetchmany(batch)
            if not rows:
                return
            yield rows

    def keys_of(self, record_ids: Iterable[str]) -> dict[str, str]:
        """The non-empty ``key`` of each of ``record_ids`` that has one (identifier parts: accounts, cases)."""
        ids = list(dict.fromkeys(record_ids))
        out: dict[str, str] = {}
        for i in range(0, len(ids), 900):
            chunk = ids[i:i + 900]
            q = (f"SELECT record_id, key FROM records WHERE record_id IN ({','.join('?' * len(chunk))})"
                 " AND key IS NOT NULL AND key != ''")
            out.update(self.conn.execute(q, chunk).fetchall())
        return out

    def get(self, record_id: str) -> SourceRecord | None:
        """One record by id, or None."""
        row = self.conn.execute(f"{_SELECT} WHERE record_id = ?", (record_id,)).fetchone()
        return None if row is None else _record(row)

    def person_frame(self, entity_type: str = "Person") -> pd.DataFrame:
        """One row per Person record with provenance and the matching fields (:data:`PERSON_COLUMNS`)
        as columns; list fields are Python lists, missing values None."""
        import pandas as pd

        rows = self.conn.execute(
            "SELECT record_id, agency, source_file, row, exchange_id, part, flags, props FROM records"
            " WHERE entity_type = ? ORDER BY record_id", (entity_type,)).fetchall()
        data: dict[str, list[Any]] = {c: [] for c in ("record_id", "agency", "source_file", "row",
                                                      "exchange_id", "part", "flags", *PERSON_COLUMNS)}
        for rid, agency, file, row, xid, part, flags, props in rows:
            p = orjson.loads(props)
            for name, value in (("record_id", rid), ("agency", agency), ("source_file", file), ("row", row),
                                ("exchange_id", xid), ("part", part), ("flags", orjson.loads(flags))):
                data[name].append(value)
            for c in PERSON_COLUMNS:
                data[c].append(p.get(c))
        frame = pd.DataFrame(data)
        frame["row"] = frame["row"].astype("Int64")
        frame["birth_year"] = pd.array(frame["birth_year"], dtype="Int64")
        return frame

    def log_run(self, run_id: str, started_at: str, run_date: str, source: str, report: dict[str, Any]) -> None:
        """Keep a run's report in the run log."""
        self.conn.execute("INSERT OR REPLACE INTO runs VALUES (?, ?, ?, ?, ?)",
                          (run_id, started_at, run_date, source, _dumps(report)))
