"""Cases: the life of a case across agencies with stage durations, and cases linked to it."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path, Request, status
from pydantic import BaseModel, Field

from api.deps import Services, Store, Viewer, note
from api.policy import Lens

router = APIRouter(prefix="/cases", tags=["cases"])

#: A stage's values, read from its case node as the viewer may see it.
_CASE_FIELDS = ("case_no", "agency", "case_kind", "opened_date", "decision", "decision_date", "status")

CaseId = Annotated[str, Path(min_length=1, max_length=200, description="Case entity id")]


class Stage(BaseModel):
    """One agency's file in the life of a case."""

    case_id: str
    case_no: str | None = None
    agency: str | None = None
    case_kind: str | None = None
    opened_date: str | None = None
    decision: str | None = None
    decision_date: str | None = None
    status: str | None = None
    days_to_next: int | None = None
    days_to_decision: int | None = None


class Lifecycle(BaseModel):
    """Stages police → DSI → prosecution → court → compensation, with durations in days."""

    case_id: str
    stages: list[Stage]
    total_days: int | None


class LinkedCase(BaseModel):
    """A case outside the chain sharing persons or identifiers with it."""

    case_id: str
    shared_persons: list[str]
    shared_identifiers: list[str]
    labels: dict[str, str] = Field(default_factory=dict, description="How each shared person or identifier reads")


@router.get("/{case_id}/lifecycle", operation_id="case_lifecycle", response_model=Lifecycle)
def case_lifecycle(
    request: Request, services: Services, store: Store, clearance: Viewer, case_id: CaseId
) -> Lifecycle:
    """Where the case is in its life and how long each stage took (hidden files are left out)."""
    from graph_model.queries.cases import lifecycle

    lens = Lens(clearance, store, records=services.records)
    if not lens.visible(case_id):
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no case {case_id!r} visible to your role")
    answer: dict[str, Any] = lifecycle(store, case_id)
    stages = answer["stages"]
    shown = [s for s in stages if lens.visible(s["case_id"])]
    if len(shown) < len(stages):
        # A duration to a hidden stage would reveal it: only durations between shown neighbours stay.
        for i, s in enumerate(stages):
            nxt = stages[i + 1] if i + 1 < len(stages) else None
            if nxt is not None and not lens.visible(nxt["case_id"]):
                s["days_to_next"] = None
    for s in shown:  # each stage reads as the viewer may see its case (values only hidden records hold left out)
        seen = lens.node(s["case_id"])
        s.update({f: seen.props.get(f) if seen is not None else None for f in _CASE_FIELDS})
    note(request, result_size=len(shown))
    return Lifecycle(case_id=case_id, stages=[Stage(**s) for s in shown], total_days=answer.get("total_days"))


@router.get("/{case_id}/linked", operation_id="linked_cases", response_model=list[LinkedCase])
def linked(
    request: Request, services: Services, store: Store, clearance: Viewer, case_id: CaseId
) -> list[LinkedCase]:
    """Other cases sharing a person or an identifier with this case's persons."""
    from graph_model.queries.cases import linked_cases

    lens = Lens(clearance, store, records=services.records)
    if not lens.visible(case_id):
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no case {case_id!r} visible to your role")
    out = []
    for row in linked_cases(store, case_id):
        if not lens.visible(row["case_id"]):
            continue
        persons, idents = lens.keep(row["shared_persons"]), lens.keep(row["shared_identifiers"])
        if persons or idents:
            out.append(LinkedCase(case_id=row["case_id"], shared_persons=persons, shared_identifiers=idents,
                                  labels=lens.labels([*row["shared_persons"], *row["shared_identifiers"]])))
    note(request, result_size=len(out))
    return out
