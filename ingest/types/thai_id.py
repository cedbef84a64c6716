"""Identity numbers: Thai national ID, pink card, company registration, passport, and which is which.

The 13-digit numbers all share the DOPA mod-11 check digit (``stdnum.th.pin``); the kind follows from the
first digits: ``00`` pink card (migrant worker), ``0`` company registration (``stdnum.th.moa``), ``1``-``8``
Thai national ID.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from operator import mul

from ingest.types._common import clean_text

__all__ = [
    "IdNumber",
    "company_reg",
    "id_document",
    "likely_typo_of",
    "one_digit_variants",
    "passport",
    "pink_card",
    "thai_id",
]

_SEPARATORS = re.compile(r"[\s\-./]+")
_THIRTEEN = re.compile(r"\d{13}")
_PASSPORT = re.compile(r"[A-Z0-9]{5,12}")
_PASSPORT_TYPICAL = re.compile(r"[A-Z]{1,2}\d{6,8}|\d{7,9}|[A-Z]\d{2}[A-Z0-9]{4,6}")
_PASSPORT_NOISE = re.compile(r"^(?:passport|pp|หนังสือเดินทาง)?\s*(?:no\.|no\s|number|เลขที่)?\s*[:#]?\s*",
                             re.IGNORECASE)
_NONE_WORDS = frozenset({"-", "ไม่มี", "ไม่ทราบ", "none", "n/a", "na", "null", "nil", "0"})

# Hints written in the agencies' "document type" columns, mapped to a kind.
_HINTS = {
    "บัตรประชาชน": "thai_id", "บัตรประจำตัวประชาชน": "thai_id", "national_id": "thai_id", "thai_id": "thai_id",
    "id_card": "thai_id", "citizen_id": "thai_id",
    "หนังสือเดินทาง": "passport", "passport": "passport", "พาสปอร์ต": "passport",
    "border_pass": "border_pass", "บัตรผ่านแดน": "border_pass",
    "บัตรชมพู": "pink_card", "pink_card": "pink_card", "ท.ร.38/1": "pink_card", "บัตรสีชมพู": "pink_card",
    "company_reg": "company_reg", "เลขทะเบียนนิติบุคคล": "company_reg", "company": "company_reg",
    "ไม่มี": "none", "none": "none",
}


@dataclass(frozen=True, slots=True)
class IdNumber:
    """An identity number as read (``raw``) and cleaned (``value``).

    ``kind`` is one of ``thai_id``, ``pink_card``, ``company_reg``, ``passport``, ``border_pass``,
    ``unknown``; ``valid`` is true only when length, form and check digit are all right.
    """

    raw: str
    value: str | None
    kind: str
    valid: bool
    flags: tuple[str, ...] = ()


_PIN_WEIGHTS = tuple(2 - i for i in range(12))


def _check_digit(number: str) -> str:
    """``stdnum.th.pin.calc_check_digit`` (the same sum, its loop in C: 2.6 -> 0.9 us, once per ID).

    >>> from stdnum.th import pin
    >>> all(_check_digit(n) == pin.calc_check_digit(n) for n in ("110070012345", "004563123456", "999999999999"))
    True
    """
    # the digits' ASCII codes weighted, less 48 times the weights' sum (-42): no int() per digit
    return str((1 - (sum(map(mul, _PIN_WEIGHTS, number[:12].encode())) + 48 * 42) % 11) % 10)


def _check_thirteen(raw: str, kind: str) -> IdNumber:
    text = clean_text(raw)
    if not text or text.lower() in _NONE_WORDS:
        return IdNumber(raw, None, kind, False, ("empty",))
    compact = _SEPARATORS.sub("", text)
    if not compact.isdigit() or not compact.isascii():
        return IdNumber(raw, None, kind, False, ("not_digits",))
    if len(compact) != 13:
        return IdNumber(raw, compact, kind, False, ("bad_length",))
    flags: list[str] = []
    if compact[-1] != _check_digit(compact):
        flags.append("bad_check_digit")
    first = compact[0]
    if kind == "thai_id" and first in "09":
        flags.append("bad_first_digit")
    elif kind == "pink_card" and not compact.startswith("00"):
        flags.append("not_pink_card_prefix")
    elif kind == "company_reg" and (first != "0" or compact.startswith("00")):
        flags.append("not_company_prefix")
    return IdNumber(raw, compact, kind, not flags, tuple(flags))


@lru_cache(maxsize=65536)
def thai_id(raw: str) -> IdNumber:
    """Parse a 13-digit Thai national ID; a wrong check digit is kept and flagged.

    Flags: ``empty``, ``not_digits``, ``bad_length``, ``bad_check_digit``, ``bad_first_digit``.

    Examples
    --------
    >>> thai_id("1-1007-00123-45-5")
    IdNumber(raw='1-1007-00123-45-5', value='1100700123455', kind='thai_id', valid=True, flags=())
    >>> thai_id("1 1007 00123 45 6").flags
    ('bad_check_digit',)
    """
    return _check_thirteen(raw, "thai_id")


@lru_cache(maxsize=65536)
def pink_card(raw: str) -> IdNumber:
    """Parse a migrant worker's pink card number (13 digits starting ``00``).

    Flags: ``empty``, ``not_digits``, ``bad_length``, ``bad_check_digit``, ``not_pink_card_prefix``.

    Examples
    --------
    >>> pink_card("0-0456-31234-56-4").valid
    True
    """
    return _check_thirteen(raw, "pink_card")


@lru_cache(maxsize=65536)
def company_reg(raw: str) -> IdNumber:
    """Parse a company registration number (13 digits starting ``0``, same check digit).

    Flags: ``empty``, ``not_digits``, ``bad_length``, ``bad_check_digit``, ``not_company_prefix``.

    Examples
    --------
    >>> company_reg("0105561012346").valid
    True
    >>> company_reg("0-1055-61012-34-5").flags
    ('bad_check_digit',)
    """
    return _check_thirteen(raw, "company_reg")


@lru_cache(maxsize=65536)
def passport(raw: str) -> IdNumber:
    """Parse a passport number: uppercase, spaces and dashes dropped, country unknown.

    Flags: ``empty``, ``not_alphanumeric``, ``unusual_passport_format`` (kept, but does not look like
    the usual letter(s) + digits pattern).

    Examples
    --------
    >>> passport(" mb 123456 ")
    IdNumber(raw=' mb 123456 ', value='MB123456', kind='passport', valid=True, flags=())
    """
    text = clean_text(raw)
    if not text or text.lower() in _NONE_WORDS:
        return IdNumber(raw, None, "passport", False, ("empty",))
    compact = _SEPARATORS.sub("", _PASSPORT_NOISE.sub("", text)).upper()
    if not _PASSPORT.fullmatch(compact):
        return IdNumber(raw, compact or None, "passport", False, ("not_alphanumeric",))
    if not _PASSPORT_TYPICAL.fullmatch(compact):
        return IdNumber(raw, compact, "passport", False, ("unusual_passport_format",))
    return IdNumber(raw, compact, "passport", True, ())


def _kind_of_thirteen(compact: str) -> str:
    if compact.startswith("00"):
        return "pink_card"
    if compact.startswith("0"):
        return "company_reg"
    return "thai_id"


@lru_cache(maxsize=65536)
def id_document(raw: str, doc_type_hint: str | None = None) -> IdNumber:
    """Detect what kind of identity number ``raw`` is and parse it as that kind.

    ``doc_type_hint`` is the agency's document type column (``บัตรประชาชน``, ``หนังสือเดินทาง``,
    ``บัตรชมพู``, ``PASSPORT``, ``BORDER_PASS``, ...). The value decides; a hint that disagrees with a
    13-digit value adds ``type_hint_mismatch``.

    Examples
    --------
    >>> id_document("0045631234564").kind
    'pink_card'
    >>> id_document("N1234567", "หนังสือเดินทาง").kind
    'passport'
    >>> id_document("1100700123455", "บัตรชมพู").flags
    ('type_hint_mismatch',)
    """
    hint = _HINTS.get(clean_text(doc_type_hint).lower()) if doc_type_hint else None
    compact = _SEPARATORS.sub("", clean_text(raw))
    if _THIRTEEN.fullmatch(compact):
        kind = _kind_of_thirteen(compact)
        parsed = _check_thirteen(raw, kind)
        if hint in ("thai_id", "pink_card", "company_reg", "passport") and hint != kind:
            return IdNumber(raw, parsed.value, kind, parsed.valid, (*parsed.flags, "type_hint_mismatch"))
        return parsed
    if hint in ("thai_id", "pink_card", "company_reg") or (compact.isdigit() and 10 <= len(compact) <= 14):
        return _check_thirteen(raw, hint if hint in ("pink_card", "company_reg") else "thai_id")
    parsed = passport(raw)
    if hint == "border_pass":
        return IdNumber(raw, parsed.value, "border_pass", parsed.value is not None, parsed.flags)
    if "not_alphanumeric" in parsed.flags:
        return IdNumber(raw, parsed.value, "unknown", False, parsed.flags)
    return parsed


def one_digit_variants(value: str) -> frozenset[str]:
    """Every string one typing slip away from ``value``: one digit changed or two adjacent digits swapped.

    Used for blocking in entity resolution: a record whose ID is in this set of another record's ID is a
    candidate for a typo match.

    Examples
    --------
    >>> v = one_digit_variants("1100700123455")
    >>> len(v), "1100700123545" in v, "1100700123455" in v
    (125, True, False)
    """
    out: set[str] = set()
    for i, ch in enumerate(value):
        for d in "0123456789":
            if d != ch:
                out.add(value[:i] + d + value[i + 1:])
        if i + 1 < len(value) and value[i + 1] != ch:
            out.add(value[:i] + value[i + 1] + ch + value[i + 2:])
    return frozenset(out)


def likely_typo_of(a: str, b: str) -> bool:
    """True when two ID strings of equal length differ by one digit or by two adjacent digits swapped.

    Examples
    --------
    >>> likely_typo_of("1100700123455", "1100700123465")
    True
    >>> likely_typo_of("1100700123455", "1100700132455")
    True
    >>> likely_typo_of("1100700123455", "1100700123455")
    False
    >>> likely_typo_of("1100700123455", "1100700321455")
    False
    """
    if len(a) != len(b) or a == b:
        return False
    diffs = [i for i in range(len(a)) if a[i] != b[i]]
    if len(diffs) == 1:
        return True
    if len(diffs) == 2:
        i, j = diffs
        return j == i + 1 and a[i] == b[j] and a[j] == b[i]
    return False
