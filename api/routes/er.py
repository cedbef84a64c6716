"""Entity resolution: why records form an entity (explanations) and people's judgements on pairs.

Judgements are stored by ``entity_resolution.judgements.JudgementStore`` in ``<workspace>/resolution/``;
a re-run of resolution reads them. Explanations need the saved resolution run.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path, Query, Request, status
from pydantic import BaseModel, Field

from api.deps import CurrentUser, Services, Store, Viewer, note, require_roles
from api.policy import Lens
from entity_resolution.judgements import Decision

router = APIRouter(prefix="/er", tags=["entity resolution"])

#: Judging merges decides who is accused of what: investigators and admins only.
Judge = require_roles("investigator", "admin")
RecordId = Annotated[str, Query(min_length=1, max_length=300)]


class JudgementIn(BaseModel):
    """A decision on two source records."""

    a: str = Field(min_length=1, max_length=300)
    b: str = Field(min_length=1, max_length=300)
    decision: Decision
    note: str = Field(default="", max_length=2000)


class JudgementOut(BaseModel):
    """A recorded judgement."""

    id: int
    a: str
    b: str
    decision: str
    user: str
    at: str
    note: str


def _judgements(services: Any) -> Any:
    from entity_resolution.judgements import JudgementStore

    return JudgementStore(services.settings.workspace / "resolution" / "judgements.sqlite")


def _resolution(services: Any) -> Any:
    """The saved resolution run with today's judgements applied (kept until the next judgement)."""
    directory = services.settings.workspace / "resolution"
    if not (directory / "settings.json").exists():
        raise HTTPException(status.HTTP_409_CONFLICT, "no saved resolution run to explain (run `tipgraph resolve`)")
    cached = services.cache.get("resolution")
    if cached is None:
        from entity_resolution.commands import load_resolution

        cached = services.cache["resolution"] = load_resolution(directory)
    return cached


@router.post("/judgements", operation_id="add_judgement", response_model=JudgementOut, status_code=201,
             dependencies=[Judge])
def add_judgement(body: JudgementIn, request: Request, user: CurrentUser, services: Services) -> JudgementOut:
    """Record that two records are (``merge``) or are not (``not_same``) one entity, undo a merge
    (``split``) or flag it (``unsure``). Re-runs of resolution never override it."""
    note(request, a=body.a, b=body.b, decision=body.decision)
    j = _judgements(services).add(body.a, body.b, body.decision, user=user.username, note=body.note)
    services.cache.pop("resolution", None)  # explanations now answer with this judgement applied
    return JudgementOut(**vars(j))


@router.get("/judgements", operation_id="list_judgements", response_model=list[JudgementOut], dependencies=[Judge])
def list_judgements(
    request: Request, services: Services, limit: Annotated[int, Query(ge=1, le=5000)] = 200
) -> list[JudgementOut]:
    """Every judgement, newest first (the trail of who decided what)."""
    rows = list(reversed(_judgements(services).all()))[:limit]
    note(request, result_size=len(rows))
    return [JudgementOut(**vars(j)) for j in rows]


@router.get("/entities/{entity_id}/explain", operation_id="explain_entity", response_model=dict[str, Any],
            dependencies=[Judge])
def explain_entity(
    request: Request, services: Services, store: Store, clearance: Viewer,
    entity_id: Annotated[str, Path(min_length=1, max_length=200)],
) -> dict[str, Any]:
    """Why an entity holds its records: each accepted pair with its per-feature breakdown, and near misses."""
    if not Lens(clearance, store, records=services.records).visible(entity_id):
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no entity {entity_id!r} visible to your role")
    answer: dict[str, Any] = _resolution(services).explain_entity(entity_id)
    note(request, result_size=len(answer.get("members", [])))
    return answer


@router.get("/review", operation_id="review_queue", response_model=list[dict[str, Any]], dependencies=[Judge])
def review_queue(
    request: Request, services: Services, limit: Annotated[int, Query(ge=1, le=1000)] = 100
) -> list[dict[str, Any]]:
    """Record pairs a person should decide: between the thresholds, or judged unsure; best first."""
    frame = _resolution(services).review_queue().head(limit)
    rows: list[dict[str, Any]] = json.loads(frame.to_json(orient="records", force_ascii=False))
    note(request, result_size=len(rows))
    return rows


@router.get("/pairs/explain", operation_id="explain_pair", response_model=dict[str, Any], dependencies=[Judge])
def explain_pair(request: Request, services: Services, a: RecordId, b: RecordId) -> dict[str, Any]:
    """Why two person records are or are not one entity."""
    resolution = _resolution(services)
    try:
        answer: dict[str, Any] = resolution.explain_pair(a, b)
    except KeyError:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "unknown record id") from None
    return answer
