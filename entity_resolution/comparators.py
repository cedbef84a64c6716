"""Comparators: vectorised functions from candidate pairs to agreement levels, one per feature.

Each comparator takes the features and the pair index arrays ``i`` and ``j`` and returns one ``int8`` level
per pair; level 0 always means "no information" (weight 0). Its one-sentence docstring is the explanation
shown to users; :data:`COMPARISONS` names the levels.

Examples
--------
>>> import numpy as np, pandas as pd
>>> from entity_resolution.frame import Features
>>> f = Features.build(pd.DataFrame({"record_id": ["a", "b"], "birth_date": ["1980-03-04", "1980-04-03"]}))
>>> COMPARISONS["birth_date"].labels[birth_date(f, np.array([0]), np.array([1]))[0]]
'day and month swapped, or BE/CE year slip'
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA, Levenshtein

from entity_resolution.frame import Features
from entity_resolution.letters import CharCounts, char_counts, may_reach
from entity_resolution.list_values import has_values, overlap, shared_count, shared_rarity, shares

__all__ = ["COMPARISONS", "Comparison", "account_in_case", "alias_in_case", "overlap", "promptpay_link", "shared_count", "shared_rarity"]

Comparator = Callable[[Features, np.ndarray, np.ndarray], np.ndarray]


@dataclass(frozen=True)
class Comparison:
    """A named feature: its comparator function and the label of each level (level 0 = no information)."""

    name: str
    function: Comparator
    labels: tuple[str, ...]

    @property
    def explanation(self) -> str:
        """The comparator's docstring: what it checks, in one sentence."""
        return (self.function.__doc__ or self.name).strip().splitlines()[0]


def _col(f: Features, name: str) -> np.ndarray:
    return f.df[name].to_numpy()


def _coded(f: Features, name: str) -> tuple[np.ndarray, np.ndarray]:
    """Per record a number for the text of column ``name`` (equal texts, equal numbers; a missing value
    equals nothing) and whether the text is written (not ``""``): comparing numbers of a million pairs
    costs a fifth of gathering and comparing their texts."""
    return f.per_record(("coded", name), lambda: (_numbered(pd.factorize(_col(f, name))[0]), _written(f, name)))


def _written(f: Features, name: str) -> np.ndarray:
    """Per record whether its text of column ``name`` is written (not ``""``)."""
    return f.per_record(("written", name), lambda: np.asarray(_col(f, name) != "", bool))


def _coded_together(f: Features, first: str, second: str) -> tuple[np.ndarray, np.ndarray]:
    """:func:`_coded` numbers of two columns in one numbering: equal texts in either column, equal numbers."""
    def build() -> tuple[np.ndarray, np.ndarray]:
        n = len(f)
        codes = _numbered(_factorized_together(f, first, second)[0])
        return codes[:n], codes[n:]
    return f.per_record(("coded together", first, second), build)


def _factorized_together(f: Features, first: str, second: str) -> tuple[np.ndarray, np.ndarray]:
    """``pd.factorize`` of the texts of column ``first`` followed by those of ``second`` (the codes of
    :func:`_coded_together` and the distinct texts of :func:`_char_counts`)."""
    return f.per_record(("factorized together", first, second),
                        lambda: pd.factorize(np.r_[_col(f, first), _col(f, second)]))


def _numbered(codes: np.ndarray) -> np.ndarray:
    """``pd.factorize`` codes as numbers, equal for equal values; each missing value (code -1) a number of
    its own (as NaN != NaN)."""
    codes = codes.astype(np.int64)
    missing = np.flatnonzero(codes < 0)
    codes[missing] = -1 - np.arange(len(missing))
    return codes


def _written_score(f: Features, name: str, i: np.ndarray, j: np.ndarray, scorer: Any, missing: float
                   ) -> np.ndarray:
    """``scorer`` of the texts of column ``name`` of records ``i`` and ``j`` where both are written,
    ``missing`` where either is empty: the texts are gathered and scored only for the pairs that have both
    (most candidate and random pairs lack one)."""
    written = _written(f, name)
    out = np.full(len(i), missing, dtype=float)
    both = np.flatnonzero(written[i] & written[j])
    if len(both):
        values = _col(f, name)
        out[both] = process.cpdist(values[i[both]], values[j[both]], scorer=scorer, workers=1)
    return out


def _same_written(f: Features, name: str, i: np.ndarray, j: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Whether record ``i``'s and record ``j``'s texts of column ``name`` are written, and whether they are
    equal (``a != ""``, ``b != ""``, ``a == b`` without gathering the texts)."""
    codes, written = _coded(f, name)
    return written[i], written[j], codes[i] == codes[j]


def _record_array(f: Features, name: str, build: Callable[[], np.ndarray]) -> np.ndarray:
    return f.per_record(("record_array", name), build)


def _three_way(has_a: np.ndarray, has_b: np.ndarray, shared: np.ndarray) -> np.ndarray:
    out = np.where(shared, 1, 2).astype(np.int8)
    out[~(has_a & has_b)] = 0
    return out


_JOINED = {"name_key": "joined1", "name_key2": "joined2"}
_PARTS = {"name_key": ("first_key", "last_key"), "name_key2": ("first_key2", "last_key2")}


def _token_agreement(f: Features, i: np.ndarray, j: np.ndarray, two_a: np.ndarray, two_b: np.ndarray
                     ) -> np.ndarray:
    """Similarity of the least similar name part, under the better of straight and swapped alignment."""
    best = np.zeros(len(i))
    for a, b, rows in (("name_key", "name_key", np.ones(len(i), bool)), ("name_key", "name_key2", two_b),
                       ("name_key2", "name_key", two_a), ("name_key2", "name_key2", two_a & two_b)):
        sel = np.flatnonzero(rows)
        fa, la = (_col(f, c)[i[sel]] for c in _PARTS[a])
        fb, lb = (_col(f, c)[j[sel]] for c in _PARTS[b])
        straight = np.minimum(process.cpdist(fa, fb, scorer=fuzz.ratio, workers=1),
                              process.cpdist(la, lb, scorer=fuzz.ratio, workers=1))
        crossed = np.minimum(process.cpdist(fa, lb, scorer=fuzz.ratio, workers=1),
                             process.cpdist(la, fb, scorer=fuzz.ratio, workers=1))
        best[sel] = np.maximum(best[sel], np.maximum(straight, crossed))
    return best


def name_similarity(f: Features, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """Full names compared after romanising Thai script and folding spelling variants, in any token order; a name that is the other's alias counts as contained."""
    k1, k2 = _col(f, "name_key"), _col(f, "name_key2")
    two = _record_array(f, "two_name_keys", lambda: np.asarray(k1 != k2, bool))
    two_a, two_b = two[i], two[j]
    named = _written(f, "name_key")
    alignments = (("name_key", "name_key", None), ("name_key", "name_key2", two_b),
                  ("name_key2", "name_key", two_a), ("name_key2", "name_key2", two_a & two_b))
    # equal texts by their numbers (one numbering for both keys, one for both joined forms)
    codes = dict(zip(_JOINED, _coded_together(f, *_JOINED), strict=True))
    joined_codes = dict(zip(_JOINED, _coded_together(f, *_JOINED.values()), strict=True))
    exact = np.zeros(len(i), dtype=bool)
    for a, b, rows in alignments:  # the other scripts' spellings only where a record has two
        sel = slice(None) if rows is None else np.flatnonzero(rows)
        rec_a, rec_b = i[sel], j[sel]
        exact[sel] |= (codes[a][rec_a] == codes[b][rec_b]) & _written(f, a)[rec_a]
        exact[sel] |= (joined_codes[a][rec_a] == joined_codes[b][rec_b]) & _written(f, _JOINED[a])[rec_a]
    # the score only sorts the other named pairs into levels: an exact or unnamed pair is never scored, and
    # a spelling pair whose letters bound its ratio below the lowest threshold is never compared
    score = np.zeros(len(i))
    scored = ~exact & named[i] & named[j]
    counts = _char_counts(f)
    for a, b, rows in alignments:
        sel = np.flatnonzero(scored if rows is None else scored & rows)
        rec_a, rec_b = i[sel], j[sel]
        for la, lb in ((a, b), (_JOINED[a], _JOINED[b])):
            near = sel[may_reach(counts[la], rec_a, counts[lb], rec_b, _NAME_LEVEL_FLOOR - 1)]
            score[near] = np.maximum(score[near], process.cpdist(_col(f, la)[i[near]], _col(f, lb)[j[near]],
                                                                 scorer=fuzz.ratio, workers=1))
    # every part must agree: siblings (and twins) share a surname, not a given name; this only tells
    # levels 2 and 3 from the others, so it is worked out where the whole name scores 80 or more
    parts_ok = np.zeros(len(i))
    need = np.flatnonzero((score >= 80) & ~exact)
    if len(need):
        parts_ok[need] = _token_agreement(f, i[need], j[need], two_a[need], two_b[need])
    near_identical, similar = (score >= 92) & (parts_ok >= 80), (score >= 80) & (parts_ok >= 70)
    # containment and aliases tell level 4 from 5 and 6: worked out for the other named pairs only (most
    # candidate pairs have the same name)
    rest = np.flatnonzero(~(exact | near_identical | similar) & named[i] & named[j])
    ri, rj = i[rest], j[rest]
    _, _, shared = shared_count(f, "token_keys", ri, rj)
    ntok = _record_array(f, "name_tokens", lambda: np.char.count(k1.astype(str), " ") + 1)
    contained = shared >= np.minimum(ntok[ri], ntok[rj])
    # token_keys hold both scripts' spellings: one spelling must hold all tokens of one of the other's
    check = np.flatnonzero(contained)
    contained[check] = [_one_contains_other((k1[a], k2[a]), (k1[b], k2[b])) for a, b in zip(ri[check], rj[check],
                                                                                                strict=True)]
    contains = np.zeros(len(i), bool)
    contains[rest] = contained | _name_is_alias(f, ri, rj)
    levels = np.select([exact, near_identical, similar, contains, score >= _NAME_LEVEL_FLOOR], [1, 2, 3, 4, 5], 6)
    levels[~named[i] | ~named[j]] = 0
    return levels.astype(np.int8)


#: The lowest whole-name score that tells a level (5, "weakly similar name") from "different name".
_NAME_LEVEL_FLOOR = 65


def _char_counts(f: Features) -> dict[str, CharCounts]:
    """:func:`~entity_resolution.letters.char_counts` of both name keys and both joined forms, counted once
    per distinct text of a key and its other spelling (fewer than half the texts)."""
    def build() -> dict[str, CharCounts]:
        n = len(f)
        out: dict[str, CharCounts] = {}
        for pair in (tuple(_JOINED), tuple(_JOINED.values())):
            codes, texts = _factorized_together(f, *pair)
            # a missing value (code -1) takes the last row: None, a text without a bound
            counts = char_counts(np.r_[np.asarray(texts, dtype=object), np.array([None], dtype=object)])
            for k, col in enumerate(pair):
                out[col] = counts.take(codes[k * n:(k + 1) * n])
        return out
    return f.per_record(("char counts",), build)


def alias_in_case(f: Features, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """Whether one record's whole name is an alias of the other and both are named in the same case."""
    return _name_is_alias(f, i, j) & shares(f, "case_keys", i, j)


def _name_is_alias(f: Features, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """Whether one record's whole name is an alias of the other (a victim knows the recruiter only by the
    nickname the police wrote down as the suspect's alias)."""
    if "whole_names" not in f.lists:
        return np.zeros(len(i), bool)
    # looked up from the aliases (few records have any) in the whole names, not the other way round: the
    # same answer (a value both hold), without a probe for every name of every pair
    return shares(f, "alias_keys", j, i, "whole_names") | shares(f, "alias_keys", i, j, "whole_names")


def _one_contains_other(keys_a: tuple[str, str], keys_b: tuple[str, str]) -> bool:
    for ka in keys_a:
        for kb in keys_b:
            ta, tb = set(ka.split()), set(kb.split())
            if ta and tb and (ta <= tb or tb <= ta):
                return True
    return False


def nickname(f: Features, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """A nickname or alias of one record equals a name or nickname of the other."""
    has_a, has_b = has_values(f, "alias_keys", i), has_values(f, "alias_keys", j)
    s1, s2 = shares(f, "alias_keys", i, j, "token_keys"), shares(f, "alias_keys", j, i, "token_keys")
    s3 = shares(f, "alias_keys", i, j)
    out = np.zeros(len(i), np.int8)
    out[has_a & has_b] = 2
    out[s1 | s2 | s3] = 1
    return out


def birth_date(f: Features, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """Dates of birth, tolerant of Buddhist/Christian era slips, day-month swaps and age-only years."""
    # only pairs with a year on both sides have a level (two in five of a million random pairs)
    known = _record_array(f, "birth_year_known", lambda: np.asarray(_col(f, "birth_year") != 0, bool))
    sel = np.flatnonzero(known[i] & known[j])
    a, b = i[sel], j[sel]
    ya, yb = _col(f, "birth_year")[a], _col(f, "birth_year")[b]
    ma, mb = _col(f, "birth_month")[a], _col(f, "birth_month")[b]
    da, db = _col(f, "birth_day")[a], _col(f, "birth_day")[b]
    era = np.abs(np.abs(ya - yb) - 543) == 0
    same_y = ya == yb
    full = (ma > 0) & (mb > 0)
    exact = same_y & full & (ma == mb) & (da == db)
    swap = full & (((ma == db) & (da == mb) & same_y) | (era & (ma == mb) & (da == db)))
    two_of_three = full & ((same_y & ((ma == mb) | (da == db))) | ((ma == mb) & (da == db) & (np.abs(ya - yb) <= 1)))
    near = np.abs(ya - yb) <= np.where(full, 0, 1)
    within2 = np.abs(ya - yb) <= 2
    levels = np.select([exact, swap, two_of_three, near, within2], [1, 2, 3, 4, 5], 6).astype(np.int8)
    out = np.zeros(len(i), np.int8)
    out[sel] = levels
    return out


def sex(f: Features, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """Recorded sex, equal or not."""
    has_a, has_b, same = _same_written(f, "sex", i, j)
    return np.where(~has_a | ~has_b, 0, np.where(same, 1, 2)).astype(np.int8)


def title(f: Features, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """Police or military ranks written with the names (an officer's occupation, rarely shared by two people of one name): the same rank, different ranks, or a rank on one side and a civil title on the other."""
    has_a, has_b, same = _same_written(f, "rank", i, j)
    titled = _col(f, "titled")
    out = np.select([has_a & same, has_a & has_b, has_a | has_b], [1, 2, 3], 0)
    out[~(titled[i] & titled[j])] = 0
    return out.astype(np.int8)


def nationality(f: Features, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """Recorded nationality, equal or not."""
    has_a, has_b, same = _same_written(f, "nationality", i, j)
    return np.where(~has_a | ~has_b, 0, np.where(same, 1, 2)).astype(np.int8)


def thai_id(f: Features, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """Thai national ID numbers: the same, one typing slip apart (a digit or two neighbours swapped), or different."""
    has_a, has_b, same = _same_written(f, "thai_id", i, j)
    out = np.zeros(len(i), np.int8)
    both = has_a & has_b
    out[both] = 3
    out[both & same] = 1
    ids = _col(f, "thai_id")
    full = _record_array(f, "thai_id_13_digits", lambda: np.char.str_len(ids.astype(str)) == 13)
    cand = np.flatnonzero(both & ~same & full[i] & full[j])
    if len(cand):
        # a slip leaves the first six or the last six characters whole: most pairs differ in both
        halves = _record_array(f, "thai_id_halves", lambda: _halves(ids, full))
        ha, hb = np.take(halves, i[cand], axis=0), np.take(halves, j[cand], axis=0)
        cand = cand[(ha[:, 0] == hb[:, 0]) | (ha[:, 1] == hb[:, 1])]
    if len(cand):
        # each record's ID as one row of code points, gathered by np.take (no texts joined per pair)
        digits = _record_array(f, "thai_id_code_points", lambda: _code_point_rows(ids, full, 13))
        da, db = np.take(digits, i[cand], axis=0), np.take(digits, j[cand], axis=0)
        diff = da != db
        ndiff = diff.sum(axis=1)
        first = diff.argmax(axis=1)
        nxt = np.minimum(first + 1, 12)
        rows = np.arange(len(cand))
        swapped = (ndiff == 2) & diff[rows, nxt] & (da[rows, first] == db[rows, nxt]) & (da[rows, nxt] == db[rows, first])
        out[cand[(ndiff == 1) | swapped]] = 2
    return out


def _halves(ids: np.ndarray, full: np.ndarray) -> np.ndarray:
    """Per record numbers of its 13-character ID's first six and last six characters (equal texts, equal
    numbers; -1 without such an ID)."""
    out = np.full((len(ids), 2), -1, np.int64)
    texts = ids[full].tolist()
    for k, part in enumerate(([t[:6] for t in texts], [t[7:] for t in texts])):
        out[full, k] = pd.factorize(np.array(part, dtype=object))[0]
    return out


def _code_point_rows(texts: np.ndarray, rows: np.ndarray, width: int) -> np.ndarray:
    """Per record the code points of its text where ``rows`` (texts of ``width`` characters), else zeros;
    one byte each where all are below 256 (digits: a quarter of the memory to gather)."""
    points = np.frombuffer("".join(texts[rows]).encode("utf-32-le"), dtype=np.uint32).reshape(-1, width)
    out = np.zeros((len(texts), width), np.uint8 if not len(points) or points.max() < 256 else np.uint32)
    out[rows] = points
    return out


def documents(f: Features, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """Passport, border pass and pink card numbers: the same, one typing slip apart, or different numbers of the same kind (a pink card and a passport are not a disagreement)."""
    out = np.zeros(len(i), np.int8)
    kinds = ("passport_no", "border_pass_no", "pink_card_no")
    held = _record_array(f, "any_document", lambda: np.logical_or.reduce([_written(f, c) for c in kinds]))
    # only pairs that both hold a number can compare one (a few per cent of a million random pairs)
    sel = np.flatnonzero(held[i] & held[j])
    si, sj = i[sel], j[sel]
    best = np.full(len(sel), 9, np.int8)
    for col in kinds:
        has_a, has_b, _ = _same_written(f, col, si, sj)
        both = has_a & has_b
        dist = _written_score(f, col, si, sj, OSA.distance, 9)
        level = np.select([both & (dist == 0), both & (dist == 1), both], [1, 2, 3], 9).astype(np.int8)
        best = np.minimum(best, level)
    out[sel[best < 9]] = best[best < 9]
    out[shares(f, "doc_numbers", i, j)] = 1
    return out


def other_id(f: Features, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """A generic identity number (e.g. social security): equal, one edit apart, or different."""
    has_a, has_b, same = _same_written(f, "other_id", i, j)
    both = has_a & has_b
    dist = _written_score(f, "other_id", i, j, Levenshtein.distance, 9)
    return np.select([both & same, both & (dist <= 1), both], [1, 2, 3], 0).astype(np.int8)


def phones(f: Features, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """Phone numbers: at least one in common, or none in common."""
    return _three_way(*overlap(f, "phones", i, j))


def accounts(f: Features, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """Bank accounts held or named: one in common, or one's account tied to the other (its PromptPay ID is the other's phone or Thai ID, or a case file naming the other names it); or none in common."""
    has_a, has_b, shared = overlap(f, "accounts", i, j)
    out = _three_way(has_a, has_b, shared)
    out[promptpay_link(f, i, j) | account_in_case(f, i, j)] = 1
    return out


def account_in_case(f: Features, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """Whether an account one record holds is named (seized, reported, paid into) in a case file that names
    the other record."""
    if "account_cases" not in f.lists or not len(f.lists["account_cases"][0]):
        return np.zeros(len(i), bool)
    return shares(f, "account_cases", i, j, "case_keys") | shares(f, "account_cases", j, i, "case_keys")


def promptpay_link(f: Features, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """Whether a PromptPay ID of an account one record holds is the other's phone or Thai ID, or both
    records' accounts answer to the same PromptPay ID (context: see :mod:`entity_resolution.context`)."""
    if "promptpay" not in f.lists or not len(f.lists["promptpay"][0]):
        return np.zeros(len(i), bool)
    return shares(f, "promptpay", i, j, "own_numbers") | shares(f, "promptpay", j, i, "own_numbers") \
        | shares(f, "promptpay", i, j)


def shared_case(f: Features, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """Graph context: both records are named in the same case (police, DSI, prosecution or court number)."""
    return _three_way(*overlap(f, "case_keys", i, j))


def province(f: Features, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """Graph context: the provinces where the records live or work (an address's geocode, an employer's or an official's province): one in common, or none."""
    return _three_way(*overlap(f, "province_keys", i, j))


def address(f: Features, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """Addresses: the same normalised location, a similar written address, the same district or postcode, or different."""
    has_a, has_b, same_loc = overlap(f, "location_keys", i, j)
    ta, tb, _ = _same_written(f, "address_key", i, j)
    text_ok = ta & tb
    text = _written_score(f, "address_key", i, j, fuzz.ratio, 0)
    da, db, same_district = _same_written(f, "district", i, j)
    pa, pb, same_postcode = _same_written(f, "postcode", i, j)
    area = (same_district & da) | (same_postcode & pa)
    any_a = has_a | text_ok | da | pa
    any_b = has_b | text_ok | db | pb
    out = np.select([same_loc | (text_ok & (text >= 95)), text_ok & (text >= 80), area], [1, 2, 3], 4)
    out[~(any_a & any_b)] = 0
    return out.astype(np.int8)


#: Every comparison known by name (settings list the ones a model uses).
COMPARISONS: dict[str, Comparison] = {c.name: c for c in (
    Comparison("name", name_similarity, ("no name", "same name", "near-identical spelling", "similar name",
                                         "one name contains the other, or is the other's alias", "weakly similar name",
                                         "different name")),
    Comparison("nickname", nickname, ("no nickname on one side", "shared nickname or alias", "different nicknames")),
    Comparison("birth_date", birth_date, ("no date", "same date", "day and month swapped, or BE/CE year slip",
                                          "two of day, month, year agree", "same year (or adjacent, age only)",
                                          "within two years", "different")),
    Comparison("sex", sex, ("unknown", "same", "different")),
    Comparison("title", title, ("no rank on either side, or no title on one", "same rank", "different ranks",
                                "a rank on one side, a civil title on the other")),
    Comparison("nationality", nationality, ("unknown", "same", "different")),
    Comparison("thai_id", thai_id, ("no Thai ID on one side", "same Thai ID", "one typing slip apart",
                                    "different Thai IDs")),
    Comparison("documents", documents, ("no comparable document", "same document number", "one typing slip apart",
                                        "different numbers of the same document kind")),
    Comparison("other_id", other_id, ("no number", "same number", "one edit apart", "different number")),
    Comparison("phones", phones, ("no phone on one side", "share a phone", "no phone in common")),
    Comparison("accounts", accounts, ("no account on one side",
                                      "share an account, or one's account is tied to the other (a PromptPay ID that "
                                      "is the other's phone or Thai ID, or a case file naming both)",
                                      "no account in common")),
    Comparison("shared_case", shared_case, ("no case on one side", "named in the same case", "no case in common")),
    Comparison("province", province, ("no province on one side", "live or work in the same province",
                                      "no province in common")),
    Comparison("address", address, ("no address", "same address", "similar address", "same district or postcode",
                                    "different")),
)}
