"""Name material: Thai names (pythainlp corpus, romanised once) and Myanmar, Khmer, Lao, Vietnamese names."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

__all__ = [
    "FOREIGN",
    "NICKNAMES",
    "ForeignNames",
    "NameTable",
    "latin_variant",
    "thai_names",
]

_DATA = Path(__file__).parent / "data" / "thai_names.csv"


@dataclass(frozen=True)
class NameTable:
    """Parallel arrays of Thai-script names and their romanisation."""

    th: np.ndarray
    en: np.ndarray


@lru_cache(maxsize=1)
def thai_names() -> dict[str, NameTable]:
    """Return the ``female``, ``male`` and ``family`` name tables.

    The romanisation was made once with ``pythainlp.transliterate.romanize(engine="royin")`` and stored in
    ``data/thai_names.csv`` so that generation is fast and does not change with pythainlp's version.

    Examples
    --------
    >>> t = thai_names()
    >>> len(t["family"].th) > 5000 and len(t["male"].en) == len(t["male"].th)
    True
    """
    rows: dict[str, tuple[list[str], list[str]]] = {"female": ([], []), "male": ([], []), "family": ([], [])}
    with _DATA.open(encoding="utf-8") as fh:
        for rec in csv.DictReader(fh):
            rows[rec["kind"]][0].append(rec["name_th"])
            rows[rec["kind"]][1].append(rec["name_en"])
    return {k: NameTable(np.array(th, dtype=object), np.array(en, dtype=object)) for k, (th, en) in rows.items()}


# Thai nicknames (ชื่อเล่น) and underworld titles used as aliases.
NICKNAMES: tuple[str, ...] = (
    "หนุ่ย", "แดง", "ดำ", "เล็ก", "น้อย", "ต้อม", "ตุ๊ก", "แอน", "บอย", "เอก", "ต่าย", "ปู", "อ้วน", "เก่ง",
    "จ๋า", "ติ๋ม", "หมู", "ไก่", "กุ้ง", "ปุ๊", "โอ๋", "นก", "เปิ้ล", "จอย", "ตู่", "โต้ง", "เสี่ยหนุ่ย",
    "เจ๊แดง", "เฮียเล็ก", "ลุงดำ", "พี่เอก", "แม่ปู",
)


@dataclass(frozen=True)
class ForeignNames:
    """Name pieces of one nationality, Latin with the Thai-script rendering a Thai officer would write."""

    nationality_th: str
    iso3: str
    given_m: tuple[tuple[str, str], ...]
    given_f: tuple[tuple[str, str], ...]
    family: tuple[tuple[str, str], ...]
    family_first: bool
    honorific_m: tuple[tuple[str, str], ...] = ()
    honorific_f: tuple[tuple[str, str], ...] = ()


_MM_M = (("Aung", "อ่อง"), ("Kyaw", "จ่อ"), ("Min", "มิน"), ("Htet", "เท็ต"), ("Zaw", "ซอ"), ("Win", "วิน"),
         ("Soe", "โซ"), ("Myint", "มิ้นท์"), ("Naing", "หน่าย"), ("Tun", "ตุน"), ("Thant", "ตั่น"), ("Oo", "อู"),
         ("Hla", "หล่า"), ("Lwin", "ลวิน"), ("Thura", "ตูรา"), ("Ye", "เย"), ("Ko", "โก"), ("Paing", "ไป่"))
_MM_F = (("Khin", "ขิ่น"), ("Mya", "เมียะ"), ("Su", "ซู"), ("Thida", "ธิดา"), ("Ei", "เอ"), ("Phyu", "พยู"),
         ("Moe", "โม"), ("San", "ซาน"), ("Hnin", "หนิ่น"), ("Wai", "ไหว"), ("Yin", "ยิน"), ("Zin", "ซิน"),
         ("Nwe", "นเว"), ("Thin", "ติน"), ("Myat", "เมี้ยต"), ("Nandar", "นันดา"), ("Aye", "เอ"), ("Mar", "มา"))
_KH_M = (("Dara", "ดารา"), ("Vannak", "วรรณัก"), ("Rithy", "ฤทธี"), ("Visal", "วิศาล"), ("Kosal", "โกศล"),
         ("Piseth", "พิเศษ"), ("Sokha", "สุขา"), ("Makara", "มกรา"), ("Samnang", "สำนาง"), ("Bunthoeun", "บุญเธือน"))
_KH_F = (("Sophea", "โสเภีย"), ("Chenda", "เจนดา"), ("Bopha", "บุปผา"), ("Sreymom", "สรัยมม"), ("Channary", "จันนารี"),
         ("Sopheap", "โสภาพ"), ("Kanha", "กัญญา"), ("Sothea", "โสธา"), ("Leakena", "ลีกีนา"), ("Thida", "ธิดา"))
_KH_FAM = (("Sok", "สก"), ("Chan", "จันทร์"), ("Kim", "คิม"), ("Heng", "เฮง"), ("Keo", "แก้ว"), ("Chea", "เจีย"),
           ("Meas", "เมียส"), ("Prak", "ปรัก"), ("Phan", "พัน"), ("Ly", "ลี"), ("Nhem", "เญิม"), ("Seng", "เส็ง"),
           ("Ouk", "อุก"), ("Touch", "ตูจ"), ("Mao", "เมา"), ("Pich", "เพ็ชร"), ("Vann", "วัน"))
_LA_M = (("Souksavanh", "สุขสะหวัน"), ("Khamphone", "คำพอน"), ("Bounmy", "บุญมี"), ("Somphone", "สมพอน"),
         ("Vilay", "วิไล"), ("Thongchanh", "ทองจันทร์"), ("Sengphet", "แสงเพชร"), ("Khamla", "คำหล้า"))
_LA_F = (("Phonesavanh", "โพนสะหวัน"), ("Noy", "น้อย"), ("Keomany", "แก้วมณี"), ("Vanida", "วนิดา"),
         ("Manivone", "มณีวอน"), ("Souphaphone", "สุพาพร"), ("Chanthaly", "จันทะลี"), ("Bouavanh", "บัวหวัน"))
_LA_FAM = (("Phommachanh", "พรหมจันทร์"), ("Sisouphanh", "ศรีสุพรรณ"), ("Vongsa", "วงศา"), ("Inthavong", "อินทวงศ์"),
           ("Souvannavong", "สุวรรณวงศ์"), ("Phetsavanh", "เพชรสะหวัน"), ("Chanthavong", "จันทวงศ์"),
           ("Keovongsa", "แก้ววงศา"), ("Sengdara", "แสงดารา"))
_VN_M = (("Van An", "วัน อาน"), ("Van Binh", "วัน บิญ"), ("Duc Hung", "ดึ๊ก หุ่ง"), ("Minh Tuan", "มิญ ต๊วน"),
         ("Van Nam", "วัน นาม"), ("Quoc Dung", "ก๊วก สุง"), ("Van Long", "วัน ลอง"), ("Huu Thang", "หืว ทั้ง"))
_VN_F = (("Thi Lan", "ถิ ลาน"), ("Thi Mai", "ถิ มาย"), ("Thi Hoa", "ถิ ฮวา"), ("Thi Huong", "ถิ เฮือง"),
         ("Thi Linh", "ถิ ลิญ"), ("Thi Thu", "ถิ ทู"), ("Ngoc Anh", "หง็อก อาญ"), ("Thi Hang", "ถิ หั่ง"))
_VN_FAM = (("Nguyen", "เหงียน"), ("Tran", "เจิ่น"), ("Le", "เล"), ("Pham", "ฝ่าม"), ("Hoang", "หวาง"),
           ("Phan", "ฟาน"), ("Vu", "หวู"), ("Dang", "ดั่ง"), ("Bui", "บุ่ย"), ("Do", "โด"))

FOREIGN: dict[str, ForeignNames] = {
    "MM": ForeignNames("เมียนมา", "MMR", _MM_M, _MM_F, (), False,
                       (("Maung", "หม่อง"), ("Mg", "หม่อง"), ("Ko", "โก"), ("U", "อู")),
                       (("Ma", "มะ"), ("Daw", "ดอ"), ("Naw", "นอ"))),
    "KH": ForeignNames("กัมพูชา", "KHM", _KH_M, _KH_F, _KH_FAM, True),
    "LA": ForeignNames("ลาว", "LAO", _LA_M, _LA_F, _LA_FAM, False),
    "VN": ForeignNames("เวียดนาม", "VNM", _VN_M, _VN_F, _VN_FAM, True),
}

# Romanisation alternatives seen for the same Thai or Lao sound; applied left to right, first match wins.
_VARIANTS: tuple[tuple[str, str], ...] = (
    ("ch", "j"), ("j", "ch"), ("ph", "p"), ("th", "t"), ("kh", "k"), ("ai", "ay"), ("ee", "i"), ("ou", "u"),
    ("v", "w"), ("w", "v"), ("oo", "u"), ("u", "oo"), ("i", "ee"), ("o", "au"), ("a", "ah"),
)


def latin_variant(name: str, pick: int) -> str:
    """Return another romanisation of ``name``; ``pick`` chooses among the applicable rules.

    Falls back to a hyphen inside the name (Jai-dee) when no rule applies.

    Examples
    --------
    >>> latin_variant("Chaidee", 0)
    'Jaidee'
    >>> latin_variant("Somchai", 1) != "Somchai"
    True
    """
    low = name.lower()
    options = [(a, b) for a, b in _VARIANTS if a in low]
    if not options:
        cut = max(1, len(name) // 2)
        return f"{name[:cut]}-{name[cut:].lower()}"
    a, b = options[pick % len(options)]
    at = low.index(a)
    out = low[:at] + b + low[at + len(a):]
    return out[:1].upper() + out[1:] if name[:1].isupper() else out
