"""Coded values: nationality (Thai or English words, ISO alpha-2/3) to ISO alpha-3, and sex to ``M``/``F``."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ingest.types._common import clean_text

__all__ = ["COUNTRIES", "Code", "country_in_text", "nationality", "sex", "without_countries"]

#: ISO alpha-3 -> words that name the country or its people (Thai, English, ISO alpha-2).
COUNTRIES: dict[str, tuple[str, ...]] = {
    "THA": ("ไทย", "thai", "thailand", "th", "ราชอาณาจักรไทย"),
    "MMR": ("เมียนมา", "เมียนมาร์", "พม่า", "myanmar", "burma", "burmese", "myanmese", "mm", "มอญ", "กะเหรี่ยง",
            "ไทใหญ่", "karen", "shan", "mon"),
    "KHM": ("กัมพูชา", "เขมร", "cambodia", "cambodian", "khmer", "kh"),
    "LAO": ("ลาว", "สปป.ลาว", "laos", "lao", "laotian", "la"),
    "VNM": ("เวียดนาม", "ญวน", "vietnam", "viet nam", "vietnamese", "vn"),
    "CHN": ("จีน", "china", "chinese", "cn"),
    "MYS": ("มาเลเซีย", "malaysia", "malaysian", "my"),
    "IDN": ("อินโดนีเซีย", "indonesia", "indonesian", "id"),
    "PHL": ("ฟิลิปปินส์", "philippines", "filipino", "philippine", "ph"),
    "SGP": ("สิงคโปร์", "singapore", "singaporean", "sg"),
    "IND": ("อินเดีย", "india", "indian", "in"),
    "BGD": ("บังกลาเทศ", "บังคลาเทศ", "bangladesh", "bangladeshi", "bd"),
    "PAK": ("ปากีสถาน", "pakistan", "pakistani", "pk"),
    "NPL": ("เนปาล", "nepal", "nepali", "nepalese", "np"),
    "LKA": ("ศรีลังกา", "sri lanka", "sri lankan", "lk"),
    "TWN": ("ไต้หวัน", "taiwan", "taiwanese", "tw"),
    "KOR": ("เกาหลีใต้", "เกาหลี", "south korea", "korea", "korean", "kr"),
    "JPN": ("ญี่ปุ่น", "japan", "japanese", "jp"),
    "RUS": ("รัสเซีย", "russia", "russian", "ru"),
    "UZB": ("อุซเบกิสถาน", "uzbekistan", "uzbek", "uz"),
    "UGA": ("ยูกันดา", "uganda", "ugandan", "ug"),
    "NGA": ("ไนจีเรีย", "nigeria", "nigerian", "ng"),
    "USA": ("อเมริกัน", "อเมริกา", "สหรัฐอเมริกา", "united states", "usa", "american", "us"),
    "GBR": ("อังกฤษ", "สหราชอาณาจักร", "united kingdom", "british", "uk", "gb"),
    "XXA": ("ไร้สัญชาติ", "ไม่มีสัญชาติ", "ไร้สถานะ", "บุคคลไร้สถานะ", "stateless"),
}
_WORDS: dict[str, str] = {}
for _iso, _names in COUNTRIES.items():
    _WORDS[_iso.lower()] = _iso
    for _name in _names:
        _WORDS[_name] = _iso
_LEADING = re.compile(r"^(?:สัญชาติ|ชาว|คน|ประเทศ|nationality\s*:?)\s*", re.IGNORECASE)
# Longest first, and Latin words on word edges, so "ลาว" does not hide inside another word's match.
_LONG_WORDS = sorted((w for w in _WORDS if len(w) > 2), key=len, reverse=True)
# One lookaround pair around all Latin words (not one per word): this runs on every address.
_IN_TEXT = re.compile(
    r"(?<![a-z])(?:" + "|".join(re.escape(w) for w in _LONG_WORDS if w.isascii()) + r")(?![a-z])|"
    + "|".join(re.escape(w) for w in _LONG_WORDS if not w.isascii())
)


@dataclass(frozen=True, slots=True)
class Code:
    """A coded value as read (``raw``) and as its code (``value``, ``None`` when unknown)."""

    raw: str
    value: str | None
    flags: tuple[str, ...] = ()


@lru_cache(maxsize=4096)
def nationality(raw: str) -> Code:
    """ISO 3166 alpha-3 of a nationality or country written in Thai, English or ISO code.

    Stateless people get ``XXA`` (the ICAO code) and the flag ``stateless``. Flags: ``empty``,
    ``unknown_nationality``.

    Examples
    --------
    >>> nationality("พม่า").value, nationality("สัญชาติเมียนมา").value, nationality("KHM").value
    ('MMR', 'MMR', 'KHM')
    >>> nationality("ไร้สัญชาติ").flags
    ('stateless',)
    """
    text = clean_text(raw).lower()
    if not text or text in ("-", "ไม่ทราบ", "ไม่ระบุ", "unknown"):
        return Code(raw, None, ("empty",))
    word = _LEADING.sub("", text).strip(" .")
    iso = _WORDS.get(word) or _WORDS.get(text)
    if iso is None:
        return Code(raw, None, ("unknown_nationality",))
    return Code(raw, iso, ("stateless",) if iso == "XXA" else ())


def country_in_text(text: str) -> str | None:
    """ISO alpha-3 of the last country (or people) named in free text, ``None`` if none is.

    The last, because addresses end with the country: ``Lao Cai, Vietnam``.

    Examples
    --------
    >>> country_in_text("Myawaddy, Kayin State, Myanmar"), country_in_text("เมียวดี ประเทศเมียนมา")
    ('MMR', 'MMR')
    """
    found = _IN_TEXT.findall(clean_text(text).lower())
    return _WORDS[found[-1]] if found else None


def without_countries(text: str) -> str:
    """``text`` with country names (and a ``ประเทศ`` before them) taken out.

    Examples
    --------
    >>> without_countries("บ้านห้วยน้ำขุ่น ประเทศลาว")
    'บ้านห้วยน้ำขุ่น'
    """
    cleaned = _IN_TEXT.sub("", clean_text(text).lower()).replace("ประเทศ", " ")
    return " ".join(cleaned.replace(" ,", ",").split()).strip(" ,")


_SEX = {"ชาย": "M", "หญิง": "F", "ผู้ชาย": "M", "ผู้หญิง": "F", "เพศชาย": "M", "เพศหญิง": "F", "ช": "M",
        "ญ": "F", "m": "M", "f": "F", "male": "M", "female": "F", "man": "M", "woman": "F", "boy": "M",
        "girl": "F", "1": "M", "2": "F", "ช.": "M", "ญ.": "F", "นาย": "M", "นาง": "F", "นางสาว": "F"}


@lru_cache(maxsize=256)
def sex(raw: str) -> Code:
    """``M`` or ``F`` from ชาย/หญิง, M/F, male/female, DOPA's 1/2.

    Flags: ``empty``, ``unknown_sex`` (anything else, e.g. ``ไม่ระบุ``; kept as raw).

    Examples
    --------
    >>> sex("ชาย").value, sex("F").value, sex("2").value
    ('M', 'F', 'F')
    """
    text = clean_text(raw).lower()
    if not text or text == "-":
        return Code(raw, None, ("empty",))
    value = _SEX.get(text)
    return Code(raw, value, () if value else ("unknown_sex",))
