"""The graph build: records and their resolution become nodes and relationships with provenance."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from entity_resolution.ids import ID_PREFIX
from graph_model.build import build_graph, pseudonym
from graph_model.model import load_schema
from graph_model.store.base import RelRecord
from graph_model.store.memory import MemoryStore
from ingest.records import Link, SourceRecord


def test_id_prefixes_match_the_schema() -> None:
    schema = load_schema()
    assert {name: nt.id_prefix for name, nt in schema.nodes.items()} == ID_PREFIX


def _records() -> list[SourceRecord]:
    case = SourceRecord(
        record_id="rtp:case1", agency="RTP", source_file="rtp_case_persons.csv", row=1, part="case",
        entity_type="Case", key="RTP:สภ.แม่สอด:123/2561",
        props={"case_no": "RTP:สภ.แม่สอด:123/2561", "case_no_raw": ["สภ.แม่สอด 123/2561"], "agency": "RTP"},
        last_seen="2026-11-20",
    )
    suspect = SourceRecord(
        record_id="rtp:p1", agency="RTP", source_file="rtp_case_persons.csv", row=1, part="person",
        entity_type="Person", props={"names": ["สมชาย ใจดี"], "thai_id": "1100700123456", "sex": "M",
                                     "birth_date": "1980-08-15", "extra_er_field": 1},
        last_seen="2026-11-20",
        links=[
            Link("ROLE_IN", target_part="case", target_record_id="rtp:case1", props={"role": "suspect"}),
            Link("HAS_PHONE", target_type="Phone", target_key="+66812345678",
                 target_props={"number": "+66812345678", "raw": ["081-234-5678"]}),
        ],
    )
    same_person_dsi = SourceRecord(
        record_id="dsi:s1", agency="DSI", source_file="dsi_special_cases.json", row=1, part="suspect:1",
        entity_type="Person", props={"names": ["Somchai Jaidee"], "sex": "X"}, last_seen="2026-11-21",
        links=[Link("HAS_PHONE", target_type="Phone", target_key="+66812345678",
                    target_props={"number": "+66812345678"})],
    )
    child = SourceRecord(
        record_id="dopa:c1", agency="DOPA", source_file="dopa_population.csv", row=7, part="person",
        entity_type="Person", props={"names": ["สมหญิง ใจดี"]}, last_seen="2026-11-22",
        links=[
            Link("FAMILY", target_type="Person", target_key="thai_id:1100700123456", props={"relation": "father"}),
            Link("FAMILY", target_type="Person", target_key="thai_id:3333333333333", props={"relation": "mother"}),
        ],
    )
    return [case, suspect, same_person_dsi, child]


def test_build_merges_records_of_one_entity_and_keeps_every_source() -> None:
    store = MemoryStore()
    resolution = {"rtp:p1": "per:somchai", "dsi:s1": "per:somchai", "dopa:c1": "per:child"}
    report = build_graph(_records, resolution, store)
    person = store.get_entity("per:somchai")
    assert person is not None
    assert person.props["names"] == ["สมชาย ใจดี", "Somchai Jaidee"]
    assert person.props["pseudonym"] == pseudonym("per:somchai")
    assert person.props["agencies"] == ["DSI", "RTP"]
    assert {s.split("|")[1] for s in person.props["sources"]} == {"rtp:p1", "dsi:s1"}
    assert "extra_er_field" not in person.props
    phone = store.get_entity("tel:+66812345678")
    assert phone is not None and phone.props["number"] == "+66812345678"
    counts = store.counts()
    assert counts["HAS_PHONE"] == 1  # two records assert the same relationship
    assert counts["ROLE_IN"] == 1 and counts["FAMILY"] == 1
    # the bad sex value and the unknown mother are left out and reported, the rest is written
    assert report.skipped["property does not fit the schema"] == 1
    assert report.skipped["reference to an unknown person or organisation"] == 1


def test_build_twice_gives_the_same_graph() -> None:
    store = MemoryStore()
    resolution = {"rtp:p1": "per:somchai", "dsi:s1": "per:somchai", "dopa:c1": "per:child"}
    build_graph(_records, resolution, store)
    first = store.subgraph([n for n in store.graph.nodes]).to_dict()
    build_graph(_records, resolution, store)
    assert store.subgraph([n for n in store.graph.nodes]).to_dict() == first


@pytest.mark.parametrize("batch_size", [1, 2, 1000])
def test_batch_size_does_not_change_the_result(batch_size: int) -> None:
    resolution = {"rtp:p1": "per:somchai", "dsi:s1": "per:somchai", "dopa:c1": "per:child"}
    reference = MemoryStore()
    build_graph(_records, resolution, reference)
    store = MemoryStore()
    build_graph(_records, resolution, store, batch_size=batch_size)
    ids = list(reference.graph.nodes)
    assert store.subgraph(ids).to_dict() == reference.subgraph(ids).to_dict()


@pytest.mark.parametrize(("batch_size", "node_buffer"), [(1, 1), (1, 3), (2, 2), (1000, 1)])
def test_background_writes_and_node_buffer_give_the_same_graph(batch_size: int, node_buffer: int) -> None:
    resolution = {"rtp:p1": "per:somchai", "dsi:s1": "per:somchai", "dopa:c1": "per:child"}
    reference = MemoryStore()
    reference_report = build_graph(_records, resolution, reference, background_writes=False)
    store = MemoryStore()
    report = build_graph(_records, resolution, store, batch_size=batch_size, node_buffer=node_buffer,
                         background_writes=True)
    ids = list(reference.graph.nodes)
    assert store.subgraph(ids).to_dict() == reference.subgraph(ids).to_dict()
    assert store.counts() == reference.counts()
    assert report.skipped == reference_report.skipped


def test_a_failed_background_write_is_raised() -> None:
    class Failing(MemoryStore):
        def upsert_relationships(self, rels: Sequence[RelRecord]) -> int:
            raise RuntimeError("database went away")

    resolution = {"rtp:p1": "per:somchai", "dsi:s1": "per:somchai", "dopa:c1": "per:child"}
    with pytest.raises(RuntimeError, match="database went away"):
        build_graph(_records, resolution, Failing(), batch_size=1, background_writes=True)
