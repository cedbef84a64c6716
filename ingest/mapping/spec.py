"""The mapping DSL: parse one ``ingest/mappings/<export>.yaml`` into frozen specs.

A *value spec* says where one value comes from: ``column`` (or ``columns`` joined by ``join``), a value
``type`` from :data:`ingest.types.TYPES`, the ``attr`` of the parsed dataclass to take (default ``value``),
``hint`` (a column passed as second argument, e.g. the document type) or ``hint_value`` (a constant
second argument, e.g. ``court_black`` for a case number), ``map`` (cell text → value),
``then`` (transforms: ``epoch``, ``int``, ``float``, ``upper``, ``lower``, ``list``, ``nonempty``,
``noid`` (drop values that look like ID numbers)), ``format`` (``"AMLO:{}"``), ``where``
(attribute conditions on the parsed value), ``required`` (quarantine the row when no value) or ``const``;
``template`` (``"หมู่ {moo} ต.{tambon}"``) builds the cell text from several columns;
``split`` (``";"``) cuts a cell into a list of cleaned values (without a ``type``).
A plain string is shorthand for ``{column: <string>}``; a list of specs unions their values into a list.

Examples
--------
>>> v = value_spec("m", {"column": "วันเกิด", "type": "date_be", "attr": "year"})
>>> v.columns, v.type, v.attr
(('วันเกิด',), 'date_be', 'year')
>>> value_spec("m", "สถานี").columns
('สถานี',)
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

__all__ = ["TRANSFORMS", "LinkSpec", "MappingError", "PartSpec", "TargetSpec", "ValueSpec", "value_spec"]

TRANSFORMS = ("epoch", "int", "float", "upper", "lower", "list", "nonempty", "noid")


_PLACEHOLDER = re.compile(r"\{([^{}]+)\}")


class MappingError(ValueError):
    """A mapping file does not fit the DSL or the schema; the message names the file and the place."""


@dataclass(frozen=True)
class ValueSpec:
    """Where one value comes from in a row (see the module docstring)."""

    columns: tuple[str, ...] = ()
    type: str | None = None
    attr: str = "value"
    join: str = " "
    hint: str | None = None
    hint_value: str | None = None
    map: dict[str, Any] | None = None
    then: tuple[str, ...] = ()
    where: dict[str, tuple[Any, ...]] = field(default_factory=dict)
    required: bool = False
    const: Any = None
    has_const: bool = False
    default: Any = None
    format: str | None = None
    template: str | None = None
    split: str | None = None


@dataclass(frozen=True)
class TargetSpec:
    """An identifier entity at the far end of a link, keyed by its normalised value.

    ``source`` is parsed once; ``each`` names an attribute of the parsed value to iterate (one link per
    item); ``key`` and ``props`` are templates (``"{kind}:{value}"``) over the parsed value or item's
    attributes, or ``{attr: name}`` for a non-string attribute.
    """

    entity: str
    source: ValueSpec
    key: str = "{value}"
    each: str | None = None
    props: dict[str, Any] = field(default_factory=dict)
    where: dict[str, tuple[Any, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class PartSpec:
    """One part of a row naming one entity (``person``, ``case``, ``suspect`` repeated as ``suspect:N``)."""

    name: str
    entity: str
    props: dict[str, tuple[ValueSpec, ...]] = field(default_factory=dict)
    key: ValueSpec | None = None
    each: str | None = None
    within: str | None = None
    when: ValueSpec | None = None
    entity_rules: tuple[dict[str, Any], ...] = ()
    props_by_entity: dict[str, dict[str, tuple[ValueSpec, ...]]] = field(default_factory=dict)


@dataclass(frozen=True)
class LinkSpec:
    """A relationship from one part to another part (``to``) or to an identifier entity (``target``)."""

    source: str
    rel: str
    to: str | None = None
    target: TargetSpec | None = None
    props: dict[str, tuple[ValueSpec, ...]] = field(default_factory=dict)
    discriminator: ValueSpec | None = None
    reverse: bool = False
    when: ValueSpec | None = None
    unless: ValueSpec | None = None


_VALUE_KEYS = {"column", "columns", "type", "attr", "join", "hint", "hint_value", "map", "then", "where", "required",
               "const", "default", "format", "template", "split"}


def _where(where: Any, owner: str) -> dict[str, tuple[Any, ...]]:
    if where is None:
        return {}
    if not isinstance(where, dict):
        raise MappingError(f"{owner}: 'where' must map attributes to allowed values")
    return {str(k): tuple(v) if isinstance(v, list) else (v,) for k, v in where.items()}


def value_spec(owner: str, body: Any) -> ValueSpec:
    """Parse one value spec (a column name or a dict); raise :class:`MappingError` naming ``owner``."""
    if isinstance(body, str):
        return ValueSpec(columns=(body,))
    if not isinstance(body, dict):
        raise MappingError(f"{owner}: expected a column name or a value spec, got {body!r}")
    unknown = set(body) - _VALUE_KEYS
    if unknown:
        raise MappingError(f"{owner}: unknown keys {sorted(unknown)}; allowed: {sorted(_VALUE_KEYS)}")
    if sum(k in body for k in ("column", "columns", "template")) > 1:
        raise MappingError(f"{owner}: give one of 'column', 'columns' or 'template'")
    template = body.get("template")
    if template is not None:
        columns: tuple[str, ...] = tuple(_PLACEHOLDER.findall(str(template)))
    else:
        columns = (body["column"],) if "column" in body else tuple(body.get("columns") or ())
    has_const = "const" in body
    if not columns and not has_const:
        raise MappingError(f"{owner}: a value spec needs 'column', 'columns', 'template' or 'const'")
    then = body.get("then") or ()
    then = (then,) if isinstance(then, str) else tuple(then)
    for t in then:
        if t not in TRANSFORMS:
            raise MappingError(f"{owner}: unknown transform {t!r}; known: {list(TRANSFORMS)}")
    mapping = body.get("map")
    if mapping is not None and not isinstance(mapping, dict):
        raise MappingError(f"{owner}: 'map' must be a dict of cell text to value")
    return ValueSpec(
        columns=tuple(str(c) for c in columns),
        type=body.get("type"),
        attr=str(body.get("attr", "value")),
        join=str(body.get("join", " ")),
        hint=body.get("hint"),
        hint_value=body.get("hint_value"),
        map={str(k): v for k, v in mapping.items()} if mapping else None,
        then=then,
        where=_where(body.get("where"), owner),
        required=bool(body.get("required", False)),
        const=body.get("const"),
        has_const=has_const,
        default=body.get("default"),
        format=body.get("format"),
        template=str(template) if template is not None else None,
        split=body.get("split"),
    )


def prop_specs(owner: str, body: Any) -> dict[str, tuple[ValueSpec, ...]]:
    """Parse a ``props`` block: property name → one value spec or a list of them."""
    if body is None:
        return {}
    if not isinstance(body, dict):
        raise MappingError(f"{owner}: 'props' must map property names to value specs")
    out: dict[str, tuple[ValueSpec, ...]] = {}
    for name, spec in body.items():
        items = spec if isinstance(spec, list) else [spec]
        out[str(name)] = tuple(value_spec(f"{owner}.{name}", s) for s in items)
    return out


def target_spec(owner: str, body: dict[str, Any]) -> TargetSpec:
    """Parse an identifier ``target`` block of a link."""
    allowed = {"entity", "key", "each", "props", "where", *_VALUE_KEYS}
    unknown = set(body) - allowed
    if unknown:
        raise MappingError(f"{owner}: unknown keys {sorted(unknown)} in target")
    if "entity" not in body:
        raise MappingError(f"{owner}: a target needs 'entity'")
    source = {k: v for k, v in body.items() if k in _VALUE_KEYS and k != "where"}
    props = body.get("props") or {}
    if not isinstance(props, dict):
        raise MappingError(f"{owner}: target 'props' must be a dict")
    return TargetSpec(
        entity=str(body["entity"]),
        source=value_spec(owner, source),
        key=str(body.get("key", "{value}")),
        each=body.get("each"),
        props=dict(props),
        where=_where(body.get("where"), owner),
    )
