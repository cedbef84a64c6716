"""From comparison levels to match weights: Fellegi–Sunter weights, then the adjustments that keep
precision: common values weigh less, shared context counts once (and not at all for a name known to
belong to several people), a date of birth that agrees only in part says nothing between two records of
such a name, nor do document numbers one slip apart between two different dates of birth, and two
different valid Thai IDs never match.

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

from collections.abc import Callable

import numpy as np

from entity_resolution.blocking import Pairs
from entity_resolution.comparators import alias_in_case, shared_rarity
from entity_resolution.frame import Features
from entity_resolution.model import (
    Settings,
    ambiguous_name_penalties,
    corroborated,
    frequency_penalty,
    match_weights,
    name_frequencies,
    name_of_several_people,
)
from entity_resolution.parallel import rows_array, split_rows

__all__ = ["HARD_NO", "score", "score_decisions"]

#: The weight of a pair that must never match (two different valid Thai national IDs).
HARD_NO = np.float32(-1e6)


def score(features: Features, pairs: Pairs, levels: np.ndarray, settings: Settings, chunk: int = 2_000_000
          ) -> tuple[np.ndarray, np.ndarray]:
    """Match weight per pair and the per-comparison parts that explain it.

    What depends on all records (name frequencies, who shares a name, value counts) is worked out once;
    then the pairs, ``chunk`` at a time, split over the cores (:mod:`entity_resolution.parallel`).
    """
    weights, parts = rows_array((len(pairs),), np.float32), rows_array(levels.shape, np.float32)

    def keep(first: int, last: int, w: np.ndarray, p: np.ndarray) -> None:
        weights[first:last], parts[first:last] = w, p

    _score_in_chunks(features, pairs, levels, settings, chunk, keep)
    return weights, parts


def score_decisions(features: Features, pairs: Pairs, levels: np.ndarray, settings: Settings,
                    chunk: int = 2_000_000) -> tuple[np.ndarray, np.ndarray]:
    """:func:`score` without keeping the parts: the match weights, and whether each pair is
    :func:`~entity_resolution.model.corroborated` (what a decision needs). The parts of 25 M pairs are
    1.4 GB at a million persons; an explanation works out those of its pair again (:func:`score`).
    """
    weights, corroborated_pairs = rows_array((len(pairs),), np.float32), rows_array((len(pairs),), np.bool_)

    def keep(first: int, last: int, w: np.ndarray, p: np.ndarray) -> None:
        weights[first:last], corroborated_pairs[first:last] = w, corroborated(p, settings)

    _score_in_chunks(features, pairs, levels, settings, chunk, keep)
    return weights, corroborated_pairs


def _score_in_chunks(features: Features, pairs: Pairs, levels: np.ndarray, settings: Settings, chunk: int,
                     keep: Callable[[int, int, np.ndarray, np.ndarray], None]) -> None:
    tables = _record_tables(features, settings)

    def rows(start: int, stop: int) -> None:
        for first in range(start, stop, chunk):
            last = min(first + chunk, stop)
            part = Pairs(pairs.i[first:last], pairs.j[first:last], pairs.rules[first:last])
            keep(first, last, *_score_rows(features, part, levels[first:last], settings, tables))

    warm = min(len(pairs), 1_000)  # builds what all chunks share (value tables) before the split
    rows(0, warm)
    split_rows(rows, warm, len(pairs))


def _record_tables(features: Features, settings: Settings) -> dict[str, object]:
    """What scoring needs over all records, worked out once per run (not per chunk of pairs)."""
    def build() -> dict[str, object]:
        df = features.df
        tables: dict[str, object] = {"several": name_of_several_people(df)}
        if "name" in settings.comparisons:
            tables["frequencies"] = name_frequencies(df["name_key"].to_numpy(dtype=object))
            tables["ambiguous"] = ambiguous_name_penalties(df, settings.m["name"][1], settings.u["name"][1])
        for name, col in _CONTEXT_COLUMNS.items():
            values = features.lists[col][1] if col in features.lists else np.zeros(0, np.uint64)
            if name in settings.comparisons and values.size:
                counts = np.unique(values, return_counts=True)[1].astype(float)
                tables[f"typical:{name}"] = (counts * counts).sum() / counts.sum()
        valid = df["thai_valid"].to_numpy(bool)
        tables["ids"] = np.where(valid, df["thai_id"].to_numpy(dtype=object), "")
        return tables
    # keyed by the settings they depend on: the same features may be scored under other settings
    key = ("score_tables", *settings.comparisons, repr(settings.m.get("name")), repr(settings.u.get("name")))
    return features.per_record(key, build)


def _score_rows(features: Features, pairs: Pairs, levels: np.ndarray, settings: Settings,
                tables: dict[str, object]) -> tuple[np.ndarray, np.ndarray]:
    """:func:`score` of some pairs, with the tables of all records."""
    weights, parts = match_weights(settings, levels)
    several: np.ndarray = tables["several"]  # type: ignore[assignment]
    ambiguous = _common_value_penalties(features, pairs, levels, weights, parts, settings, tables)
    _partial_dates_of_namesakes(features, pairs, levels, weights, parts, settings, several)
    _document_slips_with_other_dates(levels, weights, parts, settings)
    _context_counted_once(weights, parts, settings, ambiguous | _personal_disagreement(parts, settings))
    ids: np.ndarray = tables["ids"]  # type: ignore[assignment]
    hard = (ids[pairs.i] != "") & (ids[pairs.j] != "") & (ids[pairs.i] != ids[pairs.j])
    weights[hard] = HARD_NO
    return weights, parts


#: Shared values that say less when many records carry them: comparison → list column.
_CONTEXT_COLUMNS = {"phones": "phones", "accounts": "accounts", "shared_case": "case_keys",
                    "address": "location_keys", "province": "province_keys"}


def _common_value_penalties(features: Features, pairs: Pairs, levels: np.ndarray, weights: np.ndarray,
                            parts: np.ndarray, settings: Settings, tables: dict[str, object]) -> np.ndarray:
    """Take bits off agreements on values commoner than usual: a common name, a phone many victims gave.

    Returns which pairs agree on a name the data shows to belong to several people.
    """
    ambiguous = np.zeros(len(pairs), bool)
    several: np.ndarray = tables["several"]  # type: ignore[assignment]
    for k, name in enumerate(settings.comparisons):
        if name == "name":
            agree = (levels[:, k] >= 1) & (levels[:, k] <= 3)
            penalty = frequency_penalty(features.df["name_key"].to_numpy(dtype=object), pairs.i, pairs.j,
                                        tables["frequencies"])  # type: ignore[arg-type]
            per_record: np.ndarray = tables["ambiguous"]  # type: ignore[assignment]
            # ambiguous_name_penalty, from the per-record penalties worked out once
            shared_by_several = np.where(several[pairs.i] & several[pairs.j], per_record[pairs.i], 0.0)
            ambiguous = agree & (shared_by_several < 0)
            penalty = np.minimum(penalty, shared_by_several)
        elif f"typical:{name}" in tables:
            agree = levels[:, k] == 1
            typical: float = tables[f"typical:{name}"]  # type: ignore[assignment]
            # worked out for the agreeing pairs only: the others take no penalty
            rarity = np.zeros(len(pairs))
            both = np.flatnonzero(agree)
            rarity[both] = shared_rarity(features, _CONTEXT_COLUMNS[name], pairs.i[both], pairs.j[both])
            penalty = -np.log2(np.maximum(1.0, rarity / typical))
            if name == "shared_case":
                # a nickname the victim gave that the police wrote down as one suspect's alias in the same case
                # points at that one person of the case, however many victims and witnesses the case names
                penalty[both[alias_in_case(features, pairs.i[both], pairs.j[both])]] = 0.0
        else:
            continue
        penalty = np.where(agree, penalty, 0.0).astype(np.float32)
        parts[:, k] += penalty
        weights += penalty
    return ambiguous


#: Birth date levels that agree only in part: two of day, month and year, the year, or within two years.
PARTIAL_DATE_LEVELS = (3, 4, 5)


def _partial_dates_of_namesakes(features: Features, pairs: Pairs, levels: np.ndarray, weights: np.ndarray,
                                parts: np.ndarray, settings: Settings, several: np.ndarray) -> None:
    """A date of birth agreeing only in part adds nothing between two records of a name the data shows to
    belong to several people (:func:`~entity_resolution.model.name_of_several_people`).

    Namesakes of one generation share a birth year, and one in twelve a month: a migrant's work permit
    and another's immigration record, both "Moe Mya" born in 2000 in March, are what two people of a
    common name without a family name look like. Between records of such a name only a whole date, an
    identity or document number, or other personal evidence tells, as a person would check it.
    """
    if "birth_date" not in settings.comparisons or "name" not in settings.comparisons:
        return
    k = settings.comparisons.index("birth_date")
    name = levels[:, settings.comparisons.index("name")]
    namesakes = (name >= 1) & (name <= 3) & several[pairs.i] & several[pairs.j]
    partial = namesakes & np.isin(levels[:, k], PARTIAL_DATE_LEVELS) & (parts[:, k] > 0)
    weights[partial] -= parts[partial, k]
    parts[partial, k] = 0.0


#: Birth date levels of two dates that are not one date written with a slip: the same year only, within
#: two years, or different.
OTHER_DATE_LEVELS = (4, 5, 6)


def _document_slips_with_other_dates(levels: np.ndarray, weights: np.ndarray, parts: np.ndarray,
                                     settings: Settings) -> None:
    """Document numbers one typing slip apart add nothing when both dates of birth are known and differ.

    Passports and pink cards are issued in sequence: migrants registered together hold numbers one digit
    apart, while a number copied with a slip comes with the date of birth copied from the same page.
    """
    if "documents" not in settings.comparisons or "birth_date" not in settings.comparisons:
        return
    k = settings.comparisons.index("documents")
    dates = levels[:, settings.comparisons.index("birth_date")]
    slip = (levels[:, k] == 2) & np.isin(dates, OTHER_DATE_LEVELS) & (parts[:, k] > 0)
    weights[slip] -= parts[slip, k]
    parts[slip, k] = 0.0


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
