"""Chunked parallel ingest gives what a sequential run gives: the same records, counts and quarantine."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from ingest_helpers import RTP_CASE_ROW, write_csv

from ingest.mapping import load_mappings
from ingest.parallel import ingest_files
from ingest.pipeline import ingest_path, select_mapping
from ingest.report import FileReport

_ROWS = [
    RTP_CASE_ROW,
    {**RTP_CASE_ROW, "เลขคดี": "สภ.แม่สอด 124/2561", "วันรับแจ้ง": "วันไหนก็ไม่รู้"},  # unreadable date
    {**RTP_CASE_ROW, "เลขคดี": ""},  # no key
    {**RTP_CASE_ROW, "สถานี": "สภ.พบพระ"},  # the first row's key again: "#2"
    {**RTP_CASE_ROW, "เลขคดี": "สภ.แม่สอด 125/2561", "วันรับแจ้ง": "31/02/2561"},  # no such day
    {**RTP_CASE_ROW, "เลขคดี": "สภ.แม่สอด 126/2561"},
    {**RTP_CASE_ROW, "สถานี": "สภ.แม่ระมาด"},  # "#3"
]
# a second export of the same mapping repeats a key with other content: the later file wins
_LATER = [{**RTP_CASE_ROW, "เลขคดี": "สภ.แม่สอด 126/2561", "สถานะ": "สั่งฟ้อง"}]


def _dump(ws: Path) -> tuple[list[tuple[object, ...]], list[str]]:
    con = sqlite3.connect(ws / "records.sqlite")
    rows = con.execute("SELECT record_id, source_file, row, part, key, content_hash, props, flags, links"
                       " FROM records ORDER BY record_id").fetchall()
    con.close()
    quarantine = [line for f in sorted((ws / "quarantine").glob("*/*.csv"))
                  for line in f.read_text(encoding="utf-8").splitlines()]
    return rows, quarantine


def test_chunks_on_two_workers_store_what_one_process_stores(tmp_path: Path) -> None:
    src = tmp_path / "exports"
    src.mkdir()
    write_csv(src / "rtp_cases_a.csv", _ROWS)
    write_csv(src / "rtp_cases_b.csv", _LATER)
    serial = ingest_path(src, tmp_path / "one", run_id="r", run_date="2026-11-26", progress=None)

    mappings = load_mappings()
    plan = [(p, select_mapping(p, mappings)) for p in (src / "rtp_cases_a.csv", src / "rtp_cases_b.csv")]
    reports = ingest_files(plan, tmp_path / "two", "r", "2026-11-26", workers=2, chunk_rows=2)

    def counts(files: list[FileReport]) -> list[tuple[object, ...]]:
        return sorted((f.file, f.read, f.loaded, f.quarantined, f.records, f.inserted, f.updated) for f in files)

    assert counts(reports) == counts(serial.files)
    assert [(r.read, r.loaded, r.quarantined) for r in reports] == [(7, 4, 3), (1, 1, 0)]
    one, two = _dump(tmp_path / "one"), _dump(tmp_path / "two")
    assert len(one[0]) == 4 * 3  # four good rows of three parts; the later file's row replaced one row's
    assert [r[1] for r in one[0]].count("rtp_cases_b.csv") == 3
    assert two == one
    assert [line.split(",")[1] for line in two[1][1:]] == ["2", "3", "5"]
