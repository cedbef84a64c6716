"""Agency files → records → entities → graph → detections, on the embedded store and on Neo4j."""

from __future__ import annotations

import csv
import json
import os
import shutil
import signal
from pathlib import Path
from typing import Any

import pytest

from api.pipeline import _mapping, run_detect, run_export_resolution
from graph_model.build import build_graph
from graph_model.store.base import GraphStore
from graph_model.store.memory import MemoryStore
from ingest.store import RecordStore


def _build(workspace: Path, store: GraphStore) -> Any:
    with RecordStore(workspace) as records:
        return build_graph(records.iter_records, _mapping(workspace), store, batch_size=500)


def _snapshot(store: GraphStore, ids: list[str]) -> dict[str, Any]:
    return store.subgraph(ids).to_dict()


def test_every_row_of_every_export_is_accounted_for(resolved_workspace: Path) -> None:
    workspace = resolved_workspace / "ws"
    out = run_export_resolution(workspace, resolved_workspace / "resolution.csv")
    with open(resolved_workspace / "world" / "truth" / "records.csv", encoding="utf-8") as fh:
        truth = {(r["agency"], r["file"], r["row"], r["exchange_id"], r["part"]) for r in csv.DictReader(fh)}
    with open(out, encoding="utf-8") as fh:
        exported = {(r["agency"], r["file"], r["row"], r["exchange_id"], r["part"]) for r in csv.DictReader(fh)}
    assert truth, "the world has records"
    assert truth - exported == set(), "every part of every row in the truth has a source record"


def test_build_on_the_embedded_store_writes_everything_and_survives_a_reload(
    resolved_workspace: Path, tmp_path: Path
) -> None:
    workspace = resolved_workspace / "ws"
    store = MemoryStore()
    report = _build(workspace, store)
    assert report.skipped == {}, report.examples
    counts = store.counts()
    for node_type in ("Person", "Organization", "Account", "Case", "Phone", "Location", "Document"):
        assert counts.get(node_type, 0) > 0, node_type
    for rel_type in ("TRANSFER", "ROLE_IN", "REFERS_TO", "FAMILY", "HOLDS_ACCOUNT", "CROSSED_BORDER"):
        assert counts.get(rel_type, 0) > 0, rel_type
    # every node and relationship says where it came from
    for _, attrs in store.graph.nodes(data=True):
        assert attrs["sources"] and attrs["agencies"]
    for _, _, attrs in store.graph.edges(data=True):
        assert attrs["sources"] and attrs["agencies"]
    store.save(tmp_path / "graph")
    again = MemoryStore.load(tmp_path / "graph")
    ids = sorted(store.graph.nodes)
    assert _snapshot(again, ids) == _snapshot(store, ids)


def test_detections_export_has_the_graded_shape(resolved_workspace: Path, tmp_path: Path) -> None:
    workspace = tmp_path / "ws"
    shutil.copytree(resolved_workspace / "ws", workspace)
    store = MemoryStore()
    _build(workspace, store)
    store.save(workspace / "graph")
    out = run_detect(workspace, "memory", out=tmp_path / "detections.json")
    detections = json.loads(out.read_text(encoding="utf-8"))
    assert set(detections) >= {"rings", "money_chains", "officials"}
    nodes = set(store.graph.nodes)
    for ring in detections["rings"]:
        assert {m["entity_id"] for m in ring["members"]} <= nodes
    for chain in detections["money_chains"]:
        assert chain["txn_ids"]


@pytest.mark.neo4j
@pytest.mark.slow
def test_neo4j_build_equals_the_embedded_build_and_resumes_after_a_crash(
    resolved_workspace: Path, tmp_path: Path
) -> None:
    """Kill Neo4j in the middle of a load, start it again, run the load again: the graph equals an
    uninterrupted load (and the embedded store's)."""
    from graph_model import neo4j_server
    from graph_model.store.neo4j import Neo4jStore

    workspace = resolved_workspace / "ws"
    reference = MemoryStore()
    _build(workspace, reference)
    ids = sorted(reference.graph.nodes)
    expected = _snapshot(reference, ids)

    data_dir = tmp_path / "neo4j"  # a server of this test's own: it is killed on purpose
    handle = neo4j_server.start(data_dir, neo4j_server.free_port())
    try:
        store = Neo4jStore(handle.uri, None, None, "neo4j")
        store.ensure_schema()
        calls = {"n": 0}
        write = store.upsert_relationships

        def crash_on_third_batch(rels: Any) -> int:
            calls["n"] += 1
            if calls["n"] == 3:
                os.kill(handle.pid, signal.SIGKILL)
            return write(rels)

        store.upsert_relationships = crash_on_third_batch  # type: ignore[method-assign]
        with pytest.raises(Exception):  # noqa: B017 - whatever the driver raises when the server dies
            _build(workspace, store)
        store.close()
        half = neo4j_server.start(data_dir, handle.port)
        store = Neo4jStore(half.uri, None, None, "neo4j")
        partial = store.counts()
        assert partial.get("Person", 0) > 0, "the interrupted load wrote something before the crash"
        _build(workspace, store)
        assert _snapshot(store, ids) == expected
        assert store.counts() == reference.counts()
        store.close()
    finally:
        neo4j_server.stop(data_dir)
