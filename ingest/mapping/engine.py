"""Apply a mapping to one row: the row's parts as :class:`SourceRecord` s with their links.

A row whose key is missing or whose required value cannot be read raises :class:`RowError` (the caller
quarantines it); everything else that is odd about a value is kept and flagged ``"<field>:<flag>"``.

Examples
--------
>>> from ingest.mapping.load import MAPPINGS_DIR, load_mapping
>>> m = load_mapping(MAPPINGS_DIR / "amlo_transactions.yaml")
>>> row = {"txn_id": "T1", "timestamp": "2018-08-15T10:30:00+07:00", "from_bank": "004",
...        "from_account": "123-4-56789-0", "to_bank": "014", "to_account": "9876543210",
...        "amount_thb": "1,250,000.00", "channel": "MOBILE", "memo": "ค่าแรง"}
>>> recs = apply_row(m, row, source_file="amlo_transactions.csv", row_no=1)
>>> [(r.part, r.key) for r in recs]
[('from_account', '004-1234567890'), ('to_account', '014-9876543210')]
>>> link = recs[0].links[0]
>>> link.rel_type, link.props["amount_thb"], link.props["ts"], link.discriminator
('TRANSFER', 1250000.0, 1534303800, 'T1')
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ingest.mapping.load import Mapping
from ingest.mapping.spec import LinkSpec, PartSpec, TargetSpec, ValueSpec, value_spec
from ingest.mapping.values import attr_of, parser, render, transform
from ingest.records import IDENTIFIER_TYPES, Link, SourceRecord, record_id
from ingest.types._common import clean_text

__all__ = ["RowError", "apply_row", "row_keys"]


class RowError(ValueError):
    """A row that cannot be loaded: ``field`` (column) and ``reason``; the caller quarantines it."""

    def __init__(self, field: str, reason: str, raw: str = "") -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason
        self.raw = raw


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, list | tuple):
        return ", ".join(_text(v) for v in value)
    return str(value)


def _cell(ctxs: list[dict[str, Any]], column: str) -> str:
    for ctx in ctxs:
        if column in ctx:
            return _text(ctx[column])
    return ""


@dataclass
class _Instance:
    spec: PartSpec
    name: str
    ctxs: list[dict[str, Any]]
    entity: str = ""
    parent: _Instance | None = None
    record: SourceRecord | None = None


@dataclass
class _Eval:
    """Per-row evaluation state: the parse cache and the flags collected for the current record."""

    cache: dict[tuple[Any, ...], Any] = field(default_factory=dict)
    flags: list[str] = field(default_factory=list)
    flagged: set[int] = field(default_factory=set)

    def parse(self, spec: ValueSpec, ctxs: list[dict[str, Any]], raw: str, fieldname: str) -> Any:
        hint = _cell(ctxs, spec.hint) if spec.hint else None
        key = (spec.type, raw, hint)
        parsed = self.cache.get(key)
        if parsed is None:
            assert spec.type is not None
            fn = parser(spec.type)
            parsed = fn(raw, hint) if spec.hint else fn(raw)
            self.cache[key] = parsed
        if id(parsed) not in self.flagged:
            self.flagged.add(id(parsed))
            for f in getattr(parsed, "flags", ()):
                flag = f"{fieldname}:{f}"
                if f != "empty" and flag not in self.flags:
                    self.flags.append(flag)
        return parsed

    def start(self, flags: list[str]) -> None:
        """Collect flags into ``flags`` (one record's list) from now on."""
        self.flags = flags
        self.flagged = set()


def _where_ok(where: dict[str, tuple[Any, ...]], obj: Any) -> bool:
    return all(attr_of(obj, k) in allowed for k, allowed in where.items())


def _value(spec: ValueSpec, ctxs: list[dict[str, Any]], ev: _Eval, fieldname: str) -> Any:
    if spec.has_const:
        return spec.const
    raw = spec.join.join(c for c in (_cell(ctxs, col).strip() for col in spec.columns) if c)
    value: Any = None
    parsed = None
    if raw:
        if spec.type is not None:
            parsed = ev.parse(spec, ctxs, raw, fieldname)
            if _where_ok(spec.where, parsed):
                value = attr_of(parsed, spec.attr)
                if spec.map is not None and value is not None:
                    value = spec.map.get(str(value), spec.default)
        elif spec.map is not None:
            value = spec.map.get(clean_text(raw), spec.default)
        else:
            value = clean_text(raw) or None
        value = transform(spec.then, value)
    if value is None or value == "" or value == []:
        value = spec.default
    if spec.required and (value is None or value == "" or value == []):
        column = "+".join(spec.columns)
        if not raw:
            raise RowError(column, "required value is empty")
        flags = ",".join(getattr(parsed, "flags", ()) or ())
        what = spec.type or "a known value"
        raise RowError(column, f"cannot read {what} from {raw!r}" + (f" ({flags})" if flags else ""), raw)
    return value


def _prop(specs: tuple[ValueSpec, ...], ctxs: list[dict[str, Any]], ev: _Eval, name: str) -> Any:
    if len(specs) == 1:
        return _value(specs[0], ctxs, ev, name)
    out: list[Any] = []
    for spec in specs:
        v = _value(spec, ctxs, ev, name)
        for item in v if isinstance(v, list) else [v]:
            if item is not None and item != "" and item not in out:
                out.append(item)
    return out or None


def row_keys(mapping: Mapping, row: dict[str, Any]) -> list[str]:
    """The row's key values (cleaned); raise :class:`RowError` for a missing one or a malformed row.

    >>> from ingest.mapping.load import MAPPINGS_DIR, load_mapping
    >>> row_keys(load_mapping(MAPPINGS_DIR / "amlo_transactions.yaml"), {"txn_id": " T1 "})
    ['T1']
    """
    if "__error__" in row:
        raise RowError("__row__", str(row["__error__"]), _text(row.get("__line__", "")))
    if "__extra__" in row:
        extra = row["__extra__"]
        raise RowError("__row__", f"{len(extra)} cell(s) more than the header", _text(extra))
    keys = []
    for column in mapping.keys:
        value = clean_text(_text(row.get(column)))
        if not value:
            raise RowError(column, "key column is empty")
        keys.append(value)
    return keys


def _items(ctx: dict[str, Any], path: str) -> list[Any]:
    value: Any = ctx
    for name in path.split("."):
        value = value.get(name) if isinstance(value, dict) else None
    if value is None or value == "":
        return []
    return value if isinstance(value, list) else [value]


def _instances(mapping: Mapping, row: dict[str, Any], ev: _Eval) -> list[_Instance]:
    out: list[_Instance] = []
    by_part: dict[str, list[_Instance]] = {}
    for spec in mapping.parts:
        found: list[_Instance] = []
        parents = by_part.get(spec.within, []) if spec.within else [None]
        for parent in parents:
            base = parent.ctxs if parent is not None else [row]
            if spec.each is None:
                found.append(_Instance(spec, spec.name, base, parent=parent))
                continue
            prefix = f"{parent.name}/" if parent is not None else ""
            for i, item in enumerate(_items(base[0], spec.each), start=1):
                ctx = item if isinstance(item, dict) else {"value": item, ".": item}
                found.append(_Instance(spec, f"{prefix}{spec.name}:{i}", [ctx, *base], parent=parent))
        if spec.when is not None:
            found = [f for f in found if _value(spec.when, f.ctxs, ev, spec.name) not in (None, "", [], False)]
        by_part[spec.name] = found
        out.extend(found)
    return out


def _entity(spec: PartSpec, ctxs: list[dict[str, Any]], ev: _Eval) -> str:
    for rule in spec.entity_rules:
        body = {k: v for k, v in rule.items() if k in ("column", "columns", "type", "attr", "hint")}
        value = _value(value_spec(spec.name, body), ctxs, ev, spec.name)
        if value is None:
            continue
        if "equals" in rule and value in (rule["equals"] if isinstance(rule["equals"], list) else [rule["equals"]]):
            return str(rule["entity"])
        if "matches" in rule and re.search(rule["matches"], str(value)):
            return str(rule["entity"])
    return spec.entity


def _target_links(ln: LinkSpec, t: TargetSpec, ctxs: list[dict[str, Any]], ev: _Eval) -> Iterable[Link]:
    raw = t.source.join.join(c for c in (_cell(ctxs, col).strip() for col in t.source.columns) if c)
    if not raw and not t.source.has_const:
        return
    if t.source.type is None:
        parsed: Any = t.source.const if t.source.has_const else clean_text(raw)
    else:
        parsed = ev.parse(t.source, ctxs, raw, t.entity.lower())
    items = attr_of(parsed, t.each) if t.each else [None]
    for item in items or []:
        obj = item if item is not None else parsed
        if t.where and not _where_ok(t.where, obj):
            continue
        key = render(t.key, parsed, item)
        if key is None:
            continue
        props: dict[str, Any] = {}
        for name, tmpl in t.props.items():
            if isinstance(tmpl, str):
                props[name] = render(tmpl, parsed, item) if "{" in tmpl else tmpl
            elif isinstance(tmpl, dict) and "attr" in tmpl:
                props[name] = attr_of(obj, tmpl["attr"])
            else:
                props[name] = tmpl
        yield Link(ln.rel, target_type=t.entity, target_key=key,
                   target_props={k: v for k, v in props.items() if v is not None})


def _link_props(ln: LinkSpec, ctxs: list[dict[str, Any]], ev: _Eval) -> tuple[dict[str, Any], str]:
    props = {name: _prop(specs, ctxs, ev, f"{ln.rel}.{name}") for name, specs in ln.props.items()}
    disc = _value(ln.discriminator, ctxs, ev, ln.rel) if ln.discriminator else None
    return {k: v for k, v in props.items() if v is not None}, "" if disc is None else str(disc)


def _ancestors(inst: _Instance) -> list[_Instance]:
    out = []
    while inst.parent is not None:
        inst = inst.parent
        out.append(inst)
    return out


def _apply_links(mapping: Mapping, insts: list[_Instance], ev: _Eval) -> None:
    by_part: dict[str, list[_Instance]] = {}
    for inst in insts:
        by_part.setdefault(inst.spec.name, []).append(inst)
    for ln in mapping.links:
        for src in by_part.get(ln.source, []):
            assert src.record is not None
            ev.start(src.record.flags)
            props, disc = _link_props(ln, src.ctxs, ev)
            if ln.target is not None:
                for link in _target_links(ln, ln.target, src.ctxs, ev):
                    link.props, link.discriminator, link.reverse = dict(props), disc, ln.reverse
                    src.record.links.append(link)
                continue
            targets = by_part.get(ln.to or "", [])
            ancestors = [a for a in _ancestors(src) if a.spec.name == ln.to]
            for dst in ancestors or targets:
                assert dst.record is not None
                ident = dst.record.entity_type in IDENTIFIER_TYPES
                src.record.links.append(Link(
                    ln.rel, target_part=dst.name, target_record_id=dst.record.record_id,
                    target_type=dst.record.entity_type if ident else None,
                    target_key=dst.record.key if ident else None,
                    props=dict(props), reverse=ln.reverse, discriminator=disc))


def _columns(specs: Iterable[ValueSpec]) -> list[str]:
    return [c for s in specs for c in (*s.columns, *((s.hint,) if s.hint else ()))]


def apply_row(mapping: Mapping, row: dict[str, Any], *, source_file: str, row_no: int | None = None,
              exchange_id: str | None = None, agency: str | None = None,
              extra_keys: Iterable[str] = ()) -> list[SourceRecord]:
    """Turn one row into its parts' source records (links filled in); raise :class:`RowError` if bad."""
    keys = [*row_keys(mapping, row), *extra_keys]
    ev = _Eval()
    insts = _instances(mapping, row, ev)
    record_date = _value(mapping.record_date, [row], ev, "record_date") if mapping.record_date else None
    records: list[SourceRecord] = []
    for inst in insts:
        spec = inst.spec
        ev.start([])
        inst.entity = _entity(spec, inst.ctxs, ev)
        prop_specs = {**spec.props, **spec.props_by_entity.get(inst.entity, {})}
        props = {name: _prop(specs, inst.ctxs, ev, name) for name, specs in prop_specs.items()}
        key = None
        if spec.key is not None:
            key_value = _value(spec.key, inst.ctxs, ev, "key")
            if key_value is None:
                cols = "+".join(spec.key.columns)
                raise RowError(cols, f"part {inst.name}: no {inst.entity} key from {_cell(inst.ctxs, cols)!r}",
                               _cell(inst.ctxs, cols))
            key = str(key_value)
        used = _columns([s for specs in prop_specs.values() for s in specs])
        raw = {c: _cell(inst.ctxs, c) for c in dict.fromkeys(used) if _cell(inst.ctxs, c)}
        inst.record = SourceRecord(
            record_id=record_id(mapping.name, keys, inst.name), agency=agency or mapping.agency,
            source_file=source_file, part=inst.name, entity_type=inst.entity, row=row_no,
            exchange_id=exchange_id, key=key, props={k: v for k, v in props.items() if v is not None},
            raw=raw, flags=ev.flags, record_date=record_date if isinstance(record_date, str) else None)
        records.append(inst.record)
    _apply_links(mapping, insts, ev)
    return records
