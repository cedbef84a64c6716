"""Value specs and templates compiled once into closures, so that a row's values are read without
re-interpreting the spec each time.

A compiled value spec does exactly what :meth:`ingest.mapping.evaluate.Evaluator.value` describes (the
evaluator dispatches to it): read the cell(s), parse through the evaluator's shared cache (flags and all),
take the attribute, apply ``where``, ``map``, ``then``, ``format``, ``default`` and ``required``. The
closure is kept on the frozen spec itself, so every spec is compiled once per process.

Examples
--------
>>> from ingest.mapping.evaluate import Evaluator
>>> from ingest.mapping.spec import value_spec
>>> spec = value_spec("t", {"columns": ["first", "last"], "type": "person_name", "attr": "given"})
>>> ev = Evaluator()
>>> ev.start([])
>>> compiled(spec)(ev, [{"first": " นายสมชาย", "last": "ใจดี "}], "name")
'สมชาย'
>>> compiled_template("{kind}:{value}")(None, "x") is None
True
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ingest.mapping.evaluate import Evaluator, RowError, raw_of, text_of, where_ok
from ingest.mapping.spec import ValueSpec
from ingest.mapping.values import _FIELD, attr_of, transform
from ingest.types._common import clean_text

__all__ = ["PropFn", "RawGetter", "RawValueFn", "ValueFn", "compiled", "compiled_template", "prop_fn", "prop_value_fn",
           "raw_getter", "raw_value_fn"]

Ctx = list[dict[str, Any]]
#: A compiled value spec: ``fn(evaluator, contexts, field_name) -> value``.
ValueFn = Callable[[Evaluator, Ctx, str], Any]
#: A compiled property (one or several value specs, field name bound): ``fn(evaluator, contexts)``.
PropFn = Callable[[Evaluator, Ctx], Any]
#: The cell text a spec reads from the contexts.
RawGetter = Callable[[Ctx], str]


def raw_getter(spec: ValueSpec) -> RawGetter:
    """The spec's cell text as :func:`ingest.mapping.evaluate.raw_of` reads it, specialised once."""
    if spec.template is not None:
        return lambda ctxs: raw_of(spec, ctxs)
    columns, join = spec.columns, spec.join
    if len(columns) == 1:
        column = columns[0]

        def one(ctxs: Ctx) -> str:
            for ctx in ctxs:
                if column in ctx:
                    found = ctx[column]
                    return (found if isinstance(found, str) else text_of(found)).strip()
            return ""

        return one

    def several(ctxs: Ctx) -> str:
        parts = []
        for col in columns:
            for ctx in ctxs:
                if col in ctx:
                    found = ctx[col]
                    text = (found if isinstance(found, str) else text_of(found)).strip()
                    if text:
                        parts.append(text)
                    break
        return join.join(parts)

    return several


def _hint_getter(spec: ValueSpec) -> Callable[[Ctx], str | None]:
    column, constant = spec.hint, spec.hint_value
    if not column:
        return lambda ctxs: constant

    def hint(ctxs: Ctx) -> str:
        for ctx in ctxs:
            if column in ctx:
                found = ctx[column]
                return found if isinstance(found, str) else text_of(found)
        return ""

    return hint


#: Distinct cell texts whose link targets are remembered per target spec (cleared when full).
MEMO_MAX = 200_000


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == []


def _compile(spec: ValueSpec) -> ValueFn:
    if spec.has_const:
        const = spec.const
        return lambda ev, ctxs, fieldname: const
    get, hint_of = raw_getter(spec), _hint_getter(spec)
    from_raw = raw_value_fn(spec)
    type_name = spec.type
    # one column without a template (most specs): its cell read here, one call less per value
    column = spec.columns[0] if spec.template is None and len(spec.columns) == 1 else None

    def value_of(ev: Evaluator, ctxs: Ctx, fieldname: str) -> Any:
        if column is not None:
            raw = ""
            for ctx in ctxs:
                if column in ctx:
                    found = ctx[column]
                    raw = (found if isinstance(found, str) else text_of(found)).strip()
                    break
        else:
            raw = get(ctxs)
        return from_raw(ev, raw, hint_of(ctxs) if raw and type_name is not None else None, fieldname)

    return value_of


#: A value spec from its cell text and hint: ``fn(evaluator, raw, hint, field_name) -> value``.
RawValueFn = Callable[[Evaluator, str, "str | None", str], Any]


def raw_value_fn(spec: ValueSpec) -> RawValueFn:
    """The value of a (non-constant) spec whose cell text (as :func:`raw_getter` reads it) is ``raw`` and
    whose hint is ``hint``: parsed, attribute taken, ``where``/``map``/``then``/``format``/``default``
    applied; raise :class:`RowError` for a required value that is missing (kept on the frozen spec)."""
    fn: RawValueFn | None = spec.__dict__.get("_from_raw")
    if fn is None:
        fn = spec.__dict__["_from_raw"] = _compile_raw(spec)
    return fn


def _compile_raw(spec: ValueSpec) -> RawValueFn:
    type_name, attr, where, mapping = spec.type, spec.attr, spec.where, spec.map
    dotted = "." in attr
    then, fmt, split, default, required = spec.then, spec.format, spec.split, spec.default, spec.required

    def fail(raw: str, parsed: Any) -> RowError:
        column = "+".join(spec.columns)
        if not raw:
            return RowError(column, "required value is empty")
        flags = ",".join(getattr(parsed, "flags", ()) or ())
        what = type_name or "a known value"
        return RowError(column, f"cannot read {what} from {raw!r}" + (f" ({flags})" if flags else ""), raw)

    def value_from(ev: Evaluator, raw: str, hint: str | None, fieldname: str) -> Any:
        value: Any = None
        parsed = None
        if raw:
            if type_name is not None:
                parsed = ev.parse(type_name, raw, hint, fieldname)
                if not where or where_ok(where, parsed):
                    value = attr_of(parsed, attr) if dotted else getattr(parsed, attr, None)
                    if isinstance(value, tuple):
                        value = list(value)
                    if mapping is not None and value is not None:
                        value = mapping.get(str(value), default)
            elif split is not None:
                value = [v for v in (clean_text(x) for x in raw.split(split)) if v]
            elif mapping is not None:
                value = mapping.get(clean_text(raw), default)
            else:
                value = clean_text(raw) or None
            if then:
                value = transform(then, value)
            if fmt is not None and not _empty(value):
                value = fmt.format(value)
        if value is None or value == "" or value == []:
            value = default
            if required and _empty(value):
                raise fail(raw, parsed)
        return value

    return value_from


def compiled(spec: ValueSpec) -> ValueFn:
    """The closure of ``spec`` (compiled on first use, then kept on the frozen spec)."""
    fn: ValueFn | None = spec.__dict__.get("_compiled")
    if fn is None:
        fn = spec.__dict__["_compiled"] = _compile(spec)
    return fn


def prop_value_fn(specs: tuple[ValueSpec, ...]) -> ValueFn:
    """:meth:`ingest.mapping.evaluate.Evaluator.prop` of ``specs`` as one closure ``fn(ev, ctxs, fieldname)``
    (a single spec's own closure, so a property costs one call)."""
    if len(specs) == 1:
        return compiled(specs[0])
    fns = [compiled(s) for s in specs]

    def union(ev: Evaluator, ctxs: Ctx, fieldname: str) -> Any:
        out: list[Any] = []
        for fn in fns:
            v = fn(ev, ctxs, fieldname)
            for item in v if isinstance(v, list) else [v]:
                if not (item is None or item == "" or item == []) and item not in out:
                    out.append(item)
        return out or None

    return union


def prop_fn(specs: tuple[ValueSpec, ...], fieldname: str) -> PropFn:
    """:meth:`ingest.mapping.evaluate.Evaluator.prop` of ``specs`` for ``fieldname`` as one closure."""
    fn = prop_value_fn(specs)
    return lambda ev, ctxs: fn(ev, ctxs, fieldname)


Template = Callable[[Any, Any], "str | None"]
_TEMPLATES: dict[str, Template] = {}


def _compile_template(template: str) -> Template:
    pieces: list[str] = []
    names: list[str] = []
    last = 0
    for match in _FIELD.finditer(template):
        pieces.append(template[last:match.start()])
        names.append(match.group(1))
        last = match.end()
    tail = template[last:]
    if not names:
        return lambda parsed, item: template
    if len(names) == 1 and "." not in names[0]:  # "{value}", "thai_id:{value}": one plain placeholder
        head, name = pieces[0], names[0]
        is_value = name in ("value", "item")

        def render_one(parsed: Any, item: Any) -> str | None:
            source = item if item is not None else parsed
            if isinstance(source, str):
                value: Any = source if is_value else None
            else:
                value = getattr(source, name, None)
                if isinstance(value, tuple):
                    value = list(value)
            if value is None or value == "":
                return None
            return f"{head}{value}{tail}"

        return render_one

    def render(parsed: Any, item: Any) -> str | None:
        source = item if item is not None else parsed
        is_text = isinstance(source, str)
        out = []
        for piece, name in zip(pieces, names, strict=True):
            if is_text:
                value: Any = source if name in ("value", "item") else None
            elif "." in name:
                value = attr_of(source, name)
            else:  # attr_of of a plain name, inlined
                value = getattr(source, name, None)
                if isinstance(value, tuple):
                    value = list(value)
            if value is None or value == "":
                return None
            out.append(piece)
            out.append(str(value))
        out.append(tail)
        return "".join(out)

    return render


def compiled_template(template: str) -> Template:
    """:func:`ingest.mapping.values.render` of ``template`` as a closure ``fn(parsed, item)``."""
    fn = _TEMPLATES.get(template)
    if fn is None:
        fn = _TEMPLATES[template] = _compile_template(template)
    return fn
