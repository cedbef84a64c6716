"""Saved investigations: a named set of entities with notes, shared with chosen colleagues."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path, Request, status
from pydantic import BaseModel, Field

from api.deps import CurrentUser, Services, Store, Viewer, note
from api.investigations import Investigation, NotAllowed
from api.policy import Lens

router = APIRouter(prefix="/investigations", tags=["investigations"])

InvId = Annotated[str, Path(min_length=1, max_length=64)]
Ids = Annotated[list[Annotated[str, Field(min_length=1, max_length=200)]], Field(max_length=2000)]
Notes = Annotated[dict[str, Annotated[str, Field(max_length=5000)]], Field(max_length=2000)]
Names = Annotated[list[Annotated[str, Field(min_length=1, max_length=128)]], Field(max_length=100)]


class InvestigationIn(BaseModel):
    """A new investigation."""

    name: str = Field(min_length=1, max_length=200)
    description: str = Field(default="", max_length=5000)
    entities: Ids = Field(default_factory=list)
    notes: Notes = Field(default_factory=dict)
    shared_with: Names = Field(default_factory=list)


class InvestigationPatch(BaseModel):
    """Changes to an investigation (fields left out stay as they are)."""

    name: str | None = Field(default=None, min_length=1, max_length=200)
    description: str | None = Field(default=None, max_length=5000)
    entities: Ids | None = None
    notes: Notes | None = None
    shared_with: Names | None = None


class InvestigationOut(BaseModel):
    """A saved investigation."""

    id: str
    owner: str
    name: str
    description: str
    entities: list[str]
    notes: dict[str, str]
    shared_with: list[str]
    labels: dict[str, str] = Field(default_factory=dict, description="How each visible entity reads")
    created: str
    updated: str


def _out(inv: Investigation, lens: Lens) -> InvestigationOut:
    """The investigation as this user may see it: entities (and their notes) hidden from the role left out."""
    shown = {**vars(inv), "entities": lens.keep(inv.entities), "labels": lens.labels(inv.entities),
             "notes": {k: v for k, v in inv.notes.items() if k not in inv.entities or lens.visible(k)}}
    return InvestigationOut(**shown)


def _keep_hidden(inv: Investigation, changes: dict[str, Any], lens: Lens) -> dict[str, Any]:
    """Changes by a user who cannot see every entity must not drop what they cannot see."""
    hidden = [e for e in inv.entities if not lens.visible(e)]
    if "entities" in changes:
        changes["entities"] = [*changes["entities"], *hidden]
    if "notes" in changes:
        changes["notes"] = {**changes["notes"], **{k: v for k, v in inv.notes.items() if k in hidden}}
    return changes


def _missing(inv_id: str) -> HTTPException:
    return HTTPException(status.HTTP_404_NOT_FOUND, f"no investigation {inv_id!r} shared with you")


@router.get("", operation_id="list_investigations", response_model=list[InvestigationOut])
def list_investigations(
    request: Request, user: CurrentUser, services: Services, store: Store, clearance: Viewer
) -> list[InvestigationOut]:
    """Investigations you own or that colleagues shared with you."""
    found = services.investigations.visible_to(user.username)
    note(request, result_size=len(found))
    lens = Lens(clearance, store, records=services.records)
    return [_out(i, lens) for i in found]


@router.post("", operation_id="create_investigation", response_model=InvestigationOut, status_code=201)
def create_investigation(
    body: InvestigationIn, request: Request, user: CurrentUser, services: Services, store: Store, clearance: Viewer
) -> InvestigationOut:
    """Save a named set of entities with notes; share it with colleagues by user name."""
    inv = services.investigations.create(user.username, body.name, body.description, body.entities, body.notes,
                                         body.shared_with)
    note(request, id=inv.id, name=body.name, entities=len(body.entities), shared_with=body.shared_with)
    return _out(inv, Lens(clearance, store, records=services.records))


@router.get("/{inv_id}", operation_id="get_investigation", response_model=InvestigationOut)
def get_investigation(
    inv_id: InvId, user: CurrentUser, services: Services, store: Store, clearance: Viewer
) -> InvestigationOut:
    """One investigation you own or that is shared with you."""
    inv = services.investigations.get(inv_id, user.username)
    if inv is None:
        raise _missing(inv_id)
    return _out(inv, Lens(clearance, store, records=services.records))


@router.patch("/{inv_id}", operation_id="update_investigation", response_model=InvestigationOut)
def update_investigation(
    inv_id: InvId, body: InvestigationPatch, request: Request, user: CurrentUser, services: Services, store: Store,
    clearance: Viewer,
) -> InvestigationOut:
    """Change entities, notes or name; only the owner changes who it is shared with."""
    changes = body.model_dump(exclude_none=True)
    note(request, changed=sorted(changes))
    lens = Lens(clearance, store, records=services.records)
    current = services.investigations.get(inv_id, user.username)
    if current is None:
        raise _missing(inv_id)
    changes = _keep_hidden(current, changes, lens)
    try:
        inv = services.investigations.update(inv_id, user.username, changes)
    except NotAllowed as exc:
        raise HTTPException(status.HTTP_403_FORBIDDEN, str(exc)) from None
    if inv is None:
        raise _missing(inv_id)
    return _out(inv, lens)


@router.delete("/{inv_id}", operation_id="delete_investigation", status_code=204)
def delete_investigation(inv_id: InvId, user: CurrentUser, services: Services) -> None:
    """Delete an investigation you own."""
    try:
        deleted = services.investigations.delete(inv_id, user.username)
    except NotAllowed as exc:
        raise HTTPException(status.HTTP_403_FORBIDDEN, str(exc)) from None
    if not deleted:
        raise _missing(inv_id)
