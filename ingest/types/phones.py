"""Phone numbers to E.164: Thai mobiles and landlines by fast rules, foreign numbers through ``phonenumbers``.

A cell may hold several numbers (``,`` ``/`` ``;`` ``|``, ``หรือ``, ``or``, new lines, or two full numbers
separated by a space). Flags per number: ``missing_leading_zero`` (a spreadsheet ate the 0),
``extension_dropped``, ``foreign``, ``foreign_guess`` (no ``+`` but a foreign country code),
``invalid_foreign``, ``unparseable``; per cell: ``empty``, ``duplicate``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import phonenumbers

from ingest.types._common import clean_text

__all__ = ["Phone", "PhoneList", "phone", "phone_list"]

_SPLIT = re.compile(r"\s*(?:[,/;|\n]|\s(?:หรือ|or|และ|and)\s)\s*", re.IGNORECASE)
_LABEL = re.compile(r"^(?:โทร(?:ศัพท์)?|มือถือ|tel|mobile|mob|phone|ph|เบอร์)\.?\s*:?\s*", re.IGNORECASE)
_EXTENSION = re.compile(r"\s*(?:ต่อ|ext\.?|x|#)\s*\d{1,5}\s*$", re.IGNORECASE)
_NOISE = re.compile(r"[\s\-().]+")
_FOREIGN_CODES = ("95", "855", "856", "84", "60", "86", "880", "977", "91", "62", "63", "65")


@dataclass(frozen=True, slots=True)
class Phone:
    """One phone number as read (``raw``) and as E.164 (``value``); ``kind`` is ``mobile``,
    ``landline``, ``foreign`` or ``unknown``; ``country`` is ISO alpha-2 when known."""

    raw: str
    value: str | None
    kind: str
    country: str | None = None
    flags: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class PhoneList:
    """Every number of one cell; ``value`` holds the distinct E.164 numbers in cell order."""

    raw: str
    value: tuple[str, ...]
    phones: tuple[Phone, ...]
    flags: tuple[str, ...] = ()


def _thai(raw: str, national: str, flags: tuple[str, ...]) -> Phone | None:
    """A Thai number given its national digits (leading 0 included), or ``None`` if it is not one."""
    if len(national) == 10 and national[1] in "689":
        return Phone(raw, "+66" + national[1:], "mobile", "TH", flags)
    if len(national) == 9 and national[1] in "234567":
        return Phone(raw, "+66" + national[1:], "landline", "TH", flags)
    return None


def _foreign(raw: str, digits: str, flags: tuple[str, ...]) -> Phone:
    try:
        number = phonenumbers.parse("+" + digits, None)
    except phonenumbers.NumberParseException:
        return Phone(raw, None, "unknown", None, (*flags, "unparseable"))
    country = phonenumbers.region_code_for_number(number)
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    if not phonenumbers.is_possible_number(number):
        return Phone(raw, e164, "foreign", country, (*flags, "foreign", "invalid_foreign"))
    return Phone(raw, e164, "foreign", country, (*flags, "foreign"))


@lru_cache(maxsize=65536)
def phone(raw: str) -> Phone:
    """Parse one phone number; Thai numbers need no ``+66``.

    Examples
    --------
    >>> phone("081-234-5678").value
    '+66812345678'
    >>> phone("+66 (0) 2 123 4567").kind
    'landline'
    >>> p = phone("+95 9 4500 12345")
    >>> p.value, p.country, p.flags
    ('+959450012345', 'MM', ('foreign',))
    >>> phone("812345678").flags
    ('missing_leading_zero',)
    """
    text = _LABEL.sub("", clean_text(raw))
    flags: tuple[str, ...] = ()
    stripped = _EXTENSION.sub("", text)
    if stripped != text:
        flags = ("extension_dropped",)
    plus = stripped.startswith("+")
    digits = _NOISE.sub("", stripped.lstrip("+"))
    if not digits.isdigit() or not digits.isascii():
        return Phone(raw, None, "unknown", None, ("unparseable",))
    if digits.startswith("00") and not plus:  # international call prefix
        digits, plus = digits[2:], True
    if digits.startswith("66") and (plus or len(digits) in (10, 11)):
        rest = digits[2:]
        found = _thai(raw, rest if rest.startswith("0") else "0" + rest, flags)
        if found is not None:
            return found
    if plus:
        return _foreign(raw, digits, flags)
    if digits.startswith("0"):
        found = _thai(raw, digits, flags)
        if found is not None:
            return found
    elif len(digits) == 9 and digits[0] in "689":
        found = _thai(raw, "0" + digits, (*flags, "missing_leading_zero"))
        if found is not None:
            return found
    if len(digits) >= 9 and digits.startswith(_FOREIGN_CODES):
        return _foreign(raw, digits, (*flags, "foreign_guess"))
    return Phone(raw, None, "unknown", None, (*flags, "unparseable"))


def _pieces(text: str) -> list[str]:
    pieces: list[str] = []
    for part in _SPLIT.split(text):
        if not part:
            continue
        words = part.split(" ")
        # "0812345678 0891234567": two full numbers separated only by a space.
        if len(words) > 1 and all(len(_NOISE.sub("", w)) >= 9 for w in words):
            pieces.extend(words)
        else:
            pieces.append(part)
    return pieces


@lru_cache(maxsize=65536)
def phone_list(raw: str) -> PhoneList:
    """Parse a cell holding one or several phone numbers.

    Examples
    --------
    >>> phone_list("081-234-5678, 089 123 4567 / 02-123-4567").value
    ('+66812345678', '+66891234567', '+6621234567')
    >>> phone_list("0812345678 หรือ +66812345678").flags
    ('duplicate',)
    """
    text = clean_text(raw)
    if not text or text in ("-", "ไม่มี", "none"):
        return PhoneList(raw, (), (), ("empty",))
    phones = tuple(phone(piece) for piece in _pieces(text))
    values: list[str] = []
    flags: list[str] = []
    for p in phones:
        if p.value is None:
            continue
        if p.value in values:
            if "duplicate" not in flags:
                flags.append("duplicate")
        else:
            values.append(p.value)
    if not values:
        flags.append("unparseable")
    return PhoneList(raw, tuple(values), phones, tuple(flags))
