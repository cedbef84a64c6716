"""The record store counts and keeps the same whether a batch is all new, partly stored or repeats an id."""

from __future__ import annotations

from pathlib import Path

from ingest.records import Link, SourceRecord
from ingest.store import RecordStore, UpsertCounts


def _rec(n: int, name: str = "สมชาย ใจดี") -> SourceRecord:
    return SourceRecord(record_id=f"t:{n}", agency="RTP", source_file="t.csv", row=n, part="person",
                        entity_type="Person", props={"names": [name]}, flags=["names:single_token"] if n % 2 else [],
                        links=[Link("HAS_PHONE", target_type="Phone", target_key="+66812345678")] if n % 3 else [])


def _stored(ws: Path) -> list[tuple[str, str, str, str]]:
    with RecordStore(ws) as store:
        return [(r.record_id, r.props["names"][0], r.first_seen or "", r.last_seen or "")
                for r in store.iter_records()]


def test_a_batch_meeting_stored_records_is_counted_as_before(tmp_path: Path) -> None:
    with RecordStore(tmp_path) as store:
        assert store.upsert([_rec(1), _rec(2)], run_date="2026-11-26") == UpsertCounts(inserted=2)
    with RecordStore(tmp_path) as store:  # a new store tries the plain insert first, meets t:1 and t:2
        counts = store.upsert([_rec(3), _rec(1, "สมชาย ใจดีมาก"), _rec(2)], run_date="2026-11-27")
        assert counts == UpsertCounts(inserted=1, updated=1, unchanged=1)
        assert store.upsert([_rec(4)], run_date="2026-11-27") == UpsertCounts(inserted=1)
    assert _stored(tmp_path) == [("t:1", "สมชาย ใจดีมาก", "2026-11-26", "2026-11-27"),
                                 ("t:2", "สมชาย ใจดี", "2026-11-26", "2026-11-27"),
                                 ("t:3", "สมชาย ใจดี", "2026-11-27", "2026-11-27"),
                                 ("t:4", "สมชาย ใจดี", "2026-11-27", "2026-11-27")]


def test_an_id_twice_in_one_new_batch_keeps_the_later(tmp_path: Path) -> None:
    with RecordStore(tmp_path) as store:
        store.upsert([_rec(1), _rec(2), _rec(1, "นายหนึ่ง สอง")], run_date="2026-11-26")
    assert [(rid, name) for rid, name, _, _ in _stored(tmp_path)] == [("t:1", "นายหนึ่ง สอง"), ("t:2", "สมชาย ใจดี")]


def test_new_and_general_writes_store_the_same_rows(tmp_path: Path) -> None:
    records = [_rec(n) for n in range(1, 7)]
    with RecordStore(tmp_path / "a") as store:
        store.upsert(records, run_id="r", run_date="2026-11-26", now="2026-11-26T00:00:00+00:00")
    with RecordStore(tmp_path / "b") as store:
        store._maybe_new = False  # the general path only
        store.upsert(records, run_id="r", run_date="2026-11-26", now="2026-11-26T00:00:00+00:00")
    rows = []
    for ws in (tmp_path / "a", tmp_path / "b"):
        with RecordStore(ws) as store:
            rows.append(store.conn.execute("SELECT * FROM records ORDER BY record_id").fetchall())
    assert rows[0] == rows[1] and len(rows[0]) == 6
