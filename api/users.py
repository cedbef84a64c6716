"""Users, roles and grants in ``<workspace>/api/users.sqlite``; demo users for the demo command.

Examples
--------
>>> import tempfile
>>> users = UserStore(Path(tempfile.mkdtemp()) / "users.sqlite", rounds=4)
>>> _ = users.create("nok", "secret-pw", "amlo")
>>> users.authenticate("nok", "secret-pw").role
'amlo'
>>> users.authenticate("nok", "wrong") is None
True
"""

from __future__ import annotations

import json
import os
import secrets
import sqlite3
import threading
import weakref
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from api.security import hash_password, verify_password

__all__ = ["GRANTS", "ROLES", "User", "UserStore", "create_demo_users"]

ROLES = ("investigator", "analyst", "amlo", "pacc", "admin")
#: Extra compartments a user may be granted beyond the role: ``finance`` = AMLO data.
GRANTS = ("finance",)
DEMO_FILE = "demo-users.json"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS users (
    username TEXT PRIMARY KEY,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL,
    grants TEXT NOT NULL DEFAULT '[]',
    created TEXT NOT NULL
)
"""


@dataclass(frozen=True)
class User:
    """A user as the API sees it: name, role and the compartments granted beyond the role."""

    username: str
    role: str
    grants: frozenset[str] = field(default_factory=frozenset)


class _Connection(sqlite3.Connection):
    """A connection that can be weakly referenced (the built-in class cannot), so the store can close the
    connections of threads still alive without keeping those of finished threads open."""


class UserStore:
    """The users table; one SQLite connection per thread and process, kept between calls.

    A connection lives in a ``threading.local`` and is used only by the thread that opened it (a new
    connection costs about 80 us, a look-up on an open one about 6 us; the user is looked up on every
    request). ``check_same_thread`` is off only so that :meth:`close` may close them all from the
    thread that shuts the app down; a thread's connection is also closed when the thread ends, and a
    forked child opens its own. Every statement runs to its end, so no read lock outlives a call.
    """

    def __init__(self, path: Path, rounds: int = 12) -> None:
        self.path = Path(path)
        self.rounds = rounds
        self._lock = threading.Lock()  # one writer at a time in this process
        self._open_lock = threading.Lock()
        self._local = threading.local()
        self._open: weakref.WeakSet[_Connection] = weakref.WeakSet()
        self._pid = os.getpid()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(self.path, timeout=10)
        try:
            with db:
                db.execute(_SCHEMA)
        finally:
            db.close()

    def _connect(self) -> sqlite3.Connection:
        """This thread's connection, opened on first use."""
        db: _Connection | None = getattr(self._local, "db", None)
        if db is None or self._pid != os.getpid():
            if self._pid != os.getpid():  # a forked child: the parent's connections are not ours to use
                self._local, self._open, self._pid = threading.local(), weakref.WeakSet(), os.getpid()
            db = sqlite3.connect(self.path, timeout=10, check_same_thread=False, factory=_Connection)
            self._local.db = db
            with self._open_lock:
                self._open.add(db)
        return db

    def close(self) -> None:
        """Close every thread's connection; a later call opens a new one."""
        with self._open_lock:
            open_now, self._open, self._local = list(self._open), weakref.WeakSet(), threading.local()
        for db in open_now:
            db.close()

    def create(self, username: str, password: str, role: str, grants: tuple[str, ...] = ()) -> User:
        """Add or replace a user; the password is stored as a bcrypt hash only."""
        if role not in ROLES:
            raise ValueError(f"unknown role {role!r}; roles: {list(ROLES)}")
        bad = set(grants) - set(GRANTS)
        if bad:
            raise ValueError(f"unknown grants {sorted(bad)}; grants: {list(GRANTS)}")
        hashed = hash_password(password, self.rounds)
        now = datetime.now(UTC).isoformat(timespec="seconds")
        db = self._connect()
        with self._lock, db:  # commits, or rolls back on an error
            db.execute(
                "INSERT OR REPLACE INTO users (username, password_hash, role, grants, created) VALUES (?,?,?,?,?)",
                (username, hashed, role, json.dumps(sorted(grants)), now),
            )
        return User(username, role, frozenset(grants))

    def get(self, username: str) -> User | None:
        """The user called ``username``, or None."""
        rows = self._connect().execute("SELECT role, grants FROM users WHERE username = ?", (username,)).fetchall()
        return User(username, rows[0][0], frozenset(json.loads(rows[0][1]))) if rows else None

    def list(self) -> list[User]:
        """Every user, sorted by name."""
        rows = self._connect().execute("SELECT username, role, grants FROM users ORDER BY username").fetchall()
        return [User(u, r, frozenset(json.loads(g))) for u, r, g in rows]

    def set_grants(self, username: str, grants: tuple[str, ...]) -> User | None:
        """Replace a user's grants; None when there is no such user."""
        bad = set(grants) - set(GRANTS)
        if bad:
            raise ValueError(f"unknown grants {sorted(bad)}; grants: {list(GRANTS)}")
        db = self._connect()
        with self._lock, db:
            cur = db.execute(
                "UPDATE users SET grants = ? WHERE username = ?", (json.dumps(sorted(set(grants))), username)
            )
        return self.get(username) if cur.rowcount else None

    def authenticate(self, username: str, password: str) -> User | None:
        """The user when the password matches, else None (same answer for unknown users)."""
        rows = self._connect().execute(
            "SELECT password_hash, role, grants FROM users WHERE username = ?", (username,)
        ).fetchall()
        row = rows[0] if rows else None
        if row is None:
            # Spend the same time as a real check so that unknown names are not revealed by timing.
            verify_password(password, hash_password("x", self.rounds))
            return None
        if not verify_password(password, row[0]):
            return None
        return User(username, row[1], frozenset(json.loads(row[2])))


def create_demo_users(workspace: Path, rounds: int = 12) -> dict[str, tuple[str, str]]:
    """Create one demo user per role with a random password; write them to ``api/demo-users.json``.

    Returns ``{role: (username, password)}`` for the demo command to print.

    >>> import tempfile
    >>> users = create_demo_users(Path(tempfile.mkdtemp()), rounds=4)
    >>> sorted(users) == sorted(ROLES)
    True
    """
    api_dir = Path(workspace) / "api"
    store = UserStore(api_dir / "users.sqlite", rounds=rounds)
    out: dict[str, tuple[str, str]] = {}
    for role in ROLES:
        username, password = f"demo-{role}", secrets.token_urlsafe(12)
        store.create(username, password, role)
        out[role] = (username, password)
    path = api_dir / DEMO_FILE
    path.write_text(json.dumps({r: {"username": u, "password": p} for r, (u, p) in out.items()}, indent=2))
    path.chmod(0o600)
    return out
