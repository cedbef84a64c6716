"""Fixtures: an app over the test world, one user per role (plus an investigator granted finance), tokens.

The workspace with users and signing key is made once per session and copied for each test, so every
test starts from a fresh audit log and user table without paying for bcrypt and logins again.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from api_world import build_world, fill_world
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from api.users import ROLES
from graph_model.store.base import GraphStore
from graph_model.store.memory import MemoryStore
from ingest.exchange import sign

PASSWORD = "correct-horse-battery"
EXCHANGE_KEYS = {"RTP": "rtp-test-key"}
_PAYLOAD = {"เลขคดี": "สภ.แม่สอด 123/2561", "บทบาท": "ผู้ต้องหา", "ชื่อ-สกุล": "นายสมชาย ใจดี"}
#: One signed envelope from RTP, as JSON Lines.
ENVELOPE = json.dumps({"exchange_id": "x-1", "agency": "RTP", "record_type": "rtp_case_persons",
                       "issued_at": "2024-08-08T10:00:00+07:00", "payload": _PAYLOAD,
                       "signature": sign(_PAYLOAD, EXCHANGE_KEYS["RTP"])}, ensure_ascii=False) + "\n"
#: Users of the tests: one per role, plus an investigator with the finance grant.
USERS = {**{role: role for role in ROLES}, "investigator+finance": "investigator"}


@pytest.fixture(scope="session")
def world() -> MemoryStore:
    """The test graph, shared: tests must not write to it (build their own to write)."""
    return build_world()


@pytest.fixture(scope="session")
def template(tmp_path_factory: pytest.TempPathFactory, world: MemoryStore) -> tuple[Path, dict[str, str]]:
    """A workspace with the test users, and a token per user (signed with that workspace's key)."""
    ws = tmp_path_factory.mktemp("template") / "ws"
    application = create_app(Settings(workspace=ws, bcrypt_rounds=4), store=world)
    for name, role in USERS.items():
        application.state.services.users.create(name, PASSWORD, role, ("finance",) if name.endswith("+finance") else ())
    tokens = {}
    with TestClient(application) as c:
        for name in USERS:
            r = c.post("/api/auth/login", json={"username": name, "password": PASSWORD})
            assert r.status_code == 200, r.text
            tokens[name] = r.json()["access_token"]
    (ws / "api" / "exchange-keys.json").write_text(json.dumps(EXCHANGE_KEYS))
    for leftover in ("audit.jsonl", "audit.head"):
        (ws / "api" / leftover).unlink(missing_ok=True)
    return ws, tokens


@pytest.fixture
def settings(tmp_path: Path, template: tuple[Path, dict[str, str]]) -> Settings:
    """Settings on a fresh copy of the template workspace, with cheap bcrypt."""
    ws = tmp_path / "ws"
    shutil.copytree(template[0], ws)
    return Settings(workspace=ws, bcrypt_rounds=4)


@pytest.fixture
def app(settings: Settings, world: MemoryStore) -> FastAPI:
    """The app over the shared test world."""
    return create_app(settings, store=world)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    """A test client (no token)."""
    with TestClient(app) as c:
        yield c


@pytest.fixture
def tokens(template: tuple[Path, dict[str, str]]) -> dict[str, str]:
    """A bearer token per test user."""
    return template[1]


def auth(token: str) -> dict[str, str]:
    """The Authorization header for a token."""
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture(scope="module")
def neo4j_world(neo4j_connection: tuple[str, str, str, str]) -> Iterator[GraphStore]:
    """The test world in the tests' Neo4j (wiped first), full-text index caught up."""
    from graph_model.store.neo4j import Neo4jStore

    uri, user, password, database = neo4j_connection
    store = Neo4jStore(uri, user, password, database)
    store.ensure_schema()
    store.clear()
    fill_world(store)
    store.run("CALL db.index.fulltext.awaitEventuallyConsistentIndexRefresh()", {})
    yield store
    store.clear()
    store.close()


@pytest.fixture(params=["memory", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def any_world(request: pytest.FixtureRequest) -> GraphStore:
    """The test world on each store."""
    if request.param == "memory":
        store = MemoryStore()
        fill_world(store)
        return store
    neo: GraphStore = request.getfixturevalue("neo4j_world")
    return neo
