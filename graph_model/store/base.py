"""The one interface every graph store implements, and the records that cross it.

A store never imports a driver here; implementations live in their own modules (``memory``, ``neo4j``)
and are built by :func:`graph_model.store.open_store`.

Merge semantics (identical in every store, so that the same writes give the same graph):

- nodes and relationships are keyed by ``id``; an upsert of an existing id merges into it;
- a scalar property takes the newest non-null value; a list property keeps the ordered union
  (old values first, new distinct values appended);
- ``sources`` is the ordered union of ``"AGENCY|record_id|seen_date"`` strings, ``agencies`` the sorted set
  of their agencies, ``first_seen``/``last_seen`` the min/max of their seen dates;
- a batch is validated whole (types, properties, relationship ends present in the store or in the same
  batch) before anything is written, so a bad batch leaves the store as it was.
"""

from __future__ import annotations

import hashlib
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

from graph_model.model import Schema

__all__ = [
    "HUB_DEGREE",
    "GraphStore",
    "Node",
    "NodeRecord",
    "PartialCommitError",
    "Path",
    "Provenance",
    "RelRecord",
    "Relationship",
    "Subgraph",
    "TraversalFilter",
    "batch_failed",
    "in_order",
    "rel_id",
]


#: A node reached on the way with more relationships than this (a border checkpoint, a bank, a province)
#: is not expanded by :meth:`GraphStore.neighbourhood` unless it is a seed: at a million persons the
#: Suvarnabhumi checkpoint has 55,627, and sorting them to page took 0.6-1.3 s of every 2-hop through it.
HUB_DEGREE = 1000


def batch_failed(exc: BaseException, number: int) -> BaseException:
    """``exc`` with a note saying which batch of a batches call failed and what is written.

    >>> batch_failed(ValueError("bad row"), 2).__notes__
    ['in batch 2 (counted from 0) of the call: the batches before it are written, it and the later ones are not']
    """
    exc.add_note(f"in batch {number} (counted from 0) of the call: the batches before it are written, "
                 "it and the later ones are not")
    return exc


def in_order(upsert: Callable[[Sequence[Any]], int], batches: Iterable[Sequence[Any]]) -> int:
    """``upsert`` of each batch, one after the other; the error of a failing batch names it
    (:func:`batch_failed`)."""
    total = 0
    for number, batch in enumerate(batches):
        try:
            total += upsert(batch)
        except Exception as exc:
            batch_failed(exc, number)
            raise
    return total


class PartialCommitError(RuntimeError):
    """A write call was split over several transactions (the Neo4j store's large batches) and one failed
    to commit after another had committed: part of the call is in the store. Upserts are idempotent, so
    running the same call (or the build) again completes it."""


@dataclass(frozen=True, order=True)
class Provenance:
    """Which source record asserts a fact: agency, record id and the date it was seen.

    >>> Provenance("RTP", "r-1", "2026-11-26").encode()
    'RTP|r-1|2026-11-26'
    >>> Provenance.decode('RTP|r-1|2026-11-26').agency
    'RTP'
    """

    agency: str
    record_id: str
    seen: str

    def encode(self) -> str:
        """The provenance as one string, the form stored on nodes and relationships."""
        return f"{self.agency}|{self.record_id}|{self.seen}"

    @classmethod
    def decode(cls, text: str) -> Provenance:
        """Parse the string form written by :meth:`encode`."""
        agency, record_id, seen = text.split("|", 2)
        return cls(agency, record_id, seen)


def rel_id(rel_type: str, source: str, target: str, discriminator: str = "") -> str:
    """A stable relationship id from its type, ends and an optional discriminator (e.g. a txn id).

    >>> rel_id("HAS_PHONE", "per:1", "tel:+66812345678") == rel_id("HAS_PHONE", "per:1", "tel:+66812345678")
    True
    """
    digest = hashlib.blake2b(f"{rel_type}|{source}|{target}|{discriminator}".encode(), digest_size=10)
    return f"{rel_type.lower()}:{digest.hexdigest()}"


@dataclass
class NodeRecord:
    """A node to upsert: declared type, id, properties (schema-checked) and the sources asserting it."""

    type: str
    id: str
    props: dict[str, Any] = field(default_factory=dict)
    sources: list[Provenance] = field(default_factory=list)


@dataclass
class RelRecord:
    """A relationship to upsert between two existing node ids; ``id`` defaults to :func:`rel_id`."""

    type: str
    source: str
    target: str
    props: dict[str, Any] = field(default_factory=dict)
    sources: list[Provenance] = field(default_factory=list)
    discriminator: str = ""
    id: str = ""

    def __post_init__(self) -> None:
        if not self.id:
            self.id = rel_id(self.type, self.source, self.target, self.discriminator)


@dataclass
class Node:
    """A node read back from a store; ``props`` includes the provenance properties."""

    id: str
    type: str
    props: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-able form."""
        return {"id": self.id, "type": self.type, "props": self.props}


@dataclass
class Relationship:
    """A relationship read back from a store; ``props`` includes the provenance properties."""

    id: str
    type: str
    source: str
    target: str
    props: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-able form."""
        return {
            "id": self.id,
            "type": self.type,
            "source": self.source,
            "target": self.target,
            "props": self.props,
        }


@dataclass
class Subgraph:
    """Nodes and relationships sorted by id; ``truncated`` maps a hub's id to its full degree."""

    nodes: list[Node] = field(default_factory=list)
    relationships: list[Relationship] = field(default_factory=list)
    truncated: dict[str, int] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-able form."""
        return {
            "nodes": [n.to_dict() for n in self.nodes],
            "relationships": [r.to_dict() for r in self.relationships],
            "truncated": dict(self.truncated),
        }


@dataclass
class Path:
    """A path: node ids in order and the relationships between them (each with its sources)."""

    nodes: list[str]
    relationships: list[Relationship]

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-able form."""
        return {"nodes": list(self.nodes), "relationships": [r.to_dict() for r in self.relationships]}


@dataclass(frozen=True)
class TraversalFilter:
    """What a traversal may pass through.

    ``node_types``/``rel_types``: allowed types (None = all). ``agencies``: only elements asserted by at
    least one of these agencies. ``date_from``/``date_to`` (ISO dates, inclusive): relationships whose
    type declares a ``date_property`` must have it within the range; undated relationships pass (no
    date property declared, or none recorded). A datetime is compared by its first ten characters (the
    ``+07:00`` local date). Seeds, path sources and path targets are never filtered out.
    """

    node_types: frozenset[str] | None = None
    rel_types: frozenset[str] | None = None
    agencies: frozenset[str] | None = None
    date_from: str | None = None
    date_to: str | None = None


class GraphStore(ABC):
    """One interface, two implementations: ``MemoryStore`` (networkx) and ``Neo4jStore`` (Bolt)."""

    backend: ClassVar[str]
    schema: Schema

    @abstractmethod
    def ensure_schema(self) -> None:
        """Create constraints and indexes (unique ids, full-text names) from the declared schema."""

    @abstractmethod
    def upsert_nodes(self, nodes: Sequence[NodeRecord]) -> int:
        """Validate then merge a batch of nodes; return how many were written."""

    @abstractmethod
    def upsert_relationships(self, rels: Sequence[RelRecord]) -> int:
        """Validate then merge a batch of relationships between existing nodes; return the count."""

    def upsert_node_batches(self, batches: Iterable[Sequence[NodeRecord]]) -> int:
        """:meth:`upsert_nodes` of each batch, in order; return the count.

        Each batch is written whole or not at all. When one fails, its error is raised with a note naming
        the batch (counted from 0): the batches before it are written, it and the ones after it are not.
        A store may overlap the commit of one batch with the work on the next (the Neo4j store does)."""
        return in_order(self.upsert_nodes, batches)

    def upsert_relationship_batches(self, batches: Iterable[Sequence[RelRecord]]) -> int:
        """:meth:`upsert_relationships` of each batch, in order, as :meth:`upsert_node_batches`."""
        return in_order(self.upsert_relationships, batches)

    @abstractmethod
    def get_entity(self, entity_id: str) -> Node | None:
        """One node by id, or None."""

    @abstractmethod
    def get_entities(self, entity_ids: Iterable[str]) -> list[Node]:
        """Nodes by id (missing ids are left out), sorted by id."""

    @abstractmethod
    def neighbourhood(
        self,
        seeds: Sequence[str],
        hops: int = 1,
        flt: TraversalFilter | None = None,
        limit_per_node: int = 50,
        offset: int = 0,
        hub_degree: int | None = HUB_DEGREE,
    ) -> Subgraph:
        """Nodes within ``hops`` of the seeds, expanding each node's neighbours in id order, at most
        ``limit_per_node`` of them from ``offset`` (hubs paged, reported in ``truncated``).

        Breadth-first: at each hop every frontier node's distinct neighbours that pass the filter (through
        a relationship that passes it, either direction) are sorted by id and the window
        ``[offset, offset + limit_per_node)`` is taken; those neighbours join the result with every
        passing relationship between them and the expanded node, and the new ones form the next frontier.
        A node with more than ``limit_per_node`` neighbours appears in ``truncated`` with that number.
        A hub reached on the way (not a seed, with more than ``hub_degree`` relationships of any type and
        direction, before filtering) is not expanded: it joins the result and appears in ``truncated``
        with its number of relationships; expand it as a seed to page through its neighbours
        (``hub_degree=None``: every node is expanded). Missing seeds are ignored."""

    @abstractmethod
    def shortest_paths(
        self, source: str, target: str, max_hops: int = 6, k: int = 1, flt: TraversalFilter | None = None
    ) -> list[Path]:
        """Up to ``k`` shortest undirected simple paths, ordered by (length, node ids).

        Paths are distinct node sequences of at most ``max_hops`` relationships whose intermediate
        nodes and relationships pass the filter; ties of equal length are ordered by the node-id
        sequence (lexicographically), and each hop carries the relationship with the smallest id among
        the passing ones joining that pair (parallel edges never make two paths). ``k`` counts across
        lengths: the shortest group first, then longer ones. ``source == target`` gives the one-node path."""

    @abstractmethod
    def subgraph(self, entity_ids: Iterable[str]) -> Subgraph:
        """The given nodes and every relationship among them (export of a chart or case file)."""

    @abstractmethod
    def counts(self) -> dict[str, int]:
        """Number of nodes per type and relationships per type."""

    @abstractmethod
    def clear(self) -> None:
        """Remove every node and relationship (schema objects stay)."""

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release connections."""

    def refresh_search(self) -> None:  # noqa: B027 - optional hook
        """Make every write so far visible to name search (a no-op where search reads the data itself)."""

    def __enter__(self) -> GraphStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
