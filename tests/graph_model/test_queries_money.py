"""Money trails and laundering patterns: the same answers on both stores."""

from __future__ import annotations

from queries_world import COLLECTOR, FAMILIES, LEADER, MULE1, MULE2, SISTER, WIFE, acc, world

from graph_model.queries.money import accounts_of, layering, trail
from graph_model.queries.money_patterns import (
    compensation_to_suspect,
    cycles,
    fan_in,
    fan_out,
    pass_through,
    structuring,
)

__all__ = ["world"]


def test_accounts_of_person_and_account(world) -> None:
    assert accounts_of(world, COLLECTOR) == [acc(COLLECTOR)]
    assert accounts_of(world, acc(LEADER)) == [acc(LEADER)]
    assert accounts_of(world, "per:nobody") == []


def test_forward_trail_is_time_ordered_with_totals(world) -> None:
    paths = trail(world, FAMILIES[0], max_hops=5)
    longest = paths[0]
    assert longest.txn_ids == ["TXF1", "TXL1", "TXL2", "TXL3", "TXC1"]
    assert longest.accounts == [acc(FAMILIES[0]), acc(COLLECTOR), acc(MULE1), acc(MULE2), acc(LEADER), acc("org:broker")]
    assert longest.total_thb == 30000 + 120000 + 118000 + 116000 + 500000
    assert all(a <= b for a, b in zip(longest.ats, longest.ats[1:], strict=False))
    # The payment to the official's wife (day 8) is a separate maximal chain.
    assert ["TXF1", "TXO1"] in [p.txn_ids for p in paths]


def test_trail_hop_limit_and_amount_tolerance(world) -> None:
    assert max(len(p.txn_ids) for p in trail(world, FAMILIES[0], max_hops=2)) == 2
    tight = trail(world, COLLECTOR, amount_tolerance=0.05)
    assert ["TXL1", "TXL2", "TXL3"] in [p.txn_ids for p in tight]
    assert all(len(p.txn_ids) <= 3 for p in tight)  # 116,000 → 500,000 breaks the tolerance


def test_backward_trail_goes_back_in_time(world) -> None:
    paths = trail(world, LEADER, direction="backward", max_hops=4)
    chains = [p.txn_ids for p in paths]
    assert ["TXL3", "TXL2", "TXL1", "TXF4"] in chains
    # Back from the broker's TXC2 the only earlier transfer is TXC1 from the leader: no account twice.
    assert ["TXC2"] in chains and ["TXC2", "TXC1"] not in chains
    untimed = [p.txn_ids for p in trail(world, LEADER, direction="backward", max_hops=4, time_ordered=False)]
    assert len(untimed) >= len(chains)


def test_fan_in_and_fan_out(world) -> None:
    fans = fan_in(world, min_counterparties=4)
    collector = next(p for p in fans if p.accounts[0] == acc(COLLECTOR))
    assert collector.txn_ids == ["TXF1", "TXF2", "TXF3", "TXF4"] and collector.total_thb == 126000.0
    assert fan_in(world, min_counterparties=4, window_days=1) == []
    assert [p.accounts for p in fan_out(world, min_counterparties=2)] == [[acc(COLLECTOR), acc(MULE1), acc(WIFE)]]
    assert fan_out(world, min_counterparties=3) == []


def test_cycles_are_time_ordered_round_trips(world) -> None:
    found = cycles(world)
    assert [(c.accounts, c.txn_ids) for c in found] == [([acc(LEADER), acc("org:broker")], ["TXC1", "TXC2"])]
    assert cycles(world, window_days=1) == []


def test_pass_through_and_layering(world) -> None:
    mules = {p.accounts[0] for p in pass_through(world)}
    # The broker passes the leader's 500,000 back within two days: a pass-through too.
    assert mules == {acc(MULE1), acc(MULE2), acc("org:broker")}
    chains = layering(world, mules)
    assert [c.txn_ids for c in chains] == [["TXL1", "TXL2", "TXL3"]]
    assert chains[0].accounts[0] == acc(COLLECTOR) and chains[0].accounts[-1] == acc(LEADER)


def test_structuring_just_under_threshold(world) -> None:
    found = structuring(world)
    assert [(p.accounts, p.txn_ids) for p in found] == [([acc(LEADER)], ["TXS1", "TXS2", "TXS3"])]
    assert structuring(world, channels=("ATM_CASH_DEPOSIT",))[0].txn_ids == ["TXS1", "TXS2"]
    assert structuring(world, margin=0.01) == []
    assert acc(SISTER) not in {a for p in found for a in p.accounts}


def test_compensation_into_a_suspects_account(world) -> None:
    found = compensation_to_suspect(world)
    assert [p.accounts for p in found] == [[acc(COLLECTOR)]]
    assert found[0].detail["holders"] == [COLLECTOR] and found[0].total_thb == 30000.0
