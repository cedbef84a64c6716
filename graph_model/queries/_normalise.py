"""Query-side normalisers: turn what an investigator types into the forms the graph stores.

Decision (issue 5): ``graph_model`` does not import ``ingest`` (data flows one way), so the few forms a
search needs are rebuilt here, small and lenient: E.164 phones, digit-only IDs and account numbers,
upper-case passports, whitespace-free case numbers, Thai digits to Arabic. ``ingest.types`` stays the
authority when loading; these functions are idempotent, so the API may pass already-normalised values.

>>> phone_e164("081-234-5678"), phone_e164("+66812345678")
('+66812345678', '+66812345678')
>>> digits("๑-๑๐๐๗-๐๐๑๒๓-๔๕-๖")
'1100700123456'
>>> case_key(" สภ.แม่สอด 123/2562 ")
'สภ.แม่สอด123/2562'
"""

from __future__ import annotations

import re

import phonenumbers

__all__ = ["case_key", "digits", "name_key", "passport", "phone_e164", "thai_id_valid"]

_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")


def digits(text: str) -> str:
    """Only the digits of ``text`` (Thai digits become Arabic)."""
    return re.sub(r"\D", "", text.translate(_THAI_DIGITS))


def phone_e164(text: str, region: str = "TH") -> str | None:
    """A phone number in E.164, Thai numbers without ``+66`` accepted; None when unparseable."""
    raw = text.translate(_THAI_DIGITS).strip()
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def thai_id_valid(number: str) -> bool:
    """Whether a 13-digit Thai national ID passes its check digit.

    >>> thai_id_valid("1100700123456"), thai_id_valid("1100700123457")
    (False, False)
    """
    d = digits(number)
    if len(d) != 13:
        return False
    check = (11 - sum(int(c) * (13 - i) for i, c in enumerate(d[:12])) % 11) % 10
    return check == int(d[12])


def passport(text: str) -> str:
    """A passport number without spaces or dashes, upper case."""
    return re.sub(r"[\s\-]", "", text).upper()


def case_key(text: str) -> str:
    """A case number without whitespace, Thai digits made Arabic, for lenient comparison."""
    return re.sub(r"\s+", "", text.translate(_THAI_DIGITS))


def name_key(text: str) -> str:
    """Lower-case, single-spaced name for fuzzy comparison (both scripts)."""
    return " ".join(text.lower().split())
