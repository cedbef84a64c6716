"""Stand-ins for value types not yet in :data:`ingest.types.TYPES` (the registry's own always win).

Only the attributes the mapping files use; each is replaced as soon as the real type lands.

Examples
--------
>>> bank_account("004|123-4-56789-0").value
'004-1234567890'
>>> amount("1,250,000.00").value
1250000.0
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ingest.types._common import clean_text, digits_only

__all__ = ["INTERIM"]


@dataclass(frozen=True)
class _V:
    raw: str
    value: Any
    flags: tuple[str, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)

    def __getattr__(self, name: str) -> Any:
        extra = object.__getattribute__(self, "extra")
        if name in extra:
            return extra[name]
        raise AttributeError(name)


def bank_account(raw: str, bank: str | None = None) -> _V:
    """``bank|number`` or number with ``bank`` → ``bank-number``."""
    text = clean_text(raw)
    if "|" in text:
        bank, text = text.split("|", 1)
    number = digits_only(text)
    code = digits_only(bank or "").zfill(3) if bank else None
    if not number:
        return _V(raw, None, ("unparseable",))
    value = f"{code}-{number}" if code else number
    return _V(raw, value, () if code else ("no_bank_code",), {"bank_code": code, "number": number})


def amount(raw: str) -> _V:
    """``1,250,000.00`` → 1250000.0."""
    text = clean_text(raw).replace(",", "").replace("บาท", "").strip()
    try:
        return _V(raw, float(text))
    except ValueError:
        return _V(raw, None, ("unparseable",))


_PREFIXES = ("นางสาว", "นาย", "นาง", "น.ส.", "ด.ช.", "ด.ญ.", "Mr.", "Mrs.", "Ms.", "MR", "MRS", "MS")
_RANK = re.compile(r"^((?:[ก-ฮ]{1,3}\.){2,4})\s*")
_ALIAS = re.compile(r"[(\"“](.+?)[)\"”]")


def person_name(raw: str) -> _V:
    """Prefix, aliases and the name; a crude key."""
    text = clean_text(raw)
    aliases = _ALIAS.findall(text)
    text = clean_text(_ALIAS.sub(" ", text))
    prefixes = []
    m = _RANK.match(text)
    if m:
        prefixes.append(m.group(1))
        text = text[m.end():]
    for p in _PREFIXES:
        if text.startswith(p):
            prefixes.append(p)
            text = text[len(p):].strip()
            break
    if not text:
        return _V(raw, None, ("empty",))
    thai = bool(re.search(r"[ก-๛]", text))
    return _V(raw, text, (), {"names": [text], "name_th": [text] if thai else [], "name_en": [] if thai else [text],
                              "aliases": aliases, "prefixes": prefixes, "keys": [text.lower().replace(" ", "")]})


def org_name(raw: str) -> _V:
    text = clean_text(raw)
    return _V(raw, text or None, (), {"names": [text], "keys": [text.lower()]})


def case_number(raw: str) -> _V:
    text = clean_text(raw)
    return _V(raw, re.sub(r"\s+", "", text) or None, (), {"kind": None})


def address(raw: str) -> _V:
    text = clean_text(raw)
    return _V(raw, text or None, (), {"key": "addr:" + text if text else None, "geocode": None,
                                      "province": None, "country": None})


def nationality(raw: str) -> _V:
    table = {"ไทย": "THA", "เมียนมา": "MMR", "พม่า": "MMR", "กัมพูชา": "KHM", "ลาว": "LAO", "เวียดนาม": "VNM"}
    text = clean_text(raw)
    value = table.get(text) or (text.upper() if len(text) == 3 else None)
    return _V(raw, value, () if value else ("unknown",))


def sex(raw: str) -> _V:
    table = {"ชาย": "M", "หญิง": "F", "M": "M", "F": "F", "1": "M", "2": "F"}
    return _V(raw, table.get(clean_text(raw).upper() if clean_text(raw).isascii() else clean_text(raw)))


try:  # the real name types, while they are not yet in the registry
    from ingest.types.names import org_name as _org_name
    from ingest.types.names import person_name as _person_name
except ImportError:  # pragma: no cover
    _person_name, _org_name = person_name, org_name  # type: ignore[assignment]

INTERIM = {"address": address}
