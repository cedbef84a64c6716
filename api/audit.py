"""Append-only, hash-chained audit log ``<workspace>/api/audit.jsonl``.

Each line is one JSON entry ``{seq, time, user, role, action, params, status, result_size, prev, hash}``
where ``hash = sha256(prev + canonical JSON of the entry without hash)``. An edited entry breaks its own
hash, a deleted or reordered one breaks the next entry's ``prev`` or the sequence numbers. Deleting the
tail is caught by the head file ``audit.head``: the last seq and hash, authenticated with an HMAC under
the workspace's signing key.

Appends from several processes (``tipgraph serve --workers``) chain correctly: each is made under an
exclusive ``flock`` of the log, and the last entry is re-read whenever the file grew since this process's
own last write. :meth:`AuditLog.sync` puts what was written on disk (``fdatasync`` of log and head);
the middleware (:mod:`api.middleware`) calls it, batched over concurrent requests, before an answer leaves.

Examples
--------
>>> import tempfile
>>> log = AuditLog(Path(tempfile.mkdtemp()), key=b"k")
>>> _ = log.append(user="nok", role="amlo", action="get_entity", params={"id": "per:1"}, status=200, result_size=3)
>>> log.verify().ok
True
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import hmac
import json
import os
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

__all__ = ["GENESIS", "AuditLog", "Verification"]

GENESIS = "0" * 64
HEAD_WIDTH = 256


def _canonical(entry: dict[str, Any]) -> bytes:
    body = {k: v for k, v in entry.items() if k != "hash"}
    return json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str).encode()


def entry_hash(entry: dict[str, Any]) -> str:
    """The chained hash of an entry (its ``prev`` is part of the hashed body)."""
    return hashlib.sha256(_canonical(entry)).hexdigest()


@dataclass
class Verification:
    """Result of :meth:`AuditLog.verify`: ok, entries checked, and each problem found (line, reason)."""

    ok: bool
    entries: int
    problems: list[dict[str, Any]] = field(default_factory=list)


class AuditLog:
    """The audit log of one workspace's API directory; appends are serialised by a lock and ``flock``."""

    def __init__(self, api_dir: Path, key: bytes) -> None:
        self.path = Path(api_dir) / "audit.jsonl"
        self.head_path = Path(api_dir) / "audit.head"
        self.key = key
        self._lock = threading.Lock()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # Kept open: an append is one locked write, not an open/seek/close per request.
        self._fd = os.open(self.path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o600)
        self._head_fd = os.open(self.head_path, os.O_RDWR | os.O_CREAT, 0o600)
        self._tail: tuple[int, int, str] | None = None  # (file size, seq, hash) after our last write

    def close(self) -> None:
        """Close the file handles."""
        for fd in (self._fd, self._head_fd):
            with contextlib.suppress(OSError):
                os.close(fd)

    def __del__(self) -> None:
        self.close()

    def sync(self) -> None:
        """Put every entry written so far (by any process) and the head on disk (``fdatasync``)."""
        for part in self.sync_parts():
            part()

    def sync_parts(self) -> tuple[Callable[[], None], Callable[[], None]]:
        """:meth:`sync` as two calls, of the log and of the head."""
        return (lambda: os.fdatasync(self._fd)), (lambda: os.fdatasync(self._head_fd))

    def _head_mac(self, seq: int, last_hash: str) -> str:
        return hmac.new(self.key, f"{seq}|{last_hash}".encode(), hashlib.sha256).hexdigest()

    def _last(self) -> tuple[int, str]:
        """Seq and hash of the last entry: remembered from our last write unless the file changed since."""
        size = os.fstat(self._fd).st_size
        if self._tail is not None and self._tail[0] == size:
            return self._tail[1], self._tail[2]
        if size == 0:
            return 0, GENESIS
        chunk = 4096
        while True:
            start = max(0, size - chunk)
            lines = os.pread(self._fd, size - start, start).splitlines()
            if len(lines) >= 2 or start == 0:
                last = json.loads(lines[-1])
                return int(last["seq"]), str(last["hash"])
            chunk *= 4

    def append(
        self,
        *,
        user: str | None,
        role: str | None,
        action: str,
        params: dict[str, Any],
        status: int,
        result_size: int,
        method: str = "",
        path: str = "",
        duration_ms: float | None = None,
    ) -> dict[str, Any]:
        """Append one entry and return it (with its seq and hash)."""
        with self._lock:
            fcntl.flock(self._fd, fcntl.LOCK_EX)
            try:
                seq, prev = self._last()
                entry: dict[str, Any] = {
                    "seq": seq + 1,
                    "time": datetime.now(UTC).isoformat(timespec="milliseconds"),
                    "user": user,
                    "role": role,
                    "action": action,
                    "method": method,
                    "path": path,
                    "params": params,
                    "status": status,
                    "result_size": result_size,
                    "duration_ms": duration_ms,
                    "prev": prev,
                }
                entry["hash"] = entry_hash(entry)
                os.write(self._fd, (json.dumps(entry, ensure_ascii=False, default=str) + "\n").encode())
                head = {"seq": entry["seq"], "hash": entry["hash"], "mac": self._head_mac(entry["seq"], entry["hash"])}
                # Fixed width, so the head is overwritten in place without truncating.
                os.pwrite(self._head_fd, json.dumps(head).ljust(HEAD_WIDTH).encode(), 0)
                self._tail = (os.fstat(self._fd).st_size, entry["seq"], entry["hash"])
            finally:
                fcntl.flock(self._fd, fcntl.LOCK_UN)
        return entry

    def entries(self) -> Iterator[dict[str, Any]]:
        """Every entry in file order (lines that are not JSON come back as ``{"_raw": line}``)."""
        if not self.path.exists():
            return
        with open(self.path, encoding="utf-8") as fh:
            for line in fh:
                if not line.strip():
                    continue
                try:
                    yield json.loads(line)
                except json.JSONDecodeError:
                    yield {"_raw": line.rstrip("\n")}

    def tail(self, limit: int = 100, offset: int = 0, user: str | None = None) -> list[dict[str, Any]]:
        """The newest entries first, optionally of one user, paged."""
        rows = [e for e in self.entries() if user is None or e.get("user") == user]
        rows.reverse()
        return rows[offset : offset + limit]

    def verify(self) -> Verification:
        """Recompute the chain; report every broken hash, link, sequence gap, and a tail cut short."""
        problems: list[dict[str, Any]] = []
        prev, seq, count = GENESIS, 0, 0
        for line_no, entry in enumerate(self.entries(), start=1):
            count += 1
            if "_raw" in entry:
                problems.append({"line": line_no, "reason": "not a JSON entry"})
                continue
            if entry.get("hash") != entry_hash(entry):
                problems.append({"line": line_no, "seq": entry.get("seq"), "reason": "entry altered (hash mismatch)"})
            if entry.get("prev") != prev:
                problems.append({"line": line_no, "seq": entry.get("seq"), "reason": "chain broken (previous entry missing or altered)"})
            if entry.get("seq") != seq + 1:
                problems.append({"line": line_no, "seq": entry.get("seq"), "reason": f"sequence gap: expected {seq + 1}"})
            prev, seq = str(entry.get("hash")), int(entry.get("seq") or seq + 1)
        problems.extend(self._check_head(seq, prev))
        return Verification(ok=not problems, entries=count, problems=problems)

    def _check_head(self, seq: int, last_hash: str) -> list[dict[str, Any]]:
        text = self.head_path.read_text().strip() if self.head_path.exists() else ""
        if not text:
            return [] if seq == 0 else [{"reason": "head record missing"}]
        head = json.loads(text)
        if not hmac.compare_digest(str(head.get("mac")), self._head_mac(int(head["seq"]), str(head["hash"]))):
            return [{"reason": "head record forged"}]
        if head["seq"] != seq or head["hash"] != last_hash:
            return [{"reason": f"log ends at entry {seq} but the head records entry {head['seq']} (tail cut or altered)"}]
        return []
