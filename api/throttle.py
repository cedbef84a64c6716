"""Brute-force protection for logins: failed attempts counted per user name and per client address.

A moving window counts failures. While either count is at its limit, a login is refused before the
password is checked, with the seconds until the oldest counted failure leaves the window
(``Retry-After``). A successful login clears the user name's count, not the address's.

The failures are rows of a SQLite table (``path``; ``:memory:`` keeps them in this process only), so the
processes of ``tipgraph serve --workers N`` share one count: the limits hold for the server as a whole,
whichever process a login reaches. Logins are rare and each checks a bcrypt hash (milliseconds), so a
short transaction per attempt costs nothing that matters.

Examples
--------
>>> t = LoginThrottle(per_user=2, per_address=10, window_seconds=60)
>>> t.retry_after("somchai", "10.0.0.1") is None
True
>>> t.failed("somchai", "10.0.0.1"); t.failed("Somchai", "10.0.0.2")
>>> blocked = t.retry_after("somchai", "10.0.0.3")
>>> blocked is not None and blocked.scope == "user" and 0 < blocked.seconds <= 60
True
>>> t.retry_after("malee", "10.0.0.1") is None
True
>>> t.succeeded("SOMCHAI"); t.retry_after("somchai", "10.0.0.3") is None
True
"""

from __future__ import annotations

import math
import sqlite3
import threading
import time
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Blocked", "LoginThrottle"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS login_failures (scope TEXT NOT NULL, key TEXT NOT NULL, at REAL NOT NULL);
CREATE INDEX IF NOT EXISTS login_failures_key ON login_failures (scope, key, at);
"""


@dataclass(frozen=True)
class Blocked:
    """Why a login is refused: ``scope`` is ``user`` or ``address``; retry after ``seconds``."""

    scope: str
    seconds: int


def _user_key(username: str) -> str:
    return unicodedata.normalize("NFC", username).casefold()


class LoginThrottle:
    """Counts failed logins per user name and per client address in a moving window (shared through SQLite)."""

    def __init__(self, per_user: int, per_address: int, window_seconds: int, path: Path | str = ":memory:",
                 clock: Callable[[], float] = time.time) -> None:
        self._limits = {"user": per_user, "address": per_address}
        self._window = window_seconds
        self._clock = clock
        self._lock = threading.Lock()
        self._path = str(path)
        # One connection, used under the lock: the table of one process (":memory:") or a file that the
        # worker processes share (SQLite's own locking orders their writes).
        self._db = sqlite3.connect(self._path, timeout=10, check_same_thread=False, isolation_level=None)
        if self._path != ":memory:":
            self._db.execute("PRAGMA journal_mode=WAL")
        self._db.executescript(_SCHEMA)

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def _keys(self, username: str, address: str) -> dict[str, str]:
        return {"user": _user_key(username), "address": address}

    def retry_after(self, username: str, address: str) -> Blocked | None:
        """Why and for how long a login for ``username`` from ``address`` is refused, or None."""
        now = self._clock()
        with self._tx() as db:
            db.execute("DELETE FROM login_failures WHERE at <= ?", (now - self._window,))
            for scope, key in self._keys(username, address).items():
                count, oldest = db.execute(
                    "SELECT count(*), min(at) FROM (SELECT at FROM login_failures WHERE scope = ? AND key = ? "
                    "ORDER BY at DESC LIMIT ?)", (scope, key, self._limits[scope])).fetchone()
                if count >= self._limits[scope]:
                    return Blocked(scope, max(1, math.ceil(oldest + self._window - now)))
        return None

    def failed(self, username: str, address: str) -> None:
        """Count one failed login."""
        now = self._clock()
        with self._tx() as db:
            db.executemany("INSERT INTO login_failures (scope, key, at) VALUES (?, ?, ?)",
                           [(scope, key, now) for scope, key in self._keys(username, address).items()])

    def succeeded(self, username: str) -> None:
        """Forget the user name's failures (the address's stay counted)."""
        with self._tx() as db:
            db.execute("DELETE FROM login_failures WHERE scope = 'user' AND key = ?", (_user_key(username),))

    def close(self) -> None:
        """Close the table's connection."""
        with self._lock:
            self._db.close()
