"""Links of a chunk of rows mapped column by column (:mod:`ingest.mapping.columnar`): each link spec over
every row that has its source part, as :func:`ingest.mapping.links.apply_links` gives them row by row.

A link to an identifier target (a document, an address, a family member by ID) is worked out once per
distinct source cell text and hint, through the same memo as :func:`ingest.mapping.links.target_links`;
per row only its parsed value's flags are noted and its :class:`~ingest.records.Link` objects built.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ingest.mapping.compiled import MEMO_MAX
from ingest.mapping.evaluate import PARSED_GENERATION, Evaluator, text_of
from ingest.mapping.links import _targets, target_links
from ingest.mapping.spec import TargetSpec
from ingest.records import IDENTIFIER_TYPES, Link, SourceRecord

if TYPE_CHECKING:
    from ingest.mapping.columnar import _Chunk

__all__ = ["chunk_links", "evaluators"]


def _present(value: Any) -> bool:
    return value not in (None, "", [], False)


class _Silent(Evaluator):
    """An evaluator that notes nothing (its caller notes the parsed value itself)."""

    def note(self, parsed: Any, fieldname: str) -> None:
        pass


_SILENT = _Silent()


class _Evaluators(dict[int, Evaluator]):
    """Row → its evaluator, made on first use: most rows note no flag, so most are never made."""

    def __init__(self, flags: dict[int, list[str]]) -> None:
        super().__init__()
        self.flags_of = flags

    def __missing__(self, i: int) -> Evaluator:
        ev = self[i] = Evaluator()
        ev.flags = self.flags_of[i]  # a row without a flag list is no key, as before
        return ev


def evaluators(flags: dict[int, list[str]]) -> dict[int, Evaluator]:
    """One evaluator per row (made when first asked for), noting into that row's record flag list."""
    return _Evaluators(flags)


def chunk_links(ch: _Chunk, ln: Any, records: dict[str, dict[int, SourceRecord]]) -> None:
    """One link of the mapping over every row that has its source part (:func:`ingest.mapping.links.apply_links`)."""
    sources = records.get(ln.source, {})
    idx = ch.alive(list(sources))
    evs = evaluators({i: sources[i].flags for i in idx})
    if ln.when is not None:
        idx = [i for i, v in zip(idx, ch.values(ln.when, idx, evs, ln.rel), strict=True) if _present(v)]
        idx = ch.alive(idx)
    if ln.unless is not None:
        idx = [i for i, v in zip(idx, ch.values(ln.unless, idx, evs, ln.rel), strict=True) if not _present(v)]
        idx = ch.alive(idx)
    if ln.target is None:  # a part of the same row: props only where the row has that part
        dsts = records.get(ln.to or "", {})
        idx = [i for i in idx if i in dsts]
    props: dict[int, dict[str, Any]] = {i: {} for i in idx}
    for name, specs in ln.props.items():
        idx = ch.alive(idx)
        for i, v in zip(idx, ch.prop(specs, idx, evs, f"{ln.rel}.{name}"), strict=True):
            if v is not None:
                props[i][name] = v
    idx = ch.alive(idx)
    discs: dict[int, str] = dict.fromkeys(idx, "")
    if ln.discriminator is not None:
        for i, v in zip(idx, ch.values(ln.discriminator, idx, evs, ln.rel), strict=True):
            discs[i] = "" if v is None else str(v)
        idx = ch.alive(idx)
    t = ln.target
    if t is not None:  # the target's source cell(s) and hint as links.target_links takes them
        hints = [h.strip() or None for h in ch.cells(t.source.hint)] if t.source.hint else None
        _target_links(ln, t, idx, sources, props, discs, _target_cells(ch, t), hints, t.source.hint_value, evs)
        return
    for i in idx:
        record = sources[i]
        kept = props[i]
        disc = discs[i]
        target = records[ln.to][i]
        ident = target.entity_type in IDENTIFIER_TYPES
        record.links.append(Link(
            ln.rel, target_part=target.part, target_record_id=target.record_id,
            target_type=target.entity_type, target_key=target.key if ident else None,
            props=kept, reverse=ln.reverse, discriminator=disc))


def _target_links(ln: Any, t: TargetSpec, idx: list[int], sources: dict[int, SourceRecord],
                  props: dict[int, dict[str, Any]], discs: dict[int, str], cells_of: Callable[[int], list[str]],
                  hints: list[str | None] | None, hint: str | None, evs: dict[int, Evaluator]) -> None:
    """The links to target ``t`` of the rows of ``idx``: :func:`ingest.mapping.links.target_links` row by row,
    with a row of one source cell (nearly all) taken straight from its memo of targets per cell text."""
    typed = not t.source.has_const and t.source.type is not None
    fieldname = t.entity.lower()
    rel, entity, reverse = ln.rel, t.entity, ln.reverse
    for i in idx:
        cells = cells_of(i)
        if not cells:
            continue
        row_hint = hints[i] if hints is not None else hint
        kept, disc, out = props[i], discs[i], sources[i].links
        if len(cells) > 1:
            for link in target_links(ln, t, cells, row_hint, evs[i]):
                link.props, link.discriminator, link.reverse = dict(kept), disc, reverse
                out.append(link)
            continue
        memo = t.__dict__.get("_memo")  # as target_links keeps it: per parse-cache generation, bounded
        if memo is None or memo[0] != PARSED_GENERATION[0] or len(memo[1]) >= MEMO_MAX:
            memo = t.__dict__["_memo"] = (PARSED_GENERATION[0], {})
        found_of: dict[tuple[str, str | None], Any] = memo[1]
        cache_key = (cells[0], row_hint)
        hit = found_of.get(cache_key)
        if hit is None:  # parsed without noting, then noted as on a hit: the same parsed value, field, flags
            hit = found_of[cache_key] = _targets(t, cells[0], row_hint, _SILENT, fieldname)
        if typed and getattr(hit[0], "flags", None):
            evs[i].note(hit[0], fieldname)
        for key, target_props in hit[1]:  # one cell's keys are distinct already
            out.append(Link(rel, None, None, entity, key,
                            {k: v[:] if type(v) is list else v for k, v in target_props.items()},
                            dict(kept), reverse, disc))


def _target_cells(ch: _Chunk, t: TargetSpec) -> Callable[[int], list[str]]:
    """A row's source cell texts of target ``t`` (:func:`ingest.mapping.links._raw_cells`): one per element
    of a list cell, else the spec's cell text when not empty; ``["const"]`` for a constant source."""
    if t.source.has_const:
        return lambda i: ["const"]
    raws = ch.raw_col(t.source)
    if len(t.source.columns) == 1:
        column, rows = t.source.columns[0], ch.rows

        def cells(i: int) -> list[str]:
            value = rows[i].get(column)
            if isinstance(value, list):
                return [s for s in (text_of(v).strip() for v in value) if s]
            raw = raws[i]
            return [raw] if raw else []

        return cells
    return lambda i: [raws[i]] if raws[i] else []
