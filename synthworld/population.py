"""Thai citizens in households (DOPA's view of the world), vectorised with numpy."""

from __future__ import annotations

import numpy as np
import pandas as pd

from synthworld.formats import check_digit, thai_ids
from synthworld.geo import geo
from synthworld.names import thai_names

__all__ = ["REF_DAY", "make_houses_and_thais", "unique_numbers", "zipf_weights"]

REF_DAY = int(np.datetime64("2025-06-30", "D").astype(np.int64))
"""The day the world is 'now' (ages are counted to it); fixed, never the wall clock."""


def zipf_weights(n: int, rng: np.random.Generator, s: float = 1.05) -> np.ndarray:
    """Popularity weights for ``n`` names in a random order: a few names are very common, as in life."""
    w = 1.0 / np.power(np.arange(n) + 8.0, s)
    w = w[rng.permutation(n)]
    return w / w.sum()


def unique_numbers(rng: np.random.Generator, high: int, size: int) -> np.ndarray:
    """``size`` distinct integers in ``[0, high)`` in random order."""
    return rng.choice(high, size=size, replace=False).astype(np.int64)


def _house_ids(amphoe: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    first10 = amphoe.astype(np.int64) * 10**6 + unique_numbers(rng, 10**6, len(amphoe))
    return (first10 * 10 + check_digit(first10) % 10).astype("U11").astype(object)


def make_houses_and_thais(n_thai: int, rng: np.random.Generator) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Generate houses and the Thai citizens living in them, with father/mother/spouse ties.

    Returns ``(houses, people)``; people's ``house`` indexes houses, ``father``/``mother``/``spouse`` index people
    (-1 when unknown). Household members are contiguous.
    """
    g = geo()
    n_h = max(4, int(n_thai / 2.4) + 8)
    spouse = rng.random(n_h) < 0.72
    kids = np.minimum(rng.poisson(1.3, n_h), 5)
    elder = rng.random(n_h) < 0.12
    size = 1 + spouse + kids + elder
    end = np.cumsum(size)
    n_h = int(np.searchsorted(end, n_thai) + 1)
    spouse, kids, elder, size = spouse[:n_h], kids[:n_h], elder[:n_h], size[:n_h]
    start = np.concatenate(([0], np.cumsum(size)[:-1]))
    total = int(size.sum())

    # role of each member: 0 head, 1 spouse, 2 child, 3 elder (parent of the head)
    pos = np.arange(total) - np.repeat(start, size)
    hs = np.repeat(spouse.astype(int), size)
    hk = np.repeat(kids, size)
    role = np.where(pos == 0, 0, np.where((pos == 1) & (hs == 1), 1, np.where(pos < 1 + hs + hk, 2, 3)))
    hh = np.repeat(np.arange(n_h), size)
    head = start[hh]

    head_age = rng.integers(24, 76, n_h)
    head_male = np.where(spouse, rng.random(n_h) < 0.85, rng.random(n_h) < 0.5)
    age = np.empty(total, dtype=np.int64)
    male = np.empty(total, dtype=bool)
    ha, hm = head_age[hh], head_male[hh]
    age[:] = ha
    male[:] = hm
    m1 = role == 1
    age[m1] = np.clip(ha[m1] + rng.integers(-6, 5, m1.sum()), 18, 95)
    male[m1] = ~hm[m1]
    m2 = role == 2
    age[m2] = np.maximum(0, ha[m2] - rng.integers(20, 38, m2.sum()))
    male[m2] = rng.random(m2.sum()) < 0.51
    m3 = role == 3
    age[m3] = np.minimum(100, ha[m3] + rng.integers(20, 36, m3.sum()))
    male[m3] = rng.random(m3.sum()) < 0.4

    father = np.full(total, -1, dtype=np.int64)
    mother = np.full(total, -1, dtype=np.int64)
    spouse_of = np.full(total, -1, dtype=np.int64)
    spouse_idx = head + 1
    spouse_of[m1] = head[m1]
    has_sp = np.repeat(spouse, size)
    sel = (role == 0) & has_sp
    spouse_of[sel] = np.flatnonzero(sel) + 1
    # children of head (and spouse)
    father[m2] = np.where(male[head[m2]], head[m2], np.where(has_sp[m2], spouse_idx[m2], -1))
    mother[m2] = np.where(~male[head[m2]], head[m2], np.where(has_sp[m2], spouse_idx[m2], -1))
    # the elder is a parent of the head
    e_idx = np.flatnonzero(m3)
    father[head[e_idx[male[e_idx]]]] = e_idx[male[e_idx]]
    mother[head[e_idx[~male[e_idx]]]] = e_idx[~male[e_idx]]

    names = thai_names()
    fam_w = zipf_weights(len(names["family"].th), rng)
    fam = rng.choice(len(names["family"].th), size=n_h, p=fam_w)
    last = fam[hh].copy()
    # a married-in spouse or an elder keeps another family name sometimes
    other = (m1 & (rng.random(total) < 0.35)) | (m3 & ~male)
    last[other] = rng.choice(len(names["family"].th), size=int(other.sum()), p=fam_w)
    first = np.empty(total, dtype=np.int64)
    for sex_male, key in ((True, "male"), (False, "female")):
        sel = male == sex_male
        w = zipf_weights(len(names[key].th), rng)
        first[sel] = rng.choice(len(names[key].th), size=int(sel.sum()), p=w)

    tambon = rng.choice(len(g.tambon_code), size=n_h, p=g.weight)
    amphoe = g.amphoe_code[tambon]
    houses = pd.DataFrame({
        "house_id": _house_ids(amphoe, rng),
        "house_no": [f"{a}/{b}" if b else str(a) for a, b in
                     zip(rng.integers(1, 400, n_h), np.where(rng.random(n_h) < 0.3, rng.integers(1, 40, n_h), 0),
                         strict=True)],
        "moo": rng.integers(1, 16, n_h),
        "tambon": tambon,
    })

    birth = REF_DAY - age * 365 - rng.integers(0, 365, total)
    born_year = 1970 + birth // 365
    nid = thai_ids(np.where(born_year >= 1984, 1, 3), amphoe[hh].astype(np.int64),
                   unique_numbers(rng, 10**7, total))
    prefix = np.where(age < 15, np.where(male, "ด.ช.", "ด.ญ."),
                      np.where(male, "นาย", np.where(spouse_of >= 0, "นาง", "นางสาว"))).astype(object)
    status = np.where(rng.random(total) < 0.02, "dead", np.where(rng.random(total) < 0.03, "moved", "alive"))
    sex_key = np.where(male, "male", "female")
    first_th = np.where(male, names["male"].th[np.minimum(first, len(names["male"].th) - 1)],
                        names["female"].th[np.minimum(first, len(names["female"].th) - 1)])
    first_en = np.where(male, names["male"].en[np.minimum(first, len(names["male"].en) - 1)],
                        names["female"].en[np.minimum(first, len(names["female"].en) - 1)])
    people = pd.DataFrame({
        "nat": "TH", "sex": np.where(male, 1, 2), "birth": birth.astype(np.int64), "prefix": prefix,
        "first_th": first_th.astype(object), "last_th": names["family"].th[last],
        "first_en": first_en.astype(object), "last_en": names["family"].en[last],
        "nid": nid, "house": hh.astype(np.int64), "father": father, "mother": mother, "spouse": spouse_of,
        "status": status.astype(object), "sex_key": sex_key,
    })
    people = people.iloc[:n_thai].reset_index(drop=True)
    for col in ("father", "mother", "spouse"):
        people.loc[people[col] >= n_thai, col] = -1
    return houses, people
