"""The column-fed path (``frame_from_store``: SQL rows, JSON parsed per column) resolves a workspace exactly
as the record-fed path (``SourceRecord`` objects from ``iter_records``) does."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from entity_resolution import Settings, export_resolution, resolve
from entity_resolution.frame import frame_from_store
from entity_resolution.resolution import as_frame
from ingest.records import Link, SourceRecord
from ingest.store import RecordStore


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 600-person synthetic world, ingested."""
    from api.pipeline import run_ingest
    from synthworld.cli import synth

    root = tmp_path_factory.mktemp("frame-store")
    synth(seed=5, persons=600, out=root / "world")
    run_ingest(root / "world" / "exports", root / "ws", run_date="2026-11-26")
    return root / "ws"


def test_store_frame_equals_record_frame(workspace: Path) -> None:
    with RecordStore(workspace) as store:
        from_store = frame_from_store(store)
        from_records = as_frame(list(store.iter_records()))
    assert len(from_store) == len(from_records) > 1000
    assert from_store["record_id"].tolist() == from_records["record_id"].tolist()
    assert set(from_store.columns) == set(from_records.columns)
    for col in from_records.columns:
        a = from_store[col].astype(object).where(from_store[col].notna(), None).tolist()
        b = from_records[col].astype(object).where(from_records[col].notna(), None).tolist()
        assert a == b, col


def test_store_fed_resolution_equals_record_fed(workspace: Path, tmp_path: Path) -> None:
    with RecordStore(workspace) as store:
        by_records = resolve(list(store.iter_records()), tmp_path / "records")
        by_columns = resolve(frame_from_store(store), tmp_path / "columns")
    assert len(by_records.entities("Person")) < len(by_records.features)  # records were merged at all
    assert by_columns.mapping == by_records.mapping
    assert by_columns.settings.to_json() == by_records.settings.to_json()
    assert (by_columns.weights == by_records.weights).all()
    a = export_resolution(by_records, tmp_path / "records.csv").read_text()
    b = export_resolution(by_columns, tmp_path / "columns.csv").read_text()
    assert a == b
    # the saved resolution reloads and re-resolves the same way
    again = resolve(pd.read_parquet(tmp_path / "columns" / "records.parquet"), tmp_path / "columns",
                    Settings.load(tmp_path / "columns" / "settings.json"), reuse_pairs=True)
    assert again.mapping == by_records.mapping


def test_links_without_key_follow_target_record(tmp_path: Path) -> None:
    """A person's link to an account part of the same row carries only the part's record id."""
    account = SourceRecord(record_id="x:acc", agency="AMLO", source_file="a.csv", row=1, part="account",
                           entity_type="Account", key="004-1234567890", props={})
    person = SourceRecord(record_id="x:per", agency="AMLO", source_file="a.csv", row=1, part="holder",
                          entity_type="Person", props={"names": ["สมชาย ใจดี"], "birth_year": 1980},
                          links=[Link(rel_type="HOLDS_ACCOUNT", target_record_id="x:acc")])
    with RecordStore(tmp_path) as store:
        store.upsert([account, person], run_date="2026-11-26")
        frame = frame_from_store(store)
    row = frame.set_index("record_id").loc["x:per"]
    assert row["accounts"] == ["004-1234567890"]
    assert row["names"] == ["สมชาย ใจดี"] and row["birth_year"] == 1980


def test_bad_json_names_the_record(tmp_path: Path) -> None:
    with RecordStore(tmp_path) as store:
        store.upsert([SourceRecord(record_id="x:1", agency="DOE", source_file="d.csv", row=1, part="p",
                                   entity_type="Person", props={"names": ["A B"]})], run_date="2026-11-26")
        store.conn.execute("UPDATE records SET props = '{broken' WHERE record_id = 'x:1'")
        with pytest.raises(ValueError, match=r"record x:1"):
            frame_from_store(store)


@pytest.mark.parametrize("workers", ["1", "2"])
def test_store_frame_names_a_record_whose_props_are_not_json(workspace: Path, tmp_path: Path, workers: str,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """A person record whose stored props are not JSON is named (store and record), whether the person
    columns are read here or by the forked child; the store is left as it was."""
    import re
    import shutil
    import sqlite3

    copy = tmp_path / "ws"
    shutil.copytree(workspace, copy)
    with sqlite3.connect(copy / "records.sqlite") as db:
        (bad,) = db.execute("SELECT record_id FROM records WHERE entity_type = 'Person' LIMIT 1").fetchone()
        db.execute("UPDATE records SET props = ? WHERE record_id = ?", ('{"names": [', bad))
    monkeypatch.setenv("TIPGRAPH_ER_WORKERS", workers)
    with RecordStore(copy) as store, pytest.raises(ValueError, match=re.escape(f"record {bad}: props/links are not valid JSON")):
        frame_from_store(store)
    with RecordStore(copy) as store, RecordStore(workspace) as original:
        assert store.count("Person") == original.count("Person")
