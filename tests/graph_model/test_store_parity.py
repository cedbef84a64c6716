"""Parity: a seeded random graph in both stores gives identical neighbourhoods and paths.

The graph has parallel transfers, self-loops, two agencies and dated relationships, so tie-breaking
(node ids, smallest relationship id per hop), filters and hub paging are all exercised.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import Any

import pytest

from graph_model.store.base import GraphStore, NodeRecord, Provenance, RelRecord, TraversalFilter
from graph_model.store.memory import MemoryStore

pytestmark = pytest.mark.neo4j

RTP = Provenance("RTP", "rtp-1", "2026-01-02")
DSI = Provenance("DSI", "dsi-9", "2025-05-05")


def random_graph(
    seed: int, n_nodes: int = 120, n_rels: int = 260
) -> tuple[list[NodeRecord], list[RelRecord]]:
    """Persons, phones and accounts wired at random (seeded)."""
    rng = random.Random(seed)
    nodes: list[NodeRecord] = []
    for i in range(n_nodes):
        src = rng.choice((RTP, DSI))
        if i % 3 == 0:
            nodes.append(NodeRecord("Person", f"per:{i:03d}", {"names": [f"p{i}"]}, [src]))
        elif i % 3 == 1:
            nodes.append(NodeRecord("Phone", f"tel:{i:03d}", {"number": f"+668{i:08d}"}, [src]))
        else:
            nodes.append(
                NodeRecord("Account", f"acc:{i:03d}", {"bank_code": "1", "account_no": str(i)}, [src])
            )
    of = {t: [n.id for n in nodes if n.type == t] for t in ("Person", "Phone", "Account")}
    rels: list[RelRecord] = []
    for j in range(n_rels):
        src = rng.choice((RTP, DSI))
        kind = rng.randrange(4)
        if kind == 0:
            rels.append(RelRecord("HAS_PHONE", rng.choice(of["Person"]), rng.choice(of["Phone"]), {}, [src]))
        elif kind == 1:
            since = {"opened_date": f"20{rng.randint(15, 26)}-01-01"} if rng.random() < 0.5 else {}
            rels.append(
                RelRecord("HOLDS_ACCOUNT", rng.choice(of["Person"]), rng.choice(of["Account"]), since, [src])
            )
        elif kind == 2:
            rel = {"relation": "relative"}
            rels.append(RelRecord("FAMILY", rng.choice(of["Person"]), rng.choice(of["Person"]), rel, [src]))
        else:
            day = f"2026-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            props = {"txn_id": f"x{j}", "amount_thb": 10.0, "at": f"{day}T12:00:00+07:00", "ts": j}
            a, b = rng.choice(of["Account"]), rng.choice(of["Account"])
            rels.append(RelRecord("TRANSFER", a, b, props, [src], discriminator=f"x{j}"))
    return nodes, rels


@pytest.fixture(scope="module")
def both(neo4j_connection: Any) -> Iterator[tuple[GraphStore, GraphStore, list[str]]]:
    from graph_model.store.neo4j import Neo4jStore

    uri, user, password, database = neo4j_connection
    neo = Neo4jStore(uri, user, password, database)
    neo.ensure_schema()
    neo.clear()
    mem = MemoryStore()
    nodes, rels = random_graph(seed=20261126)
    for store in (mem, neo):
        store.upsert_nodes(nodes)
        store.upsert_relationships(rels)
    yield mem, neo, [n.id for n in nodes]
    neo.clear()
    neo.close()


FILTERS = [
    None,
    TraversalFilter(agencies=frozenset({"DSI"})),
    TraversalFilter(
        node_types=frozenset({"Person", "Account"}), rel_types=frozenset({"TRANSFER", "HOLDS_ACCOUNT"})
    ),
    TraversalFilter(date_from="2026-03-01", date_to="2026-08-31"),
]


def test_same_graph_in_both(both: tuple[GraphStore, GraphStore, list[str]]) -> None:
    mem, neo, ids = both
    assert mem.counts() == neo.counts()
    assert mem.subgraph(ids).to_dict() == neo.subgraph(ids).to_dict()


@pytest.mark.parametrize("flt", FILTERS, ids=["none", "agency", "types", "dates"])
def test_neighbourhoods_identical(
    both: tuple[GraphStore, GraphStore, list[str]], flt: TraversalFilter | None
) -> None:
    mem, neo, ids = both
    rng = random.Random(7)
    for _ in range(6):
        seeds = rng.sample(ids, rng.randint(1, 2))
        hops, limit, offset = rng.randint(1, 3), rng.choice((2, 3, 50)), rng.choice((0, 0, 1))
        got_mem = mem.neighbourhood(seeds, hops, flt, limit, offset).to_dict()
        assert got_mem == neo.neighbourhood(seeds, hops, flt, limit, offset).to_dict(), (
            seeds,
            hops,
            limit,
            offset,
        )


@pytest.mark.parametrize("flt", FILTERS, ids=["none", "agency", "types", "dates"])
def test_paths_identical(both: tuple[GraphStore, GraphStore, list[str]], flt: TraversalFilter | None) -> None:
    mem, neo, ids = both
    rng = random.Random(11)
    nonempty = 0
    for _ in range(8):
        a, b = rng.sample(ids, 2)
        k = rng.choice((1, 3))
        got_mem = [p.to_dict() for p in mem.shortest_paths(a, b, max_hops=5, k=k, flt=flt)]
        assert got_mem == [p.to_dict() for p in neo.shortest_paths(a, b, max_hops=5, k=k, flt=flt)], (a, b, k)
        nonempty += bool(got_mem)
    assert flt is not None or nonempty > 0  # the unfiltered graph is connected enough to have paths
