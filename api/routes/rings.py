"""Rings with drill-down, officials near suspects, shared identifiers: detections filtered by role."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path, Query, Request, status
from pydantic import BaseModel

from api.deps import Services, Store, Viewer, note
from api.policy import Clearance, Lens
from api.profile import without_unseen_values
from api.schemas import GraphView
from graph_model.store.base import GraphStore

router = APIRouter(tags=["detections"])


class RingView(BaseModel):
    """A ring as the user may see it: visible members with roles, victims only with victim clearance."""

    ring_id: str
    members: list[str]
    roles: dict[str, str]
    labels: dict[str, str]
    victims: list[str]
    cases: list[str]
    agencies: list[str]
    money_thb: float | None
    score: float


class RingDetail(BaseModel):
    """A ring and the network among its visible members, victims and cases."""

    ring: RingView
    graph: GraphView


class OfficialView(BaseModel):
    """An official within a few hops of suspects, with the explaining path and its sources."""

    entity_id: str
    label: str
    score: float
    distance: int
    suspects: list[str]
    path: list[str]
    links: list[str]
    steps: list[dict[str, Any]]


def _rings(services: Any, store: GraphStore) -> list[dict[str, Any]]:
    """Rings with victims, cases and scores, detected on first use and kept for the app's life (the
    workspace's ``detections.json`` holds only the graded export's members and roles)."""
    cached = services.cache.get("rings")
    if cached is None:
        from graph_model.queries.rings import detect_rings

        cached = services.cache["rings"] = [r.to_dict() for r in detect_rings(store)]
    return list(cached)


def _ring_view(ring: dict[str, Any], lens: Lens, clearance: Clearance) -> RingView | None:
    members = lens.keep(ring.get("members", []))
    if not members:
        return None
    pid = clearance.public_id
    return RingView(
        ring_id=str(ring["ring_id"]),
        members=members,
        roles={pid(k): v for k, v in (ring.get("roles") or {}).items() if lens.visible(k)},
        labels=lens.labels(ring.get("members", [])),
        victims=lens.keep(ring.get("victims", [])) if clearance.victims else [],
        cases=lens.keep(ring.get("cases", [])),
        agencies=[a for a in ring.get("agencies", []) if a not in clearance.hidden_agencies],
        money_thb=ring.get("money_thb") if clearance.finance else None,
        score=float(ring.get("score", 0.0)),
    )


@router.get("/rings", operation_id="rings", response_model=list[RingView])
def rings(
    request: Request,
    services: Services,
    store: Store,
    clearance: Viewer,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=100_000)] = 0,
) -> list[RingView]:
    """Detected rings, best first, each member with an inferred role."""
    lens = Lens(clearance, store, records=services.records)
    views = [v for r in _rings(services, store)[offset : offset + limit] if (v := _ring_view(r, lens, clearance))]
    note(request, result_size=len(views))
    return views


@router.get("/rings/{ring_id}", operation_id="ring_detail", response_model=RingDetail)
def ring_detail(
    request: Request,
    services: Services,
    store: Store,
    clearance: Viewer,
    ring_id: Annotated[str, Path(min_length=1, max_length=100)],
) -> RingDetail:
    """One ring with the network among its members, victims and cases."""
    ring = next((r for r in _rings(services, store) if str(r["ring_id"]) == ring_id), None)
    lens = Lens(clearance, store, records=services.records)
    view = _ring_view(ring, lens, clearance) if ring else None
    if ring is None or view is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no ring {ring_id!r} visible to your role")
    ids = [*ring.get("members", []), *(ring.get("victims", []) if clearance.victims else []), *ring.get("cases", [])]
    graph = clearance.subgraph(without_unseen_values(store.subgraph(ids), clearance, services.records))
    note(request, result_size=len(graph.nodes))
    return RingDetail(ring=view, graph=GraphView.of(graph))


@router.get("/officials", operation_id="officials", response_model=list[OfficialView])
def officials(
    request: Request,
    services: Services,
    store: Store,
    clearance: Viewer,
    k: Annotated[int, Query(ge=1, le=6)] = 4,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> list[OfficialView]:
    """Officials within ``k`` hops of suspects through money, family, phones, addresses or documents."""
    from graph_model.queries.corruption import official_links

    lens = Lens(clearance, store, records=services.records)
    out = []
    for hit in official_links(store, k=k, limit=limit * 2):
        if not lens.all_visible(hit.path) or not all(lens.step_visible(s) for s in hit.steps):
            continue
        node = lens.node(hit.entity_id)
        pid = clearance.public_id
        out.append(OfficialView(
            entity_id=pid(hit.entity_id), label=str((node.props.get("names") or [""])[0]) if node else "",
            score=hit.score, distance=hit.distance, suspects=lens.keep(hit.suspects),
            path=[pid(i) for i in hit.path], links=hit.links,
            steps=[{**s, "from": pid(s["from"]), "to": pid(s["to"]),
                    "sources": [x for x in s.get("sources") or [] if x["agency"] not in clearance.hidden_agencies]}
                   for s in hit.steps],
        ))
    note(request, result_size=len(out[:limit]))
    return out[:limit]
