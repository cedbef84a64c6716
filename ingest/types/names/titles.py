"""Name prefixes, police and military ranks, Myanmar honorifics and organisations' legal forms.

Each table maps the written form to what it means; the regexes built from them try longer forms first so
``นางสาว`` wins over ``นาง`` and ``พ.ต.ท.`` over ``พ.ต.``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = ["HONORIFICS", "LEGAL_FORMS", "PREFIXES", "RANKS", "alternation"]

#: Civil prefixes -> sex they imply (None when they imply none).
PREFIXES: dict[str, str | None] = {
    "นาย": "M", "นาง": "F", "นางสาว": "F", "น.ส.": "F", "นส.": "F", "น.ส": "F",
    "ด.ช.": "M", "ด.ญ.": "F", "ดช.": "M", "ดญ.": "F", "เด็กชาย": "M", "เด็กหญิง": "F",
    "นายแพทย์": "M", "นพ.": "M", "แพทย์หญิง": "F", "พญ.": "F", "ดร.": None, "คุณ": None,
    "หม่อมราชวงศ์": None, "ม.ร.ว.": None, "หม่อมหลวง": None, "ม.ล.": None, "พระ": "M",
    "mr.": "M", "mr": "M", "mrs.": "F", "mrs": "F", "miss": "F", "ms.": "F", "ms": "F", "mstr.": "M",
    "master": "M", "dr.": None, "dr": None,
}

_POLICE_ABBR = ("พล.ต.อ.", "พล.ต.ท.", "พล.ต.ต.", "พ.ต.อ.", "พ.ต.ท.", "พ.ต.ต.", "ร.ต.อ.", "ร.ต.ท.", "ร.ต.ต.",
                "ด.ต.", "จ.ส.ต.", "ส.ต.อ.", "ส.ต.ท.", "ส.ต.ต.", "พลฯ", "พ.ต.อ.(พิเศษ)")
_ARMED_ABBR = ("พล.อ.", "พล.ท.", "พล.ต.", "พ.อ.", "พ.ท.", "พ.ต.", "ร.อ.", "ร.ท.", "ร.ต.", "จ.ส.อ.", "จ.ส.ท.",
               "ส.อ.", "ส.ท.", "ส.ต.", "พลทหาร", "พล.ร.อ.", "พล.ร.ท.", "พล.ร.ต.", "น.อ.", "น.ท.", "น.ต.",
               "พ.จ.อ.", "พ.จ.ท.", "พ.จ.ต.", "จ.อ.", "จ.ท.", "จ.ต.", "พล.อ.อ.", "พล.อ.ท.", "พล.อ.ต.", "พ.อ.อ.",
               "พ.อ.ท.", "พ.อ.ต.", "ร.อ.อ.")
_GRADED = tuple(
    f"{level}{service}{grade}"
    for level in ("พล", "พัน", "ร้อย", "สิบ", "จ่าสิบ")
    for service in ("ตำรวจ", "")
    for grade in ("เอก", "โท", "ตรี")
)
_RANK_WORDS = (*_GRADED, "ดาบตำรวจ", "จ่าสิบตำรวจ", "พลตำรวจ", "นาวาเอก", "นาวาโท", "นาวาตรี", "เรือเอก",
               "เรือโท", "เรือตรี", "นาวาอากาศเอก", "นาวาอากาศโท", "นาวาอากาศตรี", "เรืออากาศเอก", "เรืออากาศโท",
               "เรืออากาศตรี", "pol.gen.", "pol.lt.gen.", "pol.maj.gen.", "pol.col.", "pol.lt.col.", "pol.maj.",
               "pol.capt.", "pol.lt.", "pol.sub.lt.", "pol.sen.sgt.maj.", "pol.sgt.maj.", "pol.sgt.", "pol.cpl.",
               "pol.l.cpl.", "gen.", "lt.gen.", "maj.gen.", "col.", "lt.col.", "maj.", "capt.", "lt.", "sgt.")
#: Ranks: police (RTP), army, navy, air force; abbreviated, spelled out, and English.
RANKS: frozenset[str] = frozenset((*_POLICE_ABBR, *_ARMED_ABBR, *_RANK_WORDS))

#: Myanmar honorifics (Latin and as a Thai officer writes them) -> sex they imply.
HONORIFICS: dict[str, str | None] = {
    "u": "M", "maung": "M", "mg": "M", "mg.": "M", "ko": "M", "saw": "M", "sai": "M",
    "ma": "F", "daw": "F", "naw": "F", "nang": "F", "mi": "F", "nan": "F",
    "อู": "M", "หม่อง": "M", "โก": "M", "ซอ": "M", "จาย": "M", "มะ": "F", "ดอ": "F", "นอ": "F",
}

#: Legal forms of organisations -> canonical code.
LEGAL_FORMS: dict[str, str] = {
    "บริษัทมหาชนจำกัด": "public_company_limited", "บมจ.": "public_company_limited",
    "(มหาชน)": "public_company_limited", "มหาชน": "public_company_limited",
    "public company limited": "public_company_limited", "pcl.": "public_company_limited",
    "pcl": "public_company_limited", "plc.": "public_company_limited", "plc": "public_company_limited",
    "บริษัท": "company_limited", "บจก.": "company_limited", "บ.": "company_limited", "จำกัด": "company_limited",
    "company limited": "company_limited", "co., ltd.": "company_limited", "co.,ltd.": "company_limited",
    "co., ltd": "company_limited", "co.,ltd": "company_limited", "co. ltd.": "company_limited",
    "co ltd": "company_limited", "co.ltd.": "company_limited", "ltd.": "company_limited",
    "ltd": "company_limited", "limited": "company_limited", "company": "company_limited",
    "co.": "company_limited", "inc.": "company_limited", "inc": "company_limited", "corp.": "company_limited",
    "ห้างหุ้นส่วนจำกัด": "limited_partnership", "หจก.": "limited_partnership", "หจก": "limited_partnership",
    "limited partnership": "limited_partnership", "ltd. part.": "limited_partnership",
    "part., ltd.": "limited_partnership", "l.p.": "limited_partnership",
    "ห้างหุ้นส่วนสามัญนิติบุคคล": "ordinary_partnership", "ห้างหุ้นส่วนสามัญ": "ordinary_partnership",
    "หสน.": "ordinary_partnership", "มูลนิธิ": "foundation", "foundation": "foundation",
    "สมาคม": "association", "association": "association", "สหกรณ์": "cooperative", "cooperative": "cooperative",
}


def alternation(words: Iterable[str]) -> str:
    """Regex alternation of ``words`` (an iterable of str), longest first, escaped.

    Examples
    --------
    >>> alternation(["นาง", "นางสาว"])
    'นางสาว|นาง'
    """
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
