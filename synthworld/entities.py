"""Things people hold: phones, passports, vehicles, companies with directors, bank accounts."""

from __future__ import annotations

import numpy as np
import pandas as pd

from synthworld.formats import BANKS
from synthworld.geo import geo
from synthworld.names import NICKNAMES
from synthworld.population import REF_DAY, unique_numbers

__all__ = ["BANK_CODES", "add_phones_and_docs", "make_accounts", "make_companies", "phone_numbers"]

BANK_CODES = np.array(sorted(BANKS), dtype=object)
_BANK_W = np.array([0.18, 0.2, 0.2, 0.08, 0.18, 0.1, 0.06])
_CONSONANTS = list("กขคงจฉชซญฎฐณดตถทธนบปผพฟภมยรลวศษสหฬอฮ")
_CO_WORDS = ("สยาม", "รุ่งเรือง", "ทรัพย์", "มั่นคง", "ไทย", "เจริญ", "พัฒนา", "อินเตอร์", "โกลเด้น", "ศรี", "สมุทร",
             "มหาชัย", "ยูไนเต็ด", "แสงทอง", "โชคดี", "เอเชีย", "รวมใจ", "ทองคำ", "นครา", "บูรพา")
_CO_TRADE = {"company": ("ซีฟู้ด", "ก่อสร้าง", "อุตสาหกรรม", "ขนส่ง", "เทรดดิ้ง", "การ์เมนท์", "ฟู้ดส์"),
             "recruitment agency": ("จัดหางาน", "แมนพาวเวอร์", "จัดหาแรงงาน"),
             "fishing vessel": ("ประมง",), "karaoke bar": ("คาราโอเกะ",)}


def phone_numbers(rng: np.random.Generator, n: int) -> np.ndarray:
    """``n`` distinct Thai mobile numbers (10 digits starting 06, 08 or 09) as strings."""
    x = unique_numbers(rng, 3 * 10**8, n)
    head = np.array([6, 8, 9])[x // 10**8]
    return (head * 10**8 + x % 10**8).astype("U9").astype(object) if n else np.array([], dtype=object)


def add_phones_and_docs(people: pd.DataFrame, rng: np.random.Generator) -> None:
    """Give adults phones (some two), Thai travellers passports, and some adults a vehicle plate (in place)."""
    n = len(people)
    age = (REF_DAY - people["birth"].to_numpy()) // 365
    adult = age >= 15
    has = adult & (rng.random(n) < np.where(people["nat"].to_numpy() == "TH", 0.92, 0.7))
    has2 = has & (rng.random(n) < 0.15)
    numbers = phone_numbers(rng, int(has.sum() + has2.sum()))
    phone = np.full(n, "", dtype=object)
    phone2 = np.full(n, "", dtype=object)
    phone[has] = ["0" + s for s in numbers[: has.sum()]]
    phone2[has2] = ["0" + s for s in numbers[has.sum():]]
    people["phone"], people["phone2"] = phone, phone2
    thai = people["nat"].to_numpy() == "TH"
    trav = thai & adult & (rng.random(n) < 0.08)
    if "passport" not in people:
        people["passport"] = ""
        people["pink"] = ""
    pp = people["passport"].to_numpy(dtype=object).copy()
    serial = unique_numbers(rng, 10**7, int(trav.sum()))
    letters = rng.integers(0, 26, (int(trav.sum()), 2))
    pp[trav] = [f"A{chr(65 + b)}{s:07d}" for (_, b), s in zip(letters, serial, strict=True)]
    people["passport"] = pp
    plate = np.full(n, "", dtype=object)
    car = thai & adult & (rng.random(n) < 0.06)
    plate[car] = plates(rng, int(car.sum()))
    people["plate"] = plate
    nick = np.array(NICKNAMES[:26], dtype=object)  # everyday nicknames; ring titles are given when planted
    people["nickname"] = np.where(thai & (rng.random(n) < 0.3), nick[rng.integers(0, len(nick), n)], "")


def plates(rng: np.random.Generator, n: int) -> list[str]:
    """Thai vehicle plates such as ``1กข 1234``."""
    c = rng.integers(0, len(_CONSONANTS), (n, 2))
    num = rng.integers(1, 10000, n)
    lead = rng.integers(0, 10, n)
    return [f"{str(ld) if ld else ''}{_CONSONANTS[a]}{_CONSONANTS[b]} {k}" for ld, (a, b), k in
            zip(lead, c, num, strict=True)]


def make_companies(n: int, adults: np.ndarray, rng: np.random.Generator, min_per_kind: int = 2) -> pd.DataFrame:
    """Organisations of four kinds with 13-digit registration numbers (``0105`` + BE year + serial) and directors.

    Every kind exists at least ``min_per_kind`` times (the number of rings), so that no two rings have to
    share one front company even in a tiny world."""
    g = geo()
    kinds = rng.choice(np.array(list(_CO_TRADE), dtype=object), size=n, p=[0.7, 0.12, 0.1, 0.08])
    k = min(min_per_kind, n // len(_CO_TRADE))
    kinds[: k * len(_CO_TRADE)] = list(_CO_TRADE) * k
    w1 = rng.integers(0, len(_CO_WORDS), n)
    w2 = rng.integers(0, len(_CO_WORDS), n)
    names = []
    for i, k in enumerate(kinds):
        trade = _CO_TRADE[k][int(rng.integers(0, len(_CO_TRADE[k])))]
        base = _CO_WORDS[w1[i]] + _CO_WORDS[w2[i]]
        if k == "fishing vessel":
            names.append(f"เรือประมง {base} {i % 30 + 1}")
        elif k == "karaoke bar":
            names.append(f"ร้าน{trade} {base}")
        else:
            names.append(f"บริษัท {base}{trade} จำกัด")
    year = rng.integers(2535, 2567, n) % 100
    reg = [f"0105{y:02d}{s:07d}" for y, s in zip(year, unique_numbers(rng, 10**7, n), strict=True)]
    has_reg = np.isin(kinds, ["company", "recruitment agency"])
    n_dir = rng.integers(1, 4, n)
    directors = [list(map(int, rng.choice(adults, size=k, replace=False))) for k in n_dir]
    return pd.DataFrame({
        "name": names, "kind": kinds, "reg_no": np.where(has_reg, np.array(reg, dtype=object), ""),
        "tambon": rng.choice(len(g.tambon_code), size=n, p=g.weight), "directors": directors,
    })


def make_accounts(people: pd.DataFrame, companies: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Bank accounts of adults and companies; holder_kind ``P``/``O`` and holder index; PromptPay ids.

    The account number is unique across banks, so ``A<bank>-<number>`` is a true id.
    """
    n = len(people)
    age = (REF_DAY - people["birth"].to_numpy()) // 365
    thai = people["nat"].to_numpy() == "TH"
    p1 = np.where(thai, 0.62, 0.25) * (age >= 18)
    one = rng.random(n) < p1
    two = one & (rng.random(n) < 0.2)
    holders = np.concatenate([np.flatnonzero(one), np.flatnonzero(two)])
    holders.sort(kind="stable")
    n_co = len(companies)
    co_holders = np.repeat(np.arange(n_co), rng.integers(1, 3, n_co))
    kind = np.concatenate([np.full(len(holders), "P", dtype=object), np.full(len(co_holders), "O", dtype=object)])
    holder = np.concatenate([holders, co_holders]).astype(np.int64)
    total = len(holder)
    bank = rng.choice(BANK_CODES, size=total, p=_BANK_W / _BANK_W.sum())
    number = (unique_numbers(rng, 9 * 10**9, total) + 10**9).astype("U10").astype(object)
    opened = rng.integers(int(np.datetime64("2000-01-01", "D").astype(int)), REF_DAY - 400, total)
    phone = people["phone"].to_numpy(dtype=object)
    nid = people["nid"].to_numpy(dtype=object)
    pp = np.full(total, "", dtype=object)
    is_p = kind == "P"
    use_phone = is_p & (rng.random(total) < 0.4)
    use_nid = is_p & (rng.random(total) < 0.2)
    hp = np.where(is_p, holder, 0)
    for i in np.flatnonzero(use_phone | use_nid):
        ids = [x for x in ((phone[hp[i]] if use_phone[i] else ""), (nid[hp[i]] if use_nid[i] else "")) if x]
        pp[i] = ";".join(ids)
    return pd.DataFrame({"bank": bank, "number": number, "holder_kind": kind, "holder": holder,
                         "opened": opened, "promptpay": pp})
