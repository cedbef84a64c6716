"""Human judgements on record pairs, kept in SQLite under the resolution directory.

A judgement is data: ``merge`` (the same entity), ``not_same`` (never the same), ``split`` (undo a merge:
the two records are separated and stay apart), ``unsure`` (kept in review), with user and time. The latest
judgement on a pair wins; a re-run of resolution reads them and never overrides them.

Examples
--------
>>> import tempfile
>>> store = JudgementStore(tempfile.mkdtemp() + "/judgements.sqlite")
>>> _ = store.add("rec-a", "rec-b", "not_same", user="somsak")
>>> [(j.a, j.b, j.decision) for j in store.latest()]
[('rec-a', 'rec-b', 'not_same')]
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal, get_args

__all__ = ["DECISIONS", "Decision", "Judgement", "JudgementStore"]

#: The decisions a person can record on two records (the HTTP API validates against the same type).
Decision = Literal["merge", "not_same", "split", "unsure"]
DECISIONS: tuple[str, ...] = get_args(Decision)
_SCHEMA = """CREATE TABLE IF NOT EXISTS judgements (
  id INTEGER PRIMARY KEY AUTOINCREMENT, a TEXT NOT NULL, b TEXT NOT NULL, decision TEXT NOT NULL,
  user TEXT NOT NULL, at TEXT NOT NULL, note TEXT NOT NULL DEFAULT '')"""


@dataclass(frozen=True)
class Judgement:
    """One person's decision on a pair of records (``a < b``)."""

    id: int
    a: str
    b: str
    decision: str
    user: str
    at: str
    note: str = ""


class JudgementStore:
    """Append-only SQLite log of judgements; :meth:`latest` gives the one in force per pair."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as con:
            con.execute(_SCHEMA)

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path)

    def add(self, a: str, b: str, decision: str, user: str, note: str = "", at: str | None = None) -> Judgement:
        """Record a decision on records ``a`` and ``b`` by ``user`` (now, unless ``at`` is given)."""
        if decision not in DECISIONS:
            raise ValueError(f"decision must be one of {DECISIONS}, not {decision!r}")
        if a == b:
            raise ValueError("a judgement needs two different records")
        if not user:
            raise ValueError("a judgement needs the user who made it")
        a, b = sorted((a, b))
        at = at or datetime.now(UTC).isoformat(timespec="seconds")
        with self._connect() as con:
            cur = con.execute("INSERT INTO judgements (a, b, decision, user, at, note) VALUES (?, ?, ?, ?, ?, ?)",
                              (a, b, decision, user, at, note))
            rowid = int(cur.lastrowid or 0)
        return Judgement(rowid, a, b, decision, user, at, note)

    def all(self) -> list[Judgement]:
        """Every judgement ever made, oldest first (the audit trail)."""
        with self._connect() as con:
            rows = con.execute("SELECT id, a, b, decision, user, at, note FROM judgements ORDER BY id").fetchall()
        return [Judgement(*r) for r in rows]

    def latest(self) -> list[Judgement]:
        """The judgement in force for each pair: the most recent one."""
        by_pair: dict[tuple[str, str], Judgement] = {}
        for j in self.all():
            by_pair[(j.a, j.b)] = j
        return list(by_pair.values())
