"""Graph context that exists in the agencies' data beyond shared cases, phones and accounts: PromptPay IDs of
a holder's accounts, and a nickname the police recorded as an alias in the same case."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from er_helpers import pair, resolve_rows

from entity_resolution import Settings
from entity_resolution.frame import frame_from_records, frame_from_store
from ingest.records import Link, SourceRecord
from ingest.store import RecordStore

ID_A = "1100700123455"
#: The default rules plus the one that puts a nickname-only record beside the suspect with that alias.
ALIAS_BLOCKING = [*Settings().blocking, ["names_and_aliases", "case_keys"]]


def _holder_rows() -> list[SourceRecord]:
    account = SourceRecord(record_id="x:acc", agency="AMLO", source_file="amlo_accounts.csv", row=1, part="account",
                           entity_type="Account", key="004-1234567890",
                           props={"promptpay_ids": ["0812345678", ID_A]})
    holder = SourceRecord(record_id="x:per", agency="AMLO", source_file="amlo_accounts.csv", row=1, part="holder",
                          entity_type="Person", props={"names": ["สมชาย ใจดี"]},
                          links=[Link(rel_type="HOLDS_ACCOUNT", target_record_id="x:acc")])
    return [account, holder]


def test_holder_carries_promptpay_ids_of_its_accounts(tmp_path: Path) -> None:
    by_records = frame_from_records(_holder_rows())
    with RecordStore(tmp_path) as store:
        store.upsert(_holder_rows(), run_date="2026-11-26")
        by_store = frame_from_store(store)
    assert by_records.set_index("record_id").loc["x:per", "promptpay_ids"] == ["0812345678", ID_A]
    assert by_store.set_index("record_id").loc["x:per", "promptpay_ids"] == ["0812345678", ID_A]


HOLDER = {"names": "นายสมชาย ใจดี", "sex": "M", "accounts": ["004-1234567890"]}

SAME: list[tuple[str, dict[str, Any], dict[str, Any]]] = [
    ("PromptPay ID is the other's phone", {**HOLDER, "promptpay_ids": ["081-234-5678"]},
     {"names": "สมชาย ใจดี", "sex": "M", "phones": ["+66812345678"]}),
    ("PromptPay ID is the other's Thai ID", {**HOLDER, "promptpay_ids": [ID_A]},
     {"names": "Somchai Jaidee", "sex": "M", "thai_id": ID_A}),
    ("two accounts answer to one PromptPay ID", {**HOLDER, "promptpay_ids": ["0812345678"]},
     {**HOLDER, "accounts": ["002-9999999999"], "promptpay_ids": ["0812345678"]}),
]

APART: list[tuple[str, dict[str, Any], dict[str, Any]]] = [
    ("same name, PromptPay ID is nobody's number here", {**HOLDER, "promptpay_ids": ["0899999999"]},
     {"names": "สมชาย ใจดี", "sex": "M", "phones": ["+66812345678"]}),
    # a ring plants the collector's phone as PromptPay ID on an official's account: context, not identity
    ("PromptPay ID is the other's phone, different name",
     {"names": "นายมานะ ดีมาก", "sex": "M", "accounts": ["004-1234567890"], "promptpay_ids": ["0812345678"]},
     {"names": "สมชาย ใจดี", "sex": "M", "phones": ["+66812345678"]}),
]


@pytest.mark.parametrize(("case", "a", "b"), SAME, ids=[c[0] for c in SAME])
def test_promptpay_link_with_agreeing_name_merges(tmp_path: Path, case: str, a: dict[str, Any],
                                                  b: dict[str, Any]) -> None:
    res = resolve_rows(pair(a, b), tmp_path)
    assert res.entity_of("a") == res.entity_of("b"), res.explain_pair("a", "b")
    accounts = {f["feature"]: f for f in res.explain_pair("a", "b")["features"]}["accounts"]
    assert "PromptPay" in accounts["level"] and accounts["weight"] > 0


@pytest.mark.parametrize(("case", "a", "b"), APART, ids=[c[0] for c in APART])
def test_promptpay_without_agreeing_name_or_link_stays_apart(tmp_path: Path, case: str, a: dict[str, Any],
                                                             b: dict[str, Any]) -> None:
    res = resolve_rows(pair(a, b), tmp_path)
    assert res.entity_of("a") != res.entity_of("b"), res.explain_pair("a", "b")


CASE = "RTP:สภ.เมืองสงขลา:1/2565"
SUSPECT = {"names": "นางสาวดอไหวพยู", "aliases": ["สายเล็ก"], "sex": "F", "case_keys": [CASE],
           "pink_card": "0045631234564"}
# the victims' police case names many people: the case alone says little about any two of them
CROWD = [{"record_id": f"v{k}", "names": f"Victim{k} Person{k}", "case_keys": [CASE]} for k in range(40)]


def test_recruiter_nickname_is_the_suspects_alias_in_the_same_case(tmp_path: Path) -> None:
    recruiter = {"names": "สายเล็ก", "case_keys": [CASE]}
    res = resolve_rows([{"record_id": "a", **recruiter}, {"record_id": "b", **SUSPECT}, *CROWD], tmp_path,
                       settings=Settings(blocking=ALIAS_BLOCKING))
    assert res.entity_of("a") == res.entity_of("b"), res.explain_pair("a", "b")
    name = {f["feature"]: f for f in res.explain_pair("a", "b")["features"]}["name"]
    assert "alias" in name["level"]


def test_nickname_alias_without_a_shared_case_does_not_merge(tmp_path: Path) -> None:
    recruiter = {"names": "สายเล็ก", "case_keys": ["RTP:สภ.เมืองชลบุรี:1/2563"]}
    res = resolve_rows([{"record_id": "a", **recruiter}, {"record_id": "b", **SUSPECT}, *CROWD], tmp_path,
                       settings=Settings(blocking=ALIAS_BLOCKING))
    assert res.entity_of("a") != res.entity_of("b"), res.explain_pair("a", "b")
    assert res.explain_pair("a", "b")["decision"] != "merge"


DSI_ROW = {"agency": "DSI", "source_file": "dsi_special_cases.json", "row": 2, "exchange_id": None}


@pytest.mark.parametrize(("holder_name", "merged"), [("นายสมชาย ใจดี", True), ("นางมานี ใจดี", False)],
                         ids=["same name", "a relative's name"])
def test_account_seized_in_the_case_that_names_the_other(tmp_path: Path, holder_name: str, merged: bool) -> None:
    # a DSI case names a suspect and, among its seized assets, an account; AMLO's account list names the
    # account's holder (no ID): the same name ties them, a relative's name does not
    rows = [{"record_id": "suspect", **DSI_ROW, "entity_type": "Person", "names": "สมชาย ใจดี", "thai_id": ID_A},
            {"record_id": "seized", **DSI_ROW, "entity_type": "Account", "key": "004-1234567890"},
            {"record_id": "holder", "agency": "AMLO", "source_file": "amlo_accounts.csv", "row": 7,
             "entity_type": "Person", "names": holder_name, "accounts": ["004-1234567890"]},
            {"record_id": "listed", "agency": "AMLO", "source_file": "amlo_accounts.csv", "row": 7,
             "entity_type": "Account", "key": "004-1234567890"}]
    res = resolve_rows(rows, tmp_path)
    assert (res.entity_of("suspect") == res.entity_of("holder")) is merged, res.explain_pair("suspect", "holder")
