"""Entity-resolution explanations and judgements through the API, on a small saved resolution run."""

from __future__ import annotations

import pandas as pd
from conftest import auth
from fastapi import FastAPI
from fastapi.testclient import TestClient


def test_explain_and_judge_a_pair(client: TestClient, tokens: dict[str, str], app: FastAPI) -> None:
    from entity_resolution import resolve

    records = pd.DataFrame({"record_id": ["rtp-1", "dsi-1"], "names": ["สมชาย ใจดี", "Somchai Jaidee"]})
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
    assert client.get("/api/er/judgements", headers=auth(tokens["analyst"])).status_code == 403
