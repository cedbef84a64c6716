"""The audit log: every call recorded, the chain verifies, and edits or deletions are detected."""

from __future__ import annotations

import json
from collections.abc import Callable
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
