"""Migrants from Myanmar, Cambodia, Laos and Vietnam, named as their countries name people; full-name writing."""

from __future__ import annotations

import numpy as np
import pandas as pd

from synthworld.formats import check_digit
from synthworld.names import FOREIGN
from synthworld.population import REF_DAY, unique_numbers

__all__ = ["full_name_en", "full_name_th", "make_migrants"]

_PASSPORT_PREFIX = {"MM": "MB", "KH": "N", "LA": "P", "VN": "C"}


def _pick(rng: np.random.Generator, pieces: tuple[tuple[str, str], ...], n: int) -> tuple[list[str], list[str]]:
    idx = rng.integers(0, len(pieces), n)
    return [pieces[i][0] for i in idx], [pieces[i][1] for i in idx]


def make_migrants(n: int, rng: np.random.Generator) -> pd.DataFrame:
    """Generate ``n`` migrants with passports (and pink cards for the registered ones).

    ``first_en``/``first_th`` hold the given name (for Myanmar the whole name with its honorific),
    ``last_en``/``last_th`` the family name (empty for Myanmar); ``family_first`` says how the country writes them.
    """
    nat = rng.choice(np.array(["MM", "KH", "LA", "VN"], dtype=object), size=n, p=[0.6, 0.2, 0.12, 0.08])
    male = rng.random(n) < 0.55
    age = rng.integers(15, 52, n)
    first_en = np.empty(n, dtype=object)
    first_th = np.empty(n, dtype=object)
    last_en = np.full(n, "", dtype=object)
    last_th = np.full(n, "", dtype=object)
    for code, spec in FOREIGN.items():
        for is_m in (True, False):
            sel = np.flatnonzero((nat == code) & (male == is_m))
            k = len(sel)
            if not k:
                continue
            given = spec.given_m if is_m else spec.given_f
            g1_en, g1_th = _pick(rng, given, k)
            if code == "MM":
                g2_en, g2_th = _pick(rng, spec.given_m + spec.given_f, k)
                hon = spec.honorific_m if is_m else spec.honorific_f
                h_en, h_th = _pick(rng, hon, k)
                first_en[sel] = [f"{h} {a} {b}" for h, a, b in zip(h_en, g1_en, g2_en, strict=True)]
                first_th[sel] = [f"{h}{a}{b}" for h, a, b in zip(h_th, g1_th, g2_th, strict=True)]
            else:
                f_en, f_th = _pick(rng, spec.family, k)
                first_en[sel], first_th[sel] = g1_en, g1_th
                last_en[sel], last_th[sel] = f_en, f_th
    serial = unique_numbers(rng, 10**7, n)
    passport = np.array([f"{_PASSPORT_PREFIX[c]}{s:07d}"[: 8 if c == "MM" else None] for c, s in
                         zip(nat, serial, strict=True)], dtype=object)
    # pink cards are 13-digit numbers of the national ID scheme (type 00), with its check digit
    first12 = np.asarray(unique_numbers(rng, 10**10, n), dtype=np.int64)
    pink = np.array([f"00{s:010d}{c}" for s, c in zip(first12, check_digit(first12), strict=True)], dtype=object)
    registered = rng.random(n) < 0.65
    pink[~registered] = ""
    return pd.DataFrame({
        "nat": nat, "sex": np.where(male, 1, 2), "birth": REF_DAY - age * 365 - rng.integers(0, 365, n),
        "prefix": np.where(male, "นาย", "นางสาว").astype(object), "first_th": first_th, "last_th": last_th,
        "first_en": first_en, "last_en": last_en, "nid": "", "passport": passport, "pink": pink,
        "house": -1, "father": -1, "mother": -1, "spouse": -1, "status": "alive",
        "sex_key": np.where(male, "male", "female"),
    })


def full_name_en(nat: str, first: str, last: str) -> str:
    """Latin full name in the country's order (Cambodian and Vietnamese family name first).

    Examples
    --------
    >>> full_name_en("KH", "Dara", "Sok"), full_name_en("MM", "Maung Aung Kyaw", "")
    ('Sok Dara', 'Maung Aung Kyaw')
    """
    if not last:
        return first
    if nat in ("KH", "VN"):
        return f"{last} {first}"
    return f"{first} {last}"


def full_name_th(nat: str, prefix: str, first: str, last: str) -> str:
    """Thai-script full name with the prefix glued on, as Thai officers write it (``นายสมชาย ใจดี``).

    Examples
    --------
    >>> full_name_th("TH", "นาย", "สมชาย", "ใจดี")
    'นายสมชาย ใจดี'
    """
    if not last:
        return f"{prefix}{first}"
    if nat in ("KH", "VN"):
        return f"{prefix}{last} {first}"
    return f"{prefix}{first} {last}"
