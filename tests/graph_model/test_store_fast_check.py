"""The generated fast check agrees with the full property check: it never accepts what the full check
refuses, and it accepts the ordinary good values (else every write would take the slow path)."""

from __future__ import annotations

from typing import Any

import pytest

from graph_model.model import SchemaError, load_schema
from graph_model.store._fast_check import fast_check
from graph_model.store._validate import BatchValidator

SCHEMA = load_schema()
VALIDATOR = BatchValidator(SCHEMA)

GOOD = [
    ("Person", {"names": ["สมชาย ใจดี"], "birth_year": 1980, "sex": "M", "is_official": False}),
    ("Person", {"names": [], "birth_date": "1980-02-29", "thai_id": None}),
    ("Phone", {"number": "+66812345678", "raw": ["081-234-5678"]}),
    ("Case", {"case_no": "1/2567", "fine_thb": 5, "opened_date": "2024-01-31"}),
    ("Case", {"case_no": "1/2567", "fine_thb": 1.5}),
]

BAD = [
    ("Person", {"names": "สมชาย"}),  # a string, not a list
    ("Person", {"names": ["A", 3]}),
    ("Person", {"birth_year": "1980"}),
    ("Person", {"birth_year": True}),  # a bool is not an integer
    ("Person", {"birth_year": 1980.0}),
    ("Person", {"sex": "X"}),  # outside the enum
    ("Person", {"sex": ["M"]}),  # unhashable, outside the enum
    ("Person", {"is_official": 1}),
    ("Person", {"birth_date": "1980-02-30"}),
    ("Person", {"birth_date": "29/02/1980"}),
    ("Person", {"shoe_size": 42}),  # undeclared
    ("Person", {"sources": ["x"]}),  # provenance is the store's
    ("Phone", {"raw": ["081"]}),  # required number missing
    ("Phone", {"number": None}),
    ("Case", {"case_no": "1/2567", "fine_thb": float("inf")}),
    ("Case", {"case_no": "1/2567", "fine_thb": float("nan")}),
    ("Case", {"case_no": "1/2567", "fine_thb": "5"}),
]


def full_check_passes(type_name: str, props: dict[str, Any]) -> bool:
    try:
        VALIDATOR.check_node_props(type_name, "x:1", props)
    except SchemaError:
        return False
    return True


@pytest.mark.parametrize(("type_name", "props"), GOOD)
def test_good_values_take_the_fast_path(type_name: str, props: dict[str, Any]) -> None:
    assert full_check_passes(type_name, props)
    assert VALIDATOR.nodes[type_name].ok(props) is True


@pytest.mark.parametrize(("type_name", "props"), BAD)
def test_bad_values_are_refused_by_both(type_name: str, props: dict[str, Any]) -> None:
    assert not full_check_passes(type_name, props)
    assert VALIDATOR.nodes[type_name].ok(props) is False


def test_without_a_fallback_dates_go_to_the_full_check() -> None:
    ok = fast_check(SCHEMA.nodes["Person"].properties)
    assert ok({"names": ["A"]}) is True
    assert ok({"names": ["A"], "birth_date": "1980-01-01"}) is False


def test_relationship_datetimes_checked() -> None:
    ok = VALIDATOR.rels["TRANSFER"].ok
    good = {
        "txn_id": "t1",
        "amount_thb": 10.0,
        "at": "2026-01-02T10:00:00+07:00",
        "ts": 1,
        "channel": "MOBILE",
    }
    assert ok(good) is True
    assert ok({**good, "at": "yesterday"}) is False
    assert ok({**good, "channel": "PIGEON"}) is False
