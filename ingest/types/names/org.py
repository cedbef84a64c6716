"""Organisation names: legal forms (บริษัท … จำกัด, หจก., Co., Ltd.) taken out, a comparable key made."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ingest.types._common import clean_text
from ingest.types.names.person import detect_script
from ingest.types.names.romanise import romanised_key
from ingest.types.names.titles import LEGAL_FORMS, alternation

__all__ = ["OrgName", "org_name"]

_FORM = alternation(LEGAL_FORMS)
# Thai forms may be glued to the name (บริษัทสยามซีฟู้ดจำกัด); Latin forms need a word edge.
_LEADING = re.compile(rf"^(?:{_FORM})(?:\s+|(?=[\u0e00-\u0e7f]))", re.IGNORECASE)
_TRAILING = re.compile(rf"(?:[\s,]+|(?<=[\u0e00-\u0e7f]))(?:{_FORM})$", re.IGNORECASE)
_KEY_DROP = re.compile(r"[^\w\u0e00-\u0e7f]+|_")
_RANK_ORDER = ("public_company_limited", "limited_partnership", "ordinary_partnership", "company_limited",
               "foundation", "association", "cooperative")


@dataclass(frozen=True, slots=True)
class OrgName:
    """An organisation name as read (``raw``); ``value`` without legal form, ``legal_form`` a code such as
    ``company_limited``; ``key`` lower case letters and digits only; ``romanised_key`` across scripts."""

    raw: str
    value: str | None
    legal_form: str | None = None
    key: str | None = None
    romanised_key: str | None = None
    script: str = "unknown"
    flags: tuple[str, ...] = ()


@lru_cache(maxsize=65536)
def org_name(raw: str) -> OrgName:
    """Parse an organisation name; Thai and English legal forms go to ``legal_form``.

    Flags: ``empty``, ``legal_form_only``.

    Examples
    --------
    >>> o = org_name("บริษัท สยามซีฟู้ด จำกัด")
    >>> o.value, o.legal_form
    ('สยามซีฟู้ด', 'company_limited')
    >>> org_name("Siam Seafood Co., Ltd.").key == org_name("SIAM SEAFOOD COMPANY LIMITED").key
    True
    >>> org_name("หจก. ทองดีการประมง").legal_form
    'limited_partnership'
    """
    text = clean_text(raw)
    if not text or text == "-":
        return OrgName(raw, None, flags=("empty",))
    forms: set[str] = set()
    for _ in range(4):
        before = text
        match = _LEADING.match(text)
        if match:
            forms.add(LEGAL_FORMS[match.group(0).strip().lower()])
            text = text[match.end():].strip(" ,")
        match = _TRAILING.search(text)
        if match:
            forms.add(LEGAL_FORMS[match.group(0).strip(" ,").lower()])
            text = text[:match.start()].strip(" ,")
        if text == before:
            break
    if text.lower() in LEGAL_FORMS:  # "บริษัท จำกัด": nothing but the form
        forms.add(LEGAL_FORMS[text.lower()])
        text = ""
    legal_form = next((f for f in _RANK_ORDER if f in forms), None)
    if not text:
        return OrgName(raw, None, legal_form, flags=("legal_form_only",))
    key = _KEY_DROP.sub("", text.lower())
    return OrgName(raw, text, legal_form, key, romanised_key(text.split()), detect_script(text))
