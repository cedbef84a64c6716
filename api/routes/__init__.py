"""One ``APIRouter`` per resource; :data:`ROUTERS` lists them for the app factory."""

from __future__ import annotations

from fastapi import APIRouter

from api.routes import admin, auth, entities, health, network

__all__ = ["ROUTERS"]

ROUTERS: list[APIRouter] = [
    health.router,
    auth.router,
    entities.router,
    network.router,
    admin.router,
]
