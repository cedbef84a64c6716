"""A small graph for API and browser tests: a ring with a suspect, a victim, an official, accounts and cases.

Compartment fixtures built in:
- ``per:victim`` is asserted only by MSDHS (hidden from roles without victim clearance);
- ``per:suspect`` is asserted by RTP, DSI and MSDHS (the MSDHS source is stripped for those roles);
- accounts and transfers come from AMLO (hidden without finance clearance); ``acc:030-4444444444`` also has
  an MSDHS source, the one record of its holder's Thai name (withheld from roles without victim clearance);
- ``ROLE_IN`` victim of ``per:victim2`` (a DOPA person) is hidden without victim clearance;
- ``per:official`` carries a stored pseudonym (as the graph build writes), the others get computed ones.
"""

from __future__ import annotations

from graph_model.store.base import GraphStore, NodeRecord, Provenance, RelRecord
from graph_model.store.memory import MemoryStore

SUSPECT, VICTIM, VICTIM2, OFFICIAL, COLLECTOR = "per:suspect", "per:victim", "per:victim2", "per:official", "per:collector"
PHONE = "tel:+66812345678"
ACC1, ACC2, ACC3 = "acc:004-1111111111", "acc:014-2222222222", "acc:006-3333333333"
ACC4 = "acc:030-4444444444"
POLICE_CASE, DSI_CASE, AMLO_CASE = "case:rtp-1", "case:dsi-1", "case:amlo-1"
MAESOT = "loc:maesot"


def src(agency: str, record: str, seen: str = "2024-03-01") -> list[Provenance]:
    """One provenance."""
    return [Provenance(agency, record, seen)]


def build_world() -> MemoryStore:
    """The test graph in a new MemoryStore."""
    store = MemoryStore()
    fill_world(store)
    return store


def fill_world(store: GraphStore) -> None:
    """Write the test graph into an empty store (of either kind)."""
    store.upsert_nodes([
        NodeRecord("Person", SUSPECT, {"names": ["สมชาย ใจดี", "Somchai Jaidee"], "name_th": ["สมชาย ใจดี"],
                                       "thai_id": "1103700012345", "sex": "M", "nationality": "THA"},
                   src("RTP", "rtp-p1", "2024-02-01") + src("DSI", "dsi-s1", "2024-05-01")
                   + src("MSDHS", "msdhs-r1", "2024-01-15")),
        NodeRecord("Person", VICTIM, {"names": ["Aye Aye Win"], "nationality": "MMR", "sex": "F"},
                   src("MSDHS", "msdhs-v1", "2024-01-15")),
        NodeRecord("Person", VICTIM2, {"names": ["Ma Thida"], "nationality": "MMR"}, src("DOPA", "dopa-w1")),
        NodeRecord("Person", OFFICIAL, {"names": ["ประยุทธ์ ทองดี"], "is_official": True, "pseudonym": "P-0FF1C1A1"},
                   src("PACC", "pacc-o1") + src("DOPA", "dopa-o1")),
        NodeRecord("Person", COLLECTOR, {"names": ["วิชัย เงินมาก"]}, src("DOPA", "dopa-c1")),
        NodeRecord("Phone", PHONE, {"number": "+66812345678"}, src("RTP", "rtp-p1")),
        NodeRecord("Account", ACC1, {"bank_code": "004", "account_no": "1111111111"}, src("AMLO", "amlo-a1")),
        NodeRecord("Account", ACC2, {"bank_code": "014", "account_no": "2222222222"}, src("AMLO", "amlo-a2")),
        NodeRecord("Account", ACC3, {"bank_code": "006", "account_no": "3333333333"}, src("AMLO", "amlo-a3")),
        # The holder's Thai name on this account only MSDHS recorded (compensation was paid into it).
        NodeRecord("Account", ACC4, {"bank_code": "030", "account_no": "4444444444",
                                     "account_names": ["สมชาย ใจดี", "Somchai Jaidee"]},
                   src("AMLO", "amlo-a4") + src("MSDHS", "msdhs-k4")),
        NodeRecord("Case", POLICE_CASE, {"case_no": "สภ.แม่สอด 123/2567", "case_no_raw": ["สภ.แม่สอด 123/2567"],
                                          "agency": "RTP", "case_kind": "police",
                                          "opened_date": "2024-02-01", "status": "transferred"}, src("RTP", "rtp-c1")),
        NodeRecord("Case", DSI_CASE, {"case_no": "DSI 45/2567", "agency": "DSI", "case_kind": "dsi_special",
                                       "opened_date": "2024-05-01", "decision_date": "2024-09-01"},
                   src("DSI", "dsi-c1", "2024-05-01")),
        NodeRecord("Case", AMLO_CASE, {"case_no": "AMLO-STR-9", "agency": "AMLO", "case_kind": "amlo_report",
                                        "opened_date": "2024-06-01"}, src("AMLO", "amlo-r1")),
        NodeRecord("Location", MAESOT, {"loc_kind": "checkpoint", "name": "ด่านแม่สอด Mae Sot"}, src("RTP", "rtp-i1")),
    ])
    t = [("TRANSFER", ACC1, ACC2, "t1", 50000.0, "2024-03-01T10:00:00+07:00", 1709262000),
         ("TRANSFER", ACC2, ACC3, "t2", 48000.0, "2024-03-02T10:00:00+07:00", 1709348400),
         ("TRANSFER", ACC3, ACC4, "t3", 30000.0, "2024-03-03T10:00:00+07:00", 1709434800)]
    store.upsert_relationships([
        RelRecord("HAS_PHONE", SUSPECT, PHONE, {"context": "own"}, src("RTP", "rtp-p1")),
        RelRecord("HAS_PHONE", OFFICIAL, PHONE, {"context": "own"}, src("PACC", "pacc-o1")),
        RelRecord("ROLE_IN", SUSPECT, POLICE_CASE, {"role": "suspect"}, src("RTP", "rtp-p1")),
        RelRecord("ROLE_IN", SUSPECT, DSI_CASE, {"role": "suspect"}, src("DSI", "dsi-s1", "2024-05-01")),
        RelRecord("ROLE_IN", VICTIM, POLICE_CASE, {"role": "victim"}, src("MSDHS", "msdhs-v1")),
        RelRecord("ROLE_IN", VICTIM2, POLICE_CASE, {"role": "victim"}, src("RTP", "rtp-p2")),
        RelRecord("RECRUITED_BY", VICTIM, SUSPECT, {}, src("MSDHS", "msdhs-v1")),
        RelRecord("REFERS_TO", POLICE_CASE, DSI_CASE, {"relation": "transferred_to"}, src("DSI", "dsi-c1")),
        RelRecord("CROSSED_BORDER", SUSPECT, MAESOT, {"at": "2024-01-10T08:00:00+07:00", "ts": 1704848400,
                                                      "direction": "IN"}, src("RTP", "rtp-i1", "2024-01-10")),
        RelRecord("HOLDS_ACCOUNT", SUSPECT, ACC3, {"opened_date": "2023-12-01"}, src("AMLO", "amlo-a3")),
        RelRecord("HOLDS_ACCOUNT", COLLECTOR, ACC1, {}, src("AMLO", "amlo-a1")),
        RelRecord("CONCERNS", AMLO_CASE, ACC3, {}, src("AMLO", "amlo-r1")),
        RelRecord("ROLE_IN", SUSPECT, AMLO_CASE, {"role": "subject"}, src("AMLO", "amlo-r1")),
        RelRecord("FAMILY", OFFICIAL, COLLECTOR, {"relation": "spouse"}, src("DOPA", "dopa-o1")),
        *[RelRecord(k, a, b, {"txn_id": tx, "amount_thb": amt, "at": at, "ts": ts, "channel": "MOBILE"},
                    src("AMLO", f"amlo-{tx}"), discriminator=tx) for k, a, b, tx, amt, at, ts in t],
    ])
