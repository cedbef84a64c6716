"""Graph stores behind one interface: :class:`~graph_model.store.memory.MemoryStore` (networkx, saved to
a directory) and :class:`~graph_model.store.neo4j.Neo4jStore` (Bolt). :func:`open_store` builds either
from arguments or the ``TIPGRAPH_*`` settings (:mod:`graph_model.settings`).

Examples
--------
>>> store = open_store("memory")
>>> store.backend, store.counts()
('memory', {})
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from graph_model.settings import StoreSettings, store_settings
from graph_model.store.base import GraphStore

__all__ = ["GraphStore", "open_store"]


def open_store(
    kind: str | None = None,
    *,
    settings: StoreSettings | None = None,
    directory: str | os.PathLike[str] | None = None,
    workspace: str | os.PathLike[str] | None = None,
    uri: str | None = None,
    user: str | None = None,
    password: str | None = None,
    database: str | None = None,
    ensure_schema: bool = True,
    **options: Any,
) -> GraphStore:
    """Open the store ``kind`` (``memory`` or ``neo4j``; default from ``TIPGRAPH_STORE``).

    ``memory``: loads ``directory`` (else ``TIPGRAPH_GRAPH_DIR``, else ``<workspace>/graph``) when it holds
    a saved graph, otherwise starts empty and saves there. ``neo4j``: connects with the given or configured
    URI (``bolt://`` or a ``neo4j://`` routing URI), credentials and database; ``ensure_schema`` creates
    constraints and indexes. Other ``options`` go to the store's constructor.
    """
    cfg = settings or store_settings()
    kind = kind or cfg.store
    if kind == "memory":
        from graph_model.store.memory import MemoryStore

        folder = directory or cfg.graph_dir or (Path(workspace) / "graph" if workspace is not None else None)
        if folder is not None and (Path(folder) / "manifest.json").exists():
            return MemoryStore.load(folder, **options)
        return MemoryStore(directory=folder, **options)
    if kind == "neo4j":
        from graph_model.store.neo4j import Neo4jStore

        store = Neo4jStore(
            uri or cfg.neo4j_uri,
            user if user is not None else cfg.neo4j_user,
            password if password is not None else (cfg.neo4j_password or None),
            database or cfg.neo4j_database,
            **options,
        )
        if ensure_schema:
            store.ensure_schema()
        return store
    raise ValueError(f"unknown store kind {kind!r}; use 'memory' or 'neo4j'")
