"""Fast, precompiled validation of write batches against the declared schema (shared by every store).

:class:`BatchValidator` turns each declared type into a table of small per-property check functions
once, so that validating a batch costs a dict lookup and one call per property value. Errors are the
same :class:`~graph_model.model.SchemaError` the schema raises, naming type, id and property.

Examples
--------
>>> from graph_model.model import load_schema
>>> v = BatchValidator(load_schema())
>>> v.check_node_props("Person", "per:1", {"names": ["สมชาย ใจดี"], "birth_year": 1980})
>>> v.check_node_props("Person", "per:1", {"birth_year": "1980"})
Traceback (most recent call last):
...
graph_model.model.SchemaError: Person[per:1].birth_year: expected integer, got '1980'
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any

from graph_model.model import PROVENANCE_PROPERTIES, PropertySpec, Schema, SchemaError
from graph_model.store._fast_check import fast_check
from graph_model.store.base import NodeRecord, Provenance, RelRecord

__all__ = ["BatchValidator"]

Checker = Callable[[Any], bool]


def _is_str(v: Any) -> bool:
    return isinstance(v, str)


def _is_int(v: Any) -> bool:
    return type(v) is int or (isinstance(v, int) and not isinstance(v, bool))


def _is_float(v: Any) -> bool:
    return (type(v) is float or (isinstance(v, int | float) and not isinstance(v, bool))) and math.isfinite(v)


def _is_bool(v: Any) -> bool:
    return isinstance(v, bool)


def _is_date(v: Any) -> bool:
    if not isinstance(v, str) or len(v) != 10:
        return False
    try:
        date.fromisoformat(v)
    except ValueError:
        return False
    return True


def _is_datetime(v: Any) -> bool:
    if not isinstance(v, str):
        return False
    try:
        datetime.fromisoformat(v)
    except ValueError:
        return False
    return True


_SCALAR: dict[str, Checker] = {
    "string": _is_str,
    "integer": _is_int,
    "float": _is_float,
    "boolean": _is_bool,
    "date": _is_date,
    "datetime": _is_datetime,
}


def _compile(spec: PropertySpec) -> Checker:
    scalar = _SCALAR[spec.type]
    enum = frozenset(spec.enum)
    one: Checker = (lambda v: scalar(v) and v in enum) if enum else scalar
    if not spec.is_list:
        return one
    return lambda v: isinstance(v, list | tuple) and all(one(x) for x in v)


def _explain(owner: str, spec: PropertySpec, value: Any) -> SchemaError:
    """Reuse the schema's own wording for the error (only called on the failure path)."""
    try:
        spec.check(owner, value)
    except SchemaError as exc:
        return exc
    return SchemaError(f"{owner}.{spec.name}: invalid value {value!r}")  # pragma: no cover


class _TypeChecker:
    """Per-type table of property checkers plus the required property names."""

    def __init__(self, specs: dict[str, PropertySpec]) -> None:
        self.specs = specs
        self.checkers = {name: _compile(spec) for name, spec in specs.items()}
        self.required = tuple(name for name, spec in specs.items() if spec.required)
        # The fast path: True when every property fits (no message is built); False sends the record
        # to :meth:`check`, which has the last word.
        self.ok = fast_check(specs, self.checkers)

    def check(self, owner: str, props: dict[str, Any]) -> None:
        """Raise :class:`SchemaError` naming ``owner`` and the first property that does not fit."""
        for name, value in props.items():
            check = self.checkers.get(name)
            if check is None:
                if name in PROVENANCE_PROPERTIES:
                    raise SchemaError(
                        f"{owner}.{name}: provenance properties are set by the store, not by callers"
                    )
                raise SchemaError(f"{owner}: unknown property {name!r}; declared: {sorted(self.specs)}")
            if value is not None and not check(value):
                raise _explain(owner, self.specs[name], value)
        for name in self.required:
            if props.get(name) is None:
                raise SchemaError(f"{owner}: required property {name!r} is missing")


_GOOD_DATES: set[str] = set()  # seen dates repeat a lot; remember the valid ones


def _sources_ok(sources: Sequence[Provenance]) -> bool:
    for src in sources:
        if type(src) is not Provenance or "|" in src.agency or "|" in src.record_id:
            return False
        if src.seen not in _GOOD_DATES:
            if not _is_date(src.seen):
                return False
            if len(_GOOD_DATES) < 100_000:
                _GOOD_DATES.add(src.seen)
    return True


def _check_sources(owner: str, sources: Sequence[Provenance]) -> None:
    for src in sources:
        if not isinstance(src, Provenance):
            raise SchemaError(f"{owner}: sources must be Provenance records, got {src!r}")
        if not _is_date(src.seen):
            raise SchemaError(f"{owner}: source seen date must be YYYY-MM-DD, got {src.seen!r}")
        if "|" in src.agency or "|" in src.record_id:
            raise SchemaError(f"{owner}: agency and record id must not contain '|': {src!r}")


class BatchValidator:
    """Validate node and relationship records of a whole batch before anything is written."""

    def __init__(self, schema: Schema) -> None:
        self.schema = schema
        self.nodes = {name: _TypeChecker(nt.properties) for name, nt in schema.nodes.items()}
        self.rels = {name: _TypeChecker(rt.properties) for name, rt in schema.relationships.items()}
        self.rel_ends = {
            name: (frozenset(rt.sources), frozenset(rt.targets)) for name, rt in schema.relationships.items()
        }
        self._rel_fast = {name: (self.rels[name].ok, *ends) for name, ends in self.rel_ends.items()}

    def check_node_props(self, type_name: str, node_id: str, props: dict[str, Any]) -> None:
        """Validate one node's type and properties."""
        checker = self.nodes.get(type_name)
        if checker is None:
            raise SchemaError(
                f"unknown node type {type_name!r} (node {node_id!r}); known: {sorted(self.nodes)}"
            )
        checker.check(f"{type_name}[{node_id}]", props)

    def check_nodes(self, nodes: Sequence[NodeRecord]) -> None:
        """Validate every node record of a batch (type, id, properties, sources)."""
        checkers = self.nodes
        for rec in nodes:
            checker = checkers.get(rec.type)
            if (
                checker is not None
                and type(rec.id) is str
                and rec.id
                and checker.ok(rec.props)
                and (not rec.sources or _sources_ok(rec.sources))
            ):
                continue
            if not isinstance(rec.id, str) or not rec.id:
                raise SchemaError(f"{rec.type}: node id must be a non-empty string, got {rec.id!r}")
            self.check_node_props(rec.type, rec.id, rec.props)
            _check_sources(f"{rec.type}[{rec.id}]", rec.sources)

    def check_rel_props(self, rels: Sequence[RelRecord]) -> None:
        """Validate relationship types, properties and sources, but not their ends."""
        checkers = self.rels
        for rec in rels:
            checker = checkers.get(rec.type)
            if (
                checker is not None
                and checker.ok(rec.props)
                and (not rec.sources or _sources_ok(rec.sources))
            ):
                continue
            if checker is None:
                raise SchemaError(
                    f"unknown relationship type {rec.type!r} ({rec.source} -> {rec.target}); "
                    f"known: {sorted(self.rels)}"
                )
            owner = f"{rec.type}[{rec.source} -> {rec.target}]"
            checker.check(owner, rec.props)
            _check_sources(owner, rec.sources)

    def check_rels(self, rels: Sequence[RelRecord], type_of: Callable[[str], str | None]) -> None:
        """Validate relationship records; ``type_of(id)`` gives an existing node's type or None."""
        fast, good_dates = self._rel_fast, _GOOD_DATES
        for rec in rels:
            entry = fast.get(rec.type)
            if entry is not None:
                ok, sources, targets = entry
                srcs = rec.sources
                if (
                    type_of(rec.source) in sources
                    and type_of(rec.target) in targets
                    and ok(rec.props)
                    and (
                        not srcs
                        or (
                            len(srcs) == 1
                            and type(srcs[0]) is Provenance
                            and srcs[0].seen in good_dates
                            and "|" not in srcs[0].agency
                            and "|" not in srcs[0].record_id
                        )
                        or _sources_ok(srcs)
                    )
                ):
                    continue
            checker = self.rels.get(rec.type)
            if checker is None:
                raise SchemaError(
                    f"unknown relationship type {rec.type!r} ({rec.source} -> {rec.target}); "
                    f"known: {sorted(self.rels)}"
                )
            owner = f"{rec.type}[{rec.source} -> {rec.target}]"
            sources, targets = self.rel_ends[rec.type]
            source_type = type_of(rec.source)
            if source_type is None:
                raise SchemaError(f"{owner}: source node {rec.source!r} does not exist")
            target_type = type_of(rec.target)
            if target_type is None:
                raise SchemaError(f"{owner}: target node {rec.target!r} does not exist")
            if source_type not in sources:
                raise SchemaError(f"{owner}: source must be one of {sorted(sources)}, got {source_type}")
            if target_type not in targets:
                raise SchemaError(f"{owner}: target must be one of {sorted(targets)}, got {target_type}")
            checker.check(owner, rec.props)
            _check_sources(owner, rec.sources)
