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


def _hidden(inv: Investigation, lens: Lens) -> set[str]:
    """The investigation's entities and note keys the viewer may not see: entities not visible to them, and
    note keys naming a stored entity not visible to them (a note on a free key, not an entity, stays)."""
    keys = list(dict.fromkeys([*inv.entities, *inv.notes]))
    lens.load(keys)
    unseen = [k for k in keys if not lens.visible(k)]
    stored = {n.id for n in lens.store.get_entities([k for k in unseen if k not in inv.entities])}
    return {k for k in unseen if k in inv.entities or k in stored}


def _out(inv: Investigation, lens: Lens) -> InvestigationOut:
    """The investigation as this user may see it: entities (and notes on entities) hidden from the role left
    out, the others under their public ids (phones and documents pseudonymised for analysts)."""
    hidden, pid = _hidden(inv, lens), lens.clearance.public_id
    shown = {**vars(inv), "entities": lens.keep(inv.entities), "labels": lens.labels(inv.entities),
             "notes": {pid(k): v for k, v in inv.notes.items() if k not in hidden}}
    return InvestigationOut(**shown)


def _keep_hidden(inv: Investigation, changes: dict[str, Any], lens: Lens) -> dict[str, Any]:
    """Changes by a user who cannot see every entity must not drop what they cannot see; ids they were shown
    as public ids (pseudonyms) are taken back to the ids they stand for."""
    hidden, pid = _hidden(inv, lens), lens.clearance.public_id
    stored = {pid(k): k for k in [*inv.entities, *inv.notes] if k not in hidden}
    if "entities" in changes:
        mine = [stored.get(e, e) for e in changes["entities"]]
        changes["entities"] = list(dict.fromkeys([*mine, *(e for e in inv.entities if e in hidden)]))
    if "notes" in changes:
        mine_notes = {stored.get(k, k): v for k, v in changes["notes"].items()}
        changes["notes"] = {**mine_notes, **{k: v for k, v in inv.notes.items() if k in hidden}}
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
