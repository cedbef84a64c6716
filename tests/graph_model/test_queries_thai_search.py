"""Thai names that the full-text analyser splits into several words are found on both stores."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from queries_world import BACKENDS

from graph_model.queries.search import search
from graph_model.store.base import GraphStore, NodeRecord, Provenance


@pytest.fixture(params=BACKENDS)
def split_names(request: pytest.FixtureRequest) -> Iterator[GraphStore]:
    """A store holding two persons whose Thai names the ``thai`` analyser indexes as several words each."""
    store: Any
    if request.param == "memory":
        from graph_model.store.memory import MemoryStore

        store = MemoryStore()
    else:
        from graph_model.store.neo4j import Neo4jStore

        uri, user, password, database = request.getfixturevalue("neo4j_connection")
        store = Neo4jStore(uri, user, password or None, database)
        store.ensure_schema()
        store.write("MATCH (n) DETACH DELETE n")
    store.upsert_nodes([
        NodeRecord("Person", "per:pimwimon", {"names": ["พิมพ์วิมล เมืองจันทร์"]},
                   [Provenance("DOPA", "dopa-1", "2024-06-01")]),
        NodeRecord("Person", "per:other", {"names": ["สมหญิง ข้างบ้าน"]}, [Provenance("DOPA", "dopa-2", "2024-06-01")]),
    ])
    if request.param != "memory":  # the full-text index is eventually consistent: wait for it to take the writes
        store.write("CALL db.index.fulltext.awaitEventuallyConsistentIndexRefresh()")
    yield store
    store.close()


@pytest.mark.parametrize("query", ["พิมพ์วิมล เมืองจันทร์", "เมืองจันทร์ พิมพ์วิมล", "พิมพ์วิมล"])
def test_thai_name_split_by_the_analyser_is_found(split_names: GraphStore, query: str) -> None:
    # a fuzzy term ("พิมพ์วิมล~") skips the analyser and matched none of the indexed words (พิมพ์ | วิมล)
    hits = search(split_names, query)
    assert hits and hits[0].id == "per:pimwimon"
