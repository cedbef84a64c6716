"""The fixture world of the query tests, built from NodeRecords and RelRecords into any store.

Ring A (Myawaddy → Mae Sot → Samut Sakhon, sea fishing): recruiter, transporter (crosses with the victims),
collector (fan-in of four families' "debt" payments), two mules layering to the leader, a 2-cycle
leader ↔ broker company, structuring (three cash deposits just under 2,000,000 THB), a corrupt immigration
official whose spouse receives money from the collector, and the case lifecycle police → DSI → OAG → COJ →
RLPD. Ring B (Poipet → Aranyaprathet → Chonburi, begging): two suspects, two victims. Background: a clean
village headman, a police inquiry officer, unrelated families.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from graph_model.store.base import GraphStore, NodeRecord, Provenance, RelRecord

BKK = timezone(timedelta(hours=7))
RECRUITER, TRANSPORTER, COLLECTOR, LEADER = "per:recruiter", "per:transporter", "per:collector", "per:leader"
MULE1, MULE2, SISTER = "per:mule1", "per:mule2", "per:sister"
BROKER, VESSEL, IMMIGRATION = "org:broker", "org:vessel", "org:immigration"
OFFICIAL, WIFE, HEADMAN, OFFICER = "per:official", "per:wife", "per:headman", "per:officer"
VICTIMS_A = ["per:v1", "per:v2", "per:v3", "per:v4"]
FAMILIES = ["per:f1", "per:f2", "per:f3", "per:f4"]
B_SUSPECTS, VICTIMS_B = ["per:b_boss", "per:b_driver"], ["per:bv1", "per:bv2"]
POLICE1, DSI1, PROS1, COURT1, COMP1, COMP2 = "case:p1", "case:dsi1", "case:oag1", "case:coj1", "case:rlpd1", "case:rlpd2"
POLICE2, POLICE3, MSDHS_REF = "case:p2", "case:p3", "case:msdhs1"
SHARED_PHONE = "tel:+66811111111"
RING_A = {RECRUITER, TRANSPORTER, COLLECTOR, LEADER, MULE1, MULE2, BROKER, VESSEL, OFFICIAL, WIFE, SISTER}
CHECKPOINT_MAESOT, CHECKPOINT_ARANYA = "loc:cp-maesot", "loc:cp-aranya"


def acc(owner: str) -> str:
    """The account id of a fixture owner."""
    return "acc:004-" + owner.split(":", 1)[1]


def _src(agency: str, rec: str, seen: str = "2024-06-01") -> list[Provenance]:
    return [Provenance(agency, rec, seen)]


def build_world(store: GraphStore) -> None:
    """Write the fixture world into ``store``."""
    n: list[NodeRecord] = []
    r: list[RelRecord] = []

    def person(pid: str, names: list[str], agency: str = "DOPA", **props: Any) -> None:
        n.append(NodeRecord("Person", pid, {"names": names, **props}, _src(agency, f"{agency.lower()}-{pid}")))

    def rel(t: str, s: str, d: str, agency: str, disc: str = "", **props: Any) -> None:
        r.append(RelRecord(t, s, d, props, _src(agency, f"{agency.lower()}-{t}-{s}-{d}-{disc}"), disc))

    person(RECRUITER, ["สมศักดิ์ ชักชวน", "Somsak Chakchuan"], "RTP", nationality="THA", sex="M",
           thai_id="1100700123456", birth_year=1975, name_keys=["somsak chakchuan"])
    person(TRANSPORTER, ["Ko Aung Min"], "RTP", nationality="MMR", sex="M", birth_year=1985)
    person(COLLECTOR, ["นกน้อย ใจร้าย", "Noknoi Chairai"], "DSI", nationality="THA", sex="F", birth_year=1980,
           name_keys=["noknoi chairai"])
    person(LEADER, ["ประยูร มั่งมี", "Prayoon Mangmee"], "DSI", aliases=["เสี่ยหนุ่ย"], nationality="THA", sex="M",
           birth_year=1965, name_keys=["prayoon mangmee"])
    person(MULE1, ["Mule One"], "AMLO", nationality="THA")
    person(MULE2, ["Mule Two"], "AMLO", nationality="THA")
    person(SISTER, ["ประไพ มั่งมี"], "DOPA", nationality="THA", sex="F")
    person(OFFICIAL, ["วิชัย ตรวจคน", "Wichai Truatkhon"], "PACC", nationality="THA", sex="M", is_official=True)
    person(WIFE, ["มาลี ตรวจคน"], "DOPA", nationality="THA", sex="F")
    person(HEADMAN, ["บุญมี ผู้ใหญ่"], "DOPA", nationality="THA", sex="M", is_official=True)
    person(OFFICER, ["Pol. Capt. Chai"], "RTP", nationality="THA", sex="M")
    person("per:neighbour", ["สมหญิง ข้างบ้าน"], "DOPA", nationality="THA", sex="F")
    for i, v in enumerate(VICTIMS_A):
        person(v, [f"Victim A{i + 1}"], "MSDHS", nationality="MMR", sex="M" if i % 2 == 0 else "F",
               birth_year=2003 if i == 0 else 1995)
    for i, f in enumerate(FAMILIES):
        person(f, [f"Family {i + 1}"], "AMLO", nationality="MMR")
    person(B_SUSPECTS[0], ["Sok Dara"], "RTP", nationality="KHM", sex="M")
    person(B_SUSPECTS[1], ["Chan Vuthy"], "RTP", nationality="KHM", sex="M")
    for i, v in enumerate(VICTIMS_B):
        person(v, [f"Victim B{i + 1}"], "MSDHS", nationality="KHM", sex="F", birth_year=2012)
    n.append(NodeRecord("Person", "per:future", {"names": ["Bad Date"], "birth_date": "2999-01-01"},
                        _src("MSDHS", "msdhs-bad")))
    for oid, names, kind in [(BROKER, ["Golden Labour Co., Ltd."], "recruitment_agency"),
                             (VESSEL, ["Sea Star 9"], "fishing_vessel"),
                             (IMMIGRATION, ["ด่านตรวจคนเข้าเมืองแม่สอด"], "government_unit")]:
        n.append(NodeRecord("Organization", oid, {"names": names, "org_kind": kind}, _src("DSI", f"dsi-{oid}")))
    owners = [RECRUITER, COLLECTOR, LEADER, MULE1, MULE2, SISTER, WIFE, BROKER, *FAMILIES, *VICTIMS_A[:1]]
    for o in owners:
        n.append(NodeRecord("Account", acc(o), {"bank_code": "004", "account_no": o.split(":")[1]},
                            _src("AMLO", f"amlo-{o}")))
        rel("HOLDS_ACCOUNT", o, acc(o), "AMLO")
    locs = [("loc:myawaddy", {"loc_kind": "foreign_place", "country": "MMR", "name": "Myawaddy"}),
            (CHECKPOINT_MAESOT, {"loc_kind": "checkpoint", "country": "THA", "province": "ตาก", "name": "Mae Sot"}),
            ("loc:samutsakhon", {"loc_kind": "changwat", "country": "THA", "province": "สมุทรสาคร"}),
            ("loc:poipet", {"loc_kind": "foreign_place", "country": "KHM", "name": "Poipet"}),
            (CHECKPOINT_ARANYA, {"loc_kind": "checkpoint", "country": "THA", "province": "สระแก้ว",
                                 "name": "Aranyaprathet"}),
            ("loc:chonburi", {"loc_kind": "changwat", "country": "THA", "province": "ชลบุรี"}),
            ("loc:house1", {"loc_kind": "address", "country": "THA", "province": "ตาก", "address": ["12 หมู่ 3"]})]
    for lid, props in locs:
        n.append(NodeRecord("Location", lid, props, _src("DOPA", f"dopa-{lid}")))
    n.append(NodeRecord("Phone", SHARED_PHONE, {"number": "+66811111111", "raw": ["081-111-1111"]},
                        _src("RTP", "rtp-phone")))
    n.append(NodeRecord("Document", "doc:thai_id:1100700123456", {"doc_type": "thai_id", "number": "1100700123456",
                                                                  "valid": True}, _src("DOPA", "dopa-doc")))
    n.append(NodeRecord("Document", "doc:passport:MA123456", {"doc_type": "passport", "number": "MA123456",
                                                              "country": "MMR"}, _src("RTP", "rtp-doc")))
    n.append(NodeRecord("Document", "doc:thai_id:1234567890123", {"doc_type": "thai_id", "number": "1234567890123",
                                                                  "valid": False}, _src("MSDHS", "msdhs-doc")))
    n.append(NodeRecord("Vehicle", "veh:1กข1234", {"plate": "1กข1234"}, _src("RTP", "rtp-veh")))
    cases = [
        (POLICE1, "RTP", "police", "RTP:สภ.แม่สอด:123/2562", "2019-03-01", {}),
        (DSI1, "DSI", "dsi_special", "DSI:45/2562", "2019-05-10", {}),
        (PROS1, "OAG", "prosecution", "OAG:คม.12/2562", "2019-09-01", {"decision": "สั่งฟ้อง",
                                                                       "decision_date": "2019-10-01"}),
        (COURT1, "COJ", "court_red", "COJ:คม.99/2563", "2019-12-01", {"decision": "ลงโทษ",
                                                                      "decision_date": "2020-06-30"}),
        (COMP1, "RLPD", "compensation_claim", "RLPD:7/2563", "2020-08-01", {"amount_paid_thb": 50000.0}),
        (COMP2, "RLPD", "compensation_claim", "RLPD:8/2563", "2020-08-15", {"amount_paid_thb": 30000.0}),
        (POLICE2, "RTP", "police", "RTP:สภ.แม่สอด:200/2563", "2020-02-01", {}),
        (POLICE3, "RTP", "police", "RTP:สภ.อรัญประเทศ:5/2564", "2021-04-01", {}),
    ]
    for cid, agency, kind, no, opened, extra in cases:
        n.append(NodeRecord("Case", cid, {"case_no": no, "case_no_raw": [no.split(":", 1)[1].replace(":", " ")], "agency": agency,
                                          "case_kind": kind, "opened_date": opened, **extra},
                            _src(agency, f"{agency.lower()}-{cid}")))
    # MSDHS cites a police case that RTP never exported: a cross-reference gap.
    n.append(NodeRecord("Case", MSDHS_REF, {"case_no": "RTP:สภ.เมือง:1/2564", "agency": "RTP", "case_kind": "police"},
                        _src("MSDHS", "msdhs-cite")))
    for s, d, relation, agency in [(POLICE1, DSI1, "transferred_to", "DSI"), (PROS1, DSI1, "prosecution_of", "OAG"),
                                   (PROS1, COURT1, "filed_as", "COJ"), (COMP1, COURT1, "compensation_for", "RLPD")]:
        rel("REFERS_TO", s, d, agency, relation=relation)
    for p, c, role, ag in [(RECRUITER, POLICE1, "suspect", "RTP"), (TRANSPORTER, POLICE1, "suspect", "RTP"),
                           (OFFICER, POLICE1, "officer", "RTP"), (COLLECTOR, DSI1, "suspect", "DSI"),
                           (LEADER, DSI1, "suspect", "DSI"), (BROKER, DSI1, "organisation", "DSI"),
                           (LEADER, PROS1, "defendant", "OAG"), (COLLECTOR, PROS1, "defendant", "OAG"),
                           (LEADER, COURT1, "defendant", "COJ"), (VICTIMS_A[0], COMP1, "claimant", "RLPD"),
                           (TRANSPORTER, POLICE2, "suspect", "RTP"), (B_SUSPECTS[0], POLICE3, "suspect", "RTP"),
                           (B_SUSPECTS[1], POLICE3, "suspect", "RTP"), (VICTIMS_A[1], MSDHS_REF, "victim", "MSDHS"),
                           *[(v, POLICE1, "victim", "RTP") for v in VICTIMS_A],
                           *[(v, POLICE3, "victim", "RTP") for v in VICTIMS_B]]:
        rel("ROLE_IN", p, c, ag, role=role)
    rel("PAID_TO", COMP1, acc(VICTIMS_A[0]), "RLPD", amount_thb=50000.0, date="2020-09-01")
    rel("PAID_TO", COMP2, acc(COLLECTOR), "RLPD", amount_thb=30000.0, date="2020-09-15")
    rel("SEIZED", DSI1, acc(LEADER), "DSI", value_thb=5_000_000.0, asset_kind="bank_account")
    for v in VICTIMS_A:
        rel("RECRUITED_BY", v, RECRUITER, "MSDHS")
        rel("EMPLOYED_BY", v, VESSEL, "DOPA", since="2019-01-20")
        rel("HAS_ADDRESS", v, "loc:myawaddy", "MSDHS", context="home")
        rel("FOUND_AT", v, "loc:samutsakhon", "MSDHS", date="2019-02-20", exploitation="ประมงทะเล")
    for i, v in enumerate([*VICTIMS_A, TRANSPORTER]):
        day = 5 if i < 2 or v == TRANSPORTER else 12
        crossings = [day] if v != TRANSPORTER else [5, 12]
        for d in crossings:
            at = datetime(2019, 1, d, 9, 0, tzinfo=BKK)
            rel("CROSSED_BORDER", v, CHECKPOINT_MAESOT, "RTP", disc=str(d), at=at.isoformat(),
                ts=int(at.timestamp()), direction="IN", vehicle_plate="1กข1234")
    rel("USED_VEHICLE", TRANSPORTER, "veh:1กข1234", "RTP")
    for v in VICTIMS_B:
        rel("RECRUITED_BY", v, B_SUSPECTS[0], "MSDHS")
        rel("HAS_ADDRESS", v, "loc:poipet", "MSDHS", context="home")
        rel("FOUND_AT", v, "loc:chonburi", "MSDHS", date="2021-03-01", exploitation="ขอทาน")
        at = datetime(2021, 2, 1, 8, 0, tzinfo=BKK)
        rel("CROSSED_BORDER", v, CHECKPOINT_ARANYA, "RTP", at=at.isoformat(), ts=int(at.timestamp()), direction="IN")
    at = datetime(2021, 2, 1, 8, 0, tzinfo=BKK)
    rel("CROSSED_BORDER", B_SUSPECTS[1], CHECKPOINT_ARANYA, "RTP", at=at.isoformat(), ts=int(at.timestamp()),
        direction="IN")
    rel("HAS_PHONE", RECRUITER, SHARED_PHONE, "RTP", context="own")
    rel("HAS_PHONE", COLLECTOR, SHARED_PHONE, "DSI", context="own")
    rel("HAS_PHONE", VICTIMS_A[2], SHARED_PHONE, "MSDHS", context="employer")
    rel("HAS_ADDRESS", MULE1, "loc:house1", "DOPA", context="home")
    rel("HAS_ADDRESS", MULE2, "loc:house1", "DOPA", context="home")
    rel("HAS_DOCUMENT", RECRUITER, "doc:thai_id:1100700123456", "DOPA")
    rel("HAS_DOCUMENT", TRANSPORTER, "doc:passport:MA123456", "RTP")
    rel("HAS_DOCUMENT", "per:future", "doc:thai_id:1234567890123", "MSDHS")
    rel("DIRECTOR_OF", LEADER, BROKER, "DSI")
    rel("HOLDS_POSITION", OFFICIAL, IMMIGRATION, "PACC", position="immigration officer", since="2015-01-01")
    rel("HOLDS_POSITION", HEADMAN, IMMIGRATION, "DOPA", position="ผู้ใหญ่บ้าน")
    rel("FAMILY", OFFICIAL, WIFE, "DOPA", relation="spouse")
    rel("FAMILY", LEADER, SISTER, "DOPA", relation="sibling")
    rel("FAMILY", HEADMAN, "per:neighbour", "DOPA", relation="spouse")
    t0 = datetime(2019, 4, 1, 10, 0, tzinfo=BKK)
    txns = [(f"TXF{i + 1}", f, COLLECTOR, 30000.0 + 1000 * i, i, "MOBILE") for i, f in enumerate(FAMILIES)]
    txns += [("TXL1", COLLECTOR, MULE1, 120000.0, 5, "MOBILE"), ("TXL2", MULE1, MULE2, 118000.0, 6, "MOBILE"),
             ("TXL3", MULE2, LEADER, 116000.0, 7, "MOBILE"), ("TXC1", LEADER, BROKER, 500000.0, 10, "MOBILE"),
             ("TXC2", BROKER, LEADER, 490000.0, 12, "MOBILE"), ("TXO1", COLLECTOR, WIFE, 200000.0, 8, "MOBILE"),
             ("TXS1", SISTER, LEADER, 1_950_000.0, 20, "ATM_CASH_DEPOSIT"),
             ("TXS2", SISTER, LEADER, 1_980_000.0, 22, "ATM_CASH_DEPOSIT"),
             ("TXS3", SISTER, LEADER, 1_900_000.0, 25, "COUNTER")]
    for tid, s, d, amount, day, channel in txns:
        at = t0 + timedelta(days=day)
        rel("TRANSFER", acc(s), acc(d), "AMLO", disc=tid, txn_id=tid, amount_thb=amount, at=at.isoformat(),
            ts=int(at.timestamp()), channel=channel)
    store.upsert_nodes(n)
    store.upsert_relationships(r)


def open_world(kind: str, request: Any, build: Callable[[GraphStore], None] | None = None) -> GraphStore:
    """A store of ``kind`` (``memory`` or ``neo4j``) holding the fixture world (or what ``build`` writes);
    Neo4j is wiped first and its full-text indexes caught up after."""
    fill = build or build_world
    if kind == "memory":
        from graph_model.store.memory import MemoryStore

        mem = MemoryStore()
        fill(mem)
        return mem
    from graph_model.store.neo4j import Neo4jStore

    uri, user, password, database = request.getfixturevalue("neo4j_connection")
    neo = Neo4jStore(uri, user, password or None, database)
    neo.ensure_schema()
    neo.write("MATCH (n) DETACH DELETE n")
    fill(neo)
    neo.refresh_search()  # the full-text indexes are eventually consistent: name searches must see the world
    return neo


BACKENDS = ["memory", pytest.param("neo4j", marks=pytest.mark.neo4j)]


@pytest.fixture(scope="module", params=BACKENDS)
def world(request: pytest.FixtureRequest) -> Iterator[GraphStore]:
    """The fixture world in each store in turn (module scope: built once per test module and store)."""
    store = open_world(request.param, request)
    yield store
    store.close()
