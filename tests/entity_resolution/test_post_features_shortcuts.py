"""The shortcuts after the features step give what the plain computations give: shared list values
(signatures before the probes), who shares a name (by numbers, not groupbys), members grouped on demand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from entity_resolution.comparators import shared_count, shared_rarity
from entity_resolution.frame import Features
from entity_resolution.list_values import has_values, shares
from entity_resolution.model import name_of_several_people
from entity_resolution.result import Resolution


def _lists_features(seed: int, n: int = 300) -> tuple[Features, list[set[int]], list[set[int]]]:
    rng = np.random.default_rng(seed)
    # values from a small pool (many shared), hashed like the features' values (any bits set)
    pool = rng.integers(0, 2**63, 40, dtype=np.int64).astype(np.uint64) * np.uint64(2) + np.uint64(1)
    a_sets = [set(rng.choice(40, rng.integers(0, 5), replace=False).tolist()) for _ in range(n)]
    b_sets = [set(rng.choice(40, rng.integers(0, 3), replace=False).tolist()) for _ in range(n)]

    def table(sets: list[set[int]]) -> tuple[np.ndarray, np.ndarray]:
        rows = [(r, v) for r, s in enumerate(sets) for v in sorted(s)]
        rng.shuffle(rows)  # the values of a record need not be together
        return (np.array([r for r, _ in rows], np.int64), pool[np.array([v for _, v in rows], np.int64)])

    f = Features(pd.DataFrame({"record_id": [f"r{k}" for k in range(n)]}), {"a": table(a_sets), "b": table(b_sets)})
    return f, a_sets, b_sets


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_shared_values_equal_set_intersections(seed: int) -> None:
    f, a_sets, b_sets = _lists_features(seed)
    rng = np.random.default_rng(seed + 10)
    i, j = rng.integers(0, 300, 5000), rng.integers(0, 300, 5000)
    has_a, has_b, count = shared_count(f, "a", i, j)
    assert count.tolist() == [len(a_sets[x] & a_sets[y]) for x, y in zip(i, j, strict=True)]
    assert has_a.tolist() == [bool(a_sets[x]) for x in i] and has_b.tolist() == [bool(a_sets[y]) for y in j]
    assert (count > 0).sum() > 100  # the case checked is not only pairs sharing nothing
    _, has_other, across = shared_count(f, "a", i, j, "b")
    assert across.tolist() == [len(a_sets[x] & b_sets[y]) for x, y in zip(i, j, strict=True)]
    assert has_other.tolist() == [bool(b_sets[y]) for y in j]
    assert shares(f, "a", i, j).tolist() == (count > 0).tolist()
    assert shares(f, "b", i, j, "a").tolist() == [bool(b_sets[x] & a_sets[y]) for x, y in zip(i, j, strict=True)]
    assert has_values(f, "b", i).tolist() == [bool(b_sets[x]) for x in i]
    carriers = {v: sum(v in s for s in a_sets) for v in range(40)}
    rarest = [min((carriers[v] for v in a_sets[x] & a_sets[y]), default=0) for x, y in zip(i, j, strict=True)]
    assert shared_rarity(f, "a", i, j).tolist() == rarest


def _several_by_groupby(df: pd.DataFrame) -> np.ndarray:
    """name_of_several_people as pandas groupbys write it (the reference)."""
    key = df["name_key"].to_numpy(dtype=object)
    groups = pd.Series(key)
    several = np.zeros(len(df), bool)
    ids = pd.Series(np.where(df["thai_valid"].to_numpy(bool), df["thai_id"].to_numpy(dtype=object), ""))
    for values in (ids, df["pink_card_no"], df["passport_no"], df["border_pass_no"]):
        v = pd.Series(values.to_numpy(dtype=object))
        present = v != ""
        several |= groups.map(v[present].groupby(groups[present]).nunique()).fillna(0).to_numpy() >= 2
    raw = df["birth_year"].to_numpy()
    years = pd.Series(np.where(raw > 2400, raw - 543, raw))
    by_name = years[years > 0].groupby(groups[years > 0])
    several |= groups.map(by_name.max() - by_name.min()).fillna(0).to_numpy() > 1
    return several & np.asarray(key != "", bool)


@pytest.mark.parametrize("seed", [4, 5])
def test_name_of_several_people_equals_groupbys(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = 2000
    names = np.array(["", "kyo wai", "a b", "c d", "e f", None, "g h"], dtype=object)

    def numbers(k: int) -> np.ndarray:
        return np.array(["", "", "", *[f"{x:013d}" for x in range(k)], None], dtype=object)[
            rng.integers(0, k + 4, n)]

    df = pd.DataFrame({"name_key": names[rng.integers(0, len(names), n)], "thai_id": numbers(6),
                       "thai_valid": rng.random(n) < 0.7, "pink_card_no": numbers(3), "passport_no": numbers(2),
                       "border_pass_no": numbers(4),
                       # missing, CE and BE years (a BE year 543 above its CE one is the same person)
                       "birth_year": rng.choice([0, 1980, 1981, 1982, 2523, 2524], n)})
    for col in ("thai_id", "pink_card_no", "passport_no", "border_pass_no"):
        one = df.copy()
        one[[c for c in ("thai_id", "pink_card_no", "passport_no", "border_pass_no") if c != col]] = ""
        one["birth_year"] = 0
        np.testing.assert_array_equal(name_of_several_people(one), _several_by_groupby(one))
    years_only = df.assign(thai_id="", pink_card_no="", passport_no="", border_pass_no="")
    expected = _several_by_groupby(years_only)
    assert 0 < expected.sum() < n
    np.testing.assert_array_equal(name_of_several_people(years_only), expected)
    np.testing.assert_array_equal(name_of_several_people(df), _several_by_groupby(df))


def test_members_grouped_when_asked() -> None:
    f = Features(pd.DataFrame({"record_id": ["p2", "p1", "p3"]}))
    res = Resolution(settings=None, features=f, pairs=None, levels=None, weights=None,  # type: ignore[arg-type]
                     corroborated_pairs=None, labels=np.zeros(3), judgements=None,  # type: ignore[arg-type]
                     blocking_report=[], meta=pd.DataFrame())
    res.set_entities(["per:x", "per:x", "per:y"])
    assert res.members("per:x") == ["p1", "p2"] and res.entity_count("Person") == 2
    res.add_entities(["o1", "p4"], ["org:z", "per:y"])
    assert res.entities("Person") == {"per:x": ["p1", "p2"], "per:y": ["p3", "p4"]}
    assert res.entities("Organization") == {"org:z": ["o1"]} and res.entity_of("p4") == "per:y"
    with pytest.raises(ValueError, match="2 record ids for 1 entity ids"):
        res.add_entities(["a", "b"], ["per:q"])


def test_may_reach_never_drops_a_pair_that_reaches() -> None:
    from rapidfuzz import fuzz

    from entity_resolution.letters import char_counts, may_reach

    rng = np.random.default_rng(7)
    alphabet = [*"aaaeeiioubcdkmnprst  ", "ก", "า", "@", "`", "é"]  # bins shared: space, @ and `
    words = ["".join(rng.choice(alphabet, rng.integers(0, 16))) for _ in range(400)]
    texts = np.array([*words, "", "", None, float("nan"), "x" * 300, "x" * 299], dtype=object)
    counts = char_counts(texts)
    i, j = rng.integers(0, len(texts), 20000), rng.integers(0, len(texts), 20000)
    i[:6], j[:6] = [400, 401, 402, 403, 404, 405], [401, 400, 0, 1, 405, 404]
    ratio = np.array([fuzz.ratio(texts[a], texts[b]) if isinstance(texts[a], str) and isinstance(texts[b], str)
                      else 0.0 for a, b in zip(i, j, strict=True)])
    for score in (40.0, 65.0, 80.0):
        reach = may_reach(counts, i, counts, j, score)
        assert reach[ratio >= score].all()
        assert not reach[ratio < score].all()  # the bound leaves some pairs out
    # two empty texts (ratio 100), no text, a text too long to bound: no bound
    assert may_reach(counts, i[:6], counts, j[:6], 99.0).all()


@pytest.mark.parametrize("seed", [8, 9])
def test_unique_rows_sorted_by_key_then_index(seed: int) -> None:
    from entity_resolution.blocking import _unique_rows

    rng = np.random.default_rng(seed)
    keys = rng.integers(-(2**63), 2**63 - 1, 3000, dtype=np.int64)
    key, idx = keys[rng.integers(0, 3000, 5000)], rng.integers(0, 2000, 5000)
    key[:50], idx[:50] = key[50:100], idx[50:100]  # repeated rows
    expected = sorted(set(zip(key.tolist(), idx.tolist(), strict=True)))
    for k, i in (_unique_rows(key, idx), _unique_rows(key, idx - 1000)):  # negative: the lexsort way
        shift = 0 if i.min() >= 0 else 1000
        assert list(zip(k.tolist(), (i + shift).tolist(), strict=True)) == expected
        assert k.dtype == np.int64 and i.dtype == np.int64
    empty = _unique_rows(np.zeros(0, np.int64), np.zeros(0, np.int64))
    assert len(empty[0]) == len(empty[1]) == 0
    rows_of = {k: sum(1 for x in key.tolist() if x == k) for k in set(key.tolist())}
    k, i = _unique_rows(key, idx, shared=True)
    assert list(zip(k.tolist(), i.tolist(), strict=True)) == [(a, b) for a, b in expected if rows_of[a] >= 2]
    assert sum(n == 1 for n in rows_of.values()) > 0 and len(k) < len(expected)
    single = _unique_rows(np.array([5, 7], np.int64), np.array([1, 2], np.int64), shared=True)
    assert len(single[0]) == len(single[1]) == 0


def test_thai_id_slips_from_byte_rows() -> None:
    from entity_resolution.comparators import thai_id

    def slip(a: str, b: str) -> bool:
        diff = [k for k in range(13) if a[k] != b[k]]
        return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]]
                                  and a[diff[1]] == b[diff[0]])

    rng = np.random.default_rng(11)
    base = "".join(rng.choice(list("0123456789"), 13))
    ids = [base]
    for _ in range(60):
        chars = list(base)
        k = int(rng.integers(0, 12))
        if rng.random() < 0.5:
            chars[k], chars[k + 1] = chars[k + 1], chars[k]
        else:
            chars[k] = str(rng.integers(0, 10))
        if rng.random() < 0.3:
            chars[int(rng.integers(0, 13))] = "7"
        ids.append("".join(chars))
    ids += ["", "123"]
    f = Features(pd.DataFrame({"record_id": [f"r{k}" for k in range(len(ids))], "thai_id": ids}))
    i, j = np.repeat(np.arange(len(ids)), len(ids)), np.tile(np.arange(len(ids)), len(ids))
    expected = [0 if not ids[a] or not ids[b] else 1 if ids[a] == ids[b] else
                2 if len(ids[a]) == len(ids[b]) == 13 and slip(ids[a], ids[b]) else 3 for a, b in zip(i, j, strict=True)]
    got = thai_id(f, i, j)
    assert got.tolist() == expected and {1, 2, 3} <= set(expected)
    # IDs in Thai digits (kept by the features as decimal) compare by character, not by UTF-8 byte
    thai = Features(pd.DataFrame({"record_id": ["a", "b", "c"], "thai_id": ["๑" * 13, "๑" * 12 + "๒", "๒" * 13]}))
    assert thai_id(thai, np.array([0, 0]), np.array([1, 2])).tolist() == [2, 3]


def test_ambiguous_name_penalties_from_value_counts() -> None:
    from entity_resolution.model import ambiguous_name_penalties

    keys = np.array(["a b", "a b", "c", None, "", "a b", "c", np.nan], dtype=object)
    groups = pd.Series(keys)
    counts = groups.map(groups.value_counts()).to_numpy(float)
    expected = np.minimum(0.0, np.log2(0.9 / np.maximum(counts / 10_000, 1e-12)) - np.log2(0.9 / 1e-5))
    got = ambiguous_name_penalties(pd.DataFrame({"name_key": keys}), 0.9, 1e-5)
    np.testing.assert_array_equal(got, expected)
    assert np.isnan(got[3]) and got[0] < got[2] < 0
    assert len(ambiguous_name_penalties(pd.DataFrame({"name_key": np.array([], dtype=object)}), 0.9, 1e-5)) == 0
