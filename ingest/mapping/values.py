"""Value types as the mapping engine sees them: the registry, a plain-text type, templates and transforms.

The parsers are :data:`ingest.types.TYPES`; this module adds the two the engine needs itself (``text``
when the registry has none, and ``plate`` for vehicle registration plates) and the helpers that turn a
parsed dataclass into property values.

Examples
--------
>>> parser("plate")(" 1กข-1234  ตาก ").value
'1กข1234ตาก'
>>> render("{value}:{flags}", Text("x", "MB123", ("odd",)), None)
"MB123:['odd']"
>>> render("{kind}:{value}", Text("x", "MB123", ()), None) is None
True
>>> transform(["epoch"], "2018-08-15T10:30:00+07:00")
1534303800
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ingest.types._common import clean_text

__all__ = ["Text", "attr_of", "parser", "render", "transform", "type_names"]


@dataclass(frozen=True, slots=True)
class Text:
    """A text cell: ``value`` is the cleaned text (NFC, spaces collapsed) or ``None`` when empty."""

    raw: str
    value: str | None
    flags: tuple[str, ...] = ()


def text(raw: str) -> Text:
    """Clean a free-text cell.

    >>> text("  ข้อหา   ค้ามนุษย์ ").value
    'ข้อหา ค้ามนุษย์'
    """
    value = clean_text(raw)
    return Text(raw, value or None, () if value else ("empty",))


_PLATE_NOISE = re.compile(r"[\s\-.]+")


def plate(raw: str) -> Text:
    """A vehicle registration plate as a key: spaces, dashes and dots dropped, Latin letters upper-cased.

    >>> plate("กข 1234 กรุงเทพมหานคร").value
    'กข1234กรุงเทพมหานคร'
    """
    value = _PLATE_NOISE.sub("", clean_text(raw)).upper()
    return Text(raw, value or None, () if value else ("empty",))


_BUILTIN: dict[str, Callable[..., Any]] = {"text": text, "plate": plate}


def _registry() -> dict[str, Callable[..., Any]]:
    from ingest.types import TYPES

    out = dict(_BUILTIN)
    out.update(TYPES)
    out["plate"] = plate  # ours even if the registry grows one with other attributes
    return out


_CACHE: dict[str, Callable[..., Any]] = {}


def parser(name: str) -> Callable[..., Any]:
    """The parse function of value type ``name``; raise ``KeyError`` naming the known types."""
    if not _CACHE:
        _CACHE.update(_registry())
    try:
        return _CACHE[name]
    except KeyError:
        raise KeyError(f"unknown value type {name!r}; known: {sorted(_CACHE)}") from None


def type_names() -> set[str]:
    """Names usable as ``type`` in a mapping file."""
    if not _CACHE:
        _CACHE.update(_registry())
    return set(_CACHE)


def attr_of(parsed: Any, attr: str) -> Any:
    """An attribute of a parsed value; a dotted path walks nested attributes; tuples become lists."""
    value = parsed
    for name in attr.split("."):
        value = getattr(value, name, None)
        if value is None:
            return None
    if isinstance(value, tuple):
        return list(value)
    return value


_FIELD = re.compile(r"\{([A-Za-z_][\w.]*)\}")


def render(template: str, parsed: Any, item: Any) -> str | None:
    """Fill ``{attr}`` placeholders from ``item`` (when iterating) else ``parsed``; a string item is its
    own ``{value}``. Returns ``None`` when any placeholder has no value."""
    source = item if item is not None else parsed
    missing = False

    def fill(match: re.Match[str]) -> str:
        nonlocal missing
        name = match.group(1)
        if isinstance(source, str):
            value: Any = source if name in ("value", "item") else None
        else:
            value = attr_of(source, name)
        if value is None or value == "":
            missing = True
            return ""
        return str(value)

    out = _FIELD.sub(fill, template)
    return None if missing else out


def _epoch(value: Any) -> int | None:
    try:
        return int(datetime.fromisoformat(str(value)).timestamp())
    except ValueError:
        return None


def _number(value: Any, cast: Callable[[str], Any]) -> Any:
    try:
        return cast(str(value).replace(",", "").strip())
    except ValueError:
        return None


_IDLIKE = re.compile(r"\d[\d\s-]{8,}\d")


def _noid(value: Any) -> Any:
    if isinstance(value, list):
        return [v for v in value if not _IDLIKE.search(str(v))] or None
    return None if _IDLIKE.search(str(value)) else value


def transform(then: Sequence[str], value: Any) -> Any:
    """Apply the named transforms in order (``epoch``, ``int``, ``float``, ``upper``, ``lower``, ``list``,
    ``nonempty``); ``None`` stays ``None``."""
    for t in then:
        if value is None:
            return None
        if t == "epoch":
            value = _epoch(value)
        elif t == "int":
            value = _number(value, lambda s: int(float(s)))
        elif t == "float":
            value = _number(value, float)
        elif t == "upper":
            value = str(value).upper()
        elif t == "lower":
            value = str(value).lower()
        elif t == "list":
            value = value if isinstance(value, list) else [value]
        elif t == "nonempty":
            value = value or None
        elif t == "noid":
            value = _noid(value)
    return value
