"""FastAPI dependencies as ``Annotated`` aliases: ``Services``, ``Store``, ``CurrentUser``, ``Viewer``.

Every route but health and login takes ``CurrentUser`` (or ``Viewer``, the user's clearance), so an
endpoint without a valid token answers 401. Role checks are dependencies too (:func:`require_roles`,
:data:`FinanceViewer`), so that they show in one place per route.

The dependencies are ``async def``: FastAPI runs a plain ``def`` dependency in its thread pool, one hand-off
to a worker thread and back per dependency and request (four per call here; 2.9 -> 2.4 ms of server CPU
per request in ``benchmarks/api.py``). They do no waiting: a token check, one indexed read of the small users table, and
opening the store, which is the one slow step and is done in the thread pool, once.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, HTTPException, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool

from api.policy import Clearance
from api.security import TokenError, decode_token
from api.services import Services as _Services
from api.users import User
from graph_model.store.base import GraphStore

__all__ = [
    "AdminUser",
    "CurrentUser",
    "FinanceViewer",
    "Services",
    "Store",
    "Viewer",
    "note",
    "require_roles",
]

_bearer = HTTPBearer(auto_error=False, description="Token from POST /api/auth/login")


async def get_services(request: Request) -> _Services:
    """The app's shared services."""
    services: _Services = request.app.state.services
    return services


Services = Annotated[_Services, Depends(get_services)]


async def get_store(request: Request, services: Services) -> GraphStore:
    """The graph store (opened on first use, in the thread pool: the embedded store reads its whole graph)."""
    store: GraphStore | None = getattr(request.app.state, "store", None)
    if store is None:
        store = await run_in_threadpool(services.store)
        request.app.state.store = store
    return store


Store = Annotated[GraphStore, Depends(get_store)]


def _unauthorised(message: str) -> HTTPException:
    return HTTPException(status.HTTP_401_UNAUTHORIZED, message, headers={"WWW-Authenticate": "Bearer"})


async def get_current_user(
    request: Request,
    services: Services,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> User:
    """The user of a valid bearer token (401 otherwise); roles and grants are read fresh from the user table."""
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise _unauthorised("missing bearer token; log in at POST /api/auth/login")
    try:
        claims = decode_token(services.key, credentials.credentials)
    except TokenError as exc:
        raise _unauthorised(str(exc)) from None
    user = services.users.get(str(claims["sub"]))
    if user is None:
        raise _unauthorised("the token's user no longer exists")
    request.state.user = user
    return user


CurrentUser = Annotated[User, Depends(get_current_user)]


async def get_clearance(user: CurrentUser, services: Services) -> Clearance:
    """What the current user may see."""
    return Clearance.for_role(
        user.role, user.grants, services.settings.victim_roles, salt=services.pseudonym_salt
    )


Viewer = Annotated[Clearance, Depends(get_clearance)]


def require_roles(*roles: str) -> Any:
    """A dependency admitting only users of the given roles (403 otherwise)."""

    async def check(user: CurrentUser) -> User:
        if user.role not in roles:
            raise HTTPException(
                status.HTTP_403_FORBIDDEN, f"role {user.role!r} may not do this; allowed: {', '.join(roles)}"
            )
        return user

    return Depends(check)


AdminUser = Annotated[User, require_roles("admin")]


async def get_finance_viewer(clearance: Viewer) -> Clearance:
    """The clearance of a user cleared for financial data (AMLO), 403 otherwise."""
    if not clearance.finance:
        raise HTTPException(
            status.HTTP_403_FORBIDDEN,
            "financial data (AMLO) needs the amlo role or a finance grant from an administrator",
        )
    return clearance


FinanceViewer = Annotated[Clearance, Depends(get_finance_viewer)]


def note(request: Request, result_size: int | None = None, **params: Any) -> None:
    """Add parameters (e.g. of a request body) and the result size to the request's audit entry."""
    extra = getattr(request.state, "audit_params", None) or {}
    extra.update(params)
    request.state.audit_params = extra
    if result_size is not None:
        request.state.result_size = result_size
