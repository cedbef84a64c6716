"""FollowTheMoney in and out: the donations fixture imported, built into a graph, exported and read back."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from graph_model.build import build_graph
from graph_model.export.ftm import export_ftm
from graph_model.store.memory import MemoryStore
from ingest.ftm import import_ftm, read_ftm
from ingest.store import RecordStore

DONATIONS = Path(__file__).resolve().parents[3] / "shared" / "datasets" / "ftm-donations" / "donations.ijson"
pytestmark = pytest.mark.skipif(not DONATIONS.exists(), reason="shared FtM fixture not present")


def test_donations_import() -> None:
    source = Counter(json.loads(line)["schema"] for line in DONATIONS.read_text(encoding="utf-8").splitlines())
    records = list(read_ftm(DONATIONS))
    kinds = Counter((r.entity_type, r.part) for r in records)
    assert kinds[("Person", "entity")] == source["Person"]
    assert kinds[("Organization", "entity")] == source["Company"] + source["Organization"]
    assert kinds[("Location", "address")] == source["Address"]
    transfers = [ln for r in records for ln in r.links if ln.rel_type == "TRANSFER"]
    assert len(transfers) == source["Payment"]
    assert all(r.props.get("ftm_id") for r in records if r.part == "entity")
    first = next(t for t in transfers if t.props["txn_id"] == "2216b422a31242fe204654ce194864661f515921")
    assert first.props["amount_thb"] == 100000 * 38.5 and first.props["at"] == "2011-12-29T00:00:00+07:00"
    assert "EUR 100000.00" in first.props["memo"]


def test_round_trip_through_the_graph(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    n = import_ftm(DONATIONS, ws, run_date="2026-11-26")
    with RecordStore(ws) as store:
        assert store.count() == n
        records = list(store.iter_records())
    graph = MemoryStore()
    report = build_graph(lambda: records, {}, graph)
    assert not report.skipped, report.examples
    out = tmp_path / "graph.ftm.json"
    written = export_ftm(graph, out)
    entities = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(entities) == written
    schemas = Counter(e["schema"] for e in entities)
    source = Counter(json.loads(line)["schema"] for line in DONATIONS.read_text(encoding="utf-8").splitlines())
    assert schemas["Payment"] == source["Payment"] and schemas["Person"] == source["Person"]
    payments = {e["properties"]["transactionNumber"][0]: e for e in entities if e["schema"] == "Payment"}
    pay = payments["2216b422a31242fe204654ce194864661f515921"]
    assert pay["properties"]["amount"] == ["3850000.00"] and pay["properties"]["currency"] == ["THB"]
    # the exported file is FtM again: our own importer reads it back with every payment
    again = list(read_ftm(out))
    assert sum(ln.rel_type == "TRANSFER" for r in again for ln in r.links) == source["Payment"]
    people = {e["id"]: e for e in entities if e["schema"] == "Person"}
    assert any(p["properties"].get("addressEntity") for p in people.values())
