"""Value types: parse, clean, validate and compare the values the agencies write, keeping the raw value.

Every parser takes the cell text and returns a frozen dataclass with ``raw``, the clean ``value`` (``None``
when nothing usable could be read) and ``flags`` naming what was wrong or guessed. ``TYPES`` maps the type
names used in mapping files to these parsers.

Examples
--------
>>> TYPES["thai_id"]("1-1007-00123-45-5").value
'1100700123455'
>>> TYPES["date_be"]("15 ส.ค. 2561").value
'2018-08-15'
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ingest.types import address, bank, case_number, codes, dates, names, phones, thai_id
from ingest.types._common import clean_text

__all__ = ["TYPES", "Text", "text"]


@dataclass(frozen=True, slots=True)
class Text:
    """Free text: NFC, Thai digits as ASCII, spaces collapsed; ``None`` when blank."""

    raw: str
    value: str | None
    flags: tuple[str, ...] = ()


def text(raw: str) -> Text:
    """Clean free text (memo, offence, description) without interpreting it.

    Examples
    --------
    >>> text("  ค่า  หนี้ ๕๐๐ ").value
    'ค่า หนี้ 500'
    """
    cleaned = clean_text(raw)
    return Text(raw, cleaned or None, () if cleaned else ("empty",))


#: Type name (as written in a mapping file) -> parser of one cell.
TYPES: dict[str, Callable[[str], Any]] = {
    "thai_id": thai_id.thai_id,
    "passport": thai_id.passport,
    "pink_card": thai_id.pink_card,
    "company_reg": thai_id.company_reg,
    "id_document": thai_id.id_document,
    "date_be": dates.date_be,
    "date_ce": dates.date_ce,
    "date": dates.parse_date,
    "datetime": dates.parse_datetime,
    "person_name": names.person_name,
    "org_name": names.org_name,
    "phone_list": phones.phone_list,
    "phone": phones.phone,
    "bank_account": bank.bank_account,
    "amount": bank.amount,
    "sentence": bank.sentence,
    "address": address.address,
    "case_number": case_number.case_number,
    "nationality": codes.nationality,
    "sex": codes.sex,
    "text": text,
}
