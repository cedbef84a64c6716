"""The graph store contract: the same suite, the same expected answers, for every backend.

The ``store`` fixture gives an empty MemoryStore and an empty Neo4jStore (marked ``neo4j``; the server
comes from ``tests/conftest.py``, the database is wiped before and after each test).

The case graph (:func:`load_case_graph`)::

    per:a -HAS_PHONE-> tel:1 <-HAS_PHONE- per:b      (a shared phone)
    per:a -EMPLOYED_BY-> org:1 <-EMPLOYED_BY- per:b  (a shared employer; since 2020 and 2024)
    per:b -FAMILY-> per:c -HOLDS_ACCOUNT-> acc:1
    acc:1 -TRANSFER-> acc:2 -TRANSFER-> acc:3, and acc:1 -TRANSFER-> acc:3 twice (t3, t4)
    per:h1..per:h7 -HAS_PHONE-> tel:hub             (a hub for paging)
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from graph_model.model import SchemaError
from graph_model.store.base import GraphStore, NodeRecord, Provenance, RelRecord, TraversalFilter, rel_id
from graph_model.store.memory import MemoryStore

RTP = Provenance("RTP", "rtp-1", "2026-01-02")
DSI = Provenance("DSI", "dsi-9", "2025-05-05")


def person(pid: str, *names: str, src: Provenance = RTP, **props: Any) -> NodeRecord:
    return NodeRecord("Person", pid, {"names": list(names), **props}, [src])


def transfer(txn: str, a: str, b: str, at: str, src: Provenance = RTP) -> RelRecord:
    props = {"txn_id": txn, "amount_thb": 1000.0, "at": at, "ts": 0, "channel": "MOBILE"}
    return RelRecord("TRANSFER", a, b, props, [src], discriminator=txn)


def case_nodes() -> list[NodeRecord]:
    acc = [
        NodeRecord("Account", f"acc:{i}", {"bank_code": "014", "account_no": f"00{i}"}, [RTP])
        for i in (1, 2, 3)
    ]
    return [
        person("per:a", "สมชาย ใจดี", "Somchai Jaidee"),
        person("per:b", "สมศรี ใจดี", src=DSI),
        person("per:c", "วิชัย รักไทย"),
        NodeRecord("Phone", "tel:1", {"number": "+66811111111"}, [RTP]),
        NodeRecord("Phone", "tel:hub", {"number": "+66899999999"}, [RTP]),
        NodeRecord("Organization", "org:1", {"names": ["บริษัท ทองคำ จำกัด"], "org_kind": "company"}, [DSI]),
        *acc,
        *(person(f"per:h{i}", f"hub member {i}") for i in range(1, 8)),
    ]


def case_rels() -> list[RelRecord]:
    return [
        RelRecord("HAS_PHONE", "per:a", "tel:1", {}, [RTP]),
        RelRecord("HAS_PHONE", "per:b", "tel:1", {}, [RTP]),
        RelRecord("EMPLOYED_BY", "per:a", "org:1", {"since": "2020-01-01"}, [DSI]),
        RelRecord("EMPLOYED_BY", "per:b", "org:1", {"since": "2024-05-01"}, [DSI]),
        RelRecord("FAMILY", "per:b", "per:c", {"relation": "sibling"}, [DSI]),
        RelRecord("HOLDS_ACCOUNT", "per:c", "acc:1", {}, [RTP]),
        transfer("t1", "acc:1", "acc:2", "2026-01-10T09:00:00+07:00"),
        transfer("t2", "acc:2", "acc:3", "2026-03-05T09:00:00+07:00"),
        transfer("t3", "acc:1", "acc:3", "2025-12-01T09:00:00+07:00"),
        transfer("t4", "acc:1", "acc:3", "2026-02-01T23:30:00+07:00", src=DSI),
        *(RelRecord("HAS_PHONE", f"per:h{i}", "tel:hub", {}, [RTP]) for i in range(1, 8)),
    ]


def load_case_graph(store: GraphStore) -> None:
    store.upsert_nodes(case_nodes())
    store.upsert_relationships(case_rels())


@pytest.fixture(scope="session")
def neo4j_store(neo4j_connection: tuple[str, str, str, str]) -> Iterator[GraphStore]:
    """One Neo4jStore for the session, schema created once (the server comes from tests/conftest.py)."""
    from graph_model.store.neo4j import Neo4jStore

    uri, user, password, database = neo4j_connection
    store = Neo4jStore(uri, user, password, database)
    store.ensure_schema()
    yield store
    store.clear()
    store.close()


@pytest.fixture(params=["memory", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def store(request: pytest.FixtureRequest) -> Iterator[GraphStore]:
    """An empty store of each kind; the Neo4j database is wiped before and after each test."""
    if request.param == "memory":
        yield MemoryStore()
        return
    neo: GraphStore = request.getfixturevalue("neo4j_store")
    neo.clear()
    yield neo
    neo.clear()


ALL_IDS = [n.id for n in case_nodes()] + ["per:x", "per:new", "tel:new"]


def snapshot(store: GraphStore) -> dict[str, Any]:
    return {"counts": store.counts(), "graph": store.subgraph(ALL_IDS).to_dict()}


def ids(sub: Any) -> list[str]:
    return [n.id for n in sub.nodes]


# -- upsert and merge ---------------------------------------------------------------------------
def test_node_merge_semantics(store: GraphStore) -> None:
    store.upsert_nodes([person("per:x", "A", sex="M")])
    store.upsert_nodes([person("per:x", "B", "A", sex=None, birth_year=1980, src=DSI)])
    node = store.get_entity("per:x")
    assert node is not None and node.type == "Person"
    assert node.props == {
        "names": ["A", "B"],
        "sex": "M",
        "birth_year": 1980,
        "sources": ["RTP|rtp-1|2026-01-02", "DSI|dsi-9|2025-05-05"],
        "agencies": ["DSI", "RTP"],
        "first_seen": "2025-05-05",
        "last_seen": "2026-01-02",
    }
    store.upsert_nodes([person("per:x", "C", sex="F")])  # newest non-null scalar wins; source already known
    node = store.get_entity("per:x")
    assert node is not None
    assert (node.props["sex"], node.props["names"], len(node.props["sources"])) == ("F", ["A", "B", "C"], 2)


def test_duplicate_ids_in_one_batch_merge_in_order(store: GraphStore) -> None:
    later = Provenance("AMLO", "a-1", "2026-06-30")
    assert store.upsert_nodes([person("per:x", "A", "A"), person("per:x", "B", src=later)]) == 2
    node = store.get_entity("per:x")
    assert node is not None
    assert node.props["names"] == ["A", "B"]
    assert node.props["agencies"] == ["AMLO", "RTP"]
    assert (node.props["first_seen"], node.props["last_seen"]) == ("2026-01-02", "2026-06-30")
    assert store.counts() == {"Person": 1}


def test_relationship_merge_and_provenance_union(store: GraphStore) -> None:
    load_case_graph(store)
    rid = rel_id("EMPLOYED_BY", "per:a", "org:1")
    store.upsert_relationships(
        [RelRecord("EMPLOYED_BY", "per:a", "org:1", {"work_province": "Ranong"}, [RTP])]
    )
    sub = store.subgraph(["per:a", "org:1"])
    assert [r.id for r in sub.relationships] == [rid]
    rel = sub.relationships[0]
    assert (rel.type, rel.source, rel.target) == ("EMPLOYED_BY", "per:a", "org:1")
    assert rel.props == {
        "since": "2020-01-01",
        "work_province": "Ranong",
        "sources": ["DSI|dsi-9|2025-05-05", "RTP|rtp-1|2026-01-02"],
        "agencies": ["DSI", "RTP"],
        "first_seen": "2025-05-05",
        "last_seen": "2026-01-02",
    }


def test_reupsert_is_idempotent(store: GraphStore) -> None:
    load_case_graph(store)
    before = snapshot(store)
    load_case_graph(store)
    assert snapshot(store) == before
    assert before["counts"] == {
        "Account": 3, "EMPLOYED_BY": 2, "FAMILY": 1, "HAS_PHONE": 9, "HOLDS_ACCOUNT": 1,
        "Organization": 1, "Person": 10, "Phone": 2, "TRANSFER": 4,
    }  # fmt: skip


def test_get_entities_sorted_and_missing_left_out(store: GraphStore) -> None:
    load_case_graph(store)
    assert [n.id for n in store.get_entities(["tel:1", "nope", "per:a"])] == ["per:a", "tel:1"]
    assert store.get_entity("nope") is None
    assert store.get_entity("tel:1").props["number"] == "+66811111111"  # type: ignore[union-attr]


# -- bad input ----------------------------------------------------------------------------------
BAD_NODES = [
    (NodeRecord("Suspect", "per:new", {}, [RTP]), "Suspect"),
    (NodeRecord("Person", "per:new", {"birth_year": "1980"}, [RTP]), "birth_year"),
    (NodeRecord("Person", "per:new", {"shoe_size": 42}, [RTP]), "shoe_size"),
    (NodeRecord("Person", "per:new", {"sex": "X"}, [RTP]), "sex"),
    (NodeRecord("Person", "per:new", {"sources": ["x"]}, [RTP]), "sources"),
    (NodeRecord("Phone", "tel:new", {}, [RTP]), "number"),
    (NodeRecord("Phone", "per:a", {"number": "+66800000000"}, [RTP]), "per:a"),
    (NodeRecord("Person", "per:new", {}, [Provenance("RTP", "r", "26/11/2026")]), "26/11/2026"),
]


@pytest.mark.parametrize(("bad", "named"), BAD_NODES, ids=[n for _, n in BAD_NODES])
def test_bad_node_batch_names_the_problem_and_writes_nothing(
    store: GraphStore, bad: NodeRecord, named: str
) -> None:
    load_case_graph(store)
    before = snapshot(store)
    with pytest.raises(SchemaError, match=named):
        store.upsert_nodes([person("per:a", "changed"), person("per:x", "new"), bad])
    assert snapshot(store) == before


BAD_RELS = [
    (RelRecord("KNOWS", "per:a", "per:b", {}, [RTP]), "KNOWS"),
    (RelRecord("HAS_PHONE", "per:a", "tel:missing", {}, [RTP]), "tel:missing"),
    (RelRecord("HAS_PHONE", "per:missing", "tel:1", {}, [RTP]), "per:missing"),
    (RelRecord("HAS_PHONE", "per:a", "per:b", {}, [RTP]), "target"),
    (transfer("t9", "acc:1", "acc:2", "yesterday"), "at"),
    (RelRecord("FAMILY", "per:a", "per:c", {"relation": "cousin"}, [RTP]), "relation"),
    (RelRecord("FAMILY", "per:a", "per:c", {"relation": "sibling", "mood": "x"}, [RTP]), "mood"),
    (RelRecord("FAMILY", "per:a", "per:c", {}, [RTP]), "relation"),
    # an id stored with other ends (on Neo4j after a load of new relationships: written blind first)
    (RelRecord("HAS_PHONE", "per:c", "tel:hub", {}, [RTP], id=case_rels()[0].id), "id already used by HAS_PHONE per:a -> tel:1"),
]


@pytest.mark.parametrize(("bad", "named"), BAD_RELS, ids=[n for _, n in BAD_RELS])
def test_bad_relationship_batch_names_the_problem_and_writes_nothing(
    store: GraphStore, bad: RelRecord, named: str
) -> None:
    load_case_graph(store)
    before = snapshot(store)
    good = [
        RelRecord("HAS_PHONE", "per:c", "tel:1", {}, [RTP]),
        RelRecord("HAS_PHONE", "per:a", "tel:1", {}, [DSI]),
    ]
    with pytest.raises(SchemaError, match=named):
        store.upsert_relationships([*good, bad])
    assert snapshot(store) == before


# -- batches calls ------------------------------------------------------------------------------
def test_batches_call_gives_what_one_call_per_batch_gives(store: GraphStore) -> None:
    """``upsert_*_batches`` against one call per batch; a node in two consecutive batches (merged by the
    second) and relationships in batches of three."""
    nodes, rels = case_nodes(), case_rels()
    again = person("per:a", "สมชาย ใจดี (เสี่ยหนุ่ย)", src=DSI)
    node_batches = [nodes[:5], [again, *nodes[5:9]], nodes[9:]]
    rel_batches = [rels[k:k + 3] for k in range(0, len(rels), 3)]
    reference = MemoryStore()
    for batch in node_batches:
        reference.upsert_nodes(batch)
    for rel_batch in rel_batches:
        reference.upsert_relationships(rel_batch)
    assert store.upsert_node_batches(iter(node_batches)) == len(nodes) + 1
    assert store.upsert_relationship_batches(iter(rel_batches)) == len(rels)
    assert snapshot(store) == snapshot(reference)
    got = store.get_entity("per:a")
    assert got is not None and got.props["names"] == ["สมชาย ใจดี", "Somchai Jaidee", "สมชาย ใจดี (เสี่ยหนุ่ย)"]


def test_failed_batch_leaves_the_earlier_batches_and_nothing_after(store: GraphStore) -> None:
    load_case_graph(store)
    nodes = [person(f"per:n{i}", f"ใหม่ {i}") for i in range(8)]
    bad = NodeRecord("Person", "per:bad", {"names": ["x"], "sex": "X"}, [RTP])
    with pytest.raises(SchemaError, match="per:bad") as raised:
        store.upsert_node_batches([nodes[:2], nodes[2:4], [*nodes[4:6], bad], nodes[6:]])
    assert "in batch 2 (counted from 0)" in "".join(raised.value.__notes__)
    assert [n.id for n in store.get_entities(n.id for n in nodes)] == [f"per:n{i}" for i in range(4)]
    rels = [RelRecord("HAS_PHONE", f"per:n{i}", "tel:1", {}, [RTP]) for i in range(4)]
    missing = RelRecord("HAS_PHONE", "per:n1", "tel:missing", {}, [RTP])
    before = store.counts()
    with pytest.raises(SchemaError, match="tel:missing") as raised:
        store.upsert_relationship_batches([rels[:2], [rels[2], missing], rels[3:]])
    assert "in batch 1 (counted from 0)" in "".join(raised.value.__notes__)
    assert store.counts()["HAS_PHONE"] == before["HAS_PHONE"] + 2


# -- neighbourhood ------------------------------------------------------------------------------
def test_neighbourhood_one_and_two_hops(store: GraphStore) -> None:
    load_case_graph(store)
    one = store.neighbourhood(["per:a"], hops=1)
    assert ids(one) == ["org:1", "per:a", "tel:1"]
    assert [(r.type, r.source, r.target) for r in one.relationships] == sorted(
        [("EMPLOYED_BY", "per:a", "org:1"), ("HAS_PHONE", "per:a", "tel:1")],
        key=lambda t: rel_id(*t),
    )
    two = store.neighbourhood(["per:a"], hops=2)
    assert ids(two) == ["org:1", "per:a", "per:b", "tel:1"]
    assert len(two.relationships) == 4 and two.truncated == {}
    three = store.neighbourhood(["per:a", "acc:3"], hops=3)
    assert ids(three) == ["acc:1", "acc:2", "acc:3", "org:1", "per:a", "per:b", "per:c", "tel:1"]


@pytest.mark.parametrize(
    ("flt", "expected"),
    [
        (TraversalFilter(node_types=frozenset({"Phone", "Person"})), ["per:a", "per:b", "per:c", "tel:1"]),
        (
            TraversalFilter(rel_types=frozenset({"EMPLOYED_BY", "FAMILY"})),
            ["org:1", "per:a", "per:b", "per:c"],
        ),
        (TraversalFilter(agencies=frozenset({"DSI"})), ["org:1", "per:a", "per:b"]),
        (TraversalFilter(date_to="2023-12-31"), ["acc:1", "org:1", "per:a", "per:b", "per:c", "tel:1"]),
        (
            TraversalFilter(date_from="2026-02-01", date_to="2026-02-01"),
            ["acc:1", "acc:3", "per:a", "per:b", "per:c", "tel:1"],
        ),
        (
            TraversalFilter(date_from="2026-01-01"),
            ["acc:1", "acc:2", "acc:3", "per:a", "per:b", "per:c", "tel:1"],
        ),
    ],
    ids=["node_types", "rel_types", "agencies", "date_to", "one_day", "date_from"],
)
def test_neighbourhood_filters(store: GraphStore, flt: TraversalFilter, expected: list[str]) -> None:
    load_case_graph(store)
    sub = store.neighbourhood(["per:a"], hops=6, flt=flt)
    assert ids(sub) == expected
    for rel in sub.relationships:
        assert rel.source in expected and rel.target in expected


def test_neighbourhood_date_filter_drops_out_of_range_parallel_transfers(store: GraphStore) -> None:
    load_case_graph(store)
    sub = store.neighbourhood(
        ["acc:1"], hops=1, flt=TraversalFilter(date_from="2026-02-01", date_to="2026-02-01")
    )
    assert sorted(r.props["txn_id"] for r in sub.relationships if r.type == "TRANSFER") == ["t4"]


def test_hub_paging_in_id_order(store: GraphStore) -> None:
    load_case_graph(store)
    pages = [store.neighbourhood(["tel:hub"], hops=1, limit_per_node=3, offset=o) for o in (0, 3, 6)]
    assert [ids(p) for p in pages] == [
        ["per:h1", "per:h2", "per:h3", "tel:hub"],
        ["per:h4", "per:h5", "per:h6", "tel:hub"],
        ["per:h7", "tel:hub"],
    ]
    assert all(p.truncated == {"tel:hub": 7} for p in pages)
    assert [len(p.relationships) for p in pages] == [3, 3, 1]
    whole = store.neighbourhood(["tel:hub"], hops=1, limit_per_node=7)
    assert whole.truncated == {} and len(whole.nodes) == 8
    two = store.neighbourhood(["per:h1"], hops=2, limit_per_node=2)
    assert ids(two) == ["per:h1", "per:h2", "tel:hub"] and two.truncated == {"tel:hub": 7}


def test_hub_on_the_way_is_counted_not_expanded(store: GraphStore) -> None:
    """A node reached on the way with more than ``hub_degree`` relationships joins the result unexpanded,
    with its relationship count; as a seed it is paged as usual; ``None`` expands every node."""
    load_case_graph(store)
    around = store.neighbourhood(["per:h1"], hops=2, hub_degree=6)
    assert ids(around) == ["per:h1", "tel:hub"] and around.truncated == {"tel:hub": 7}
    assert len(around.relationships) == 1
    assert ids(store.neighbourhood(["per:h1"], hops=2, hub_degree=7)) == [f"per:h{i}" for i in range(1, 8)] + ["tel:hub"]
    assert ids(store.neighbourhood(["per:h1"], hops=2, hub_degree=None)) == [f"per:h{i}" for i in range(1, 8)] + ["tel:hub"]
    seeded = store.neighbourhood(["tel:hub"], hops=1, limit_per_node=3, hub_degree=6)
    assert ids(seeded) == ["per:h1", "per:h2", "per:h3", "tel:hub"] and seeded.truncated == {"tel:hub": 7}
    whole = store.neighbourhood(["tel:hub"], hops=1, limit_per_node=50, hub_degree=6)  # a seed, all on one page
    assert len(whole.nodes) == 8 and whole.truncated == {}


# -- paths --------------------------------------------------------------------------------------
def path_ids(paths: list[Any]) -> list[list[str]]:
    return [p.nodes for p in paths]


def test_shortest_path_ties_broken_by_node_ids(store: GraphStore) -> None:
    load_case_graph(store)
    assert path_ids(store.shortest_paths("per:a", "per:b")) == [["per:a", "org:1", "per:b"]]
    both = store.shortest_paths("per:b", "per:a", k=5)
    assert path_ids(both) == [["per:b", "org:1", "per:a"], ["per:b", "tel:1", "per:a"]]
    assert [r.type for r in both[1].relationships] == ["HAS_PHONE", "HAS_PHONE"]
    phones = store.shortest_paths("per:a", "per:b", flt=TraversalFilter(rel_types=frozenset({"HAS_PHONE"})))
    assert path_ids(phones) == [["per:a", "tel:1", "per:b"]]


def test_k_shortest_paths_over_lengths_and_parallel_edges(store: GraphStore) -> None:
    load_case_graph(store)
    paths = store.shortest_paths("per:c", "acc:3", k=3)
    assert path_ids(paths) == [["per:c", "acc:1", "acc:3"], ["per:c", "acc:1", "acc:2", "acc:3"]]
    parallel = paths[0].relationships[1]
    assert parallel.id == min(rel_id("TRANSFER", "acc:1", "acc:3", t) for t in ("t3", "t4"))
    dated = store.shortest_paths("per:c", "acc:3", k=3, flt=TraversalFilter(date_from="2026-01-15"))
    assert path_ids(dated) == [["per:c", "acc:1", "acc:3"]]
    assert dated[0].relationships[1].props["txn_id"] == "t4"
    assert store.shortest_paths("per:a", "acc:3", max_hops=4) == []
    assert path_ids(store.shortest_paths("per:a", "acc:3", max_hops=5)) == [
        ["per:a", "org:1", "per:b", "per:c", "acc:1", "acc:3"]
    ]
    assert store.shortest_paths("per:a", "missing") == []
    assert path_ids(store.shortest_paths("per:a", "per:a")) == [["per:a"]]
    blocked = TraversalFilter(node_types=frozenset({"Person"}))
    assert store.shortest_paths("per:a", "per:b", flt=blocked) == []


# -- subgraph, counts, clear --------------------------------------------------------------------
def test_subgraph_and_counts_and_clear(store: GraphStore) -> None:
    load_case_graph(store)
    sub = store.subgraph(["per:a", "per:b", "tel:1", "missing"])
    assert ids(sub) == ["per:a", "per:b", "tel:1"]
    assert sorted((r.source, r.target) for r in sub.relationships) == [("per:a", "tel:1"), ("per:b", "tel:1")]
    assert [r.id for r in sub.relationships] == sorted(r.id for r in sub.relationships)
    assert sum(store.counts().values()) == len(case_nodes()) + len(case_rels())
    store.clear()
    assert store.counts() == {}
    assert store.get_entity("per:a") is None


def test_memory_round_trip(tmp_path: Any) -> None:
    store = MemoryStore()
    load_case_graph(store)
    store.save(tmp_path / "g")
    store.upsert_nodes([person("per:x", "later")])
    store.save(tmp_path / "g")  # overwrite in place
    loaded = MemoryStore.load(tmp_path / "g")
    assert snapshot(loaded) == snapshot(store)
    assert (
        loaded.neighbourhood(["tel:hub"], limit_per_node=3).to_dict()
        == store.neighbourhood(["tel:hub"], limit_per_node=3).to_dict()
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["g"]  # no temporary directory left behind
    loaded.upsert_relationships([RelRecord("HAS_PHONE", "per:x", "tel:1", {}, [RTP])])
    assert loaded.counts()["HAS_PHONE"] == 10


@pytest.mark.neo4j
def test_thai_full_text_search_on_names(neo4j_store: GraphStore) -> None:
    """The ``entity_names`` index (Thai analyzer) finds Thai words, phrases, Latin names and alias parts.

    The analyzer cuts Thai text into dictionary words (สมชาย -> สม ชาย), so a bare สมชาย also scores
    สมศรี (shared word สม); quoting asks for the words in sequence."""
    import time

    from graph_model.store.neo4j import Neo4jStore

    assert isinstance(neo4j_store, Neo4jStore)
    neo4j_store.clear()
    neo4j_store.upsert_nodes(
        [
            person("per:a", "สมชาย ใจดี", "Somchai Jaidee", aliases=["เสี่ยหนุ่ย"]),
            person("per:b", "สมศรี มั่นคง"),
            NodeRecord("Organization", "org:1", {"names": ["บริษัท ทองคำ จำกัด"]}, [RTP]),
        ]
    )
    cases = {
        '"สมชาย"': ["per:a"], "ใจดี": ["per:a"], "สม*": ["per:a", "per:b"], '"สมชาย ใจดี"': ["per:a"], "jaidee": ["per:a"],
        "ทองคำ": ["org:1"], "มั่นคง": ["per:b"], "*หนุ่ย": ["per:a"], "ใจงาม": [],
    }  # fmt: skip
    query = "CALL db.index.fulltext.queryNodes('entity_names', $q) YIELD node RETURN node.id AS id ORDER BY id"
    deadline = time.monotonic() + 20  # the index is eventually consistent
    while neo4j_store.run(query, {"q": "สมชาย"}) == [] and time.monotonic() < deadline:
        time.sleep(0.2)
    got = {q: [r["id"] for r in neo4j_store.run(query, {"q": q})] for q in cases}
    assert got == cases
    neo4j_store.clear()


@pytest.mark.neo4j
def test_neo4j_refuses_to_write_without_the_id_constraints(
    neo4j_store: GraphStore, neo4j_connection: tuple[str, str, str, str]
) -> None:
    """Without the id constraints every lookup scans a label: a new store checks once before writing."""
    from graph_model.store.neo4j import Neo4jStore

    assert isinstance(neo4j_store, Neo4jStore)
    neo4j_store.clear()
    neo4j_store.write("DROP CONSTRAINT family_id")
    fresh = Neo4jStore(*neo4j_connection)
    try:
        with pytest.raises(SchemaError, match=r"family_id.*ensure_schema"):
            fresh.upsert_nodes([person("per:x", "A")])
        assert fresh.counts() == {}
        fresh.ensure_schema()  # puts the constraint back
        assert fresh.upsert_nodes([person("per:x", "A")]) == 1
    finally:
        neo4j_store.ensure_schema()
        fresh.close()
        neo4j_store.clear()
