"""The start-up warm-up of ``tipgraph serve`` (:mod:`api.warmup`): real reads on Neo4j, none on the embedded store."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from api_world import COLLECTOR, OFFICIAL, SUSPECT, VICTIM, VICTIM2
from test_stores import write_records

from api.provenance import RecordLookup
from api.server import warm_store
from api.settings import Settings
from api.warmup import sample_entities, warm_up
from graph_model.store.base import GraphStore
from graph_model.store.memory import MemoryStore

PERSONS = {SUSPECT, VICTIM, VICTIM2, OFFICIAL, COLLECTOR}


def test_neo4j_is_warmed_with_profiles_and_networks_of_persons(neo4j_world: GraphStore, settings: Settings) -> None:
    write_records(Path(settings.workspace))
    assert set(sample_entities(neo4j_world, 1000)) == PERSONS  # a sample larger than the persons: all of them
    done = warm_up(neo4j_world, seconds=60, threads=2, records=RecordLookup(Path(settings.workspace) / "records.sqlite"))
    # The sample is used up long before a minute: each person read once as a profile and once as a network.
    assert done.reads == 2 * len(PERSONS)
    assert done.seconds < 60 and done.first_ms > 0 and done.last_ms > 0
    assert "10 neighbourhood reads" in done.summary()


def test_the_warm_up_stops_at_its_time(neo4j_world: GraphStore) -> None:
    assert warm_up(neo4j_world, seconds=0).reads == 0


def test_a_failing_read_stops_the_warm_up_with_its_error(neo4j_world: GraphStore, tmp_path: Path) -> None:
    broken = tmp_path / "records.sqlite"
    broken.write_bytes(b"this is not an SQLite database" * 100)
    with pytest.raises(sqlite3.DatabaseError):
        warm_up(neo4j_world, seconds=60, records=RecordLookup(broken))


def test_the_embedded_store_is_not_warmed(world: MemoryStore, settings: Settings) -> None:
    assert sample_entities(world, 100) == []
    assert warm_up(world, seconds=60).reads == 0
    # serve's step opens no configured embedded store (each worker loads it): a saved graph that cannot
    # be loaded is not touched here.
    graph = Path(settings.workspace) / "graph"
    graph.mkdir()
    (graph / "manifest.json").write_text("not a manifest")
    warm_store(settings.model_copy(update={"store_kind": "memory"}))
    with pytest.raises(ValueError):
        warm_store(settings.model_copy(update={"store_kind": "memory"}), MemoryStore.load(graph))
