"""Blocking from readable rules: only records that agree on a rule's columns are compared.

A rule ``block_on("name_key", "birth_year")`` puts records with equal values of all its columns into one
block; list columns (phones, accounts, case keys, ...) put a record into one block per value. Blocks larger
than ``max_block_size`` are skipped (a phone shared by hundreds of victims says little about identity) and
counted in the report.

Examples
--------
>>> import pandas as pd
>>> from entity_resolution.frame import Features
>>> f = Features.build(pd.DataFrame({"record_id": list("abc"), "names": ["Somchai Jaidee", "สมชาย ใจดี", "Mana Dee"],
...                                   "birth_year": [1980, 1980, 1980]}))
>>> pairs, report = candidate_pairs(f, [block_on("name_key", "birth_year")])
>>> pairs.i.tolist(), pairs.j.tolist(), report[0]["pairs"]
([0], [1], 1)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial

import numpy as np

from entity_resolution.frame import Features
from entity_resolution.parallel import MAX_TASKS, Tasks, workers

__all__ = ["BlockingRule", "Pairs", "block_on", "blocking_recall", "candidate_pairs"]


@dataclass(frozen=True)
class BlockingRule:
    """Records that agree on all of ``columns`` become candidate pairs."""

    columns: tuple[str, ...]

    def __str__(self) -> str:
        return "block_on(" + ", ".join(repr(c) for c in self.columns) + ")"


def block_on(*columns: str) -> BlockingRule:
    """A blocking rule on one or more feature columns.

    >>> str(block_on("thai_id"))
    "block_on('thai_id')"
    """
    return BlockingRule(tuple(columns))


@dataclass
class Pairs:
    """Candidate pairs ``i < j`` (record indices) and which rules produced them (bit ``k`` = rule ``k``)."""

    i: np.ndarray
    j: np.ndarray
    rules: np.ndarray

    def __len__(self) -> int:
        return len(self.i)

    def codes(self, n: int) -> np.ndarray:
        """One int64 per pair, ``i * n + j``: sortable, joinable."""
        return self.i.astype(np.int64) * np.int64(n) + self.j.astype(np.int64)


def _pairs_of_blocks(order: np.ndarray, starts: np.ndarray, sizes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    out_i, out_j = [], []
    for size in np.unique(sizes):
        if size < 2:
            continue
        block_starts = starts[sizes == size]
        members = order[block_starts[:, None] + np.arange(size)[None, :]]  # (blocks, size)
        a, b = np.triu_indices(size, k=1)
        out_i.append(members[:, a].ravel())
        out_j.append(members[:, b].ravel())
    if not out_i:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    i, j = np.concatenate(out_i), np.concatenate(out_j)
    return np.minimum(i, j), np.maximum(i, j)


def _unique_rows(key: np.ndarray, idx: np.ndarray, shared: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """The distinct ``(key, idx)`` rows, sorted by key then idx: ``np.unique(..., axis=1)`` without its
    sort of structured rows (the top of blocking at 100k); ``shared``: only the rows of keys of two rows or
    more (a key of one row makes no block of two records).

    An unstable argsort of the keys, then one sort of ``(key's rank, idx)`` packed in an int64, instead of
    a lexsort (stable sorts of both columns): the 22 rules at 100k persons 0.38 CPU s instead of 0.64 under
    cProfile, candidate_pairs 0.95 instead of 1.22 (2026-11-27, load ~2.5).
    """
    if not len(key):
        return key[:0], idx[:0]
    order = np.argsort(key)
    key_s = key[order]
    same = key_s[1:] == key_s[:-1]
    if shared:  # half the rows of the default rules at 100k persons, nearly all of those with case keys
        kept = np.r_[same, False] | np.r_[False, same]
        order, key_s = order[kept], key_s[kept]
        if not len(key_s):
            return key_s, idx[:0]
        same = key_s[1:] == key_s[:-1]
    new = np.r_[True, ~same]
    rank = np.cumsum(new) - 1
    idx_s = idx[order]
    width = int(idx_s.max()) + 1
    if int(idx_s.min()) < 0 or int(rank[-1]) >= np.iinfo(np.int64).max // width:  # not packable
        again = np.lexsort((idx_s, key_s))
        key_s, idx_s = key_s[again], idx_s[again]
        keep = np.r_[True, (key_s[1:] != key_s[:-1]) | (idx_s[1:] != idx_s[:-1])]
        return key_s[keep], idx_s[keep]
    packed = rank * np.int64(width) + idx_s
    packed.sort()
    packed = packed[np.r_[True, packed[1:] != packed[:-1]]]
    rank_u = packed // width
    return key_s[new][rank_u], packed - rank_u * width


def candidate_pairs(features: Features, rules: Sequence[BlockingRule],
                    max_block_size: int = 200) -> tuple[Pairs, list[dict[str, object]]]:
    """All pairs produced by any rule, each once, and a per-rule report (blocks, pairs, skipped blocks).

    With two cores and many records, this process and a forked one take the rules one at a time, the
    largest first, from a queue: the ID-mask rule alone costs as much as all the others at 100k persons, and
    with every other rule in the child one process waited 0.4 s for the other (2026-11-27).
    """
    n = len(features)
    numbers = range(len(rules))
    if 1 < len(rules) <= MAX_TASKS and n >= FORK_RECORDS and workers() > 1:
        by_size = sorted(numbers, key=lambda k: -_rows_estimate(features, rules[k]))
        with Tasks([partial(_rule_pairs, features, rules[k], max_block_size) for k in by_size]) as tasks:
            done = dict(zip(by_size, tasks.results(), strict=True))
        results = [done[k] for k in numbers]
    else:
        results = [_rule_pairs(features, rules[k], max_block_size) for k in numbers]
    codes = [c for c, _ in results]
    report = [r for _, r in results]
    del results
    if not codes:
        return Pairs(np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.int64)), report
    return _merge_rules(codes, n), report


#: Records from which :func:`candidate_pairs` splits the rules over two processes.
FORK_RECORDS = 50_000


def _rows_estimate(features: Features, rule: BlockingRule) -> int:
    """About how many (record, key) rows the rule makes: the most of its columns' rows (a list column's
    values, else every record); it orders the rules, largest first."""
    return max((len(features.lists[c][0]) if c in features.lists else len(features)) for c in rule.columns)


def _rule_pairs(features: Features, rule: BlockingRule, max_block_size: int
                ) -> tuple[np.ndarray, dict[str, object]]:
    """The sorted distinct pair codes (``i * n + j``) of one rule, and its report line."""
    n = len(features)
    idx, key = features.keyed(rule.columns)
    # one record counts once per block even if several of its values meet the same key
    key_s, idx_s = _unique_rows(key.view(np.int64), idx.astype(np.int64), shared=True)
    if len(key_s):
        cut = np.flatnonzero(np.diff(key_s)) + 1
        starts = np.concatenate([[0], cut])
        sizes = np.diff(np.concatenate([starts, [len(key_s)]]))
    else:
        starts = sizes = np.zeros(0, np.int64)
    big = sizes > max_block_size
    i, j = _pairs_of_blocks(idx_s, starts[~big], sizes[~big])
    keep = i != j
    i, j = i[keep], j[keep]
    # sorted distinct codes by a sort: NumPy 2.4's np.unique goes through a hash table, 100x slower on
    # millions of distinct values (5 M int64: 7.3 vs 0.08 CPU s)
    c = np.sort(i * np.int64(n) + j)
    c = c[np.r_[True, c[1:] != c[:-1]]] if len(c) else c
    return c, {"rule": str(rule), "blocks": int(((sizes > 1) & ~big).sum()), "pairs": len(c),
               "skipped_blocks": int(big.sum()), "skipped_records": int(sizes[big].sum())}


def _merge_rules(codes: list[np.ndarray], n: int) -> Pairs:
    """Each pair once, with the bits of the rules that produced it: one in-place sort of the codes with the
    rule number in their low six bits (an argsort, a gather and np.unique's own sort took ~7 arrays the size
    of all rules' pairs together: gigabytes at a million persons)."""
    if n >= 2**28:  # the codes would not leave six bits free
        bits = [np.full(len(c), 1 << k, dtype=np.int64) for k, c in enumerate(codes)]
        all_codes, all_bits = np.concatenate(codes), np.concatenate(bits)
        order = np.argsort(all_codes, kind="stable")
        all_codes, all_bits = all_codes[order], all_bits[order]
        uniq, first = np.unique(all_codes, return_index=True)
        merged = np.bitwise_or.reduceat(all_bits, first) if len(first) else all_bits
        return Pairs(uniq // n, uniq % n, merged)
    packed = np.concatenate([(c << 6) | k for k, c in enumerate(codes)])
    codes.clear()
    packed.sort()
    code = packed >> 6
    first = np.flatnonzero(np.r_[True, code[1:] != code[:-1]]) if len(code) else np.zeros(0, np.int64)
    uniq = code[first]
    del code
    merged = np.bitwise_or.reduceat(np.left_shift(1, packed & 63), first) if len(first) else np.zeros(0, np.int64)
    return Pairs(uniq // n, uniq % n, merged)


def blocking_recall(pairs: Pairs, labels: np.ndarray) -> dict[str, float]:
    """How many true pairs (records with equal ``labels``) blocking lets through, and the reduction ratio.

    >>> p = Pairs(np.array([0]), np.array([1]), np.array([1]))
    >>> blocking_recall(p, np.array(["x", "x", "x"]))["recall"]
    0.3333333333333333
    """
    _, counts = np.unique(np.asarray(labels, dtype=str), return_counts=True)
    true_total = int((counts * (counts - 1) // 2).sum())
    lab = np.asarray(labels, dtype=str)
    found = int((lab[pairs.i] == lab[pairs.j]).sum())
    n = len(lab)
    return {"true_pairs": true_total, "true_pairs_found": found,
            "recall": found / true_total if true_total else 1.0, "candidate_pairs": len(pairs),
            "reduction_ratio": 1 - len(pairs) / max(1, n * (n - 1) // 2)}
