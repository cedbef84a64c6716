"""Resolve person and organisation records into entities: block, compare, score, cluster, keep judgements.

Examples
--------
>>> import tempfile, pandas as pd
>>> frame = pd.DataFrame({"record_id": ["a", "b", "c"],
...                       "names": ["นายสมชาย ใจดี", "Somchai Jaidee", "Somchai Jaidee"],
...                       "thai_id": ["1100700123455", "1100700123455", "3100600234561"],
...                       "birth_date": ["1980-03-04", "1980-04-03", "1980-03-04"]})
>>> res = resolve(frame, tempfile.mkdtemp())
>>> res.entity_of("a") == res.entity_of("b") != res.entity_of("c")
True
"""

from __future__ import annotations

import gc
import itertools
import logging
import os
from collections.abc import Callable, Iterable
from contextlib import nullcontext
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from entity_resolution.blocking import Pairs, candidate_pairs
from entity_resolution.clustering import cluster
from entity_resolution.columns import positional
from entity_resolution.comparators import COMPARISONS
from entity_resolution.frame import META, Features, frame_from_records
from entity_resolution.ids import identifier_entity_id, resolved_entity_id
from entity_resolution.judgements import JudgementStore
from entity_resolution.model import Settings, estimate
from entity_resolution.organisations import resolve_organisations
from entity_resolution.parallel import (
    Forked,
    Tasks,
    can_fork,
    long_lived,
    rows_array,
    shared_array,
    split_rows,
)
from entity_resolution.result import Resolution, save_records
from entity_resolution.scoring import score_decisions

__all__ = ["Resolution", "add_records", "as_frame", "compare", "resolve"]

HUMAN_MERGE = np.float32(1e6)
_log = logging.getLogger(__name__)  # one line per step: benchmarks/e2e_resolve.py times them
_META = META


def compare(features: Features, pairs: Pairs, comparisons: list[str], chunk: int = 2_000_000) -> np.ndarray:
    """The level matrix (pairs × comparisons) of the candidate pairs, ``chunk`` pairs at a time, the pairs
    split over the cores (:mod:`entity_resolution.parallel`).

    The chunk bounds the memory of the columns gathered per pair. The comparators' work over all records
    (sorting list values, value tables) is done once, on the first pairs, before the split: the processes
    forked then share it.
    """
    out = rows_array((len(pairs), len(comparisons)), np.int8)
    warm = min(len(pairs), _WARM_PAIRS)
    _levels_into(out, features, pairs, comparisons, 0, warm, chunk)
    split_rows(lambda start, stop: _levels_into(out, features, pairs, comparisons, start, stop, chunk),
               warm, len(pairs))
    return out


def _levels_into(out: np.ndarray, features: Features, pairs: Pairs, comparisons: list[str], start: int,
                 stop: int, chunk: int = 2_000_000) -> None:
    """The levels of pairs ``start:stop`` written into those rows of ``out``, ``chunk`` pairs at a time."""
    for first in range(start, stop, chunk):
        last = min(first + chunk, stop)
        i, j = pairs.i[first:last], pairs.j[first:last]
        for k, name in enumerate(comparisons):
            out[first:last, k] = COMPARISONS[name].function(features, i, j)


def _compare_tasks(features: Features, pairs: Pairs, comparisons: list[str], parts: int
                   ) -> tuple[np.ndarray, list[Callable[[], None]]]:
    """The level matrix of ``pairs`` to be filled by ``parts`` tasks (:class:`~entity_resolution.parallel.Tasks`),
    in memory shared with a forked child; its first pairs are compared here, now, so that the work over all
    records is shared as in :func:`compare`."""
    out = (shared_array if can_fork() else np.zeros)((len(pairs), len(comparisons)), np.int8)
    warm = min(len(pairs), _WARM_PAIRS)
    _levels_into(out, features, pairs, comparisons, 0, warm)
    bounds = [warm + (len(pairs) - warm) * k // parts for k in range(parts + 1)]
    return out, [partial(_levels_into, out, features, pairs, comparisons, a, b)
                 for a, b in itertools.pairwise(bounds) if b > a]


#: The parts of the random pairs' comparisons (:class:`~entity_resolution.parallel.Tasks`): small enough that
#: neither process waits long for the other at the end.
RANDOM_PAIR_PARTS = 16
#: Pairs compared before the others are split over the cores (building what every chunk shares).
_WARM_PAIRS = 1_000
#: From this many records the records file is written by a forked child beside the features step (0.35 s
#: of a 44,000-record run, 3 s at 443,000; a fork costs milliseconds).
FORK_WRITE_RECORDS = 20_000
#: The niceness of that child: it takes a core only when the resolution leaves one idle (while the parts of
#: the features are put together, the pair keys, EM, clustering, entities), instead of slowing the two
#: processes of the features, blocking and the comparisons.
WRITER_NICENESS = 19
#: From this many records the writer runs at normal priority: the frame's pages stay in memory until it
#: ends (it shares them), and at a million persons (4.4 M records) the features step, the memory peak,
#: must not hold them to its end.
NICE_WRITER_BELOW = 2_000_000


def _write_records(frame: pd.DataFrame, out_dir: Path) -> Forked[None] | None:
    """Write ``records.parquet``: started in a forked child of low priority for a large frame (the caller
    takes its :meth:`~entity_resolution.parallel.Forked.result`, which raises the child's error), else
    written here."""
    if len(frame) >= FORK_WRITE_RECORDS and can_fork():
        def write() -> None:
            if len(frame) < NICE_WRITER_BELOW:
                os.nice(WRITER_NICENESS)
            save_records(frame, out_dir)
        return Forked(write)
    save_records(frame, out_dir)
    return None


def _random_pairs(n: int, size: int, seed: int) -> Pairs:
    rng = np.random.default_rng(seed)
    i, j = rng.integers(0, n, size), rng.integers(0, n, size)
    keep = i != j
    a, b = np.minimum(i, j)[keep], np.maximum(i, j)[keep]
    return Pairs(a, b, np.zeros(len(a), np.int64))


def as_frame(records: Iterable[Any] | pd.DataFrame) -> pd.DataFrame:
    """One row per record: provenance columns plus the matching columns of persons and organisations."""
    if isinstance(records, pd.DataFrame):
        # a shallow copy, numbered from 0: columns are only ever added to it, never written into (millions of rows)
        frame = positional(records).copy(deep=False)
        if "entity_type" not in frame:
            frame["entity_type"] = "Person"
        return frame
    records = list(records)
    meta = pd.DataFrame([{c: getattr(r, c) for c in _META} for r in records], columns=list(_META))
    features = pd.concat([frame_from_records(records, "Person"), frame_from_records(records, "Organization")],
                         ignore_index=True)
    return meta.merge(features, on="record_id", how="left")


def _pair_keys(record_ids: np.ndarray, i: np.ndarray, j: np.ndarray, chunk: int = 1_000_000) -> np.ndarray:
    """Stable hashes of ``"<record a>\\x1f<record b>"`` (the same values as :func:`hash_values` of those strings),
    ``chunk`` pairs at a time (25 M joined texts at once took 2.9 GB at a million persons)."""
    out = np.zeros(len(i), np.uint64)
    for start in range(0, len(i), chunk):
        a, b = record_ids[i[start:start + chunk]].tolist(), record_ids[j[start:start + chunk]].tolist()
        joined = np.array([f"{x}\x1f{y}" for x, y in zip(a, b, strict=True)], dtype=object)
        # every joined text is distinct: factorising them first (categorize=True) only costs, the hashes are equal
        out[start:start + chunk] = pd.util.hash_array(joined, categorize=False)
    return out


def resolve(records: Iterable[Any] | pd.DataFrame, resolution_dir: str | Path, settings: Settings | None = None,
            labelled: pd.DataFrame | None = None, reuse_pairs: bool = False) -> Resolution:
    """Resolve records (SourceRecords, or a person frame DataFrame) and save the result in ``resolution_dir``.

    Untrained settings are estimated from the data (EM, no labels; ``labelled`` with columns
    ``record_a, record_b, is_match`` refines them). Human judgements stored in ``resolution_dir`` are
    applied and never overridden. ``reuse_pairs`` takes the comparison levels of pairs already compared in
    an earlier run (incremental resolution gives the same result as a full run with the same settings).
    """
    # the records (millions of Python objects at a million persons) are left out of every garbage collection
    # while they are resolved: a collection walked them all, again and again, and in the forked processes
    # it wrote to the pages they share with this one
    with long_lived():
        out_dir = Path(resolution_dir)
        out_dir.mkdir(parents=True, exist_ok=True)
        settings = Settings.from_json(settings.to_json()) if settings else Settings()
        frame = as_frame(records)
        gc.freeze()  # the frame too, when made here from SourceRecords
        persons, orgs = _of_type(frame, "Person"), _of_type(frame, "Organization")
        meta = frame[[c for c in _META if c in frame]]
        # the records are written by a forked child while the resolution goes on; the frame (gigabytes at a
        # million persons) is let go here, if the caller let go: the child's copy goes when it ends, and the
        # context lists need only the provenance columns of the other records
        writer = _write_records(frame, out_dir)
        del records, frame
        # the writer is taken at the end: at low priority it runs on the core that the resolution leaves idle
        # (the features' parts put together, the pair keys, EM, clustering, entities, saving)
        with writer or nullcontext():
            features = Features.build(persons, meta)
            _log.info("features: %d person records", len(persons))
            del persons
            rids = features.df["record_id"].to_numpy(dtype=object)
            n = len(rids)
            # beside blocking and comparing, a forked child clusters the organisations and compares the random pairs
            # (their comparisons, a fixed million, are the u probabilities); this process joins in on the
            # pairs left when its own work is done
            tasks: list[Callable[[], Any]] = [partial(resolve_organisations, orgs)]
            rnd_levels = None
            if not settings.trained and n > 1:
                rnd = _random_pairs(n, min(settings.u_sample_pairs, n * (n - 1) // 2), settings.seed)
                rnd_levels, compare_parts = _compare_tasks(features, rnd, settings.comparisons, RANDOM_PAIR_PARTS)
                tasks += compare_parts
            with Tasks(tasks) as side:
                pairs, report = candidate_pairs(features, settings.rules(), settings.max_block_size)
                _log.info("blocking: %d candidate pairs", len(pairs))
                # canonical orientation by record id, so that runs with records in another order agree
                # record ids by rank: compares ints, not strings (np.unique of a fixed-width copy took 0.25 s at
                # 182,000 records, this 0.1; the ids are texts, sorted as np.unique sorts them)
                rank = pd.factorize(rids, sort=True)[0]
                flip = rank[pairs.i] > rank[pairs.j]
                pairs = Pairs(np.where(flip, pairs.j, pairs.i), np.where(flip, pairs.i, pairs.j), pairs.rules)
                keys = _pair_keys(rids, pairs.i, pairs.j)
                _log.info("pair keys")
                levels = _levels_with_reuse(features, pairs, keys, settings, out_dir if reuse_pairs else None)
                _log.info("compared")
                org_labels = side.results()[0]
                _log.info("organisations and random pairs")
            if not settings.trained:
                lab = _labelled_levels(features, labelled, settings) if labelled is not None else None
                settings = estimate(settings, levels, rnd_levels, n, lab)
                _log.info("estimated")
            weights, corroborated_pairs = score_decisions(features, pairs, levels, settings)
            _log.info("scored")
            valid = features.df["thai_valid"].to_numpy(bool)
            ids = np.where(valid, features.df["thai_id"].to_numpy(dtype=object), "")
            store = JudgementStore(out_dir / "judgements.sqlite")
            judged = store.latest()
            index = {r: k for k, r in enumerate(rids.tolist())} if judged else {}
            merge_i, merge_j, cannot = [], [], []
            for jd in judged:
                if jd.a in index and jd.b in index:
                    a, b = index[jd.a], index[jd.b]
                    if jd.decision == "merge":
                        merge_i.append(a)
                        merge_j.append(b)
                    elif jd.decision in ("not_same", "split"):
                        cannot.append((a, b))
            accept = (weights >= settings.auto_merge_weight) & corroborated_pairs
            human_i, human_j = np.array(merge_i, np.int64), np.array(merge_j, np.int64)
            ei, ej = np.concatenate([pairs.i[accept], human_i]), np.concatenate([pairs.j[accept], human_j])
            es = np.concatenate([weights[accept], np.full(len(human_i), HUMAN_MERGE, np.float32)])
            # the accepted pairs' keys are those worked out for all pairs (the same orientation)
            tie = np.r_[keys[accept], _pair_keys(rids, human_i, human_j)].view(np.int64)
            # a cluster holds one passport and one pink card (a passport read as a border pass by another agency is
            # the same document: one kind); namesakes linked through a record without either stay apart
            documents = {"travel document": [features.df[c].to_numpy(dtype=object) for c in ("passport_no", "border_pass_no")],
                         "pink card": [features.df["pink_card_no"].to_numpy(dtype=object)]}
            decided = np.r_[np.zeros(int(accept.sum()), bool), np.ones(len(human_i), bool)]
            labels, _ = cluster(n, ei, ej, es, ids, cannot, order_key=tie, documents=documents, decided=decided)
            _log.info("clustered")
            res = Resolution(settings=settings, features=features, pairs=pairs, levels=levels, weights=weights,
                             corroborated_pairs=corroborated_pairs, labels=labels, judgements=store, blocking_report=report, meta=meta)
            res.set_entities(_entity_ids(rids, labels, "Person", rank))
            if len(orgs):
                res.add_entities(orgs["record_id"].astype(str).tolist(),
                                 _entity_ids(orgs["record_id"].to_numpy(dtype=object), org_labels, "Organization"))
            _identifier_entities(res, meta)
            _log.info("entities")
            res.save(out_dir, None, keys)
            _log.info("saved")
            if writer is not None:
                writer.result()
            _log.info("records written")
        return res


def _of_type(frame: pd.DataFrame, entity_type: str) -> pd.DataFrame:
    """The rows of one entity type, numbered from 0 (``reset_index(drop=True)`` copied every column again:
    0.13 s at 443,000 records)."""
    return positional(frame[(frame["entity_type"] == entity_type).to_numpy()])


def _entity_ids(rids: np.ndarray, labels: np.ndarray, entity_type: str, rank: np.ndarray | None = None) -> list[str]:
    """The entity id of each record: that of its cluster's anchor, the cluster's smallest record id.

    ``rank``: the records' ranks by id, if worked out already (sorting by label and rank instead of by label
    and id text: 0.13 -> 0.07 s at 182,000 records).
    """
    names = np.asarray(rids, dtype=object).astype(str).astype(object)
    if rank is None:
        rank = pd.factorize(names, sort=True)[0]
    order = np.argsort(labels.astype(np.int64) * len(names) + rank)  # record ids are distinct: no ties
    new_label = np.r_[True, labels[order][1:] != labels[order][:-1]]
    anchors = np.array([resolved_entity_id(entity_type, a) for a in names[order][new_label].tolist()], dtype=object)
    out = np.empty(len(names), dtype=object)
    out[order] = anchors[np.cumsum(new_label) - 1]
    return out.tolist()


def _identifier_entities(res: Resolution, meta: pd.DataFrame) -> None:
    """Add the identifier records (accounts, phones, cases, ...), each the entity named by its key."""
    if not len(meta) or "key" not in meta:
        return
    ident = meta.loc[meta["key"].notna() & ~meta["entity_type"].isin(["Person", "Organization"]),
                     ["record_id", "entity_type", "key"]]
    # the types the records have (categorical in the store's frame: factorised from its codes, no texts sorted)
    kind_of, kinds = pd.factorize(ident["entity_type"])
    prefixes = [identifier_entity_id(str(kind), "") for kind in kinds]  # "acc:", "tel:", ...
    res.add_entities(ident["record_id"].astype(str).tolist(),
                     [prefixes[k] + (key if type(key) is str else str(key))
                      for k, key in zip(kind_of.tolist(), ident["key"].tolist(), strict=True)])


def _levels_with_reuse(features: Features, pairs: Pairs, keys: np.ndarray, settings: Settings,
                       out_dir: Path | None) -> np.ndarray:
    path = out_dir / "pairs.parquet" if out_dir else None
    if path is None or not path.exists():
        return compare(features, pairs, settings.comparisons)
    old = pd.read_parquet(path)
    cols = [f"level_{c}" for c in settings.comparisons]
    if not set(cols) <= set(old.columns):
        return compare(features, pairs, settings.comparisons)
    old_keys = old["pair_key"].to_numpy(np.uint64)
    order = np.argsort(old_keys)
    pos = np.searchsorted(old_keys[order], keys)
    found = old_keys[order][np.minimum(pos, max(len(old_keys) - 1, 0))] == keys if len(old_keys) else \
        np.zeros(len(keys), bool)
    levels = np.zeros((len(pairs), len(cols)), np.int8)
    levels[found] = old[cols].to_numpy(np.int8)[order][pos[found]]
    new = ~found
    sub = Pairs(pairs.i[new], pairs.j[new], pairs.rules[new])
    levels[new] = compare(features, sub, settings.comparisons)
    return levels


def _labelled_levels(features: Features, labelled: pd.DataFrame, settings: Settings
                     ) -> tuple[np.ndarray, np.ndarray]:
    index = pd.Series(np.arange(len(features)), index=features.df["record_id"])
    ok = labelled["record_a"].isin(index.index) & labelled["record_b"].isin(index.index)
    lab = labelled[ok]
    i, j = index[lab["record_a"]].to_numpy(), index[lab["record_b"]].to_numpy()
    return compare(features, Pairs(i, j, np.zeros(len(i), np.int64)), settings.comparisons), \
        lab["is_match"].to_numpy(bool)


def add_records(records: Iterable[Any] | pd.DataFrame, resolution_dir: str | Path) -> Resolution:
    """Resolve new records against the saved entities: earlier comparisons are reused, settings kept.

    The result equals a full run over old and new records with the saved settings.
    """
    out_dir = Path(resolution_dir)
    settings = Settings.load(out_dir / "settings.json")
    frame = pd.concat([pd.read_parquet(out_dir / "records.parquet"), as_frame(records)], ignore_index=True)
    return resolve(frame.drop_duplicates("record_id", keep="last"), out_dir, settings, reuse_pairs=True)
