"""The Neo4j store's read plumbing: record conversion, and one-round-trip expansions at their edges
(no hops, missing and repeated seeds, filtered-out seeds) giving what the memory store gives."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from graph_model.store.base import GraphStore, NodeRecord, Provenance, RelRecord, TraversalFilter
from graph_model.store.memory import MemoryStore

RTP = Provenance("RTP", "rtp-1", "2026-01-02")


def test_plain_matches_record_data() -> None:
    """``Neo4jStore.run`` converts values as ``Record.data()`` does, fast paths or not."""
    import neo4j
    from neo4j.time import Date

    from graph_model.store.neo4j import _plain

    value = {"a": [1, "ก", {"b": None, "d": Date(2024, 1, 2)}, 2.5, True], "t": (1, ["x"]), "e": []}
    assert _plain(value) == neo4j.Record([("v", value)]).data()["v"]
    assert isinstance(_plain(value)["a"][2]["d"], Date)


@pytest.fixture(scope="module")
def both(neo4j_connection: Any) -> Iterator[tuple[GraphStore, GraphStore]]:
    from graph_model.store.neo4j import Neo4jStore

    uri, user, password, database = neo4j_connection
    neo = Neo4jStore(uri, user, password, database)
    neo.ensure_schema()
    neo.clear()
    mem = MemoryStore()
    nodes = [NodeRecord("Person", f"per:{i}", {"names": [f"p{i}"]}, [RTP]) for i in range(6)]
    nodes += [NodeRecord("Phone", f"tel:{i}", {"number": f"+6680000000{i}"}, [RTP]) for i in range(3)]
    rels = [
        RelRecord("HAS_PHONE", "per:0", "tel:0", {}, [RTP]),
        RelRecord("HAS_PHONE", "per:1", "tel:0", {}, [RTP]),
        RelRecord("HAS_PHONE", "per:2", "tel:0", {}, [RTP]),
        RelRecord("HAS_PHONE", "per:2", "tel:1", {}, [RTP]),
        RelRecord("FAMILY", "per:0", "per:3", {"relation": "sibling"}, [RTP]),
        RelRecord("FAMILY", "per:3", "per:4", {"relation": "sibling"}, [RTP]),
        RelRecord("HAS_PHONE", "per:4", "tel:2", {}, [RTP]),
    ]
    for store in (mem, neo):
        store.upsert_nodes(nodes)
        store.upsert_relationships(rels)
    yield mem, neo
    neo.clear()
    neo.close()


CASES = [
    (["per:0"], 0, None, 50),
    (["per:0", "per:0", "per:missing"], 2, None, 50),
    (["per:missing"], 2, None, 50),
    (["per:0", "per:4"], 3, None, 1),
    (["tel:0"], 2, TraversalFilter(node_types=frozenset({"Person"})), 50),
    (["per:0"], 4, TraversalFilter(rel_types=frozenset({"FAMILY"})), 50),
    (["per:0"], 2, TraversalFilter(agencies=frozenset({"DSI"})), 50),
]


@pytest.mark.neo4j
@pytest.mark.parametrize(("seeds", "hops", "flt", "limit"), CASES)
def test_expansion_edges_identical(
    both: tuple[GraphStore, GraphStore], seeds: list[str], hops: int, flt: TraversalFilter | None, limit: int
) -> None:
    mem, neo = both
    got = neo.neighbourhood(seeds, hops, flt, limit, 0).to_dict()
    assert got == mem.neighbourhood(seeds, hops, flt, limit, 0).to_dict()
    if "per:0" in seeds:
        assert "per:0" in [n["id"] for n in got["nodes"]]


@pytest.mark.neo4j
def test_run_converts_graph_objects_as_the_driver(both: tuple[GraphStore, GraphStore]) -> None:
    """Nodes, relationships and paths in a ``run`` answer come back as ``Record.data()`` gives them."""
    from graph_model.store.neo4j import Neo4jStore

    _, neo = both
    assert isinstance(neo, Neo4jStore)
    cypher = (
        "MATCH p = (a:Person {id: 'per:0'})-[r:FAMILY]->(b) "
        "RETURN a, r, p, [a, b] AS ab, {n: a, when: date('2026-01-02')} AS m"
    )
    records, _, _ = neo.driver.execute_query(cypher, database_=neo.database)
    got = neo.run(cypher)
    assert got == [r.data() for r in records]
    assert got[0]["a"]["id"] == "per:0" and got[0]["m"]["n"]["names"] == ["p0"]
