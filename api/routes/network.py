"""Network views: neighbourhood with filters and paging, paths between two entities, a chosen subgraph."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request, status
from pydantic import BaseModel, Field

from api.deps import Services, Store, Viewer, note
from api.policy import reachable
from api.profile import without_unseen_values
from api.schemas import GraphNode, GraphView, PathsAnswer, PathView
from graph_model.store.base import GraphStore, Path, Relationship, Subgraph, TraversalFilter

router = APIRouter(tags=["network"])

#: Largest ``limit ** hops`` a network request may ask for (a chart beyond this is unreadable anyway).
MAX_FANOUT = 200_000
SeedIds = Annotated[list[str], Query(min_length=1, max_length=50, description="Seed entity ids")]


def _check_types(store: GraphStore, node_types: list[str] | None, rel_types: list[str] | None) -> None:
    for given, known, what in ((node_types, store.schema.nodes, "node"), (rel_types, store.schema.relationships, "relationship")):
        bad = sorted(set(given or []) - set(known))
        if bad:
            raise HTTPException(
                status.HTTP_422_UNPROCESSABLE_CONTENT, f"unknown {what} types {bad}; known: {sorted(known)}"
            )


def _filter(
    node_types: list[str] | None, rel_types: list[str] | None, agencies: list[str] | None,
    date_from: date | None, date_to: date | None,
) -> TraversalFilter:
    if date_from and date_to and date_from > date_to:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, "date_from is after date_to")
    return TraversalFilter(
        node_types=frozenset(node_types) if node_types else None,
        rel_types=frozenset(rel_types) if rel_types else None,
        agencies=frozenset(agencies) if agencies else None,
        date_from=date_from.isoformat() if date_from else None,
        date_to=date_to.isoformat() if date_to else None,
    )


def _keep_roles(sub: Subgraph, roles: list[str] | None, seeds: list[str]) -> Subgraph:
    """Only ``ROLE_IN`` relationships with one of ``roles`` (other relationships stay), and the nodes
    still connected to the seeds."""
    if not roles:
        return sub
    wanted = set(roles)
    rels = [r for r in sub.relationships if r.type != "ROLE_IN" or r.props.get("role") in wanted]
    kept = reachable(set(seeds) & {n.id for n in sub.nodes}, rels)
    return Subgraph([n for n in sub.nodes if n.id in kept], [r for r in rels if r.source in kept],
                    {k: v for k, v in sub.truncated.items() if k in kept})


@router.get("/network", operation_id="network", response_model=GraphView)
def network(
    request: Request,
    services: Services,
    store: Store,
    clearance: Viewer,
    ids: SeedIds,
    hops: Annotated[int, Query(ge=1, le=3)] = 1,
    node_types: Annotated[list[str] | None, Query(max_length=30)] = None,
    rel_types: Annotated[list[str] | None, Query(max_length=30)] = None,
    roles: Annotated[list[str] | None, Query(max_length=20, description="Only case roles (ROLE_IN.role) among these")] = None,
    agencies: Annotated[list[str] | None, Query(max_length=10)] = None,
    date_from: date | None = None,
    date_to: date | None = None,
    limit: Annotated[int, Query(ge=1, le=500, description="Neighbours per node (hubs are paged)")] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> GraphView:
    """Entities within ``hops`` of the seeds, filtered; hubs are paged (``truncated`` gives full degrees)."""
    _check_types(store, node_types, rel_types)
    if limit**hops > MAX_FANOUT:
        raise HTTPException(
            status.HTTP_422_UNPROCESSABLE_CONTENT,
            f"limit {limit} over {hops} hops could draw {limit**hops:,} nodes; narrow it (at most {MAX_FANOUT:,})",
        )
    flt = clearance.traversal(_filter(node_types, rel_types, agencies, date_from, date_to), store.schema)
    sub = store.neighbourhood(ids, hops=hops, flt=flt, limit_per_node=limit, offset=offset)
    sub = without_unseen_values(sub, clearance, services.records)
    view = _keep_roles(clearance.subgraph(sub, seeds=ids), roles, [clearance.public_id(i) for i in ids])
    note(request, result_size=len(view.nodes) + len(view.relationships))
    return GraphView.of(view, offset=offset, limit=limit)


@router.get("/paths", operation_id="paths", response_model=PathsAnswer)
def paths(
    request: Request,
    services: Services,
    store: Store,
    clearance: Viewer,
    source: Annotated[str, Query(min_length=1, max_length=200)],
    target: Annotated[str, Query(min_length=1, max_length=200)],
    max_hops: Annotated[int, Query(ge=1, le=8)] = 6,
    k: Annotated[int, Query(ge=1, le=10)] = 3,
    rel_types: Annotated[list[str] | None, Query(max_length=30)] = None,
    time_ordered: bool = False,
) -> PathsAnswer:
    """Up to ``k`` shortest paths between two entities through what the viewer may see; with
    ``time_ordered`` only paths whose dated steps follow each other in time."""
    _check_types(store, None, rel_types)
    flt = clearance.traversal(_filter(None, rel_types, None, None, None), store.schema)
    if time_ordered:
        from graph_model.queries.paths import connections

        found = [Path(c.nodes, [_step_rel(s) for s in c.steps]) for c in connections(
            store, source, target, max_hops=max_hops, k=k, time_ordered=True, rel_types=flt.rel_types,
            types=flt.node_types, agencies=flt.agencies)]
    else:
        found = store.shortest_paths(source, target, max_hops=max_hops, k=k, flt=flt)
    ids = {i for p in found for i in p.nodes}
    nodes = {n.id: n for n in without_unseen_values(Subgraph(store.get_entities(ids), []), clearance,
                                                     services.records).nodes}
    visible = clearance.paths(found, nodes)
    on_paths = {i for p in visible for i in p.nodes}
    shown = sorted((n for n in clearance.nodes(nodes.values()) if n.id in on_paths), key=lambda n: n.id)
    note(request, result_size=len(visible))
    return PathsAnswer(paths=[PathView.of(p) for p in visible], nodes=[GraphNode(**n.to_dict()) for n in shown])


def _step_rel(step: dict[str, Any]) -> Relationship:
    """An explained step of ``graph_model.queries.paths`` back as a relationship."""
    sources = [f"{s['agency']}|{s['record_id']}|{s['seen']}" for s in step.get("sources") or []]
    ends = (step["from"], step["to"]) if step.get("forward", True) else (step["to"], step["from"])
    props = {**(step.get("props") or {}), "sources": sources, "agencies": sorted({s.split("|")[0] for s in sources})}
    return Relationship(str(step.get("rel_id")), str(step.get("type")), ends[0], ends[1], props)


class SubgraphRequest(BaseModel):
    """Entities whose mutual relationships to return (a chart or case file)."""

    ids: list[str] = Field(min_length=1, max_length=500)


@router.post("/subgraph", operation_id="subgraph", response_model=GraphView)
def subgraph(
    body: SubgraphRequest, request: Request, services: Services, store: Store, clearance: Viewer
) -> GraphView:
    """The given entities and every visible relationship among them."""
    note(request, ids=body.ids[:50], id_count=len(body.ids))
    view = clearance.subgraph(without_unseen_values(store.subgraph(body.ids), clearance, services.records))
    note(request, result_size=len(view.nodes) + len(view.relationships))
    return GraphView.of(view)
