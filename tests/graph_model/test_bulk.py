"""Bulk import (``graph_model.bulk``): the offline importer gives exactly the graph of the upsert build.

A small synthetic world (ingested and resolved for real) plus hand-made records with Thai names carrying
combining marks, lists, dates, integers, floats and booleans is built twice: by ``build_graph`` through
upserts into the tests' Neo4j, and by ``bulk_import`` into a server of its own. Every node's and
relationship's properties (provenance included), the indexes and the detectors' answers must agree.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path
from typing import Any

import pytest

from api.pipeline import _mapping
from graph_model import neo4j_server
from graph_model.build import build_graph
from graph_model.bulk import ARRAY_DELIMITER, bulk_import
from graph_model.model import SchemaError
from graph_model.store.neo4j import Neo4jStore
from ingest.records import Link, SourceRecord
from ingest.store import RecordStore

THAI = unicodedata.normalize("NFC", "สมศักดิ์ น้ำใจดี")  # ั ิ ์ ้ ำ: combining marks


def _extra_records() -> list[SourceRecord]:
    """Values the synthetic world may lack: Thai combining marks, floats, booleans, repeated entities."""
    def person(rid: str, agency: str, seen: str, props: dict[str, Any], links: list[Link]) -> SourceRecord:
        return SourceRecord(record_id=rid, agency=agency, source_file="x.csv", row=1, part="person",
                            entity_type="Person", props=props, last_seen=seen, links=links)

    phone = Link("HAS_PHONE", target_type="Phone", target_key="+66899999999",
                 target_props={"number": "+66899999999"})
    return [
        person("xr1", "RTP", "2026-01-02", {"names": [THAI, 'He said "no", twice'], "is_official": True},
               [phone]),
        person("xr2", "DSI", "2025-03-04", {"names": [THAI, "Somsak\nNamjai"], "is_official": False},
               [phone]),
        SourceRecord(record_id="xa1", agency="AMLO", source_file="a.csv", row=2, part="asset",
                     entity_type="Asset", key="asset-1",
                     props={"asset_kind": "land", "description": "ที่ดิน ๓ ไร่, 'quoted'", "value_thb": 1234567.891},
                     last_seen="2026-02-02"),
    ]


@pytest.fixture(scope="module")
def world_ws(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A workspace of a small synthetic world, ingested and resolved."""
    from api.pipeline import run_ingest, run_resolve
    from synthworld.cli import synth

    root = tmp_path_factory.mktemp("bulk-world")
    synth(seed=3, persons=120, out=root / "world")
    run_ingest(root / "world" / "exports", root / "ws")
    run_resolve(root / "ws")
    return root / "ws"


@pytest.fixture(scope="module")
def world(world_ws: Path) -> tuple[list[SourceRecord], dict[str, str]]:
    with RecordStore(world_ws) as store:
        records = list(store.iter_records())
    mapping = dict(_mapping(world_ws))
    mapping.update({"xr1": "per:extra", "xr2": "per:extra"})
    return records + _extra_records(), mapping


def _dump(store: Neo4jStore) -> tuple[dict[str, Any], dict[str, Any]]:
    nodes = {r["id"]: (sorted(r["labels"]), r["props"])
             for r in store.run("MATCH (n) RETURN n.id AS id, labels(n) AS labels, properties(n) AS props")}
    rels = {r["id"]: (r["type"], r["s"], r["t"], r["props"])
            for r in store.run("MATCH (a)-[e]->(b) RETURN e.id AS id, type(e) AS type, a.id AS s, b.id AS t, "
                               "properties(e) AS props")}
    return nodes, rels


def _indexes(store: Neo4jStore) -> set[tuple[str, str]]:
    return {(r["name"], r["state"]) for r in store.run("SHOW INDEXES YIELD name, state")}


@pytest.mark.neo4j
def test_bulk_import_gives_the_graph_of_the_upsert_build(
    world: tuple[list[SourceRecord], dict[str, str]], clean_neo4j: Any, tmp_path: Path
) -> None:
    from graph_model.queries.export import detections

    records, mapping = world
    upserted = Neo4jStore(clean_neo4j.uri, clean_neo4j.user, clean_neo4j.password or None)
    data_dir = tmp_path / "bulk-neo4j"
    try:
        upserted.ensure_schema()
        build_graph(lambda: records, mapping, upserted, batch_size=97, node_buffer=300)  # many merges
        report = bulk_import(lambda: records, mapping, data_dir, port=neo4j_server.free_port())
        bulk = Neo4jStore(report.uri, password=None)
        try:
            want_nodes, want_rels = _dump(upserted)
            got_nodes, got_rels = _dump(bulk)
            assert len(want_nodes) > 300 and len(want_rels) > 300
            assert (report.nodes, report.relationships) == (len(want_nodes), len(want_rels))
            assert got_nodes == want_nodes
            assert got_rels == want_rels
            extra = got_nodes["per:extra"][1]
            assert THAI in extra["names"] and "Somsak\nNamjai" in extra["names"]
            assert extra["sources"] == ["RTP|xr1|2026-01-02", "DSI|xr2|2025-03-04"]
            assert (extra["agencies"], extra["first_seen"], extra["is_official"]) == (["DSI", "RTP"], "2025-03-04",
                                                                                      False)
            assert any(p.get("value_thb") == 1234567.891 for _, p in got_nodes.values())
            assert _indexes(bulk) == _indexes(upserted)
            assert all(state == "ONLINE" for _, state in _indexes(bulk))
            assert bulk.counts() == upserted.counts()
            assert detections(bulk) == detections(upserted)
            with pytest.raises(neo4j_server.Neo4jServerError, match=r"holds .* nodes"):
                bulk_import(lambda: records, mapping, data_dir)  # a database with data is left alone
            assert bulk.counts() == upserted.counts()
        finally:
            bulk.close()
    finally:
        upserted.close()
        neo4j_server.stop(data_dir)


def test_bad_input_is_refused_before_anything_is_imported(tmp_path: Path) -> None:
    bad = _extra_records()
    bad[0].props["names"] = ["A" + ARRAY_DELIMITER + "B"]
    data_dir = tmp_path / "never"
    with pytest.raises(SchemaError, match=r"Person\[per:extra\]\.names: list item .*array delimiter"):
        bulk_import(lambda: bad, {"xr1": "per:extra", "xr2": "per:extra"}, data_dir)
    assert not (data_dir / "data").exists()
    assert neo4j_server.status(data_dir) is None


def test_a_folder_that_is_not_a_server_data_dir_is_refused(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(neo4j_server.Neo4jServerError, match="not the data folder"):
        bulk_import(lambda: _extra_records(), {}, tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_the_cli_refuses_a_bulk_import_into_the_memory_store(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from api.cli import app

    result = CliRunner().invoke(app, ["build", "-w", str(tmp_path), "--store", "memory", "--bulk-import"])
    assert result.exit_code == 2
    assert "--bulk-import loads a Neo4j database" in result.output


@pytest.mark.neo4j
def test_tipgraph_build_bulk_import_loads_the_workspace(
    world_ws: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from api.cli import app
    from graph_model.store.memory import MemoryStore

    port = neo4j_server.free_port()
    monkeypatch.setenv("TIPGRAPH_NEO4J_URI", f"bolt://127.0.0.1:{port}")
    monkeypatch.delenv("TIPGRAPH_NEO4J_PASSWORD", raising=False)
    data_dir = tmp_path / "cli-neo4j"
    try:
        result = CliRunner().invoke(app, ["build", "-w", str(world_ws), "--store", "neo4j", "--bulk-import",
                                          "--neo4j-data", str(data_dir)])
        assert result.exit_code == 0, result.output
        assert "bulk import:" in result.output
        handle = neo4j_server.status(data_dir)
        assert handle is not None and handle.port == port  # where the settings point
        expected = MemoryStore()
        with RecordStore(world_ws) as records:
            build_graph(records.iter_records, _mapping(world_ws), expected)
        store = Neo4jStore(handle.uri, password=None)
        try:
            assert store.counts() == expected.counts()
        finally:
            store.close()
    finally:
        neo4j_server.stop(data_dir)


def test_reading_the_records_twice_gives_the_same_graph(world: tuple[list[SourceRecord], dict[str, str]]) -> None:
    from graph_model.store.memory import MemoryStore

    records, mapping = world
    kept, reread = MemoryStore(), MemoryStore()
    build_graph(lambda: records, mapping, kept)
    build_graph(lambda: iter(records), mapping, reread, reread_links=True, batch_size=50)
    assert reread.counts() == kept.counts() and sum(kept.counts().values()) > 600
    ids = sorted(kept.graph.nodes)
    assert [n.to_dict() for n in reread.get_entities(ids)] == [n.to_dict() for n in kept.get_entities(ids)]
    rels = sorted((s, t, k, sorted(d.items())) for s, t, k, d in kept.graph.edges(keys=True, data=True))
    assert sorted((s, t, k, sorted(d.items())) for s, t, k, d in reread.graph.edges(keys=True, data=True)) == rels


def _csv_rows(paths: list[Path]) -> list[list[str]]:
    """The data rows of one label's files: a header file, then the parts."""
    import csv

    rows: list[list[str]] = []
    for path in paths:
        with open(path, encoding="utf-8", newline="") as f:
            rows.extend(csv.reader(f))
    return rows[1:]


@pytest.mark.parametrize("buckets", [1, 7])
def test_the_spilled_collect_writes_the_rows_of_the_upsert_build(
    world: tuple[list[SourceRecord], dict[str, str]], tmp_path: Path, buckets: int
) -> None:
    """Every CSV row (properties and provenance, in the importer's cell format) equals the element that
    build_graph upserts into the embedded store, whatever the number of spill buckets."""
    from graph_model.bulk import _cell, _props_of
    from graph_model.bulk_collect import collect_csvs
    from graph_model.model import load_schema
    from graph_model.store.memory import MemoryStore

    records, mapping = world
    schema = load_schema()
    expected = MemoryStore()
    build_graph(lambda: records, mapping, expected, batch_size=97, node_buffer=300)  # many merges
    done = collect_csvs(((r, r.links) for r in records), mapping, schema, tmp_path / "csv", buckets=buckets)
    assert not (tmp_path / "csv" / "spill").exists()

    def cells(owner: str, specs: Any, attrs: dict[str, Any]) -> list[str]:
        return [_cell(owner, n, attrs.get(n), lst) for n, _, lst in _props_of(specs, schema)]

    want_nodes = {t: sorted([n, *cells(n, schema.node_type(t).properties, a)]
                            for n, a in expected.graph.nodes(data=True) if a["type"] == t)
                  for t in {a["type"] for _, a in expected.graph.nodes(data=True)}}
    want_rels = {t: sorted([s, e, k, *cells(k, schema.rel_type(t).properties, a)]
                           for s, e, k, a in expected.graph.edges(keys=True, data=True) if a["type"] == t)
                 for t in {a["type"] for _, _, a in expected.graph.edges(data=True)}}
    assert {t: sorted(_csv_rows(p)) for t, p in done.files.nodes.items()} == want_nodes
    assert {t: sorted(_csv_rows(p)) for t, p in done.files.relationships.items()} == want_rels
    assert (done.nodes, done.relationships) == (expected.graph.number_of_nodes(), expected.graph.number_of_edges())
    hub = max(expected.graph.nodes, key=lambda n: len(expected.graph.nodes[n]["sources"]))
    assert len(expected.graph.nodes[hub]["sources"]) > 5  # a merged hub is among them
    assert done.files.multiline  # "Somsak\nNamjai"


def test_merging_assertions_at_once_equals_merging_them_one_by_one() -> None:
    from graph_model.bulk_collect import merge_assertions
    from graph_model.store._merge import fresh_attrs, merge_into
    from graph_model.store.base import Provenance

    items: list[tuple[dict[str, Any], Provenance]] = [({"names": ["A", "B", "A"], "sex": "M"}, Provenance("RTP", "r1", "2026-01-02")),
             ({"names": ["C", "B"], "sex": None, "note": "x"}, Provenance("DSI", "d1", "2025-05-05")),
             ({"sex": "F", "names": ["D"]}, Provenance("RTP", "r1", "2026-01-02")),
             ({"note": "y"}, Provenance("AMLO", "a1", "2027-01-01"))]
    for n in range(1, len(items) + 1):
        folded = fresh_attrs({}, items[0][0], [items[0][1]], {"names"})
        for props, src in items[1:n]:
            merge_into(folded, props, [src], {"names"})
        assert merge_assertions([(p, s.agency, s.record_id, s.seen) for p, s in items[:n]], {"names"}) == folded


def _rows_by_type(files: dict[str, list[Path]]) -> dict[str, list[list[str]]]:
    return {t: sorted(_csv_rows(paths)) for t, paths in files.items()}


@pytest.mark.parametrize(("workers", "resolved"), [(2, True), (3, True), (3, False)])
def test_the_parallel_collect_writes_the_files_of_the_serial_one(
    world_ws: Path, tmp_path: Path, workers: int, resolved: bool
) -> None:
    """Record-id ranges in several processes, joined in order, give the serial collect's rows: every
    property and every provenance list in the same order. Without a resolution every person record is an
    entity of its own, so the first holder of a national ID (a later range must not take it) decides
    where references by ID go."""
    from graph_model.bulk_collect import collect_csvs, lean_records
    from graph_model.bulk_parallel import collect_store
    from graph_model.model import load_schema
    from graph_model.record_entities import RecordEntities

    schema = load_schema()
    mapping = _mapping(world_ws) if resolved else RecordEntities.from_pairs([], [])
    with RecordStore(world_ws) as store:
        serial = collect_csvs(lean_records(store), dict(mapping), schema, tmp_path / "serial", buckets=5)
    parallel = collect_store(world_ws / "records.sqlite", mapping, schema, tmp_path / "parallel", workers=workers,
                             buckets=5)
    assert (parallel.nodes, parallel.relationships) == (serial.nodes, serial.relationships)
    assert _rows_by_type(parallel.files.nodes) == _rows_by_type(serial.files.nodes)
    assert _rows_by_type(parallel.files.relationships) == _rows_by_type(serial.files.relationships)
    assert parallel.report.records == serial.report.records > 1000
    assert (parallel.report.skipped, parallel.report.examples) == (serial.report.skipped, serial.report.examples)
    assert len(parallel.files.nodes["Person"]) == 1 + workers  # the header, then one part per process
    assert not (tmp_path / "parallel" / "spill").exists()


def test_the_compact_resolution_equals_the_parquet_rows_of_the_resolved_types(world_ws: Path) -> None:
    import pandas as pd

    frame = pd.read_parquet(world_ws / "resolution" / "mapping.parquet")
    rows = dict(zip(frame["record_id"], frame["entity_id"], strict=True))
    resolved = {r: e for r, e in rows.items() if e.startswith(("per:", "org:"))}
    compact = _mapping(world_ws)
    assert 0 < len(resolved) < len(rows)  # accounts and cases are in the file, not needed by the graph
    assert dict(compact) == resolved
    assert compact.get_many([*resolved, "nope"]) == resolved
    assert all(compact.get(r) == e for r, e in resolved.items())
    assert "nope" not in compact and next(iter(resolved)) in compact
