"""Tables of pairs: which must become one person and which must stay two."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from er_helpers import pair, resolve_rows

# Valid Thai IDs (mod-11 check digit): 1100700123455, 3100600234561 (see ingest.types.thai_id)
ID_A, ID_B = "1100700123455", "3100600234561"
ID_A_TYPO = "1100700123465"  # one digit off, check digit wrong
ID_A_SWAP = "1100700132455"  # two neighbours swapped

SAME: list[tuple[str, dict[str, Any], dict[str, Any]]] = [
    ("Thai vs Latin script, same date", {"names": "นายสมชาย ใจดี", "birth_date": "1980-03-14"},
     {"names": "SOMCHAI JAIDEE", "birth_date": "1980-03-14"}),
    ("romanisation variant and ID", {"names": "Somchai Chaidee", "thai_id": ID_A},
     {"names": "สมชาย ใจดี", "thai_id": ID_A}),
    ("BE year read as CE", {"names": "สมชาย ใจดี", "birth_date": "1980-03-14"},
     {"names": "สมชาย ใจดี", "birth_date": "2523-03-14"}),
    ("day and month swapped", {"names": "สมชาย ใจดี", "birth_date": "1980-03-04"},
     {"names": "Somchai Jaidee", "birth_date": "1980-04-03"}),
    ("one-digit ID typo", {"names": "สมชาย ใจดี", "thai_id": ID_A},
     {"names": "สมชาย ใจดี", "thai_id": ID_A_TYPO}),
    ("adjacent digits swapped", {"names": "สมชาย ใจดี", "thai_id": ID_A},
     {"names": "Somchai Jaidee", "thai_id": ID_A_SWAP}),
    ("pink card and passport are no disagreement",
     {"names": "Aung Kyaw Min", "pink_card": "0045631234564", "birth_date": "1995-06-01", "nationality": "MMR"},
     {"names": "อ่อง จ่อ มิน", "passport": "MB123456", "birth_date": "1995-06-01", "nationality": "MMR"}),
    ("name-only pair with a shared case (OAG and COJ, same black case)",
     {"names": "นายสมชาย ใจดี", "case_keys": ["COJ-BLACK:อ.1234/2561"]},
     {"names": "สมชาย ใจดี", "case_keys": ["COJ-BLACK:อ.1234/2561", "COJ-RED:อ.5678/2562"]}),
    ("name and a shared phone", {"names": "Somchai Jaidee", "phones": ["+66812345678"]},
     {"names": "สมชาย ใจดี", "phones": ["+66812345678"]}),
]

APART: list[tuple[str, dict[str, Any], dict[str, Any]]] = [
    ("same name, different valid Thai IDs", {"names": "สมชาย ใจดี", "thai_id": ID_A, "birth_date": "1980-03-14"},
     {"names": "สมชาย ใจดี", "thai_id": ID_B, "birth_date": "1980-03-14"}),
    ("name-only pair without context", {"names": "นายสมชาย ใจดี", "sex": "M", "nationality": "THA"},
     {"names": "Somchai Jaidee", "sex": "M", "nationality": "THA"}),
    ("same name, different pink cards", {"names": "Wai Kyo", "pink_card": "0045631234564", "phones": ["+66812345678"]},
     {"names": "Wai Kyo", "pink_card": "0079673301763", "phones": ["+66812345678"]}),
    ("different people, same surname and date", {"names": "สมชาย ใจดี", "birth_date": "1980-03-14"},
     {"names": "สมศรี ใจดี", "birth_date": "1980-03-14"}),
    # the surname is in both of each record's spellings: one name does not contain the other
    ("siblings in one shelter, surname in both scripts",
     {"names": ["มกรา เพ็ชร", "Pich Makara"], "sex": "F", "location_keys": ["TH:390115:7"], "case_keys": ["C1"]},
     {"names": ["สุขา เพ็ชร", "Pich Sokha"], "sex": "F", "location_keys": ["TH:390115:7"], "case_keys": ["C1"]}),
    # victims of one ring share its shelter and case: context does not outvote a personal disagreement
    ("same syllables, different sex, one shelter",
     {"names": "Khin Myint", "sex": "F", "birth_date": "1999-01-01", "location_keys": ["TH:390115:7"]},
     {"names": "Myint Khin", "sex": "M", "birth_date": "1999-06-15", "location_keys": ["TH:390115:7"]}),
]


@pytest.mark.parametrize(("case", "a", "b"), SAME, ids=[c[0] for c in SAME])
def test_same_person(tmp_path: Path, case: str, a: dict[str, Any], b: dict[str, Any]) -> None:
    res = resolve_rows(pair(a, b), tmp_path)
    assert res.entity_of("a") == res.entity_of("b"), res.explain_pair("a", "b")


@pytest.mark.parametrize(("case", "a", "b"), APART, ids=[c[0] for c in APART])
def test_different_people(tmp_path: Path, case: str, a: dict[str, Any], b: dict[str, Any]) -> None:
    res = resolve_rows(pair(a, b), tmp_path)
    assert res.entity_of("a") != res.entity_of("b"), res.explain_pair("a", "b")


def test_name_only_pair_goes_to_review(tmp_path: Path) -> None:
    res = resolve_rows(pair(*APART[1][1:]), tmp_path)
    assert res.explain_pair("a", "b")["decision"] == "review"
    assert res.review_queue()[["record_a", "record_b"]].values.tolist() == [["a", "b"]]


def test_explanation_names_every_feature(tmp_path: Path) -> None:
    res = resolve_rows(pair(*SAME[0][1:]), tmp_path)
    ex = res.explain_pair("a", "b")
    by_feature = {f["feature"]: f for f in ex["features"]}
    assert by_feature["name"]["level"] == "same name" and by_feature["name"]["weight"] > 0
    assert by_feature["birth_date"]["level"] == "same date"
    assert by_feature["thai_id"]["weight"] == 0  # no information, no weight
    assert all(f["explanation"].endswith(".") for f in ex["features"])
    entity = res.explain_entity(res.entity_of("a"))
    assert entity["members"] == ["a", "b"] and len(entity["pairs"]) == 1


def test_namesakes_in_one_ring_are_not_joined_by_context(tmp_path: Path) -> None:
    # two women called Wai Kyo with different pink cards: the name is known to belong to two people, so a
    # third record with that name and only the ring's address and case cannot be given to either of them
    ring = {"names": "Wai Kyo", "location_keys": ["TH:390115:7"], "case_keys": ["RTP:สภ.เมืองสงขลา:1/2565"]}
    rows = [{"record_id": "a", **ring, "pink_card": "0045631234564", "birth_date": "2000-01-26"},
            {"record_id": "b", **ring, "pink_card": "0079673301763", "birth_date": "2010-05-12"},
            {"record_id": "c", **ring, "names": "WAI KYO"}]
    res = resolve_rows(rows, tmp_path)
    assert len({res.entity_of(r) for r in "abc"}) == 3
    explained = res.explain_pair("a", "c")
    context = {f["feature"]: f["weight"] for f in explained["features"]}
    assert context["address"] == 0 and context["shared_case"] == 0
    assert explained["decision"] != "merge"


def test_parts_of_one_case_row_are_context(tmp_path: Path) -> None:
    # a DSI case names a suspect and, under one of its organisations, the same person as director; the
    # director part carries nothing but the name, so only the shared row (the case) can join them
    row = {"agency": "DSI", "source_file": "dsi_special_cases.json", "exchange_id": None}
    rows = [{"record_id": "suspect", **row, "row": 3, "names": "สมชาย ใจดี", "birth_date": "1980-03-14"},
            {"record_id": "director", **row, "row": 3, "names": "นายสมชาย ใจดี"},
            {"record_id": "elsewhere", **row, "row": 4, "names": "สมชาย ใจดี"}]
    res = resolve_rows(rows, tmp_path)
    assert res.entity_of("suspect") == res.entity_of("director"), res.explain_pair("suspect", "director")
    assert res.entity_of("elsewhere") != res.entity_of("suspect")
