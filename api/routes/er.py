"""Entity resolution: why records form an entity (explanations) and people's judgements on pairs.

Judgements are stored by ``entity_resolution.judgements.JudgementStore`` in ``<workspace>/resolution/``;
a re-run of resolution reads them. Explanations need the saved resolution run.

Every answer names source records; those of agencies the viewer may not see are left out, and a hidden
record gets the same 404 as one that does not exist (:mod:`api.resolution_view`).
"""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path, Query, Request, status
from pydantic import BaseModel, Field

from api.deps import CurrentUser, Services, Store, Viewer, note, require_roles
from api.policy import Clearance, Lens
from api.resolution_view import RecordSight, record_agencies, record_ids_of_entity
from entity_resolution.judgements import Decision

router = APIRouter(prefix="/er", tags=["entity resolution"])

#: Judging merges decides who is accused of what: investigators and admins only.
Judge = require_roles("investigator", "admin")
RecordId = Annotated[str, Query(min_length=1, max_length=300)]
#: Review-queue rows looked at per step while filling a page with rows the viewer may see.
REVIEW_STEP = 500


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


def _saved_run(services: Any) -> bool:
    return bool((services.settings.workspace / "resolution" / "settings.json").exists())


def _resolution(services: Any) -> Any:
    """The saved resolution run with today's judgements applied (kept until the next judgement)."""
    directory = services.settings.workspace / "resolution"
    if not _saved_run(services):
        raise HTTPException(status.HTTP_409_CONFLICT, "no saved resolution run to explain (run `tipgraph resolve`)")
    cached = services.cache.get("resolution")
    if cached is None:
        from entity_resolution.commands import load_resolution

        cached = services.cache["resolution"] = load_resolution(directory)
    return cached


def _sight(clearance: Clearance, services: Any, ids: Any, resolution: Any = None) -> RecordSight:
    """What the viewer may see of the records ``ids`` (their agencies looked up only when something is hidden)."""
    ids = list(ids)
    if not clearance.hidden_agencies and resolution is not None:
        return RecordSight(clearance, dict.fromkeys(ids))  # every record of the run is there to see
    return RecordSight(clearance, record_agencies(ids, services.records, resolution))


def _unknown_record() -> HTTPException:
    return HTTPException(status.HTTP_404_NOT_FOUND, "unknown record id (or a record your role may not see)")


@router.post("/judgements", operation_id="add_judgement", response_model=JudgementOut, status_code=201,
             dependencies=[Judge])
def add_judgement(
    body: JudgementIn, request: Request, user: CurrentUser, services: Services, clearance: Viewer
) -> JudgementOut:
    """Record that two records are (``merge``) or are not (``not_same``) one entity, undo a merge
    (``split``) or flag it (``unsure``). Re-runs of resolution never override it. Both records must exist
    and be visible to your role (404 otherwise)."""
    note(request, a=body.a, b=body.b, decision=body.decision)
    run = None if services.records.available or not _saved_run(services) else _resolution(services)
    if not RecordSight(clearance, record_agencies([body.a, body.b], services.records, run)).all_visible(body.a, body.b):
        raise _unknown_record()
    j = _judgements(services).add(body.a, body.b, body.decision, user=user.username, note=body.note)
    services.cache.pop("resolution", None)  # explanations now answer with this judgement applied
    return JudgementOut(**vars(j))


@router.get("/judgements", operation_id="list_judgements", response_model=list[JudgementOut], dependencies=[Judge])
def list_judgements(
    request: Request, services: Services, clearance: Viewer, limit: Annotated[int, Query(ge=1, le=5000)] = 200
) -> list[JudgementOut]:
    """Every judgement on records your role may see, newest first (the trail of who decided what)."""
    every = list(reversed(_judgements(services).all()))
    if clearance.hidden_agencies:
        run = None if services.records.available or not _saved_run(services) else _resolution(services)
        sight = RecordSight(clearance, record_agencies([r for j in every for r in (j.a, j.b)], services.records, run))
        every = [j for j in every if sight.all_visible(j.a, j.b)]
    rows = every[:limit]
    note(request, result_size=len(rows))
    return [JudgementOut(**vars(j)) for j in rows]


@router.get("/entities/{entity_id}/explain", operation_id="explain_entity", response_model=dict[str, Any],
            dependencies=[Judge])
def explain_entity(
    request: Request, services: Services, store: Store, clearance: Viewer,
    entity_id: Annotated[str, Path(min_length=1, max_length=200)],
) -> dict[str, Any]:
    """Why an entity holds its records: each accepted pair with its per-feature breakdown, and near misses
    (records, pairs and judgements of compartments your role may not see are left out)."""
    if not Lens(clearance, store, records=services.records).visible(entity_id):
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no entity {entity_id!r} visible to your role")
    resolution = _resolution(services)
    full: dict[str, Any] = resolution.explain_entity(entity_id)
    answer = _sight(clearance, services, record_ids_of_entity(full), resolution).entity(full)
    note(request, result_size=len(answer.get("members", [])))
    return answer


@router.get("/review", operation_id="review_queue", response_model=list[dict[str, Any]], dependencies=[Judge])
def review_queue(
    request: Request, services: Services, clearance: Viewer, limit: Annotated[int, Query(ge=1, le=1000)] = 100
) -> list[dict[str, Any]]:
    """Record pairs a person should decide: between the thresholds, or judged unsure; best first (pairs
    with a record your role may not see are left out)."""
    resolution = _resolution(services)
    frame = resolution.review_queue()
    rows: list[dict[str, Any]] = []
    for start in range(0, len(frame), REVIEW_STEP):  # a page of visible rows, without looking up the whole queue
        chunk = json.loads(frame.iloc[start:start + REVIEW_STEP].to_json(orient="records", force_ascii=False))
        sight = _sight(clearance, services, [r for row in chunk for r in (row["record_a"], row["record_b"])],
                       resolution)
        rows += [sight.scored_row(row) for row in chunk if sight.all_visible(row["record_a"], row["record_b"])]
        if len(rows) >= limit:
            break
    rows = rows[:limit]
    note(request, result_size=len(rows))
    return rows


@router.get("/pairs/explain", operation_id="explain_pair", response_model=dict[str, Any], dependencies=[Judge])
def explain_pair(request: Request, services: Services, clearance: Viewer, a: RecordId, b: RecordId) -> dict[str, Any]:
    """Why two person records are or are not one entity (404 for a record your role may not see)."""
    resolution = _resolution(services)
    sight = _sight(clearance, services, [a, b], resolution)
    if not sight.all_visible(a, b):
        raise _unknown_record()
    try:
        answer: dict[str, Any] = resolution.explain_pair(a, b)
    except KeyError:
        raise _unknown_record() from None
    return sight.pair(answer)
