"""Trafficking rings: members and roles, victims moved along the brief's routes, protecting officials."""

from __future__ import annotations

import numpy as np

from synthworld.entities import phone_numbers
from synthworld.geo import ROUTES, Route, geo
from synthworld.population import REF_DAY
from synthworld.settings import SynthSettings
from synthworld.world import Row, World, day_of

__all__ = ["OFFICIAL_KINDS", "n_rings", "oid", "pid", "plant_rings"]

OFFICIAL_KINDS = ("immigration", "police", "village_head", "labour", "fishery")
_RANKS = ("ร.ต.อ.", "พ.ต.ต.", "พ.ต.ท.", "ด.ต.", "จ.ส.ต.")


def pid(i: int) -> str:
    """True person id."""
    return f"P{i:07d}"


def oid(i: int) -> str:
    """True organisation id."""
    return f"O{i:06d}"


def n_rings(settings: SynthSettings) -> int:
    """How many rings a world of this size holds (at least three)."""
    return max(3, settings.persons // 4000)


class _Pools:
    """Candidate index arrays per named condition, computed once (the population is large, rings are many)."""

    def __init__(self, m: dict[str, np.ndarray]) -> None:
        self.m = m
        self._cache: dict[str, np.ndarray] = {}

    def __call__(self, name: str) -> np.ndarray:
        if name not in self._cache:
            m = self.m
            parts = name.split("&")
            mask = np.ones(len(m["age"]), dtype=bool)
            for part in parts:
                key, _, value = part.partition(":")
                if key == "amphoe":
                    mask &= m["amphoe"] == value
                elif key == "nat":
                    mask &= m["nat"] == value
                elif key == "max_age":
                    mask &= m["age"] <= int(value)
                elif key == "min_age":
                    mask &= m["age"] >= int(value)
                else:
                    mask &= m[key]
            self._cache[name] = np.flatnonzero(mask)
        return self._cache[name]


def _masks(w: World) -> dict[str, np.ndarray]:
    p = w.persons
    age = (REF_DAY - p["birth"].to_numpy()) // 365
    nat = p["nat"].to_numpy()
    thai = (nat == "TH") & (p["status"].to_numpy() == "alive")
    g = geo()
    house = p["house"].to_numpy()
    tambon = w.houses["tambon"].to_numpy()[np.maximum(house, 0)]
    return {
        "age": age, "nat": nat, "male": p["sex"].to_numpy() == 1,
        "thai_adult": thai & (age >= 25) & (age <= 65),
        "thai_young": thai & (age >= 14) & (age <= 30),
        "amphoe": np.where(house >= 0, g.amphoe_code[tambon], ""),
        "has_spouse": p["spouse"].to_numpy() >= 0,
    }


def _pick_org(w: World, rng: np.random.Generator, kind: str, used: set[int]) -> int:
    cand = np.flatnonzero(w.companies["kind"].to_numpy() == kind)
    free = [int(c) for c in cand if int(c) not in used]
    c = free[int(rng.integers(0, len(free)))] if free else int(cand[int(rng.integers(0, len(cand)))])
    used.add(c)
    return c


def _ensure_phone(w: World, rng: np.random.Generator, person: int) -> str:
    phone = str(w.persons.at[person, "phone"])
    if not phone:
        phone = "0" + str(phone_numbers(rng, 1)[0])
        w.persons.at[person, "phone"] = phone
    return phone


def _route_destination(route: Route, rng: np.random.Generator) -> tuple[str, str]:
    dest = route.destinations[int(rng.integers(0, len(route.destinations)))]
    if dest.isdigit():
        g = geo()
        return dest, g.changwat_en[dest[:2]]
    return "", dest


def plant_rings(w: World, rng: np.random.Generator) -> list[Row]:
    """Plant rings into the world; returns ring contexts used by the money and case stages."""
    m = _masks(w)
    pool = _Pools(m)
    used_orgs: set[int] = set()
    contexts: list[Row] = []
    for r in range(n_rings(w.settings)):
        route = ROUTES[r % len(ROUTES)] if r < len(ROUTES) else ROUTES[int(rng.integers(0, len(ROUTES)))]
        year = int(rng.integers(w.settings.start_year, w.settings.end_year - 1))
        ring_id = f"R{r + 1:04d}"
        leader = w.pick(rng, pool("thai_adult&male&has_spouse"))[0]
        if route.origin_country == "TH":
            recruiter = (w.pick(rng, pool(f"thai_adult&amphoe:{route.origin_amphoe}"))
                         or w.pick(rng, pool("thai_adult")))[0]
        else:
            recruiter = (w.pick(rng, pool(f"nat:{route.origin_country}&min_age:22"))
                         or w.pick(rng, pool("thai_adult")))[0]
        transporter = w.pick(rng, pool("thai_adult&male"))[0]
        employer = w.pick(rng, pool("thai_adult"))[0]
        collectors = w.pick(rng, pool("thai_adult"), int(rng.integers(1, 3)))
        mules = w.pick(rng, pool("thai_adult&max_age:40"), int(rng.integers(2, 5)))
        broker_org = _pick_org(w, rng, "recruitment agency", used_orgs)
        employer_org = _pick_org(w, rng, route.employer_kind, used_orgs)
        for org, person in ((broker_org, leader), (employer_org, employer)):
            # co-directors (nominees from the population) stay, unless already planted in another ring; they are
            # marked used so that no later ring recruits the nominee of this ring's company
            dirs = [int(d) for d in w.companies.at[org, "directors"] if d != person and int(d) not in w.used]
            w.companies.at[org, "directors"] = [person, *dirs][:3]
            w.used.update(dirs[:2])
        if not w.persons.at[transporter, "plate"]:
            w.persons.at[transporter, "plate"] = f"{int(rng.integers(1, 10))}กต {int(rng.integers(1000, 9999))}"
        if not w.persons.at[transporter, "passport"]:
            w.persons.at[transporter, "passport"] = f"AB{int(rng.integers(10**6, 10**7)):07d}"
        # shared identifiers: the transporter carries the recruiter's phone; everyone calls the employer's
        rec_phone = _ensure_phone(w, rng, recruiter)
        w.persons.at[transporter, "phone2"] = rec_phone
        emp_phone = _ensure_phone(w, rng, employer)
        for person, nick in ((recruiter, "สาย"), (leader, "เสี่ย"), (collectors[0], "เจ๊")):
            w.persons.at[person, "nickname"] = nick + ("หนุ่ย", "แดง", "เล็ก", "ต้อม", "ใหญ่")[int(rng.integers(0, 5))]
        if route.origin_country == "TH":
            vmask = pool(f"thai_young&amphoe:{route.origin_amphoe}")
            if len(vmask) < 20:
                vmask = pool("thai_young")
        else:
            vmask = pool(f"nat:{route.origin_country}&max_age:40")
        victims = w.pick(rng, vmask, int(rng.integers(4, 17)))
        members = [(leader, "leader"), (recruiter, "recruiter"), (transporter, "transporter"),
                   (employer, "employer"), *[(c, "money_collector") for c in collectors],
                   *[(x, "money_collector") for x in mules]]
        ctx: Row = {
            "ring_id": ring_id, "route": route, "year": year, "leader": leader, "recruiter": recruiter,
            "transporter": transporter, "employer": employer, "collectors": collectors, "mules": mules,
            "broker_org": broker_org, "employer_org": employer_org, "victims": victims, "members": members,
            "employer_phone": emp_phone, "official": -1, "official_kind": "", "link": "", "cases": [],
            "accounts": [], "start_day": day_of(f"{year}-01-01") + int(rng.integers(0, 300)),
        }
        _move_victims(w, rng, ctx)
        _plant_official(w, rng, ctx, pool)
        contexts.append(ctx)
    w.scratch["ring_contexts"] = contexts
    return contexts


def _move_victims(w: World, rng: np.random.Generator, ctx: Row) -> None:
    route: Route = ctx["route"]
    t = ctx["transporter"]
    plate = str(w.persons.at[t, "plate"])
    for k, v in enumerate(ctx["victims"]):
        day = ctx["start_day"] + 10 * k + int(rng.integers(0, 10))
        amphoe, dest = _route_destination(route, rng)
        ctx.setdefault("dest_amphoe", amphoe or "1001")
        w.routes.append({"entity_id": pid(v), "origin": route.origin, "checkpoints": list(route.checkpoints),
                         "destination": dest, "year": int(np.datetime64(day, "D").astype(object).year)})
        for j, cp in enumerate(route.checkpoints):
            direction = "IN" if (j == 0 and route.origin_country != "TH") else "OUT"
            ts = day * 86400 + j * 86400 * 3 + int(rng.integers(6 * 3600, 20 * 3600))
            if cp == "Suvarnabhumi Airport" and not w.persons.at[v, "passport"]:
                w.persons.at[v, "passport"] = f"AC{int(rng.integers(10**6, 10**7)):07d}"  # flown out on a passport
            if rng.random() < 0.75 and w.persons.at[v, "passport"]:
                w.ring_crossings.append({"person": v, "checkpoint": cp, "direction": direction, "ts": ts,
                                         "doc_type": "BORDER_PASS" if cp != "Suvarnabhumi Airport" else "PASSPORT",
                                         "plate": plate if cp != "Suvarnabhumi Airport" else ""})
            if cp != "Suvarnabhumi Airport":
                w.ring_crossings.append({"person": t, "checkpoint": cp, "direction": direction,
                                         "ts": ts + int(rng.integers(60, 900)), "doc_type": "BORDER_PASS",
                                         "plate": plate})


def _plant_official(w: World, rng: np.random.Generator, ctx: Row, pool: _Pools) -> None:
    if rng.random() > 0.75 and ctx["ring_id"] != "R0001":
        return
    kind = OFFICIAL_KINDS[int(rng.integers(0, len(OFFICIAL_KINDS)))]
    link = ("money", "family", "phone", "address", "document")[int(rng.integers(0, 5))]
    leader = ctx["leader"]
    official = -1
    path: list[str] = []
    if link == "family":
        for rel in (int(w.persons.at[leader, "spouse"]), int(w.persons.at[leader, "father"])):
            if rel >= 0 and rel not in w.used and 25 <= w.age(rel) <= 70:
                official = rel
                w.used.add(rel)
                path = [pid(rel), pid(leader)]
                break
        if official < 0:
            link = "money"
    if official < 0:
        official = w.pick(rng, pool("thai_adult&min_age:30"))[0]
    collector = ctx["collectors"][0]
    if link == "money":
        payee = official
        spouse = int(w.persons.at[official, "spouse"])
        if spouse >= 0 and spouse not in w.used and rng.random() < 0.5:
            payee = spouse
            w.used.add(spouse)
        a_off = w.account_of(payee)
        a_ring = w.account_of(collector)
        ctx["official_account"] = a_off
        path = [pid(official), *([pid(payee)] if payee != official else []), w.acct_id(a_off), w.acct_id(a_ring),
                pid(collector)]
    elif link == "phone":
        phone = _ensure_phone(w, rng, collector)
        a_off = w.account_of(official)
        if a_off < len(w.accounts):
            old = str(w.accounts.at[a_off, "promptpay"])
            w.accounts.at[a_off, "promptpay"] = ";".join(x for x in (old, phone) if x)
        else:
            w.account_row(a_off)["promptpay"] = phone
        path = [pid(official), w.acct_id(a_off), pid(collector)]
    elif link == "address":
        w.persons.at[official, "house"] = int(w.persons.at[leader, "house"])
        path = [pid(official), pid(leader)]
    elif link == "document":
        path = [pid(official)]  # the linked case is appended when the ring's police case exists
    w.persons.at[official, "prefix"] = _RANKS[int(rng.integers(0, len(_RANKS)))] if kind in (
        "immigration", "police") else w.persons.at[official, "prefix"]
    ctx.update(official=official, official_kind=kind, link=link, official_path=path)
