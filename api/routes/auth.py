"""``POST /api/auth/login`` (a token for a name and password) and ``GET /api/auth/me``."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request, status
from pydantic import BaseModel, Field

from api.deps import CurrentUser, Services, Viewer, note
from api.security import issue_token

router = APIRouter(prefix="/auth", tags=["auth"])


class Login(BaseModel):
    """A user name and password."""

    username: str = Field(min_length=1, max_length=128)
    password: str = Field(min_length=1, max_length=72, description="bcrypt reads at most 72 bytes")


class Token(BaseModel):
    """A bearer token and how long it lives."""

    access_token: str
    token_type: str = "bearer"
    expires_in: int
    username: str
    role: str


class Me(BaseModel):
    """The current user, role, grants and what the role may see."""

    username: str
    role: str
    grants: list[str]
    victims: bool
    finance: bool
    pseudonymised: bool


@router.post(
    "/login",
    operation_id="login",
    response_model=Token,
    responses={
        401: {"description": "Wrong user name or password"},
        429: {"description": "Too many failed logins for this user name or from this address; see Retry-After"},
    },
)
def login(body: Login, request: Request, services: Services) -> Token:
    """Exchange a user name and password for a bearer token.

    Failed logins are counted per user name and per client address; past the limit, logins are refused
    (429, ``Retry-After`` in seconds) without checking the password until the window has moved on.
    """
    request.state.login_name = body.username
    address = request.client.host if request.client else "unknown"
    throttle = services.login_throttle
    blocked = throttle.retry_after(body.username, address)
    if blocked is not None:
        note(request, throttled=blocked.scope, address=address)
        raise HTTPException(
            status.HTTP_429_TOO_MANY_REQUESTS,
            f"too many failed logins {'for this user name' if blocked.scope == 'user' else 'from this address'}; "
            f"try again in {blocked.seconds} s",
            headers={"Retry-After": str(blocked.seconds)},
        )
    user = services.users.authenticate(body.username, body.password)
    if user is None:
        throttle.failed(body.username, address)
        note(request, address=address)
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "wrong user name or password")
    throttle.succeeded(body.username)
    minutes = services.settings.token_minutes
    token = issue_token(services.key, user.username, user.role, minutes)
    return Token(access_token=token, expires_in=minutes * 60, username=user.username, role=user.role)


@router.get("/me", operation_id="me", response_model=Me)
def me(user: CurrentUser, clearance: Viewer) -> Me:
    """Who the token belongs to and which compartments it opens."""
    return Me(
        username=user.username,
        role=user.role,
        grants=sorted(user.grants),
        victims=clearance.victims,
        finance=clearance.finance,
        pseudonymised=clearance.pseudonymise,
    )
