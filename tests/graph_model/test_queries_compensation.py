"""Compensation diverted to the ring: paid into a suspect's account, or into a collecting account that no
claimant (nor a relative) holds; the bank transfer that carried it is reported. Both stores alike."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from queries_world import open_world

from graph_model.queries.money_patterns import compensation_to_suspect
from graph_model.store.base import GraphStore, NodeRecord, Provenance, RelRecord

VICTIM, MOTHER, COLLECTOR, OTHER_VICTIM = "per:victim", "per:mother", "per:collector", "per:victim2"
TWIN = "per:victim_twin"  # the third victim's AMLO record, left apart from her RLPD record by entity resolution
PAYERS = ["per:f1", "per:f2", "per:f3"]


def _build(store: GraphStore) -> None:
    def src(agency: str, rec: str) -> list[Provenance]:
        return [Provenance(agency, rec, "2024-06-01")]

    def acc(owner: str) -> str:
        return "acc:004-" + owner.split(":", 1)[1]

    people = [VICTIM, MOTHER, COLLECTOR, OTHER_VICTIM, TWIN, *PAYERS, "per:rlpd"]
    keys = {OTHER_VICTIM: ["dara meas"], TWIN: ["dara miat", "dara meas"]}
    nodes = [NodeRecord("Person", p, {"names": [p[4:]], **({"name_keys": keys[p]} if p in keys else {})},
                        src("DOPA", p)) for p in people]
    nodes += [NodeRecord("Account", acc(p), {"bank_code": "004", "account_no": p[4:]}, src("AMLO", p)) for p in people]
    nodes += [NodeRecord("Case", f"case:claim{i}", {"case_no": f"RLPD {i}/2567", "case_kind": "compensation_claim"},
                         src("RLPD", f"c{i}")) for i in range(4)]
    rels = [RelRecord("HOLDS_ACCOUNT", p, acc(p), {}, src("AMLO", p)) for p in people]
    rels += [RelRecord("FAMILY", MOTHER, VICTIM, {"relation": "mother"}, src("DOPA", "f"))]
    for i, (claimant, paid_into) in enumerate([(VICTIM, COLLECTOR), (VICTIM, MOTHER), (OTHER_VICTIM, OTHER_VICTIM),
                                                (OTHER_VICTIM, TWIN)]):
        rels += [RelRecord("ROLE_IN", claimant, f"case:claim{i}", {"role": "claimant"}, src("RLPD", f"c{i}")),
                 RelRecord("PAID_TO", f"case:claim{i}", acc(paid_into), {"amount_thb": 50000.0 + i, "date": "2024-03-0" + str(i + 1)},
                           src("RLPD", f"c{i}")),
                 RelRecord("TRANSFER", acc("per:rlpd"), acc(paid_into),
                           {"txn_id": f"TC{i}", "amount_thb": 50000.0 + i, "at": f"2024-03-0{i + 1}T10:00:00+07:00",
                            "ts": 1709262000 + i * 86400, "channel": "COUNTER"}, src("AMLO", f"tc{i}"), f"TC{i}")]
    for j, p in enumerate(PAYERS):  # families paying "debts" into the collector's account; wages to the twin
        for to in (COLLECTOR, TWIN):
            rels.append(RelRecord("TRANSFER", acc(p), acc(to), {"txn_id": f"TD{j}{to}", "amount_thb": 9000.0,
                                  "at": f"2024-02-0{j + 1}T10:00:00+07:00", "ts": 1706756400 + j * 86400,
                                  "channel": "MOBILE"}, src("AMLO", f"td{j}{to}"), f"TD{j}{to}"))
    store.upsert_nodes(nodes)
    store.upsert_relationships(rels)


def _open(kind: str, request: Any) -> GraphStore:
    return open_world(kind, request, _build)


@pytest.fixture(scope="module", params=["memory", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def claims_world(request: pytest.FixtureRequest) -> Iterator[GraphStore]:
    """The claims fixture in each store in turn."""
    store = _open(request.param, request)
    yield store
    store.close()


def test_compensation_into_a_collecting_account_no_claimant_holds(claims_world: GraphStore) -> None:
    found = compensation_to_suspect(claims_world)
    # the mother's account (a relative), the victim's own account and an account held under the claimant's
    # name key (her record entity resolution left apart) are not diversions
    assert [(p.accounts, p.txn_ids) for p in found] == [(["acc:004-collector"], ["TC0"])]
    assert found[0].detail["account_holders"] == [COLLECTOR] and found[0].detail["holders"] == []
    assert found[0].detail["claim"] == "case:claim0" and found[0].total_thb == 50000.0
    assert compensation_to_suspect(claims_world, min_senders=5) == []  # three payers do not make a collector then
