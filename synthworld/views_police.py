"""MSDHS victims and the Royal Thai Police files (cases, case persons, immigration)."""

from __future__ import annotations

import numpy as np

from synthworld.layout import Table
from synthworld.noise import Noise
from synthworld.viewkit import NAT_ISO3, NAT_TH, Kit

__all__ = ["msdhs_victims", "rtp_case_persons", "rtp_cases", "rtp_immigration"]


def msdhs_victims(k: Kit, noise: Noise) -> Table:
    """``msdhs_victims.csv``: identified victims with the help given; the recruiter as the victim named them."""
    rows = k.w.msdhs
    keys = list(range(len(rows)))
    people = [r["person"] for r in rows]
    first = [str(k.first_th[i]) for i in people]
    last = [str(k.last_th[i]) for i in people]
    swap = noise._draw("ชื่อ", "swapped_name_parts", noise.s.swapped_name_parts,
                       np.array([bool(x) for x in last], dtype=bool))
    for j in np.flatnonzero(swap):
        first[j], last[j] = last[j], first[j]
        noise.log.append((int(j), "ชื่อ", "swapped_name_parts"))
    has_birth = np.array([noise.rng.random() < 0.7 for _ in people], dtype=bool)
    births = [int(k.birth[i]) if b else -(10**7) for i, b in zip(people, has_birth, strict=True)]
    en = noise.latin_name([k.full_en(i) if k.nat[i] != "TH" or j % 3 == 0 else "" for j, i in enumerate(people)],
                          keys, "ชื่อภาษาอังกฤษ")
    cols = {
        "รหัสผู้เสียหาย": [r["ref"] for r in rows],
        "คำนำหน้า": [str(k.prefix[i]) for i in people], "ชื่อ": first, "นามสกุล": last, "ชื่อภาษาอังกฤษ": en,
        "เพศ": ["ชาย" if k.sex[i] == 1 else "หญิง" for i in people],
        "วันเกิด": noise.dates(births, keys, "วันเกิด", "be"),
        "อายุ": ["" if b else str(k.age(i, r["day"])) for i, b, r in zip(people, has_birth, rows, strict=True)],
        "สัญชาติ": [NAT_TH[str(k.nat[i])] for i in people],
        "เลขประจำตัว": noise.ids([k.id_of(i) for i in people], keys, "เลขประจำตัว"),
        "ประเภทเอกสาร": [k.id_type(i) for i in people],
        "โทรศัพท์": noise.phones([str(r["phone"]) for r in rows], ["" for _ in rows], keys, "โทรศัพท์"),
        "ภูมิลำเนา": [k.address(i) for i in people],
        "รูปแบบการแสวงประโยชน์": [r["exploitation"] for r in rows],
        "วันที่คัดแยก": noise.dates([r["day"] for r in rows], keys, "วันที่คัดแยก", "be"),
        "จังหวัดที่พบ": [r["province"] for r in rows],
        "สถานคุ้มครอง": [r["shelter"] for r in rows],
        "เลขคดีตำรวจ": noise.case_nos([r["case"]["case_no"] for r in rows], keys, "เลขคดีตำรวจ"),
        "ผู้ชักชวน": [str(r["recruiter_cell"]) for r in rows],
        "ความช่วยเหลือ": [r["help"] for r in rows],
    }
    parts = {"victim": [k.pid(i) for i in people],
             "recruiter": [k.pid(r["recruiter"]) if r["recruiter"] >= 0 else "" for r in rows],
             "police_case": [r["case"]["id"] for r in rows]}
    return Table("MSDHS", "msdhs_victims.csv", noise, cols, parts, dga=True, encoding="utf-8-sig")


def rtp_cases(k: Kit, noise: Noise) -> Table:
    """``rtp_cases.csv``: police case files with their status and the inquiry officer."""
    rows = k.w.police_cases
    keys = list(range(len(rows)))
    officers = [int(r["officer"]) for r in rows]
    places = [k.address(int(r["officer"])).split(" ", 1)[-1] if not r["ring_id"] else
              k.org_address(int(r.get("org", 0))) for r in rows]
    cols = {
        "เลขคดี": [r["case_no"] for r in rows], "สถานี": [r["station"] for r in rows],
        "ข้อหา": [r["offence"] for r in rows],
        "วันรับแจ้ง": noise.dates([r["report_day"] for r in rows], keys, "วันรับแจ้ง", "be"),
        "วันเกิดเหตุ": noise.dates([r["incident_day"] for r in rows], keys, "วันเกิดเหตุ", "be"),
        "สถานที่เกิดเหตุ": places, "สถานะ": [r["status"] for r in rows],
        "พนักงานสอบสวน": noise.thai_name([k.full_th(i) for i in officers], keys, "พนักงานสอบสวน"),
        "เลขคดีพิเศษ": noise.case_nos([r["dsi_no"] for r in rows], keys, "เลขคดีพิเศษ"),
    }
    parts = {"case": [r["id"] for r in rows], "dsi_case": [r["dsi_id"] for r in rows],
             "officer": [k.pid(i) for i in officers]}
    return Table("RTP", "rtp_cases.csv", noise, cols, parts, duplicates=False)


def rtp_case_persons(k: Kit, noise: Noise) -> Table:
    """``rtp_case_persons.csv``: suspects, victims and witnesses of each case, as the inquiry officer wrote them."""
    rows = k.w.case_persons
    keys = list(range(len(rows)))
    people = [int(r["person"]) for r in rows]
    suspects = [r["role"] in ("ผู้ต้องหา", "ผู้ร่วมกระทำผิด") for r in rows]  # seized phones: all numbers known
    cells = k.person_cells(people, noise, keys, "ชื่อ-สกุล", "เลขประจำตัว", "โทรศัพท์", both_phones=suspects)
    has_birth = [bool(noise.rng.random() < 0.75) for _ in people]
    births = [int(k.birth[i]) if b else -(10**7) for i, b in zip(people, has_birth, strict=True)]
    addr = []
    for r in rows:
        a = int(r["address_of"])
        addr.append(k.org_address(-2 - a) if a <= -2 else k.address(a))
    cols = {
        "เลขคดี": [r["case"]["case_no"] for r in rows], "บทบาท": [r["role"] for r in rows],
        "ชื่อ-สกุล": cells["ชื่อ-สกุล"],
        "ชื่อเล่น/ฉายา": [str(k.nickname[i]) if r["role"] != "พยาน" else "" for i, r in zip(people, rows,
                                                                                          strict=True)],
        "เลขประจำตัว": cells["เลขประจำตัว"], "วันเกิด": noise.dates(births, keys, "วันเกิด", "be"),
        "อายุ": ["" if b else str(k.age(i, r["case"]["report_day"])) for i, b, r in
                 zip(people, has_birth, rows, strict=True)],
        "สัญชาติ": [NAT_TH[str(k.nat[i])] for i in people], "โทรศัพท์": cells["โทรศัพท์"], "ที่อยู่": addr,
        "ถูกจับกุม": [r["arrested"] for r in rows], "ทะเบียนรถ": [str(r["plate"]) for r in rows],
    }
    parts = {"person": [k.pid(i) for i in people], "case": [r["case"]["id"] for r in rows]}
    return Table("RTP", "rtp_case_persons.csv", noise, cols, parts, dga=True)


def rtp_immigration(k: Kit, noise: Noise) -> Table:
    """``rtp_immigration.csv``: border crossings in ISO CE with passport names in upper case."""
    df = k.w.crossings
    n = len(df)
    keys = list(range(n))
    who = df["person"].to_numpy()
    names = noise.latin_name([k.full_en(int(i)) for i in who], keys, "name_en")
    ts = df["ts"].to_numpy()
    day = ts // 86400
    secs = ts % 86400
    dates = noise.dates(day, keys, "crossed_at", "iso")
    crossed = [f"{d}T{s // 3600:02d}:{s % 3600 // 60:02d}:{s % 60:02d}+07:00" if d else ""
               for d, s in zip(dates, secs, strict=True)]
    cols = {
        "passport_no": noise.ids([str(k.passport[i]) for i in who], keys, "passport_no", missing=None),
        "nationality": [NAT_ISO3[str(k.nat[i])] for i in who], "name_en": [x.upper() for x in names],
        "birth_date": noise.dates(k.birth[who], keys, "birth_date", "iso"),
        "sex": np.where(k.sex[who] == 1, "M", "F").tolist(), "checkpoint": df["checkpoint"].tolist(),
        "direction": df["direction"].tolist(), "crossed_at": crossed, "doc_type": df["doc_type"].tolist(),
        "vehicle_plate": df["plate"].tolist(),
    }
    parts = {"traveller": [f"P{int(i):07d}" for i in who]}
    return Table("RTP", "rtp_immigration.csv", noise, cols, parts)
