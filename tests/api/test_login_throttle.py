"""Brute-force protection: failed logins limited per user name and per client address, 429 with Retry-After, audited."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
from conftest import PASSWORD
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from graph_model.store.memory import MemoryStore


def throttled_client(settings: Settings, world: MemoryStore, **limits: int) -> TestClient:
    tight = settings.model_copy(update=limits)
    return TestClient(create_app(tight, store=world))


@pytest.fixture
def client3(settings: Settings, world: MemoryStore) -> Iterator[TestClient]:
    """3 failures per user name, 5 per address, in a 60 s window."""
    with throttled_client(settings, world, login_failures_per_user=3, login_failures_per_address=5,
                          login_window_seconds=60) as c:
        yield c


def login(client: TestClient, user: str, password: str) -> Any:
    return client.post("/api/auth/login", json={"username": user, "password": password})


def audit_entries(client: TestClient) -> list[dict[str, Any]]:
    return list(client.app.state.services.audit.entries())  # type: ignore[attr-defined]


def test_failures_per_user_name_lock_that_name_only(client3: TestClient) -> None:
    assert [login(client3, "pacc", "wrong-password").status_code for _ in range(3)] == [401] * 3
    r = login(client3, "PACC", PASSWORD)  # the right password, same name in other case: still refused
    assert r.status_code == 429
    assert 0 < int(r.headers["Retry-After"]) <= 60 and "user name" in r.json()["detail"]
    assert login(client3, "amlo", PASSWORD).status_code == 200  # another user from the same address
    refused = [e for e in audit_entries(client3) if e["status"] == 429]
    assert [(e["user"], e["action"], e["params"]["throttled"]) for e in refused] == [("PACC", "login", "user")]
    assert [e["status"] for e in audit_entries(client3) if e["action"] == "login"] == [401, 401, 401, 429, 200]


def test_failures_from_one_address_lock_every_name(client3: TestClient) -> None:
    for name in ("a1", "a2", "a3", "a4", "a5"):
        assert login(client3, name, "wrong-password").status_code == 401
    r = login(client3, "investigator", PASSWORD)
    assert r.status_code == 429 and "address" in r.json()["detail"] and int(r.headers["Retry-After"]) > 0
    assert audit_entries(client3)[-1]["params"] == {"throttled": "address", "address": "testclient"}


def test_success_clears_the_user_count_and_the_window_moves_on(settings: Settings, world: MemoryStore) -> None:
    with throttled_client(settings, world, login_failures_per_user=2, login_failures_per_address=50,
                          login_window_seconds=1) as c:
        assert login(c, "pacc", "wrong-password").status_code == 401
        assert login(c, "pacc", PASSWORD).status_code == 200  # one failure, then success: count cleared
        assert login(c, "pacc", "wrong-password").status_code == 401
        assert login(c, "pacc", "wrong-password").status_code == 401
        assert login(c, "pacc", PASSWORD).status_code == 429
        time.sleep(1.2)
        assert login(c, "pacc", PASSWORD).status_code == 200
