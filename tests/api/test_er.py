"""Entity-resolution explanations and judgements through the API, on a small saved resolution run.

The compartment tests resolve one person from RTP, DSI, AMLO and MSDHS records (plus two near misses)
and check that every answer names AMLO records only to finance-cleared users and MSDHS records only to
victim-cleared ones, and that the shared-account evidence goes with the AMLO records.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pandas as pd
import pytest
from conftest import auth
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from graph_model.store.base import NodeRecord, Provenance
from graph_model.store.memory import MemoryStore

TID = "1103700012345"
#: One person in four agencies' records; amlo-2 and rtp-2 are near misses (a similar name only).
RECORDS = pd.DataFrame({
    "record_id": ["rtp-1", "amlo-1", "msdhs-1", "dsi-1", "amlo-2", "rtp-2"],
    "agency": ["RTP", "AMLO", "MSDHS", "DSI", "AMLO", "RTP"],
    "names": [["สมชาย ใจดี"], ["Somchai Jaidee"], ["สมชาย ใจดี"], ["Somchai Jaidee"], ["Somchai Jaidi"],
              ["Somchai Jaidi"]],
    "thai_id": [TID, TID, TID, None, None, None],
    "accounts": [["004-1111111111"], ["004-1111111111"], None, ["004-1111111111"], None, None],
})


def test_explain_and_judge_a_pair(client: TestClient, tokens: dict[str, str], app: FastAPI) -> None:
    from entity_resolution import resolve

    records = pd.DataFrame({"record_id": ["rtp-1", "dsi-1"], "agency": ["RTP", "DSI"],
                            "names": ["สมชาย ใจดี", "Somchai Jaidee"]})
    resolve(records, app.state.services.settings.workspace / "resolution")
    h = auth(tokens["investigator"])
    why = client.get("/api/er/pairs/explain?a=rtp-1&b=dsi-1", headers=h)
    assert why.status_code == 200, why.text
    assert why.json()["features"] and why.json()["judgement"] is None
    r = client.post("/api/er/judgements", json={"a": "rtp-1", "b": "dsi-1", "decision": "not_same", "note": "twins"},
                    headers=h)
    assert r.status_code == 201 and r.json()["user"] == "investigator"
    after = client.get("/api/er/pairs/explain?a=rtp-1&b=dsi-1", headers=h).json()
    assert after["judgement"]["decision"] == "not_same" and after["same_entity"] is False
    assert client.get("/api/er/pairs/explain?a=rtp-1&b=nobody", headers=h).status_code == 404
    assert client.post("/api/er/judgements", json={"a": "rtp-1", "b": "nobody", "decision": "merge"},
                       headers=h).status_code == 404
    assert client.get("/api/er/judgements", headers=auth(tokens["analyst"])).status_code == 403


def _er_app(settings: Settings) -> tuple[FastAPI, str]:
    """An app over a store holding the resolved person, with the run saved in the workspace."""
    from entity_resolution import resolve

    res = resolve(RECORDS, settings.workspace / "resolution")
    entity = res.mapping["rtp-1"]
    assert {res.mapping[r] for r in ("amlo-1", "msdhs-1", "dsi-1")} == {entity}
    store = MemoryStore()
    store.upsert_nodes([NodeRecord("Person", entity, {"names": ["สมชาย ใจดี", "Somchai Jaidee"]},
                                   [Provenance(a, r, "2024-03-01") for r, a in zip(RECORDS["record_id"][:4],
                                                                                   RECORDS["agency"][:4], strict=True)])])
    return create_app(settings, store=store), entity


@pytest.fixture
def er(settings: Settings, tokens: dict[str, str]) -> Iterator[tuple[TestClient, str]]:
    """A client of the app over the resolved person (default victim roles), and the person's id."""
    app, entity = _er_app(settings)
    with TestClient(app) as c:
        # the admin judges a pair of AMLO and RTP records, and one of RTP and DSI records
        for a, b in (("amlo-2", "rtp-2"), ("rtp-1", "dsi-1")):
            r = c.post("/api/er/judgements", json={"a": a, "b": b, "decision": "unsure"},
                       headers=auth(tokens["admin"]))
            assert r.status_code == 201, r.text
        yield c, entity


def answers(client: TestClient, token: str, entity: str) -> dict[str, Any]:
    """Every ER answer a user gets on the test run (status code, or the JSON body)."""
    h = auth(token)
    out: dict[str, Any] = {}
    for name, url in {"entity": f"/api/er/entities/{entity}/explain", "review": "/api/er/review",
                      "judgements": "/api/er/judgements", "pair_rtp_dsi": "/api/er/pairs/explain?a=rtp-1&b=dsi-1",
                      "pair_amlo": "/api/er/pairs/explain?a=amlo-1&b=rtp-1",
                      "pair_msdhs": "/api/er/pairs/explain?a=msdhs-1&b=rtp-1"}.items():
        r = client.get(url, headers=h)
        out[name] = r.json() if r.status_code == 200 else r.status_code
    return out


def record_ids(answer: Any) -> set[str]:
    """Every test record id named anywhere in an answer."""
    text = json.dumps(answer, ensure_ascii=False)
    return {r for r in RECORDS["record_id"] if f'"{r}"' in text}


def account_evidence(answer: Any) -> list[Any]:
    """The accounts features' levels in every explained pair of an answer."""
    found: list[Any] = []

    def walk(x: Any) -> None:
        if isinstance(x, dict):
            if x.get("feature") == "accounts":
                found.append(x.get("level"))
            for v in x.values():
                walk(v)
        elif isinstance(x, list):
            for v in x:
                walk(v)

    walk(answer)
    return found


def test_investigator_without_finance_gets_no_amlo_records(er: tuple[TestClient, str], tokens: dict[str, str]) -> None:
    client, entity = er
    got = answers(client, tokens["investigator"], entity)
    assert record_ids(got) == {"rtp-1", "dsi-1", "msdhs-1", "rtp-2"}
    assert got["entity"]["members"] == ["dsi-1", "msdhs-1", "rtp-1"]
    assert got["pair_amlo"] == 404 and got["pair_msdhs"] != 404
    assert [(j["a"], j["b"]) for j in got["judgements"]] == [("dsi-1", "rtp-1")]
    assert got["review"] and all("amlo" not in r["record_a"] + r["record_b"] for r in got["review"])
    # the shared account of rtp-1 and dsi-1 is financial evidence: withheld, with the totals it enters
    assert account_evidence(got) and set(account_evidence(got)) == {None}
    pair = got["pair_rtp_dsi"]
    assert pair["weight"] is None and pair["probability"] is None and pair["decision"]
    assert not [r for r in pair["blocking_rules"] if "accounts" in r]
    assert all(r["weight"] is None for r in got["review"] + got["entity"]["near_misses"])
    name = next(f for f in pair["features"] if f["feature"] == "name")
    assert name["level"] == "same name" and name["weight"] > 0


@pytest.mark.parametrize("user", ["investigator+finance", "admin"])
def test_finance_cleared_users_get_amlo_records(er: tuple[TestClient, str], tokens: dict[str, str], user: str) -> None:
    client, entity = er
    got = answers(client, tokens[user], entity)
    assert record_ids(got) == set(RECORDS["record_id"])
    assert got["entity"]["members"] == ["amlo-1", "dsi-1", "msdhs-1", "rtp-1"]
    assert got["pair_amlo"]["record_a"] == "amlo-1" and got["pair_amlo"]["weight"] > 0
    assert any(str(level).startswith("share an account") for level in account_evidence(got))
    assert {(j["a"], j["b"]) for j in got["judgements"]} == {("dsi-1", "rtp-1"), ("amlo-2", "rtp-2")}
    assert any("amlo-2" in (r["record_a"], r["record_b"]) for r in got["review"])


def test_hidden_record_reads_like_a_missing_one(er: tuple[TestClient, str], tokens: dict[str, str]) -> None:
    client, _ = er
    h = auth(tokens["investigator"])
    hidden = client.get("/api/er/pairs/explain?a=amlo-1&b=rtp-1", headers=h)
    missing = client.get("/api/er/pairs/explain?a=nobody&b=rtp-1", headers=h)
    assert hidden.status_code == missing.status_code == 404 and hidden.json() == missing.json()
    judged = client.post("/api/er/judgements", json={"a": "amlo-1", "b": "rtp-1", "decision": "split"}, headers=h)
    assert judged.status_code == 404 and judged.json() == missing.json()
    ok = client.post("/api/er/judgements", json={"a": "amlo-1", "b": "rtp-1", "decision": "split"},
                     headers=auth(tokens["investigator+finance"]))
    assert ok.status_code == 201, ok.text


def test_victim_records_follow_the_victim_roles_setting(settings: Settings, tokens: dict[str, str]) -> None:
    """With victim clearance for admins only, investigators get no MSDHS records (and the finance grant
    still shows AMLO ones)."""
    app, entity = _er_app(settings.model_copy(update={"victim_roles": ("admin",)}))
    with TestClient(app) as client:
        assert client.post("/api/er/judgements", json={"a": "msdhs-1", "b": "rtp-1", "decision": "merge"},
                           headers=auth(tokens["admin"])).status_code == 201
        plain = answers(client, tokens["investigator"], entity)
        finance = answers(client, tokens["investigator+finance"], entity)
        admin = answers(client, tokens["admin"], entity)
    assert record_ids(plain) == {"rtp-1", "dsi-1", "rtp-2"} and plain["pair_msdhs"] == 404
    assert plain["judgements"] == []
    assert record_ids(finance) == {"rtp-1", "dsi-1", "rtp-2", "amlo-1", "amlo-2"} and finance["pair_msdhs"] == 404
    assert record_ids(admin) == set(RECORDS["record_id"])
    assert [(j["a"], j["b"]) for j in admin["judgements"]] == [("msdhs-1", "rtp-1")]
