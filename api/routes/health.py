"""``GET /api/health``: liveness, without a token."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel

router = APIRouter(tags=["health"])


class Health(BaseModel):
    """The service is up."""

    status: str
    version: str


@router.get("/health", operation_id="health", response_model=Health)
def health() -> Health:
    """Liveness check; needs no token and reads no data."""
    return Health(status="ok", version="0.1.0")
