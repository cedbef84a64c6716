"""Map a whole chunk of rows column by column: the same records, flags and quarantine as :func:`apply_row`.

:func:`apply_row` walks one row through every value spec. Here each step of that walk (a part's ``when``,
the record date, a part's entity rules, each property, the key, each link's conditions, properties and
targets) runs over all the chunk's rows that reach it, and each value spec is worked out once per distinct
cell text (and hint) of the chunk. Per row only the outcome is noted: the value, the parsed value's flags
(into the record's own flag list, in the order of the row-wise walk, once per parsed value and record) and
the first error, which drops the row from every later step, so a quarantined row names the same field
and reason as it does row by row.

Mappings whose parts repeat (``each``) or nest (``within``) are left to :func:`apply_row`
(:func:`supports` says which); :func:`map_chunk` falls back to it for them.

Examples
--------
>>> from ingest.mapping.load import MAPPINGS_DIR, load_mapping
>>> m = load_mapping(MAPPINGS_DIR / "amlo_transactions.yaml")
>>> supports(m)
True
>>> row = {"txn_id": "T1", "timestamp": "2018-08-15T10:30:00+07:00", "from_bank": "004",
...        "from_account": "123-4-56789-0", "to_bank": "014", "to_account": "9876543210",
...        "amount_thb": "1,250,000.00", "channel": "MOBILE", "memo": "ค่าแรง"}
>>> bad_row = {**row, "txn_id": "T2", "amount_thb": "lots"}
>>> records, bad, loaded = map_chunk(m, [(1, row, (), None), (2, bad_row, (), None)],
...                                  source_file="amlo_transactions.csv")
>>> [(r.part, r.key) for r in records], loaded
([('from_account', '004-1234567890'), ('to_account', '014-9876543210')], 1)
>>> [(n, field, reason) for n, field, reason, _ in bad]
[(2, 'amount_thb', "cannot read amount from 'lots' (unparseable)")]
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ingest.mapping.chunk_links import chunk_links, evaluators
from ingest.mapping.compiled import raw_getter, raw_value_fn
from ingest.mapping.engine import _entity_rules, _list_props, _plan, apply_row, passes, row_keys
from ingest.mapping.evaluate import _PARSED, Evaluator, RowError, text_of, trim_parsed, where_ok
from ingest.mapping.load import Mapping
from ingest.mapping.spec import ValueSpec
from ingest.mapping.values import parser, transform
from ingest.records import SourceRecord, record_id
from ingest.types._common import clean_text

__all__ = ["Item", "map_chunk", "supports"]

#: One row to map: row number, the row, its extra keys (``#n``) or, for a row already refused, its error.
Item = tuple[int, dict[str, Any], tuple[str, ...], "tuple[str, str] | None"]
#: A quarantined row: row number, field, reason, the row.
Bad = tuple[int, str, str, dict[str, Any]]
#: A spec's outcome for one distinct cell text: value, parsed value with flags (or None), error.
Outcome = tuple[Any, Any, "tuple[str, str, str] | None"]


def supports(mapping: Mapping) -> bool:
    """True when every part of ``mapping`` occurs once per row (no ``each``, no ``within``)."""
    return mapping.kind == "file" and all(p.each is None and p.within is None for p in mapping.parts)


class _Recorder(Evaluator):
    """An evaluator that keeps the parsed value a spec noted, instead of noting its flags."""

    noted: Any = None

    def note(self, parsed: Any, fieldname: str) -> None:
        self.noted = parsed


_UNSET = object()


def _plain(spec: ValueSpec) -> bool:
    """A typed spec that takes a plain attribute of the parsed cell, where the parsed cell passes its
    ``where``, through its ``then`` transforms (no map or format)."""
    plain = spec.__dict__.get("_plain")
    if plain is None:
        plain = spec.__dict__["_plain"] = (
            spec.type is not None and not spec.has_const and spec.map is None
            and spec.format is None and "." not in spec.attr)
    return bool(plain)


def _plain_text(spec: ValueSpec) -> bool:
    """An untyped spec that takes the cleaned cell text (no split, map, then or format)."""
    plain = spec.__dict__.get("_plain_text")
    if plain is None:
        plain = spec.__dict__["_plain_text"] = (
            spec.type is None and not spec.has_const and spec.split is None and spec.map is None
            and not spec.then and spec.format is None)
    return bool(plain)


def _present(value: Any) -> bool:
    return value not in (None, "", [], False)


class _Chunk:
    """The chunk's rows, their columns' texts and each spec's outcomes, built as steps ask for them."""

    def __init__(self, rows: list[dict[str, Any]]) -> None:
        self.rows = rows
        self.dead: dict[int, tuple[str, str, str]] = {}  # row → its first error: field, reason, raw
        self._raws: dict[tuple[Any, ...], list[str]] = {}
        self._cells: dict[str, list[str]] = {}
        self._memos: dict[int, dict[Any, Outcome]] = {}
        self._parsed: dict[tuple[Any, ...], list[Any]] = {}
        self._texts: dict[int, dict[str, str | None]] = {}
        self._recorder = _Recorder()

    def cells(self, column: str) -> list[str]:
        """``column``'s text in every row, as :func:`ingest.mapping.evaluate.cell` reads it."""
        found = self._cells.get(column)
        if found is None:  # a CSV cell is text already; a missing column reads as None, i.e. ""
            found = self._cells[column] = [v if type(v) is str else text_of(v)
                                           for v in [row.get(column) for row in self.rows]]
        return found

    def raw_col(self, spec: ValueSpec) -> list[str]:
        """``spec``'s cell text in every row, as :func:`ingest.mapping.compiled.raw_getter` reads it."""
        key = (spec.columns, spec.join, spec.template)
        found = self._raws.get(key)
        if found is None:
            if spec.template is not None:
                get = raw_getter(spec)
                found = [get([row]) for row in self.rows]
            elif len(spec.columns) == 1:
                found = [c.strip() for c in self.cells(spec.columns[0])]
            else:
                join = spec.join.join
                stripped = [[c.strip() for c in self.cells(col)] for col in spec.columns]
                found = [join([p for p in parts if p]) for parts in zip(*stripped, strict=True)]
            self._raws[key] = found
        return found

    def _outcome(self, spec: ValueSpec, raw: str, hint: str | None) -> Outcome:
        rec = self._recorder
        rec.noted = None
        try:
            value, error = raw_value_fn(spec)(rec, raw, hint, ""), None
        except RowError as exc:
            value, error = None, (exc.field, exc.reason, exc.raw)
        parsed = rec.noted
        return value, parsed if getattr(parsed, "flags", None) else None, error

    def values(self, spec: ValueSpec, idx: Sequence[int], evs: dict[int, Evaluator] | None,
               fieldname: str) -> list[Any]:
        """``spec``'s value in each row of ``idx``; flags noted into ``evs[i]`` (None: not kept), a row whose
        value fails is marked dead with its first error (its value is None)."""
        if spec.has_const:
            const = spec.const
            return [const[:] if type(const) is list else const for _ in idx]
        if _plain(spec):
            return self._attr_values(spec, idx, evs, fieldname)
        if _plain_text(spec):
            return self._text_values(spec, idx)
        memo = self._memos.get(id(spec))
        if memo is None:
            memo = self._memos[id(spec)] = {}
        raws = self.raw_col(spec)
        hints = self.cells(spec.hint) if spec.hint else None  # else a constant hint (or none)
        hint = spec.hint_value
        dead = self.dead
        out: list[Any] = []
        append = out.append
        for i in idx:
            if hints is None:
                key: Any = raws[i]
            else:
                key = (raws[i], hints[i])
                hint = hints[i]
            found = memo.get(key)
            if found is None:
                found = memo[key] = self._outcome(spec, raws[i], hint)
            value, parsed, error = found
            if parsed is not None and evs is not None:
                evs[i].note(parsed, fieldname)
            if error is not None:
                if i not in dead:
                    dead[i] = error
                append(None)
                continue
            append(value[:] if type(value) is list else value)
        return out

    def parsed(self, spec: ValueSpec, idx: Sequence[int]) -> list[Any]:
        """The parsed cell of typed ``spec`` in the rows of ``idx`` (None for an empty cell), through the
        shared parse cache; worked out once per row for every spec that reads the same cells as the same
        type with the same hint."""
        key = (spec.type, spec.columns, spec.join, spec.template, spec.hint, spec.hint_value)
        col = self._parsed.get(key)
        if col is None:
            col = self._parsed[key] = [_UNSET] * len(self.rows)
        raws = self.raw_col(spec)
        hints = self.cells(spec.hint) if spec.hint else None
        hint = spec.hint_value
        type_name = str(spec.type)
        fn = parser(type_name)
        for i in idx:
            if col[i] is not _UNSET:
                continue
            raw = raws[i]
            parsed = None
            if raw:
                if hints is not None:
                    hint = hints[i]
                cache_key = (type_name, raw, hint)
                parsed = _PARSED.get(cache_key)
                if parsed is None:
                    parsed = _PARSED[cache_key] = fn(raw, hint) if hint is not None else fn(raw)
            col[i] = parsed
        return col

    def _attr_values(self, spec: ValueSpec, idx: Sequence[int], evs: dict[int, Evaluator] | None,
                     fieldname: str) -> list[Any]:
        """:meth:`values` of a :func:`_plain` spec: an attribute of the parsed cell, else the default."""
        col = self.parsed(spec, idx)
        attr, default, required, where, then = spec.attr, spec.default, spec.required, spec.where, spec.then
        dead = self.dead
        out: list[Any] = []
        append = out.append
        for i in idx:
            parsed = col[i]
            if parsed is None:
                value = None
            else:
                if evs is not None and getattr(parsed, "flags", None):
                    evs[i].note(parsed, fieldname)  # noted whether or not it passes `where`, as row by row
                value = getattr(parsed, attr, None) if not where or where_ok(where, parsed) else None
                if then:  # as ingest.mapping.compiled's value_from: a tuple becomes a list first
                    value = transform(then, list(value) if isinstance(value, tuple) else value)
                kind = type(value)  # the usual values first: one new list per row, no second copy
                if kind is str:
                    if value:
                        append(value)
                        continue
                elif kind is tuple or kind is list:
                    if value:
                        append(list(value))
                        continue
                    value = None
                elif value is not None and not isinstance(value, tuple | list | str):
                    append(value)
                    continue
                elif isinstance(value, tuple):
                    value = list(value)
            if value is None or value == "" or value == []:
                value = default
                if required and (value is None or value == "" or value == []):
                    hint = self.cells(spec.hint)[i] if spec.hint else spec.hint_value
                    error = self._outcome(spec, self.raw_col(spec)[i], hint)[2]
                    if error is not None and i not in dead:
                        dead[i] = error
                    append(None)
                    continue
            append(value[:] if type(value) is list else value)
        return out

    def _text_values(self, spec: ValueSpec, idx: Sequence[int]) -> list[Any]:
        """:meth:`values` of a :func:`_plain_text` spec: the cleaned cell text, else the default."""
        raws = self.raw_col(spec)
        memo = self._texts.get(id(spec))
        if memo is None:
            memo = self._texts[id(spec)] = {}
        default, required, dead = spec.default, spec.required, self.dead
        out: list[Any] = []
        append = out.append
        for i in idx:
            raw = raws[i]
            value = memo.get(raw)
            if value is None:
                value = memo[raw] = (clean_text(raw) or None) if raw else None
            if value is None:
                value = default
                if required and (value is None or value == "" or value == []):
                    hint = self.cells(spec.hint)[i] if spec.hint else spec.hint_value
                    error = self._outcome(spec, raw, hint)[2]
                    if error is not None and i not in dead:
                        dead[i] = error
                    append(None)
                    continue
            append(value[:] if type(value) is list else value)
        return out

    def prop(self, specs: tuple[ValueSpec, ...], idx: Sequence[int], evs: dict[int, Evaluator],
             fieldname: str) -> list[Any]:
        """:meth:`ingest.mapping.evaluate.Evaluator.prop` over the rows of ``idx``."""
        if len(specs) == 1:
            return self.values(specs[0], idx, evs, fieldname)
        columns = [self.values(s, idx, evs, fieldname) for s in specs]
        out: list[Any] = []
        for per_spec in zip(*columns, strict=True):
            union: list[Any] = []
            for v in per_spec:
                for item in v if isinstance(v, list) else [v]:
                    if not (item is None or item == "" or item == []) and item not in union:
                        union.append(item)
            out.append(union or None)
        return out

    def alive(self, idx: Sequence[int]) -> list[int]:
        dead = self.dead
        return [i for i in idx if i not in dead] if dead else list(idx)


def map_chunk(mapping: Mapping, items: Sequence[Item], *, source_file: str, exchange_id: str | None = None,
              agency: str | None = None, row_keys_read: Sequence[tuple[str, ...]] | None = None,
              ) -> tuple[list[SourceRecord], list[Bad], int]:
    """Map a chunk of rows: (records in row and part order, quarantined rows in row order, rows loaded).

    The records, their flags and the quarantined rows' fields and reasons are those of :func:`apply_row`
    called on each row in turn; a mapping that :func:`supports` refuses is mapped row by row.
    ``row_keys_read``: each item's :func:`row_keys` when the caller has read them already (as
    :func:`ingest.parallel.keyed_rows` does; a refused item's are not used), else they are read here.
    """
    if not supports(mapping):
        return _row_by_row(mapping, items, source_file=source_file, exchange_id=exchange_id, agency=agency)
    trim_parsed()  # the parse cache is cut only between chunks: one text, one parsed value in a chunk
    rows = [item[1] for item in items]
    ch = _Chunk(rows)
    dead = ch.dead
    keys: dict[int, list[str]] = {}
    for i, (_n, row, extra, error) in enumerate(items):
        if error is not None:
            dead[i] = (error[0], error[1], "")
            continue
        if row_keys_read is not None:
            keys[i] = [*row_keys_read[i], *extra]
            continue
        try:
            keys[i] = [*row_keys(mapping, row), *extra]
        except RowError as exc:
            dead[i] = (exc.field, exc.reason, exc.raw)
    live = ch.alive(range(len(rows)))

    # which parts each row has (their `when`), then the record date: flags of these are not kept
    present: dict[str, list[int]] = {}
    for spec in mapping.parts:
        if spec.when is None:
            present[spec.name] = live
        else:
            whens = ch.values(spec.when, live, None, spec.name)
            present[spec.name] = [i for i, v in zip(live, whens, strict=True) if _present(v)]
    record_dates: dict[int, Any] = {}
    if mapping.record_date is not None:
        idx = ch.alive(live)
        record_dates = dict(zip(idx, ch.values(mapping.record_date, idx, None, "record_date"), strict=True))

    records: dict[str, dict[int, SourceRecord]] = {}
    for spec in mapping.parts:
        idx = ch.alive(present[spec.name])
        flags: dict[int, list[str]] = {i: [] for i in idx}
        evs = evaluators(flags)
        entity_of = _entities(ch, spec, idx, evs)
        by_entity: dict[str, list[int]] = {}
        for i in ch.alive(idx):
            by_entity.setdefault(entity_of[i], []).append(i)
        built: dict[int, SourceRecord] = {}
        for entity, members in by_entity.items():
            prop_specs = {**spec.props, **spec.props_by_entity.get(entity, {})}
            _, used = _plan(spec, entity)
            props: dict[int, dict[str, Any]] = {i: {} for i in members}
            lists = _list_props(entity)
            for name, specs in prop_specs.items():
                members = ch.alive(members)
                is_list = name in lists  # shaped as engine._shape does: empty dropped, lists or scalars
                for i, v in zip(members, ch.prop(specs, members, evs, name), strict=True):
                    if v is None or v == [] or v == "":
                        continue
                    if is_list:
                        props[i][name] = v if isinstance(v, list) else [v]
                    else:
                        props[i][name] = v[0] if isinstance(v, list) else v
            members = ch.alive(members)
            key_of: dict[int, str | None] = dict.fromkeys(members)
            if spec.key is not None:
                for i, v in zip(members, ch.values(spec.key, members, evs, "key"), strict=True):
                    if i in dead:
                        continue
                    if v is None:
                        cols = "+".join(spec.key.columns)
                        raw = " | ".join(ch.cells(c)[i] for c in spec.key.columns)
                        dead[i] = (cols, f"part {spec.name}: cannot read a {entity} key from {raw!r}", raw)
                        continue
                    key_of[i] = str(v)
            cells = [(c, ch.cells(c)) for c in used]
            for i in ch.alive(members):
                record_date = record_dates.get(i)
                built[i] = SourceRecord(
                    record_id=record_id(mapping.name, keys[i], spec.name), agency=agency or mapping.agency,
                    source_file=source_file, part=spec.name, entity_type=entity, row=items[i][0],
                    exchange_id=exchange_id, key=key_of[i], props=props[i],
                    raw={c: v for c, col in cells if (v := col[i])}, flags=flags[i],
                    record_date=record_date if isinstance(record_date, str) else None)
        records[spec.name] = built

    for ln in mapping.links:
        chunk_links(ch, ln, records)

    out: list[SourceRecord] = []
    bad: list[Bad] = []
    loaded = 0
    for i, item in enumerate(items):
        failed = dead.get(i)
        if failed is not None:
            bad.append((item[0], failed[0], failed[1], item[1]))
            continue
        loaded += 1
        for spec in mapping.parts:
            record = records[spec.name].get(i)
            if record is not None:
                out.append(record)
    return out, bad, loaded


def _entities(ch: _Chunk, spec: Any, idx: list[int], evs: dict[int, Evaluator]) -> dict[int, str]:
    """Each row's entity type by the part's rules, tried in order (:func:`ingest.mapping.engine._entity`)."""
    entity_of: dict[int, str] = {}
    todo = idx
    for test, entity, unless in _entity_rules(spec):
        todo = ch.alive(todo)
        rest: list[int] = []
        hits: list[int] = []
        for i, value in zip(todo, ch.values(test[0], todo, evs, spec.name), strict=True):
            (hits if passes(test, value) else rest).append(i)
        if unless is not None and hits:  # a rule whose `unless` holds is passed over, as row by row
            hits = ch.alive(hits)
            for i, value in zip(hits, ch.values(unless[0], hits, evs, spec.name), strict=True):
                if passes(unless, value):
                    rest.append(i)
                else:
                    entity_of[i] = entity
            rest.sort()
        else:
            entity_of.update(dict.fromkeys(hits, entity))
        todo = rest
    for i in todo:
        entity_of[i] = spec.entity
    return entity_of


def _row_by_row(mapping: Mapping, items: Sequence[Item], *, source_file: str, exchange_id: str | None,
                agency: str | None) -> tuple[list[SourceRecord], list[Bad], int]:
    records: list[SourceRecord] = []
    bad: list[Bad] = []
    loaded = 0
    for n, row, extra, error in items:
        if error is not None:
            bad.append((n, error[0], error[1], row))
            continue
        try:
            records.extend(apply_row(mapping, row, source_file=source_file, row_no=n, extra_keys=extra,
                                     exchange_id=exchange_id, agency=agency))
        except RowError as exc:
            bad.append((n, exc.field, exc.reason, row))
            continue
        loaded += 1
    return records, bad, loaded
