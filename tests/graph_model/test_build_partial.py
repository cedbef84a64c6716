"""A write batch that a store committed only in part stops the build with a message naming the batch; the
build run again completes it (the writes are idempotent upserts)."""

from __future__ import annotations

from collections.abc import Sequence

import networkx as nx
import pytest

from graph_model.build import build_graph
from graph_model.store.base import PartialCommitError, RelRecord
from graph_model.store.memory import MemoryStore
from ingest.records import Link, SourceRecord


def _records() -> list[SourceRecord]:
    return [
        SourceRecord(record_id=f"rtp:p{i}", agency="RTP", source_file="rtp_case_persons.csv", row=i,
                     part="person", entity_type="Person", props={"names": [f"Person {i}"]}, last_seen="2026-11-20",
                     links=[Link("HAS_PHONE", target_type="Phone", target_key=f"+6681234567{i}",
                                 target_props={"number": f"+6681234567{i}"})])
        for i in range(6)
    ]


class _DiesMidBatch(MemoryStore):
    """Commits the first half of the first relationship batch, then fails as a split Neo4j write does."""

    def upsert_relationships(self, rels: Sequence[RelRecord]) -> int:
        half = len(rels) // 2
        super().upsert_relationships(rels[:half])
        raise PartialCommitError("1 of 2 transactions committed")


def test_a_partly_committed_batch_is_named_and_a_rerun_completes_it() -> None:
    store = _DiesMidBatch()
    with pytest.raises(PartialCommitError) as caught:
        build_graph(_records, {}, store, batch_size=4)
    message = str(caught.value)
    assert message.startswith("relationship batch 1 (4 relationships, ids has_phone:")
    assert "part of this batch is in the graph" in message and "run `tipgraph build` again" in message
    assert isinstance(caught.value.__cause__, PartialCommitError)
    assert 0 < store.counts().get("HAS_PHONE", 0) < 6

    again = MemoryStore()
    again.graph = store.graph  # the same graph, now behind a store whose writes go through
    build_graph(_records, {}, again, batch_size=4)
    whole = MemoryStore()
    build_graph(_records, {}, whole, batch_size=4)
    assert nx.utils.graphs_equal(again.graph, whole.graph)
    assert sorted(again.graph.edges(keys=True, data=True)) == sorted(whole.graph.edges(keys=True, data=True))
    assert sorted(again.graph.nodes(data=True)) == sorted(whole.graph.nodes(data=True))
