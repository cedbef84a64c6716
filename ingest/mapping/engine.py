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
from functools import lru_cache
from typing import Any

from graph_model.model import load_schema
from ingest.mapping.compiled import ValueFn, prop_value_fn
from ingest.mapping.evaluate import Ctx, Evaluator, RowError, cell, text_of, trim_parsed
from ingest.mapping.links import Instance, apply_links
from ingest.mapping.load import Mapping
from ingest.mapping.spec import PartSpec, ValueSpec, value_spec
from ingest.records import SourceRecord, record_id
from ingest.types._common import clean_text

__all__ = ["RowError", "apply_row", "row_keys"]


def row_keys(mapping: Mapping, row: dict[str, Any]) -> list[str]:
    """The row's key values (cleaned); raise :class:`RowError` for a missing one or a malformed row.

    >>> from ingest.mapping.load import MAPPINGS_DIR, load_mapping
    >>> row_keys(load_mapping(MAPPINGS_DIR / "amlo_transactions.yaml"), {"txn_id": " T1 "})
    ['T1']
    """
    if "__error__" in row:
        raise RowError("__row__", str(row["__error__"]), text_of(row.get("__line__", "")))
    if "__extra__" in row:
        extra = row["__extra__"]
        raise RowError("__row__", f"{len(extra)} cell(s) more than the header", text_of(extra))
    keys = []
    for column in mapping.keys:
        value = clean_text(text_of(row.get(column)))
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


def _instances(mapping: Mapping, row: dict[str, Any], ev: Evaluator) -> list[Instance]:
    out: list[Instance] = []
    by_part: dict[str, list[Instance]] = {}
    for spec in mapping.parts:
        found: list[Instance] = []
        parents = by_part.get(spec.within, []) if spec.within else [None]
        for parent in parents:
            base = parent.ctxs if parent is not None else [row]
            if spec.each is None:
                found.append(Instance(spec, spec.name, base, parent=parent))
                continue
            prefix = f"{parent.name}/" if parent is not None else ""
            for i, item in enumerate(_items(base[0], spec.each), start=1):
                ctx = item if isinstance(item, dict) else {"value": item, ".": item}
                found.append(Instance(spec, f"{prefix}{spec.name}:{i}", [ctx, *base], parent=parent))
        if spec.when is not None:
            found = [f for f in found if ev.value(spec.when, f.ctxs, spec.name) not in (None, "", [], False)]
        by_part[spec.name] = found
        out.extend(found)
    return out


@lru_cache(maxsize=1024)
def _rule_spec(part: str, rule: tuple[tuple[str, Any], ...]) -> ValueSpec:
    keep = ("column", "columns", "type", "attr", "hint", "hint_value")
    return value_spec(part, {k: v for k, v in rule if k in keep})


#: One test of an entity rule: the value spec, the allowed values, the pattern (either may be None).
Test = tuple[ValueSpec, "tuple[Any, ...] | None", "re.Pattern[str] | None"]


def _test(part: str, rule: dict[str, Any]) -> Test:
    frozen = tuple((k, tuple(v) if isinstance(v, list) else v) for k, v in rule.items() if k != "unless")
    allowed = rule.get("equals")
    return (_rule_spec(part, frozen),
            None if allowed is None else tuple(allowed if isinstance(allowed, list) else [allowed]),
            re.compile(rule["matches"], re.IGNORECASE) if "matches" in rule else None)


def _entity_rules(spec: PartSpec) -> list[tuple[Test, str, Test | None]]:
    """The part's entity rules as (test, entity, ``unless`` test or None), worked out once per spec."""
    rules = spec.__dict__.get("_entity_rules")
    if rules is None:
        rules = [(_test(spec.name, rule), str(rule["entity"]),
                  _test(spec.name, rule["unless"]) if rule.get("unless") else None)
                 for rule in spec.entity_rules]
        spec.__dict__["_entity_rules"] = rules
    return rules


def passes(test: Test, value: Any) -> bool:
    """Whether a rule's value (None: no value) is one of its allowed values or matches its pattern."""
    _, allowed, pattern = test
    if value is None:
        return False
    return (allowed is not None and value in allowed) or (pattern is not None and bool(pattern.search(str(value))))


def _entity(spec: PartSpec, ctxs: Ctx, ev: Evaluator) -> str:
    """The first rule whose test passes and whose ``unless`` test (if any) does not gives the entity type."""
    for test, entity, unless in _entity_rules(spec):
        if not passes(test, ev.value(test[0], ctxs, spec.name)):
            continue
        if unless is not None and passes(unless, ev.value(unless[0], ctxs, spec.name)):
            continue
        return entity
    return spec.entity


_ER_LISTS = frozenset({"id_numbers", "phones", "accounts", "location_keys", "case_keys", "roles", "address"})


@lru_cache(maxsize=64)
def _list_props(entity: str) -> frozenset[str]:
    """Properties of ``entity`` that hold lists (schema ``string[]`` plus the ER list fields)."""
    nt = load_schema().nodes.get(entity)
    declared = {n for n, p in nt.properties.items() if p.is_list} if nt else set()
    return frozenset(declared | _ER_LISTS)


def _shape(entity: str, props: dict[str, Any]) -> dict[str, Any]:
    """Drop empty values; lists for list properties, the first value for scalar ones."""
    lists = _list_props(entity)
    out: dict[str, Any] = {}
    for name, value in props.items():
        if value is None or value == [] or value == "":
            continue
        if name in lists:
            out[name] = value if isinstance(value, list) else [value]
        else:
            out[name] = value[0] if isinstance(value, list) else value
    return out


def _columns(specs: Iterable[ValueSpec]) -> list[str]:
    return [c for s in specs for c in (*s.columns, *((s.hint,) if s.hint else ()))]


def _plan(spec: PartSpec, entity: str) -> tuple[tuple[tuple[str, ValueFn], ...], tuple[str, ...]]:
    """The compiled properties of a part for one entity type and the columns they read (worked out once,
    kept on the frozen spec itself)."""
    plans = spec.__dict__.setdefault("_plans", {})
    found = plans.get(entity)
    if found is None:
        specs = {**spec.props, **spec.props_by_entity.get(entity, {})}
        used = tuple(dict.fromkeys(_columns([s for ss in specs.values() for s in ss])))
        found = plans[entity] = (tuple((name, prop_value_fn(ss)) for name, ss in specs.items()), used)
    return found


def apply_row(mapping: Mapping, row: dict[str, Any], *, source_file: str, row_no: int | None = None,
              exchange_id: str | None = None, agency: str | None = None,
              extra_keys: Iterable[str] = ()) -> list[SourceRecord]:
    """Turn one row into its parts' source records (links filled in); raise :class:`RowError` if bad.

    ``extra_keys`` are appended to the row's key values (the pipeline adds ``#n`` for the n-th repeat of
    a key in one file, the exchange adds the exchange id), so every row gets its own stable ids.
    """
    keys = [*row_keys(mapping, row), *extra_keys]
    trim_parsed()
    ev = Evaluator()
    insts = _instances(mapping, row, ev)
    record_date = ev.value(mapping.record_date, [row], "record_date") if mapping.record_date else None
    records: list[SourceRecord] = []
    for inst in insts:
        spec = inst.spec
        flags: list[str] = []
        ev.start(flags)
        inst.entity = _entity(spec, inst.ctxs, ev)
        prop_fns, used = _plan(spec, inst.entity)
        ctxs = inst.ctxs
        props = {name: fn(ev, ctxs, name) for name, fn in prop_fns}
        key = None
        if spec.key is not None:
            key_value = ev.value(spec.key, inst.ctxs, "key")
            if key_value is None:
                cols = "+".join(spec.key.columns)
                raw = " | ".join(cell(inst.ctxs, c) for c in spec.key.columns)
                raise RowError(cols, f"part {inst.name}: cannot read a {inst.entity} key from {raw!r}", raw)
            key = str(key_value)
        raw_cells = {c: v for c in used if (v := cell(inst.ctxs, c))}
        inst.record = SourceRecord(
            record_id=record_id(mapping.name, keys, inst.name), agency=agency or mapping.agency,
            source_file=source_file, part=inst.name, entity_type=inst.entity, row=row_no,
            exchange_id=exchange_id, key=key, props=_shape(inst.entity, props),
            raw=raw_cells, flags=flags, record_date=record_date if isinstance(record_date, str) else None)
        records.append(inst.record)
    apply_links(mapping, insts, ev)
    return records
