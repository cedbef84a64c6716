"""The long-lived objects of one app: settings, users, audit log, signing key, graph store.

Built by :func:`api.app.create_app`; the graph store is opened on first use (never at import time).
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from api.audit import AuditLog
from api.investigations import InvestigationStore
from api.provenance import RecordLookup
from api.security import load_or_create_key
from api.settings import Settings
from api.throttle import LoginThrottle
from api.users import UserStore
from graph_model.store.base import GraphStore

__all__ = ["Services", "open_configured_store"]


def open_configured_store(settings: Settings) -> GraphStore:
    """Open the graph store the settings name, through ``graph_model.store.open_store``."""
    from graph_model.store import open_store

    # None values fall back to the store package's own settings.
    return open_store(
        settings.store_kind,
        workspace=Path(settings.workspace),
        uri=settings.neo4j_uri,
        user=settings.neo4j_user,
        password=settings.neo4j_password,
    )


class Services:
    """Everything the routes share; one per app."""

    def __init__(self, settings: Settings, store: GraphStore | None = None) -> None:
        self.settings = settings
        api_dir = settings.api_dir
        api_dir.mkdir(parents=True, exist_ok=True)
        self.key = load_or_create_key(api_dir)
        self.users = UserStore(api_dir / "users.sqlite", rounds=settings.bcrypt_rounds)
        self.audit = AuditLog(api_dir, self.key)
        self.login_throttle = LoginThrottle(
            settings.login_failures_per_user, settings.login_failures_per_address, settings.login_window_seconds,
            api_dir / "logins.sqlite",
        )
        self.investigations = InvestigationStore(api_dir / "investigations.sqlite")
        #: ingest's source records, read-only: which records each value of an entity came from.
        self.records = RecordLookup(Path(settings.workspace) / "records.sqlite")
        # Pseudonyms are stable per workspace but not guessable from an entity id alone.
        self.pseudonym_salt = self.key[:8].hex()
        self._store = store
        self._owns_store = store is None  # a store handed in is the caller's to close
        self._store_lock = threading.Lock()
        #: Answers worth keeping for the life of the app (e.g. rings detected on a read-only store).
        self.cache: dict[str, Any] = {}

    def store(self) -> GraphStore:
        """The graph store, opened on first use."""
        if self._store is None:
            with self._store_lock:
                if self._store is None:
                    self._store = open_configured_store(self.settings)
        return self._store

    def close(self) -> None:
        """Close the store if this app opened it, the user store's per-thread connections and the login counts."""
        self.users.close()
        self.login_throttle.close()
        if self._store is not None and self._owns_store:
            self._store.close()
