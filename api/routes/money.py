"""Money: trails forward and backward in time order, and the detected money patterns (finance only)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Query, Request, status
from pydantic import BaseModel

from api.deps import FinanceViewer, Services, Store, note
from api.policy import Lens
from api.schemas import GraphNode

router = APIRouter(prefix="/money", tags=["money"])

PATTERNS = ("fan_in", "fan_out", "cycles", "pass_through", "structuring", "compensation_to_suspect")


class MoneyPathView(BaseModel):
    """One chain of transfers in the order the money was followed."""

    accounts: list[str]
    txn_ids: list[str]
    rel_ids: list[str]
    amounts: list[float]
    ats: list[str]
    total_thb: float
    delivered_thb: float


class TrailAnswer(BaseModel):
    """Money trails from an entity, with the accounts on them (holders' names in ``account_names``)."""

    start: str
    direction: str
    paths: list[MoneyPathView]
    accounts: list[GraphNode]


class PatternView(BaseModel):
    """A detected money pattern: the focal account first."""

    pattern: str
    accounts: list[str]
    txn_ids: list[str]
    total_thb: float
    detail: dict[str, Any]


@router.get(
    "/trail",
    operation_id="money_trail",
    response_model=TrailAnswer,
    responses={403: {"description": "Needs the amlo role or a finance grant"}},
)
def money_trail(
    request: Request,
    services: Services,
    store: Store,
    clearance: FinanceViewer,
    entity_id: Annotated[str, Query(min_length=1, max_length=200, description="An account, person or organisation")],
    direction: Literal["forward", "backward"] = "forward",
    max_hops: Annotated[int, Query(ge=1, le=8)] = 5,
    time_ordered: bool = True,
    amount_tolerance: Annotated[float | None, Query(ge=0, le=1)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> TrailAnswer:
    """Where the money went (forward) or came from (backward), each transfer not before the previous one."""
    from graph_model.queries.money import trail

    lens = Lens(clearance, store, records=services.records)
    if not lens.visible(entity_id):
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no entity {entity_id!r} visible to your role")
    found = trail(store, entity_id, direction=direction, max_hops=max_hops, time_ordered=time_ordered,
                  amount_tolerance=amount_tolerance, limit=limit)
    paths = [p for p in found if lens.all_visible(p.accounts)]
    shown = {i for p in paths for i in p.accounts}  # not the accounts of paths left out
    note(request, result_size=len(paths))
    return TrailAnswer(
        start=entity_id,
        direction=direction,
        paths=[MoneyPathView(**p.to_dict()) for p in paths],
        accounts=[GraphNode(**n.to_dict()) for n in lens.nodes() if n.type == "Account" and n.id in shown],
    )


@router.get("/patterns", operation_id="money_patterns", response_model=list[PatternView])
def money_patterns(
    request: Request,
    services: Services,
    store: Store,
    clearance: FinanceViewer,
    pattern: Literal["fan_in", "fan_out", "cycles", "pass_through", "structuring", "compensation_to_suspect"],
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> list[PatternView]:
    """Fan-in of debt payments, fan-out, cycles, pass-through mules, structuring, compensation to suspects."""
    from graph_model.queries import money_patterns as mp

    lens = Lens(clearance, store, records=services.records)
    found = [p for p in getattr(mp, pattern)(store) if lens.all_visible(p.accounts)][:limit]
    note(request, result_size=len(found))
    return [_visible_pattern(p.to_dict(), lens) for p in found]


def _visible_pattern(found: dict[str, Any], lens: Lens) -> PatternView:
    """A pattern with the entities in its detail the viewer may not see left out: the holders, and the
    compensation claim with its payment (victim data: RLPD) for viewers without victim clearance."""
    detail = dict(found["detail"])
    for key in ("holders", "account_holders"):
        if key in detail:
            detail[key] = lens.keep(detail[key])
    if detail.get("claim") is not None and not lens.visible(detail["claim"]):
        paid_to = detail.get("paid_to")
        detail["claim"] = detail["paid_to"] = None
        found = {**found, "txn_ids": [t for t in found["txn_ids"] if t != paid_to]}
    return PatternView(**{**found, "detail": detail})
