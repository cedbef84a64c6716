"""The result of a resolution run: record → entity, members, pair scores, explanations, review queue.

Examples
--------
>>> import tempfile, pandas as pd
>>> from entity_resolution import resolve
>>> res = resolve(pd.DataFrame({"record_id": ["a", "b"], "names": ["สมชาย ใจดี", "Somchai Jaidee"],
...                             "thai_id": ["1100700123455", "1100700123455"]}), tempfile.mkdtemp())
>>> res.explain_pair("a", "b")["decision"]
'merge'
>>> [f["feature"] for f in res.explain_pair("a", "b")["features"]][:2]
['name', 'nickname']
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from entity_resolution.blocking import Pairs
from entity_resolution.comparators import COMPARISONS
from entity_resolution.frame import Features
from entity_resolution.judgements import JudgementStore
from entity_resolution.model import Settings, corroborated
from entity_resolution.scoring import score

__all__ = ["DECISIONS", "Resolution", "save_records"]

#: The decisions on a compared pair, in the order of :meth:`Resolution.decision_codes`.
DECISIONS = ("no", "review", "merge")


def _probability(weight: float) -> float:
    return float(1.0 / (1.0 + 2.0 ** (-np.clip(weight, -60, 60))))


@dataclass
class Resolution:
    """Entities of one run. Person pairs: ``pairs`` (record indices), ``levels``, ``weights``, and whether
    each is ``corroborated_pairs`` (:func:`~entity_resolution.model.corroborated`); :meth:`explain_pair` works out
    the per-comparison parts of a pair's weight again."""

    settings: Settings
    features: Features
    pairs: Pairs
    levels: np.ndarray
    weights: np.ndarray
    corroborated_pairs: np.ndarray
    labels: np.ndarray
    judgements: JudgementStore
    blocking_report: list[dict[str, Any]]
    meta: pd.DataFrame
    mapping: dict[str, str] = field(default_factory=dict)
    _members: dict[str, list[str]] = field(default_factory=dict)
    _index: dict[str, int] = field(default_factory=dict)
    #: Assignments not yet in ``_members``: grouped on the first question about members (a resolution
    #: never asks one; grouping the 443,000 records of the 100k-person world cost 0.1-0.2 CPU s, 2026-11-27).
    _unsorted: list[tuple[list[str], list[str]]] = field(default_factory=list)

    def set_entities(self, entity_ids: list[str]) -> None:
        """Set the entity id of every person record, in feature order."""
        rids = self.features.df["record_id"].tolist()
        self._index = dict(zip(rids, range(len(rids)), strict=True))
        self.add_entities(rids, entity_ids)

    def add_entities(self, record_ids: list[str], entity_ids: list[str]) -> None:
        """Add record → entity assignments (organisations, identifier records)."""
        if len(record_ids) != len(entity_ids):
            raise ValueError(f"{len(record_ids)} record ids for {len(entity_ids)} entity ids")
        self.mapping.update(zip(record_ids, entity_ids, strict=True))
        self._unsorted.append((record_ids, entity_ids))

    def _groups(self) -> dict[str, list[str]]:
        """Entity id → its record ids in the order they were added."""
        members = self._members
        for record_ids, entity_ids in self._unsorted:
            for r, e in zip(record_ids, entity_ids, strict=True):  # no new list per record (setdefault made one)
                group = members.get(e)
                if group is None:
                    members[e] = [r]
                else:
                    group.append(r)
        self._unsorted.clear()
        return members

    def entity_of(self, record_id: str) -> str:
        """The entity id of a record."""
        return self.mapping[record_id]

    def members(self, entity_id: str) -> list[str]:
        """The record ids of an entity, sorted."""
        return sorted(self._groups().get(entity_id, []))

    def entities(self, entity_type: str = "Person") -> dict[str, list[str]]:
        """Entity id → record ids, for one entity type (by id prefix)."""
        prefix = {"Person": "per:", "Organization": "org:"}.get(entity_type, "")
        return {e: sorted(m) for e, m in self._groups().items() if e.startswith(prefix)}

    def decision_of(self, weight: float, corroborated: bool = True) -> str:
        """``merge``, ``review`` or ``no`` for a match weight under the two thresholds.

        A pair whose only evidence is the name (``corroborated`` false) goes to review at most.
        """
        if weight >= self.settings.auto_merge_weight and corroborated:
            return "merge"
        return "review" if weight >= self.settings.review_weight else "no"

    def decision_codes(self) -> np.ndarray:
        """Per compared pair the index of its decision in :data:`DECISIONS` (``no``, ``review``, ``merge``)."""
        w = self.weights
        merge = (w >= self.settings.auto_merge_weight) & self.corroborated_pairs
        return np.where(merge, 2, np.where(w >= self.settings.review_weight, 1, 0)).astype(np.int8)

    def pair_scores(self) -> pd.DataFrame:
        """Every compared pair: record ids, match weight, probability, decision, same entity now."""
        rid = self.features.df["record_id"].to_numpy(dtype=object)
        w = self.weights
        return pd.DataFrame({
            "record_a": rid[self.pairs.i], "record_b": rid[self.pairs.j], "weight": w,
            "probability": 1.0 / (1.0 + np.exp2(-np.clip(w, -60, 60).astype(np.float64))),
            # three shared strings, not one per pair (25 M pairs at a million persons)
            "decision": np.array(DECISIONS, dtype=object)[self.decision_codes()],
            "same_entity": self.labels[self.pairs.i] == self.labels[self.pairs.j],
        })

    def _judged_states(self) -> np.ndarray | None:
        """Per compared pair the latest judgement on its two records (None where there is none), or None
        when there are no judgements at all."""
        judged = {(j.a, j.b): j.decision for j in self.judgements.latest()}
        if not judged:
            return None
        n = len(self.features)
        codes, states = [], []
        for (a, b), decision in judged.items():
            # a judgement names its records in sorted order; a pair finds it under its sorted record ids
            if a < b and a in self._index and b in self._index:
                ia, ib = self._index[a], self._index[b]
                codes.append(min(ia, ib) * n + max(ia, ib))
                states.append(decision)
        out = np.full(len(self.pairs), None, dtype=object)
        if codes:
            i, j = self.pairs.i.astype(np.int64), self.pairs.j.astype(np.int64)
            pair_codes = np.minimum(i, j) * n + np.maximum(i, j)
            known = pd.Index(np.array(codes, np.int64))
            pos = known.get_indexer(pair_codes)
            hit = pos >= 0
            out[hit] = np.array(states, dtype=object)[pos[hit]]
        return out

    def review_queue(self) -> pd.DataFrame:
        """Pairs a person should look at: between the thresholds, or judged ``unsure``; best first."""
        scores = self.pair_scores()
        queue = scores[scores["decision"] == "review"]
        judged = self._judged_states()
        if judged is not None:
            state = pd.Series(judged, index=scores.index)
            unsure = scores[state == "unsure"]
            queue = pd.concat([queue[state[queue.index].isna()], unsure])
        return queue.sort_values("weight", ascending=False).reset_index(drop=True)

    def review_count(self) -> int:
        """``len(self.review_queue())``, counted without the table of every pair."""
        review = self.decision_codes() == 1
        judged = self._judged_states()
        if judged is None:
            return int(review.sum())
        return int((review & pd.isna(judged)).sum() + (judged == "unsure").sum())

    def entity_count(self, entity_type: str = "Person") -> int:
        """``len(self.entities(entity_type))``, without sorting every entity's members."""
        prefix = {"Person": "per:", "Organization": "org:"}.get(entity_type, "")
        return sum(1 for e in self._groups() if e.startswith(prefix))

    def explain_pair(self, a: str, b: str) -> dict[str, Any]:
        """Why two person records are or are not one entity: the per-feature breakdown and the decision."""
        ia, ib = self._index[a], self._index[b]
        i, j = min(ia, ib), max(ia, ib)
        sel = np.flatnonzero(((self.pairs.i == i) & (self.pairs.j == j)) | ((self.pairs.i == j) & (self.pairs.j == i)))
        if len(sel):
            levels, weight = self.levels[sel[0]], float(self.weights[sel[0]])
            one = Pairs(self.pairs.i[sel[:1]], self.pairs.j[sel[:1]], self.pairs.rules[sel[:1]])
            parts = score(self.features, one, levels[None, :], self.settings)[1][0]  # as the run scored it
            rules = [str(r) for k, r in enumerate(self.settings.rules()) if int(self.pairs.rules[sel[0]]) >> k & 1]
        else:  # not a candidate pair: compare it now, for the explanation only
            one = Pairs(np.array([i]), np.array([j]), np.zeros(1, np.int64))
            levels = np.array([COMPARISONS[c].function(self.features, one.i, one.j)[0]
                               for c in self.settings.comparisons], np.int8)
            w, p = score(self.features, one, levels[None, :], self.settings)
            weight, parts, rules = float(w[0]), p[0], []
        features = [{"feature": c, "explanation": COMPARISONS[c].explanation,
                     "level": COMPARISONS[c].labels[int(levels[k])], "weight": round(float(parts[k]), 2)}
                    for k, c in enumerate(self.settings.comparisons)]
        judged = [vars(jd) for jd in self.judgements.latest() if {jd.a, jd.b} == {a, b}]
        hard = weight <= -1e5
        return {"record_a": a, "record_b": b, "weight": round(weight, 2) if not hard else None,
                "probability": _probability(weight), "decision": "never (different valid Thai IDs)" if hard
                else self.decision_of(weight, bool(corroborated(np.asarray(parts)[None, :], self.settings)[0])),
                "same_entity": bool(self.labels[ia] == self.labels[ib]),
                "blocking_rules": rules, "features": features, "judgement": judged[0] if judged else None}

    def explain_entity(self, entity_id: str) -> dict[str, Any]:
        """Why an entity holds its records: its accepted pairs with their breakdown, judgements, rejected links."""
        members = self.members(entity_id)
        idx = np.array([self._index[m] for m in members if m in self._index], np.int64)
        inside = np.isin(self.pairs.i, idx) & np.isin(self.pairs.j, idx)
        touching = (np.isin(self.pairs.i, idx) ^ np.isin(self.pairs.j, idx)) & (self.weights >= self.settings.review_weight)
        rid = self.features.df["record_id"].to_numpy(dtype=object)
        links = [self.explain_pair(rid[a], rid[b]) for a, b in zip(self.pairs.i[inside], self.pairs.j[inside],
                                                                    strict=True)]
        near = [{"record_a": rid[a], "record_b": rid[b], "weight": round(float(w), 2), "decision": self.decision_of(w)}
                for a, b, w in zip(self.pairs.i[touching], self.pairs.j[touching], self.weights[touching], strict=True)]
        mset = set(members)
        judged = [vars(j) for j in self.judgements.latest() if j.a in mset or j.b in mset]
        return {"entity_id": entity_id, "members": members, "pairs": links, "near_misses": near,
                "judgements": judged}

    def save(self, out_dir: Path, frame: pd.DataFrame | None, pair_keys: np.ndarray) -> None:
        """Write settings, records, record → entity mapping and compared pairs under ``out_dir``
        (``frame`` None: the records were written already, by :func:`save_records`)."""
        self.settings.save(out_dir / "settings.json")
        if frame is not None:
            save_records(frame, out_dir)
        # object arrays, not lists: pandas then takes them as they are instead of inferring a type from the
        # 443,000 values of each (0.10 -> 0.05 CPU s at 100k persons, 2026-11-27, load ~5; the same file)
        n = len(self.mapping)
        pd.DataFrame({"record_id": np.fromiter(self.mapping.keys(), dtype=object, count=n),
                      "entity_id": np.fromiter(self.mapping.values(), dtype=object, count=n)}).to_parquet(
            out_dir / "mapping.parquet", index=False)
        columns = {"pair_key": pair_keys, "weight": self.weights,
                   **{f"level_{c}": self.levels[:, k] for k, c in enumerate(self.settings.comparisons)}}
        _arrays_to_parquet(columns, out_dir / "pairs.parquet")


#: Rows converted to Arrow and written at a time: the whole 4.4 M-row frame of a million persons at once
#: doubled the peak memory of a resolution.
WRITE_ROWS = 250_000


def save_records(frame: pd.DataFrame, out_dir: Path) -> None:
    """Write the records of a run (the resolution frame) to ``out_dir/records.parquet``."""
    _to_parquet(frame, out_dir / "records.parquet")


def _to_parquet(frame: pd.DataFrame, path: Path, rows: int = WRITE_ROWS) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    out = frame.copy(deep=False)
    types: dict[str, pa.DataType] = {}
    for col in out.columns:
        if out[col].dtype != object:
            continue
        ready = _arrow_type(out[col])
        if ready is None:
            kinds = {type(v) for v in out[col].dropna()}
            if list in kinds or tuple in kinds:
                out[col] = [_text_list(v) for v in out[col].tolist()]
            elif len(kinds) > 1:
                out[col] = out[col].map(lambda v: None if v is None or (isinstance(v, float) and np.isnan(v)) else str(v))
            ready = pa.array(out[col], from_pandas=True).type
        types[col] = ready  # of the whole column: a chunk of missing values alone would say "null"
    base = pa.Schema.from_pandas(out.iloc[:0], preserve_index=False)
    schema = pa.schema([pa.field(f.name, types.get(f.name, f.type)) for f in base], metadata=base.metadata)
    with pq.ParquetWriter(path, schema) as writer:
        for start in range(0, max(len(out), 1), rows):
            writer.write_table(pa.Table.from_pandas(out.iloc[start:start + rows], schema=schema, preserve_index=False))


def _text_list(value: Any) -> list[Any]:
    """A value of a column holding lists among other values, as a list: a list as it is, a tuple or array
    as a list, a missing value as ``[]``, anything else as its text alone (exact types tested first: this
    runs for every record, millions of them)."""
    kind = type(value)
    if kind is list:
        return value
    if kind is str:
        return [value]
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return []
    if isinstance(value, list | tuple | np.ndarray):
        return list(value)
    return [str(value)]


def _arrays_to_parquet(columns: dict[str, np.ndarray], path: Path, rows: int = WRITE_ROWS) -> None:
    """Equal-length numpy columns to Parquet, ``rows`` at a time, as ``pd.DataFrame(columns).to_parquet(path,
    index=False)`` writes them: no DataFrame (a copy of every column) and no Arrow copy of the whole table
    (the 25 M compared pairs of a million persons: 0.6 GB each)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pa.Schema.from_pandas(pd.DataFrame({c: v[:0] for c, v in columns.items()}), preserve_index=False)
    total = len(next(iter(columns.values()))) if columns else 0
    with pq.ParquetWriter(path, schema) as writer:
        for start in range(0, max(total, 1), rows):
            writer.write_table(pa.Table.from_arrays(
                [pa.array(np.ascontiguousarray(v[start:start + rows])) for v in columns.values()], schema=schema))


def _arrow_type(values: pd.Series) -> Any:
    """The Arrow type of the column as it is, if Arrow takes it (see :func:`_arrow_ready`); else None."""
    import pyarrow as pa

    plain = _plain_type(values.to_numpy(dtype=object))
    if plain is not None:
        return plain
    try:
        arr = pa.array(values, from_pandas=True)
    except pa.lib.ArrowException:
        return None
    return arr.type if _ready_type(arr.type) else None


def _plain_type(values: np.ndarray) -> Any:
    """The Arrow type of a column of texts (``string``) or of lists of texts (``list<string>``, ``list<null>``
    if every list is empty), missing values (None, NaN) aside, found by looking at the values' types; None
    for any other column, left to Arrow (converting every column to learn its type took 0.69 of the writer's
    1.8 CPU s at 443,000 records, this 0.2).

    >>> _plain_type(np.array(["a", None, float("nan")], dtype=object)), _plain_type(np.array([["a"], None], dtype=object))
    (DataType(string), ListType(list<item: string>))
    >>> _plain_type(np.array([["a"], "b"], dtype=object)) is None  # a text among lists: Arrow's own path
    True
    """
    import pyarrow as pa

    kind = pd.api.types.infer_dtype(values, skipna=True)
    if kind == "string":
        return pa.string()
    if kind != "mixed":
        return None
    items = False
    for value in values.tolist():
        if type(value) is list:
            for item in value:
                if type(item) is not str:
                    return None
            items = items or bool(value)
        elif not (value is None or (type(value) is float and value != value)):
            return None
    return pa.list_(pa.string() if items else pa.null())


def _arrow_ready(values: pd.Series) -> bool:
    """Whether Arrow takes the column as it is: all strings, or all lists of strings (missing as null)."""
    return _arrow_type(values) is not None


def _ready_type(t: Any) -> bool:
    import pyarrow as pa

    return bool(pa.types.is_string(t) or pa.types.is_large_string(t) or pa.types.is_null(t)
                or (pa.types.is_list(t) and (pa.types.is_string(t.value_type) or pa.types.is_null(t.value_type))))
