"""Quarantine, refusal, the counts invariant, idempotence and change detection, and a variant export."""

from __future__ import annotations

import csv
import sqlite3
from pathlib import Path

import pytest
from ingest_helpers import COJ_ROW, RTP_CASE_ROW, RTP_PERSON_ROW, write_csv, write_xlsx

from ingest.mapping import MAPPINGS_DIR, MappingError, load_mapping
from ingest.pipeline import ingest_path
from ingest.readers import read_rows
from ingest.store import RecordStore


def _quarantine_rows(ws: Path) -> list[dict[str, str]]:
    files = list((ws / "quarantine").glob("*/*.csv"))
    rows: list[dict[str, str]] = []
    for f in files:
        with open(f, encoding="utf-8", newline="") as fh:
            rows.extend(csv.DictReader(fh))
    return rows


def test_bad_rows_are_quarantined_and_the_rest_loads(tmp_path: Path) -> None:
    rows = [RTP_CASE_ROW,
            {**RTP_CASE_ROW, "เลขคดี": "สภ.แม่สอด 124/2561", "วันรับแจ้ง": "วันไหนก็ไม่รู้"},  # unreadable date
            {**RTP_CASE_ROW, "เลขคดี": ""},  # no key
            {**RTP_CASE_ROW, "เลขคดี": "สภ.แม่สอด 125/2561", "วันรับแจ้ง": "31/02/2561"}]  # no such day
    write_csv(tmp_path / "rtp_cases.csv", rows)
    report = ingest_path(tmp_path / "rtp_cases.csv", tmp_path / "ws", progress=None)
    (f,) = report.files
    assert (f.read, f.loaded, f.quarantined) == (4, 1, 3)
    assert f.loaded + f.quarantined == f.read
    q = _quarantine_rows(tmp_path / "ws")
    assert [(r["file"], r["row"], r["field"]) for r in q] == [
        ("rtp_cases.csv", "2", "วันรับแจ้ง"), ("rtp_cases.csv", "3", "เลขคดี"), ("rtp_cases.csv", "4", "วันรับแจ้ง")]
    assert "cannot read date_be from 'วันไหนก็ไม่รู้'" in q[0]["reason"] and "impossible_date" in q[2]["reason"]
    assert q[1]["reason"] == "key column is empty" and "สภ.แม่สอด" in q[0]["raw"]
    with RecordStore(tmp_path / "ws") as store:
        assert store.count() == 3  # case, dsi case, officer of the one good row


def test_extra_cells_and_flags(tmp_path: Path) -> None:
    path = tmp_path / "rtp_case_persons.csv"
    write_csv(path, [RTP_PERSON_ROW])
    with open(path, "a", encoding="utf-8") as fh:
        fh.write("สภ.แม่สอด 1/2561,พยาน,นายก ข,,,,,,,,,,เกิน\n")
    report = ingest_path(path, tmp_path / "ws", progress=None)
    assert (report.files[0].loaded, report.files[0].quarantined) == (1, 1)
    assert _quarantine_rows(tmp_path / "ws")[0]["field"] == "__row__"


@pytest.mark.parametrize("case, message", [
    ("missing", "rtp_cases.csv (mapping rtp_cases): missing required columns ['วันรับแจ้ง', 'พนักงานสอบสวน']"),
    ("layout", "notes.csv: unknown layout"),
    ("sheet", "coj_judgments.xlsx (mapping coj_judgments): coj_judgments.xlsx: no sheet 'คำพิพากษา'"),
])
def test_a_file_wrong_as_a_whole_is_refused_before_anything_is_written(tmp_path: Path, case: str,
                                                                       message: str) -> None:
    src = tmp_path / "exports"
    src.mkdir()
    write_csv(src / "rtp_case_persons.csv", [RTP_PERSON_ROW])  # a good file beside it still loads
    if case == "missing":
        row = {k: v for k, v in RTP_CASE_ROW.items() if k not in ("วันรับแจ้ง", "พนักงานสอบสวน")}
        write_csv(src / "rtp_cases.csv", [row])
    elif case == "layout":
        write_csv(src / "notes.csv", [{"หมายเหตุ": "x"}])
    else:
        write_xlsx(src / "coj_judgments.xlsx", [COJ_ROW], "Sheet1")
    report = ingest_path(src, tmp_path / "ws", progress=None)
    assert len(report.refused) == 1 and report.refused[0].refused is not None
    assert report.refused[0].refused.startswith(message)
    assert [f.file for f in report.files] == ["rtp_case_persons.csv"]
    with RecordStore(tmp_path / "ws") as store:
        assert {r.source_file for r in store.iter_records()} == {"rtp_case_persons.csv"}


def test_same_file_twice_changes_nothing_and_a_changed_row_updates(tmp_path: Path) -> None:
    path = tmp_path / "rtp_case_persons.csv"
    second = {**RTP_PERSON_ROW, "บทบาท": "ผู้เสียหาย", "ชื่อ-สกุล": "นางสาวมาลี ดีใจ"}
    write_csv(path, [RTP_PERSON_ROW, second, RTP_PERSON_ROW])  # the third repeats the first: its own ids
    ws = tmp_path / "ws"
    first = ingest_path(path, ws, run_date="2026-11-01", progress=None).files[0]
    assert (first.records, first.inserted) == (6, 6)
    con = sqlite3.connect(ws / "records.sqlite")
    snapshot = con.execute("SELECT * FROM records ORDER BY record_id").fetchall()
    again = ingest_path(path, ws, run_date="2026-11-01", progress=None).files[0]
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 6)
    assert con.execute("SELECT * FROM records ORDER BY record_id").fetchall() == snapshot  # not one byte

    later = ingest_path(path, ws, run_date="2026-11-20", progress=None).files[0]
    assert (later.inserted, later.updated, later.unchanged) == (0, 0, 6)  # only last_seen moves
    seen = set(con.execute("SELECT first_seen, last_seen, ingested_at FROM records"))
    assert {(a, b) for a, b, _ in seen} == {("2026-11-01", "2026-11-20")}
    assert {c for _, _, c in seen} == {r[14] for r in snapshot}  # content unchanged: ingest time kept

    write_csv(path, [{**RTP_PERSON_ROW, "โทรศัพท์": "0811111111"}, second, RTP_PERSON_ROW])
    changed = ingest_path(path, ws, run_date="2026-11-21", progress=None).files[0]
    assert (changed.inserted, changed.updated, changed.unchanged) == (0, 1, 5)
    with RecordStore(ws) as store:
        assert store.count() == 6
        person = next(r for r in store.iter_records("Person") if r.row == 1)
        assert person.props["phones"] == ["+66811111111"] and person.last_seen == "2026-11-21"
        assert person.first_seen == "2026-11-01"
        frame = store.person_frame()
    assert len(frame) == 3 and set(frame["role"]) == {"suspect", "victim"}
    assert frame.loc[frame["row"] == 2, "names"].iloc[0] == ["มาลี ดีใจ"]


VARIANT = """
name: rtp_case_persons_v2
agency: RTP
description: The 2019 layout of the RTP persons export - renamed columns, CE dates, an extra column.
file: ["rtp_persons_2019*.csv"]
required: [case_no, role, full_name]
keys: [case_no, role, full_name]
parts:
  person:
    entity: Person
    props:
      names: {column: full_name, type: person_name, required: true}
      birth_date: {column: dob, type: date_ce, required: true}
      thai_id: {column: id_card, type: thai_id}
      role: {column: role, map: {suspect: suspect, victim: victim}, required: true}
  case:
    entity: Case
    key: {column: case_no, type: case_number, hint_value: police, required: true}
    props:
      case_no: {column: case_no, type: case_number, hint_value: police}
links:
  - from: person
    rel: ROLE_IN
    to: case
    props: {role: {column: role, required: true}}
"""


def test_a_changed_export_is_a_new_mapping_file_not_code(tmp_path: Path) -> None:
    maps = tmp_path / "mappings"
    maps.mkdir()
    (maps / "rtp_case_persons_v2.yaml").write_text(VARIANT, encoding="utf-8")
    rows = [{"case_no": "สภ.แม่สอด 123/2561", "role": "suspect", "full_name": "นายสมชาย ใจดี",
             "dob": "1977-08-05", "id_card": "1100700123455", "vehicle_colour": "แดง"},
            {"case_no": "สภ.แม่สอด 123/2561", "role": "victim", "full_name": "นางสาวมาลี ดีใจ",
             "dob": "05 Aug 1990", "id_card": "", "vehicle_colour": ""}]
    write_csv(tmp_path / "rtp_persons_2019_q1.csv", rows)
    report = ingest_path(tmp_path / "rtp_persons_2019_q1.csv", tmp_path / "ws", mappings_dir=maps, progress=None)
    assert [(f.mapping, f.loaded, f.quarantined) for f in report.files] == [("rtp_case_persons_v2", 2, 0)]
    with RecordStore(tmp_path / "ws") as store:
        people = {r.props["role"]: r for r in store.iter_records("Person")}
        cases = {r.key for r in store.iter_records("Case")}
    assert people["suspect"].props["birth_date"] == "1977-08-05"
    assert people["victim"].props["birth_date"] == "1990-08-05"
    assert cases == {"RTP:สภ.แม่สอด:123/2561"}  # meets the reference layout's case key
    assert people["suspect"].links[0].target_key == "RTP:สภ.แม่สอด:123/2561"


@pytest.mark.parametrize("change, error", [
    (("rel: ROLE_IN", "rel: KNOWS"), "unknown relationship type"),
    (("names: {column", "nickname: {column"), "unknown property 'nickname'"),
    (("type: date_ce", "type: date_maybe"), "unknown value type 'date_maybe'"),
    (("entity: Case", "entity: Caze"), "unknown entity type 'Caze'"),
    (("to: case", "to: suspect"), "'to' names no part"),
])
def test_a_bad_mapping_is_refused_with_a_clear_error(tmp_path: Path, change: tuple[str, str], error: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(VARIANT.replace(*change), encoding="utf-8")
    with pytest.raises(MappingError, match=error) as exc:
        load_mapping(path)
    assert str(exc.value).startswith("mapping bad.yaml: ")


def test_readers_number_rows_from_one(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "a.csv", [{"x": "ก"}, {"x": "ข"}], encoding="cp874")
    assert [n for n, _ in read_rows(path)] == [1, 2]
    jl = tmp_path / "a.jsonl"
    jl.write_text('{"x": 1}\n\nnot json\n{"x": 3}\n', encoding="utf-8")
    rows = list(read_rows(jl))
    assert [n for n, _ in rows] == [1, 2, 3] and "__error__" in rows[1][1]
    assert load_mapping(MAPPINGS_DIR / "coj_judgments.yaml").sheet == "คำพิพากษา"
