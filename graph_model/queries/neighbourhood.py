"""Who is around an entity: expansion with filters (node types, relationship types, roles in cases, date
range, agencies) and paging for hubs, built on ``GraphStore.neighbourhood`` so both stores agree.

>>> from graph_model.queries._common import tiny_graph
>>> [n.id for n in expand(tiny_graph(), ["per:a"], hops=2).nodes]
['acc:1', 'acc:2', 'per:a', 'per:b', 'tel:1']
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from graph_model.queries._common import parse_sources, rel_date, store_of
from graph_model.store.base import Subgraph, TraversalFilter

__all__ = ["NeighbourPage", "expand", "neighbours", "traversal_filter"]


def _set(values: Iterable[str] | None) -> frozenset[str] | None:
    return frozenset(values) if values is not None else None


def traversal_filter(
    types: Iterable[str] | None = None,
    rel_types: Iterable[str] | None = None,
    agencies: Iterable[str] | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
) -> TraversalFilter:
    """A store filter from plain arguments (None = no restriction).

    >>> traversal_filter(types=["Person"]).node_types
    frozenset({'Person'})
    """
    return TraversalFilter(_set(types), _set(rel_types), _set(agencies), date_from, date_to)


def _keep_roles(sub: Subgraph, seeds: Sequence[str], roles: Iterable[str]) -> Subgraph:
    """Drop ROLE_IN relationships with other roles, then nodes no longer connected to a seed."""
    allowed = set(roles)
    rels = [r for r in sub.relationships if r.type != "ROLE_IN" or r.props.get("role") in allowed]
    adj: dict[str, set[str]] = {}
    for r in rels:
        adj.setdefault(r.source, set()).add(r.target)
        adj.setdefault(r.target, set()).add(r.source)
    seen = {s for s in seeds if any(n.id == s for n in sub.nodes)}
    todo = list(seen)
    while todo:
        for nb in adj.get(todo.pop(), ()):
            if nb not in seen:
                seen.add(nb)
                todo.append(nb)
    return Subgraph([n for n in sub.nodes if n.id in seen],
                    [r for r in rels if r.source in seen and r.target in seen], sub.truncated)


def expand(
    store_or_graph: Any,
    seeds: Sequence[str],
    hops: int = 1,
    types: Iterable[str] | None = None,
    rel_types: Iterable[str] | None = None,
    roles: Iterable[str] | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
    agencies: Iterable[str] | None = None,
    limit_per_node: int = 50,
    offset: int = 0,
) -> Subgraph:
    """Nodes within ``hops`` of the seeds and the relationships followed.

    ``roles`` keeps only ROLE_IN relationships with those roles (e.g. ``["suspect", "defendant"]``);
    each node's neighbours are taken in id order, ``limit_per_node`` from ``offset``, and hubs cut
    short are listed in ``truncated`` with their full degree.

    >>> from graph_model.queries._common import tiny_graph
    >>> sub = expand(tiny_graph(), ["tel:1"], types=["Person", "Phone"], limit_per_node=1)
    >>> [n.id for n in sub.nodes], sub.truncated
    (['per:a', 'tel:1'], {'tel:1': 2})
    """
    flt = traversal_filter(types, rel_types, agencies, date_from, date_to)
    sub = store_of(store_or_graph).neighbourhood(list(seeds), hops, flt, limit_per_node, offset)
    return _keep_roles(sub, seeds, roles) if roles is not None else sub


@dataclass
class NeighbourPage:
    """One page of an entity's direct neighbours; ``total`` is the number of neighbours in all pages."""

    entity_id: str
    total: int
    offset: int
    items: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-able form."""
        return asdict(self)


def neighbours(
    store_or_graph: Any,
    entity_id: str,
    types: Iterable[str] | None = None,
    rel_types: Iterable[str] | None = None,
    roles: Iterable[str] | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
    agencies: Iterable[str] | None = None,
    limit: int = 50,
    offset: int = 0,
) -> NeighbourPage:
    """A page of direct neighbours in id order, each with its type, label and the relationships joining
    it to the entity (type, direction, role, date, sources).

    >>> from graph_model.queries._common import tiny_graph
    >>> page = neighbours(tiny_graph(), "tel:1", limit=1, offset=1)
    >>> page.total, [i["id"] for i in page.items], page.items[0]["relationships"][0]["type"]
    (2, ['per:b'], 'HAS_PHONE')
    """
    sub = expand(store_or_graph, [entity_id], 1, types, rel_types, roles, date_from, date_to, agencies,
                 limit, offset)
    by_id = {n.id: n for n in sub.nodes}
    items = []
    for nid in sorted(by_id):
        if nid == entity_id:
            continue
        node = by_id[nid]
        rels = [r for r in sub.relationships if {r.source, r.target} == {entity_id, nid}]
        names = node.props.get("names") or [node.props.get("number") or node.props.get("case_no") or nid]
        items.append({
            "id": nid, "type": node.type, "label": str(names[0] if isinstance(names, list) else names),
            "relationships": [{"id": r.id, "type": r.type, "forward": r.source == entity_id,
                               "role": r.props.get("role"), "date": rel_date(r.props),
                               "sources": parse_sources(r.props.get("sources"))} for r in rels],
        })
    total = sub.truncated.get(entity_id, offset + len(items))
    return NeighbourPage(entity_id, total, offset, items)
