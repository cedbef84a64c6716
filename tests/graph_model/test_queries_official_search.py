"""The officials' search: hubs are not walked through (on both stores alike), and pruning by the distance to
the nearest suspect finds exactly the paths of the full breadth-first search."""

from __future__ import annotations

import random
from collections.abc import Iterator

import networkx as nx
import pytest
from queries_world import BACKENDS, open_world

from graph_model.queries._official_search import LINK_RELS, official_paths, suspects_of
from graph_model.queries.corruption import official_links
from graph_model.store.base import GraphStore, NodeRecord, Provenance, RelRecord

OFFICIAL, SUSPECT, HUB_OFFICIAL, HUB_SUSPECT = "per:official", "per:suspect", "per:hub_official", "per:hub_suspect"
ADDRESS = "loc:district"  # the official's and the suspect's address, shared by many residents


def _build(store: GraphStore) -> None:
    src = [Provenance("DOPA", "r1", "2024-06-01")]
    residents = [f"per:resident{i}" for i in range(5)]
    nodes = [NodeRecord("Person", p, {"names": [p[4:]]}, src)
             for p in (OFFICIAL, SUSPECT, HUB_OFFICIAL, HUB_SUSPECT, *residents)]
    nodes += [NodeRecord("Location", ADDRESS, {"name": "district"}, src),
              NodeRecord("Case", "case:1", {"case_no": "1/2567", "case_kind": "police"}, src),
              NodeRecord("Phone", "tel:+66800000001", {"number": "+66800000001"}, src),
              NodeRecord("Phone", "tel:+66800000002", {"number": "+66800000002"}, src)]
    rels = [RelRecord("HAS_ADDRESS", p, ADDRESS, {}, src) for p in (OFFICIAL, SUSPECT, *residents)]
    rels += [RelRecord("ROLE_IN", s, "case:1", {"role": "suspect"}, src) for s in (SUSPECT, HUB_SUSPECT)]
    rels += [RelRecord("ROLE_IN", o, "case:1", {"role": "official"}, src) for o in (OFFICIAL, HUB_OFFICIAL)]
    # the hub official shares a phone with a resident, the resident one with the hub suspect
    rels += [RelRecord("HAS_PHONE", HUB_OFFICIAL, "tel:+66800000001", {}, src),
             RelRecord("HAS_PHONE", residents[0], "tel:+66800000001", {}, src),
             RelRecord("HAS_PHONE", residents[0], "tel:+66800000002", {}, src),
             RelRecord("HAS_PHONE", HUB_SUSPECT, "tel:+66800000002", {}, src)]
    # each of the two is a hub itself: many addresses on record
    for who in (HUB_OFFICIAL, HUB_SUSPECT):
        for i in range(8):
            nodes.append(NodeRecord("Location", f"loc:{who[4:]}{i}", {"name": str(i)}, src))
            rels.append(RelRecord("HAS_ADDRESS", who, f"loc:{who[4:]}{i}", {}, src))
    store.upsert_nodes(nodes)
    store.upsert_relationships(rels)


@pytest.fixture(scope="module", params=BACKENDS)
def hub_world(request: pytest.FixtureRequest) -> Iterator[GraphStore]:
    store = open_world(request.param, request, _build)
    yield store
    store.close()


def test_a_hub_is_not_walked_through_but_may_start_or_end_a_path(hub_world: GraphStore) -> None:
    # the district has 7 residents (+ its own links): above a hub degree of 6, not walked through
    hits = {h.entity_id: h for h in official_links(hub_world, hub_degree=6)}
    assert OFFICIAL not in hits
    # the hub official (10 links) is expanded as the start; the hub suspect (10 links) ends its path
    assert hits[HUB_OFFICIAL].path == [HUB_OFFICIAL, "tel:+66800000001", "per:resident0", "tel:+66800000002",
                                       HUB_SUSPECT]
    everything = {h.entity_id: h for h in official_links(hub_world, hub_degree=None)}
    assert everything[OFFICIAL].path == [OFFICIAL, ADDRESS, SUSPECT] and everything[OFFICIAL].links == ["address"]
    assert everything[HUB_OFFICIAL].distance == 4


@pytest.mark.neo4j
def test_hub_rule_same_on_both_stores(request: pytest.FixtureRequest) -> None:
    mem, neo = open_world("memory", request, _build), open_world("neo4j", request, _build)
    try:
        for hub in (6, None):
            a = [h.to_dict() for h in official_links(mem, hub_degree=hub)]
            assert a == [h.to_dict() for h in official_links(neo, hub_degree=hub)] and a
    finally:
        mem.close()
        neo.close()


def _random_world(seed: int) -> tuple[nx.MultiDiGraph, list[str], set[str]]:
    """A sparse random graph of linking relationships with a few officials and suspects."""
    rng = random.Random(seed)
    g = nx.MultiDiGraph()
    n = 300
    for i in range(n):
        g.add_node(f"n{i:03d}", type="Person")
    kinds = sorted(LINK_RELS)
    for j in range(420):
        a, b = rng.sample(range(n), 2)
        g.add_edge(f"n{a:03d}", f"n{b:03d}", key=f"r{j}", type=rng.choice(kinds))
    hubs = rng.sample(range(n), 3)
    for h in hubs:  # a few well-connected nodes, as addresses are
        for b in rng.sample(range(n), 25):
            g.add_edge(f"n{b:03d}", f"n{h:03d}", key=f"h{h}-{b}", type="HAS_ADDRESS")
    nodes = sorted(g.nodes)
    officials = sorted(rng.sample(nodes, 15))
    suspects = set(rng.sample(nodes, 12))
    for s in suspects:
        g.add_edge(s, "case:x", key=f"role-{s}", type="ROLE_IN", role="suspect")
    return g, officials, suspects


@pytest.mark.parametrize("seed", range(6))
def test_pruning_by_distance_to_suspects_finds_the_paths_of_the_full_search(seed: int) -> None:
    g, officials, suspects = _random_world(seed)
    assert suspects_of(g, ["suspect"]) == suspects
    for hub in (None, 20):
        full = official_paths(g, officials, suspects, 5, hub, reach=0)
        assert sum(len(p) for p in full.values()) > len(officials)  # the search finds something to compare
        for reach in (1, 2, 3, 4):
            assert official_paths(g, officials, suspects, 5, hub, reach=reach) == full
