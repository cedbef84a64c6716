"""The column-wise shortcuts of :mod:`entity_resolution.columns` give what the pandas steps they replace give."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from entity_resolution import columns
from entity_resolution.columns import _dates, _id_masks, _numbers, long_values


def test_dates_as_pandas() -> None:
    texts = np.array(["1980-03-14", "", "1980-03-14x", "๑๙๘๐-03-14", "80-03-14", "1975-12-01"], dtype=object)
    dob = pd.Series(texts).str.extract(r"^(\d{4})-(\d{2})-(\d{2})")
    dob = dob.apply(pd.to_numeric, errors="coerce").fillna(0).astype(np.int32)
    year, month, day = _dates(texts)
    assert year.tolist() == dob[0].tolist() == [1980, 0, 1980, 0, 0, 1975]
    assert month.tolist() == dob[1].tolist() and day.tolist() == dob[2].tolist()


def test_years_as_pandas() -> None:
    frame = pd.DataFrame({"birth_year": [1980.0, np.nan, 1980.0, -0.0, 2001.0]})
    text = pd.Series(columns._first(long_values(frame, "birth_year"), len(frame)))
    assert _numbers(frame, "birth_year", len(frame)).tolist() == \
        pd.to_numeric(text, errors="coerce").fillna(0).astype(np.int64).tolist() == [1980, 0, 1980, 0, 2001]


def test_id_masks_dropped_only_where_hashes_collide(monkeypatch: pytest.MonkeyPatch) -> None:
    ids = np.array(["1100700123455", "", "1100700123445"], dtype=object)
    assert len(_id_masks(ids)) == 24
    monkeypatch.setattr(columns.pd.util, "hash_array", lambda values: np.zeros(len(values), np.uint64))
    collided = _id_masks(ids)  # every key hashes to 0: one row per record is left, as drop_duplicates leaves
    assert collided["i"].tolist() == [0, 2] and collided["v"].tolist() == [0, 0]


def test_parts_error_raised_and_files_removed(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A part that fails in either process fails the build, and the child's saved parts are removed."""
    import tempfile

    from entity_resolution import frame
    from entity_resolution.frame import Features

    monkeypatch.setenv("TIPGRAPH_ER_WORKERS", "2")
    monkeypatch.setattr(frame, "SPLIT_COLUMNS", 100)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    rows = pd.DataFrame({"record_id": [f"r{k}" for k in range(300)],
                         "names": [f"Somchai Jaidee{k}" for k in range(300)]})
    real = frame._hashed_columns

    def failing(part: pd.DataFrame) -> object:
        if part["record_id"].iloc[0] == "r285":  # the last part (15 rows), built after others were saved
            raise ValueError("part 285 failed")
        return real(part)

    monkeypatch.setattr(frame, "_hashed_columns", failing)
    with pytest.raises(ValueError, match="part 285 failed"):
        Features.build(rows)
    assert not list(tmp_path.iterdir())
    monkeypatch.setattr(frame, "_hashed_columns", real)
    assert len(Features.build(rows)) == 300 and not list(tmp_path.iterdir())


def test_account_cases_equal_when_built_in_parts(monkeypatch: pytest.MonkeyPatch) -> None:
    """The account rows worked out as one more part give the account cases worked out after the parts."""
    from entity_resolution import frame
    from entity_resolution.frame import Features

    persons = pd.DataFrame({"record_id": [f"p{k}" for k in range(300)], "entity_type": "Person",
                            "names": [f"Somchai Jaidee{k}" for k in range(300)], "source_file": "dsi.json",
                            "row": np.arange(300, dtype=float), "accounts": [[f"acc{k % 40}"] for k in range(300)]})
    accounts = pd.DataFrame({"record_id": [f"a{k}" for k in range(120)], "entity_type": "Account",
                             "key": [f"acc{k % 60}" for k in range(120)],
                             "source_file": ["dsi.json", "amlo.csv"] * 60, "row": np.arange(120, dtype=float)})
    records = pd.concat([persons, accounts], ignore_index=True)
    records["source_file"] = records["source_file"].astype("category")
    monkeypatch.setenv("TIPGRAPH_ER_WORKERS", "1")
    one = Features.build(persons, records)
    monkeypatch.setenv("TIPGRAPH_ER_WORKERS", "2")
    monkeypatch.setattr(frame, "SPLIT_COLUMNS", 100)
    two = Features.build(persons, records)
    assert len(one.lists["account_cases"][0]) > 30
    for got, want in zip(two.lists["account_cases"], one.lists["account_cases"], strict=True):
        np.testing.assert_array_equal(got, want)
