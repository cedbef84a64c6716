"""Case lifecycles: police inquiry → DSI → prosecution decision → judgment, with delays and drop-outs."""

from __future__ import annotations

import numpy as np

from synthworld.geo import geo
from synthworld.population import REF_DAY
from synthworld.world import Row, World, day_of

__all__ = ["END_DAY", "CaseNumbers", "open_background_cases", "open_ring_cases"]

END_DAY = day_of("2025-12-31")
"""Nothing happens after this day: later stages of a case are still pending."""

_TIP_OFFENCE = "พ.ร.บ.ป้องกันและปราบปรามการค้ามนุษย์ พ.ศ.2551 ม.6"
_BG_OFFENCES = ("ประมวลกฎหมายอาญา ม.341 ฉ้อโกง", "ประมวลกฎหมายอาญา ม.334 ลักทรัพย์",
                "พ.ร.บ.ยาเสพติดให้โทษ พ.ศ.2522", "ประมวลกฎหมายอาญา ม.295 ทำร้ายร่างกาย",
                "พ.ร.บ.การทำงานของคนต่างด้าว พ.ศ.2560", "พ.ร.บ.คนเข้าเมือง พ.ศ.2522 ม.62")
_COURTS = ("ศาลอาญา แผนกคดีค้ามนุษย์", "ศาลจังหวัดแม่สอด", "ศาลจังหวัดสมุทรสาคร", "ศาลจังหวัดสงขลา",
           "ศาลจังหวัดสระแก้ว", "ศาลจังหวัดหนองคาย", "ศาลอาญา")


def be_year(day: int) -> int:
    """BE year of a day number."""
    return int(np.datetime64(day, "D").astype("datetime64[Y]").astype(int)) + 1970 + 543


class CaseNumbers:
    """Running numbers per office and BE year, so every case number is unique."""

    def __init__(self) -> None:
        self._next: dict[tuple[str, int], int] = {}
        self._ids: dict[str, int] = {}

    def take(self, office: str, day: int) -> str:
        """Next number of ``office`` in the BE year of ``day``: ``"<office> 12/2561"``-style text without office."""
        key = (office, be_year(day))
        self._next[key] = self._next.get(key, 0) + 1
        return f"{self._next[key]}/{key[1]}"

    def true_id(self, letter: str) -> str:
        """Next true case id with the given kind letter (P police, D DSI, O OAG, B court, K PACC, L RLPD, A AMLO)."""
        self._ids[letter] = self._ids.get(letter, 0) + 1
        return f"C{letter}{self._ids[letter]:06d}"


def _station(amphoe: str) -> str:
    g = geo()
    if not amphoe or amphoe.startswith("10"):
        return "บก.ปคม."
    return "สภ." + g.amphoe_th[amphoe]


def _new_police_case(w: World, rng: np.random.Generator, nums: CaseNumbers, station: str, offence: str,
                     report: int, ring_id: str) -> Row:
    case: Row = {"case_no": f"{station} {nums.take(station, report)}", "station": station, "offence": offence,
                 "report_day": report, "incident_day": report - int(rng.integers(1, 120)), "status": "สอบสวน",
                 "officer": w.officers[int(rng.integers(0, len(w.officers)))], "dsi_no": "", "dsi_id": "",
                 "id": nums.true_id("P"), "ring_id": ring_id, "place": ""}
    w.police_cases.append(case)
    return case


def open_ring_cases(w: World, rng: np.random.Generator, nums: CaseNumbers, ctx: Row) -> None:
    """Open the police case(s) of a ring and carry them through DSI, OAG and COJ as far as they go."""
    report = ctx["start_day"] + int(rng.integers(60, 400))
    if report > END_DAY - 30:
        report = END_DAY - int(rng.integers(30, 200))
    station = _station(ctx.get("dest_amphoe", ""))
    case = _new_police_case(w, rng, nums, station, _TIP_OFFENCE, report, ctx["ring_id"])
    case["org"] = ctx["employer_org"]
    ctx["cases"].append(case["id"])
    ctx["police_case"] = case
    odds = {"leader": 0.7, "recruiter": 0.6, "transporter": 0.85, "employer": 0.7, "money_collector": 0.35}
    suspects = [(p, r) for p, r in ctx["members"] if rng.random() < odds[r]] or [ctx["members"][2]]
    collector = (ctx["collectors"][0], "money_collector")
    if ctx["link"] == "phone" and collector not in suspects:
        suspects.append(collector)  # the phone an official shares must be on record somewhere
    ctx["suspects"] = suspects
    for p, role in suspects:
        w.case_persons.append({"case": case, "person": p, "role": "ผู้ต้องหา" if role != "money_collector"
                               else "ผู้ร่วมกระทำผิด", "arrested": "Y" if rng.random() < 0.7 else "N",
                               "plate": w.persons.at[p, "plate"] if role == "transporter" else "",
                               "address_of": ctx["leader"] if role == "transporter" and rng.random() < 0.5 else p})
    for v in ctx["victims"]:
        w.case_persons.append({"case": case, "person": v, "role": "ผู้เสียหาย", "arrested": "N", "plate": "",
                               "address_of": -2 - ctx["employer_org"] if rng.random() < 0.6 else v})
    for _ in range(int(rng.integers(0, 3))):
        wit = int(rng.integers(0, len(w.persons)))
        w.case_persons.append({"case": case, "person": wit, "role": "พยาน", "arrested": "N", "plate": "",
                               "address_of": wit})
    day = report
    first_ring = ctx["ring_id"] == "R0001"  # so that even a tiny world has a DSI case
    if rng.random() < 0.4 or first_ring:
        day = report + int(rng.integers(30, 200))
        if day <= END_DAY:
            dsi_no = f"คดีพิเศษที่ {nums.take('DSI', day)}"
            case.update(status="โอนคดีพิเศษ", dsi_no=dsi_no, dsi_id=nums.true_id("D"))
            w.dsi_cases.append({"no": dsi_no, "id": case["dsi_id"], "day": day, "ctx": ctx, "police": [case],
                                "status": "อยู่ระหว่างสอบสวน"})
            ctx["cases"].append(case["dsi_id"])
        else:
            return
    else:
        roll = rng.random()
        if roll < 0.1:
            case["status"] = "งดการสอบสวน"
            return
        case["status"] = "ส่งสำนวนอัยการ" if report + 90 < END_DAY else "สอบสวน"
    _prosecute(w, rng, nums, case, [p for p, _ in suspects], day, ctx)


def _prosecute(w: World, rng: np.random.Generator, nums: CaseNumbers, case: Row, defendants: list[int],
               day: int, ctx: Row | None) -> None:
    decided = day + int(rng.integers(90, 500))
    if decided > END_DAY or case["status"] == "สอบสวน":
        return
    if w.dsi_cases and w.dsi_cases[-1]["police"][0] is case:
        w.dsi_cases[-1]["status"] = "ส่งพนักงานอัยการ"
    pros_no = f"อส.คม. {nums.take('OAG', decided)}"
    pros_id = nums.true_id("O")
    court = _COURTS[int(rng.integers(0, len(_COURTS)))]
    black = f"อ.{nums.take('black', decided + 30)}"
    black_id = nums.true_id("B")
    if ctx is not None:
        ctx["cases"] += [pros_id, black_id]
    judged = decided + int(rng.integers(200, 900))
    compensation = 0
    red = f"อ.{nums.take('red', judged)}" if judged <= END_DAY else ""
    for d in defendants:
        charge = rng.random() < 0.88
        w.oag.append({"no": pros_no, "id": pros_id, "case": case, "person": d, "charges": case["offence"],
                      "decision": "สั่งฟ้อง" if charge else "สั่งไม่ฟ้อง", "day": decided, "court": court,
                      "black": black if charge else "", "black_id": black_id if charge else "",
                      "office": "สำนักงานอัยการสูงสุด คดีค้ามนุษย์"})
        if not charge or judged > END_DAY:
            continue
        roll = rng.random()
        result = "ลงโทษ" if roll < 0.8 else "ยกฟ้อง" if roll < 0.95 else "จำหน่ายคดี"
        years = int(rng.integers(2, 20))
        fine = int(rng.integers(1, 40)) * 20_000
        comp = int(rng.integers(1, 30)) * 10_000 if result == "ลงโทษ" and ctx is not None else 0
        compensation += comp
        w.coj.append({"court": court, "black": black, "red": red, "id": black_id, "person": d, "result": result,
                      "sentence": f"จำคุก {years} ปี ปรับ {fine:,} บาท" if result == "ลงโทษ" else "",
                      "day": judged, "compensation": comp,
                      "appeal": ("ไม่อุทธรณ์", "อุทธรณ์", "ฎีกา", "ถึงที่สุด")[int(rng.integers(0, 4))], "case": case})
    if ctx is not None and compensation:
        ctx["judged"] = judged
        ctx["court_case"] = (black, red)


def open_background_cases(w: World, rng: np.random.Generator, nums: CaseNumbers) -> None:
    """Unrelated police cases with ordinary people, some prosecuted and judged."""
    n = max(10, w.settings.persons // 300)
    g = geo()
    n_people = len(w.persons)
    amphoes = sorted(g.amphoe_th)
    for _ in range(n):
        report = day_of("2015-01-01") + int(rng.integers(0, END_DAY - day_of("2015-01-01")))
        station = _station(amphoes[int(rng.integers(0, len(amphoes)))])
        offence = _BG_OFFENCES[int(rng.integers(0, len(_BG_OFFENCES)))]
        case = _new_police_case(w, rng, nums, station, offence, report, "")
        suspects = [int(x) for x in rng.integers(0, n_people, int(rng.integers(1, 3)))]
        suspects = [s for s in suspects if (REF_DAY - int(w.persons.at[s, "birth"])) // 365 >= 18] or suspects
        for p in suspects:
            w.case_persons.append({"case": case, "person": p, "role": "ผู้ต้องหา", "arrested":
                                   "Y" if rng.random() < 0.5 else "N", "plate": "", "address_of": p})
        for role in ("ผู้เสียหาย", "พยาน"):
            for p in rng.integers(0, n_people, int(rng.integers(0, 3))):
                w.case_persons.append({"case": case, "person": int(p), "role": role, "arrested": "N", "plate": "",
                                       "address_of": int(p)})
        roll = rng.random()
        case["status"] = "ส่งสำนวนอัยการ" if roll < 0.6 else "งดการสอบสวน" if roll < 0.75 else "สอบสวน"
        if case["status"] == "ส่งสำนวนอัยการ":
            _prosecute(w, rng, nums, case, suspects, report, None)
