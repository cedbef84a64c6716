"""Request and response models: the OpenAPI description a client generator reads."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

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
        """Parse ``AGENCY|record_id|seen_date`` strings."""
        out = []
        for text in sources or []:
            agency, record_id, seen = ([*text.split("|", 2), "", ""])[:3]
            out.append(cls(agency=agency, record_id=record_id, seen=seen))
        return out


class GraphNode(BaseModel):
    """A node: id, type and properties (including ``sources`` and ``agencies``)."""

    id: str
    type: str
    props: dict[str, Any]


class GraphRel(BaseModel):
    """A relationship between two node ids, with its properties and sources."""

    id: str
    type: str
    source: str
    target: str
    props: dict[str, Any]


class GraphView(BaseModel):
    """A subgraph as a user may see it; ``truncated`` maps a paged hub to its full degree."""

    nodes: list[GraphNode]
    relationships: list[GraphRel]
    truncated: dict[str, int] = Field(default_factory=dict)
    offset: int = 0
    limit: int = 0

    @classmethod
    def of(cls, sub: Subgraph, offset: int = 0, limit: int = 0) -> GraphView:
        """From a store subgraph."""
        return cls(
            nodes=[GraphNode(**n.to_dict()) for n in sub.nodes],
            relationships=[GraphRel(**r.to_dict()) for r in sub.relationships],
            truncated=dict(sub.truncated),
            offset=offset,
            limit=limit,
        )


class PathView(BaseModel):
    """A path: node ids in order and the relationships between them."""

    nodes: list[str]
    relationships: list[GraphRel]

    @classmethod
    def of(cls, path: Path) -> PathView:
        """From a store path."""
        return cls(nodes=list(path.nodes), relationships=[GraphRel(**r.to_dict()) for r in path.relationships])


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
