"""One reading of :class:`~graph_model.store.base.TraversalFilter`, as Python predicates (memory
store) and as Cypher predicates with parameters (Neo4j store), so both stores filter identically.

Rules (shared):

- a node passes when its type is allowed and (if ``agencies`` is set) one of its agencies is allowed;
  seeds, path sources and path targets are always allowed;
- a relationship passes when its type is allowed, one of its agencies is allowed (if set) and, when a
  date range is given and its type declares a ``date_property`` that is set on it, the first ten
  characters of that value (the local date of a ``+07:00`` datetime) fall within ``[date_from, date_to]``;
  undated relationships (no date property declared, or none recorded) pass.

Examples
--------
>>> from graph_model.model import load_schema
>>> f = FilterLogic(load_schema(), TraversalFilter(date_from="2026-01-01"))
>>> f.rel_ok("TRANSFER", {"at": "2026-03-01T10:00:00+07:00", "agencies": []})
True
>>> f.rel_ok("TRANSFER", {"at": "2025-12-31T23:59:00+07:00", "agencies": []})
False
>>> f.rel_ok("HAS_PHONE", {"agencies": []}), f.rel_ok("HOLDS_ACCOUNT", {"agencies": []})
(True, True)
"""

from __future__ import annotations

from typing import Any

from graph_model.model import Schema
from graph_model.store.base import TraversalFilter

__all__ = ["FilterLogic"]


class FilterLogic:
    """A filter bound to the schema (which relationship types carry which date property)."""

    def __init__(self, schema: Schema, flt: TraversalFilter | None) -> None:
        self.flt = flt or TraversalFilter()
        self.date_props = {
            name: rt.date_property for name, rt in schema.relationships.items() if rt.date_property
        }
        f = self.flt
        self.dated = f.date_from is not None or f.date_to is not None
        self.trivial_nodes = f.node_types is None and f.agencies is None
        self.trivial_rels = f.rel_types is None and f.agencies is None and not self.dated

    # -- Python ---------------------------------------------------------------------------------
    def node_ok(self, attrs: dict[str, Any]) -> bool:
        """Whether a node (its networkx attributes) passes."""
        f = self.flt
        if f.node_types is not None and attrs.get("type") not in f.node_types:
            return False
        return f.agencies is None or any(a in f.agencies for a in attrs.get("agencies") or ())

    def rel_ok(self, rel_type: str, attrs: dict[str, Any]) -> bool:
        """Whether a relationship of ``rel_type`` with ``attrs`` passes."""
        f = self.flt
        if f.rel_types is not None and rel_type not in f.rel_types:
            return False
        if f.agencies is not None and not any(a in f.agencies for a in attrs.get("agencies") or ()):
            return False
        if self.dated:
            prop = self.date_props.get(rel_type)
            if prop is not None:
                value = attrs.get(prop)
                if value is None:
                    return True
                day = value[:10]
                if f.date_from is not None and day < f.date_from:
                    return False
                if f.date_to is not None and day > f.date_to:
                    return False
        return True

    # -- Cypher ---------------------------------------------------------------------------------
    def params(self) -> dict[str, Any]:
        """Parameters used by :meth:`cypher_node` and :meth:`cypher_rel`."""
        f = self.flt
        return {
            "f_node_types": sorted(f.node_types) if f.node_types is not None else None,
            "f_rel_types": sorted(f.rel_types) if f.rel_types is not None else None,
            "f_agencies": sorted(f.agencies) if f.agencies is not None else None,
            "f_date_from": f.date_from,
            "f_date_to": f.date_to,
        }

    def cypher_node(self, var: str) -> str:
        """A Cypher predicate on node variable ``var`` (``true`` when unfiltered)."""
        parts = []
        if self.flt.node_types is not None:
            parts.append(f"any(l IN labels({var}) WHERE l IN $f_node_types)")
        if self.flt.agencies is not None:
            parts.append(f"any(a IN coalesce({var}.agencies, []) WHERE a IN $f_agencies)")
        return " AND ".join(parts) or "true"

    def cypher_rel(self, var: str) -> str:
        """A Cypher predicate on relationship variable ``var`` (``true`` when unfiltered)."""
        parts = []
        if self.flt.rel_types is not None:
            parts.append(f"type({var}) IN $f_rel_types")
        if self.flt.agencies is not None:
            parts.append(f"any(a IN coalesce({var}.agencies, []) WHERE a IN $f_agencies)")
        if self.dated:
            # Property names come from the schema (identifiers), never from callers.
            cases = " ".join(f"WHEN '{t}' THEN {var}.`{p}`" for t, p in sorted(self.date_props.items()))
            day = f"substring(CASE type({var}) {cases} ELSE null END, 0, 10)"
            dated_types = ", ".join(f"'{t}'" for t in sorted(self.date_props))
            parts.append(
                f"(NOT type({var}) IN [{dated_types}] OR {day} IS NULL"
                f" OR (($f_date_from IS NULL OR {day} >= $f_date_from)"
                f" AND ($f_date_to IS NULL OR {day} <= $f_date_to)))"
            )
        return " AND ".join(parts) or "true"
