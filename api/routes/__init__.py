"""One ``APIRouter`` per resource; :data:`ROUTERS` lists them for the app factory."""

from __future__ import annotations

from fastapi import APIRouter

from api.routes import (
    admin,
    auth,
    cases,
    entities,
    er,
    exchange,
    health,
    investigations,
    money,
    network,
    reports,
    rings,
    stats,
)

__all__ = ["ROUTERS"]

ROUTERS: list[APIRouter] = [
    health.router,
    auth.router,
    entities.router,
    network.router,
    money.router,
    rings.router,
    cases.router,
    stats.router,
    investigations.router,
    reports.router,
    er.router,
    exchange.router,
    admin.router,
]
