"""Person or organisation per row: a 13-digit number starting with 0 reads as a company registration, but a
name with a civil title is a person's (a Thai ID with a mistyped first digit), in all three mappings that
decide it, row by row and column by column alike."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.mapping import MappingError, apply_row, load_mapping, load_mappings
from ingest.mapping.columnar import map_chunk

_ROWS = {
    "amlo_accounts": ("holder", "account_name", "holder_id_no",
                      {"bank_code": "030", "bank_name": "ธนาคารออมสิน", "account_no": "148-9-23216-4",
                       "opened_date": "2017-04-11", "promptpay_ids": ""}),
    "amlo_reports": ("subject", "subject_name", "subject_id_no",
                     {"report_id": "STR-000001", "report_type": "STR", "bank_code": "011",
                      "account_no": "9706424520", "report_date": "2022-06-27", "reason": "x",
                      "linked_case_no": ""}),
    "dopa_migrant_workers": ("employer", "employer_name", "employer_id_no",
                             {"pink_card_no": "0060661557379", "name_en": "U NAING MYAT",
                              "nationality": "เมียนมา", "birth_date": "1983-12-12", "work_province": "จันทบุรี",
                              "registered_date": "13/06/2560"}),
}

# name, id number -> entity type, thai_id, thai_id_valid, registration_no
CASES = [
    ("นางชนัญญา ปิติเสรีวงศ์", "0100275055873", "Person", "0100275055873", False, None),  # mistyped Thai ID
    ("นายหม่องลวินพยู", "0-1225-96223-69-6", "Person", "0122596223696", False, None),
    ("Mr Somchai Jaidee", "0105561012346", "Person", "0105561012346", False, None),  # check digit right
    ("สยามซีฟู้ด", "0105561012346", "Organization", None, None, "0105561012346"),
    ("บริษัท สยามซีฟู้ด จำกัด", "0105561012346", "Organization", None, None, "0105561012346"),
    ("นายสมชาย การประมง จำกัด", "0105561012346", "Organization", None, None, "0105561012346"),  # a company name
    ("Ms Trading Co., Ltd.", "0105561012346", "Organization", None, None, "0105561012346"),
    ("นายวีรพล หนูสงวน", "3341506056263", "Person", "3341506056263", True, None),
    ("นายวีรพล หนูสงวน", "3341506056264", "Person", "3341506056264", False, None),
    ("นายวีรพล หนูสงวน", "", "Person", None, None, None),
]


@pytest.mark.parametrize("mapping_name", sorted(_ROWS))
@pytest.mark.parametrize(("name", "number", "entity", "thai_id", "valid", "registration"), CASES)
def test_titled_name_with_company_number_is_a_person(mapping_name: str, name: str, number: str, entity: str,
                                                      thai_id: str | None, valid: bool | None,
                                                      registration: str | None) -> None:
    m = load_mappings()[mapping_name]
    part, name_col, id_col, rest = _ROWS[mapping_name]
    row = {**rest, name_col: name, id_col: number}
    [holder] = [r for r in apply_row(m, row, source_file=f"{mapping_name}.csv", row_no=1) if r.part == part]
    assert (holder.entity_type, holder.props.get("thai_id"), holder.props.get("thai_id_valid"),
            holder.props.get("registration_no")) == (entity, thai_id, valid, registration)
    records, bad, loaded = map_chunk(m, [(1, row, (), None)], source_file=f"{mapping_name}.csv")
    assert (bad, loaded) == ([], 1)
    assert records == apply_row(m, row, source_file=f"{mapping_name}.csv", row_no=1)


def test_an_unless_that_is_no_test_is_refused(tmp_path: Path) -> None:
    text = (Path(__file__).parents[2] / "ingest" / "mappings" / "amlo_accounts.yaml").read_text(encoding="utf-8")
    bad = tmp_path / "amlo_accounts.yaml"
    bad.write_text(text.replace("unless: {column: account_name, matches:", "unless: {column: account_name, like:"),
                   encoding="utf-8")
    with pytest.raises(MappingError, match="unless"):
        load_mapping(bad)
