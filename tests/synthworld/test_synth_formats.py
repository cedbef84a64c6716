"""Every file parses back according to agency-exports.md: encodings, columns, date styles, sheet, signatures."""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from stdnum.th import pin

COLUMNS = {
    "msdhs/msdhs_victims.csv": "รหัสผู้เสียหาย คำนำหน้า ชื่อ นามสกุล ชื่อภาษาอังกฤษ เพศ วันเกิด อายุ สัญชาติ เลขประจำตัว "
                               "ประเภทเอกสาร โทรศัพท์ ภูมิลำเนา รูปแบบการแสวงประโยชน์ วันที่คัดแยก จังหวัดที่พบ "
                               "สถานคุ้มครอง เลขคดีตำรวจ ผู้ชักชวน ความช่วยเหลือ",
    "rtp/rtp_cases.csv": "เลขคดี สถานี ข้อหา วันรับแจ้ง วันเกิดเหตุ สถานที่เกิดเหตุ สถานะ พนักงานสอบสวน เลขคดีพิเศษ",
    "rtp/rtp_case_persons.csv": "เลขคดี บทบาท ชื่อ-สกุล ชื่อเล่น/ฉายา เลขประจำตัว วันเกิด อายุ สัญชาติ โทรศัพท์ ที่อยู่ "
                                "ถูกจับกุม ทะเบียนรถ",
    "rtp/rtp_immigration.csv": "passport_no nationality name_en birth_date sex checkpoint direction crossed_at doc_type "
                               "vehicle_plate",
    "oag/oag_prosecutions.csv": "เลขสำนวนอัยการ เลขคดีตำรวจ เลขคดีพิเศษ ผู้ต้องหา เลขประจำตัวผู้ต้องหา ข้อหา คำสั่ง "
                                "วันที่มีคำสั่ง ศาล คดีหมายเลขดำ สำนักงานอัยการ",
    "amlo/amlo_accounts.csv": "bank_code bank_name account_no account_name holder_id_no opened_date promptpay_ids",
    "amlo/amlo_transactions.csv": "txn_id timestamp from_bank from_account to_bank to_account amount_thb channel memo",
    "amlo/amlo_reports.csv": "report_id report_type subject_name subject_id_no bank_code account_no report_date reason "
                             "linked_case_no",
    "pacc/pacc_officials.csv": "เลขเรื่อง ชื่อเจ้าหน้าที่ เลขประจำตัว หน่วยงาน ตำแหน่ง จังหวัด ข้อกล่าวหา วันที่กล่าวหา "
                               "เลขคดีที่เกี่ยวข้อง สถานะ",
    "rlpd/rlpd_compensation.csv": "เลขคำขอ ผู้ยื่นคำขอ เลขประจำตัว ประเภท คดีอ้างอิง จำนวนที่ขอ จำนวนที่จ่าย วันที่อนุมัติ "
                                  "ธนาคาร เลขบัญชี",
    "dopa/dopa_population.csv": "national_id prefix first_name last_name first_name_en last_name_en birth_date sex "
                                "house_id house_no moo tambon_code amphoe_code changwat_code father_id mother_id "
                                "spouse_id status",
    "dopa/dopa_migrant_workers.csv": "pink_card_no name_en nationality birth_date employer_name employer_id_no "
                                     "work_province registered_date",
    "dopa/dopa_local_officials.csv": "national_id name position moo tambon amphoe province term_start",
}
COJ_COLUMNS = ["ศาล", "คดีหมายเลขดำ", "คดีหมายเลขแดง", "จำเลย", "เลขประจำตัวจำเลย", "ผลคำพิพากษา", "โทษ", "วันที่พิพากษา", "ค่าสินไหมทดแทนผู้เสียหาย", "สถานะอุทธรณ์"]
BE_DATE = re.compile(r"^(\d{2}/\d{2}/25\d\d|25\d\d-\d\d-\d\d|25\d{6}|\d{1,2} \S+ 25\d\d|\d{2}/\d{2}/20\d\d|"
                     r"20\d\d-\d\d-\d\d|20\d{6}|\d{1,2} \S+ 20\d\d)$")
ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def read(world: Path, name: str) -> pd.DataFrame:
    enc = "cp874" if name.startswith("dopa/dopa_population") else "utf-8-sig"
    return pd.read_csv(world / "exports" / name, dtype=str, keep_default_na=False, encoding=enc)


@pytest.mark.parametrize("name", sorted(COLUMNS))
def test_csv_columns_match_reference(world_dir: Path, name: str) -> None:
    df = read(world_dir, name)
    assert list(df.columns) == COLUMNS[name].split()
    assert len(df) > 0


def test_dopa_population_is_tis620_not_utf8(world_dir: Path) -> None:
    raw = (world_dir / "exports/dopa/dopa_population.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    df = read(world_dir, "dopa/dopa_population.csv")
    assert df["prefix"].isin(["นาย", "นาง", "นางสาว", "ด.ช.", "ด.ญ."]).mean() > 0.95
    assert df["birth_date"].str.fullmatch(r"2[45]\d{6}").all()
    assert df["sex"].isin(["1", "2"]).all()
    assert df["house_id"].str.fullmatch(r"\d{11}").all()
    assert df["national_id"].map(pin.is_valid).all()  # the registry itself is clean
    spouses = df[df["spouse_id"] != ""]
    assert spouses["spouse_id"].isin(set(df["national_id"])).all()


def test_be_and_iso_date_columns(world_dir: Path) -> None:
    for name, col in (("rtp/rtp_cases.csv", "วันรับแจ้ง"), ("oag/oag_prosecutions.csv", "วันที่มีคำสั่ง"),
                      ("pacc/pacc_officials.csv", "วันที่กล่าวหา"), ("msdhs/msdhs_victims.csv", "วันที่คัดแยก")):
        values = read(world_dir, name)[col]
        assert values.map(lambda v: bool(BE_DATE.match(v))).all(), (name, values[~values.str.match(BE_DATE)])
        assert values.str.contains(r"25[56]\d").mean() > 0.8  # mostly BE years 2558-2568
    tx = read(world_dir, "amlo/amlo_transactions.csv")
    assert tx["timestamp"].str.fullmatch(r"20\d\d-\d\d-\d\dT\d\d:\d\d:\d\d\+07:00").all()
    assert read(world_dir, "amlo/amlo_accounts.csv")["opened_date"].str.match(ISO).all()
    imm = read(world_dir, "rtp/rtp_immigration.csv")
    assert imm["crossed_at"].str.endswith("+07:00").all()
    assert (imm["name_en"] == imm["name_en"].str.upper()).all()
    assert imm["nationality"].isin(["THA", "MMR", "KHM", "LAO", "VNM"]).all()


def test_coj_xlsx_sheet_and_thai_month_dates(world_dir: Path) -> None:
    wb = openpyxl.load_workbook(world_dir / "exports/coj/coj_judgments.xlsx", read_only=True)
    assert wb.sheetnames == ["คำพิพากษา"]
    rows = list(wb["คำพิพากษา"].iter_rows(values_only=True))
    assert list(rows[0]) == COJ_COLUMNS
    months = ["มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน", "กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม", "ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.", "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค."]
    dates = [str(r[7]) for r in rows[1:]]
    assert dates and sum(any(m in d for m in months) for d in dates) / len(dates) > 0.8
    assert all(r[5] in ("ลงโทษ", "ยกฟ้อง", "จำหน่ายคดี") for r in rows[1:])


def test_dsi_is_json_array_of_special_cases(world_dir: Path) -> None:
    cases = json.loads((world_dir / "exports/dsi/dsi_special_cases.json").read_text(encoding="utf-8"))
    assert isinstance(cases, list) and cases
    for c in cases:
        assert set(c) == {"special_case_no", "accepted_date", "title", "related_police_cases", "suspects",
                          "organisations", "assets_seized", "status"}
        assert c["special_case_no"].startswith("คดีพิเศษที่ ")
        for s in c["suspects"]:
            assert set(s) == {"name_th", "name_en", "id_no", "passport_no", "nationality", "birth_date", "phones",
                              "addresses", "role"}
        for o in c["organisations"]:
            assert o["kind"] in ("company", "recruitment agency", "fishing vessel", "karaoke bar")


def test_envelopes_verify_with_written_keys(world_dir: Path) -> None:
    dga = world_dir / "exports/dga"
    keys = json.loads((dga / "keys.json").read_text(encoding="utf-8"))
    lines = (dga / "envelopes.jsonl").read_text(encoding="utf-8").splitlines()
    assert lines
    types = set()
    for line in lines:
        env = json.loads(line)
        payload = json.dumps(env["payload"], sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
        expected = hmac.new(keys[env["agency"]].encode(), payload, hashlib.sha256).hexdigest()
        assert hmac.compare_digest(env["signature"], expected)
        types.add(env["record_type"])
        assert env["issued_at"].endswith("+07:00")
    assert types <= {"msdhs_victims", "rtp_case_persons", "pacc_officials", "rlpd_compensation"}
    assert len({json.loads(x)["exchange_id"] for x in lines}) == len(lines)


def test_truth_rows_point_at_existing_rows(world_dir: Path) -> None:
    rec = pd.read_csv(world_dir / "truth/records.csv", dtype=str, keep_default_na=False)
    assert list(rec.columns) == ["agency", "file", "row", "exchange_id", "part", "entity_type", "entity_id"]
    assert ((rec["row"] == "") != (rec["exchange_id"] == "")).all()
    for name in COLUMNS:
        n = len(read(world_dir, name))
        rows = rec.loc[(rec["file"] == name.split("/")[1]) & (rec["row"] != ""), "row"].astype(int)
        assert rows.min() == 1 and rows.max() == n, name
    persons = rec[rec["file"] == "rtp_case_persons.csv"]
    assert set(persons["part"]) == {"person", "case"}
    kinds = {"P": "Person", "O": "Organization", "A": "Account", "C": "Case"}
    assert (rec["entity_id"].str[0].map(kinds) == rec["entity_type"]).all()


def test_identifier_shapes(world_dir: Path) -> None:
    workers = read(world_dir, "dopa/dopa_migrant_workers.csv")
    cards = workers["pink_card_no"]
    assert cards.str.fullmatch(r"00\d{11}").mean() > 0.9  # the rest carry a mistyped digit
    myanmar = workers[workers["nationality"] == "เมียนมา"]["name_en"].str.split().str[0]
    assert len(myanmar) and myanmar.isin(["MAUNG", "MG", "KO", "U", "MA", "DAW", "NAW"]).mean() > 0.8
    khmer = workers[workers["nationality"] == "กัมพูชา"]["name_en"].str.split().str[0]
    families = {"SOK", "CHAN", "KIM", "HENG", "KEO", "CHEA", "MEAS", "PRAK", "PHAN", "LY", "NHEM", "SENG", "OUK",
                "TOUCH", "MAO", "PICH", "VANN"}
    assert len(khmer) and khmer.isin(families).mean() > 0.6  # family name first (noise swaps a few)
    accounts = read(world_dir, "amlo/amlo_accounts.csv")
    assert accounts["bank_code"].isin(["002", "004", "006", "011", "014", "025", "030"]).all()
    assert accounts["account_no"].str.replace("-", "").str.fullmatch(r"\d{10}").all()
    assert accounts["account_no"].str.fullmatch(r"\d{3}-\d-\d{5}-\d").any()
    cases = json.loads((world_dir / "exports/dsi/dsi_special_cases.json").read_text(encoding="utf-8"))
    regs = [o["registration_no"] for c in cases for o in c["organisations"] if o["registration_no"]]
    assert regs and all(re.fullmatch(r"0105\d{9}", r) for r in regs)
    persons = read(world_dir, "rtp/rtp_case_persons.csv")
    assert persons["เลขคดี"].str.fullmatch(r"(สภ\.\S+|บก\.ปคม\.) \d+/25\d\d").all()
