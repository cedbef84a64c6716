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

from entity_resolution.blocking import BlockingRule, block_on
from entity_resolution.comparators import COMPARISONS

__all__ = ["DEFAULT_BLOCKING", "DEFAULT_COMPARISONS", "Settings", "estimate", "match_weights"]

DEFAULT_BLOCKING: tuple[tuple[str, ...], ...] = (
    ("thai_id",), ("id_masks",), ("documents",), ("phones",), ("accounts",), ("other_id",),
    ("name_key", "birth_year"), ("name_key2", "birth_year"), ("skeleton", "birth_year"),
    ("name_key", "case_keys"), ("token_keys", "case_keys"), ("name_key", "location_keys"),
    ("name_key", "district"), ("first_key", "birth_year", "birth_month"), ("last_key", "birth_year", "birth_month"),
    ("token_keys", "birth_year", "birth_month", "birth_day"), ("token_keys", "postcode"),
)
DEFAULT_COMPARISONS = ("name", "nickname", "birth_date", "sex", "nationality", "thai_id", "documents",
                       "other_id", "phones", "accounts", "shared_case", "address")


# Hand-set starting values of tip-v1 (m, u per level; level 0 = no information), used where a data set
# is too small to estimate them.
DEFAULT_M: dict[str, list[float]] = {
    "name": [1, .80, .10, .05, .03, .01, .01], "nickname": [1, .7, .3],
    "birth_date": [1, .80, .08, .06, .03, .02, .01], "sex": [1, .98, .02], "nationality": [1, .97, .03],
    "thai_id": [1, .97, .025, .005], "documents": [1, .9, .1], "other_id": [1, .85, .1, .05],
    "phones": [1, .5, .5], "accounts": [1, .5, .5], "shared_case": [1, .5, .5], "address": [1, .6, .15, .15, .1],
}
DEFAULT_U: dict[str, list[float]] = {
    "name": [1, 1e-5, 5e-5, 5e-4, 1e-3, 1e-2, .98845], "nickname": [1, .01, .99],
    "birth_date": [1, 3e-5, 5e-5, 1e-3, .02, .08, .89892], "sex": [1, .5, .5], "nationality": [1, .7, .3],
    "thai_id": [1, 1e-7, 1e-6, 1 - 1.1e-6], "documents": [1, 1e-6, 1 - 1e-6], "other_id": [1, 1e-6, 1e-5, 1 - 1.1e-5],
    "phones": [1, 1e-5, 1 - 1e-5], "accounts": [1, 1e-6, 1 - 1e-6], "shared_case": [1, 1e-4, 1 - 1e-4],
    "address": [1, 1e-4, 1e-3, .02, .9789],
}
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
    auto_merge_weight: float = 10.0
    review_weight: float = 3.0
    em_iterations: int = 30
    u_sample_pairs: int = 2_000_000
    seed: int = 8
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


def estimate(settings: Settings, levels: np.ndarray, random_levels: np.ndarray | None, n_records: int,
             labelled: tuple[np.ndarray, np.ndarray] | None = None) -> Settings:
    """Estimate ``u`` from random pairs and ``m`` + prior by EM on candidate pair levels (columns = comparisons).

    The prior stored is the match rate among *all* record pairs (expected matches among the candidates
    over ``n (n-1) / 2``), so that ``prior + Σ log2(m/u)`` is a posterior weight for a random pair.
    ``labelled`` is ``(levels, is_match)`` of pairs with known answers; their match rows refine ``m``.
    Small data sets fall back to the hand-set defaults of tip-v1.
    """
    names = settings.comparisons
    sizes = [len(COMPARISONS[c].labels) for c in names]
    # a name coincidence in a small file is still a coincidence in the population: at least 10,000 records
    n_eff = max(n_records, 10_000)
    all_pairs = n_eff * (n_eff - 1) / 2
    if random_levels is not None and n_records >= MIN_RECORDS_FOR_U:
        settings.u = {c: _normalise(_level_counts(random_levels[:, k], sizes[k]), 1.0) for k, c in enumerate(names)}
    else:
        settings.u = {c: list(DEFAULT_U[c]) for c in names}
    m = [np.array(DEFAULT_M[c], dtype=float) for c in names]
    u = [np.array(settings.u[c]) for c in names]
    prior = 0.1
    if len(levels) >= MIN_PAIRS_FOR_EM:
        patterns, counts = np.unique(levels, axis=0, return_counts=True)
        for _ in range(settings.em_iterations):
            log_ratio = np.zeros(len(patterns))
            for k in range(len(names)):
                log_ratio += np.log(m[k][patterns[:, k]]) - np.log(u[k][patterns[:, k]])
            odds = prior / (1 - prior) * np.exp(np.clip(log_ratio, -700, 700))
            w = odds / (1 + odds) * counts
            prior = float(np.clip(w.sum() / counts.sum(), 1e-9, 1 - 1e-9))
            m = [np.array(_normalise(_level_counts(patterns[:, k], sizes[k], w), 0.01)) for k in range(len(names))]
        expected = prior * len(levels)
    else:
        expected = 0.5 * n_eff  # assume one record in three has a duplicate
    if labelled is not None and len(labelled[0]):
        lv, is_match = labelled
        matched = lv[np.asarray(is_match, dtype=bool)]
        for k in range(len(names)):
            m[k] = np.array(_normalise(_level_counts(matched[:, k], sizes[k]) + m[k] * 10, 0.01))
    settings.m = {c: [float(x) for x in m[k]] for k, c in enumerate(names)}
    settings.prior = float(np.clip(expected / all_pairs, 1e-12, 0.5))
    return settings


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
