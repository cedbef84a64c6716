"""Health, login, tokens: the front door."""

from __future__ import annotations

import time

import jwt
from conftest import PASSWORD, auth
from fastapi import FastAPI
from fastapi.testclient import TestClient


def test_health_needs_no_token(client: TestClient) -> None:
    r = client.get("/api/health")
    assert r.status_code == 200 and r.json()["status"] == "ok"


def test_login_wrong_password_is_401(client: TestClient) -> None:
    r = client.post("/api/auth/login", json={"username": "investigator", "password": "nope"})
    assert r.status_code == 401
    assert "wrong user name or password" in r.json()["detail"]


def test_login_unknown_user_is_401(client: TestClient) -> None:
    r = client.post("/api/auth/login", json={"username": "ghost", "password": PASSWORD})
    assert r.status_code == 401


def test_me_tells_role_and_compartments(client: TestClient, tokens: dict[str, str]) -> None:
    me = client.get("/api/auth/me", headers=auth(tokens["investigator+finance"])).json()
    assert me == {"username": "investigator+finance", "role": "investigator", "grants": ["finance"],
                  "victims": True, "finance": True, "pseudonymised": False}


def test_expired_and_forged_tokens_are_401(client: TestClient, app: FastAPI) -> None:
    key = app.state.services.key
    now = int(time.time())
    expired = jwt.encode({"sub": "admin", "role": "admin", "iat": now - 100, "exp": now - 10}, key, "HS256")
    forged = jwt.encode({"sub": "admin", "role": "admin", "iat": now, "exp": now + 100}, b"other-key", "HS256")
    r = client.get("/api/auth/me", headers=auth(expired))
    assert r.status_code == 401 and "expired" in r.json()["detail"]
    assert client.get("/api/auth/me", headers=auth(forged)).status_code == 401
    assert client.get("/api/auth/me", headers={"Authorization": "Basic abc"}).status_code == 401


def test_signing_key_is_per_workspace_and_private(app: FastAPI) -> None:
    path = app.state.services.settings.api_dir / "signing.key"
    assert path.stat().st_mode & 0o077 == 0
    assert len(app.state.services.key) == 32


def test_profile_shows_sources_per_fact(client: TestClient, tokens: dict[str, str]) -> None:
    p = client.get("/api/entities/per:suspect", headers=auth(tokens["investigator"])).json()
    phone = next(f for f in p["identifiers"] if f["kind"] == "phone")
    assert phone["value"] == "+66812345678"
    assert phone["sources"] == [{"agency": "RTP", "record_id": "rtp-p1", "seen": "2024-03-01"}]
    assert {c["case_id"]: c["role"] for c in p["cases"]} == {"case:rtp-1": "suspect", "case:dsi-1": "suspect"}
    dates = [e["date"] for e in p["timeline"]]
    assert dates == sorted(dates) and {e["agency"] for e in p["timeline"]} >= {"RTP", "DSI", "MSDHS"}
