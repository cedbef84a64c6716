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
import secrets
import sqlite3
import threading
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


class UserStore:
    """The users table; one short-lived connection per call, so it is safe across threads."""

    def __init__(self, path: Path, rounds: int = 12) -> None:
        self.path = Path(path)
        self.rounds = rounds
        self._lock = threading.Lock()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as db:
            db.execute(_SCHEMA)

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, timeout=10)

    def create(self, username: str, password: str, role: str, grants: tuple[str, ...] = ()) -> User:
        """Add or replace a user; the password is stored as a bcrypt hash only."""
        if role not in ROLES:
            raise ValueError(f"unknown role {role!r}; roles: {list(ROLES)}")
        bad = set(grants) - set(GRANTS)
        if bad:
            raise ValueError(f"unknown grants {sorted(bad)}; grants: {list(GRANTS)}")
        hashed = hash_password(password, self.rounds)
        now = datetime.now(UTC).isoformat(timespec="seconds")
        with self._lock, self._connect() as db:
            db.execute(
                "INSERT OR REPLACE INTO users (username, password_hash, role, grants, created) VALUES (?,?,?,?,?)",
                (username, hashed, role, json.dumps(sorted(grants)), now),
            )
        return User(username, role, frozenset(grants))

    def get(self, username: str) -> User | None:
        """The user called ``username``, or None."""
        with self._connect() as db:
            row = db.execute("SELECT role, grants FROM users WHERE username = ?", (username,)).fetchone()
        return None if row is None else User(username, row[0], frozenset(json.loads(row[1])))

    def list(self) -> list[User]:
        """Every user, sorted by name."""
        with self._connect() as db:
            rows = db.execute("SELECT username, role, grants FROM users ORDER BY username").fetchall()
        return [User(u, r, frozenset(json.loads(g))) for u, r, g in rows]

    def set_grants(self, username: str, grants: tuple[str, ...]) -> User | None:
        """Replace a user's grants; None when there is no such user."""
        bad = set(grants) - set(GRANTS)
        if bad:
            raise ValueError(f"unknown grants {sorted(bad)}; grants: {list(GRANTS)}")
        with self._lock, self._connect() as db:
            cur = db.execute(
                "UPDATE users SET grants = ? WHERE username = ?", (json.dumps(sorted(set(grants))), username)
            )
        return self.get(username) if cur.rowcount else None

    def authenticate(self, username: str, password: str) -> User | None:
        """The user when the password matches, else None (same answer for unknown users)."""
        with self._connect() as db:
            row = db.execute(
                "SELECT password_hash, role, grants FROM users WHERE username = ?", (username,)
            ).fetchone()
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
