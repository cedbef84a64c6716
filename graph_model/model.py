"""The declared graph model: node and relationship types loaded from ``graph_model/schema/*.yaml``.

The YAML files are the single source of truth; stores create constraints and indexes from them and
validate every write against them.

Examples
--------
>>> schema = load_schema()
>>> "Person" in schema.nodes and "TRANSFER" in schema.relationships
True
>>> schema.relationships["TRANSFER"].sources
('Account',)
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

__all__ = [
    "PROVENANCE_PROPERTIES",
    "NodeType",
    "PropertySpec",
    "RelType",
    "Schema",
    "SchemaError",
    "load_schema",
]

SCHEMA_DIR = Path(__file__).with_name("schema")
PROVENANCE_PROPERTIES = ("id", "sources", "agencies", "first_seen", "last_seen")
SCALAR_TYPES = ("string", "integer", "float", "boolean", "date", "datetime")


class SchemaError(ValueError):
    """A write or a schema file does not fit the declared model; the message names what and where."""


@dataclass(frozen=True)
class PropertySpec:
    """One declared property: its name, scalar type, whether it is a list, and allowed values."""

    name: str
    type: str
    is_list: bool = False
    required: bool = False
    enum: tuple[str, ...] = ()
    description: str = ""

    def check(self, owner: str, value: Any) -> None:
        """Raise :class:`SchemaError` when ``value`` does not fit this property."""
        if value is None:
            return
        if self.is_list:
            if not isinstance(value, list | tuple):
                raise SchemaError(f"{owner}.{self.name}: expected a list of {self.type}, got {value!r}")
            for item in value:
                self._check_scalar(owner, item)
        else:
            self._check_scalar(owner, value)

    def _check_scalar(self, owner: str, value: Any) -> None:
        ok: bool
        if self.type in ("string", "date", "datetime"):
            ok = isinstance(value, str)
            if ok and self.type == "date":
                ok = _is_iso_date(value)
            elif ok and self.type == "datetime":
                ok = _is_iso_datetime(value)
        elif self.type == "integer":
            ok = isinstance(value, int) and not isinstance(value, bool)
        elif self.type == "float":
            ok = isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
        elif self.type == "boolean":
            ok = isinstance(value, bool)
        else:  # pragma: no cover - load_schema refuses unknown types
            ok = False
        if not ok:
            raise SchemaError(f"{owner}.{self.name}: expected {self.type}, got {value!r}")
        if self.enum and value not in self.enum:
            raise SchemaError(f"{owner}.{self.name}: {value!r} is not one of {list(self.enum)}")


def _is_iso_date(value: str) -> bool:
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return len(value) == 10


def _is_iso_datetime(value: str) -> bool:
    try:
        datetime.fromisoformat(value)
    except ValueError:
        return False
    return True


@dataclass(frozen=True)
class NodeType:
    """A declared node type (``Person``, ``Account``, ...)."""

    name: str
    label_en: str
    label_th: str
    description: str
    id_prefix: str
    properties: dict[str, PropertySpec]
    key: str | None = None
    fulltext: tuple[str, ...] = ()
    indexes: tuple[str, ...] = ()


@dataclass(frozen=True)
class RelType:
    """A declared relationship type with the node types it may join."""

    name: str
    label_en: str
    label_th: str
    description: str
    sources: tuple[str, ...]
    targets: tuple[str, ...]
    properties: dict[str, PropertySpec]
    date_property: str | None = None
    indexes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Schema:
    """All node and relationship types, plus the provenance properties every element carries."""

    nodes: dict[str, NodeType]
    relationships: dict[str, RelType]
    common: dict[str, PropertySpec] = field(default_factory=dict)

    def node_type(self, name: str) -> NodeType:
        """Return the node type called ``name`` or raise :class:`SchemaError` naming it."""
        try:
            return self.nodes[name]
        except KeyError:
            raise SchemaError(f"unknown node type {name!r}; known: {sorted(self.nodes)}") from None

    def rel_type(self, name: str) -> RelType:
        """Return the relationship type called ``name`` or raise :class:`SchemaError` naming it."""
        try:
            return self.relationships[name]
        except KeyError:
            raise SchemaError(
                f"unknown relationship type {name!r}; known: {sorted(self.relationships)}"
            ) from None

    def check_node(self, type_name: str, node_id: str, props: dict[str, Any]) -> None:
        """Validate one node's properties; raise :class:`SchemaError` naming type, id and property."""
        nt = self.node_type(type_name)
        _check_props(f"{type_name}[{node_id}]", nt.properties, props)

    def check_relationship(self, type_name: str, source_type: str, target_type: str, props: dict[str, Any]) -> None:
        """Validate one relationship's ends and properties."""
        rt = self.rel_type(type_name)
        if source_type not in rt.sources:
            raise SchemaError(f"{type_name}: source must be one of {list(rt.sources)}, got {source_type}")
        if target_type not in rt.targets:
            raise SchemaError(f"{type_name}: target must be one of {list(rt.targets)}, got {target_type}")
        _check_props(type_name, rt.properties, props)


def _check_props(owner: str, specs: dict[str, PropertySpec], props: dict[str, Any]) -> None:
    for name, value in props.items():
        spec = specs.get(name)
        if spec is None:
            if name in PROVENANCE_PROPERTIES:
                raise SchemaError(f"{owner}.{name}: provenance properties are set by the store, not by callers")
            raise SchemaError(f"{owner}: unknown property {name!r}; declared: {sorted(specs)}")
        spec.check(owner, value)
    for name, spec in specs.items():
        if spec.required and props.get(name) is None:
            raise SchemaError(f"{owner}: required property {name!r} is missing")


def _parse_props(owner: str, raw: dict[str, Any] | None) -> dict[str, PropertySpec]:
    specs: dict[str, PropertySpec] = {}
    for name, body in (raw or {}).items():
        body = body or {}
        type_text = str(body.get("type", "string"))
        is_list = type_text.endswith("[]")
        scalar = type_text.removesuffix("[]")
        if scalar not in SCALAR_TYPES:
            raise SchemaError(f"{owner}.{name}: unknown property type {type_text!r}")
        specs[name] = PropertySpec(
            name=name,
            type=scalar,
            is_list=is_list,
            required=bool(body.get("required", False)),
            enum=tuple(str(v) for v in body.get("enum", ()) or ()),
            description=str(body.get("description", "")),
        )
    return specs


def _as_tuple(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return tuple(v.strip() for v in value.split(",") if v.strip())
    return tuple(str(v) for v in value)


@lru_cache(maxsize=4)
def load_schema(directory: Path | None = None) -> Schema:
    """Load and cross-check every schema file in ``directory`` (default: the package's own)."""
    directory = directory or SCHEMA_DIR
    nodes: dict[str, NodeType] = {}
    rels: dict[str, RelType] = {}
    common: dict[str, PropertySpec] = {}
    for path in sorted(directory.glob("*.yaml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        name = doc.get("name")
        kind = doc.get("kind")
        if name != path.stem:
            raise SchemaError(f"{path.name}: name {name!r} must equal the file name")
        label = doc.get("label") or {}
        props = _parse_props(name, doc.get("properties"))
        if kind == "common":
            common = props
        elif kind == "node":
            nodes[name] = NodeType(
                name=name,
                label_en=label.get("en", name),
                label_th=label.get("th", name),
                description=doc.get("description", ""),
                id_prefix=doc.get("id_prefix", name.lower()[:3]),
                properties=props,
                key=doc.get("key"),
                fulltext=_as_tuple(doc.get("fulltext")),
                indexes=_as_tuple(doc.get("indexes")),
            )
        elif kind == "relationship":
            edge = doc.get("edge") or {}
            if edge.get("label", name) != name:
                raise SchemaError(f"{path.name}: edge label must equal the type name")
            rels[name] = RelType(
                name=name,
                label_en=label.get("en", name),
                label_th=label.get("th", name),
                description=doc.get("description", ""),
                sources=_as_tuple(edge.get("source")),
                targets=_as_tuple(edge.get("target")),
                properties=props,
                date_property=doc.get("date_property"),
                indexes=_as_tuple(doc.get("indexes")),
            )
        else:
            raise SchemaError(f"{path.name}: kind must be node, relationship or common, got {kind!r}")
    for rt in rels.values():
        for end in rt.sources + rt.targets:
            if end not in nodes:
                raise SchemaError(f"{rt.name}.yaml: edge names unknown node type {end!r}")
    for nt in nodes.values():
        for prop in nt.fulltext + nt.indexes:
            if prop not in nt.properties:
                raise SchemaError(f"{nt.name}.yaml: index on undeclared property {prop!r}")
    return Schema(nodes=nodes, relationships=rels, common=common)
