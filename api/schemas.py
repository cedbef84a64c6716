"""Request and response models: the OpenAPI description a client generator reads."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field, SkipValidation, TypeAdapter

from graph_model.store.base import Path, Subgraph

__all__ = [
    "CaseRole",
    "EntityProfile",
    "Fact",
    "GraphNode",
    "GraphRel",
    "GraphView",
    "PathView",
    "SourceRef",
    "TimelineEvent",
]


class SourceRef(BaseModel):
    """Where a fact comes from: agency, source record and the date the record was seen."""

    agency: str
    record_id: str
    seen: str

    @classmethod
    def parse_all(cls, sources: list[str] | None) -> list[SourceRef]:
        """Parse ``AGENCY|record_id|seen_date`` strings (missing parts are empty).

        >>> [s.record_id for s in SourceRef.parse_all(["RTP|rtp:1|2024-01-01", "DSI"])]
        ['rtp:1', '']
        """
        rows = []
        for text in sources or []:
            agency, _, rest = text.partition("|")
            record_id, _, seen = rest.partition("|")
            rows.append({"agency": agency, "record_id": record_id, "seen": seen})
        # One validation of the whole list: 1.2-1.9x less CPU than a model built per source (sources of the
        # 1M world's 2-hop answers; a profile parses every source of its neighbourhood). ``model_construct``
        # is slower still than either in pydantic 2.14 (its field loop runs in Python).
        return _SOURCE_LIST.validate_python(rows)


_SOURCE_LIST = TypeAdapter(list[SourceRef])

#: Properties read from a graph store, served as they are (same JSON and same OpenAPI schema): the store's
#: nodes and relationships already hold a ``dict[str, Any]``, and checking it again copied every dict. With
#: one validation per view, a 2-hop answer of the 1M world builds in 45-73 us instead of 97-127 us.
StoreProps = SkipValidation[dict[str, Any]]


class GraphNode(BaseModel):
    """A node: id, type and properties (including ``sources`` and ``agencies``)."""

    id: str
    type: str
    props: StoreProps


class GraphRel(BaseModel):
    """A relationship between two node ids, with its properties and sources."""

    id: str
    type: str
    source: str
    target: str
    props: StoreProps


class GraphView(BaseModel):
    """A subgraph as a user may see it; ``truncated`` maps a paged hub to its full degree."""

    nodes: list[GraphNode]
    relationships: list[GraphRel]
    truncated: dict[str, int] = Field(default_factory=dict)
    offset: int = 0
    limit: int = 0

    @classmethod
    def of(cls, sub: Subgraph, offset: int = 0, limit: int = 0) -> GraphView:
        """From a store subgraph (validated in one call, not one model at a time)."""
        return cls.model_validate({
            "nodes": [n.to_dict() for n in sub.nodes],
            "relationships": [r.to_dict() for r in sub.relationships],
            "truncated": dict(sub.truncated),
            "offset": offset,
            "limit": limit,
        })


class PathView(BaseModel):
    """A path: node ids in order and the relationships between them."""

    nodes: list[str]
    relationships: list[GraphRel]

    @classmethod
    def of(cls, path: Path) -> PathView:
        """From a store path."""
        return cls.model_validate({"nodes": list(path.nodes), "relationships": [r.to_dict() for r in path.relationships]})


class PathsAnswer(BaseModel):
    """Paths between two entities and the nodes on them."""

    paths: list[PathView]
    nodes: list[GraphNode]


class Fact(BaseModel):
    """One value of an entity (a name, an ID, a phone...) with the agencies and records it came from."""

    kind: str
    value: str
    entity_id: str | None = None
    agencies: list[str] = Field(default_factory=list)
    sources: list[SourceRef] = Field(default_factory=list)


class CaseRole(BaseModel):
    """A case the entity plays a role in."""

    case_id: str
    case_no: str | None = None
    agency: str | None = None
    case_kind: str | None = None
    role: str | None = None
    status: str | None = None
    opened_date: str | None = None
    sources: list[SourceRef] = Field(default_factory=list)


class TimelineEvent(BaseModel):
    """A dated event across agencies."""

    date: str
    kind: str
    label: str
    agency: str | None = None
    entity_id: str | None = None
    sources: list[SourceRef] = Field(default_factory=list)


class EntityProfile(BaseModel):
    """Everything known about one entity, each fact with its sources."""

    entity: GraphNode
    names: list[Fact]
    identifiers: list[Fact]
    cases: list[CaseRole]
    timeline: list[TimelineEvent]
    neighbours: dict[str, int] = Field(description="Number of visible neighbours per type")
    sources: list[SourceRef]
