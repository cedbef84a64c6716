"""Saved investigations: a named set of entities with notes, owned by one user and shared with chosen colleagues.

Stored in ``<workspace>/api/investigations.sqlite``. The owner and the colleagues it is shared with may
read it and edit entities and notes; only the owner changes the sharing or deletes it.

Examples
--------
>>> import tempfile
>>> store = InvestigationStore(Path(tempfile.mkdtemp()) / "inv.sqlite")
>>> inv = store.create("nok", "Mae Sot ring", entities=["per:1"], notes={"per:1": "recruiter?"}, shared_with=["lek"])
>>> [i.name for i in store.visible_to("lek")], store.visible_to("som")
(['Mae Sot ring'], [])
"""

from __future__ import annotations

import json
import secrets
import sqlite3
import threading
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

__all__ = ["Investigation", "InvestigationStore", "NotAllowed"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS investigations (
    id TEXT PRIMARY KEY, owner TEXT NOT NULL, body TEXT NOT NULL, updated TEXT NOT NULL
)
"""


class NotAllowed(PermissionError):
    """The user may not do this to this investigation."""


@dataclass
class Investigation:
    """One saved investigation."""

    id: str
    owner: str
    name: str
    description: str = ""
    entities: list[str] = field(default_factory=list)
    notes: dict[str, str] = field(default_factory=dict)
    shared_with: list[str] = field(default_factory=list)
    created: str = ""
    updated: str = ""

    def readable_by(self, username: str) -> bool:
        """The owner and the colleagues it is shared with."""
        return username == self.owner or username in self.shared_with


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class InvestigationStore:
    """The investigations table; whole investigations are stored as JSON bodies."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with sqlite3.connect(self.path) as db:
            db.execute(_SCHEMA)

    def _save(self, inv: Investigation) -> Investigation:
        inv.updated = _now()
        with self._lock, sqlite3.connect(self.path) as db:
            db.execute(
                "INSERT OR REPLACE INTO investigations (id, owner, body, updated) VALUES (?,?,?,?)",
                (inv.id, inv.owner, json.dumps(asdict(inv), ensure_ascii=False), inv.updated),
            )
        return inv

    def create(
        self,
        owner: str,
        name: str,
        description: str = "",
        entities: list[str] | None = None,
        notes: dict[str, str] | None = None,
        shared_with: list[str] | None = None,
    ) -> Investigation:
        """Save a new investigation owned by ``owner``."""
        inv = Investigation(
            id=f"inv-{secrets.token_hex(6)}",
            owner=owner,
            name=name,
            description=description,
            entities=list(dict.fromkeys(entities or [])),
            notes=dict(notes or {}),
            shared_with=sorted(set(shared_with or []) - {owner}),
            created=_now(),
        )
        return self._save(inv)

    def get(self, inv_id: str, username: str) -> Investigation | None:
        """The investigation when it exists and ``username`` may read it, else None."""
        with sqlite3.connect(self.path) as db:
            row = db.execute("SELECT body FROM investigations WHERE id = ?", (inv_id,)).fetchone()
        if row is None:
            return None
        inv = Investigation(**json.loads(row[0]))
        return inv if inv.readable_by(username) else None

    def visible_to(self, username: str) -> list[Investigation]:
        """Investigations the user owns or that are shared with them, newest first."""
        with sqlite3.connect(self.path) as db:
            rows = db.execute("SELECT body FROM investigations ORDER BY updated DESC").fetchall()
        invs = [Investigation(**json.loads(r[0])) for r in rows]
        return [i for i in invs if i.readable_by(username)]

    def update(self, inv_id: str, username: str, changes: dict[str, Any]) -> Investigation | None:
        """Apply changes (name, description, entities, notes, shared_with); None when not readable."""
        inv = self.get(inv_id, username)
        if inv is None:
            return None
        if ("shared_with" in changes) and username != inv.owner:
            raise NotAllowed("only the owner changes who an investigation is shared with")
        for key in ("name", "description", "entities", "notes", "shared_with"):
            if changes.get(key) is not None:
                setattr(inv, key, changes[key])
        inv.entities = list(dict.fromkeys(inv.entities))
        inv.shared_with = sorted(set(inv.shared_with) - {inv.owner})
        return self._save(inv)

    def delete(self, inv_id: str, username: str) -> bool:
        """Delete when the user owns it; False when not readable, :class:`NotAllowed` when not the owner."""
        inv = self.get(inv_id, username)
        if inv is None:
            return False
        if username != inv.owner:
            raise NotAllowed("only the owner deletes an investigation")
        with self._lock, sqlite3.connect(self.path) as db:
            db.execute("DELETE FROM investigations WHERE id = ?", (inv_id,))
        return True
