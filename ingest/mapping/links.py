"""Links of a row's parts: to another part of the row, or to identifier entities keyed by their value.

A target's source cell may hold a list (JSON ``phones[]``, ``addresses[]``): each element is parsed on its
own; ``each`` then iterates an attribute of the parsed value (``phones`` of a phone list).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ingest.mapping.compiled import MEMO_MAX, compiled_template, prop_value_fn, raw_getter
from ingest.mapping.evaluate import PARSED_GENERATION, Ctx, Evaluator, cell, text_of, where_ok
from ingest.mapping.load import Mapping
from ingest.mapping.spec import LinkSpec, PartSpec, TargetSpec
from ingest.mapping.values import attr_of
from ingest.records import IDENTIFIER_TYPES, Link, SourceRecord
from ingest.types._common import clean_text

__all__ = ["Instance", "apply_links", "target_links"]


@dataclass
class Instance:
    """One occurrence of a part in a row (``suspect:2``), its contexts and its record once built."""

    spec: PartSpec
    name: str
    ctxs: Ctx
    entity: str = ""
    parent: Instance | None = None
    record: SourceRecord | None = None


def _raw_cells(t: TargetSpec, ctxs: Ctx) -> list[str]:
    if len(t.source.columns) == 1:
        for ctx in ctxs:
            if t.source.columns[0] in ctx:
                value = ctx[t.source.columns[0]]
                if isinstance(value, list):
                    return [s for s in (text_of(v).strip() for v in value) if s]
                break
    get = t.source.__dict__.get("_raw") or t.source.__dict__.setdefault("_raw", raw_getter(t.source))
    raw = get(ctxs)
    return [raw] if raw else []


def _target_props(t: TargetSpec, parsed: Any, item: Any, obj: Any) -> dict[str, Any]:
    props: dict[str, Any] = {}
    for name, tmpl in t.props.items():
        if isinstance(tmpl, str):
            value: Any = compiled_template(tmpl)(parsed, item) if "{" in tmpl else tmpl
        elif isinstance(tmpl, dict) and "attr" in tmpl:
            value = attr_of(obj, str(tmpl["attr"]))
            if tmpl.get("list") and value is not None and not isinstance(value, list):
                value = [value]
        else:
            value = tmpl
        if value is not None and value != "" and value != []:
            props[name] = value
    return props


def _target_links(ln: LinkSpec, t: TargetSpec, ctxs: Ctx, ev: Evaluator) -> list[Link]:
    cells = ["const"] if t.source.has_const else _raw_cells(t, ctxs)
    hint = (cell(ctxs, t.source.hint).strip() or None) if t.source.hint else t.source.hint_value
    return target_links(ln, t, cells, hint, ev)


def target_links(ln: LinkSpec, t: TargetSpec, cells: list[str], hint: str | None, ev: Evaluator) -> list[Link]:
    """The links to ``t`` of a row whose source cell texts are ``cells`` (one per list element; ``["const"]``
    for a constant source) and whose hint is ``hint``; the parsed cells' flags noted into ``ev``."""
    typed = not t.source.has_const and t.source.type is not None
    fieldname = t.entity.lower()
    # the targets of a cell text are the same on every row: worked out once, flags noted per record
    memo = t.__dict__.get("_memo")
    if memo is None or memo[0] != PARSED_GENERATION[0] or len(memo[1]) >= MEMO_MAX:
        memo = t.__dict__["_memo"] = (PARSED_GENERATION[0], {})
    found_of: dict[tuple[str, str | None], tuple[Any, list[tuple[str, dict[str, Any]]]]] = memo[1]
    seen: set[str] = set()
    links: list[Link] = []
    for raw in cells:
        hit = found_of.get((raw, hint))
        if hit is None:
            hit = found_of[(raw, hint)] = _targets(t, raw, hint, ev, fieldname)
        elif typed:
            ev.note(hit[0], fieldname)
        for key, props in hit[1]:
            if key in seen:
                continue
            seen.add(key)
            links.append(Link(ln.rel, target_type=t.entity, target_key=key,
                              target_props={k: v[:] if type(v) is list else v for k, v in props.items()}))
    return links


def _targets(t: TargetSpec, raw: str, hint: str | None, ev: Evaluator,
             fieldname: str) -> tuple[Any, list[tuple[str, dict[str, Any]]]]:
    """The parsed cell and its targets' (key, props), in order (a key repeated within the cell kept once)."""
    if t.source.has_const:
        parsed: Any = t.source.const
    elif t.source.type is None:
        parsed = clean_text(raw)
    else:
        parsed = ev.parse(t.source.type, raw, hint, fieldname)
    items = attr_of(parsed, t.each) if t.each else [None]
    found: list[tuple[str, dict[str, Any]]] = []
    keys: set[str] = set()
    for item in items or []:
        obj = item if item is not None else parsed
        if t.where and not where_ok(t.where, obj):
            continue
        key = compiled_template(t.key)(parsed, item)
        if key is None or key in keys:
            continue
        keys.add(key)
        found.append((key, _target_props(t, parsed, item, obj)))
    return parsed, found


def _present(value: Any) -> bool:
    return value not in (None, "", [], False)


def _ancestors(inst: Instance) -> list[Instance]:
    out = []
    while inst.parent is not None:
        inst = inst.parent
        out.append(inst)
    return out


def _props(ln: LinkSpec, ctxs: Ctx, ev: Evaluator) -> tuple[dict[str, Any], str]:
    fns = ln.__dict__.get("_props")
    if fns is None:  # compiled once, kept on the frozen spec
        fns = ln.__dict__["_props"] = tuple((name, f"{ln.rel}.{name}", prop_value_fn(specs))
                                            for name, specs in ln.props.items())
    props = {name: fn(ev, ctxs, fieldname) for name, fieldname, fn in fns}
    disc_value = ev.value(ln.discriminator, ctxs, ln.rel) if ln.discriminator else None
    return {k: v for k, v in props.items() if v is not None}, "" if disc_value is None else str(disc_value)


def apply_links(mapping: Mapping, insts: list[Instance], ev: Evaluator) -> None:
    """Append every link of the mapping to the records of its source parts' instances."""
    by_part: dict[str, list[Instance]] = {}
    for inst in insts:
        by_part.setdefault(inst.spec.name, []).append(inst)
    for ln in mapping.links:
        for src in by_part.get(ln.source, []):
            record = src.record
            assert record is not None
            ev.start(record.flags)
            if ln.when is not None and not _present(ev.value(ln.when, src.ctxs, ln.rel)):
                continue
            if ln.unless is not None and _present(ev.value(ln.unless, src.ctxs, ln.rel)):
                continue
            if ln.target is not None:
                props, disc = _props(ln, src.ctxs, ev)
                for link in _target_links(ln, ln.target, src.ctxs, ev):
                    link.props, link.discriminator, link.reverse = dict(props), disc, ln.reverse
                    record.links.append(link)
                continue
            ancestors = [a for a in _ancestors(src) if a.spec.name == ln.to]
            for dst in ancestors or by_part.get(ln.to or "", []):
                target = dst.record
                assert target is not None
                # the far part's own cells count too (SEIZED takes value_thb from the seized asset)
                props, disc = _props(ln, [*src.ctxs, *dst.ctxs], ev)
                ident = target.entity_type in IDENTIFIER_TYPES
                record.links.append(Link(
                    ln.rel, target_part=dst.name, target_record_id=target.record_id,
                    target_type=target.entity_type, target_key=target.key if ident else None,
                    props=props, reverse=ln.reverse, discriminator=disc))
