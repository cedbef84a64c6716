"""Roles on both graph stores: search as each role, and profiles whose values are attributed to records.

The test world (``api_world``) is written into an empty MemoryStore and into a real Neo4j (marked ``neo4j``),
with the suspect's source records in the workspace's ``records.sqlite``: RTP and DSI recorded the Latin
name and the ID number, MSDHS (victim-identifying) the Thai name.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from api_world import ACC1, ACC3, ACC4, OFFICIAL, POLICE_CASE, SUSPECT, fill_world
from conftest import auth
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from graph_model.store.base import GraphStore, NodeRecord, Provenance, RelRecord
from graph_model.store.memory import MemoryStore
from ingest.records import SourceRecord
from ingest.store import RecordStore

THAI_NAME, LATIN_NAME, THAI_ID = "สมชาย ใจดี", "Somchai Jaidee", "1103700012345"
#: The suspect's records as ingest keeps them (record ids as in api_world's sources).
SUSPECT_RECORDS = [
    ("rtp-p1", "RTP", "rtp_case_persons.csv", {"names": [LATIN_NAME], "thai_id": THAI_ID}),
    ("dsi-s1", "DSI", "dsi_special_cases.json", {"names": [LATIN_NAME]}),
    ("msdhs-r1", "MSDHS", "msdhs_victims.csv", {"names": [THAI_NAME], "name_th": [THAI_NAME]}),
]
#: The records of the account whose holder's Thai name only MSDHS recorded (api_world's ACC4).
ACCOUNT_RECORDS = [
    ("amlo-a4", "AMLO", "amlo_str.csv", {"account_names": [LATIN_NAME]}),
    ("msdhs-k4", "MSDHS", "msdhs_compensation.csv", {"account_names": [THAI_NAME]}),
]


def write_records(workspace: Path) -> None:
    """The suspect's source records in ``<workspace>/records.sqlite``."""
    with RecordStore(workspace) as records:
        records.upsert([SourceRecord(record_id=rid, agency=agency, source_file=file, row=1, part="person",
                                     entity_type="Person", props=props) for rid, agency, file, props in SUSPECT_RECORDS]
                       + [SourceRecord(record_id=rid, agency=agency, source_file=file, row=1, part="account",
                                       entity_type="Account", props=props)
                          for rid, agency, file, props in ACCOUNT_RECORDS],
                       run_date="2024-03-01")


@pytest.fixture
def store_client(settings: Settings, any_world: GraphStore) -> Iterator[TestClient]:
    """A client over the world on each store, with the suspect's records in the workspace."""
    write_records(Path(settings.workspace))
    with TestClient(create_app(settings, store=any_world)) as c:
        yield c


def hits(client: TestClient, token: str, q: str) -> list[dict[str, Any]]:
    r = client.get("/api/search", params={"q": q}, headers=auth(token))
    assert r.status_code == 200, r.text
    found: list[dict[str, Any]] = r.json()["hits"]
    return found


def test_analyst_searches_what_analysts_see(store_client: TestClient, tokens: dict[str, str]) -> None:
    token = tokens["analyst"]
    # Case numbers are shown to analysts: found on both stores (Neo4j answered nothing before).
    assert [h["id"] for h in hits(store_client, token, "สภ.แม่สอด 123/2567")] == [POLICE_CASE]
    # A real name or ID number must not confirm that the person is in the graph.
    assert hits(store_client, token, LATIN_NAME) == []
    assert hits(store_client, token, THAI_ID) == []
    # The pseudonym the analyst was shown finds the person again.
    shown = store_client.get(f"/api/entities/{SUSPECT}", headers=auth(token)).json()["entity"]["props"]["pseudonym"]
    found = hits(store_client, token, shown)
    assert [h["id"] for h in found] == [SUSPECT] and found[0]["label"] == shown
    assert hits(store_client, token, shown.lower()) == found
    # A pseudonym stored by the graph build (P-...) is found as well.
    assert [h["id"] for h in hits(store_client, token, "P-0ff1c1a1")] == [OFFICIAL]


@pytest.mark.parametrize("user", ["investigator", "pacc"])
def test_search_by_name_on_both_stores(store_client: TestClient, tokens: dict[str, str], user: str) -> None:
    assert SUSPECT in [h["id"] for h in hits(store_client, tokens[user], LATIN_NAME)]


def test_search_does_not_confirm_a_name_only_a_hidden_compartment_recorded(
    store_client: TestClient, tokens: dict[str, str]
) -> None:
    # Only MSDHS recorded the Thai name: investigators find the suspect by it, PACC does not.
    assert SUSPECT in [h["id"] for h in hits(store_client, tokens["investigator"], THAI_NAME)]
    assert SUSPECT not in [h["id"] for h in hits(store_client, tokens["pacc"], THAI_NAME)]
    found = {h["id"]: h for h in hits(store_client, tokens["pacc"], LATIN_NAME)}
    assert found[SUSPECT]["label"] == LATIN_NAME and sorted(found[SUSPECT]["agencies"]) == ["DSI", "RTP"]


def profile(client: TestClient, token: str, entity_id: str = SUSPECT) -> dict[str, Any]:
    r = client.get(f"/api/entities/{entity_id}", headers=auth(token))
    assert r.status_code == 200, r.text
    answer: dict[str, Any] = r.json()
    return answer


def records_of(facts: list[dict[str, Any]], kind: str) -> dict[str, set[str]]:
    """value -> the record ids it is attributed to, for facts of one kind."""
    return {f["value"]: {s["record_id"] for s in f["sources"]} for f in facts if f["kind"] == kind}


@pytest.mark.parametrize("user", ["investigator", "admin"])
def test_profile_values_name_their_own_records(store_client: TestClient, tokens: dict[str, str], user: str) -> None:
    p = profile(store_client, tokens[user])
    assert records_of(p["names"], "name") == {THAI_NAME: {"msdhs-r1"}, LATIN_NAME: {"rtp-p1", "dsi-s1"}}
    assert records_of(p["identifiers"], "thai_id") == {THAI_ID: {"rtp-p1"}}
    by_value = {f["value"]: f["agencies"] for f in p["names"]}
    assert by_value == {THAI_NAME: ["MSDHS"], LATIN_NAME: ["RTP", "DSI"]}
    # A value no record holds (nationality, set elsewhere) keeps the entity's sources.
    assert records_of(p["identifiers"], "nationality") == {"THA": {"rtp-p1", "dsi-s1", "msdhs-r1"}}


@pytest.mark.parametrize("user", ["pacc", "amlo", "investigator+finance"])
def test_profile_hides_values_seen_only_in_hidden_compartments(
    store_client: TestClient, tokens: dict[str, str], user: str
) -> None:
    p = profile(store_client, tokens[user])
    names = records_of(p["names"], "name")
    if user == "investigator+finance":  # cleared for victim data: the MSDHS name stays
        assert names == {THAI_NAME: {"msdhs-r1"}, LATIN_NAME: {"rtp-p1", "dsi-s1"}}
        return
    assert names == {LATIN_NAME: {"rtp-p1", "dsi-s1"}}
    assert THAI_NAME not in str(p)  # not in the entity's props (names, name_th) either
    assert records_of(p["identifiers"], "nationality") == {"THA": {"rtp-p1", "dsi-s1"}}


def test_values_are_withheld_when_a_hidden_record_cannot_be_read(
    settings: Settings, tokens: dict[str, str]
) -> None:
    """Without the MSDHS record, no value can be shown to be from elsewhere: only traced ones are shown."""
    world = MemoryStore()
    fill_world(world)
    with RecordStore(Path(settings.workspace)) as records:
        records.upsert([SourceRecord(record_id=rid, agency=agency, source_file=file, row=1, part="person",
                                     entity_type="Person", props=props)
                        for rid, agency, file, props in SUSPECT_RECORDS if agency != "MSDHS"], run_date="2024-03-01")
    with TestClient(create_app(settings, store=world)) as c:
        p = profile(c, tokens["pacc"])
    assert records_of(p["names"], "name") == {LATIN_NAME: {"rtp-p1", "dsi-s1"}}
    assert "nationality" not in p["entity"]["props"] and THAI_NAME not in str(p)


@pytest.mark.parametrize("user", ["pacc", "investigator"])
def test_charts_show_only_names_the_viewer_may_see(store_client: TestClient, tokens: dict[str, str], user: str) -> None:
    """Network, subgraph, paths and the case file label the suspect without the MSDHS-only name for PACC."""
    h = auth(tokens[user])
    answers = [
        store_client.get(f"/api/network?ids={SUSPECT}&hops=1", headers=h).json(),
        store_client.post("/api/subgraph", json={"ids": [SUSPECT, POLICE_CASE]}, headers=h).json(),
        store_client.get(f"/api/paths?source={SUSPECT}&target={POLICE_CASE}", headers=h).json(),
        store_client.get(f"/api/report?ids={SUSPECT}&format=html", headers=h).text,
    ]
    for answer in answers:
        text = str(answer)
        assert LATIN_NAME in text
        assert (THAI_NAME in text) == (user == "investigator"), (user, text[:300])


@pytest.mark.parametrize("user", ["pacc", "amlo", "investigator+finance"])
def test_rings_money_cases_and_investigations_show_only_names_the_viewer_may_see(
    store_client: TestClient, tokens: dict[str, str], user: str
) -> None:
    """Ring members, ring drill-down, money-trail accounts, linked cases' parties and investigation entities
    read without the name only MSDHS recorded, for every role not cleared for victim data."""
    h = auth(tokens[user])
    cleared = user == "investigator+finance"  # sees victim data: the MSDHS name stays
    label = THAI_NAME if cleared else LATIN_NAME  # the first name the viewer may see

    def shows_only_what_it_may(answer: Any, where: str) -> None:
        text = str(answer)
        assert LATIN_NAME in text, where
        assert (THAI_NAME in text) == cleared, (where, text[:400])

    ring = next(r for r in store_client.get("/api/rings", headers=h).json() if SUSPECT in r["members"])
    assert ring["labels"][SUSPECT] == label and (THAI_NAME in str(ring)) == cleared
    detail = store_client.get(f"/api/rings/{ring['ring_id']}", headers=h).json()
    shows_only_what_it_may(detail, "ring detail")
    inv = store_client.post("/api/investigations", json={"name": "x", "entities": [SUSPECT]}, headers=h).json()
    assert inv["labels"] == {SUSPECT: label}
    listed = next(i for i in store_client.get("/api/investigations", headers=h).json() if i["id"] == inv["id"])
    assert listed["labels"] == {SUSPECT: label}
    if user == "pacc":  # no finance clearance: no trails, and the AMLO case sharing the suspect is hidden
        assert store_client.get(f"/api/money/trail?entity_id={ACC1}", headers=h).status_code == 403
        assert store_client.get(f"/api/cases/{POLICE_CASE}/linked", headers=h).json() == []
        return
    trail = store_client.get(f"/api/money/trail?entity_id={ACC1}&direction=forward", headers=h).json()
    accounts = {a["id"]: a["props"] for a in trail["accounts"]}
    assert accounts[ACC4]["account_names"] == ([THAI_NAME, LATIN_NAME] if cleared else [LATIN_NAME])
    shows_only_what_it_may(trail, "money trail")
    linked = store_client.get(f"/api/cases/{POLICE_CASE}/linked", headers=h).json()
    assert [(c["shared_persons"], c["labels"]) for c in linked] == [([SUSPECT], {SUSPECT: label})]


@pytest.mark.parametrize("user", ["amlo", "investigator+finance"])
def test_a_profile_names_its_neighbours_as_the_viewer_may_see_them(
    store_client: TestClient, tokens: dict[str, str], user: str
) -> None:
    """The suspect's account lists its holder by a name the viewer may see (not the MSDHS-only one for amlo)."""
    p = profile(store_client, tokens[user], ACC3)
    holders = [f["value"] for f in p["identifiers"] if f["entity_id"] == SUSPECT]
    assert holders == [THAI_NAME if user == "investigator+finance" else LATIN_NAME]
    assert (THAI_NAME in str(p)) == (user == "investigator+finance")


def test_analyst_search_on_the_embedded_store_ignores_values_only_a_hidden_compartment_recorded(
    settings: Settings, tokens: dict[str, str]
) -> None:
    """An organisation whose Thai name only MSDHS recorded is neither found nor labelled by it for analysts."""
    world = MemoryStore()
    fill_world(world)
    thai, latin = "บริษัท ประมงลับ จำกัด", "Secret Fishing Co"
    world.upsert_nodes([NodeRecord("Organization", "org:secret", {"names": [thai, latin]},
                                   [Provenance("DOPA", "dopa-g1", "2024-03-01"),
                                    Provenance("MSDHS", "msdhs-g1", "2024-03-01")])])
    with RecordStore(Path(settings.workspace)) as records:
        records.upsert([SourceRecord(record_id=rid, agency=agency, source_file="x.csv", row=1, part="employer",
                                     entity_type="Organization", props={"names": [name]})
                        for rid, agency, name in (("dopa-g1", "DOPA", latin), ("msdhs-g1", "MSDHS", thai))],
                       run_date="2024-03-01")
    with TestClient(create_app(settings, store=world)) as c:
        assert "org:secret" not in [h["id"] for h in hits(c, tokens["analyst"], "ประมงลับ")]
        assert [(h["id"], h["label"]) for h in hits(c, tokens["analyst"], "Secret Fishing")] == [("org:secret", latin)]
        assert [(h["id"], h["label"]) for h in hits(c, tokens["investigator"], "ประมงลับ")] == [("org:secret", thai)]


@pytest.mark.parametrize("user", ["amlo", "investigator+finance"])
def test_compensation_pattern_names_the_claim_only_to_viewers_cleared_for_victim_data(
    settings: Settings, tokens: dict[str, str], user: str
) -> None:
    """Compensation of an RLPD claim paid into the suspect's account: amlo sees the pattern (its accounts and
    holders), not the claim nor its payment, which are victim data."""
    world = MemoryStore()
    fill_world(world)
    world.upsert_nodes([NodeRecord("Case", "case:rlpd-1", {"case_no": "RLPD 7/2567", "agency": "RLPD",
                                                           "case_kind": "compensation_claim"},
                                   [Provenance("RLPD", "rlpd-c1", "2024-04-01")])])
    world.upsert_relationships([RelRecord("PAID_TO", "case:rlpd-1", ACC3, {"amount_thb": 20000.0, "date": "2024-04-02"},
                                          [Provenance("RLPD", "rlpd-c1", "2024-04-02")])])
    with TestClient(create_app(settings, store=world)) as c:
        r = c.get("/api/money/patterns?pattern=compensation_to_suspect", headers=auth(tokens[user]))
    assert r.status_code == 200, r.text
    [found] = [p for p in r.json() if p["accounts"] == [ACC3]]
    assert found["detail"]["holders"] == [SUSPECT]
    if user == "amlo":
        assert found["detail"]["claim"] is None and found["detail"]["paid_to"] is None
        assert "rlpd" not in str(found)
    else:
        assert found["detail"]["claim"] == "case:rlpd-1" and found["txn_ids"] == [found["detail"]["paid_to"]]
