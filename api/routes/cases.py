"""Cases: the life of a case across agencies with stage durations, and cases linked to it.

Both answers are recomputed over what the viewer may see: durations and the total only between stages
shown, and a linked case only through persons, roles and identifiers the viewer may see (a person whose one
tie to the case is a hidden victim role, or a phone only MSDHS recorded, links nothing for them).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path, Request, status
from pydantic import BaseModel, Field

from api.deps import Services, Store, Viewer, note
from api.policy import Clearance, Lens
from graph_model.store.base import GraphStore, TraversalFilter

router = APIRouter(prefix="/cases", tags=["cases"])

#: A stage's values, read from its case node as the viewer may see it.
_CASE_FIELDS = ("case_no", "agency", "case_kind", "opened_date", "decision", "decision_date", "status")

CaseId = Annotated[str, Path(min_length=1, max_length=200, description="Case entity id")]
#: Relationships through which cases' persons share an identifier (as ``graph_model.queries.cases``).
IDENTIFIER_RELS = frozenset({"HAS_PHONE", "HOLDS_ACCOUNT", "HAS_DOCUMENT", "HAS_ADDRESS"})
#: Persons read per case when checking links (a case names a handful; more would be a data error).
PERSONS_PER_CASE = 10_000


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
    case_label: str | None = Field(default=None, description="How the linked case reads (its number)")


def _days(a: str | None, b: str | None) -> int | None:
    if not a or not b:
        return None
    return (date.fromisoformat(b[:10]) - date.fromisoformat(a[:10])).days


@router.get("/{case_id}/lifecycle", operation_id="case_lifecycle", response_model=Lifecycle)
def case_lifecycle(
    request: Request, services: Services, store: Store, clearance: Viewer, case_id: CaseId
) -> Lifecycle:
    """Where the case is in its life and how long each stage took (hidden files are left out)."""
    from graph_model.queries.cases import lifecycle

    lens = Lens(clearance, store, records=services.records)
    if not lens.visible(case_id):
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no case {case_id!r} visible to your role")
    stages = lifecycle(store, case_id)["stages"]
    lens.load(s["case_id"] for s in stages)
    for s in stages:  # each stage reads as the viewer may see its case (values only hidden records hold left out)
        seen = lens.node(s["case_id"])
        s.update({f: seen.props.get(f) if seen is not None else None for f in _CASE_FIELDS})
    # Durations from the values shown, and none to a hidden stage (it would reveal it and its date).
    for s, nxt in zip(stages, [*stages[1:], None], strict=True):
        shown_next = nxt is not None and lens.visible(nxt["case_id"])
        s["days_to_next"] = _days(s["opened_date"], nxt["opened_date"]) if shown_next and nxt else None
        s["days_to_decision"] = _days(s["opened_date"], s["decision_date"])
    shown = [s for s in stages if lens.visible(s["case_id"])]
    dates = [d for s in shown for d in (s["opened_date"], s["decision_date"]) if d]
    note(request, result_size=len(shown))
    return Lifecycle(case_id=case_id, stages=[Stage(**s) for s in shown],
                     total_days=_days(min(dates), max(dates)) if dates else None)


@router.get("/{case_id}/linked", operation_id="linked_cases", response_model=list[LinkedCase])
def linked(
    request: Request, services: Services, store: Store, clearance: Viewer, case_id: CaseId
) -> list[LinkedCase]:
    """Other cases sharing a person or an identifier with this case's persons."""
    from graph_model.queries.cases import case_chain, linked_cases

    lens = Lens(clearance, store, records=services.records)
    if not lens.visible(case_id):
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no case {case_id!r} visible to your role")
    rows = [r for r in linked_cases(store, case_id) if lens.visible(r["case_id"])]
    if rows and clearance.hidden_agencies:
        chain = [c["id"] for c in case_chain(store, case_id) if lens.visible(c["id"])]
        rows = _seen_links(store, clearance, chain, rows)
    out = []
    for row in rows:
        persons, idents = lens.keep(row["shared_persons"]), lens.keep(row["shared_identifiers"])
        if persons or idents:
            out.append(LinkedCase(case_id=clearance.public_id(row["case_id"]), shared_persons=persons,
                                  shared_identifiers=idents,
                                  labels=lens.labels([*row["shared_persons"], *row["shared_identifiers"]]),
                                  case_label=lens.labels([row["case_id"]]).get(clearance.public_id(row["case_id"]))))
    note(request, result_size=len(out))
    return out


def _seen_links(
    store: GraphStore, clearance: Clearance, chain: list[str], rows: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """The links of ``rows`` (from :func:`graph_model.queries.cases.linked_cases`) that the viewer can see
    for themselves: a shared person needs a visible role in a visible case of the chain and in the linked
    case; a shared identifier needs such a person of the chain and another of the linked case, each tied
    to it by a visible relationship of the same type."""
    cases = [*chain, *(r["case_id"] for r in rows)]
    roles = TraversalFilter(rel_types=frozenset({"ROLE_IN"}))
    around = clearance.subgraph(store.neighbourhood(cases, hops=1, flt=clearance.traversal(roles),
                                                    limit_per_node=PERSONS_PER_CASE))
    cases_of: dict[str, set[str]] = defaultdict(set)  # person -> cases with a role the viewer may see
    for rel in around.relationships:
        if rel.type == "ROLE_IN":
            cases_of[rel.source].add(rel.target)
    in_chain = {p for p, cs in cases_of.items() if cs & set(chain)}
    idents = sorted({i for r in rows for i in r["shared_identifiers"]})
    held: dict[str, set[tuple[str, str]]] = defaultdict(set)  # identifier -> (holder, relationship type)
    if idents and in_chain:
        ties = clearance.subgraph(store.subgraph([*cases_of, *idents]))
        for rel in ties.relationships:
            if rel.type in IDENTIFIER_RELS:
                held[rel.target].add((rel.source, rel.type))
    pid = clearance.public_id  # the filtered subgraphs name phones and documents as the viewer sees them
    out = []
    for row in rows:
        o = row["case_id"]
        persons = [p for p in row["shared_persons"] if p in in_chain and o in cases_of.get(p, ())]
        shared = [i for i in row["shared_identifiers"]
                  if any(p in in_chain and q != p and t == u and o in cases_of.get(q, ())
                         for p, t in held.get(pid(i), ()) for q, u in held.get(pid(i), ()))]
        out.append({**row, "shared_persons": persons, "shared_identifiers": shared})
    return out
