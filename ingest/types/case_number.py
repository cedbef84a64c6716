"""Case numbers of police, DSI, OAG and the courts in one canonical form, so references meet.

Canonical forms: ``RTP:สภ.แม่สอด:123/2561``, ``DSI:45/2561``, ``OAG:อส.คม.:12/2561``,
``COJ-BLACK:อ.1234/2561``, ``COJ-RED:อ.5678/2562`` (``COJ:`` when the colour is unknown), and
``<AGENCY>:<n>/<year>`` for PACC, RLPD and MSDHS references. Years are BE, two-digit years expanded, leading
zeros and Thai digits gone. The number alone does not say black or red: pass ``kind`` from the column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ingest.types._common import clean_text

__all__ = ["KINDS", "CaseNumber", "case_number"]

#: Kinds and the prefix of their canonical form.
KINDS = {"police": "RTP", "dsi": "DSI", "oag": "OAG", "court_black": "COJ-BLACK", "court_red": "COJ-RED",
         "court": "COJ", "pacc": "PACC", "rlpd": "RLPD", "msdhs": "MSDHS", "unknown": "CASE"}
_HINTS = {"police": "police", "rtp": "police", "dsi": "dsi", "oag": "oag", "court_black": "court_black",
          "black": "court_black", "คดีหมายเลขดำ": "court_black", "court_red": "court_red", "red": "court_red",
          "คดีหมายเลขแดง": "court_red", "court": "court", "pacc": "pacc", "rlpd": "rlpd", "msdhs": "msdhs"}

_NUMBER = re.compile(r"(\d{1,6})\s*/\s*(\d{2}|\d{4})(?!\d)")
_DSI = re.compile(r"คดีพิเศษ|\bdsi\b|ดีเอสไอ|กรมสอบสวนคดีพิเศษ", re.IGNORECASE)
_BLACK = re.compile(r"หมายเลขดำ|คดีดำ|เลขดำ|\bblack\b|(?<![ก-๙])ดำ(?:ที่)?(?![ก-๙])", re.IGNORECASE)
_RED = re.compile(r"หมายเลขแดง|คดีแดง|เลขแดง|\bred\b|(?<![ก-๙])แดง(?:ที่)?(?![ก-๙])", re.IGNORECASE)
_STATION = re.compile(
    r"(?<![ก-๙])(สถานีตำรวจภูธร|สถานีตำรวจนครบาล|สภ\.?|สน\.?|บก\.?\s?ปคม\.?|กก\.?\s?\d\s?บก\.?\s?ปคม\.?)\s*"
    r"([ก-๙][ก-๙.]*?)?(?=\s|\d|ที่|$)"
)
_OAG = re.compile(r"(อส\.?\s?[ก-๙]{1,4}\.?(?:\s?[ก-๙]{1,4}\.)?|สำนักงานอัยการ[ก-๙]*|อัยการ[ก-๙]*)")
_COURT = re.compile(r"(?<![ก-๙.])([ก-ฮ]{1,3})\.?\s*(?=\d{1,6}\s*/)")
_AGENCY = (("pacc", re.compile(r"(?<![ก-๙])(?:ป\.?ป\.?ท\.?|ปท\.)|\bpacc\b", re.IGNORECASE)),
           ("rlpd", re.compile(r"คุ้มครองสิทธิ|\brlpd\b|(?<![ก-๙])(?:สคส\.?|คส\.)", re.IGNORECASE)),
           ("msdhs", re.compile(r"\bพม\.|\bmsdhs\b|พ\.ม\.", re.IGNORECASE)))
_STATION_WORDS = {"สถานีตำรวจภูธร": "สภ.", "สภ": "สภ.", "สภ.": "สภ.", "สถานีตำรวจนครบาล": "สน.", "สน": "สน.",
                  "สน.": "สน."}
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class CaseNumber:
    """A case number as read (``raw``) and canonical (``value``); ``authority`` is the station, OAG
    office or court prefix; ``year`` is BE."""

    raw: str
    value: str | None
    kind: str
    number: int | None = None
    year: int | None = None
    authority: str | None = None
    flags: tuple[str, ...] = ()


def _year(text: str, flags: list[str]) -> int:
    year = int(text)
    if len(text) == 2:
        flags.append("two_digit_year")
        return 2500 + year
    if year < 2400:
        flags.append("ce_year")
        return year + 543
    return year


def _station(text: str) -> str | None:
    match = _STATION.search(text)
    if match is None:
        return None
    word = _SPACE.sub("", match.group(1))
    name = (match.group(2) or "").strip(".")
    unit = _STATION_WORDS.get(word)
    if unit is None:  # AHTD units: บก.ปคม., กก.1 บก.ปคม.
        return word if word.endswith(".") else word + "."
    return unit + name if name else unit


@lru_cache(maxsize=65536)
def case_number(raw: str, kind: str | None = None, station: str | None = None) -> CaseNumber:
    """Parse a case number cited by any agency; ``kind`` is a hint from the column (``court_black``,
    ``court_red``, ``police``, ...), ``station`` the police station column when the number stands alone.

    Flags: ``empty``, ``unparseable``, ``two_digit_year``, ``ce_year``, ``no_station``,
    ``court_colour_unknown``, ``kind_unknown``, ``kind_hint_mismatch``.

    Examples
    --------
    >>> case_number("สภ. แม่สอด ที่ 123/61").value == case_number("123/2561 สภ.แม่สอด").value
    True
    >>> case_number("คดีพิเศษที่ 45/2561").value, case_number("DSI 45/2561").value
    ('DSI:45/2561', 'DSI:45/2561')
    >>> case_number("อ.1234/2561", "court_black").value
    'COJ-BLACK:อ.1234/2561'
    >>> case_number("อส.คม. 12/2561").value
    'OAG:อส.คม.:12/2561'
    """
    text = clean_text(raw)
    if not text or text == "-":
        return CaseNumber(raw, None, "unknown", flags=("empty",))
    hint = _HINTS.get(kind.lower()) if kind else None
    flags: list[str] = []
    match = _NUMBER.search(text)
    if match is None:
        return CaseNumber(raw, None, hint or "unknown", flags=("unparseable",))
    number, year = int(match.group(1)), _year(match.group(2), flags)
    tail = f"{number}/{year}"
    if _DSI.search(text):
        found = "dsi"
    elif _BLACK.search(text) or _RED.search(text):
        found = "court_black" if _BLACK.search(text) else "court_red"
    elif _STATION.search(text) or (station and hint in (None, "police")):
        found = "police"
    elif _OAG.search(text):
        found = "oag"
    else:
        agency = next((name for name, pattern in _AGENCY if pattern.search(text)), None)
        # A bare "<letters>.<n>/<year>" is only weak evidence of a court number: a hint wins over it.
        weak_court = _COURT.search(text) and hint in (None, "court", "court_black", "court_red")
        found = agency or ("court" if weak_court else hint or "unknown")
    if found == "court" and hint in ("court_black", "court_red"):
        found = hint
    elif hint and hint != found and found != "unknown" and not (hint == "court" and found.startswith("court")):
        flags.append("kind_hint_mismatch")
    elif found == "unknown" and hint:
        found = hint
    authority: str | None = None
    if found == "police":
        authority = _station(text) or (_station(clean_text(station)) if station else None)
        if authority is None and station:
            authority = "สภ." + clean_text(station).removeprefix("สภ.").strip()
        if authority is None:
            flags.append("no_station")
        value = f"RTP:{authority}:{tail}" if authority else f"RTP:?:{tail}"
    elif found == "oag":
        oag = _OAG.search(text)
        authority = _SPACE.sub("", oag.group(1)) if oag else None
        value = f"OAG:{authority}:{tail}"
    elif found.startswith("court"):
        court = _COURT.search(text)
        authority = court.group(1) + "." if court else None
        if found == "court":
            flags.append("court_colour_unknown")
        value = f"{KINDS[found]}:{authority or ''}{tail}"
    else:
        if found == "unknown":
            flags.append("kind_unknown")
        value = f"{KINDS[found]}:{tail}"
    return CaseNumber(raw, value, found, number, year, authority, tuple(flags))
