"""Background registers: honest officials and police officers, migrant worker registration, border crossings."""

from __future__ import annotations

import numpy as np
import pandas as pd

from synthworld.cases import END_DAY
from synthworld.money import START_DAY
from synthworld.population import REF_DAY
from synthworld.world import World

__all__ = ["CHECKPOINTS", "background_crossings", "local_officials_and_officers", "migrant_registrations"]

CHECKPOINTS = ("Mae Sot", "Ranong", "Aranyaprathet", "Nong Khai", "Sadao", "Suvarnabhumi Airport",
               "Mae Sai", "Chiang Khong", "Don Mueang Airport")
_LAND = {"MM": ("Mae Sot", "Ranong", "Mae Sai"), "KH": ("Aranyaprathet",), "LA": ("Nong Khai", "Chiang Khong"),
         "VN": ("Nong Khai",)}
_RANKS = ("ร.ต.อ.", "พ.ต.ต.", "พ.ต.ท.", "พ.ต.อ.", "ร.ต.ท.")


def local_officials_and_officers(w: World, rng: np.random.Generator) -> None:
    """Pick honest village heads (DOPA) and police inquiry officers from Thai adults."""
    p = w.persons
    age = (REF_DAY - p["birth"].to_numpy()) // 365
    thai = (p["nat"].to_numpy() == "TH") & (p["status"].to_numpy() == "alive")
    heads = w.pick(rng, thai & (age >= 35) & (age <= 70) & (p["house"].to_numpy() >= 0),
                   max(3, w.settings.persons // 250))
    for h in heads:
        w.local_officials.append({"person": h, "position": "กำนัน" if rng.random() < 0.1 else "ผู้ใหญ่บ้าน",
                                  "term_start": START_DAY - 2000 + int(rng.integers(0, 3800))})
    officers = w.pick(rng, thai & (age >= 25) & (age <= 58) & (p["sex"].to_numpy() == 1),
                      max(3, w.settings.persons // 1000))
    for o in officers:
        p.at[o, "prefix"] = _RANKS[int(rng.integers(0, len(_RANKS)))]
    w.officers = officers


def migrant_registrations(w: World, rng: np.random.Generator) -> pd.DataFrame:
    """Pink-card holders with their employer (a company or a Thai person), province and registration day."""
    p = w.persons
    reg = np.flatnonzero(p["pink"].to_numpy(dtype=object) != "")
    n = len(reg)
    by_company = rng.random(n) < 0.6
    co = rng.integers(0, len(w.companies), n)
    thai_adults = np.flatnonzero((p["nat"].to_numpy() == "TH") & ((REF_DAY - p["birth"].to_numpy()) // 365 >= 30))
    boss = thai_adults[rng.integers(0, len(thai_adults), n)]
    from synthworld.geo import geo

    g = geo()
    # a ring's victims are registered by the ring's own employer (its company or the employer in person),
    # never by a company or a person drawn from the whole population
    ring_of = {int(v): ctx for ctx in w.scratch.get("ring_contexts", []) for v in ctx["victims"]}
    for i, v in enumerate(reg):
        ctx = ring_of.get(int(v))
        if ctx is not None:
            co[i], boss[i] = ctx["employer_org"], ctx["employer"]
    co_prov = g.changwat_code[w.companies["tambon"].to_numpy()[co]]
    house_tambon = w.houses["tambon"].to_numpy()[p["house"].to_numpy()[boss]]
    boss_prov = g.changwat_code[house_tambon]
    return pd.DataFrame({
        "person": reg, "employer_kind": np.where(by_company, "O", "P"),
        "employer": np.where(by_company, co, boss), "province": np.where(by_company, co_prov, boss_prov),
        "day": START_DAY + rng.integers(0, END_DAY - START_DAY, n),
    })


def background_crossings(w: World, rng: np.random.Generator) -> pd.DataFrame:
    """Ordinary crossings: migrants at land checkpoints, Thai travellers at airports."""
    p = w.persons
    has_pp = p["passport"].to_numpy(dtype=object) != ""
    nat = p["nat"].to_numpy()
    migrants = np.flatnonzero(has_pp & (nat != "TH"))
    thais = np.flatnonzero(has_pp & (nat == "TH"))
    rows = []
    for group, per in ((migrants, 1.2), (thais, 1.5)):
        k = int(len(group) * per)
        if not k:
            continue
        who = group[rng.integers(0, len(group), k)]
        if group is migrants:
            cp = np.array([_LAND[c][int(i) % len(_LAND[c])] for c, i in
                           zip(nat[who], rng.integers(0, 6, k), strict=True)], dtype=object)
            doc = np.where(rng.random(k) < 0.6, "BORDER_PASS", "PASSPORT")
        else:
            cp = rng.choice(np.array(["Suvarnabhumi Airport", "Don Mueang Airport", "Sadao", "Mae Sai"],
                                     dtype=object), size=k, p=[0.6, 0.3, 0.05, 0.05])
            doc = np.full(k, "PASSPORT", dtype=object)
        rows.append(pd.DataFrame({
            "person": who, "checkpoint": cp, "direction": np.where(rng.random(k) < 0.5, "IN", "OUT"),
            "ts": (START_DAY + rng.integers(0, END_DAY - START_DAY, k)) * 86400 + rng.integers(0, 86400, k),
            "doc_type": doc, "plate": "",
        }))
    planted = pd.DataFrame(w.ring_crossings, columns=["person", "checkpoint", "direction", "ts", "doc_type", "plate"])
    df = pd.concat([*rows, planted], ignore_index=True)
    return df.sort_values("ts", kind="stable").reset_index(drop=True)
