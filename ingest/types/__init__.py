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
from typing import Any

from ingest.types import dates, phones, thai_id

__all__ = ["TYPES"]

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
    "phone_list": phones.phone_list,
}
