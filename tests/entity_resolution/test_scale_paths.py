"""The memory- and CPU-saving paths of a million-person resolution give what the plain ones gave:
hashes, blocking keys, ID masks, pair merging, summary counts and the pairs file."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from er_helpers import resolve_rows

from entity_resolution.blocking import _merge_rules, block_on, candidate_pairs
from entity_resolution.columns import _explode, _id_masks
from entity_resolution.commands import summary
from entity_resolution.frame import Features, _distinct_hashed, hash_values
from entity_resolution.judgements import JudgementStore
from entity_resolution.result import _arrays_to_parquet


@pytest.mark.parametrize("values", [
    ["b", "a", "b", "ก", "", "a"],
    ["x", 3, "3", 4.5, None],  # not text only: hashed as text, as before
    [],
])
def test_hash_values_equal_to_pandas_categorized(values: list[object]) -> None:
    arr = np.array(values, dtype=object)
    expected = pd.util.hash_array(arr.astype(str).astype(object), categorize=True) if len(arr) else np.zeros(0)
    assert hash_values(arr).tolist() == expected.tolist()


def test_distinct_hashed_equal_to_drop_duplicates_then_hash() -> None:
    i = np.array([0, 0, 1, 0, 2, 1, 2, 2])
    v = np.array(["a", "b", "a", "a", "c", "a", "c", "d"], dtype=object)
    table = pd.DataFrame({"i": i, "v": v}).drop_duplicates()
    got_i, got_v = _distinct_hashed(i, v)
    assert got_i.tolist() == table["i"].tolist()
    assert got_v.tolist() == hash_values(table["v"].to_numpy(dtype=object)).tolist()


def _merged_keys(f: Features, columns: tuple[str, ...]) -> set[tuple[int, int]]:
    """The (record, key) rows of a rule by the plain join of the list tables (how keyed() worked before)."""
    from entity_resolution.frame import _mix

    idx = np.arange(len(f.df), dtype=np.int64)
    key = np.zeros(len(f.df), dtype=np.uint64)
    for col in columns:
        if col in f.lists:
            li, lv = f.lists[col]
            df = pd.DataFrame({"i": idx, "k": key}).merge(pd.DataFrame({"i": li, "v": lv}), on="i")
            idx, key = df["i"].to_numpy(), _mix(df["k"].to_numpy(np.uint64), df["v"].to_numpy(np.uint64))
        else:
            present, hashes = f._scalar_hashes(col)
            keep = present[idx]
            idx, key = idx[keep], _mix(key[keep], hashes[idx[keep]])
    return set(zip(idx.tolist(), key.tolist(), strict=True))


def test_keyed_rows_equal_to_a_join() -> None:
    f = Features.build(pd.DataFrame({
        "record_id": list("abcd"),
        "names": [["สมชาย ใจดี", "Somchai Jaidee"], "Mana Dee", ["Mana Dee"], []],
        "phones": [["1", "2"], ["2"], [], ["1", "3", "2"]],
        "case_keys": [["C1"], ["C1", "C2"], ["C2"], []],
        "birth_year": [1980, 1980, 0, 1981],
    }))
    for columns in (("phones",), ("token_keys", "case_keys"), ("name_key", "birth_year"),
                    ("token_keys", "phones", "birth_year")):
        idx, key = f.keyed(columns)
        assert len(idx) == len(_merged_keys(f, columns))
        assert set(zip(idx.tolist(), key.tolist(), strict=True)) == _merged_keys(f, columns)


def test_id_masks_meet_one_slip_apart() -> None:
    ids = np.array(["1100700123455", "", "1100700123445", "1100700132455", "3100600234561"], dtype=object)
    t = _id_masks(ids)
    assert len(t) == 4 * 12
    shared = {r: set(t["v"][t["i"] == r]) for r in (0, 2, 3, 4)}
    assert len(shared[0] & shared[2]) == 2  # one digit differs: the two masks that drop it
    assert len(shared[0] & shared[3]) == 1  # two neighbours swapped: the mask that drops both
    assert not shared[0] & shared[4]
    f = Features.build(pd.DataFrame({"record_id": list("abcde"), "thai_id": ids}))
    pairs, _ = candidate_pairs(f, [block_on("id_masks")])
    assert sorted(zip(pairs.i.tolist(), pairs.j.tolist(), strict=True)) == [(0, 2), (0, 3)]


def test_explode_like_series_explode() -> None:
    values = [("a", "b"), (), ("c",)]
    code = np.array([2, 0, 1, 0, 2])
    rec = np.array([0, 1, 1, 3, 4])
    series = pd.Series([list(values[c]) for c in code], index=rec, dtype=object).explode().dropna()
    i, v = _explode(values, code, rec)
    assert i.tolist() == series.index.tolist()
    assert v.tolist() == series.tolist()


def _merge_rules_plainly(codes: list[np.ndarray], n: int) -> tuple[list[int], list[int], list[int]]:
    bits = [np.full(len(c), 1 << k, dtype=np.int64) for k, c in enumerate(codes)]
    all_codes, all_bits = np.concatenate(codes), np.concatenate(bits)
    order = np.argsort(all_codes, kind="stable")
    uniq, first = np.unique(all_codes[order], return_index=True)
    merged = np.bitwise_or.reduceat(all_bits[order], first)
    return (uniq // n).tolist(), (uniq % n).tolist(), merged.tolist()


@pytest.mark.parametrize("n", [50, 2**28 + 1])
def test_merge_rules_equal_to_argsort_and_unique(n: int) -> None:
    rng = np.random.default_rng(7)
    codes = [np.unique(rng.integers(0, n * n, size)) for size in (300, 0, 40, 300, 1)]
    pairs = _merge_rules([c.copy() for c in codes], n)
    assert (pairs.i.tolist(), pairs.j.tolist(), pairs.rules.tolist()) == _merge_rules_plainly(codes, n)


def test_summary_counts_equal_to_the_pair_table(tmp_path: Path) -> None:
    rows = [{"record_id": f"r{k}", "names": name, "sex": "M", **extra} for k, (name, extra) in enumerate([
        ("สมชาย ใจดี", {"phones": ["+66811111111"], "birth_date": "1980-03-14"}),
        ("Somchai Jaidee", {"phones": ["+66811111111"], "birth_date": "1980-03-14"}),
        ("Somchai Jaidee", {}), ("Somchai Jaidi", {"birth_date": "1979-01-01"}),
        ("มานะ ดีมาก", {}), ("Mana Deemak", {}), ("Mana Dimak", {"phones": ["+66822222222"]}),
    ])]
    res = resolve_rows(rows, tmp_path)
    store = JudgementStore(tmp_path / "judgements.sqlite")
    for judged in (False, True):
        scores = res.pair_scores()
        got = summary(res)
        assert got["pairs"] == scores["decision"].value_counts().to_dict()
        assert got["review"] == len(res.review_queue())
        assert got["persons"] == len(res.entities("Person"))
        if not judged:  # then judge some pairs (a review pair unsure, another judged apart) and count again
            review = scores[scores["decision"] == "review"]
            assert len(review) >= 2
            store.add(*sorted(review.iloc[0][["record_a", "record_b"]]), "unsure", user="u")
            store.add(*sorted(review.iloc[1][["record_a", "record_b"]]), "not_same", user="u")
            res = resolve_rows(rows, tmp_path)
            assert len(res.review_queue()) == len(review) - 1


def test_pairs_file_equal_to_a_dataframe_written_at_once(tmp_path: Path) -> None:
    rng = np.random.default_rng(1)
    levels = rng.integers(0, 7, (1000, 3)).astype(np.int8)
    columns = {"pair_key": rng.integers(0, 2**63, 1000).astype(np.uint64), "weight": rng.random(1000).astype(np.float32),
               **{f"level_{k}": levels[:, k] for k in range(3)}}
    pd.DataFrame(columns).to_parquet(tmp_path / "whole.parquet", index=False)
    _arrays_to_parquet(columns, tmp_path / "chunked.parquet", rows=300)
    whole, chunked = pd.read_parquet(tmp_path / "whole.parquet"), pd.read_parquet(tmp_path / "chunked.parquet")
    pd.testing.assert_frame_equal(chunked, whole)
