"""After the case: victims identified by MSDHS, compensation by RLPD, complaints at PACC, AMLO reports, truth."""

from __future__ import annotations

import numpy as np

from synthworld.cases import END_DAY, CaseNumbers
from synthworld.geo import geo
from synthworld.money import START_DAY, _chain, ring_txn
from synthworld.rings import oid, pid
from synthworld.world import Row, World

__all__ = ["honest_complaints", "ring_aftercare"]

_SHELTERS = ("สถานคุ้มครองสวัสดิภาพผู้เสียหายจากการค้ามนุษย์ จ.สมุทรสาคร", "บ้านเกร็ดตระการ จ.นนทบุรี",
             "สถานคุ้มครองฯ จ.สงขลา", "สถานคุ้มครองฯ จ.เชียงราย", "สถานคุ้มครองฯ จ.ปทุมธานี (บ้านศรีสุราษฎร์)")
_HELP = ("ที่พัก", "อาหาร", "ล่าม", "ค่ารักษาพยาบาล", "ให้คำปรึกษา", "ส่งกลับภูมิลำเนา", "ฝึกอาชีพ")
_UNITS = {"immigration": ("ตม.{a}", "สารวัตรตรวจคนเข้าเมือง"), "police": ("สภ.{a}", "รองผู้กำกับการสอบสวน"),
          "village_head": ("อบต.{t}", "ผู้ใหญ่บ้าน"), "labour": ("สำนักงานแรงงานจังหวัด{c}", "นักวิชาการแรงงาน"),
          "fishery": ("ประมงจังหวัด{c}", "เจ้าพนักงานประมง")}


def _unit(w: World, person: int, kind: str) -> tuple[str, str, str]:
    g = geo()
    house = int(w.persons.at[person, "house"])
    t = int(w.houses.at[house, "tambon"]) if house >= 0 else 0
    a, c = g.amphoe_code[t], g.changwat_code[t]
    unit, position = _UNITS[kind]
    return (unit.format(a=g.amphoe_th[a].removeprefix("เขต"), t=g.tambon_th[t], c=g.changwat_th[c]), position,
            g.changwat_th[c])


def ring_aftercare(w: World, rng: np.random.Generator, nums: CaseNumbers, ctx: Row) -> None:
    """MSDHS victim records, RLPD claims, AMLO reports and PACC complaints of one ring; its truth entries."""
    g = geo()
    case = ctx["police_case"]
    dest = ctx.get("dest_amphoe", "1001")
    for v in ctx["victims"]:
        if rng.random() < 0.85:
            day = case["report_day"] - int(rng.integers(0, 15))
            recruiter_cell = (w.persons.at[ctx["recruiter"], "nickname"] if rng.random() < 0.7 else
                              w.name_th(ctx["recruiter"]) if rng.random() < 0.5 else "")
            seq, year = nums.take("MSDHS", day).split("/")
            w.msdhs.append({"ref": f"V-{year}-{int(seq):06d}", "person": v, "day": day,
                            "exploitation": ctx["route"].exploitation[int(rng.integers(0, len(
                                ctx["route"].exploitation)))],
                            "province": g.changwat_th[dest[:2]], "case": case,
                            "shelter": _SHELTERS[int(rng.integers(0, len(_SHELTERS)))],
                            "recruiter": ctx["recruiter"] if recruiter_cell else -1, "recruiter_cell": recruiter_cell,
                            "phone": ctx["employer_phone"] if rng.random() < 0.5 else w.persons.at[v, "phone"],
                            "help": ";".join(sorted(rng.choice(_HELP, size=int(rng.integers(1, 4)), replace=False),
                                                    key=_HELP.index))})
    judged = ctx.get("judged")
    if judged is not None:
        rlpd_acct = w.account_of(int(np.flatnonzero(w.companies["kind"].to_numpy() == "government")[0]), "O")
        suspect_claim = rng.random() < 0.35
        for k, v in enumerate(ctx["victims"]):
            if rng.random() > 0.6:
                continue
            day = judged + int(rng.integers(60, 300))
            if day > END_DAY:
                continue
            to_suspect = suspect_claim and k == 0
            acct = ctx["collector_account"] if to_suspect else w.account_of(v)
            claimed = int(rng.integers(5, 40)) * 10_000
            paid = claimed if rng.random() < 0.5 else int(claimed * 0.6)
            w.rlpd.append({"no": f"คส. {nums.take('RLPD', day)}", "id": nums.true_id("L"), "person": v,
                           "kind": "ค่าตอบแทนผู้เสียหาย", "case_no": ctx["court_case"][1] or case["case_no"],
                           "claimed": claimed, "paid": paid, "day": day, "account": acct})
            chain = _chain(w, ctx, "compensation_to_suspect") if to_suspect else -1
            ring_txn(w, rlpd_acct, acct, day * 86400 + 36000, float(paid), "COUNTER", "ค่าตอบแทนผู้เสียหาย", chain)
    # AMLO reports on the ring's collecting account
    report_day = case["report_day"] + int(rng.integers(10, 120))
    if report_day <= END_DAY and rng.random() < 0.7:
        a = ctx["accounts"][0]
        w.reports.append({"id": nums.true_id("A"), "type": "STR", "account": a, "day": report_day,
                          "reason": "รับโอนเงินจากหลายบัญชีแล้วโอนออกทันที", "case_no": case["case_no"]})
    for d in w.dsi_cases:
        if d["ctx"] is ctx and d["day"] + 20 <= END_DAY:
            for a in ctx["accounts"][:2]:
                w.reports.append({"id": nums.true_id("A"), "type": "FREEZE", "account": a, "day": d["day"] + 20,
                                  "reason": "คำสั่งยึดและอายัดทรัพย์สินชั่วคราว", "case_no": d["no"]})
    _official(w, rng, nums, ctx)
    named = {p for p, _ in ctx.get("suspects", [])}
    idle = {p for p in ctx.get("idle", []) if p not in named}  # took no part that any agency recorded
    w.rings.append({
        "ring_id": ctx["ring_id"],
        "members": [{"entity_id": pid(p), "role": r} for p, r in ctx["members"] if p not in idle]
        + [{"entity_id": oid(ctx["broker_org"]), "role": "broker"},
           {"entity_id": oid(ctx["employer_org"]), "role": "employer"}]
        + ([{"entity_id": pid(ctx["official"]), "role": "official"}] if ctx["official"] >= 0 else []),
        "victims": [pid(v) for v in ctx["victims"]],
        "accounts": [w.acct_id(a) for a in ctx["accounts"]], "cases": list(ctx["cases"]),
        "route": ctx["route"].name,
    })


def _official(w: World, rng: np.random.Generator, nums: CaseNumbers, ctx: Row) -> None:
    o = ctx["official"]
    if o < 0:
        return
    kind = ctx["official_kind"]
    case = ctx["police_case"]
    if ctx["link"] == "document":
        ctx["official_path"].append(case["id"])
    in_pacc = ctx["link"] == "document" or rng.random() < 0.6 or kind not in ("village_head", "police")
    if kind == "village_head":
        w.local_officials.append({"person": o, "position": "ผู้ใหญ่บ้าน",
                                  "term_start": START_DAY - int(rng.integers(0, 2000))})
    if kind == "police":
        case["officer"] = o
    if in_pacc:
        day = min(END_DAY, case["report_day"] + int(rng.integers(30, 400)))
        unit, position, province = _unit(w, o, kind)
        allegation = "ปลอมเอกสาร" if ctx["link"] == "document" else ("เรียกรับผลประโยชน์" if rng.random() < 0.6
                                                                      else "ละเว้นการปฏิบัติหน้าที่")
        w.pacc.append({"no": f"ปท. {nums.take('PACC', day)}", "id": nums.true_id("K"), "person": o, "unit": unit,
                       "position": position, "province": province, "allegation": allegation, "day": day,
                       "case_no": case["dsi_no"] or case["case_no"],
                       "status": ("ไต่สวน", "ชี้มูล")[int(rng.integers(0, 2))]})
    w.corrupt.append({"entity_id": pid(o), "ring_id": ctx["ring_id"], "link": ctx["link"],
                      "kind": kind, "path": ctx["official_path"]})


def honest_complaints(w: World, rng: np.random.Generator, nums: CaseNumbers) -> None:
    """Complaints at PACC against honest officials and officers that end without finding (ยุติ)."""
    pool = [o["person"] for o in w.local_officials] + list(w.officers)
    for _ in range(max(2, w.settings.persons // 2000)):
        o = pool[int(rng.integers(0, len(pool)))]
        kind = "police" if o in w.officers else "village_head"
        day = START_DAY + int(rng.integers(0, END_DAY - START_DAY))
        unit, position, province = _unit(w, o, kind)
        cited = w.police_cases[int(rng.integers(0, len(w.police_cases)))]["case_no"] if rng.random() < 0.5 else ""
        w.pacc.append({"no": f"ปท. {nums.take('PACC', day)}", "id": nums.true_id("K"), "person": o, "unit": unit,
                       "position": position, "province": province,
                       "allegation": ("ละเว้นการปฏิบัติหน้าที่", "เรียกรับผลประโยชน์")[int(rng.integers(0, 2))],
                       "day": day, "case_no": cited, "status": "ยุติ"})
