"""Search, neighbourhood, connections and shared identifiers: the same answers on both stores."""

from __future__ import annotations

import pytest
from queries_world import (
    CHECKPOINT_MAESOT,
    COLLECTOR,
    LEADER,
    OFFICIAL,
    POLICE1,
    RECRUITER,
    SHARED_PHONE,
    TRANSPORTER,
    VICTIMS_A,
    WIFE,
    acc,
    world,
)

from graph_model.queries.neighbourhood import expand, neighbours
from graph_model.queries.paths import connections
from graph_model.queries.search import search, search_identifier, search_name
from graph_model.queries.shared import shared_identifiers, shared_with

__all__ = ["world"]


@pytest.mark.parametrize(("query", "expected"), [
    ("สมศักดิ์ ชักชวน", RECRUITER),          # Thai script
    ("Somsak Chakchuan", RECRUITER),         # Latin script of the same person
    ("somsak chakchuen", RECRUITER),         # misspelt
    ("เสี่ยหนุ่ย", LEADER),                    # alias
    ("Golden Labour", "org:broker"),         # organisation
])
def test_name_search_finds_across_scripts_and_aliases(world, query: str, expected: str) -> None:
    hits = search(world, query)
    assert hits and hits[0].id == expected


def test_name_search_scores_are_ordered_and_bounded(world) -> None:
    hits = search_name(world, "Noknoi Chairai", min_score=50)
    assert hits[0].id == COLLECTOR and hits[0].score == 100.0
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    assert search_name(world, "Zzyzx Qwerty") == []


@pytest.mark.parametrize(("kind", "value", "expected"), [
    ("phone", "081-111-1111", {SHARED_PHONE, RECRUITER, COLLECTOR, VICTIMS_A[2]}),
    ("phone", "+66 81 111 1111", {SHARED_PHONE, RECRUITER, COLLECTOR, VICTIMS_A[2]}),
    ("thai_id", "1-1007-00123-45-6", {RECRUITER, "doc:thai_id:1100700123456"}),
    ("passport", "ma 123456", {TRANSPORTER, "doc:passport:MA123456"}),
    ("account", "collector", set()),
    ("case_no", "สภ.แม่สอด 123/2562", {POLICE1}),
    ("case_no", "RTP:สภ.แม่สอด:123/2562", {POLICE1}),
])
def test_identifier_search_normalises_input(world, kind, value, expected) -> None:
    assert {h.id for h in search_identifier(world, kind, value)} == expected


def test_auto_search_tries_identifiers_when_digits(world) -> None:
    assert {h.id for h in search(world, "0811111111")} >= {SHARED_PHONE, RECRUITER}


def test_expand_filters_roles_types_dates_and_agencies(world) -> None:
    everyone = {n.id for n in expand(world, [POLICE1]).nodes}
    assert {RECRUITER, TRANSPORTER, "per:officer", *VICTIMS_A} <= everyone
    suspects = {n.id for n in expand(world, [POLICE1], rel_types=["ROLE_IN"], roles=["suspect"]).nodes}
    assert suspects == {POLICE1, RECRUITER, TRANSPORTER}
    rtp_only = expand(world, [COLLECTOR], agencies=["DSI"])
    assert all("DSI" in r.props["agencies"] for r in rtp_only.relationships)
    crossings = expand(world, [CHECKPOINT_MAESOT], date_from="2019-01-10", date_to="2019-01-31")
    assert {n.id for n in crossings.nodes} == {CHECKPOINT_MAESOT, TRANSPORTER, VICTIMS_A[2], VICTIMS_A[3]}
    persons = expand(world, [LEADER], hops=2, types=["Person", "Account"])
    assert {n.type for n in persons.nodes} == {"Person", "Account"}


def test_neighbours_pages_a_hub(world) -> None:
    first = neighbours(world, POLICE1, limit=3)
    second = neighbours(world, POLICE1, limit=3, offset=3)
    assert first.total == second.total == 8
    ids = [i["id"] for i in first.items + second.items]
    assert ids == sorted(ids) and len(set(ids)) == 6
    assert first.items[0]["relationships"][0]["sources"][0]["agency"]


def test_connections_explain_each_step_with_sources(world) -> None:
    found = connections(world, RECRUITER, COLLECTOR, k=3)
    assert found[0].nodes == [RECRUITER, SHARED_PHONE, COLLECTOR]
    assert [c.length for c in found] == sorted(c.length for c in found)
    step = found[0].steps[0]
    assert step["type"] == "HAS_PHONE" and step["forward"] and step["sources"][0]["agency"] == "RTP"
    assert connections(world, RECRUITER, "nope") == []


def test_time_ordered_connection_follows_money_forward_in_time(world) -> None:
    money = ["HOLDS_ACCOUNT", "TRANSFER"]
    plain = connections(world, OFFICIAL, LEADER, rel_types=[*money, "FAMILY"], max_hops=8)
    assert plain and plain[0].nodes[:2] == [OFFICIAL, WIFE]
    ordered = connections(world, "per:f1", LEADER, rel_types=money, time_ordered=True, max_hops=8)
    assert ordered[0].nodes == ["per:f1", acc("per:f1"), acc(COLLECTOR), acc("per:mule1"), acc("per:mule2"),
                                acc(LEADER), LEADER]
    dates = [s["date"] for s in ordered[0].steps if s["date"]]
    assert dates == sorted(dates)
    # Backwards in time the wife's payment (day 8) cannot feed the leader through mules (days 5-7).
    assert connections(world, WIFE, LEADER, rel_types=money, time_ordered=True, max_hops=6) == []


def test_shared_identifiers(world) -> None:
    shared = {s.identifier: s for s in shared_identifiers(world)}
    assert shared[SHARED_PHONE].holders == sorted([RECRUITER, COLLECTOR, VICTIMS_A[2]])
    assert shared["loc:house1"].holders == ["per:mule1", "per:mule2"]
    assert shared["loc:myawaddy"].kind == "address" and len(shared["loc:myawaddy"].holders) == 4
    assert set(shared[SHARED_PHONE].sources[COLLECTOR]) and all(
        s.startswith("DSI|") for s in shared[SHARED_PHONE].sources[COLLECTOR])
    assert [s.identifier for s in shared_identifiers(world, kinds=["phone"], holders_in=[RECRUITER, COLLECTOR])] \
        == [SHARED_PHONE]
    assert shared_identifiers(world, max_holders=3, kinds=["address"]) == [shared["loc:house1"], shared["loc:poipet"]]
    assert [s.identifier for s in shared_with(world, COLLECTOR)] == [SHARED_PHONE]
