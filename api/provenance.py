"""Which source records each value of a merged entity came from, read from the workspace's ``records.sqlite``.

A person merged from records of several agencies carries the union of their names and IDs, and one
``sources`` list for the whole node. To show each value with its own agencies and records, and to hide a
value seen only in a compartment the viewer may not see (a name recorded only by MSDHS), the values are
matched back against the properties of the records named in ``sources`` (``AGENCY|record_id|seen``).

The record store is opened read-only (``mode=ro``): the API never writes ingest's data.

Examples
--------
>>> from api.schemas import SourceRef
>>> srcs = [SourceRef(agency="RTP", record_id="r1", seen="2024-01-01"),
...         SourceRef(agency="MSDHS", record_id="m1", seen="2024-01-02")]
>>> by_record = {"r1": {"names": ["Somchai Jaidee"]}, "m1": {"names": ["สมชาย ใจดี", "Somchai  Jaidee"]}}
>>> [s.agency for s in carriers("names", "somchai jaidee", srcs, by_record)]
['RTP', 'MSDHS']
>>> [s.agency for s in carriers("names", "สมชาย ใจดี", srcs, by_record)]
['MSDHS']
"""

from __future__ import annotations

import sqlite3
import threading
import unicodedata
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import orjson

from api.schemas import SourceRef

__all__ = ["RecordLookup", "carriers", "same_value"]

#: SQLite's default limit on host parameters is 999 on old builds; stay well below it.
_CHUNK = 500


def _key(value: Any) -> str:
    return " ".join(unicodedata.normalize("NFC", str(value)).casefold().split())


def same_value(a: Any, b: Any) -> bool:
    """Whether two values are the same once NFC, case and runs of spaces are set aside.

    >>> same_value("สมชาย  ใจดี", "สมชาย ใจดี"), same_value("A", "B")
    (True, False)
    """
    return _key(a) == _key(b)


def carriers(
    prop: str, value: Any, sources: Sequence[SourceRef], by_record: dict[str, dict[str, Any]]
) -> list[SourceRef]:
    """The sources whose record holds ``value`` under ``prop`` (a list or a single value), in order."""
    want = _key(value)
    out = []
    for src in sources:
        held = by_record.get(src.record_id, {}).get(prop)
        values = held if isinstance(held, list) else [held] if held is not None else []
        if any(_key(v) == want for v in values):
            out.append(src)
    return out


class RecordLookup:
    """Read-only access to the properties of source records in ``<workspace>/records.sqlite``.

    One connection per thread (FastAPI runs sync routes in a thread pool). When the file does not exist
    (a store built elsewhere), every look-up answers nothing.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._local = threading.local()

    def _conn(self) -> sqlite3.Connection | None:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None and self.path.exists():
            conn = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True, timeout=30)
            self._local.conn = conn
        return conn

    @property
    def available(self) -> bool:
        """Whether the record store exists."""
        return self.path.exists()

    def props(self, record_ids: Iterable[str]) -> dict[str, dict[str, Any]]:
        """``record_id -> props`` of the records found (missing ids are left out)."""
        ids = list(dict.fromkeys(record_ids))
        conn = self._conn()
        if conn is None or not ids:
            return {}
        out: dict[str, dict[str, Any]] = {}
        for i in range(0, len(ids), _CHUNK):
            chunk = ids[i : i + _CHUNK]
            marks = ", ".join("?" * len(chunk))
            for rid, props in conn.execute(f"SELECT record_id, props FROM records WHERE record_id IN ({marks})", chunk):
                out[rid] = orjson.loads(props)
        return out

    def agencies(self, record_ids: Iterable[str]) -> dict[str, str]:
        """``record_id -> agency`` of the records found (missing ids are left out)."""
        ids = list(dict.fromkeys(record_ids))
        conn = self._conn()
        if conn is None or not ids:
            return {}
        out: dict[str, str] = {}
        for i in range(0, len(ids), _CHUNK):
            chunk = ids[i : i + _CHUNK]
            marks = ", ".join("?" * len(chunk))
            out.update(conn.execute(f"SELECT record_id, agency FROM records WHERE record_id IN ({marks})", chunk))
        return out
