"""The DGA data exchange: good, tampered, unsigned, unknown agency or record type, duplicate envelopes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ingest_helpers import AMLO_TXN_ROW, RTP_PERSON_ROW, write_csv

from ingest.exchange import receive, sign
from ingest.pipeline import ingest_path
from ingest.store import RecordStore

KEYS = {"RTP": "a3f1c0de" * 8, "AMLO": "0badc0de" * 8}


def envelope(xid: str, payload: dict[str, Any], agency: str = "RTP", record_type: str = "rtp_case_persons",
             key: str | None = None) -> dict[str, Any]:
    return {"exchange_id": xid, "agency": agency, "record_type": record_type,
            "issued_at": "2018-08-08T10:00:00+07:00", "payload": payload,
            "signature": sign(payload, key or KEYS.get(agency, "x"))}


def test_a_batch_answers_per_envelope_and_keeps_the_refused_aside(tmp_path: Path) -> None:
    good = envelope("x-1", RTP_PERSON_ROW)
    tampered = envelope("x-2", RTP_PERSON_ROW)
    tampered["payload"] = {**RTP_PERSON_ROW, "ชื่อ-สกุล": "นายคนอื่น"}
    unsigned = {**envelope("x-3", RTP_PERSON_ROW), "signature": ""}
    stranger = envelope("x-4", RTP_PERSON_ROW, agency="XYZ")
    unknown_type = envelope("x-5", RTP_PERSON_ROW, record_type="rtp_parking_tickets")
    wrong_owner = envelope("x-6", AMLO_TXN_ROW, agency="RTP", record_type="amlo_transactions")
    bad_row = envelope("x-7", {**RTP_PERSON_ROW, "บทบาท": "ผู้สังเกตการณ์"})
    money = envelope("x-8", AMLO_TXN_ROW, agency="AMLO", record_type="amlo_transactions")
    lines = [json.dumps(e, ensure_ascii=False) for e in
             (good, tampered, unsigned, stranger, unknown_type, wrong_owner, bad_row, money)]
    lines.insert(3, "{not json")
    ws = tmp_path / "ws"
    results = receive(lines, KEYS, ws, run_date="2026-11-26")
    answer = [(r.exchange_id, r.status, (r.reason or "").split(":")[0]) for r in results]
    assert answer == [
        ("x-1", "loaded", ""), ("x-2", "rejected", "tampered or wrongly signed"),
        ("x-3", "rejected", "unsigned"), (None, "rejected", "not JSON"),
        ("x-4", "rejected", "unknown agency 'XYZ'"), ("x-5", "rejected", "unknown record_type 'rtp_parking_tickets'"),
        ("x-6", "rejected", "record_type 'amlo_transactions' belongs to AMLO, not RTP"),
        ("x-7", "rejected", "payload cannot be loaded"), ("x-8", "loaded", "")]
    rejected = [json.loads(line) for line in (ws / "exchange" / "rejected.jsonl").read_text().splitlines()]
    assert [r["exchange_id"] for r in rejected] == ["x-2", "x-3", None, "x-4", "x-5", "x-6", "x-7"]
    assert rejected[0]["envelope"]["payload"]["ชื่อ-สกุล"] == "นายคนอื่น"
    with RecordStore(ws) as store:
        records = list(store.iter_records())
    assert sorted(r.exchange_id or "" for r in records) == ["x-1", "x-1", "x-8", "x-8"]  # never half-loaded
    person = next(r for r in records if r.part == "person")
    assert (person.agency, person.source_file, person.row, person.locator) == (
        "RTP", "rtp_case_persons.csv", None, "rtp_case_persons.csv@x-1")
    assert set(results[0].record_ids) == {r.record_id for r in records if r.exchange_id == "x-1"}


def test_an_exchange_id_is_taken_once(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    first = receive([json.dumps(envelope("x-1", RTP_PERSON_ROW))], KEYS, ws, run_date="2026-11-26")
    again = envelope("x-1", {**RTP_PERSON_ROW, "โทรศัพท์": "0811111111"})  # same id, other content
    second = receive([json.dumps(again), json.dumps(again)], KEYS, ws, run_date="2026-12-01")
    assert [r.status for r in first] == ["loaded"]
    assert [r.status for r in second] == ["duplicate", "duplicate"] and all(r.accepted for r in second)
    with RecordStore(ws) as store:
        (person,) = store.iter_records("Person")
    assert person.props["phones"] == ["+66812345678", "+66898765432"] and person.last_seen == "2026-11-26"


def test_an_envelope_and_a_file_row_are_separate_records(tmp_path: Path) -> None:
    """The same row by file and by exchange is two source records (the truth counts both)."""
    src = tmp_path / "exports"
    (src / "dga").mkdir(parents=True)
    write_csv(src / "rtp_case_persons.csv", [RTP_PERSON_ROW])
    (src / "dga" / "envelopes.jsonl").write_text(json.dumps(envelope("x-1", RTP_PERSON_ROW)) + "\n")
    (src / "dga" / "keys.json").write_text(json.dumps(KEYS))
    report = ingest_path(src, tmp_path / "ws", progress=None)
    assert [(f.file, f.read, f.loaded) for f in report.files] == [
        ("rtp_case_persons.csv", 1, 1), ("envelopes.jsonl", 1, 1)]
    with RecordStore(tmp_path / "ws") as store:
        assert store.count("Person") == 2
    again = ingest_path(src, tmp_path / "ws", progress=None)
    assert again.files[1].duplicates == 1 and again.files[1].loaded == 1
