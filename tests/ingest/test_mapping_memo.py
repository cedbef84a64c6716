"""Values and link targets worked out once per distinct cell text give every row what a fresh run gives it."""

from __future__ import annotations

from typing import Any

import pytest

from ingest.mapping import apply_row
from ingest.mapping.evaluate import _PARSED
from ingest.mapping.load import MAPPINGS_DIR, load_mapping
from ingest.records import SourceRecord

ROW = {"เลขคดี": "สภ.แม่สอด 123/2561", "บทบาท": "ผู้ต้องหา", "ชื่อ-สกุล": "นายสมชาย ใจดี", "ชื่อเล่น/ฉายา": "",
       "เลขประจำตัว": "1-1007-00123-45-4", "วันเกิด": "05/08/2531", "อายุ": "", "สัญชาติ": "ไทย",
       "โทรศัพท์": "081-234-5678/02-123-4567", "ที่อยู่": "", "ถูกจับกุม": "Y", "ทะเบียนรถ": ""}


def _map(row: dict[str, Any], n: int) -> list[SourceRecord]:
    m = load_mapping(MAPPINGS_DIR / "rtp_case_persons.yaml")
    return apply_row(m, row, source_file="rtp_case_persons.csv", row_no=n, extra_keys=(f"#{n}",))


def _view(records: list[SourceRecord]) -> list[tuple[Any, ...]]:
    return [(r.part, r.entity_type, r.key, r.props, r.flags,
             [(ln.rel_type, ln.target_key, ln.target_props, ln.props) for ln in r.links]) for r in records]


@pytest.mark.parametrize("column", ["วันเกิด", "เลขประจำตัว", "โทรศัพท์"])
def test_a_repeated_cell_gives_the_same_values_and_flags_as_its_first_sight(column: str) -> None:
    row = {**ROW, column: {"วันเกิด": "06/09/2532", "เลขประจำตัว": "3-1007-00123-45-1",
                           "โทรศัพท์": "089-111-2222"}[column]}
    _PARSED.clear()
    first = _view(_map(row, 1))
    again = _view(_map(row, 2))  # every spec and target of this row is now remembered
    assert again == first
    _PARSED.clear()
    assert _view(_map(row, 3)) == first


def test_flags_of_a_remembered_cell_are_noted_on_every_record() -> None:
    first, second = _map(ROW, 1), _map(ROW, 2)
    person1, person2 = first[0], second[0]
    assert "birth_date:ambiguous_day_month" in person1.flags  # 05/08: day and month both possible
    assert person2.flags == person1.flags
    assert [ln.target_key for ln in person2.links if ln.rel_type == "HAS_PHONE"] == \
        [ln.target_key for ln in person1.links if ln.rel_type == "HAS_PHONE"]
    assert len([ln for ln in person1.links if ln.rel_type == "HAS_PHONE"]) == 2


def test_records_of_two_rows_share_no_mutable_values() -> None:
    first, second = _map(ROW, 1), _map(ROW, 2)
    first[0].props["phones"].append("+66000000000")
    first[0].props["name_keys"].clear()
    phone1 = next(ln for ln in first[0].links if ln.rel_type == "HAS_PHONE")
    phone1.target_props["number"] = "changed"
    third = _map(ROW, 3)
    assert third[0].props["phones"] == second[0].props["phones"] != first[0].props["phones"]
    assert third[0].props["name_keys"] == second[0].props["name_keys"] != []
    assert next(ln for ln in third[0].links if ln.rel_type == "HAS_PHONE").target_props["number"] != "changed"
