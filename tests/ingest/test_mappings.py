"""Every export's mapping on a small hand-made fixture: parts, keys, properties and links as declared."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from ingest_helpers import (
    AMLO_ACCOUNT_ROW,
    AMLO_REPORT_ROW,
    AMLO_TXN_ROW,
    COJ_ROW,
    DOPA_ROW,
    DSI_CASE,
    IMMIGRATION_ROW,
    LOCAL_OFFICIAL_ROW,
    MIGRANT_ROW,
    MSDHS_ROW,
    OAG_ROW,
    PACC_ROW,
    RLPD_ROW,
    RTP_CASE_ROW,
    RTP_PERSON_ROW,
    write_csv,
    write_json,
    write_xlsx,
)

from graph_model.model import load_schema
from ingest.mapping import load_mappings
from ingest.pipeline import ingest_path
from ingest.records import SourceRecord
from ingest.store import RecordStore


def _load(tmp_path: Path, name: str, writer: Any) -> dict[str, SourceRecord]:
    src = tmp_path / "exports"
    src.mkdir()
    writer(src / name)
    report = ingest_path(src, tmp_path / "ws", progress=None)
    assert not report.refused, report.refused
    assert [(f.read, f.quarantined) for f in report.files] == [(1, 0)]
    with RecordStore(tmp_path / "ws") as store:
        return {r.part: r for r in store.iter_records()}


def _links(r: SourceRecord) -> dict[str, list[Any]]:
    out: dict[str, list[Any]] = {}
    for ln in r.links:
        out.setdefault(ln.rel_type, []).append(ln)
    return out


def test_every_export_has_a_mapping_that_fits_the_schema() -> None:
    maps = load_mappings()
    assert len(maps) == 16
    assert {m.agency for m in maps.values()} == {"MSDHS", "RTP", "DSI", "OAG", "COJ", "AMLO", "PACC", "RLPD",
                                                 "DOPA", "DGA"}
    assert maps["dga_exchange"].kind == "exchange"


def test_msdhs_victims_bom(tmp_path: Path) -> None:
    recs = _load(tmp_path, "msdhs_victims.csv", lambda p: write_csv(p, [MSDHS_ROW], bom=True))
    assert set(recs) == {"victim", "recruiter", "police_case"}
    v = recs["victim"]
    assert v.props["passport"] == "MB071213" and v.props["nationality"] == "MMR" and v.props["sex"] == "F"
    assert v.props["birth_date"] == "1992-07-19" and v.props["names"] == ["นอมาตั่น", "Mar Thant"]
    assert v.props["prefixes"] == ["นางสาว", "Naw"]
    assert v.props["phones"] == ["+66899104639", "+959450123456"]
    links = _links(v)
    assert links["RECRUITED_BY"][0].target_record_id == recs["recruiter"].record_id
    assert links["ROLE_IN"][0].target_key == recs["police_case"].key == "RTP:สภ.เมืองสงขลา:1/2561"
    assert links["HAS_DOCUMENT"][0].target_key == "passport:MB071213"
    assert links["HAS_ADDRESS"][0].target_props["country"] == "MMR"
    assert links["FOUND_AT"][0].props == {"date": "2018-03-08", "exploitation": "แรงงานบังคับ"}
    assert recs["recruiter"].props["names"] == ["เจ๊แดง"]


def test_rtp_cases_refer_to_the_dsi_case(tmp_path: Path) -> None:
    recs = _load(tmp_path, "rtp_cases.csv", lambda p: write_csv(p, [RTP_CASE_ROW]))
    assert set(recs) == {"case", "dsi_case", "officer"}
    case = recs["case"]
    assert case.props["opened_date"] == "2018-08-15" and case.props["incident_date"] == "2018-08-01"
    ref = _links(case)["REFERS_TO"][0]
    assert (ref.target_key, ref.props) == ("DSI:45/2561", {"relation": "transferred_to"})
    assert _links(case)["OCCURRED_AT"][0].target_key == "TH:630607:99/9:3"
    assert recs["officer"].props["prefixes"] == ["พ.ต.ท."] and recs["officer"].props["is_official"] is True


def test_rtp_case_persons_cp874(tmp_path: Path) -> None:
    recs = _load(tmp_path, "rtp_case_persons.csv", lambda p: write_csv(p, [RTP_PERSON_ROW], encoding="cp874"))
    p = recs["person"]
    assert p.props["names"] == ["สมชาย ใจดี"] and p.props["aliases"] == ["เสี่ยหนุ่ย", "หนุ่ย"]
    assert p.props["thai_id"] == "1100700123456" and p.props["thai_id_valid"] is False
    assert "thai_id:bad_check_digit" in p.flags  # kept and flagged, never dropped
    assert p.props["birth_date"] == "1977-08-05" and p.props["location_key"] == "TH:630607:99/9:3"
    links = _links(p)
    assert links["ROLE_IN"][0].props == {"role": "suspect", "arrested": True}
    assert [ln.target_key for ln in links["HAS_PHONE"]] == ["+66812345678", "+66898765432"]
    assert links["HAS_DOCUMENT"][0].target_props == {"doc_type": "thai_id", "number": "1100700123456",
                                                     "valid": False}
    assert links["USED_VEHICLE"][0].target_key == "1กข1234ตาก"


def test_rtp_immigration(tmp_path: Path) -> None:
    recs = _load(tmp_path, "rtp_immigration.csv", lambda p: write_csv(p, [IMMIGRATION_ROW]))
    t = recs["traveller"]
    crossing = _links(t)["CROSSED_BORDER"][0]
    assert crossing.target_key == "checkpoint:Mae Sot" and crossing.props["ts"] == 1533100614
    assert crossing.discriminator == "2018-08-01T12:16:54+07:00" and crossing.props["direction"] == "IN"
    assert t.props["prefixes"] == ["MAUNG"] and t.props["passport"] == "MB144121"


def test_dsi_special_cases_json(tmp_path: Path) -> None:
    recs = _load(tmp_path, "dsi_special_cases.json", lambda p: write_json(p, [DSI_CASE]))
    assert set(recs) == {"case", "police_case:1", "police_case:2", "suspect:1", "organisation:1",
                         "organisation:1/director:1", "organisation:1/director:2", "asset:2"}
    assert recs["asset:2"].key == "004-1234567890"
    assert recs["organisation:1"].props["registration_no"] == "0105561012346"
    by_id = recs["organisation:1/director:2"]
    assert by_id.props["thai_id"] == "3100600012348" and "names" not in by_id.props
    seized = _links(recs["case"])["SEIZED"][0]
    assert seized.props == {"value_thb": 250000.5, "asset_kind": "bank_account"}
    refs = _links(recs["case"])["REFERS_TO"]
    assert all(r.reverse for r in refs) and {r.target_part for r in refs} == {"police_case:1", "police_case:2"}
    assert _links(recs["organisation:1/director:1"])["DIRECTOR_OF"][0].target_part == "organisation:1"
    assert len(_links(recs["suspect:1"])["HAS_PHONE"]) == 2


def test_oag_cites_police_dsi_and_court(tmp_path: Path) -> None:
    recs = _load(tmp_path, "oag_prosecutions.csv", lambda p: write_csv(p, [OAG_ROW]))
    refs = {ln.target_key: ln.props["relation"] for ln in _links(recs["prosecution"])["REFERS_TO"]}
    assert refs == {"RTP:สภ.แม่สอด:123/2561": "prosecution_of", "DSI:45/2561": "prosecution_of",
                    "COJ-BLACK:อ.1234/2562": "filed_as"}


def test_coj_xlsx_named_sheet(tmp_path: Path) -> None:
    recs = _load(tmp_path, "coj_judgments.xlsx", lambda p: write_xlsx(p, [COJ_ROW], "คำพิพากษา"))
    case = recs["case"]
    assert case.key == "COJ-BLACK:อ.1234/2562" and case.props["decision_date"] == "2020-08-15"
    assert case.props["prison_months"] == 96 and case.props["fine_thb"] == 400000.0
    assert _links(case)["REFERS_TO"][0].target_key == "COJ-RED:อ.5678/2563"


def test_amlo_accounts_holder_is_an_organisation(tmp_path: Path) -> None:
    recs = _load(tmp_path, "amlo_accounts.csv", lambda p: write_csv(p, [AMLO_ACCOUNT_ROW]))
    assert recs["holder"].entity_type == "Organization"
    assert recs["holder"].props["registration_no"] == "0105561012346"
    assert recs["account"].props["promptpay_ids"] == ["0812345678", "0105561012346"]
    assert _links(recs["holder"])["HOLDS_ACCOUNT"][0].target_key == "004-1234567890"


@pytest.mark.parametrize("from_account, expected", [("3132672525", "002-3132672525"), ("", "CASH-004")])
def test_amlo_transactions(tmp_path: Path, from_account: str, expected: str) -> None:
    row = {**AMLO_TXN_ROW, "from_account": from_account}
    recs = _load(tmp_path, "amlo_transactions.csv", lambda p: write_csv(p, [row]))
    transfers = [ln for r in recs.values() for ln in r.links if ln.rel_type == "TRANSFER"]
    assert len(transfers) == 1
    t = transfers[0]
    assert t.props["amount_thb"] == 1250000.0 and t.props["at"] == "2018-08-15T10:30:00+07:00"
    assert t.discriminator == "T0000000001"
    source = recs["from_account"].key if from_account else t.target_key
    assert source == expected


def test_amlo_reports(tmp_path: Path) -> None:
    recs = _load(tmp_path, "amlo_reports.csv", lambda p: write_csv(p, [AMLO_REPORT_ROW]))
    assert recs["report"].key == "AMLO:STR-000001" and recs["subject"].entity_type == "Person"
    assert _links(recs["report"])["CONCERNS"][0].target_key == "014-2646307225"
    assert _links(recs["report"])["REFERS_TO"][0].props == {"relation": "report_about"}


def test_pacc_and_rlpd(tmp_path: Path) -> None:
    recs = _load(tmp_path, "pacc_officials.csv", lambda p: write_csv(p, [PACC_ROW]))
    assert recs["official"].props["is_official"] is True
    assert _links(recs["complaint"])["REFERS_TO"][0].target_key == "DSI:45/2561"
    (tmp_path / "r").mkdir()
    recs = _load(tmp_path / "r", "rlpd_compensation.csv", lambda p: write_csv(p, [RLPD_ROW]))
    paid = _links(recs["claim"])["PAID_TO"][0]
    assert paid.target_key == "006-5239108003" and paid.props == {"amount_thb": 102000.0, "date": "2021-05-20"}


def test_dopa_population_tis620_family(tmp_path: Path) -> None:
    recs = _load(tmp_path, "dopa_population.csv", lambda p: write_csv(p, [DOPA_ROW], encoding="cp874"))
    p = recs["person"]
    assert p.props["birth_date"] == "1977-08-05" and p.props["sex"] == "M"
    links = _links(p)
    assert links["FAMILY"][0].target_type == "Person" and links["FAMILY"][0].target_key == "thai_id:3100600012348"
    assert links["HAS_ADDRESS"][0].target_key == p.props["location_key"] == "TH:630607:99/9:3"


def test_dopa_migrants_and_local_officials(tmp_path: Path) -> None:
    recs = _load(tmp_path, "dopa_migrant_workers.csv", lambda p: write_csv(p, [MIGRANT_ROW]))
    assert recs["worker"].props["pink_card"] == "0045631234564"
    assert recs["employer"].entity_type == "Organization"
    assert _links(recs["worker"])["EMPLOYED_BY"][0].props == {"since": "2015-05-24", "work_province": "สงขลา"}
    (tmp_path / "o").mkdir()
    recs = _load(tmp_path / "o", "dopa_local_officials.csv", lambda p: write_csv(p, [LOCAL_OFFICIAL_ROW]))
    assert recs["official"].props["location_key"] == "TH:450707:6"


def test_every_record_and_link_fits_the_schema(tmp_path: Path) -> None:
    """All fixtures through one run: identifier parts have keys, schema props are well typed."""
    src = tmp_path / "exports"
    src.mkdir()
    write_csv(src / "msdhs_victims.csv", [MSDHS_ROW])
    write_csv(src / "rtp_case_persons.csv", [RTP_PERSON_ROW])
    write_json(src / "dsi_special_cases.json", [DSI_CASE])
    write_xlsx(src / "coj_judgments.xlsx", [COJ_ROW], "คำพิพากษา")
    write_csv(src / "amlo_transactions.csv", [AMLO_TXN_ROW])
    ingest_path(src, tmp_path / "ws", progress=None)
    schema = load_schema()
    with RecordStore(tmp_path / "ws") as store:
        records = list(store.iter_records())
    assert len(records) == 3 + 2 + 8 + 2 + 2
    for r in records:
        nt = schema.node_type(r.entity_type)
        declared = {k: v for k, v in r.props.items() if k in nt.properties}
        schema.check_node(r.entity_type, r.record_id, declared)
        for ln in r.links:
            props = {k: v for k, v in ln.props.items()}
            schema.rel_type(ln.rel_type)
            for name, value in props.items():
                schema.relationships[ln.rel_type].properties[name].check(ln.rel_type, value)
