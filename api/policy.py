"""Roles and compartments: the one filtering layer every graph answer passes through.

A :class:`Clearance` says what a user may see; :meth:`Clearance.subgraph`, :meth:`Clearance.node` and
:meth:`Clearance.paths` apply it to store answers, and :meth:`Clearance.traversal` narrows a traversal so
that it never walks through what the user may not see.

Compartments
------------
- **victims**: elements asserted only by MSDHS or RLPD, ``ROLE_IN`` with role victim or claimant, and the
  MSDHS/RLPD entries of every ``sources`` list. Seen by the roles in ``Settings.victim_roles``.
- **finance**: ``Account`` nodes, ``TRANSFER`` relationships, elements asserted only by AMLO and AMLO
  entries of ``sources``. Seen by ``amlo``, ``admin`` and users granted ``finance``.
- **identities**: analysts see persons under a stable pseudonym, with names and ID numbers removed.

Answers that name source records rather than graph elements (entity-resolution explanations, the review
queue, judgements) follow the same compartments by the agency of each record, and the shared-account
evidence of a pair is financial data: :mod:`api.resolution_view`.

Examples
--------
>>> from graph_model.store.base import Node
>>> c = Clearance.for_role("pacc")
>>> c.node(Node("per:1", "Person", {"names": ["A"], "agencies": ["MSDHS"], "sources": ["MSDHS|m1|2024-01-01"]})) is None
True
>>> n = Clearance.for_role("pacc").node(Node("per:2", "Person", {"names": ["B"], "agencies": ["MSDHS", "RTP"],
...     "sources": ["MSDHS|m1|2024-01-01", "RTP|r1|2024-01-02"]}))
>>> n.props["sources"], n.props["agencies"]
(['RTP|r1|2024-01-02'], ['RTP'])
>>> Clearance.for_role("analyst").node(Node("per:3", "Person", {"names": ["C"], "agencies": ["RTP"]})).props["names"]
['บุคคล-6BC716CB']
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from api.provenance import RecordLookup
from graph_model.store.base import GraphStore, Node, Path, Relationship, Subgraph, TraversalFilter

__all__ = ["ALL_AGENCIES", "FINANCE_AGENCIES", "VICTIM_AGENCIES", "Clearance", "Lens", "pseudonym", "reachable"]

ALL_AGENCIES = frozenset({"MSDHS", "RTP", "DSI", "OAG", "COJ", "AMLO", "PACC", "RLPD", "DOPA", "DGA"})
VICTIM_AGENCIES = frozenset({"MSDHS", "RLPD"})
FINANCE_AGENCIES = frozenset({"AMLO"})
VICTIM_ROLES_IN_CASE = frozenset({"victim", "claimant"})
FINANCE_NODE_TYPES = frozenset({"Account"})
FINANCE_REL_TYPES = frozenset({"TRANSFER"})
#: Properties that identify a person or hold an ID number; replaced for pseudonymised roles.
IDENTIFYING = {
    "Person": ("names", "name_th", "name_en", "aliases", "prefixes", "name_keys", "thai_id", "birth_date"),
    "Document": ("number", "raw"),
    "Phone": ("number", "raw"),
}
#: Id prefixes of nodes whose id is the identifying value itself (contracts §4); pseudonymised too.
VALUE_KEYED_PREFIXES = ("tel:", "doc:")


#: How a pseudonym starts, by node type.
PSEUDONYM_PREFIX = {"Person": "บุคคล-", "Phone": "โทรศัพท์-", "Document": "เอกสาร-"}
#: Identifying properties removed outright (a pseudonym in their place would read like a value).
DROPPED = ("thai_id", "birth_date")


def pseudonym(entity_id: str, salt: str = "", node_type: str = "Person") -> str:
    """A stable pseudonym for an entity id (the same id gives the same pseudonym).

    >>> pseudonym("per:1") == pseudonym("per:1") != pseudonym("per:2")
    True
    >>> pseudonym("tel:+66812345678", node_type="Phone").startswith("โทรศัพท์-")
    True
    """
    prefix = PSEUDONYM_PREFIX.get(node_type, "")
    return prefix + hashlib.sha256(f"{salt}|{entity_id}".encode()).hexdigest()[:8].upper()


@dataclass(frozen=True)
class Clearance:
    """What one user may see."""

    role: str
    victims: bool
    finance: bool
    pseudonymise: bool
    salt: str = ""

    @classmethod
    def for_role(
        cls,
        role: str,
        grants: Iterable[str] = (),
        victim_roles: Iterable[str] = ("investigator", "admin"),
        salt: str = "",
    ) -> Clearance:
        """The clearance of a role plus the user's grants."""
        return cls(
            role=role,
            victims=role in set(victim_roles),
            finance=role in ("amlo", "admin") or "finance" in set(grants),
            pseudonymise=role == "analyst",
            salt=salt,
        )

    @property
    def hidden_agencies(self) -> frozenset[str]:
        """Agencies whose records this user may not see."""
        hidden: set[str] = set()
        if not self.victims:
            hidden |= VICTIM_AGENCIES
        if not self.finance:
            hidden |= FINANCE_AGENCIES
        return frozenset(hidden)

    def traversal(self, flt: TraversalFilter | None = None, schema: Any = None) -> TraversalFilter:
        """Narrow a traversal filter so it never passes through hidden elements.

        ``schema`` (the store's) lets "all types" become "all types but the financial ones".
        """
        flt = flt or TraversalFilter()
        hidden = self.hidden_agencies
        agencies = flt.agencies
        if hidden:
            agencies = (agencies if agencies is not None else ALL_AGENCIES) - hidden
        node_types, rel_types = flt.node_types, flt.rel_types
        if not self.finance:
            if node_types is None and schema is not None:
                node_types = frozenset(schema.nodes)
            if rel_types is None and schema is not None:
                rel_types = frozenset(schema.relationships)
            node_types = node_types - FINANCE_NODE_TYPES if node_types is not None else None
            rel_types = rel_types - FINANCE_REL_TYPES if rel_types is not None else None
        return replace(flt, agencies=agencies, node_types=node_types, rel_types=rel_types)

    def _visible_sources(self, props: dict[str, Any]) -> dict[str, Any] | None:
        """Props with hidden sources removed, or None when every asserting agency is hidden."""
        hidden = self.hidden_agencies
        agencies = list(props.get("agencies") or [])
        if not hidden or not agencies:
            return dict(props)
        if set(agencies) <= hidden:
            return None
        out = dict(props)
        out["agencies"] = [a for a in agencies if a not in hidden]
        out["sources"] = [s for s in props.get("sources") or [] if s.split("|", 1)[0] not in hidden]
        return out

    def public_id(self, entity_id: str) -> str:
        """The id as this user sees it: value-keyed ids (phone, document) are pseudonymised for analysts."""
        if self.pseudonymise and entity_id.startswith(VALUE_KEYED_PREFIXES):
            prefix = entity_id.split(":", 1)[0]
            return f"{prefix}:~" + hashlib.sha256(f"{self.salt}|{entity_id}".encode()).hexdigest()[:12]
        return entity_id

    def node(self, node: Node) -> Node | None:
        """The node as this user may see it, or None when it is hidden."""
        if not self.finance and node.type in FINANCE_NODE_TYPES:
            return None
        props = self._visible_sources(node.props)
        if props is None:
            return None
        if self.pseudonymise and node.type in IDENTIFYING:
            name = props.get("pseudonym") or pseudonym(node.id, self.salt, node.type)
            for key in IDENTIFYING[node.type]:
                if key in DROPPED:
                    props.pop(key, None)
                elif key in props:
                    props[key] = [name] if isinstance(props[key], list) else name
            props["pseudonym"] = name
            if node.type == "Person":
                props["names"] = [name]
        return Node(self.public_id(node.id), node.type, props)

    def relationship(self, rel: Relationship) -> Relationship | None:
        """The relationship as this user may see it (ends not checked), or None when it is hidden."""
        if not self.finance and rel.type in FINANCE_REL_TYPES:
            return None
        if not self.victims and rel.type == "ROLE_IN" and rel.props.get("role") in VICTIM_ROLES_IN_CASE:
            return None
        props = self._visible_sources(rel.props)
        if props is None:
            return None
        return Relationship(rel.id, rel.type, self.public_id(rel.source), self.public_id(rel.target), props)

    def nodes(self, nodes: Iterable[Node]) -> list[Node]:
        """The visible nodes, in the given order."""
        return [v for v in (self.node(n) for n in nodes) if v is not None]

    def subgraph(self, sub: Subgraph, seeds: Iterable[str] | None = None) -> Subgraph:
        """The visible part of a subgraph: hidden nodes, hidden relationships and dangling ones removed.

        With ``seeds`` (a traversal's start), only nodes still reachable from a seed through visible
        relationships stay: a node reached only through a hidden element would betray that link.
        """
        nodes = self.nodes(sub.nodes)
        ids = {n.id for n in nodes}
        rels = []
        for rel in sub.relationships:
            seen = self.relationship(rel)
            if seen is not None and seen.source in ids and seen.target in ids:
                rels.append(seen)
        if seeds is not None:
            reached = reachable({self.public_id(s) for s in seeds} & ids, rels)
            nodes = [n for n in nodes if n.id in reached]
            rels = [r for r in rels if r.source in reached and r.target in reached]
            ids = reached
        truncated = {self.public_id(k): v for k, v in sub.truncated.items() if self.public_id(k) in ids}
        return Subgraph(nodes=nodes, relationships=rels, truncated=truncated)

    def paths(self, paths: Iterable[Path], nodes: dict[str, Node]) -> list[Path]:
        """Paths wholly visible to this user (a path through a hidden element is left out).

        ``nodes`` maps the ids on the paths to their nodes (to check the nodes' visibility).
        """
        out = []
        for path in paths:
            if any(i not in nodes or self.node(nodes[i]) is None for i in path.nodes):
                continue
            rels = [self.relationship(r) for r in path.relationships]
            if any(r is None for r in rels):
                continue
            out.append(Path([self.public_id(i) for i in path.nodes], [r for r in rels if r is not None]))
        return out


def reachable(seeds: set[str], rels: list[Relationship]) -> set[str]:
    """Node ids connected to the seeds (either direction)."""
    adjacent: dict[str, set[str]] = {}
    for r in rels:
        adjacent.setdefault(r.source, set()).add(r.target)
        adjacent.setdefault(r.target, set()).add(r.source)
    reached, frontier = set(seeds), list(seeds)
    while frontier:
        for nxt in adjacent.get(frontier.pop(), ()):
            if nxt not in reached:
                reached.add(nxt)
                frontier.append(nxt)
    return reached


class Lens:
    """A clearance bound to a store, for answers that name entities by id (rings, trails, cases, hits).

    Fetches each id once and answers whether it is visible, its visible node and its public id. A node's
    values that only records of a hidden compartment hold (a name only MSDHS recorded) are left out, as in
    profiles: ``records`` (the workspace's source records, :class:`api.provenance.RecordLookup`) traces each
    value to its records; without them, values of a node with hidden sources that cannot be traced are
    withheld (see :func:`api.profile.attribute_values`).
    """

    def __init__(self, clearance: Clearance, store: GraphStore, *, records: RecordLookup | None) -> None:
        self.clearance = clearance
        self.store = store
        self.records = records
        self._seen: dict[str, Node | None] = {}

    def load(self, ids: Iterable[str]) -> None:
        """Fetch the ids not fetched yet, in one store call."""
        missing = [i for i in dict.fromkeys(ids) if i not in self._seen]
        if missing:
            from api.profile import without_unseen_values  # api.profile builds on this module

            fetched = Subgraph(self.store.get_entities(missing), [])
            found = {n.id: n for n in without_unseen_values(fetched, self.clearance, self.records).nodes}
            for i in missing:
                self._seen[i] = self.clearance.node(found[i]) if i in found else None

    def node(self, entity_id: str) -> Node | None:
        """The visible node, or None (missing or hidden)."""
        self.load([entity_id])
        return self._seen[entity_id]

    def visible(self, entity_id: str) -> bool:
        """Whether the id names an entity the user may see."""
        return self.node(entity_id) is not None

    def all_visible(self, ids: Iterable[str]) -> bool:
        """Whether every id is visible."""
        ids = list(ids)
        self.load(ids)
        return all(self._seen[i] is not None for i in ids)

    def keep(self, ids: Iterable[str]) -> list[str]:
        """The visible ids among ``ids``, as public ids, in order."""
        ids = list(ids)
        self.load(ids)
        return [self.clearance.public_id(i) for i in ids if self._seen[i] is not None]

    def labels(self, ids: Iterable[str]) -> dict[str, str]:
        """Public id -> how the entity reads (its first visible name, number...), for the visible ids."""
        from api.profile import display_name

        ids = list(ids)
        self.load(ids)
        return {self.clearance.public_id(i): display_name(n) for i in ids if (n := self._seen[i]) is not None}

    def nodes(self) -> list[Node]:
        """Every visible node fetched so far, sorted by id."""
        return sorted((n for n in self._seen.values() if n is not None), key=lambda n: n.id)

    def step_visible(self, step: dict[str, Any]) -> bool:
        """Whether an explained path step (``{type, props, sources: [{agency...}]}``) may be shown."""
        rel = Relationship(
            str(step.get("rel_id") or ""), str(step.get("type") or ""), str(step.get("from")), str(step.get("to")),
            {**(step.get("props") or {}), "agencies": sorted({s["agency"] for s in step.get("sources") or []}),
             "sources": [f"{s['agency']}|{s.get('record_id', '')}|{s.get('seen', '')}" for s in step.get("sources") or []]},
        )
        return self.clearance.relationship(rel) is not None
