"""Dates and datetimes in Buddhist Era (BE = CE + 543) or CE, as the agencies write them, to ISO CE.

Read: ``15/08/2561``, ``2561-08-15``, ``25610815``, ``15 ส.ค. 2561``, ``15 สิงหาคม 2561``, ``2018-08-15``,
``15 Aug 2018``, two-digit years, Thai digits, and age-only cells (``อายุ 34``). A year above 2400 is BE; a
CE-looking year in a BE column is read as CE and flagged. Flags: ``empty``, ``unparseable``,
``ambiguous_day_month`` (day and month both <= 12: read day first, the other reading in ``alternative``),
``swapped_day_month`` (month > 12, so the writer put the month first), ``impossible_date`` (no such day;
``year`` is still given), ``two_digit_year``, ``ce_year_in_be_column``, ``be_year_in_ce_column``,
``implausible_year``, ``age_only``, ``assumed_timezone``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

from ingest.types._common import clean_text

__all__ = ["DateTimeValue", "DateValue", "birth_year_from_age", "date_be", "date_ce", "parse_date",
           "parse_datetime"]

_THAI_MONTHS = ["มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน", "กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม"]
_THAI_ABBR = ["ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.", "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค."]
_EN_MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"]
_MONTHS: dict[str, int] = {}
for _i in range(12):
    for _name in (_THAI_MONTHS[_i], _THAI_ABBR[_i], _EN_MONTHS[_i], _EN_MONTHS[_i][:3], _EN_MONTHS[_i][:4]):
        _MONTHS[_name.replace(".", "").lower()] = _i + 1

_NUMERIC = re.compile(r"(\d{1,4})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{1,4})")
_EIGHT = re.compile(r"\d{8}")
_WORD_MONTH = re.compile(r"(\d{1,2})\s*([^\d\s][^\d]*?)\s*(\d{2,4})")
_ERA = re.compile(r"(พ\.?\s?ศ\.?|ค\.?\s?ศ\.?|(?<![a-z])(?:b\.?e|a\.?d|c\.?e)\.?(?![a-z]))", re.IGNORECASE)
_LEADING = re.compile(r"^(?:วันที่|วัน|date|dob|เกิด)\s*[:.]?\s*", re.IGNORECASE)
_AGE = re.compile(r"(?:อายุ|age)?\s*(?:ประมาณ|ราว|about|~)?\s*(\d{1,3})\s*(?:ปี|yrs?\.?|years?)?", re.IGNORECASE)
_AGE_WORD = re.compile(r"อายุ|ปี|age|yrs?|years?", re.IGNORECASE)
_TIME = re.compile(r"(.*?)[T\s,]+(\d{1,2})[:.](\d{2})(?:[:.](\d{2})(?:\.(\d{1,6}))?)?\s*(?:น\.)?\s*"
                   r"(Z|[+-]\d{2}:?\d{2})?$")

# Two-digit years: BE 00-80 -> 2500-2580 (CE 1957-2037), else 24xx; CE 00-40 -> 20xx, else 19xx.
_BE_PIVOT = 80
_CE_PIVOT = 40
_ICT = dt.timezone(dt.timedelta(hours=7))


@dataclass(frozen=True, slots=True)
class DateValue:
    """A date as read (``raw``) and as ISO CE ``YYYY-MM-DD`` (``value``, ``None`` when unusable).

    ``year`` is the CE year whenever one could be read (also for an impossible date, or approximated from
    an age when a reference date is given); ``era`` is ``"BE"`` or ``"CE"`` as read; ``alternative`` is the
    day/month swapped reading of an ambiguous date; ``age`` is set for age-only cells.
    """

    raw: str
    value: str | None
    year: int | None = None
    era: str | None = None
    alternative: str | None = None
    age: int | None = None
    flags: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class DateTimeValue:
    """A timestamp as read and as ISO 8601 with offset (``value``); ``date`` is its local ISO date."""

    raw: str
    value: str | None
    date: str | None
    flags: tuple[str, ...] = ()


def _year(text: str, hint: str | None, marker: str | None, flags: list[str]) -> tuple[int | None, str]:
    """CE year and the era it was written in, from a 2- or 4-digit year string."""
    y = int(text)
    if len(text) <= 2:
        flags.append("two_digit_year")
        if marker == "CE" or (hint == "CE" and marker is None):
            return (2000 + y if y <= _CE_PIVOT else 1900 + y), "CE"
        return (2500 + y if y <= _BE_PIVOT else 2400 + y) - 543, "BE"
    if len(text) == 3:
        return None, ""
    if marker == "BE" or y > 2400:
        if hint == "CE" and marker is None:
            flags.append("be_year_in_ce_column")
        return y - 543, "BE"
    if hint == "BE" and marker is None:
        flags.append("ce_year_in_be_column")
    return y, "CE"


def _iso(y: int, m: int, d: int) -> str | None:
    try:
        return dt.date(y, m, d).isoformat()
    except ValueError:
        return None


def _finish(raw: str, y: int | None, era: str, m: int, d: int, day_first: bool,
            flags: list[str]) -> DateValue:
    if y is None:
        return DateValue(raw, None, flags=("unparseable",))
    if not 1850 <= y <= 2100:
        flags.append("implausible_year")
    alternative = None
    if m > 12 and d <= 12:
        m, d = d, m
        flags.append("swapped_day_month")
    elif day_first and d <= 12 and m <= 12 and d != m:
        alternative = _iso(y, d, m)
        flags.append("ambiguous_day_month")
    value = _iso(y, m, d)
    if value is None:
        flags.append("impossible_date")
    return DateValue(raw, value, y, era, alternative, None, tuple(flags))


def _age(raw: str, text: str, reference: dt.date | None) -> DateValue | None:
    match = _AGE.fullmatch(text)
    if match is None or not (_AGE_WORD.search(text) or len(match.group(1)) <= 2):
        return None
    age = int(match.group(1))
    if age > 120:
        return None
    year = reference.year - age if reference is not None else None
    return DateValue(raw, None, year, None, None, age, ("age_only",))


@lru_cache(maxsize=65536)
def parse_date(raw: str, era: str | None = None, reference: dt.date | None = None) -> DateValue:
    """Parse a date written in BE or CE (``era`` is the column's era, ``None`` to detect it).

    ``reference`` is the date an age-only cell refers to (for example the report date); without it an
    age gives ``age`` but no ``year``.

    Examples
    --------
    >>> parse_date("15/08/2561").value
    '2018-08-15'
    >>> parse_date("15 ส.ค. ๒๕๖๑").value
    '2018-08-15'
    >>> d = parse_date("05/08/2561")
    >>> d.value, d.alternative, d.flags
    ('2018-08-05', '2018-05-08', ('ambiguous_day_month',))
    >>> parse_date("1990-02-30", "BE").flags
    ('ce_year_in_be_column', 'impossible_date')
    >>> parse_date("อายุ 34", reference=dt.date(2018, 8, 15)).year
    1984
    """
    text = clean_text(raw)
    if not text or text in ("-", "--") or text.lower() in ("ไม่ทราบ", "ไม่ระบุ", "unknown", "n/a", "null"):
        return DateValue(raw, None, flags=("empty",))
    flags: list[str] = []
    marker = None
    era_match = _ERA.search(text)
    if era_match is not None:
        token = era_match.group(1).lower()
        marker = "BE" if token[0] in "พb" else "CE"
        text = (text[:era_match.start()] + " " + text[era_match.end():]).strip()
    text = _LEADING.sub("", text)
    match = _NUMERIC.fullmatch(text)
    if match is not None:
        a, b, c = match.groups()
        if len(a) == 4:
            y, written = _year(a, era, marker, flags)
            return _finish(raw, y, written, int(b), int(c), False, flags)
        if len(c) in (2, 4):
            y, written = _year(c, era, marker, flags)
            return _finish(raw, y, written, int(b), int(a), True, flags)
        return DateValue(raw, None, flags=("unparseable",))
    if _EIGHT.fullmatch(text):
        head = int(text[:4])
        if head > 1800:
            y, written = _year(text[:4], era, marker, flags)
            return _finish(raw, y, written, int(text[4:6]), int(text[6:]), False, flags)
        y, written = _year(text[4:], era, marker, flags)
        return _finish(raw, y, written, int(text[2:4]), int(text[:2]), True, flags)
    match = _WORD_MONTH.fullmatch(text)
    if match is not None:
        month = _MONTHS.get(match.group(2).replace(".", "").replace(" ", "").lower().rstrip(","))
        if month is not None:
            y, written = _year(match.group(3), era, marker, flags)
            return _finish(raw, y, written, month, int(match.group(1)), False, flags)
    aged = _age(raw, text, reference)
    if aged is not None:
        return aged
    stamp = _TIME.fullmatch(text)
    if stamp is not None and stamp.group(1):  # a timestamp in a date column: keep its written date
        day = parse_date(stamp.group(1), era, reference)
        return DateValue(raw, day.value, day.year, day.era, day.alternative, day.age, day.flags)
    return DateValue(raw, None, flags=("unparseable",))


def date_be(raw: str) -> DateValue:
    """Parse a date from a column the agency writes in Buddhist Era.

    Examples
    --------
    >>> date_be("25610815").value
    '2018-08-15'
    >>> date_be("15/08/61").flags
    ('two_digit_year',)
    """
    return parse_date(raw, "BE")


def date_ce(raw: str) -> DateValue:
    """Parse a date from a column the agency writes in CE (AMLO, immigration, DOPA migrant workers).

    Examples
    --------
    >>> date_ce("2018-08-15").value
    '2018-08-15'
    >>> date_ce("2561-08-15").flags
    ('be_year_in_ce_column',)
    """
    return parse_date(raw, "CE")


def birth_year_from_age(age: int, reference: dt.date) -> int:
    """Approximate CE birth year of someone ``age`` years old on ``reference`` (may be one year late).

    Examples
    --------
    >>> birth_year_from_age(34, dt.date(2018, 8, 15))
    1984
    """
    return reference.year - age


@lru_cache(maxsize=65536)
def parse_datetime(raw: str, era: str | None = None) -> DateTimeValue:
    """Parse a timestamp (ISO with ``+07:00``, or a date as :func:`parse_date` reads it plus ``HH:MM``).

    Without an offset the time is taken as Thai time (+07:00) and flagged ``assumed_timezone``; a date
    alone gives midnight, flagged ``date_only``.

    Examples
    --------
    >>> parse_datetime("2018-08-15T10:30:00+07:00").value
    '2018-08-15T10:30:00+07:00'
    >>> parse_datetime("15/08/2561 10.30 น.").value
    '2018-08-15T10:30:00+07:00'
    """
    text = clean_text(raw)
    if not text:
        return DateTimeValue(raw, None, None, ("empty",))
    match = _TIME.fullmatch(text)
    date_part = match.group(1) if match else text
    day = parse_date(date_part, era)
    flags = list(day.flags)
    if day.value is None:
        return DateTimeValue(raw, None, None, tuple(flags) or ("unparseable",))
    if match is None:
        return DateTimeValue(raw, f"{day.value}T00:00:00+07:00", day.value, (*flags, "date_only"))
    hour, minute, second = int(match.group(2)), int(match.group(3)), int(match.group(4) or 0)
    micro = int((match.group(5) or "0").ljust(6, "0"))
    zone = match.group(6)
    if zone is None:
        tz = _ICT
        flags.append("assumed_timezone")
    elif zone == "Z":
        tz = dt.UTC
    else:
        sign = -1 if zone[0] == "-" else 1
        digits = zone[1:].replace(":", "")
        tz = dt.timezone(sign * dt.timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))
    try:
        stamp = dt.datetime.fromisoformat(day.value).replace(hour=hour, minute=minute, second=second,
                                                             microsecond=micro, tzinfo=tz)
    except ValueError:
        return DateTimeValue(raw, None, day.value, (*flags, "impossible_time"))
    return DateTimeValue(raw, stamp.isoformat(), stamp.date().isoformat(), tuple(flags))
