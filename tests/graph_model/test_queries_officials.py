"""Evidence against officials beyond the link network: PACC complaints citing a case with suspects (weighed
by status) and PromptPay ids that are a suspect's phone; the same answers on both stores."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from queries_world import open_world

from graph_model.queries._official_evidence import promptpay_key
from graph_model.queries.corruption import official_links
from graph_model.store.base import GraphStore, NodeRecord, Provenance, RelRecord

FOUND, INQUIRY, DISMISSED, PROMPTPAY, CLEAN = "per:o_found", "per:o_inquiry", "per:o_dismissed", "per:o_pp", "per:o_clean"
SUSPECT, PHONE_SUSPECT, SPOUSE = "per:suspect", "per:suspect2", "per:spouse"


def _build(store: GraphStore) -> None:
    def src(agency: str, rec: str) -> list[Provenance]:
        return [Provenance(agency, rec, "2024-06-01")]

    nodes = [NodeRecord("Person", p, {"names": [p[4:]], "is_official": True}, src("PACC", p))
             for p in (FOUND, INQUIRY, DISMISSED, PROMPTPAY, CLEAN)]
    nodes += [NodeRecord("Person", p, {"names": [p[4:]]}, src("DOPA", p)) for p in (SUSPECT, PHONE_SUSPECT, SPOUSE)]
    nodes += [NodeRecord("Case", "case:police1", {"case_no": "1/2566", "case_kind": "police"}, src("RTP", "c1")),
              NodeRecord("Case", "case:dsi1", {"case_no": "DSI 1/2566", "case_kind": "dsi_special"}, src("DSI", "d1")),
              NodeRecord("Case", "case:police2", {"case_no": "2/2566", "case_kind": "police"}, src("RTP", "c2")),
              NodeRecord("Phone", "tel:+66812345678", {"number": "+66812345678"}, src("RTP", "c2")),
              NodeRecord("Account", "acc:004-1", {"bank_code": "004", "account_no": "1", "promptpay_ids": ["081-234-5678"]}, src("AMLO", "a1")),
              NodeRecord("Account", "acc:004-2", {"bank_code": "004", "account_no": "2", "promptpay_ids": ["0899999999"]}, src("AMLO", "a2"))]
    for i, (_o, status, cited) in enumerate([(FOUND, "ชี้มูล", "case:police1"), (INQUIRY, "ไต่สวน", "case:police2"),
                                            (DISMISSED, "ยุติ", "case:police1"), (CLEAN, "ชี้มูล", "case:none")]):
        nodes.append(NodeRecord("Case", f"case:pacc{i}", {"case_no": f"PACC {i}/2567", "case_kind": "pacc_complaint",
                                                             "status": status},
                                src("PACC", f"k{i}")))
        if cited == "case:none":
            nodes.append(NodeRecord("Case", cited, {"case_no": "9/2566", "case_kind": "police"}, src("RTP", "c0")))
    rels = [RelRecord("ROLE_IN", SUSPECT, "case:dsi1", {"role": "suspect"}, src("DSI", "d1")),
            RelRecord("ROLE_IN", PHONE_SUSPECT, "case:police2", {"role": "accomplice"}, src("RTP", "c2")),
            RelRecord("REFERS_TO", "case:police1", "case:dsi1", {"relation": "transferred_to"}, src("DSI", "d1")),
            RelRecord("HAS_PHONE", PHONE_SUSPECT, "tel:+66812345678", {}, src("RTP", "c2")),
            RelRecord("FAMILY", PROMPTPAY, SPOUSE, {"relation": "spouse"}, src("DOPA", "f1")),
            RelRecord("HOLDS_ACCOUNT", SPOUSE, "acc:004-1", {}, src("AMLO", "a1")),
            RelRecord("HOLDS_ACCOUNT", CLEAN, "acc:004-2", {}, src("AMLO", "a2"))]
    for i, (o, cited) in enumerate([(FOUND, "case:police1"), (INQUIRY, "case:police2"),
                                    (DISMISSED, "case:police1"), (CLEAN, "case:none")]):
        rels += [RelRecord("ROLE_IN", o, f"case:pacc{i}", {"role": "official"}, src("PACC", f"k{i}")),
                 RelRecord("REFERS_TO", f"case:pacc{i}", cited, {"relation": "complaint_about"}, src("PACC", f"k{i}"))]
    store.upsert_nodes(nodes)
    store.upsert_relationships(rels)


def _open(kind: str, request: Any) -> GraphStore:
    return open_world(kind, request, _build)


@pytest.fixture(scope="module", params=["memory", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def officials_world(request: pytest.FixtureRequest) -> Iterator[GraphStore]:
    """The officials' fixture in each store in turn."""
    store = _open(request.param, request)
    yield store
    store.close()


@pytest.mark.parametrize(("value", "key"), [("081-234-5678", "tel:+66812345678"), ("66812345678", "tel:+66812345678"),
                                            ("3100700123456", "doc:thai_id:3100700123456"), ("12345", None)])
def test_promptpay_key(value: str, key: str | None) -> None:
    assert promptpay_key(value) == key


def test_complaints_and_promptpay_rank_officials(officials_world: GraphStore) -> None:
    hits = {h.entity_id: h for h in official_links(officials_world)}
    # a finding outweighs an open inquiry; a dismissed complaint and one citing a case without suspects are no evidence
    assert list(hits) == [FOUND, INQUIRY, PROMPTPAY]
    assert hits[FOUND].score == 2.0 and hits[FOUND].path == [FOUND, "case:pacc0", "case:police1", "case:dsi1", SUSPECT]
    assert hits[FOUND].links == ["complaint"] and hits[FOUND].suspects == [SUSPECT]
    assert hits[INQUIRY].score == 1.0 and hits[INQUIRY].path[-1] == PHONE_SUSPECT
    pp = hits[PROMPTPAY]
    assert pp.path == [PROMPTPAY, SPOUSE, "acc:004-1", "tel:+66812345678", PHONE_SUSPECT]
    assert pp.evidence == [{"kind": "promptpay", "weight": 1.0, "path": pp.path}] and pp.links == ["promptpay"]
    assert [s["type"] for s in pp.steps] == ["FAMILY", "HOLDS_ACCOUNT", None, "HAS_PHONE"]


@pytest.mark.neo4j
def test_officials_evidence_same_on_both_stores(request: pytest.FixtureRequest) -> None:
    mem, neo = _open("memory", request), _open("neo4j", request)
    try:
        a = [h.to_dict() for h in official_links(mem)]
        b = [h.to_dict() for h in official_links(neo)]
        assert a == b and len(a) == 3
    finally:
        mem.close()
        neo.close()


def test_money_relayed_through_other_accounts_weighs_less() -> None:
    from graph_model.queries.corruption import _path_weight

    accounts = {"acc:o", "acc:x", "acc:s"}
    assert _path_weight(["per:o", "acc:o", "acc:s", "per:s"], accounts) == pytest.approx(1 / 3)  # paid directly
    assert _path_weight(["per:o", "acc:o", "acc:x", "acc:s", "per:s"], accounts) == pytest.approx(0.25 * 0.25)
    assert _path_weight(["per:o", "per:s"], accounts) == 1.0


def test_officials_with_evidence_join_the_ring_of_the_suspect_they_reach(officials_world: GraphStore) -> None:
    from graph_model.queries.export import _add_officials

    rings = [{"ring_id": "ring-001", "members": [{"entity_id": SUSPECT, "role": "leader"}]},
             {"ring_id": "ring-002", "members": [{"entity_id": PHONE_SUSPECT, "role": "money_collector"}]}]
    _add_officials(rings, official_links(officials_world), min_score=1.0)
    assert rings[0]["members"][1:] == [{"entity_id": FOUND, "role": "official"}]
    # the open inquiry (1.0) and the PromptPay tie (1.0) both reach the collector
    assert rings[1]["members"][1:] == [{"entity_id": INQUIRY, "role": "official"},
                                       {"entity_id": PROMPTPAY, "role": "official"}]
