"""Text clean-up shared by every value type: NFC, Thai digits, invisible characters, spaces."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = ["THAI_DIGITS", "clean_text", "digits_only", "to_ascii_digits"]

#: Translation table from Thai digits ๐-๙ to ASCII 0-9.
THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")

# BOM, zero-width space/joiners, soft hyphen and no-break spaces turn up in copied cells.
_INVISIBLE = str.maketrans({"\ufeff": None, "\u200b": None, "\u200c": None, "\u200d": None,
                            "\u00ad": None, "\u00a0": " ", "\u2007": " ", "\u202f": " ",
                            "\u2013": "-", "\u2014": "-", "\u2212": "-", "\u2010": "-", "\u2011": "-"})
_SPACES = re.compile(r"\s+")
_NON_DIGIT = re.compile(r"\D+")


_NEEDS_TRANSLATE = re.compile("[\ufeff\u200b\u200c\u200d\u00ad\u00a0\u2007\u202f\u2013\u2014\u2212\u2010\u2011"
                              "\u0e50-\u0e59\u0e4d]")
_MESSY_SPACE = re.compile(r"\s\s|[^\S ]|^\s|\s$")


@lru_cache(maxsize=65536)
def clean_text(raw: str) -> str:
    """Return ``raw`` in NFC with Thai digits as ASCII, invisible characters removed, spaces collapsed.

    Thai vowels and tone marks typed in another order compose to the same NFC string, so every parser
    starts here.

    Examples
    --------
    >>> clean_text("\\ufeff  ๑๒๓/๔๕  ซอย\\u200b ๗ ")
    '123/45 ซอย 7'
    """
    text = raw if unicodedata.is_normalized("NFC", raw) else unicodedata.normalize("NFC", raw)
    if _NEEDS_TRANSLATE.search(text):  # most cells need none of this: skip the slow translate
        text = text.translate(_INVISIBLE).translate(THAI_DIGITS)
        if "\u0e4d" in text:  # nikhahit + sara aa typed for sara am (NFC leaves them apart)
            text = text.replace("\u0e4d\u0e32", "\u0e33")
    return _SPACES.sub(" ", text).strip() if _MESSY_SPACE.search(text) else text


def to_ascii_digits(text: str) -> str:
    """Return ``text`` with Thai digits replaced by ASCII digits.

    Examples
    --------
    >>> to_ascii_digits("๒๕๖๑")
    '2561'
    """
    return text.translate(THAI_DIGITS)


def digits_only(text: str) -> str:
    """Return only the digits of ``text`` (Thai digits converted).

    Examples
    --------
    >>> digits_only("1-1007-00123-45-5")
    '1100700123455'
    """
    return _NON_DIGIT.sub("", text.translate(THAI_DIGITS))
