"""``serve``: run the app with uvicorn (called by ``tipgraph serve`` and ``tipgraph demo``)."""

from __future__ import annotations

from pathlib import Path

from graph_model.store.base import GraphStore

__all__ = ["serve"]


def serve(
    host: str = "127.0.0.1",
    port: int = 8000,
    workspace: str | Path | None = None,
    store_kind: str | None = None,
    store: GraphStore | None = None,
    log_level: str = "info",
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
        An already opened store to serve instead of the configured one.
    """
    import uvicorn

    from api.app import create_app
    from api.settings import get_settings

    config = get_settings(workspace=workspace, store_kind=store_kind, **settings)
    app = create_app(config, store=store)
    uvicorn.run(app, host=host, port=port, log_level=log_level, proxy_headers=False, server_header=False)
