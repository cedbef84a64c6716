"""From comparison levels to match weights: Fellegi–Sunter weights, then the adjustments that keep
precision: common values weigh less, shared context counts once (and not at all for a name known to
belong to several people), and two different valid Thai IDs never match.

Examples
--------
>>> import numpy as np, pandas as pd
>>> from entity_resolution.blocking import Pairs
>>> from entity_resolution.frame import Features
>>> from entity_resolution.model import Settings, estimate
>>> f = Features.build(pd.DataFrame({"record_id": ["a", "b"], "names": ["สมชาย ใจดี", "สมชาย ใจดี"],
...                                  "thai_id": ["1100700123455", "3100600234561"]}))
>>> pairs = Pairs(np.array([0]), np.array([1]), np.array([0]))
>>> from entity_resolution.resolution import compare
>>> settings = Settings()
>>> levels = compare(f, pairs, settings.comparisons)
>>> settings = estimate(settings, levels, None, 2)
>>> bool(score(f, pairs, levels, settings)[0][0] == HARD_NO)
True
"""

from __future__ import annotations

import numpy as np

from entity_resolution.blocking import Pairs
from entity_resolution.comparators import alias_in_case, shared_rarity
from entity_resolution.frame import Features
from entity_resolution.model import Settings, ambiguous_name_penalty, frequency_penalty, match_weights

__all__ = ["HARD_NO", "score"]

#: The weight of a pair that must never match (two different valid Thai national IDs).
HARD_NO = np.float32(-1e6)


def score(features: Features, pairs: Pairs, levels: np.ndarray, settings: Settings
          ) -> tuple[np.ndarray, np.ndarray]:
    """Match weight per pair and the per-comparison parts that explain it."""
    weights, parts = match_weights(settings, levels)
    ambiguous = _common_value_penalties(features, pairs, levels, weights, parts, settings)
    _context_counted_once(weights, parts, settings, ambiguous | _personal_disagreement(parts, settings))
    valid = features.df["thai_valid"].to_numpy(bool)
    ids = np.where(valid, features.df["thai_id"].to_numpy(dtype=object), "")
    hard = (ids[pairs.i] != "") & (ids[pairs.j] != "") & (ids[pairs.i] != ids[pairs.j])
    weights[hard] = HARD_NO
    return weights, parts


#: Shared values that say less when many records carry them: comparison → list column.
_CONTEXT_COLUMNS = {"phones": "phones", "accounts": "accounts", "shared_case": "case_keys",
                    "address": "location_keys", "province": "province_keys"}


def _common_value_penalties(features: Features, pairs: Pairs, levels: np.ndarray, weights: np.ndarray,
                            parts: np.ndarray, settings: Settings) -> np.ndarray:
    """Take bits off agreements on values commoner than usual: a common name, a phone many victims gave.

    Returns which pairs agree on a name the data shows to belong to several people.
    """
    ambiguous = np.zeros(len(pairs), bool)
    for k, name in enumerate(settings.comparisons):
        if name == "name":
            agree = (levels[:, k] >= 1) & (levels[:, k] <= 3)
            penalty = frequency_penalty(features.df["name_key"].to_numpy(dtype=object), pairs.i, pairs.j)
            shared_by_several = ambiguous_name_penalty(features.df, pairs.i, pairs.j,
                                                       settings.m["name"][1], settings.u["name"][1])
            ambiguous = agree & (shared_by_several < 0)
            penalty = np.minimum(penalty, shared_by_several)
        elif name in _CONTEXT_COLUMNS and features.lists[_CONTEXT_COLUMNS[name]][1].size:
            agree = levels[:, k] == 1
            values = features.lists[_CONTEXT_COLUMNS[name]][1]
            counts = np.unique(values, return_counts=True)[1].astype(float)
            typical = (counts * counts).sum() / counts.sum()
            rarity = shared_rarity(features, _CONTEXT_COLUMNS[name], pairs.i, pairs.j).astype(float)
            penalty = -np.log2(np.maximum(1.0, rarity / typical))
            if name == "shared_case":
                # a nickname the victim gave that the police wrote down as one suspect's alias in the same case
                # points at that one person of the case, however many victims and witnesses the case names
                penalty[alias_in_case(features, pairs.i, pairs.j)] = 0.0
        else:
            continue
        penalty = np.where(agree, penalty, 0.0).astype(np.float32)
        parts[:, k] += penalty
        weights += penalty
    return ambiguous


#: Comparisons of the person themself (not of their surroundings) whose disagreement rules out context.
_PERSONAL = ("sex", "nationality", "thai_id", "documents")
#: A personal disagreement of more than this many bits against a match.
PERSONAL_DISAGREEMENT_BITS = 3.0


def _personal_disagreement(parts: np.ndarray, settings: Settings) -> np.ndarray:
    """Pairs whose own particulars disagree (sex, nationality, identity numbers): two victims of one ring
    with like names share its shelter and case, so context must not outvote what sets them apart."""
    cols = [k for k, c in enumerate(settings.comparisons) if c in _PERSONAL]
    if not cols:
        return np.zeros(len(parts), bool)
    return np.asarray((parts[:, cols] < -PERSONAL_DISAGREEMENT_BITS).any(axis=1))


def _context_counted_once(weights: np.ndarray, parts: np.ndarray, settings: Settings,
                          ambiguous: np.ndarray) -> None:
    """Shared context counts once, by its strongest item: victims of one ring share the employer's phone,
    the shelter's address and the case, and those agreements are one fact about the ring, not three.
    Where the name is known to belong to several people, or the pair's own particulars disagree, context
    counts for nothing: namesakes in one ring share its phone, address and case, so only personal
    evidence (IDs, documents, dates) can tell."""
    cols = [k for k, c in enumerate(settings.comparisons) if c in _CONTEXT_COLUMNS]
    if not cols:
        return
    ctx = parts[:, cols]
    positive = np.maximum(ctx, 0)
    keep = np.where(ambiguous, 0.0, positive.max(axis=1))
    weights -= positive.sum(axis=1) - keep
    strongest = positive.argmax(axis=1)
    for n, k in enumerate(cols):
        parts[:, k] = np.where((ctx[:, n] > 0) & ((strongest != n) | ambiguous), 0.0, ctx[:, n])
