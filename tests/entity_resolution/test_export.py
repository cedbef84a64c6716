"""The resolution export: one row per source record, entity ids that agree with the graph build."""

from __future__ import annotations

import csv
from pathlib import Path

from entity_resolution import export_resolution, resolve
from entity_resolution.ids import ID_PREFIX
from graph_model.model import load_schema
from ingest.records import Link, SourceRecord


def _records() -> list[SourceRecord]:
    return [
        SourceRecord("oag:1", "OAG", "oag_prosecutions.csv", "defendant", "Person", row=1,
                     props={"names": ["นายสมชาย ใจดี"], "thai_id": "1100700123455"},
                     links=[Link("ROLE_IN", target_part="prosecution", target_record_id="oag:1c")]),
        SourceRecord("oag:1c", "OAG", "oag_prosecutions.csv", "prosecution", "Case", row=1, key="COJ-BLACK:อ.1/2561"),
        SourceRecord("coj:1", "COJ", "coj_judgments.xlsx", "defendant", "Person", row=1,
                     props={"names": ["สมชาย ใจดี"]},
                     links=[Link("ROLE_IN", target_part="case", target_record_id="coj:1c")]),
        SourceRecord("coj:1c", "COJ", "coj_judgments.xlsx", "case", "Case", row=1, key="COJ-BLACK:อ.1/2561"),
        SourceRecord("dga:1", "AMLO", "amlo_accounts.csv", "account", "Account", exchange_id="x-1",
                     key="004-1234567890"),
        SourceRecord("dga:2", "AMLO", "amlo_accounts.csv", "holder", "Organization", exchange_id="x-1",
                     props={"names": ["บริษัท ทองดี จำกัด"], "registration_no": "0105561012346"}),
    ]


def test_every_record_has_a_row(tmp_path: Path) -> None:
    res = resolve(_records(), tmp_path / "res")
    path = export_resolution(res, tmp_path / "resolution.csv")
    with path.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0]) == ["agency", "file", "row", "exchange_id", "part", "record_id", "entity_type", "entity_id"]
    by_id = {r["record_id"]: r for r in rows}
    assert set(by_id) == {r.record_id for r in _records()}
    assert by_id["oag:1"]["entity_id"] == by_id["coj:1"]["entity_id"]  # same black case, same name
    assert by_id["oag:1c"]["entity_id"] == "case:COJ-BLACK:อ.1/2561"
    assert by_id["dga:1"]["entity_id"] == "acc:004-1234567890" and by_id["dga:1"]["row"] == ""
    assert by_id["dga:1"]["exchange_id"] == "x-1"
    assert by_id["dga:2"]["entity_id"].startswith("org:")
    # the same export from the saved resolution directory (what the CLI does)
    again = export_resolution(tmp_path / "res", tmp_path / "again.csv")
    assert again.read_text(encoding="utf-8") == path.read_text(encoding="utf-8")


def test_id_prefixes_match_the_schema() -> None:
    schema = load_schema()
    for name, node in schema.nodes.items():
        assert ID_PREFIX[name] == node.id_prefix
