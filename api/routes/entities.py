"""Search and entity profiles."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Query, Request, status
from pydantic import BaseModel

from api.deps import Services, Store, Viewer, note
from api.profile import build_profile, display_name
from api.schemas import EntityProfile
from api.search import search_nodes

router = APIRouter(tags=["entities"])

EntityId = Annotated[str, Path(min_length=1, max_length=200, description="Entity id, e.g. per:0a1b...")]


class SearchHit(BaseModel):
    """One search result."""

    id: str
    type: str
    label: str
    agencies: list[str]
    score: float


class SearchAnswer(BaseModel):
    """Search results, best first."""

    query: str
    hits: list[SearchHit]


@router.get("/search", operation_id="search", response_model=SearchAnswer)
def search(
    request: Request,
    services: Services,
    store: Store,
    clearance: Viewer,
    q: Annotated[str, Query(min_length=1, max_length=200, description="Name (Thai or Latin), ID, phone, account, case no.")],
    types: Annotated[list[str] | None, Query(max_length=20, description="Only these node types")] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 20,
) -> SearchAnswer:
    """Find entities by name, alias, ID, phone, account or case number."""
    if not q.strip():
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, "q: the search text is empty")
    found = search_nodes(store, clearance, q, set(types) if types else None, limit, records=services.records)
    note(request, result_size=len(found))
    hits = [
        SearchHit(id=n.id, type=n.type, label=display_name(n), agencies=list(n.props.get("agencies") or []),
                  score=round(s, 3))
        for n, s in found
    ]
    return SearchAnswer(query=q, hits=hits)


@router.get(
    "/entities/{entity_id}",
    operation_id="entity_profile",
    response_model=EntityProfile,
    responses={404: {"description": "No such entity, or not visible to this role"}},
)
def entity_profile(
    request: Request, services: Services, store: Store, clearance: Viewer, entity_id: EntityId
) -> EntityProfile:
    """All names, IDs, phones, accounts and addresses with their agencies and records; cases; a timeline."""
    profile = build_profile(store, clearance, entity_id, records=services.records)
    if profile is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no entity {entity_id!r} visible to your role")
    note(request, result_size=1 + len(profile.identifiers) + len(profile.cases))
    return profile
