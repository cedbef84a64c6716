"""Addresses: Thai addresses split into parts and resolved to DOPA geocodes (geothai); foreign places to
a country.

Read: ``99/9 หมู่ 3 ต.แม่ปะ อ.แม่สอด จ.ตาก 63110``, the same spelled out (ตำบล/อำเภอ/จังหวัด), Bangkok's
แขวง/เขต, English ``Mae Pa, Mae Sot, Tak``, a province alone, and foreign places such as
``Myawaddy, Kayin State, Myanmar`` or ``เมียวดี ประเทศเมียนมา``. Flags: ``empty``, ``foreign``,
``unresolved`` (no Thai area found), ``ambiguous_area`` (several subdistricts fit: the common parent is
kept), ``postcode_mismatch``, ``province_only``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

import geothai

from ingest.types._common import clean_text
from ingest.types.codes import country_in_text, without_countries

__all__ = ["FOREIGN_PLACES", "Address", "address"]

#: Foreign towns on the trafficking routes, Latin or Thai spelling -> (country, one name for the key).
FOREIGN_PLACES: dict[str, tuple[str, str]] = {
    spelling: (iso3, names[0])
    for iso3, places in {
        "MMR": (("myawaddy", "เมียวดี"), ("yangon", "ย่างกุ้ง"), ("tachileik", "ท่าขี้เหล็ก"), ("dawei", "ทวาย"),
                ("mawlamyine", "เมาะลำไย"), ("kawthaung", "เกาะสอง"), ("hpa-an", "ผาอัน")),
        "KHM": (("poipet", "ปอยเปต"), ("phnom penh", "พนมเปญ"), ("battambang", "พระตะบอง"),
                ("siem reap", "เสียมราฐ"), ("koh kong", "เกาะกง")),
        "LAO": (("vientiane", "เวียงจันทน์", "เวียงจันทร์"), ("savannakhet", "สะหวันนะเขต"), ("pakse", "ปากเซ")),
        "MYS": (("kuala lumpur", "กัวลาลัมเปอร์"),),
        "VNM": (("hanoi", "ฮานอย"), ("ho chi minh", "โฮจิมินห์")),
    }.items()
    for names in places
    for spelling in names
}
_FOREIGN_RE = re.compile("|".join(re.escape(p) for p in sorted(FOREIGN_PLACES, key=len, reverse=True)),
                         re.IGNORECASE)
_HOUSE = re.compile(r"^(?:บ้านเลขที่|เลขที่|no\.?)?\s*(\d+(?:/\d+)?(?:-\d+)?)(?=[\s,]|$)", re.IGNORECASE)
_MOO = re.compile(r"(?:หมู่ที่|หมู่|ม\.|moo\.?|m\.)\s*(\d{1,2})(?!\d)", re.IGNORECASE)
_SOI = re.compile(r"(?:ซอย|ซ\.)\s*([^\s,]+)")
_ROAD = re.compile(r"(?:ถนน|ถ\.)\s*([^\s,]+)")
_TAMBON = re.compile(r"(?:ตำบล|ต\.|แขวง)\s*([ก-๙]+)")
_AMPHOE = re.compile(r"(?:อำเภอ|กิ่งอำเภอ|อ\.|เขต)\s*([ก-๙]+)")
_CHANGWAT = re.compile(r"(?:จังหวัด|จ\.)\s*([ก-๙]+)|(กรุงเทพมหานคร|กรุงเทพฯ|กรุงเทพ|กทม\.?)")
_POSTCODE = re.compile(r"(?<!\d)(\d{5})(?!\d)")
_EN_WORDS = re.compile(r"\b(?:sub-?district|tambon|district|amphoe|amphur|province|changwat|khwaeng|khet|"
                       r"thailand)\b\.?", re.IGNORECASE)
_NORM = re.compile(r"[\s.'\-]")
_LEVEL = re.compile(r"^(?:จังหวัด|อำเภอ|เขต|ตำบล|แขวง|กิ่งอำเภอ)")


@dataclass(frozen=True, slots=True)
class Address:
    """An address as read and taken apart. ``code`` is the deepest DOPA geocode found (6-digit tambon,
    4-digit amphoe or 2-digit changwat); ``country`` ISO3; ``key`` a stable location key built from the
    geocode (or country and place), house number and moo."""

    raw: str
    value: str | None
    house_no: str | None = None
    moo: str | None = None
    soi: str | None = None
    road: str | None = None
    tambon: str | None = None
    amphoe: str | None = None
    changwat: str | None = None
    postcode: str | None = None
    code: str | None = None
    country: str | None = None
    place: str | None = None
    key: str | None = None
    flags: tuple[str, ...] = ()


def _norm(name: str) -> str:
    return _LEVEL.sub("", _NORM.sub("", name.lower()))


@cache
def _provinces() -> dict[str, str]:
    table = {"กทม": "10", "กรุงเทพ": "10", "กรุงเทพฯ": "10", "bkk": "10", "อยุธยา": "14", "ayutthaya": "14"}
    for p in geothai.provinces():
        table[_norm(p.name_th)] = table[_norm(p.name_en)] = p.code
    return table


@lru_cache(maxsize=8192)
def _district(name: str, province_code: str | None) -> str | None:
    """District code of ``name`` (within the province when known; only if unique otherwise)."""
    key = _norm(name)
    candidates = geothai.districts(province_code) if province_code else [
        d for p in geothai.provinces() for d in geothai.districts(p.code)]
    found = [d.code for d in candidates if key in (_norm(d.name_th), _norm(d.name_en))]
    if not found and province_code and province_code != "10" and key in ("เมือง", "mueang"):
        return province_code + "01"
    return found[0] if len(found) == 1 else None


def _foreign(raw: str, text: str) -> Address | None:
    country = country_in_text(text)
    place_match = _FOREIGN_RE.search(text)
    known = FOREIGN_PLACES[place_match.group(0).lower()] if place_match else None
    if known and country in (None, "THA"):
        country = known[0]
    if country in (None, "THA"):
        return None
    if known and known[0] == country:
        place: str | None = known[1]
    else:
        place = without_countries(text.split(",")[0]) or None
    key = f"{country}:{_NORM.sub('', place.lower())}" if place else country
    return Address(raw, text, country=country, place=place, key=key, flags=("foreign",))


def _english(text: str) -> tuple[str | None, str | None, str | None]:
    parts = [p.strip() for p in _EN_WORDS.sub("", _POSTCODE.sub("", text)).split(",")]
    parts = [p for p in parts if p and not _HOUSE.fullmatch(p) and not _MOO.fullmatch(p)]
    parts = [p for p in parts if not re.match(r"^(?:\d|moo|soi|road|rd\.?)\b", p, re.IGNORECASE)]
    province = parts[-1] if parts else None
    district = parts[-2] if len(parts) >= 2 else None
    tambon = parts[-3] if len(parts) >= 3 else None
    return tambon, district, province


def _resolve(tambon: str | None, amphoe: str | None, changwat: str | None, postcode: str | None,
             flags: list[str]) -> str | None:
    province_code = _provinces().get(_norm(changwat)) if changwat else None
    if tambon:
        found = geothai.match(tambon, district=amphoe, province=changwat, postal_code=postcode)
        if not found and postcode:
            found = geothai.match(tambon, district=amphoe, province=changwat)
            if found:
                flags.append("postcode_mismatch")
        codes = {a.subdistrict.code for a in found}
        if len(codes) == 1:
            return codes.pop()
        if codes:
            flags.append("ambiguous_area")
            districts = {c[:4] for c in codes}
            provinces = {c[:2] for c in codes}
            return districts.pop() if len(districts) == 1 else provinces.pop() if len(provinces) == 1 else None
    if amphoe:
        code = _district(amphoe, province_code)
        if code:
            return code
    if province_code is None and postcode:
        subs = geothai.by_postal_code(postcode)
        if subs and len({s.district_code for s in subs}) == 1:
            return subs[0].district_code
    return province_code


@lru_cache(maxsize=65536)
def address(raw: str) -> Address:
    """Parse an address and resolve it to a DOPA geocode, or to a country when it is abroad.

    Examples
    --------
    >>> a = address("99/9 หมู่ 3 ต.แม่ปะ อ.แม่สอด จ.ตาก 63110")
    >>> a.house_no, a.moo, a.code, a.key
    ('99/9', '3', '630607', 'TH:630607:99/9:3')
    >>> address("Mae Pa, Mae Sot, Tak").code
    '630607'
    >>> address("Myawaddy, Kayin State, Myanmar").key == address("เมียวดี ประเทศเมียนมา").key == "MMR:myawaddy"
    True
    >>> address("จังหวัดตาก").code
    '63'
    """
    text = clean_text(raw)
    if not text or text in ("-", "ไม่ทราบ", "ไม่มี"):
        return Address(raw, None, flags=("empty",))
    thai_marked = _TAMBON.search(text) or _AMPHOE.search(text) or _CHANGWAT.search(text)
    if not thai_marked:  # a Thai address with ต./อ./จ. is not abroad: skip the slower country search
        foreign = _foreign(raw, text)
        if foreign is not None:
            return foreign
    flags: list[str] = []
    house = _HOUSE.match(text)
    moo, soi, road = _MOO.search(text), _SOI.search(text), _ROAD.search(text)
    tambon_m, amphoe_m, changwat_m = _TAMBON.search(text), _AMPHOE.search(text), _CHANGWAT.search(text)
    postcode_m = _POSTCODE.search(text[house.end():] if house else text)
    postcode = postcode_m.group(1) if postcode_m else None
    tambon = tambon_m.group(1) if tambon_m else None
    amphoe = amphoe_m.group(1) if amphoe_m else None
    changwat = (changwat_m.group(1) or changwat_m.group(2)) if changwat_m else None
    if not (tambon or amphoe or changwat):
        if re.search(r"[A-Za-z]", text):
            tambon, amphoe, changwat = _english(text)
            if tambon is None and amphoe is None and changwat and _norm(changwat) not in _provinces():
                changwat = None
        elif _norm(text) in _provinces():
            changwat = text
    code = _resolve(tambon, amphoe, changwat, postcode, flags)
    if code is None and thai_marked:
        foreign = _foreign(raw, text)
        if foreign is not None:
            return foreign
    if code is None:
        flags.append("unresolved")
    elif len(code) == 2 and not (tambon or amphoe):
        flags.append("province_only")
    parts = [f"TH:{code}" if code else "TH:?"]
    if house:
        parts.append(house.group(1))
    if moo:
        parts.append(moo.group(1).lstrip("0") or "0")
    return Address(
        raw, text, house.group(1) if house else None, moo.group(1).lstrip("0") if moo else None,
        soi.group(1) if soi else None, road.group(1) if road else None, tambon, amphoe, changwat, postcode,
        code, "THA" if code else None, None, ":".join(parts) if code else None, tuple(flags),
    )
