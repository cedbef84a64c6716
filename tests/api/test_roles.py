"""Every role against every endpoint: 401 without a token, 403 outside the role, and the redactions.

The matrix must name every operation of the OpenAPI description (a new route without a row fails).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from api_world import (
    ACC1,
    ACC3,
    COLLECTOR,
    DSI_CASE,
    OFFICIAL,
    PHONE,
    POLICE_CASE,
    SUSPECT,
    VICTIM,
    VICTIM2,
    build_world,
    fill_world,
    src,
)
from conftest import ENVELOPE, USERS, auth
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from graph_model.store.base import GraphStore, NodeRecord, RelRecord
from graph_model.store.memory import MemoryStore

ALL = frozenset(USERS)
ADMIN = frozenset({"admin"})
FINANCE = frozenset({"amlo", "admin", "investigator+finance"})
VICTIMS = frozenset({"investigator", "admin", "investigator+finance"})
INV = "{inv}"  # replaced by an investigation the calling user owns

#: operation id -> (method, url, json body or text, users let in; the others get 403).
#: Users let in get 2xx, except where EXPECTED names another answer.
MATRIX: dict[str, tuple[str, str, Any, frozenset[str]]] = {
    "me": ("GET", "/api/auth/me", None, ALL),
    "search": ("GET", "/api/search?q=สมชาย", None, ALL),
    "entity_profile": ("GET", f"/api/entities/{SUSPECT}", None, ALL),
    "network": ("GET", f"/api/network?ids={SUSPECT}&hops=2", None, ALL),
    "paths": ("GET", f"/api/paths?source={SUSPECT}&target={OFFICIAL}", None, ALL),
    "subgraph": ("POST", "/api/subgraph", {"ids": [SUSPECT, OFFICIAL]}, ALL),
    "list_users": ("GET", "/api/users", None, ADMIN),
    "create_user": ("POST", "/api/users", {"username": "new", "password": "long-enough-pw", "role": "pacc"}, ADMIN),
    "set_grants": ("PUT", "/api/users/pacc/grants", {"grants": ["finance"]}, ADMIN),
    "audit_log": ("GET", "/api/audit", None, ADMIN),
    "audit_verify": ("POST", "/api/audit/verify", None, ADMIN),
    "money_trail": ("GET", f"/api/money/trail?entity_id={ACC1}", None, FINANCE),
    "money_patterns": ("GET", "/api/money/patterns?pattern=fan_in", None, FINANCE),
    "rings": ("GET", "/api/rings", None, ALL),
    "ring_detail": ("GET", "/api/rings/ring-001", None, ALL),
    "officials": ("GET", "/api/officials", None, ALL),
    "case_lifecycle": ("GET", f"/api/cases/{POLICE_CASE}/lifecycle", None, ALL),
    "linked_cases": ("GET", f"/api/cases/{POLICE_CASE}/linked", None, ALL),
    "statistics": ("GET", "/api/statistics", None, ALL),
    "routes": ("GET", "/api/routes", None, ALL),
    "victim_routes": ("GET", "/api/routes/victims", None, VICTIMS),
    "quality": ("GET", "/api/quality", None, ALL),
    "list_investigations": ("GET", "/api/investigations", None, ALL),
    "create_investigation": ("POST", "/api/investigations", {"name": "x", "entities": [SUSPECT]}, ALL),
    "get_investigation": ("GET", f"/api/investigations/{INV}", None, ALL),
    "update_investigation": ("PATCH", f"/api/investigations/{INV}", {"notes": {SUSPECT: "n"}}, ALL),
    "delete_investigation": ("DELETE", f"/api/investigations/{INV}", None, ALL),
    "case_file_report": ("GET", f"/api/report?ids={SUSPECT}&format=html", None, ALL),
    "add_judgement": ("POST", "/api/er/judgements", {"a": "r1", "b": "r2", "decision": "not_same"}, VICTIMS),
    "list_judgements": ("GET", "/api/er/judgements", None, VICTIMS),
    "explain_entity": ("GET", f"/api/er/entities/{SUSPECT}/explain", None, VICTIMS),
    "explain_pair": ("GET", "/api/er/pairs/explain?a=r1&b=r2", None, VICTIMS),
    "review_queue": ("GET", "/api/er/review", None, VICTIMS),
    "exchange": ("POST", "/api/exchange", ENVELOPE, ADMIN),
}
#: Answers other than 2xx for users let in: no saved resolution run nor source records in the test workspace
#: (a judgement on records that do not exist is refused like one on records the user may not see).
EXPECTED = {"explain_entity": 409, "explain_pair": 409, "review_queue": 409, "add_judgement": 404}
UNAUTHENTICATED = {"health", "login"}


def agencies_in(answer: Any) -> set[str]:
    """Every agency named in ``sources``/``agencies`` anywhere in an answer."""
    found: set[str] = set()

    def walk(x: Any) -> None:
        if isinstance(x, dict):
            for k, v in x.items():
                if k == "agencies" and isinstance(v, list):
                    found.update(v)
                elif k == "sources" and isinstance(v, list):
                    found.update(s.split("|")[0] if isinstance(s, str) else s.get("agency") for s in v)
                else:
                    walk(v)
        elif isinstance(x, list):
            for v in x:
                walk(v)

    walk(answer)
    return found


def call(client: TestClient, op: str, token: str | None) -> Any:
    method, url, body, _ = MATRIX[op]
    headers = auth(token) if token else {}
    if INV in url:
        made = client.post("/api/investigations", json={"name": "mine"}, headers=headers)
        url = url.replace(INV, made.json()["id"] if made.status_code == 201 else "inv-none")
    if isinstance(body, str):
        return client.request(method, url, content=body.encode(), headers=headers)
    return client.request(method, url, json=body, headers=headers)


def test_matrix_covers_every_operation(client: TestClient) -> None:
    ops = {
        o["operationId"] for p in client.get("/api/openapi.json").json()["paths"].values() for o in p.values()
    }
    assert ops - UNAUTHENTICATED == set(MATRIX)


@pytest.mark.parametrize("op", sorted(MATRIX))
def test_no_token_is_401(client: TestClient, op: str) -> None:
    assert call(client, op, None).status_code == 401


@pytest.mark.parametrize("op", sorted(MATRIX))
def test_role_matrix(client: TestClient, tokens: dict[str, str], op: str) -> None:
    """Each user in turn (one app per operation): 403 outside the allowed users, else the expected answer."""
    wrong = []
    for user in sorted(USERS):
        r = call(client, op, tokens[user])
        if user not in MATRIX[op][3]:
            ok = r.status_code == 403 and bool(r.json()["detail"])
        elif op in EXPECTED:
            ok = r.status_code == EXPECTED[op]
        else:
            ok = r.status_code // 100 == 2
        if not ok:
            wrong.append((user, r.status_code, r.text[:200]))
    assert wrong == [], (op, wrong)


def network(client: TestClient, token: str, seed: str, hops: int = 2) -> dict[str, Any]:
    r = client.get(f"/api/network?ids={seed}&hops={hops}", headers=auth(token))
    assert r.status_code == 200, r.text
    return r.json()


@pytest.mark.parametrize("user", ["pacc", "amlo", "analyst"])
def test_victim_data_hidden_without_victim_clearance(client: TestClient, tokens: dict[str, str], user: str) -> None:
    assert client.get(f"/api/entities/{VICTIM}", headers=auth(tokens[user])).status_code == 404
    g = network(client, tokens[user], POLICE_CASE)
    ids = {n["id"] for n in g["nodes"]}
    # per:victim2 is a DOPA person: visible, but reached from the case only through a victim role.
    assert VICTIM not in ids and VICTIM2 not in ids and SUSPECT in ids
    assert not [r for r in g["relationships"] if r["type"] == "ROLE_IN" and r["props"]["role"] == "victim"]
    assert not agencies_in(g) & {"MSDHS", "RLPD"}
    profile = client.get(f"/api/entities/{SUSPECT}", headers=auth(tokens[user])).json()
    assert not agencies_in(profile) & {"MSDHS", "RLPD"}


@pytest.mark.parametrize("user", ["investigator", "admin"])
def test_victim_data_shown_to_investigators(client: TestClient, tokens: dict[str, str], user: str) -> None:
    assert client.get(f"/api/entities/{VICTIM}", headers=auth(tokens[user])).status_code == 200
    g = network(client, tokens[user], POLICE_CASE)
    victims = {r["source"] for r in g["relationships"] if r["type"] == "ROLE_IN" and r["props"]["role"] == "victim"}
    assert victims == {VICTIM, VICTIM2}
    assert "MSDHS" in agencies_in(g)


@pytest.mark.parametrize("user", ["investigator", "pacc", "analyst"])
def test_financial_data_hidden_without_finance(client: TestClient, tokens: dict[str, str], user: str) -> None:
    g = network(client, tokens[user], SUSPECT, hops=3)
    assert not {n["type"] for n in g["nodes"]} & {"Account"}
    assert not {r["type"] for r in g["relationships"]} & {"TRANSFER", "HOLDS_ACCOUNT"}
    assert "AMLO" not in agencies_in(g)
    assert client.get(f"/api/entities/{ACC3}", headers=auth(tokens[user])).status_code == 404
    profile = client.get(f"/api/entities/{SUSPECT}", headers=auth(tokens[user])).json()
    assert "account" not in {f["kind"] for f in profile["identifiers"]}
    assert client.get("/api/search?q=1111111111", headers=auth(tokens[user])).json()["hits"] == []


@pytest.mark.parametrize("user", sorted(FINANCE - {"admin"}))
def test_financial_data_shown_to_amlo_and_grantees(client: TestClient, tokens: dict[str, str], user: str) -> None:
    g = network(client, tokens[user], ACC1, hops=2)
    assert {r["type"] for r in g["relationships"]} >= {"TRANSFER", "HOLDS_ACCOUNT"}
    profile = client.get(f"/api/entities/{SUSPECT}", headers=auth(tokens[user])).json()
    assert [f["value"] for f in profile["identifiers"] if f["kind"] == "account"] == ["006-3333333333"]


def test_grant_takes_effect_on_the_next_request(client: TestClient, tokens: dict[str, str]) -> None:
    assert client.get(f"/api/entities/{ACC3}", headers=auth(tokens["pacc"])).status_code == 404
    r = client.put("/api/users/pacc/grants", json={"grants": ["finance"]}, headers=auth(tokens["admin"]))
    assert r.status_code == 200
    assert client.get(f"/api/entities/{ACC3}", headers=auth(tokens["pacc"])).status_code == 200


def test_analyst_sees_pseudonyms_only(client: TestClient, tokens: dict[str, str]) -> None:
    token = tokens["analyst"]
    text = json.dumps(network(client, token, SUSPECT), ensure_ascii=False)
    profile = client.get(f"/api/entities/{SUSPECT}", headers=auth(token)).json()
    for secret in ("สมชาย", "Somchai", "1103700012345", "ประยุทธ์", "+66812345678"):
        assert secret not in text and secret not in json.dumps(profile, ensure_ascii=False)
    again = client.get(f"/api/entities/{SUSPECT}", headers=auth(token)).json()
    assert profile["names"][0]["value"] == again["names"][0]["value"]
    assert profile["names"][0]["value"].startswith("บุคคล-")
    assert client.get("/api/search?q=Somchai", headers=auth(token)).json()["hits"] == []


def test_paths_never_run_through_hidden_elements(client: TestClient, tokens: dict[str, str]) -> None:
    # The suspect and the collector meet only through money (accounts): finance roles see a path.
    url = "/api/paths?source=per:suspect&target=per:collector&max_hops=6"
    seen = client.get(url, headers=auth(tokens["amlo"])).json()["paths"]
    hidden = client.get(url, headers=auth(tokens["pacc"])).json()["paths"]
    assert any("acc:" in i for p in seen for i in p["nodes"])
    assert all("acc:" not in i for p in hidden for i in p["nodes"])


EXTRA_CASE, CLAIM, SHARED_PHONE = "case:oag-9", "case:rlpd-1", "tel:+66899999999"


@pytest.fixture
def linked_client(settings: Settings) -> Iterator[TestClient]:
    """The test world plus a prosecution sharing persons and a phone with the police case, reached either
    openly (the suspect's role in it) or only through hidden elements (victim2's one tie to the police case
    is a victim role; the suspect's phone only MSDHS recorded), and an RLPD claim ending the police case's
    chain (victim data)."""
    with TestClient(create_app(settings, store=linked_world())) as c:
        yield c


def linked_world() -> MemoryStore:
    """The test world plus the linked prosecution, the shared phone and the RLPD claim of ``linked_client``."""
    store = MemoryStore()
    fill_linked_world(store)
    return store


def fill_linked_world(store: GraphStore) -> None:
    """Write :func:`linked_world` into an empty store of either kind."""
    fill_world(store)
    store.upsert_nodes([
        NodeRecord("Case", EXTRA_CASE, {"case_no": "อส. 9/2568", "agency": "OAG", "case_kind": "prosecution",
                                        "opened_date": "2025-02-01"}, src("OAG", "oag-c9")),
        NodeRecord("Case", CLAIM, {"case_no": "RLPD-77", "agency": "RLPD", "case_kind": "compensation_claim",
                                   "opened_date": "2025-01-01"}, src("RLPD", "rlpd-c1")),
        NodeRecord("Phone", SHARED_PHONE, {"number": "+66899999999"}, src("DOPA", "dopa-t9")),
    ])
    store.upsert_relationships([
        RelRecord("ROLE_IN", SUSPECT, EXTRA_CASE, {"role": "defendant"}, src("OAG", "oag-d9")),
        RelRecord("ROLE_IN", VICTIM2, EXTRA_CASE, {"role": "witness"}, src("OAG", "oag-w9")),
        RelRecord("ROLE_IN", COLLECTOR, EXTRA_CASE, {"role": "defendant"}, src("OAG", "oag-d10")),
        RelRecord("HAS_PHONE", SUSPECT, SHARED_PHONE, {"context": "own"}, src("MSDHS", "msdhs-t9")),
        RelRecord("HAS_PHONE", COLLECTOR, SHARED_PHONE, {"context": "own"}, src("DOPA", "dopa-t9")),
        RelRecord("REFERS_TO", CLAIM, POLICE_CASE, {"relation": "compensation_for"}, src("RLPD", "rlpd-c1")),
    ])


def linked_to_police_case(client: TestClient, token: str) -> dict[str, Any]:
    r = client.get(f"/api/cases/{POLICE_CASE}/linked", headers=auth(token))
    assert r.status_code == 200, r.text
    return {x["case_id"]: x for x in r.json()}


@pytest.mark.parametrize("user", ["pacc", "amlo", "analyst"])
def test_linked_cases_only_through_what_the_user_sees(linked_client: TestClient, tokens: dict[str, str],
                                                      user: str) -> None:
    linked = linked_to_police_case(linked_client, tokens[user])
    assert set(linked) == {EXTRA_CASE, *(["case:amlo-1"] if user in FINANCE else [])}
    assert linked[EXTRA_CASE]["shared_persons"] == [SUSPECT] and linked[EXTRA_CASE]["shared_identifiers"] == []
    assert VICTIM2 not in linked[EXTRA_CASE]["labels"] and "Ma Thida" not in json.dumps(linked, ensure_ascii=False)
    assert linked[EXTRA_CASE]["case_label"] == "อส. 9/2568"


@pytest.mark.parametrize("user", sorted(VICTIMS))
def test_linked_cases_through_victim_data_for_victim_roles(linked_client: TestClient, tokens: dict[str, str],
                                                          user: str) -> None:
    linked = linked_to_police_case(linked_client, tokens[user])
    row = linked[EXTRA_CASE]
    assert row["shared_persons"] == sorted([SUSPECT, VICTIM2]) and row["shared_identifiers"] == [SHARED_PHONE]
    assert row["labels"][VICTIM2] == "Ma Thida" and row["labels"][SHARED_PHONE] == "+66899999999"
    assert row["labels"][SUSPECT] == "สมชาย ใจดี"


@pytest.mark.neo4j
def test_linked_cases_and_lifecycles_are_the_same_on_neo4j(
    neo4j_connection: tuple[str, str, str, str], linked_client: TestClient, settings: Settings,
    tokens: dict[str, str],
) -> None:
    """The checks of links and stages go through the store interface: Neo4j answers every user alike."""
    from graph_model.store.neo4j import Neo4jStore

    store = Neo4jStore(*neo4j_connection)
    store.ensure_schema()
    store.clear()
    try:
        fill_linked_world(store)
        with TestClient(create_app(settings, store=store)) as neo:
            for user in sorted(ALL):
                for url in (f"/api/cases/{POLICE_CASE}/linked", f"/api/cases/{POLICE_CASE}/lifecycle"):
                    mem, n4j = (c.get(url, headers=auth(tokens[user])) for c in (linked_client, neo))
                    assert mem.status_code == n4j.status_code == 200 and mem.json() == n4j.json(), (user, url)
    finally:
        store.clear()
        store.close()


@pytest.mark.parametrize("user", sorted(ALL))
def test_case_lifecycle_total_spans_only_the_stages_shown(linked_client: TestClient, tokens: dict[str, str],
                                                          user: str) -> None:
    r = linked_client.get(f"/api/cases/{POLICE_CASE}/lifecycle", headers=auth(tokens[user]))
    assert r.status_code == 200, r.text
    stages = {s["case_id"]: s for s in r.json()["stages"]}
    if user in VICTIMS:  # the RLPD claim (2025-01-01) ends the chain
        assert CLAIM in stages and r.json()["total_days"] == 335 and stages[DSI_CASE]["days_to_next"] == 245
    else:  # police opened 2024-02-01 .. DSI decided 2024-09-01, and no duration points at the hidden claim
        assert CLAIM not in stages and r.json()["total_days"] == 213 and stages[DSI_CASE]["days_to_next"] is None


#: Record-id prefixes of the test worlds' hidden compartments (the MSDHS, RLPD and AMLO records).
HIDDEN_RECORDS = {"victims": ("msdhs-", "rlpd-"), "finance": ("amlo-",)}
#: The officials' explained paths, swept on their own below (their steps carry every source of a step).
SWEPT_APART = {"officials"}


@pytest.fixture
def sweep_client(settings: Settings) -> Iterator[TestClient]:
    """The linked world, with the suspect's phone and the official's marriage also recorded by MSDHS
    (elements seen by two agencies, one of them hidden from some users)."""
    store = linked_world()
    store.upsert_relationships([
        RelRecord("HAS_PHONE", SUSPECT, PHONE, {"context": "own"}, src("MSDHS", "msdhs-p9")),
        RelRecord("FAMILY", OFFICIAL, COLLECTOR, {"relation": "spouse"}, src("MSDHS", "msdhs-f9")),
    ])
    with TestClient(create_app(settings, store=store)) as c:
        yield c


def hidden_prefixes(user: str) -> tuple[str, ...]:
    """The record-id prefixes a user may not see."""
    hidden: tuple[str, ...] = ()
    if user not in VICTIMS:
        hidden += HIDDEN_RECORDS["victims"]
    if user not in FINANCE:
        hidden += HIDDEN_RECORDS["finance"]
    return hidden


def record_ids_in_answers(client: TestClient, token: str, user: str, ops: set[str]) -> dict[str, list[str]]:
    """Operation -> the hidden-compartment prefixes found in its answer, for every GET the user may call."""
    every = HIDDEN_RECORDS["victims"] + HIDDEN_RECORDS["finance"]
    found = {}
    for op in sorted(ops):
        method, _, _, users = MATRIX[op]
        if method == "GET" and user in users:
            text = call(client, op, token).text
            found[op] = [p for p in every if p in text]
    return found


@pytest.mark.parametrize("user", sorted(ALL))
def test_no_answer_names_a_record_of_a_hidden_compartment(sweep_client: TestClient, tokens: dict[str, str],
                                                          user: str) -> None:
    """Every GET endpoint, each user: no MSDHS/RLPD record id without victim clearance, no AMLO record id
    without finance; users cleared for a compartment do get its records somewhere."""
    found = record_ids_in_answers(sweep_client, tokens[user], user, set(MATRIX) - SWEPT_APART)
    seen = {p for prefixes in found.values() for p in prefixes}
    assert not seen & set(hidden_prefixes(user)), {op: p for op, p in found.items() if p}
    if user in VICTIMS:
        assert "msdhs-" in seen
    if user in FINANCE:
        assert "amlo-" in seen


@pytest.mark.parametrize("user", ["pacc", "analyst"])
def test_officials_paths_name_no_hidden_record(sweep_client: TestClient, tokens: dict[str, str], user: str) -> None:
    found = record_ids_in_answers(sweep_client, tokens[user], user, SWEPT_APART)
    assert not {p for prefixes in found.values() for p in prefixes} & set(hidden_prefixes(user)), found


@pytest.mark.parametrize("user", ["pacc", "amlo", "analyst"])
def test_ring_graph_draws_no_victim_without_victim_clearance(client: TestClient, tokens: dict[str, str],
                                                            user: str) -> None:
    ring = client.get("/api/rings/ring-001", headers=auth(tokens[user])).json()
    assert ring["ring"]["victims"] == []
    assert VICTIM2 not in {n["id"] for n in ring["graph"]["nodes"]}  # a DOPA person, in the ring as its victim


def test_money_trail_lists_no_account_reached_only_through_a_hidden_one(settings: Settings,
                                                                        tokens: dict[str, str]) -> None:
    """For amlo (no victim clearance), money passing through an RLPD compensation account stops there."""
    compensation, beyond = "acc:011-5555555555", "acc:022-6666666666"
    store = build_world()
    store.upsert_nodes([
        NodeRecord("Account", compensation, {"bank_code": "011", "account_no": "5555555555"}, src("RLPD", "rlpd-a5")),
        NodeRecord("Account", beyond, {"bank_code": "022", "account_no": "6666666666"}, src("AMLO", "amlo-a6")),
    ])
    store.upsert_relationships([
        RelRecord("TRANSFER", a, b, {"txn_id": tx, "amount_thb": 900.0, "at": at, "ts": ts, "channel": "MOBILE"},
                  src("AMLO", f"amlo-{tx}"), discriminator=tx)
        for a, b, tx, at, ts in ((ACC3, compensation, "t9", "2024-03-04T10:00:00+07:00", 1709521200),
                                 (compensation, beyond, "t10", "2024-03-05T10:00:00+07:00", 1709607600))
    ])
    with TestClient(create_app(settings, store=store)) as c:
        trail = c.get(f"/api/money/trail?entity_id={ACC1}", headers=auth(tokens["amlo"])).json()
    assert all(compensation not in p["accounts"] for p in trail["paths"])
    assert {a["id"] for a in trail["accounts"]} == {i for p in trail["paths"] for i in p["accounts"]}
