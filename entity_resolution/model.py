"""The scoring model: settings as one JSON-able object, Fellegi–Sunter weights estimated by EM.

``u`` (how often a level occurs among non-matches) comes from random record pairs; ``m`` (among matches)
and the prior match rate by expectation–maximisation over the candidate pairs, without labels. Labelled
pairs, when given, refine ``m`` by counting. A pair's match weight is ``log2(prior odds) + Σ log2(m/u)``;
level 0 ("no information") adds nothing.

Examples
--------
>>> s = Settings()
>>> Settings.from_json(s.to_json()) == s
True
>>> s.model, s.version
('tip-v1', 1)
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from entity_resolution.blocking import BlockingRule, block_on
from entity_resolution.comparators import COMPARISONS

__all__ = ["DEFAULT_BLOCKING", "DEFAULT_COMPARISONS", "Settings", "ambiguous_name_penalties", "ambiguous_name_penalty",
           "corroborated", "estimate", "frequency_penalty", "match_weights", "name_frequencies",
           "name_of_several_people"]

DEFAULT_BLOCKING: tuple[tuple[str, ...], ...] = (
    ("thai_id",), ("id_masks",), ("doc_numbers",), ("phones",), ("accounts",), ("other_id",),
    ("name_key",), ("name_key2",), ("joined_keys",), ("name_key", "birth_year"), ("name_key2", "birth_year"), ("skeleton", "birth_year"),
    ("name_key", "case_keys"), ("token_keys", "case_keys"), ("names_and_aliases", "case_keys"), ("name_key", "location_keys"),
    ("name_key", "district"), ("first_key", "birth_year", "birth_month"), ("last_key", "birth_year", "birth_month"),
    ("token_keys", "birth_year", "birth_month", "birth_day"), ("token_keys", "postcode"), ("foreign_birth_date",),
)
DEFAULT_COMPARISONS = ("name", "nickname", "birth_date", "sex", "title", "nationality", "thai_id", "documents",
                       "other_id", "phones", "accounts", "shared_case", "address", "province")


# Hand-set starting values of tip-v1 (m, u per level; level 0 = no information), used where a data set
# is too small to estimate them.
DEFAULT_M: dict[str, list[float]] = {
    "name": [1, .80, .10, .05, .03, .01, .01], "nickname": [1, .7, .3],
    "birth_date": [1, .80, .08, .06, .03, .02, .01], "sex": [1, .98, .02], "title": [1, .9, .001, .099], "nationality": [1, .97, .03],
    "thai_id": [1, .97, .029, .001], "documents": [1, .9, .099, .001], "other_id": [1, .85, .1, .05],
    "phones": [1, .5, .5], "accounts": [1, .5, .5], "shared_case": [1, .5, .5], "address": [1, .6, .15, .15, .1],
    "province": [1, .8, .2],
}
DEFAULT_U: dict[str, list[float]] = {
    "name": [1, 1e-5, 5e-5, 5e-4, 1e-3, 1e-2, .98845], "nickname": [1, .01, .99],
    "birth_date": [1, 3e-5, 5e-5, 1e-3, .02, .08, .89892], "sex": [1, .5, .5], "title": [1, 3e-4, 1e-3, .9987], "nationality": [1, .7, .3],
    "thai_id": [1, 1e-7, 1e-6, 1 - 1.1e-6], "documents": [1, 1e-6, 1e-5, 1 - 1.1e-5], "other_id": [1, 1e-6, 1e-5, 1 - 1.1e-5],
    "phones": [1, 1e-3, 1 - 1e-3], "accounts": [1, 1e-4, 1 - 1e-4], "shared_case": [1, 1e-3, 1 - 1e-3],
    "address": [1, 1e-4, 1e-3, .02, .9789], "province": [1, .04, .96],
}
_ID_COMPARISONS = ("thai_id", "documents", "other_id")
#: Frequencies and the prior are taken over at least this many records: a small file is a sample of a
#: large population, and a name seen twice in it is not therefore common.
MIN_POPULATION = 10_000
#: Below these sizes the hand-set defaults are used instead of estimates.
MIN_RECORDS_FOR_U = 1000
MIN_PAIRS_FOR_EM = 2000


@dataclass
class Settings:
    """Everything that defines a resolution model; saved to and loaded from JSON."""

    model: str = "tip-v1"
    version: int = 1
    blocking: list[list[str]] = field(default_factory=lambda: [list(r) for r in DEFAULT_BLOCKING])
    max_block_size: int = 200
    comparisons: list[str] = field(default_factory=lambda: list(DEFAULT_COMPARISONS))
    auto_merge_weight: float = 4.0
    review_weight: float = -2.0
    em_iterations: int = 30
    u_sample_pairs: int = 1_000_000
    seed: int = 8
    #: Upper bounds on m of disagreement levels (comparison → level → cap): EM tends to take two people with
    #: one common name and different document numbers for one person, so evidence against is kept strong.
    #: A pair merges automatically only if one of these adds evidence: a name (with sex and nationality)
    #: alone never merges two records, however rare the name; it goes to review.
    corroborating: list[str] = field(default_factory=lambda: [
        "nickname", "birth_date", "title", "thai_id", "documents", "other_id", "phones", "accounts", "shared_case",
        "address", "province"])
    m_caps: dict[str, dict[str, float]] = field(default_factory=lambda: {
        "thai_id": {"3": 0.001}, "documents": {"3": 0.001}})
    prior: float | None = None
    m: dict[str, list[float]] = field(default_factory=dict)
    u: dict[str, list[float]] = field(default_factory=dict)

    @property
    def trained(self) -> bool:
        """Whether ``m``, ``u`` and the prior are set (a trained model scores without re-estimating)."""
        return self.prior is not None and all(c in self.m and c in self.u for c in self.comparisons)

    def rules(self) -> list[BlockingRule]:
        """The blocking rules as :class:`BlockingRule` objects."""
        return [block_on(*cols) for cols in self.blocking]

    def to_json(self) -> str:
        """This object as JSON text."""
        return json.dumps(asdict(self), indent=1, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> Settings:
        """Settings from :meth:`to_json` output."""
        data: dict[str, Any] = json.loads(text)
        return cls(**data)

    def save(self, path: str | Path) -> None:
        """Write the settings to ``path`` as JSON."""
        Path(path).write_text(self.to_json(), encoding="utf-8")

    @classmethod
    def load(cls, path: str | Path) -> Settings:
        """Read settings written by :meth:`save`."""
        return cls.from_json(Path(path).read_text(encoding="utf-8"))


def _level_counts(levels: np.ndarray, n_levels: int, weights: np.ndarray | None = None) -> np.ndarray:
    return np.bincount(levels, weights=weights, minlength=n_levels)[:n_levels].astype(float)


def _normalise(counts: np.ndarray, smoothing: float) -> list[float]:
    c = counts.copy()
    c[0] = 0.0
    c[1:] += smoothing
    total = c[1:].sum()
    out = c / total if total > 0 else c
    out[0] = 1.0
    return [float(x) for x in out]


def distinct_rows(levels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct rows of a 2-D integer array, sorted, with their counts: ``np.unique(levels, axis=0,
    return_counts=True)`` with each row packed into one int64 first (the row-wise unique sorted 25 M rows of
    12 levels as structured records, the slowest step of EM at a million persons).

    >>> rows, counts = distinct_rows(np.array([[1, 0], [0, 2], [1, 0], [-1, 5]], dtype=np.int8))
    >>> rows.tolist(), counts.tolist()
    ([[-1, 5], [0, 2], [1, 0]], [1, 1, 2])
    """
    lv = np.asarray(levels)
    if lv.ndim != 2 or not len(lv) or not np.issubdtype(lv.dtype, np.integer):
        return np.unique(lv, axis=0, return_counts=True)
    low = lv.min(axis=0).astype(np.int64)
    span = lv.max(axis=0).astype(np.int64) - low + 1
    bits = [max(1, int(s - 1).bit_length()) for s in span]
    if sum(bits) > 62:
        return np.unique(lv, axis=0, return_counts=True)
    packed = np.zeros(len(lv), dtype=np.int64)
    for k, width in enumerate(bits):  # column 0 most significant: the order of np.unique(axis=0)
        packed = (packed << width) | (lv[:, k].astype(np.int64) - low[k])
    _, first, counts = np.unique(packed, return_index=True, return_counts=True)
    return lv[first], counts


def estimate(settings: Settings, levels: np.ndarray, random_levels: np.ndarray | None, n_records: int,
             labelled: tuple[np.ndarray, np.ndarray] | None = None) -> Settings:
    """Estimate ``u`` from random pairs and ``m`` + prior by EM on candidate pair levels (columns = comparisons).

    The prior stored is the match rate among *all* record pairs (expected matches among the candidates
    over ``n (n-1) / 2``), so that ``prior + Σ log2(m/u)`` is a posterior weight for a random pair.
    ``labelled`` is ``(levels, is_match)`` of pairs with known answers; their match rows refine ``m``.
    Small data sets fall back to the hand-set defaults of tip-v1.
    """
    names = c_names = settings.comparisons
    sizes = [len(COMPARISONS[c].labels) for c in names]
    # a name coincidence in a small file is still a coincidence in the population: at least 10,000 records
    n_eff = max(n_records, MIN_POPULATION)
    all_pairs = n_eff * (n_eff - 1) / 2
    use_random = random_levels is not None and n_records >= MIN_RECORDS_FOR_U
    random_counts = [_level_counts(random_levels[:, k], sizes[k]) if use_random and random_levels is not None
                     else np.zeros(sizes[k]) for k in range(len(names))]
    u = [np.array(_normalise(random_counts[k], 1.0)) if use_random else np.array(DEFAULT_U[c], dtype=float)
         for k, c in enumerate(names)]
    for k, c in enumerate(names):
        if c in _ID_COMPARISONS:  # an identity number shared by chance: bounded by the number space
            u[k][1:3] = np.minimum(u[k][1:3], DEFAULT_U[c][1:3])
            u[k][1:] /= u[k][1:].sum()
    m = [np.array(DEFAULT_M[c], dtype=float) for c in names]
    expected = 0.5 * n_eff  # without EM: assume one record in three has a duplicate
    if len(levels) >= MIN_PAIRS_FOR_EM:
        patterns, counts = distinct_rows(levels)
        for _ in range(3):
            m, prior = _em(patterns, counts, m, u, sizes, settings.em_iterations,
                           [settings.m_caps.get(c, {}) for c in names])
            expected = prior * len(levels)
            if not use_random:
                break
            # random pairs of a small data set hold true matches too: take them out of u
            share = expected / max(1.0, n_records * (n_records - 1) / 2)
            for k in range(len(names)):
                total = random_counts[k][1:].sum()
                clean = np.maximum(random_counts[k] - share * total * m[k], 0.0)
                u[k] = np.array(_normalise(clean, 1.0))
                if c_names[k] in _ID_COMPARISONS:
                    u[k][1:3] = np.minimum(u[k][1:3], DEFAULT_U[c_names[k]][1:3])
                    u[k][1:] /= u[k][1:].sum()
    if labelled is not None and len(labelled[0]):
        lv, is_match = labelled
        matched = lv[np.asarray(is_match, dtype=bool)]
        for k in range(len(names)):
            m[k] = np.array(_normalise(_level_counts(matched[:, k], sizes[k]) + m[k] * 10, 0.01))
    settings.m = {c: [float(x) for x in m[k]] for k, c in enumerate(names)}
    settings.u = {c: [float(x) for x in u[k]] for k, c in enumerate(names)}
    settings.prior = float(np.clip(expected / all_pairs, 1e-12, 0.5))
    return settings


def _capped(m: np.ndarray, caps: dict[str, float]) -> np.ndarray:
    out = m.copy()
    fixed = np.zeros(len(out), bool)
    fixed[0] = True
    for level, cap in caps.items():
        k = int(level)
        if out[k] > cap:
            out[k], fixed[k] = cap, True
    free = ~fixed
    rest = 1.0 - sum(out[k] for k in range(1, len(out)) if fixed[k])
    if free.any() and out[free].sum() > 0:
        out[free] *= rest / out[free].sum()
    return out


def _em(patterns: np.ndarray, counts: np.ndarray, m: list[np.ndarray], u: list[np.ndarray], sizes: list[int],
        iterations: int, caps: list[dict[str, float]]) -> tuple[list[np.ndarray], float]:
    prior = 0.1
    for _ in range(iterations):
        log_ratio = np.zeros(len(patterns))
        for k in range(len(sizes)):
            log_ratio += np.log(m[k][patterns[:, k]]) - np.log(u[k][patterns[:, k]])
        odds = prior / (1 - prior) * np.exp(np.clip(log_ratio, -700, 700))
        w = odds / (1 + odds) * counts
        prior = float(np.clip(w.sum() / counts.sum(), 1e-9, 1 - 1e-9))
        m = [_capped(np.array(_normalise(_level_counts(patterns[:, k], sizes[k], w), 0.01)), caps[k])
             for k in range(len(sizes))]
    return m, prior


def match_weights(settings: Settings, levels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Total match weight per pair and the per-comparison partial weights (``log2 m/u``)."""
    parts = np.zeros(levels.shape, dtype=np.float32)
    for k, c in enumerate(settings.comparisons):
        table = np.log2(np.array(settings.m[c]) / np.array(settings.u[c]))
        table[0] = 0.0
        parts[:, k] = table[levels[:, k]]
    prior = settings.prior or 1e-4
    total = np.log2(prior / (1 - prior)) + parts.sum(axis=1)
    return total.astype(np.float32), parts


def frequency_penalty(name_keys: np.ndarray, i: np.ndarray, j: np.ndarray,
                      frequencies: tuple[np.ndarray, float] | None = None) -> np.ndarray:
    """Bits to take off a name agreement when the name is commoner than usual in the data (never added).

    A name seen ``c`` times, against a typical ``c̄ = Σc² / Σc``, loses ``log2(c / c̄)`` bits: two people
    called "Wai Kyo" are no news, two called "Siripat Kaengsantia" are. ``frequencies``:
    :func:`name_frequencies` of ``name_keys``, when worked out already.

    >>> keys = np.array(["a", "a", "a", "a", "b", "b", "c", "d"], dtype=object)
    >>> (frequency_penalty(keys, np.array([0, 4]), np.array([1, 5])).round(2) + 0.0).tolist()
    [-0.54, 0.0]
    """
    per_record, typical = frequencies if frequencies is not None else name_frequencies(name_keys)
    worst = np.maximum(per_record[i], per_record[j])
    return -np.log2(np.maximum(1.0, worst / typical))


def name_frequencies(name_keys: np.ndarray) -> tuple[np.ndarray, float]:
    """Per record how many records carry its name (0 without a name), and the typical count ``Σc² / Σc``.

    >>> per_record, typical = name_frequencies(np.array(["a", "a", "b", ""], dtype=object))
    >>> per_record.tolist(), round(float(typical), 2)
    ([2.0, 2.0, 1.0, 0.0], 1.67)
    """
    # by hashing, not np.unique's sort of the keys as fixed-width text (the counts are the same)
    keys = np.asarray(name_keys, dtype=object)
    if pd.api.types.infer_dtype(keys, skipna=False) not in ("string", "empty"):
        keys = keys.astype(str).astype(object)
    inverse, values = pd.factorize(keys)
    counts = np.bincount(inverse, minlength=len(values))
    present = values != ""
    c = counts[present].astype(float)
    typical = (c * c).sum() / c.sum() if c.sum() else 1.0
    per_record = counts[inverse].astype(float)
    per_record[~present[inverse]] = 0.0
    return per_record, typical


def corroborated(parts: np.ndarray, settings: Settings) -> np.ndarray:
    """Pairs that may merge automatically: the name (or an identity number) agrees, and something beyond
    the name, sex and nationality adds evidence. Context alone never joins two differently named records,
    and a name alone never joins two records."""
    names = settings.comparisons
    extra = [k for k, c in enumerate(names) if c in settings.corroborating]
    identity = [k for k, c in enumerate(names) if c in ("name", *_ID_COMPARISONS)]
    ok = np.ones(len(parts), bool)
    for group in (extra, identity):
        if group:
            # column by column: ``parts[:, group]`` copied 9 float columns of 25 M pairs at a million persons
            any_positive = np.zeros(len(parts), bool)
            for k in group:
                any_positive |= parts[:, k] > 0
            ok &= any_positive
    return ok


def name_of_several_people(df: pd.DataFrame) -> np.ndarray:
    """Per record: whether the data shows its name to belong to several people: the records of that name
    hold two different valid Thai IDs, two different passport, border pass or pink card numbers, or birth
    years more than a year apart.

    >>> df = pd.DataFrame({"name_key": ["kyo wai"] * 3 + ["a b", "c d"], "thai_id": [""] * 5,
    ...                    "thai_valid": [False] * 5, "pink_card_no": ["0045631234564", "0079673301763", "", "", ""],
    ...                    "passport_no": [""] * 5, "border_pass_no": [""] * 5, "birth_year": [0] * 5})
    >>> name_of_several_people(df).tolist()
    [True, True, True, False, False]
    """
    # by numbers (one factorisation of the names), not by pandas groupbys of the names, each of which
    # factorised and sorted them again: 0.30 CPU s at 100k persons, now 0.07 (2026-11-27, load ~1.5)
    key = df["name_key"].to_numpy(dtype=object)
    name = pd.factorize(key)[0]  # -1: a missing name, in no group
    named = name >= 0
    several = np.zeros(len(df), bool)
    ids = np.where(df["thai_valid"].to_numpy(bool), df["thai_id"].to_numpy(dtype=object), "")
    for values in (ids, *(df[c].to_numpy(dtype=object) for c in ("pink_card_no", "passport_no", "border_pass_no"))):
        value = pd.factorize(values)[0]
        kept = named & (value >= 0) & np.asarray(values != "", bool)
        rows = np.sort(name[kept] * np.int64(value.max() + 1) + value[kept])
        distinct = rows[np.r_[True, rows[1:] != rows[:-1]]] if len(rows) else rows
        count = np.bincount(distinct // np.int64(value.max() + 1), minlength=name.max() + 1)
        several[named] |= count[name[named]] >= 2
    raw_years = df["birth_year"].to_numpy()
    years = np.where(raw_years > 2400, raw_years - 543, raw_years)  # a BE year is no other person
    known = named & (years > 0)
    if known.any():
        top, low = np.full(name.max() + 1, -np.inf), np.full(name.max() + 1, np.inf)
        np.maximum.at(top, name[known], years[known])
        np.minimum.at(low, name[known], years[known])
        spread = np.where(top >= low, top - low, 0.0)
        several[named] |= spread[name[named]] > 1
    return several & np.asarray(key != "", bool)


def ambiguous_name_penalty(df: pd.DataFrame, i: np.ndarray, j: np.ndarray, m_same: float, u_same: float,
                           several: np.ndarray | None = None) -> np.ndarray:
    """Bits to take off a name agreement when the data shows the name belongs to several people.

    A name of several people (:func:`name_of_several_people`, or ``several`` when worked out already) is
    not identifying: its agreement then weighs ``log2(m / frequency)`` (the name's share of all records),
    as in term-frequency matching, instead of the average ``log2(m / u)``.

    >>> df = pd.DataFrame({"name_key": ["kyo wai"] * 3 + ["a b", "c d"], "thai_id": [""] * 5,
    ...                    "thai_valid": [False] * 5, "pink_card_no": ["0045631234564", "0079673301763", "", "", ""],
    ...                    "passport_no": [""] * 5, "border_pass_no": [""] * 5, "birth_year": [0] * 5})
    >>> (ambiguous_name_penalty(df, np.array([0, 3]), np.array([2, 4]), 0.9, 1e-5).round(1) + 0.0).tolist()
    [-4.9, 0.0]
    """
    if several is None:
        several = name_of_several_people(df)
    penalty = ambiguous_name_penalties(df, m_same, u_same)
    return np.where(several[i] & several[j], penalty[i], 0.0)


def ambiguous_name_penalties(df: pd.DataFrame, m_same: float, u_same: float) -> np.ndarray:
    """Per record the bits :func:`ambiguous_name_penalty` takes off an agreement on its name (where the
    name belongs to several people): ``min(0, log2(m / frequency) - log2(m / u))``."""
    name = pd.factorize(df["name_key"].to_numpy(dtype=object))[0]  # value_counts, mapped back: one factorisation
    counts, named = np.full(len(name), np.nan), name >= 0  # a missing name: no count
    counts[named] = np.bincount(name[named])[name[named]]
    frequency = counts / max(len(df), MIN_POPULATION)
    tf_weight = np.log2(m_same / np.maximum(frequency, 1e-12))
    return np.minimum(0.0, tf_weight - np.log2(m_same / u_same))
