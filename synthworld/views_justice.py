"""DSI special cases (JSON), OAG prosecution decisions and COJ judgments (xlsx)."""

from __future__ import annotations

from typing import Any

from synthworld.formats import BANKS
from synthworld.layout import Table
from synthworld.noise import Noise
from synthworld.viewkit import NAT_TH, Kit

__all__ = ["coj_judgments", "dsi_special_cases", "oag_prosecutions"]

_ROLE = {"leader": "ผู้บงการ", "recruiter": "ผู้ชักชวน", "transporter": "ผู้ขนส่ง", "employer": "นายจ้าง",
         "money_collector": "ผู้รับเงิน"}


def dsi_special_cases(k: Kit, noise: Noise) -> Table:
    """``dsi_special_cases.json``: one object per special case with suspects, organisations and seized assets."""
    objs: list[dict[str, Any]] = []
    parts: dict[str, list[str]] = {"case": []}
    w = k.w
    rows = w.dsi_cases

    def put(part: str, j: int, value: str) -> None:
        parts.setdefault(part, [""] * len(rows))[j] = value

    for j, d in enumerate(rows):
        ctx = d["ctx"]
        parts["case"].append(d["id"])
        police = [c["case_no"] for c in d["police"]]
        for n, c in enumerate(d["police"], 1):
            put(f"police_case:{n}", j, c["id"])
        role_of = dict(ctx["members"])
        suspects = []
        for n, (p, _r) in enumerate(ctx["suspects"], 1):
            put(f"suspect:{n}", j, k.pid(p))
            key = [j]
            suspects.append({
                "name_th": noise.thai_name([k.full_th(p)], key, "suspects.name_th", nickname=True)[0],
                "name_en": noise.latin_name([k.full_en(p)], key, "suspects.name_en")[0],
                "id_no": noise.ids([str(k.nid[p] or k.pink[p])], key, "suspects.id_no")[0],
                "passport_no": str(k.passport[p]), "nationality": NAT_TH[str(k.nat[p])],
                "birth_date": noise.dates([int(k.birth[p])], key, "suspects.birth_date", "iso")[0],
                "phones": [x for x in noise.phones([str(k.phone[p]), str(k.phone2[p])], ["", ""], [j, j],
                                                   "suspects.phones") if x],
                "addresses": [k.address(p)], "role": _ROLE[role_of[p]],
            })
        orgs = []
        for n, o in enumerate((ctx["broker_org"], ctx["employer_org"]), 1):
            co = w.companies.loc[o]
            put(f"organisation:{n}", j, k.oid(o))
            directors = []
            for m, dp in enumerate(co["directors"], 1):
                put(f"organisation:{n}/director:{m}", j, k.pid(int(dp)))
                directors.append(k.full_th(int(dp)) if (j + m) % 3 else str(k.nid[int(dp)]))
            orgs.append({"name": co["name"], "registration_no": co["reg_no"], "kind": co["kind"],
                         "address": k.org_address(o), "directors": directors})
        assets = []
        for n, a in enumerate(ctx["accounts"][:3], 1):
            acc = w.account_row(a)
            put(f"asset:{n}", j, w.acct_id(a))
            assets.append({"kind": "bank_account", "description": f"บัญชีเงินฝาก{BANKS[acc['bank']]}",
                           "value_thb": float(50_000 + 10_000 * ((a * 7) % 90)), "bank_code": acc["bank"],
                           "account_no": noise.accounts([str(acc["number"])], [j], "assets.account_no")[0]})
        plate = str(k.plate[ctx["transporter"]])
        if plate:
            assets.append({"kind": "vehicle", "description": f"รถกระบะ ทะเบียน {plate}", "value_thb": 450000.0,
                           "bank_code": "", "account_no": ""})
        objs.append({
            "special_case_no": d["no"], "accepted_date": noise.dates([d["day"]], [j], "accepted_date", "iso")[0],
            "title": f"คดีค้ามนุษย์ เครือข่าย{ctx['route'].origin.split(',')[0]}",
            "related_police_cases": noise.case_nos(police, [j] * len(police), "related_police_cases"),
            "suspects": suspects, "organisations": orgs, "assets_seized": assets, "status": d["status"],
        })
    return Table("DSI", "dsi_special_cases.json", noise, parts=parts, objects=objs, duplicates=False)


def oag_prosecutions(k: Kit, noise: Noise) -> Table:
    """``oag_prosecutions.csv``: one row per defendant and decision."""
    rows = k.w.oag
    keys = list(range(len(rows)))
    people = [int(r["person"]) for r in rows]
    cells = k.person_cells(people, noise, keys, "ผู้ต้องหา", "เลขประจำตัวผู้ต้องหา")
    cols = {
        "เลขสำนวนอัยการ": [r["no"] for r in rows],
        "เลขคดีตำรวจ": noise.case_nos([r["case"]["case_no"] for r in rows], keys, "เลขคดีตำรวจ"),
        "เลขคดีพิเศษ": noise.case_nos([r["case"]["dsi_no"] for r in rows], keys, "เลขคดีพิเศษ"),
        "ผู้ต้องหา": cells["ผู้ต้องหา"], "เลขประจำตัวผู้ต้องหา": cells["เลขประจำตัวผู้ต้องหา"],
        "ข้อหา": [r["charges"] for r in rows], "คำสั่ง": [r["decision"] for r in rows],
        "วันที่มีคำสั่ง": noise.dates([r["day"] for r in rows], keys, "วันที่มีคำสั่ง", "be"),
        "ศาล": [r["court"] for r in rows], "คดีหมายเลขดำ": [r["black"] for r in rows],
        "สำนักงานอัยการ": [r["office"] for r in rows],
    }
    parts = {"defendant": [k.pid(i) for i in people], "prosecution": [r["id"] for r in rows]}
    return Table("OAG", "oag_prosecutions.csv", noise, cols, parts)


def coj_judgments(k: Kit, noise: Noise) -> Table:
    """``coj_judgments.xlsx`` (sheet คำพิพากษา): judgments per defendant; the ID is often empty."""
    rows = k.w.coj
    keys = list(range(len(rows)))
    people = [int(r["person"]) for r in rows]
    names = noise.thai_name([k.full_th(i) for i in people], keys, "จำเลย")
    ids = [k.id_of(i) if (j * 7919) % 10 < 4 else "" for j, i in enumerate(people)]
    cols = {
        "ศาล": [r["court"] for r in rows], "คดีหมายเลขดำ": [r["black"] for r in rows],
        "คดีหมายเลขแดง": [r["red"] for r in rows], "จำเลย": names,
        "เลขประจำตัวจำเลย": noise.ids(ids, keys, "เลขประจำตัวจำเลย", missing=None),
        "ผลคำพิพากษา": [r["result"] for r in rows], "โทษ": [r["sentence"] for r in rows],
        "วันที่พิพากษา": noise.dates([r["day"] for r in rows], keys, "วันที่พิพากษา", "be_month"),
        "ค่าสินไหมทดแทนผู้เสียหาย": [int(r["compensation"]) for r in rows],
        "สถานะอุทธรณ์": [r["appeal"] for r in rows],
    }
    parts = {"defendant": [k.pid(i) for i in people], "case": [r["id"] for r in rows]}
    return Table("COJ", "coj_judgments.xlsx", noise, cols, parts, sheet="คำพิพากษา")
