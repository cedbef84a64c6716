"""Administration: users and grants, the audit log and its verification (admins only)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request, status
from pydantic import BaseModel, Field

from api.deps import AdminUser, Services, note
from api.users import GRANTS, ROLES

router = APIRouter(tags=["admin"])


class UserOut(BaseModel):
    """A user, without password."""

    username: str
    role: str
    grants: list[str]


class NewUser(BaseModel):
    """A user to create."""

    username: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.@-]+$")
    password: str = Field(min_length=8, max_length=72)
    role: str = Field(description=f"one of {', '.join(ROLES)}")
    grants: list[str] = Field(default_factory=list, description=f"any of {', '.join(GRANTS)}")


class Grants(BaseModel):
    """The compartments granted beyond the role."""

    grants: list[str] = Field(max_length=len(GRANTS), description=f"any of {', '.join(GRANTS)}")


class AuditPage(BaseModel):
    """Audit entries, newest first."""

    entries: list[dict[str, Any]]
    offset: int
    limit: int


class AuditCheck(BaseModel):
    """Result of verifying the hash chain."""

    ok: bool
    entries: int
    problems: list[dict[str, Any]]


@router.get("/users", operation_id="list_users", response_model=list[UserOut])
def list_users(admin: AdminUser, services: Services) -> list[UserOut]:
    """Every user with role and grants."""
    return [UserOut(username=u.username, role=u.role, grants=sorted(u.grants)) for u in services.users.list()]


@router.post("/users", operation_id="create_user", response_model=UserOut, status_code=201)
def create_user(body: NewUser, request: Request, admin: AdminUser, services: Services) -> UserOut:
    """Create (or replace) a user."""
    note(request, username=body.username, role=body.role, grants=body.grants)
    user = services.users.create(body.username, body.password, body.role, tuple(body.grants))
    return UserOut(username=user.username, role=user.role, grants=sorted(user.grants))


@router.put("/users/{username}/grants", operation_id="set_grants", response_model=UserOut)
def set_grants(username: str, body: Grants, request: Request, admin: AdminUser, services: Services) -> UserOut:
    """Replace a user's grants (e.g. give an investigator the ``finance`` compartment)."""
    note(request, grants=body.grants)
    user = services.users.set_grants(username, tuple(body.grants))
    if user is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no user {username!r}")
    return UserOut(username=user.username, role=user.role, grants=sorted(user.grants))


@router.get("/audit", operation_id="audit_log", response_model=AuditPage)
def audit_log(
    admin: AdminUser,
    services: Services,
    request: Request,
    user: Annotated[str | None, Query(max_length=128)] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> AuditPage:
    """Audit entries, newest first, optionally of one user."""
    rows = services.audit.tail(limit, offset, user)
    note(request, result_size=len(rows))
    return AuditPage(entries=rows, offset=offset, limit=limit)


@router.post("/audit/verify", operation_id="audit_verify", response_model=AuditCheck)
def audit_verify(admin: AdminUser, services: Services, request: Request) -> AuditCheck:
    """Recompute the hash chain; any edited, deleted or reordered entry is reported."""
    result = services.audit.verify()
    note(request, result_size=result.entries)
    return AuditCheck(ok=result.ok, entries=result.entries, problems=result.problems)
