"""Hand-made export fixtures for the ingest tests: one small, real-looking example per export."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

Row = dict[str, Any]


def write_csv(path: Path, rows: list[Row], encoding: str = "utf-8", bom: bool = False,
              columns: list[str] | None = None) -> Path:
    """Write ``rows`` as CSV (``encoding`` may be ``cp874``; ``bom`` adds a UTF-8 byte order mark)."""
    columns = columns or list(rows[0])
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    data = buf.getvalue().encode(encoding)
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)
    return path


def write_xlsx(path: Path, rows: list[Row], sheet: str) -> Path:
    """Write ``rows`` into sheet ``sheet`` of a new workbook (plus an empty first sheet named Summary)."""
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.title = "Summary"
    ws = wb.create_sheet(sheet)
    columns = list(rows[0])
    ws.append(columns)
    for row in rows:
        ws.append([row[c] for c in columns])
    wb.save(path)
    return path


def write_json(path: Path, objects: list[Row]) -> Path:
    """Write a JSON array of objects."""
    path.write_text(json.dumps(objects, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


MSDHS_ROW = {
    "รหัสผู้เสียหาย": "V-2561-000123", "คำนำหน้า": "นางสาว", "ชื่อ": "นอมาตั่น", "นามสกุล": "",
    "ชื่อภาษาอังกฤษ": "Naw Mar Thant", "เพศ": "หญิง", "วันเกิด": "19/07/2535", "อายุ": "", "สัญชาติ": "เมียนมา",
    "เลขประจำตัว": "MB071213", "ประเภทเอกสาร": "หนังสือเดินทาง", "โทรศัพท์": "089-910-4639 / +95 9 450 123 456",
    "ภูมิลำเนา": "Myawaddy, Kayin State, Myanmar", "รูปแบบการแสวงประโยชน์": "แรงงานบังคับ",
    "วันที่คัดแยก": "08/03/2561", "จังหวัดที่พบ": "สงขลา", "สถานคุ้มครอง": "สถานคุ้มครองฯ จ.สงขลา",
    "เลขคดีตำรวจ": "สภ.เมืองสงขลา 1/2561", "ผู้ชักชวน": "เจ๊แดง", "ความช่วยเหลือ": "ค่ารักษาพยาบาล;ที่พัก",
}
RTP_CASE_ROW = {
    "เลขคดี": "สภ.แม่สอด 123/2561", "สถานี": "สภ.แม่สอด", "ข้อหา": "พ.ร.บ.ป้องกันและปราบปรามการค้ามนุษย์ พ.ศ.2551 ม.6",
    "วันรับแจ้ง": "15 ส.ค. 2561", "วันเกิดเหตุ": "2561-08-01", "สถานที่เกิดเหตุ": "99/9 หมู่ 3 ต.แม่ปะ อ.แม่สอด จ.ตาก 63110",
    "สถานะ": "โอนคดีพิเศษ", "พนักงานสอบสวน": "พ.ต.ท.สมศักดิ์ รักษ์ไทย", "เลขคดีพิเศษ": "คดีพิเศษที่ 45/2561",
}
RTP_PERSON_ROW = {
    "เลขคดี": "สภ.แม่สอด 123/2561", "บทบาท": "ผู้ต้องหา", "ชื่อ-สกุล": "นายสมชาย ใจดี (เสี่ยหนุ่ย)",
    "ชื่อเล่น/ฉายา": "หนุ่ย", "เลขประจำตัว": "1-1007-00123-45-6", "วันเกิด": "25200805", "อายุ": "",
    "สัญชาติ": "ไทย", "โทรศัพท์": "081-234-5678, 0898765432", "ที่อยู่": "99/9 หมู่ 3 ต.แม่ปะ อ.แม่สอด จ.ตาก 63110",
    "ถูกจับกุม": "Y", "ทะเบียนรถ": "1กข 1234 ตาก",
}
IMMIGRATION_ROW = {
    "passport_no": "MB144121", "nationality": "MMR", "name_en": "MAUNG AUNG KYAW", "birth_date": "1994-12-23",
    "sex": "M", "checkpoint": "Mae Sot", "direction": "IN", "crossed_at": "2018-08-01T12:16:54+07:00",
    "doc_type": "PASSPORT", "vehicle_plate": "1กข 1234 ตาก",
}
DSI_CASE = {
    "special_case_no": "คดีพิเศษที่ 45/2561", "accepted_date": "2018-09-01", "title": "ค้ามนุษย์ประมงทะเล",
    "related_police_cases": ["สภ.แม่สอด 123/2561", "สภ.เมืองระนอง 7/2561"],
    "suspects": [{"name_th": "นายสมชาย ใจดี", "name_en": "Somchai Jaidee", "id_no": "1100700123455",
                  "passport_no": "", "nationality": "ไทย", "birth_date": "1977-08-05",
                  "phones": ["0812345678", "0898765432"], "addresses": ["99/9 หมู่ 3 ต.แม่ปะ อ.แม่สอด จ.ตาก 63110"],
                  "role": "ผู้ต้องหา"}],
    "organisations": [{"name": "บริษัท ซีฟู้ด จำกัด", "registration_no": "0105561012346", "kind": "company",
                       "address": "ตาก", "directors": ["นายสมชาย ใจดี", "3100600012348"]}],
    "assets_seized": [{"kind": "land", "description": "ที่ดิน 2 ไร่", "value_thb": 1500000, "bank_code": "",
                       "account_no": ""},
                      {"kind": "bank_account", "description": "บัญชีออมทรัพย์", "value_thb": 250000.5,
                       "bank_code": "004", "account_no": "123-4-56789-0"}],
    "status": "อยู่ระหว่างสอบสวน",
}
OAG_ROW = {
    "เลขสำนวนอัยการ": "อส.คม. 12/2561", "เลขคดีตำรวจ": "สภ.แม่สอด 123/2561", "เลขคดีพิเศษ": "คดีพิเศษที่ 45/2561",
    "ผู้ต้องหา": "นายสมชาย ใจดี", "เลขประจำตัวผู้ต้องหา": "1100700123455", "ข้อหา": "ค้ามนุษย์", "คำสั่ง": "สั่งฟ้อง",
    "วันที่มีคำสั่ง": "08/07/2562", "ศาล": "ศาลอาญาคดีทุจริตและประพฤติมิชอบ", "คดีหมายเลขดำ": "อ.1234/2562",
    "สำนักงานอัยการ": "สำนักงานอัยการสูงสุด คดีค้ามนุษย์",
}
COJ_ROW = {
    "ศาล": "ศาลอาญา", "คดีหมายเลขดำ": "อ.1234/2562", "คดีหมายเลขแดง": "อ.5678/2563", "จำเลย": "นายสมชาย ใจดี",
    "เลขประจำตัวจำเลย": "", "ผลคำพิพากษา": "ลงโทษ", "โทษ": "จำคุก 8 ปี ปรับ 400,000 บาท",
    "วันที่พิพากษา": "15 สิงหาคม 2563", "ค่าสินไหมทดแทนผู้เสียหาย": "250,000", "สถานะอุทธรณ์": "อุทธรณ์",
}
AMLO_ACCOUNT_ROW = {
    "bank_code": "004", "bank_name": "ธนาคารกสิกรไทย", "account_no": "123-4-56789-0",
    "account_name": "บริษัท ซีฟู้ด จำกัด", "holder_id_no": "0105561012346", "opened_date": "2016-02-01",
    "promptpay_ids": "0812345678;0105561012346",
}
AMLO_TXN_ROW = {
    "txn_id": "T0000000001", "timestamp": "2018-08-15T10:30:00+07:00", "from_bank": "002",
    "from_account": "3132672525", "to_bank": "004", "to_account": "123-4-56789-0", "amount_thb": "1,250,000.00",
    "channel": "MOBILE", "memo": "ค่าหัวคิว",
}
AMLO_REPORT_ROW = {
    "report_id": "STR-000001", "report_type": "STR", "subject_name": "นางกะจิ ญาดา", "subject_id_no": "1 1007 00123 45 5",
    "bank_code": "014", "account_no": "2646307225", "report_date": "2018-09-20",
    "reason": "รับโอนเงินจากหลายบัญชีแล้วโอนออกทันที", "linked_case_no": "สภ.แม่สอด 123/2561",
}
PACC_ROW = {
    "เลขเรื่อง": "ปท. 1/2562", "ชื่อเจ้าหน้าที่": "พ.ต.ต.ณัฐชนน ชุมวระ", "เลขประจำตัว": "3140642688668",
    "หน่วยงาน": "ตม.แม่สอด", "ตำแหน่ง": "สารวัตรตรวจคนเข้าเมือง", "จังหวัด": "ตาก", "ข้อกล่าวหา": "เรียกรับผลประโยชน์",
    "วันที่กล่าวหา": "18/01/2562", "เลขคดีที่เกี่ยวข้อง": "คดีพิเศษที่ 45/2561", "สถานะ": "ไต่สวน",
}
RLPD_ROW = {
    "เลขคำขอ": "คส. 1/2564", "ผู้ยื่นคำขอ": "นางสาวนอมาตั่น", "เลขประจำตัว": "MB071213", "ประเภท": "ค่าตอบแทนผู้เสียหาย",
    "คดีอ้างอิง": "อ.5678/2563", "จำนวนที่ขอ": "290,000", "จำนวนที่จ่าย": "102000", "วันที่อนุมัติ": "20/05/2564",
    "ธนาคาร": "006", "เลขบัญชี": "523-9-10800-3",
}
DOPA_ROW = {
    "national_id": "1100700123455", "prefix": "นาย", "first_name": "สมชาย", "last_name": "ใจดี",
    "first_name_en": "Somchai", "last_name_en": "Jaidee", "birth_date": "25200805", "sex": "1",
    "house_id": "63010012345", "house_no": "99/9", "moo": "3", "tambon_code": "630607", "amphoe_code": "6306",
    "changwat_code": "63", "father_id": "3100600012348", "mother_id": "", "spouse_id": "", "status": "alive",
}
MIGRANT_ROW = {
    "pink_card_no": "0-0456-31234-56-4", "name_en": "DAW KHIN KHIN", "nationality": "เมียนมา",
    "birth_date": "1994-09-05", "employer_name": "เรือประมง ศรีรวมใจ 4", "employer_id_no": "",
    "work_province": "สงขลา", "registered_date": "24/05/2558",
}
LOCAL_OFFICIAL_ROW = {
    "national_id": "1450719567721", "name": "นางจิตต์วัฒนา ธิติกุลรัตน์", "position": "ผู้ใหญ่บ้าน", "moo": "6",
    "tambon": "โนนชัยศรี", "amphoe": "โพนทอง", "province": "ร้อยเอ็ด", "term_start": "20/03/2561",
}
