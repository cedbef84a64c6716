"""Character counts of texts: which pairs of texts may reach a ``fuzz.ratio``, at a fraction of its cost.

``fuzz.ratio(a, b)`` is ``200 · LCS(a, b) / (len(a) + len(b))``, and a common subsequence holds no more of
a character than either text has: ``LCS ≤ Σ min(count_a(c), count_b(c))``. Counted in 32 bins (code point
mod 32: each Latin letter a bin of its own; characters sharing a bin only loosen the bound, as a bin's
minimum is at least its characters' common part), a pair's bound takes a few vector operations over 32
bytes, where its ratio takes about 0.2 µs. A pair bounded below a score need not be scored: of the million
random pairs of the 10k-person world the name keys' ratios then cost 0.24 CPU s instead of 0.63 (2026-11-27,
load ~4.8).

Examples
--------
>>> import numpy as np
>>> from rapidfuzz import fuzz
>>> keys = np.array(["somchai jaidee", "somchai jaidi", "mana dee", None], dtype=object)
>>> counts = char_counts(keys)
>>> may_reach(counts, np.array([0, 0, 0]), counts, np.array([1, 2, 3]), 65).tolist()
[True, False, True]
>>> round(fuzz.ratio(keys[0], keys[2]), 1)  # bounded by 200 * 7 / 22 = 63.6: may reach 60, not 65
54.5
>>> may_reach(counts, np.array([0, 0]), counts, np.array([2, 2]), np.array([60, 65])).tolist()
[True, False]
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = ["BINS", "CharCounts", "char_counts", "may_reach"]

#: Bins of the counts: 32 bytes a text (four 64-bit words summed as one).
BINS = 32
#: Texts longer than this get no bound (a bin or a sum of bins would not fit a byte).
MAX_LENGTH = 255
#: Texts counted at a time, and pairs bounded at a time: the arrays of every character of 182,000 texts,
#: or of the counts of a million pairs (64 MB), cost more in fresh memory pages than the arithmetic.
_TEXTS_AT_ONCE = 4096
_PAIRS_AT_ONCE = 32_768


@dataclass(frozen=True)
class CharCounts:
    """Per text its count of the characters of each bin, and its length (NaN for a text without a bound:
    not a text, or longer than :data:`MAX_LENGTH`)."""

    counts: np.ndarray
    length: np.ndarray

    def take(self, rows: np.ndarray) -> CharCounts:
        """The counts of texts ``rows``."""
        return CharCounts(self.counts[rows], self.length[rows])


def char_counts(texts: np.ndarray) -> CharCounts:
    """:class:`CharCounts` of ``texts``."""
    texts = np.asarray(texts, dtype=object)
    n = len(texts)
    if pd.api.types.infer_dtype(texts, skipna=True) in ("string", "empty"):
        is_text = ~np.asarray(pd.isna(texts), bool)
    else:
        is_text = np.fromiter((type(v) is str for v in texts), bool, n)
    flat = np.where(is_text, texts, "").tolist()
    length = np.fromiter(map(len, flat), np.int64, n)
    counts = np.zeros((n, BINS), np.uint8)
    for first in range(0, n, _TEXTS_AT_ONCE):
        last = min(first + _TEXTS_AT_ONCE, n)
        points = np.frombuffer("".join(flat[first:last]).encode("utf-32-le"), np.uint32)
        slot = np.repeat(np.arange(last - first) * BINS, length[first:last]) + (points & np.uint32(BINS - 1))
        counts[first:last] = np.minimum(np.bincount(slot, minlength=(last - first) * BINS), MAX_LENGTH
                                        ).reshape(last - first, BINS)
    return CharCounts(counts, np.where(is_text & (length <= MAX_LENGTH), length, np.nan))


def may_reach(a: CharCounts, i: np.ndarray, b: CharCounts, j: np.ndarray, score: float | np.ndarray
              ) -> np.ndarray:
    """Per pair whether ``fuzz.ratio`` of text ``i`` of ``a`` and text ``j`` of ``b`` may reach ``score`` (one,
    or one per pair): false only where the counts bound it below (a text without a bound, or two empty
    texts, may reach any)."""
    out = np.zeros(len(i), bool)
    wanted = np.broadcast_to(np.asarray(score, dtype=float), (len(i),))
    for first in range(0, len(i), _PAIRS_AT_ONCE):
        last = min(first + _PAIRS_AT_ONCE, len(i))
        ii, jj = i[first:last], j[first:last]
        # np.take: a quarter of the time of counts[ii] (NumPy 2.4's fancy indexing of rows)
        both = np.minimum(np.take(a.counts, ii, axis=0), np.take(b.counts, jj, axis=0)).view(np.uint64)
        # each byte of the summed words is a sum of at most four bins, and the whole sum is at most the
        # shorter text's length: no byte overflows, and the multiply adds the eight bytes into the top one
        words = both[:, 0] + both[:, 1] + both[:, 2] + both[:, 3]
        with np.errstate(over="ignore"):
            common = ((words * np.uint64(0x0101010101010101)) >> np.uint64(56)).astype(float)
        # bound < score, without dividing; a NaN length (no bound) compares false, so the pair may reach it
        below = 200.0 * common < wanted[first:last] * (a.length[ii] + b.length[jj])
        out[first:last] = ~below
    return out
