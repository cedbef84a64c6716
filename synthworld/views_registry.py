"""PACC complaints, RLPD compensation and DOPA's three files."""

from __future__ import annotations

import numpy as np

from synthworld.formats import be_yyyymmdd
from synthworld.geo import geo
from synthworld.layout import Table
from synthworld.noise import Noise
from synthworld.viewkit import NAT_TH, Kit
from synthworld.views_amlo import holder_cells

__all__ = ["dopa_local_officials", "dopa_migrant_workers", "dopa_population", "pacc_officials", "rlpd_compensation"]


def pacc_officials(k: Kit, noise: Noise) -> Table:
    """``pacc_officials.csv``: officials under allegation, with the case the complaint cites."""
    rows = k.w.pacc
    keys = list(range(len(rows)))
    people = [int(r["person"]) for r in rows]
    cols = {
        "เลขเรื่อง": [r["no"] for r in rows],
        "ชื่อเจ้าหน้าที่": noise.thai_name([k.full_th(i) for i in people], keys, "ชื่อเจ้าหน้าที่"),
        "เลขประจำตัว": noise.ids([k.id_of(i) for i in people], keys, "เลขประจำตัว"),
        "หน่วยงาน": [r["unit"] for r in rows], "ตำแหน่ง": [r["position"] for r in rows],
        "จังหวัด": [r["province"] for r in rows], "ข้อกล่าวหา": [r["allegation"] for r in rows],
        "วันที่กล่าวหา": noise.dates([r["day"] for r in rows], keys, "วันที่กล่าวหา", "be"),
        "เลขคดีที่เกี่ยวข้อง": noise.case_nos([r["case_no"] for r in rows], keys, "เลขคดีที่เกี่ยวข้อง"),
        "สถานะ": [r["status"] for r in rows],
    }
    parts = {"official": [k.pid(i) for i in people], "complaint": [r["id"] for r in rows]}
    return Table("PACC", "pacc_officials.csv", noise, cols, parts, dga=True)


def rlpd_compensation(k: Kit, noise: Noise) -> Table:
    """``rlpd_compensation.csv``: compensation claims and the account the money was paid into."""
    rows = k.w.rlpd
    keys = list(range(len(rows)))
    people = [int(r["person"]) for r in rows]
    accts = [k.w.account_row(int(r["account"])) for r in rows]
    cols = {
        "เลขคำขอ": [r["no"] for r in rows],
        "ผู้ยื่นคำขอ": noise.thai_name([k.full_th(i) for i in people], keys, "ผู้ยื่นคำขอ",
                                       latin=[k.full_en(i) for i in people]),
        "เลขประจำตัว": noise.ids([k.id_of(i) for i in people], keys, "เลขประจำตัว"),
        "ประเภท": [r["kind"] for r in rows],
        "คดีอ้างอิง": noise.case_nos([r["case_no"] for r in rows], keys, "คดีอ้างอิง"),
        "จำนวนที่ขอ": [str(r["claimed"]) for r in rows], "จำนวนที่จ่าย": [str(r["paid"]) for r in rows],
        "วันที่อนุมัติ": noise.dates([r["day"] for r in rows], keys, "วันที่อนุมัติ", "be"),
        "ธนาคาร": [a["bank"] for a in accts],
        "เลขบัญชี": noise.accounts([str(a["number"]) for a in accts], keys, "เลขบัญชี"),
    }
    parts = {"claimant": [k.pid(i) for i in people], "account": [f"A{a['bank']}-{a['number']}" for a in accts],
             "claim": [r["id"] for r in rows]}
    return Table("RLPD", "rlpd_compensation.csv", noise, cols, parts, dga=True)


def _ids_or_empty(nid: np.ndarray, idx: np.ndarray) -> np.ndarray:
    return np.where(idx >= 0, nid[np.maximum(idx, 0)], "")


def dopa_population(k: Kit, noise: Noise) -> Table:
    """``dopa_population.csv`` (TIS-620): every Thai citizen with house and family ties; the registry is clean
    except for romanised names."""
    w = k.w
    g = geo()
    thai = np.flatnonzero(k.nat == "TH")
    keys = np.arange(len(thai))
    house = k.house[thai]
    tambon = w.houses["tambon"].to_numpy()[house]
    p = w.persons
    nid = k.nid
    cols = {
        "national_id": nid[thai].tolist(), "prefix": k.prefix[thai].tolist(), "first_name": k.first_th[thai].tolist(),
        "last_name": k.last_th[thai].tolist(),
        "first_name_en": noise.latin_name(k.first_en[thai].tolist(), keys, "first_name_en", swap=False),
        "last_name_en": noise.latin_name(k.last_en[thai].tolist(), keys, "last_name_en", swap=False),
        "birth_date": be_yyyymmdd(k.birth[thai]).tolist(), "sex": k.sex[thai].astype(str).tolist(),
        "house_id": w.houses["house_id"].to_numpy()[house].tolist(),
        "house_no": w.houses["house_no"].to_numpy()[house].tolist(),
        "moo": w.houses["moo"].to_numpy()[house].astype(str).tolist(),
        "tambon_code": g.tambon_code[tambon].tolist(), "amphoe_code": g.amphoe_code[tambon].tolist(),
        "changwat_code": g.changwat_code[tambon].tolist(),
        "father_id": _ids_or_empty(nid, p["father"].to_numpy()[thai]).tolist(),
        "mother_id": _ids_or_empty(nid, p["mother"].to_numpy()[thai]).tolist(),
        "spouse_id": _ids_or_empty(nid, p["spouse"].to_numpy()[thai]).tolist(),
        "status": p["status"].to_numpy(dtype=object)[thai].tolist(),
    }
    parts = {"person": [f"P{i:07d}" for i in thai]}
    return Table("DOPA", "dopa_population.csv", noise, cols, parts, duplicates=False, encoding="cp874")


def dopa_migrant_workers(k: Kit, noise: Noise) -> Table:
    """``dopa_migrant_workers.csv``: pink-card registrations with the employer."""
    df = k.w.migrant_regs
    keys = list(range(len(df)))
    who = df["person"].to_numpy()
    emp = [holder_cells(k, kd, int(e)) for kd, e in zip(df["employer_kind"], df["employer"], strict=True)]
    g = geo()
    cols = {
        "pink_card_no": noise.ids([str(k.pink[i]) for i in who], keys, "pink_card_no", missing=None),
        "name_en": noise.latin_name([k.full_en(int(i)).upper() for i in who], keys, "name_en"),
        "nationality": [NAT_TH[str(k.nat[i])] for i in who],
        "birth_date": noise.dates(k.birth[who], keys, "birth_date", "iso"),
        "employer_name": [e[0] for e in emp], "employer_id_no": noise.ids([e[1] for e in emp], keys, "employer_id_no"),
        "work_province": [g.changwat_th[c] for c in df["province"]],
        "registered_date": noise.dates(df["day"].to_numpy(), keys, "registered_date", "be"),
    }
    parts = {"worker": [f"P{int(i):07d}" for i in who], "employer": [e[2] for e in emp]}
    return Table("DOPA", "dopa_migrant_workers.csv", noise, cols, parts)


def dopa_local_officials(k: Kit, noise: Noise) -> Table:
    """``dopa_local_officials.csv``: village and sub-district headmen with where they serve."""
    rows = k.w.local_officials
    g = geo()
    keys = list(range(len(rows)))
    people = [int(r["person"]) for r in rows]
    tambon = [int(k.w.houses.at[int(k.house[i]), "tambon"]) if k.house[i] >= 0 else 0 for i in people]
    cols = {
        "national_id": noise.ids([str(k.nid[i]) for i in people], keys, "national_id", missing=None),
        "name": noise.thai_name([k.full_th(i) for i in people], keys, "name"),
        "position": [r["position"] for r in rows],
        "moo": [str(k.w.houses.at[int(k.house[i]), "moo"]) for i in people],
        "tambon": [str(g.tambon_th[t]) for t in tambon],
        "amphoe": [g.amphoe_th[g.amphoe_code[t]] for t in tambon],
        "province": [g.changwat_th[g.changwat_code[t]] for t in tambon],
        "term_start": noise.dates([r["term_start"] for r in rows], keys, "term_start", "be"),
    }
    return Table("DOPA", "dopa_local_officials.csv", noise, cols, {"official": [k.pid(i) for i in people]},
                 duplicates=False)
