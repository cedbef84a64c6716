"""EM's pattern count: distinct_rows equals np.unique(axis=0) for every integer layout it can meet."""

from __future__ import annotations

import numpy as np
import pytest

from entity_resolution.model import distinct_rows


@pytest.mark.parametrize("dtype", [np.int8, np.uint8, np.int16, np.int32, np.int64])
@pytest.mark.parametrize("shape", [(1, 1), (7, 3), (500, 12), (2000, 20)])
def test_same_rows_order_and_counts_as_numpy(dtype: type, shape: tuple[int, int]) -> None:
    rng = np.random.default_rng(sum(shape))
    low = 0 if dtype is np.uint8 else -1
    levels = rng.integers(low, 6, size=shape).astype(dtype)
    expected_rows, expected_counts = np.unique(levels, axis=0, return_counts=True)
    rows, counts = distinct_rows(levels)
    assert rows.dtype == expected_rows.dtype
    np.testing.assert_array_equal(rows, expected_rows)
    np.testing.assert_array_equal(counts, expected_counts)


def test_too_wide_to_pack_falls_back() -> None:
    levels = np.array([[0, 2**40], [1, 0], [0, 2**40]], dtype=np.int64).repeat(1, axis=0)
    wide = np.hstack([levels] * 2)  # 4 columns of up to 41 bits: more than one int64 holds
    rows, counts = distinct_rows(wide)
    np.testing.assert_array_equal(rows, np.unique(wide, axis=0))
    assert counts.tolist() == [2, 1]
