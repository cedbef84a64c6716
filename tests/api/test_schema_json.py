"""The network and profile models serialise every answer of the test world exactly as before they were
built cheaply (store properties no longer validated again, a view or a list of sources validated in one
call): compared with the models as they were declared until 7e6620f, one model validated at a time.

Answers are the test world's neighbourhoods and paths, as each role sees them, on both stores.
"""

from __future__ import annotations

from typing import Any

import pytest
from api_world import build_world
from conftest import USERS
from pydantic import BaseModel, Field

from api.policy import Clearance
from api.schemas import GraphView, PathView, SourceRef
from graph_model.store.base import GraphStore, Path, Subgraph

#: Every entity of the test world, each one a seed in turn.
ENTITY_IDS = sorted(build_world().graph.nodes)


class OldSourceRef(BaseModel):
    agency: str
    record_id: str
    seen: str


def old_parse_all(sources: list[str] | None) -> list[OldSourceRef]:
    out = []
    for text in sources or []:
        agency, record_id, seen = ([*text.split("|", 2), "", ""])[:3]
        out.append(OldSourceRef(agency=agency, record_id=record_id, seen=seen))
    return out


class OldGraphNode(BaseModel):
    id: str
    type: str
    props: dict[str, Any]


class OldGraphRel(BaseModel):
    id: str
    type: str
    source: str
    target: str
    props: dict[str, Any]


class OldGraphView(BaseModel):
    nodes: list[OldGraphNode]
    relationships: list[OldGraphRel]
    truncated: dict[str, int] = Field(default_factory=dict)
    offset: int = 0
    limit: int = 0


class OldPathView(BaseModel):
    nodes: list[str]
    relationships: list[OldGraphRel]


def old_view(sub: Subgraph, offset: int, limit: int) -> OldGraphView:
    return OldGraphView(nodes=[OldGraphNode(**n.to_dict()) for n in sub.nodes],
                        relationships=[OldGraphRel(**r.to_dict()) for r in sub.relationships],
                        truncated=dict(sub.truncated), offset=offset, limit=limit)


def old_path(path: Path) -> OldPathView:
    return OldPathView(nodes=list(path.nodes), relationships=[OldGraphRel(**r.to_dict()) for r in path.relationships])


def clearance_of(user: str) -> Clearance:
    return Clearance.for_role(USERS[user], ("finance",) if user.endswith("+finance") else (), salt="0123abcd")


@pytest.mark.parametrize("user", sorted(USERS))
def test_network_views_serialise_as_before(any_world: GraphStore, user: str) -> None:
    clearance = clearance_of(user)
    checked = sources = 0
    for seed in ENTITY_IDS:
        for hops, limit, offset in ((1, 50, 0), (2, 25, 0), (2, 1, 1)):
            found = any_world.neighbourhood([seed], hops=hops, limit_per_node=limit, offset=offset,
                                            flt=clearance.traversal(None, any_world.schema))
            sub = clearance.subgraph(found, seeds=[seed])
            assert GraphView.of(sub, offset, limit).model_dump_json() == old_view(sub, offset, limit).model_dump_json()
            checked += len(sub.nodes) + len(sub.relationships)
            for props in [*(n.props for n in sub.nodes), *(r.props for r in sub.relationships)]:
                given = props.get("sources")
                new = [s.model_dump_json() for s in SourceRef.parse_all(given)]
                assert new == [s.model_dump_json() for s in old_parse_all(given)]
                sources += len(new)
    # The world is seen: elements with properties and sources of every kind were compared.
    assert checked > 100 and sources > 50


@pytest.mark.parametrize("user", ["investigator+finance", "analyst"])
def test_paths_serialise_as_before(any_world: GraphStore, user: str) -> None:
    clearance = clearance_of(user)
    compared = 0
    for source in ENTITY_IDS[:6]:
        for target in ENTITY_IDS[-6:]:
            for path in any_world.shortest_paths(source, target, max_hops=4, k=2,
                                                 flt=clearance.traversal(None, any_world.schema)):
                assert PathView.of(path).model_dump_json() == old_path(path).model_dump_json()
                compared += 1
    assert compared > 3


@pytest.mark.parametrize("text", ["RTP|rtp-1|2024-03-01", "RTP|rtp-1", "RTP", "", "||", "DSI|a|b|c", "|x|"])
def test_source_strings_parse_as_before(text: str) -> None:
    assert SourceRef.parse_all([text])[0].model_dump() == old_parse_all([text])[0].model_dump()
    assert SourceRef.parse_all(None) == [] == SourceRef.parse_all([])
