"""``serve``: run the app with uvicorn (called by ``tipgraph serve`` and ``tipgraph demo``).

With ``workers`` > 1, uvicorn starts that many processes on one listening socket, each with its own app
built by :func:`app_from_environment` from the parent's settings. What the processes share stays correct:
the audit chain (appends under ``flock``, see :mod:`api.audit`), users and saved investigations (SQLite),
the signing key (one file, created once by the parent), the failed-login counts (SQLite, :mod:`api.throttle`:
the limits hold for the server as a whole, whichever process a login reaches).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from graph_model.store.base import GraphStore

if TYPE_CHECKING:
    from fastapi import FastAPI

    from api.settings import Settings

__all__ = ["app_from_environment", "serve", "warm_store"]

#: The parent's settings (JSON) for the worker processes' apps.
SETTINGS_ENV = "TIPGRAPH_SERVE_SETTINGS"


def serve(
    host: str = "127.0.0.1",
    port: int = 8000,
    workspace: str | Path | None = None,
    store_kind: str | None = None,
    store: GraphStore | None = None,
    log_level: str = "info",
    workers: int = 1,
    access_log: bool = True,
    warm_up_seconds: float | None = None,
    **settings: object,
) -> None:
    """Serve the API and the web app until interrupted.

    Parameters
    ----------
    host, port
        Where to listen (loopback by default).
    workspace, store_kind
        Override ``TIPGRAPH_HOME`` and ``TIPGRAPH_STORE_KIND``; other settings as keywords.
    store
        An already opened store to serve instead of the configured one (one process only).
    workers
        Processes serving requests; each opens the configured store (an embedded store is loaded by each).
    access_log
        uvicorn's line per request on the console (every API call is in the audit log anyway).
    warm_up_seconds
        Before listening, read profiles and networks of sampled persons for this long so that a freshly
        started Neo4j answers at its warm speed (:mod:`api.warmup`; default: the setting
        ``warm_up_seconds``; 0: none; the embedded store is never warmed).
    """
    import uvicorn

    from api.settings import get_settings

    config = get_settings(workspace=workspace, store_kind=store_kind, warm_up_seconds=warm_up_seconds, **settings)
    warm_store(config, store)
    options: dict[str, object] = {"host": host, "port": port, "log_level": log_level, "proxy_headers": False,
                                  "server_header": False, "access_log": access_log}
    if workers > 1:
        if store is not None:
            raise ValueError("an opened store cannot be shared by worker processes; serve the configured one")
        from api.security import load_or_create_key

        load_or_create_key(config.api_dir)  # once, before the workers read it
        os.environ[SETTINGS_ENV] = config.model_dump_json()
        uvicorn.run("api.server:app_from_environment", factory=True, workers=workers, **options)  # type: ignore[arg-type]
        return
    from api.app import create_app

    uvicorn.run(create_app(config, store=store), **options)  # type: ignore[arg-type]


def warm_store(config: Settings, store: GraphStore | None = None) -> None:
    """Warm the Neo4j store ``serve`` is about to serve (the one given, or the configured one, opened and
    closed here: the worker processes open their own) for ``config.warm_up_seconds``; see :mod:`api.warmup`."""
    from api.provenance import RecordLookup
    from api.warmup import warm_up

    seconds = config.warm_up_seconds
    if seconds <= 0 or (store is None and config.store_kind != "neo4j"):
        return
    from api.services import open_configured_store

    target = store if store is not None else open_configured_store(config)
    try:
        warm_up(target, seconds, records=RecordLookup(Path(config.workspace) / "records.sqlite"), echo=print)
    finally:
        if store is None:
            target.close()


def app_from_environment() -> FastAPI:
    """The app of one worker process, with the settings :func:`serve` left in ``TIPGRAPH_SERVE_SETTINGS``."""
    from api.app import create_app
    from api.settings import Settings

    return create_app(Settings.model_validate_json(os.environ[SETTINGS_ENV]))
