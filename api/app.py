"""The app factory: :func:`create_app` builds the FastAPI service and the web app it serves.

Examples
--------
>>> import tempfile
>>> from fastapi.testclient import TestClient
>>> from graph_model.store.memory import MemoryStore
>>> app = create_app(Settings(workspace=tempfile.mkdtemp(), bcrypt_rounds=4), store=MemoryStore())
>>> TestClient(app).get("/api/health").json()["status"]
'ok'
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI

from api.errors import SizeLimitMiddleware, install_error_handlers
from api.middleware import AuditMiddleware
from api.routes import ROUTERS
from api.services import Services
from api.settings import Settings, get_settings
from graph_model.store.base import GraphStore

__all__ = ["create_app"]

def create_app(settings: Settings | None = None, store: GraphStore | None = None) -> FastAPI:
    """Build the service: API routes under ``/api``, the web app at ``/``.

    Parameters
    ----------
    settings
        Defaults to :func:`api.settings.get_settings` (environment ``TIPGRAPH_*``).
    store
        A graph store to serve; by default the one the settings name, opened on first use.
    """
    settings = settings or get_settings()
    services = Services(settings, store)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        services.close()

    app = FastAPI(
        title="tipgraph",
        version="0.1.0",
        description="Investigative link analysis over Thailand's anti-trafficking database. "
        "Every answer is filtered by the caller's role and compartments, and every call is audited.",
        openapi_url="/api/openapi.json",
        # FastAPI's Swagger UI loads its scripts from a CDN; a closed network reads /api/openapi.json instead.
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.services = services
    install_error_handlers(app)
    for router in ROUTERS:
        app.include_router(router, prefix="/api")
    app.add_middleware(AuditMiddleware, audit=services.audit, durable=settings.audit_durable)
    app.add_middleware(
        SizeLimitMiddleware,
        max_body=settings.max_body_bytes,
        max_query=settings.max_query_chars,
        limits={"/api/exchange": settings.max_exchange_bytes, "/api/ingest": settings.max_exchange_bytes},
    )
    from api.routes.web import mount_web

    mount_web(app, Path(__file__).with_name("static"))
    return app
