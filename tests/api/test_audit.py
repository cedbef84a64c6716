"""The audit log: every call recorded, the chain verifies, and edits or deletions are detected."""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable, MutableMapping
from pathlib import Path
from typing import Any

import pytest
from api_world import SUSPECT
from conftest import auth
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.audit import AuditLog


def lines(app: FastAPI) -> list[dict[str, Any]]:
    path = app.state.services.settings.api_dir / "audit.jsonl"
    return [json.loads(x) for x in path.read_text().splitlines()] if path.exists() else []


def test_every_read_and_write_is_recorded(client: TestClient, tokens: dict[str, str], app: FastAPI) -> None:
    before = len(lines(app))
    client.get(f"/api/entities/{SUSPECT}", headers=auth(tokens["pacc"]))
    client.get("/api/users", headers=auth(tokens["pacc"]))
    client.put("/api/users/amlo/grants", json={"grants": []}, headers=auth(tokens["admin"]))
    client.get("/api/search?q=x")
    new = lines(app)[before:]
    assert [(e["user"], e["action"], e["status"]) for e in new] == [
        ("pacc", "entity_profile", 200), ("pacc", "list_users", 403), ("admin", "set_grants", 200),
        (None, "search", 401),
    ]
    assert new[0]["params"] == {"entity_id": SUSPECT} and new[0]["result_size"] > 0
    assert new[2]["params"] == {"username": "amlo", "grants": []}
    assert all(e["time"] and e["duration_ms"] is not None for e in new)


def test_logins_are_recorded_without_passwords(client: TestClient, app: FastAPI) -> None:
    client.post("/api/auth/login", json={"username": "pacc", "password": "wrong-secret"})
    entry = lines(app)[-1]
    assert (entry["user"], entry["action"], entry["status"]) == ("pacc", "login", 401)
    assert "wrong-secret" not in json.dumps(entry)


def test_admin_views_and_verifies(client: TestClient, tokens: dict[str, str]) -> None:
    for _ in range(3):
        client.get(f"/api/entities/{SUSPECT}", headers=auth(tokens["amlo"]))
    page = client.get("/api/audit?user=amlo&limit=5", headers=auth(tokens["admin"])).json()
    assert page["entries"][0]["action"] == "entity_profile"
    check = client.post("/api/audit/verify", headers=auth(tokens["admin"])).json()
    assert check["ok"] and check["entries"] == 4 and check["problems"] == []


def _log(tmp_path: Path, n: int = 5) -> AuditLog:
    log = AuditLog(tmp_path, key=b"secret")
    for i in range(n):
        log.append(user="u", role="pacc", action="a", params={"i": i}, status=200, result_size=i)
    assert log.verify().ok
    return log


Edit = Callable[[list[str]], list[str]]


def _rewrite(log: AuditLog, edit: Edit) -> None:
    rows = log.path.read_text().splitlines()
    log.path.write_text("\n".join(edit(rows)) + "\n")


@pytest.mark.parametrize(
    ("name", "edit", "reason"),
    [
        ("edit a field", lambda r: [*r[:2], r[2].replace('"result_size": 2,', '"result_size": 0,'), *r[3:]], "altered"),
        ("edit and rehash", None, "chain broken"),
        ("delete a middle entry", lambda r: r[:2] + r[3:], "chain broken"),
        ("delete the last entry", lambda r: r[:-1], "tail cut"),
        ("swap two entries", lambda r: [r[0], r[2], r[1], *r[3:]], "chain broken"),
        ("garbage line", lambda r: [*r, "not json"], "not a JSON entry"),
    ],
)
def test_tampering_is_detected(tmp_path: Path, name: str, edit: Edit | None, reason: str) -> None:
    log = _log(tmp_path)
    if edit is None:
        # A careful forger recomputes the edited entry's own hash: the next entry's link still breaks.
        from api.audit import entry_hash

        def rehash(rows: list[str]) -> list[str]:
            e = json.loads(rows[1])
            e["user"] = "someone-else"
            e["hash"] = entry_hash(e)
            return [rows[0], json.dumps(e), *rows[2:]]

        edit = rehash
    _rewrite(log, edit)
    result = log.verify()
    assert not result.ok
    assert any(reason in p["reason"] for p in result.problems), result.problems


def test_forged_head_is_detected(tmp_path: Path) -> None:
    log = _log(tmp_path)
    _rewrite(log, lambda r: r[:-1])
    head = json.loads(log.head_path.read_text())
    last = json.loads(log.path.read_text().splitlines()[-1])
    log.head_path.write_text(json.dumps({"seq": last["seq"], "hash": last["hash"], "mac": head["mac"]}))
    assert [p["reason"] for p in log.verify().problems] == ["head record forged"]


def test_tampering_shows_through_the_api(client: TestClient, tokens: dict[str, str], app: FastAPI) -> None:
    for _ in range(3):
        client.get(f"/api/entities/{SUSPECT}", headers=auth(tokens["pacc"]))
    path = app.state.services.settings.api_dir / "audit.jsonl"
    rows = path.read_text().splitlines()
    path.write_text("\n".join(rows[:1] + rows[2:]) + "\n")
    check = client.post("/api/audit/verify", headers=auth(tokens["admin"])).json()
    assert not check["ok"] and check["problems"]


def _get(app: FastAPI, path: str, token: str, on_start: Callable[[int], None]) -> int:
    """GET ``path`` through the app's ASGI interface; ``on_start(status)`` runs when the response starts."""
    import anyio

    status = 0

    async def call() -> None:
        scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET",
                 "scheme": "http", "path": path, "raw_path": path.encode(), "query_string": b"", "root_path": "",
                 "headers": [(b"host", b"test"), (b"authorization", f"Bearer {token}".encode())],
                 "client": ("127.0.0.1", 1), "server": ("127.0.0.1", 80), "app": app}

        async def receive() -> dict[str, Any]:
            return {"type": "http.request", "body": b"", "more_body": False}

        async def send(message: MutableMapping[str, Any]) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                on_start(status)

        await app(scope, receive, send)

    anyio.run(call)
    return status


def test_the_entry_is_on_disk_before_the_answer_starts(app: FastAPI, tokens: dict[str, str]) -> None:
    audit = app.state.services.audit
    synced: list[int] = []
    real_sync = audit.sync_parts

    def counting_sync() -> tuple[Callable[[], None], ...]:
        def both() -> None:
            for part in real_sync():
                part()
            synced.append(len(lines(app)))

        return (both,)

    audit.sync_parts = counting_sync  # before the first call builds the middleware
    seen_at_start: list[list[dict[str, Any]]] = []
    status = _get(app, f"/api/entities/{SUSPECT}", tokens["pacc"], lambda _: seen_at_start.append(lines(app)))
    assert status == 200
    [entries] = seen_at_start
    assert [(e["user"], e["action"], e["status"]) for e in entries] == [("pacc", "entity_profile", 200)]
    assert entries[0]["result_size"] > 0
    assert synced == [1], "the log was not synced after the entry and before the answer"


def test_a_failed_sync_withholds_the_answer(app: FastAPI, tokens: dict[str, str]) -> None:
    def broken_disk() -> None:
        raise OSError(5, "Input/output error")

    app.state.services.audit.sync_parts = lambda: (broken_disk,)
    started: list[int] = []
    with pytest.raises(OSError, match="Input/output"):
        _get(app, f"/api/entities/{SUSPECT}", tokens["pacc"], started.append)
    assert started == [500]  # the server error's answer, not the profile


def test_concurrent_answers_share_a_sync() -> None:
    import asyncio
    import threading

    from api.middleware import GroupCommit

    calls: list[int] = []
    release = threading.Event()

    def slow_sync() -> None:
        calls.append(1)
        release.wait(5)

    commit = GroupCommit([slow_sync])

    async def many() -> None:
        first = asyncio.create_task(commit.wait(commit.appended()))
        await asyncio.sleep(0.05)  # the first sync is under way; these wait for the next one
        rest = [asyncio.create_task(commit.wait(commit.appended())) for _ in range(10)]
        await asyncio.sleep(0.05)
        release.set()
        await asyncio.gather(first, *rest)

    asyncio.run(many())
    # The ten appended while the first sync ran are not covered by it, and share one more.
    assert len(calls) == 2


_APPENDER = """
import sys, time
from pathlib import Path
from api.audit import AuditLog
log = AuditLog(Path(sys.argv[1]), key=b"secret")
time.sleep(max(0.0, float(sys.argv[4]) - time.time()))  # all start together
for i in range(int(sys.argv[3])):
    log.append(user=sys.argv[2], role="pacc", action="a", params={"i": i}, status=200, result_size=i)
"""


def test_processes_appending_at_once_keep_one_chain(tmp_path: Path) -> None:
    import subprocess
    import sys
    import time

    root = Path(__file__).resolve().parents[2]
    start = str(time.time() + 3)
    workers = [subprocess.Popen([sys.executable, "-c", _APPENDER, str(tmp_path), f"w{w}", "1000", start], cwd=root)
               for w in range(3)]
    assert [p.wait(timeout=120) for p in workers] == [0, 0, 0]
    log = AuditLog(tmp_path, key=b"secret")
    result = log.verify()
    assert result.ok, result.problems[:3]
    assert result.entries == 3000
    users = [e["user"] for e in log.entries()]
    assert sum(a != b for a, b in itertools.pairwise(users)) > 10, "the processes did not append at the same time"
