"""Neo4jStore's upsert calls split over concurrent transactions (``writers``): the same store as one
transaction gives, and a bad row in a later part still leaves the store as before."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from graph_model.model import SchemaError
from graph_model.store.base import NodeRecord, Provenance, RelRecord
from graph_model.store.neo4j import Neo4jStore

pytestmark = pytest.mark.neo4j

RTP = Provenance("RTP", "rtp-1", "2026-01-02")
DSI = Provenance("DSI", "dsi-9", "2025-05-05")


class CountingStore(Neo4jStore):
    """A real Neo4jStore that counts the sessions its writes open (one per concurrent transaction)."""

    sessions = 0

    def _session(self) -> Any:
        self.sessions += 1
        return super()._session()


def world(n: int = 60) -> tuple[list[NodeRecord], list[RelRecord]]:
    """Persons, phones and accounts; relationships that share end nodes across the whole batch (every
    phone and account is an end of several relationships, in both halves of the batch)."""
    persons = [
        NodeRecord("Person", f"per:{i}", {"names": [f"สมชาย {i}"], "birth_year": 1980 + i % 20}, [RTP])
        for i in range(n)
    ]
    phones = [NodeRecord("Phone", f"tel:{i}", {"number": f"+6681{i:07d}"}, [DSI]) for i in range(n // 6)]
    accounts = [
        NodeRecord("Account", f"acc:{i}", {"bank_code": "014", "account_no": f"{i:010d}"}, [RTP])
        for i in range(n // 6)
    ]
    rels: list[RelRecord] = []
    for i in range(n):
        rels.append(RelRecord("HAS_PHONE", f"per:{i}", f"tel:{i % len(phones)}", {}, [RTP]))
        rels.append(RelRecord("HOLDS_ACCOUNT", f"per:{i}", f"acc:{(i * 7) % len(accounts)}", {}, [DSI]))
        props = {
            "txn_id": f"t{i}",
            "amount_thb": 100.0 + i,
            "at": "2026-01-10T09:00:00+07:00",
            "ts": i,
            "channel": "MOBILE",
        }
        rels.append(
            RelRecord(
                "TRANSFER",
                f"acc:{i % len(accounts)}",
                f"acc:{(i * 5 + 1) % len(accounts)}",
                props,
                [RTP],
                discriminator=f"t{i}",
            )
        )
    return [*persons, *phones, *accounts], rels


@pytest.fixture
def stores(neo4j_connection: tuple[str, str, str, str]) -> Iterator[tuple[CountingStore, Neo4jStore]]:
    """A store writing each call of at least 20 elements in two transactions, and a one-transaction
    store, on the same (wiped) database."""
    uri, user, password, database = neo4j_connection
    parallel = CountingStore(uri, user, password, database, writers=2, min_part=10)
    single = Neo4jStore(uri, user, password, database, writers=1)
    parallel.ensure_schema()
    parallel.clear()
    yield parallel, single
    parallel.clear()
    parallel.close()
    single.close()


def snapshot(store: Neo4jStore, ids: list[str]) -> dict[str, Any]:
    return {"counts": store.counts(), "graph": store.subgraph(ids).to_dict()}


def test_parallel_parts_give_the_one_transaction_result(stores: tuple[CountingStore, Neo4jStore]) -> None:
    parallel, single = stores
    nodes, rels = world()
    ids = sorted({n.id for n in nodes})
    # creates, then a second round that merges into what exists (new names, a second source)
    again = [
        NodeRecord(n.type, n.id, {"names": ["ซ้ำ"]} if n.type == "Person" else n.props, [DSI]) for n in nodes
    ]
    again_rels = [
        RelRecord(r.type, r.source, r.target, r.props, [DSI], discriminator=r.discriminator) for r in rels
    ]
    opened = 0
    for store in (single, parallel):
        store.clear()
        opened = parallel.sessions
        store.upsert_nodes(nodes)
        store.upsert_relationships(rels)
        store.upsert_nodes(again)
        store.upsert_relationships(again_rels)
        if store is single:
            expected = snapshot(single, ids)
    # four calls, two transactions each; each merge round first wrote blind (the round before found none of
    # its ids), met the id constraint, rolled back and was written again after reading
    assert parallel.sessions - opened == 12
    assert snapshot(parallel, ids) == expected
    assert expected["counts"]["TRANSFER"] == 60 and expected["counts"]["HAS_PHONE"] == 60


@pytest.mark.parametrize(
    ("bad", "named"),
    [
        (RelRecord("HAS_PHONE", "per:1", "tel:missing", {}, [RTP]), "tel:missing"),
        (RelRecord("HAS_PHONE", "per:1", "per:2", {}, [RTP]), "target"),
    ],
)
def test_bad_relationship_in_the_second_part_writes_nothing(
    stores: tuple[CountingStore, Neo4jStore], bad: RelRecord, named: str
) -> None:
    parallel, _ = stores
    nodes, rels = world()
    parallel.upsert_nodes(nodes)
    parallel.upsert_relationships(rels[:30])
    ids = sorted({n.id for n in nodes})
    before = snapshot(parallel, ids)
    opened = parallel.sessions
    with pytest.raises(SchemaError, match=named):
        parallel.upsert_relationships([*rels[30:], bad])  # the bad row is the last: in the second part
    assert parallel.sessions - opened == 2
    assert snapshot(parallel, ids) == before


def test_node_of_another_type_in_the_second_part_writes_nothing(
    stores: tuple[CountingStore, Neo4jStore],
) -> None:
    parallel, _ = stores
    nodes, _ = world()
    parallel.upsert_nodes(nodes[:40])
    ids = sorted({n.id for n in nodes})
    before = snapshot(parallel, ids)
    clash = NodeRecord("Phone", "per:5", {"number": "+66800000000"}, [RTP])  # per:5 is a Person
    with pytest.raises(SchemaError, match=r"per:5.*Person"):
        parallel.upsert_nodes([*nodes[40:], *nodes[:5], clash])
    assert snapshot(parallel, ids) == before


def test_a_commit_failing_after_another_part_committed_is_reported(
    stores: tuple[CountingStore, Neo4jStore],
) -> None:
    """A part terminated between its writes and its commit (as a dying server would leave it), while
    the other part commits: not retryable, so the group says that part of the write is in the store."""
    from concurrent.futures import ThreadPoolExecutor

    from graph_model.store._neo4j_write import TransactionGroup
    from graph_model.store.base import PartialCommitError  # public: build.py names it to the user

    parallel, _ = stores
    driver = parallel.driver
    redone: list[int] = []

    def create(tx: Any, ids: list[int]) -> None:
        tx.run("UNWIND $ids AS i CREATE (:ParallelWriteProbe {k: i})", ids=ids).consume()

    with ThreadPoolExecutor(1) as pool, TransactionGroup(parallel._session, pool, 2) as group:
        group.map(create, [[1, 2], [3, 4]])
        open_txs = driver.execute_query(
            "SHOW TRANSACTIONS YIELD transactionId, currentQuery WHERE NOT currentQuery STARTS WITH 'SHOW' "
            "RETURN transactionId ORDER BY transactionId"
        ).records
        assert len(open_txs) == 2
        driver.execute_query("TERMINATE TRANSACTIONS $ids", ids=[open_txs[-1]["transactionId"]])
        with pytest.raises(PartialCommitError, match="1 of 2 transactions"):
            group.commit(redone.append)
    assert redone == []
    written = driver.execute_query("MATCH (n:ParallelWriteProbe) RETURN n.k AS k ORDER BY k").records
    driver.execute_query("MATCH (n:ParallelWriteProbe) DELETE n")
    assert [r["k"] for r in written] in ([1, 2], [3, 4])


def _in_batches(items: list[Any], size: int) -> list[list[Any]]:
    return [items[k:k + size] for k in range(0, len(items), size)]


@pytest.mark.parametrize("gate_seconds", [120.0, 0.0])
def test_overlapping_batches_give_the_one_call_per_batch_result(
    stores: tuple[CountingStore, Neo4jStore], monkeypatch: pytest.MonkeyPatch, gate_seconds: float
) -> None:
    """Batches of 30 in two parts each, two batches at a time (one committing while the next is written),
    repeats of ids in consecutive batches among them; with a gate of 0 s every batch that meets an
    unsettled one rolls back at its gate and is written again after it: the same store either way."""
    from graph_model.store import neo4j as neo4j_store

    monkeypatch.setattr(neo4j_store, "GATE_SECONDS", gate_seconds)
    parallel, single = stores
    nodes, rels = world(120)
    ids = sorted({n.id for n in nodes})
    again = [NodeRecord("Person", f"per:{i}", {"names": ["ซ้ำ"]}, [DSI]) for i in range(0, 120, 7)]
    node_batches = [*_in_batches(nodes[:60], 30), again, *_in_batches(nodes[60:], 30)]
    rel_batches = _in_batches(rels, 30)
    for batch in node_batches:
        single.upsert_nodes(batch)
    for batch in rel_batches:
        single.upsert_relationships(batch)
    expected = snapshot(single, ids)
    single.clear()
    assert parallel.upsert_node_batches(node_batches) == len(nodes) + len(again)
    assert parallel.upsert_relationship_batches(rel_batches) == len(rels)
    assert snapshot(parallel, ids) == expected
    assert expected["counts"]["TRANSFER"] == 120


def test_a_failed_batch_rolls_back_the_batch_beside_it(stores: tuple[CountingStore, Neo4jStore]) -> None:
    """Batch 1 fails while batch 2 is being written beside it: batch 0 stays, 1 and 2 are not written."""
    parallel, _ = stores
    nodes, rels = world(120)
    parallel.upsert_nodes(nodes)
    before = parallel.counts()
    bad = RelRecord("HAS_PHONE", "per:1", "tel:missing", {}, [RTP])
    batches = [rels[:60], [*rels[60:119], bad], rels[120:180], rels[180:]]
    with pytest.raises(SchemaError, match="tel:missing") as raised:
        parallel.upsert_relationship_batches(batches)
    assert "in batch 1" in "".join(raised.value.__notes__)
    after = parallel.counts()
    written = sum(after.get(t, 0) - before.get(t, 0) for t in ("HAS_PHONE", "HOLDS_ACCOUNT", "TRANSFER"))
    assert written == 60
    assert parallel.subgraph([r.source for r in rels[:60]]).to_dict()["relationships"]


def test_a_batch_merging_into_older_relationships_does_not_wait_forever(
    stores: tuple[CountingStore, Neo4jStore],
) -> None:
    """Batch k creates relationships beside older ones on the same nodes (its commit updates their chains)
    while batch k + 1 merges into those older ones (a SET locks them at once). Overlapped, k's commit
    waited for k + 1's locks and k + 1 for k's commit, forever (a build, 2026-11-27): now k + 1 writes
    only after k has settled. Bounded here: on a hang the transactions are terminated and the test fails."""
    import threading

    parallel, _ = stores
    nodes, rels = world(120)
    parallel.upsert_nodes(nodes)
    older = [r for r in rels if r.type != "TRANSFER"]  # HAS_PHONE and HOLDS_ACCOUNT on every person
    parallel.upsert_relationships(older)
    newer = [
        RelRecord("HAS_PHONE", f"per:{i}", f"tel:{(i + 1) % 20}", {}, [RTP]) for i in range(120)
    ] + [r for r in rels if r.type == "TRANSFER"]
    again = [RelRecord(r.type, r.source, r.target, r.props, [DSI], discriminator=r.discriminator) for r in older]
    batches = [newer[:120], again[:120], newer[120:], again[120:]]
    outcome: list[Any] = []
    writer = threading.Thread(target=lambda: outcome.append(parallel.upsert_relationship_batches(batches)))
    writer.start()
    writer.join(90)
    if writer.is_alive():
        parallel.driver.execute_query(
            "SHOW TRANSACTIONS YIELD transactionId, currentQuery WHERE NOT currentQuery STARTS WITH 'SHOW' "
            "WITH collect(transactionId) AS ids TERMINATE TRANSACTIONS ids"
        )
        writer.join(30)
        pytest.fail("the batches waited for each other's locks")
    assert outcome == [len(newer) + len(again)]
    assert parallel.counts()["HAS_PHONE"] == 240  # 120 older, 120 newer to another phone
    merged = {r["target"]: r["props"]["agencies"] for r in parallel.subgraph(["per:3", "tel:3", "tel:4"])
              .to_dict()["relationships"] if r["source"] == "per:3" and r["type"] == "HAS_PHONE"}
    assert merged == {"tel:3": ["DSI", "RTP"], "tel:4": ["RTP"]}
