"""Rings, corruption links, case lifecycles, routes, statistics, data quality and the detections export:
the same answers on both stores, and a direct memory-versus-Neo4j comparison of every query."""

from __future__ import annotations

from typing import Any

import pytest
from queries_world import (
    B_SUSPECTS,
    COLLECTOR,
    COMP1,
    COURT1,
    DSI1,
    HEADMAN,
    LEADER,
    MSDHS_REF,
    OFFICER,
    OFFICIAL,
    POLICE1,
    POLICE2,
    PROS1,
    RECRUITER,
    TRANSPORTER,
    VICTIMS_A,
    VICTIMS_B,
    WIFE,
    acc,
    open_world,
    world,
)

from graph_model.queries.cases import lifecycle, linked_cases
from graph_model.queries.corruption import official_links, officials
from graph_model.queries.export import detections
from graph_model.queries.quality import agency_quality
from graph_model.queries.rings import detect_rings, projection
from graph_model.queries.routes import route_summary, victim_routes
from graph_model.queries.statistics import annual_report

__all__ = ["world"]


def test_rings_recover_members_roles_and_scores(world) -> None:
    rings = detect_rings(world)
    a, b = rings[0], rings[1]
    assert a.roles[RECRUITER] == "recruiter" and a.roles[TRANSPORTER] == "transporter"
    assert a.roles[COLLECTOR] == "money_collector" and a.roles[LEADER] == "leader"
    assert a.roles["org:broker"] == "broker" and a.roles["org:vessel"] == "employer"
    assert a.roles[OFFICIAL] == "official" and a.roles[WIFE] == "associate"
    assert a.victims == sorted(VICTIMS_A) and DSI1 in a.cases and a.money_thb > 5_000_000
    assert set(b.members) == set(B_SUSPECTS) and b.victims == sorted(VICTIMS_B)
    assert a.score > b.score and [r.ring_id for r in rings[:2]] == ["ring-001", "ring-002"]
    assert HEADMAN not in {m for r in rings for m in r.members}


def test_projection_is_sorted_and_weighted(world) -> None:
    edges = projection(world)
    assert edges == sorted(edges) and all(a < b and w > 0 for a, b, w in edges)
    weights = {(a, b): w for a, b, w in edges}
    assert weights[(RECRUITER, TRANSPORTER)] >= 3  # one case chain (counted twice) and co-travel with victims


def test_ring_data_victim_phones_and_household_ties(world) -> None:
    from graph_model.queries import _ring_data
    from graph_model.queries.rings import _is_kin

    rows = {r["victim"]: r["actors"] for r in _ring_data.victim_phone_rows(world, 30)}
    assert rows == {VICTIMS_A[2]: sorted([COLLECTOR, RECRUITER])}  # the "employer" phone a victim gave
    assert _is_kin("FAMILY:per:a|per:b") and _is_kin("id:loc:house1") and not _is_kin("id:tel:+66811111111")


def test_ring_members_need_evidence_beyond_household() -> None:
    from graph_model.queries._ring_members import adjacency, grow, prune

    # a, b co-suspects; c moves money with b; d is b's relative (family + house): no evidence; o an official
    g = adjacency({("a", "b"): 3.0, ("b", "c"): 2.0, ("b", "d"): 1.5, ("b", "o"): 0.5})
    evidence = adjacency({("a", "b"): 3.0, ("b", "c"): 2.0})
    need = {"a": 1.6, "b": 1.6, "c": 1.6, "d": 1.6, "o": 0.24}
    assert prune([["a", "b", "c", "d", "o"]], g, evidence, need, {"o"}) == [["a", "b", "c", "o"]]
    rings = [{"a", "b"}]
    asked: list[list[str]] = []
    grow(rings, g, evidence, need, {"o"}, prepare=asked.append)
    assert rings == [{"a", "b", "c", "o"}]
    assert asked == [["c", "d", "o"], ["d"]]  # only actors tied to a ring are looked at


def test_louvain_is_deterministic_whatever_the_edge_order() -> None:
    import random

    from graph_model.queries._communities import louvain

    rng = random.Random(3)
    # twelve triangles in a chain, weak links between them: Louvain's node order decides ties
    edges = [(f"n{t}{a}", f"n{t}{b}", 1.0 + rng.random()) for t in range(12) for a, b in ((0, 1), (1, 2), (0, 2))]
    edges += [(f"n{t}2", f"n{t + 1}0", 0.3) for t in range(11)]
    first = louvain(edges, seed=5)
    for _ in range(5):
        rng.shuffle(edges)
        assert louvain(edges, seed=5) == first
    assert sorted(n for c in first for n in c) == sorted({n for a, b, _ in edges for n in (a, b)})
    assert ["n00", "n01", "n02"] in first


def test_money_ties_weigh_amount_and_hubs() -> None:
    from graph_model.queries.rings import _contexts, _Data, _money_w

    assert _money_w(5_000, 1) == 0.0 and _money_w(99_999, 1) == pytest.approx(2.0, abs=1e-3)
    assert _money_w(10**7, 9) == 4.0
    hub = [{"src": "gov", "dst": f"p{i}", "amount": 100_000.0, "count": 1} for i in range(10)]
    d = _Data([], [], [], [], [], hub)
    weights = {k: w for k, _, w in _contexts(d, 30)}
    assert weights == {"money:gov": pytest.approx(1.0, abs=1e-3)}  # ten payees: 2.0 x 5/10


def test_officials_and_corruption_links(world) -> None:
    assert officials(world) == sorted([OFFICIAL, HEADMAN, OFFICER])
    hits = official_links(world)
    assert [h.entity_id for h in hits] == [OFFICIAL]  # the inquiry officer's own case is not a link
    hit = hits[0]
    assert hit.path == [OFFICIAL, WIFE, acc(WIFE), acc(COLLECTOR), COLLECTOR] and hit.distance == 4
    assert hit.links == ["family", "money"] and hit.score == 0.25
    assert [s["type"] for s in hit.steps] == ["FAMILY", "HOLDS_ACCOUNT", "TRANSFER", "HOLDS_ACCOUNT"]
    assert hit.steps[2]["sources"][0]["agency"] == "AMLO" and hit.steps[2]["forward"] is False
    assert official_links(world, k=3) == []


def test_case_lifecycle_and_durations(world) -> None:
    life = lifecycle(world, COURT1)
    assert [s["case_id"] for s in life["stages"]] == [POLICE1, DSI1, PROS1, COURT1, COMP1]
    assert [s["days_to_next"] for s in life["stages"]] == [70, 114, 91, 244, None]
    assert life["stages"][3]["days_to_decision"] == 212 and life["total_days"] == 519
    assert lifecycle(world, POLICE2)["stages"][0]["case_id"] == POLICE2


def test_linked_cases_through_persons_and_identifiers(world) -> None:
    linked = {c["case_id"]: c for c in linked_cases(world, POLICE1)}
    assert linked[POLICE2]["shared_persons"] == [TRANSPORTER]
    assert linked[MSDHS_REF]["shared_persons"] == [VICTIMS_A[1]]
    assert DSI1 not in linked  # same chain


def test_routes_per_victim_and_aggregated(world) -> None:
    routes = {r["entity_id"]: r for r in victim_routes(world)}
    assert set(routes) == set(VICTIMS_A + VICTIMS_B)
    r = routes[VICTIMS_A[0]]
    assert r["origin"]["country"] == "MMR" and [c["name"] for c in r["checkpoints"]] == ["Mae Sot"]
    assert r["destination"]["province"] == "สมุทรสาคร" and r["year"] == 2019 and r["exploitation"] == "ประมงทะเล"
    assert route_summary(world, level="province", by_year=False) == [
        {"origin": "Myawaddy", "checkpoints": ["Mae Sot"], "destination": "สมุทรสาคร", "victims": 4},
        {"origin": "Poipet", "checkpoints": ["Aranyaprathet"], "destination": "ชลบุรี", "victims": 2}]


def test_annual_report(world) -> None:
    report = annual_report(world)
    assert report["cases"] == [
        {"year": 2019, "investigations": 2, "prosecutions": 1, "convictions": 0},
        {"year": 2020, "investigations": 1, "prosecutions": 0, "convictions": 1},
        {"year": 2021, "investigations": 1, "prosecutions": 0, "convictions": 0}]
    assert {"year": 2019, "age_band": "child", "victims": 1} in report["victims_by_age_band"]
    assert {"year": 2021, "age_band": "child", "victims": 2} in report["victims_by_age_band"]
    assert {"year": 2021, "exploitation": "ขอทาน", "victims": 2} in report["victims_by_exploitation"]
    assert report["assets_seized"] == [{"year": 2019, "count": 1, "value_thb": 5_000_000.0}]
    assert report["complicit_officials"] == []


def test_agency_quality(world) -> None:
    rows = {r["agency"]: r for r in agency_quality(world, quarantine={"DOPA": 7}, today="2026-11-26")}
    assert rows["RTP"]["missing_cases"] == 1 and rows["RTP"]["cited_by"] == ["MSDHS"]
    assert rows["MSDHS"]["invalid_documents"] == 1 and rows["MSDHS"]["impossible_dates"] == 1
    assert rows["DOPA"]["quarantined"] == 7 and rows["AMLO"]["newest_record"] == "2024-06-01"
    assert rows["AMLO"]["days_since_newest"] == 908 and rows["RTP"]["persons_name_only"] >= 1


def test_detections_export_has_the_contract_shape(world) -> None:
    out = detections(world, {"fan_in_min": 4})
    assert [r["ring_id"] for r in out["rings"]] == ["ring-001"]  # ring B has two victims only
    assert set(out) == {"rings", "money_chains", "officials"}
    assert all(set(r) == {"ring_id", "members"} for r in out["rings"])
    assert all(set(m) == {"entity_id", "role"} and m["role"] != "associate" for r in out["rings"] for m in r["members"])
    assert all(set(c) == {"pattern", "txn_ids"} for c in out["money_chains"])
    patterns = {(c["pattern"], tuple(c["txn_ids"])) for c in out["money_chains"]}
    assert {("fan_in", ("TXF1", "TXF2", "TXF3", "TXF4")), ("layering", ("TXL1", "TXL2", "TXL3")),
            ("cycle", ("TXC1", "TXC2")), ("structuring", ("TXS1", "TXS2", "TXS3"))} <= patterns
    assert out["officials"][0]["entity_id"] == OFFICIAL and out["officials"][0]["path"][-1] == COLLECTOR


def _everything(store: Any) -> dict[str, Any]:
    from graph_model.queries import money, money_patterns, neighbourhood, paths, search, shared

    def plain(x: Any) -> Any:
        return [plain(i) for i in x] if isinstance(x, list) else (x.to_dict() if hasattr(x, "to_dict") else x)

    return {
        "search": plain(search.search(store, "Somsak")), "phone": plain(search.search(store, "0811111111")),
        "expand": plain(neighbourhood.expand(store, [LEADER], hops=2)),
        "paths": plain(paths.connections(store, RECRUITER, LEADER, k=3)),
        "shared": plain(shared.shared_identifiers(store)),
        "trail": plain(money.trail(store, COLLECTOR)), "back": plain(money.trail(store, LEADER, "backward")),
        "fan_in": plain(money_patterns.fan_in(store, 2)), "fan_out": plain(money_patterns.fan_out(store, 2)),
        "cycles": plain(money_patterns.cycles(store)), "mules": plain(money_patterns.pass_through(store)),
        "rings": plain(detect_rings(store)), "officials": plain(official_links(store)),
        "life": lifecycle(store, DSI1), "linked": linked_cases(store, POLICE1), "routes": victim_routes(store),
        "report": annual_report(store), "quality": agency_quality(store, today="2026-11-26"),
        "detections": detections(store),
        **_ring_rows(store),
    }


def _ring_rows(store: Any) -> dict[str, Any]:
    """Every row ring detection reads (lists sorted: the stores list members in their own order)."""
    from graph_model.queries import _ring_data as data

    def norm(rows: list[Any]) -> list[Any]:
        return sorted(repr({k: sorted(v) if isinstance(v, list) else v for k, v in r.items()})
                      if isinstance(r, dict) else repr(r) for r in rows)

    ids = sorted(n["id"] for n in data.feature_rows(store, [LEADER, COLLECTOR, RECRUITER, "org:vessel"]))
    return {"ring_victims": sorted(data.victim_ids(store)), "ring_cases": norm(data.case_rows(store)),
            "ring_ids": norm(data.identifier_rows(store, 30)), "ring_travel": norm(data.travel_rows(store, 30)),
            "ring_victim_rows": norm(data.victim_rows(store)), "ring_phones": norm(data.victim_phone_rows(store, 30)),
            "ring_pairs": norm(data.pair_rows(store)), "ring_money": norm(data.money_rows(store)),
            "ring_refers": norm(data.refers_rows(store)), "ring_offences": norm(data.offence_rows(store)),
            "ring_features": norm(data.feature_rows(store, ids)), "ring_feature_ids": ids}


@pytest.mark.neo4j
def test_memory_and_neo4j_give_identical_answers(request: pytest.FixtureRequest) -> None:
    mem, neo = open_world("memory", request), open_world("neo4j", request)
    try:
        a, b = _everything(mem), _everything(neo)
        for key in a:
            assert a[key] == b[key], key
    finally:
        neo.close()


def test_co_suspects_of_other_offences_are_no_ring_tie() -> None:
    from graph_model.queries._ring_data import _is_tip
    from graph_model.queries.rings import _contexts, _Data

    assert _is_tip("พ.ร.บ.ป้องกันและปราบปรามการค้ามนุษย์ พ.ศ.2551 ม.6") and _is_tip(["Human Trafficking Act s.6"])
    assert not _is_tip("ประมวลกฎหมายอาญา ม.334 ลักทรัพย์") and not _is_tip(None)
    cases = [{"case": "c1", "actors": ["a", "b"], "victims": []}, {"case": "c2", "actors": ["x", "y"], "victims": []}]
    d = _Data(cases, [], [], [], [], [], other_chains={"c2"})  # c2: a theft case
    assert {k for k, _, _ in _contexts(d, 30)} == {"case:c1"}
