"""Evaluating value specs against a row: cells, the per-row parse cache, flags and required values.

Examples
--------
>>> from ingest.mapping.spec import value_spec
>>> ev = Evaluator()
>>> ev.start([])
>>> spec = value_spec("t", {"column": "วันเกิด", "type": "date_be", "attr": "year"})
>>> ev.value(spec, [{"วันเกิด": "05/08/2561"}], "birth_year"), ev.flags
(2018, ['birth_year:ambiguous_day_month'])
>>> ev.value(value_spec("t", {"column": "x", "required": True}), [{"x": ""}], "x")
Traceback (most recent call last):
...
ingest.mapping.evaluate.RowError: x: required value is empty
"""

from __future__ import annotations

import re
from typing import Any

from ingest.mapping.spec import ValueSpec
from ingest.mapping.values import attr_of, parser

__all__ = ["Ctx", "Evaluator", "RowError", "cell", "raw_of", "text_of", "trim_parsed", "where_ok"]

Ctx = list[dict[str, Any]]
#: Parsed values shared across rows (the same bank code, name or date parses once); cleared when full,
#: between rows (:func:`trim_parsed`).
_PARSED: dict[tuple[str, str, str | None], Any] = {}
_PARSED_MAX = 500_000
#: How many times ``_PARSED`` was cleared: caches that keep parsed values start again with it, so that one
#: text always stands for one parsed object (flags are noted once per parsed object and record).
PARSED_GENERATION = [0]
_PLACEHOLDER = re.compile(r"\{([^{}]+)\}")


class RowError(ValueError):
    """A row that cannot be loaded: ``field`` (column) and ``reason``; the caller quarantines it."""

    def __init__(self, field: str, reason: str, raw: str = "") -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason
        self.raw = raw


def text_of(value: Any) -> str:
    """A cell as text: None → ``""``, whole floats without ``.0``, lists joined by ``", "``."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, float):
        if value != value:  # NaN from a spreadsheet or a JSON producer
            return ""
        if value.is_integer():
            return str(int(value))
    if isinstance(value, list | tuple):
        return ", ".join(text_of(v) for v in value)
    return str(value)


def cell(ctxs: Ctx, column: str) -> str:
    """The text of ``column`` in the innermost context that has it (list item, then parents, then row)."""
    for ctx in ctxs:
        if column in ctx:
            return text_of(ctx[column])
    return ""


def raw_of(spec: ValueSpec, ctxs: Ctx) -> str:
    """The spec's cell text (several columns joined by ``spec.join``, empty ones left out)."""
    if spec.template is not None:
        if not any(cell(ctxs, c).strip() for c in spec.columns):
            return ""
        values = {c: cell(ctxs, c).strip() for c in spec.columns}
        return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), ""), spec.template).strip()
    if len(spec.columns) == 1:
        return cell(ctxs, spec.columns[0]).strip()
    return spec.join.join(c for c in (cell(ctxs, col).strip() for col in spec.columns) if c)


def trim_parsed() -> None:
    """Empty the shared parse cache when it is full. Called between rows (and chunks), never inside one, so
    that within a row one text is always one parsed object and its flags are noted once per record."""
    if len(_PARSED) >= _PARSED_MAX:
        _PARSED.clear()
        PARSED_GENERATION[0] += 1


def where_ok(where: dict[str, tuple[Any, ...]], obj: Any) -> bool:
    """True when every attribute named in ``where`` has one of its allowed values."""
    for name, allowed in where.items():  # attr_of inlined for a plain name (nearly all): called per row
        if "." in name:
            value = attr_of(obj, name)
        else:
            value = getattr(obj, name, None)
            if isinstance(value, tuple):
                value = list(value)
        if value not in allowed:
            return False
    return True


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == []


class Evaluator:
    """Per-row state: the parse cache and the flag list of the record being built."""

    def __init__(self) -> None:
        self.flags: list[str] = []
        self.flagged: set[int] = set()

    def start(self, flags: list[str]) -> None:
        """Collect flags into ``flags`` (one record's list) from now on."""
        self.flags = flags
        self.flagged = set()

    def parse(self, type_name: str, raw: str, hint: str | None, fieldname: str) -> Any:
        """Parse ``raw`` as ``type_name`` (cached across rows), recording its flags as ``"<field>:<flag>"``."""
        key = (type_name, raw, hint)
        parsed = _PARSED.get(key)
        if parsed is None:
            fn = parser(type_name)
            parsed = _PARSED[key] = fn(raw, hint) if hint is not None else fn(raw)
        self.note(parsed, fieldname)
        return parsed

    def note(self, parsed: Any, fieldname: str) -> None:
        """Record ``parsed``'s flags as ``"<field>:<flag>"`` (once per parsed value and record)."""
        flags = getattr(parsed, "flags", ())
        if flags and id(parsed) not in self.flagged:
            self.flagged.add(id(parsed))
            for f in flags:
                flag = f"{fieldname}:{f}"
                if f != "empty" and flag not in self.flags:
                    self.flags.append(flag)

    def value(self, spec: ValueSpec, ctxs: Ctx, fieldname: str) -> Any:
        """Evaluate one value spec; raise :class:`RowError` when a required value is missing.

        The spec runs as its compiled closure (:mod:`ingest.mapping.compiled`), built on first use.
        """
        fn = spec.__dict__.get("_compiled")
        if fn is None:
            from ingest.mapping.compiled import compiled

            fn = compiled(spec)
        return fn(self, ctxs, fieldname)

    def prop(self, specs: tuple[ValueSpec, ...], ctxs: Ctx, name: str) -> Any:
        """One property: a single spec's value, or the ordered distinct union of several specs' values."""
        if len(specs) == 1:
            return self.value(specs[0], ctxs, name)
        out: list[Any] = []
        for spec in specs:
            v = self.value(spec, ctxs, name)
            for item in v if isinstance(v, list) else [v]:
                if not _empty(item) and item not in out:
                    out.append(item)
        return out or None
