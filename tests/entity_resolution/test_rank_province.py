"""Context beyond the name that the agencies' exports carry for officers and employers: the police rank
written with an officer's name, and the province where a record lives or works. A name-only pair must stay
apart; a name with such context may merge."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from er_helpers import pair, resolve_rows

from entity_resolution.frame import frame_from_records, frame_from_store
from entity_resolution.names import rank_key
from ingest.records import SourceRecord
from ingest.store import RecordStore


@pytest.mark.parametrize(("written", "rank"), [
    ("พ.ต.อ.", "พ.ต.อ."), ("พันตำรวจเอก", "พ.ต.อ."), ("Pol. Col.", "พ.ต.อ."), ("pol.lt.col", "พ.ต.ท."),
    ("ร.ต.อ.", "ร.ต.อ."), ("ร.อ.", "ร.อ."), ("นาย", ""), ("นางสาว", ""), ("MAUNG", ""), ("Mr.", ""), ("", ""),
])
def test_rank_key(written: str, rank: str) -> None:
    assert rank_key(written) == rank


SAME: list[tuple[str, dict[str, Any], dict[str, Any]]] = [
    ("same rank, abbreviated and in English", {"names": "พ.ต.อ.สมชาย ใจดี"}, {"names": "Pol. Col. Somchai Jaidee"}),
    # ingest keeps the rank apart from the name, in the prefixes column
    ("same rank in the prefixes column", {"names": "สมชาย ใจดี", "prefixes": ["ร.ต.อ."]},
     {"names": "สมชาย ใจดี", "prefixes": "ร.ต.อ."}),
    ("an employer's work province is the resident's province", {"names": "นายสมชาย ใจดี", "province": "ตาก"},
     {"names": "นายสมชาย ใจดี", "geocode": "630101"}),
    ("one province, as a name and in a Thai location key", {"names": "สมชาย ใจดี", "province": "จ.ตาก"},
     {"names": "สมชาย ใจดี", "location_keys": ["TH:630101:12:3"]}),
]

APART: list[tuple[str, dict[str, Any], dict[str, Any]]] = [
    ("same name only", {"names": "นายสมชาย ใจดี"}, {"names": "นายสมชาย ใจดี"}),
    ("same name, different ranks", {"names": "พ.ต.อ.สมชาย ใจดี"}, {"names": "ร.ต.อ.สมชาย ใจดี"}),
    ("same name, rank on one side, civil title on the other", {"names": "พ.ต.อ.สมชาย ใจดี"},
     {"names": "นายสมชาย ใจดี"}),
    ("same name, different provinces", {"names": "สมชาย ใจดี", "province": "ตาก"},
     {"names": "สมชาย ใจดี", "geocode": "100101"}),
    ("same rank and province, different names", {"names": "พ.ต.อ.สมชาย ใจดี", "province": "ตาก"},
     {"names": "พ.ต.อ.มานะ ดีมาก", "province": "ตาก"}),
]


@pytest.mark.parametrize(("case", "a", "b"), SAME, ids=[c[0] for c in SAME])
def test_name_with_rank_or_province_merges(tmp_path: Path, case: str, a: dict[str, Any], b: dict[str, Any]) -> None:
    res = resolve_rows(pair(a, b), tmp_path)
    explained = res.explain_pair("a", "b")
    assert res.entity_of("a") == res.entity_of("b"), explained
    context = [f for f in explained["features"] if f["feature"] in ("title", "province") and f["weight"] > 0]
    assert context and all(f["explanation"].startswith(("Police or military ranks", "Graph context: the provinces"))
                           for f in context)


@pytest.mark.parametrize(("case", "a", "b"), APART, ids=[c[0] for c in APART])
def test_name_without_that_context_stays_apart(tmp_path: Path, case: str, a: dict[str, Any],
                                               b: dict[str, Any]) -> None:
    res = resolve_rows(pair(a, b), tmp_path)
    assert res.entity_of("a") != res.entity_of("b"), res.explain_pair("a", "b")


def _records() -> list[SourceRecord]:
    officer = SourceRecord(record_id="x:off", agency="RTP", source_file="rtp_cases.csv", row=1, part="officer",
                           entity_type="Person", props={"names": ["สมชาย ใจดี"], "prefixes": ["พ.ต.อ."],
                                                        "agency_unit": "สภ.แม่สอด"})
    employer = SourceRecord(record_id="x:emp", agency="DOPA", source_file="dopa_migrant_workers.csv", row=1,
                            part="employer", entity_type="Person",
                            props={"names": ["มานะ ดีมาก"], "prefixes": ["นาย"], "province": "ตาก"})
    resident = SourceRecord(record_id="x:res", agency="DOPA", source_file="dopa_population.csv", row=1,
                            part="person", entity_type="Person",
                            props={"names": ["มานะ ดีมาก"], "geocode": "630101", "location_key": "TH:630101:1:2"})
    return [officer, employer, resident]


def test_both_readers_carry_titles_and_provinces(tmp_path: Path) -> None:
    by_records = frame_from_records(_records()).set_index("record_id")
    with RecordStore(tmp_path) as store:
        store.upsert(_records(), run_date="2026-11-27")
        by_store = frame_from_store(store).set_index("record_id")
    for frame in (by_records, by_store):
        assert frame.loc["x:off", "prefixes"] == "พ.ต.อ."
        assert frame.loc["x:emp", "province"] == "ตาก"
        assert frame.loc["x:res", "geocode"] == "630101"
