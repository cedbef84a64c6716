"""Pure scoring functions: clustering metrics, set matching for rings, chains and officials."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

__all__ = ["bcubed", "chain_scores", "cluster_scores", "pairwise", "ring_scores", "set_f1", "top_k_scores"]


def _pairs(counts: np.ndarray) -> int:
    c = counts.astype(np.int64)
    return int((c * (c - 1) // 2).sum())


def pairwise(true_ids: Sequence[str], pred_ids: Sequence[str]) -> dict[str, float]:
    """Pairwise precision, recall and F1 of a clustering: a pair of records is positive when in one cluster.

    With no predicted pairs precision is 1; with no true pairs recall is 1.

    Examples
    --------
    >>> pairwise(["a", "a", "b"], ["x", "x", "y"])["f1"]
    1.0
    >>> pairwise(["a", "a", "a"], ["x", "x", "y"])["recall"]
    0.3333333333333333
    """
    df = pd.DataFrame({"t": list(true_ids), "p": list(pred_ids)})
    tp = _pairs(df.groupby(["t", "p"]).size().to_numpy())
    pred = _pairs(df.groupby("p").size().to_numpy())
    true = _pairs(df.groupby("t").size().to_numpy())
    precision = tp / pred if pred else 1.0
    recall = tp / true if true else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "true_pairs": float(true),
            "predicted_pairs": float(pred), "true_positive_pairs": float(tp)}


def bcubed(true_ids: Sequence[str], pred_ids: Sequence[str]) -> dict[str, float]:
    """B-cubed precision, recall and F1: per record, the share of its predicted (true) cluster that is correct.

    Examples
    --------
    >>> r = bcubed(["a", "a", "a", "a"], ["x", "x", "y", "y"])
    >>> r["precision"], r["recall"]
    (1.0, 0.5)
    """
    df = pd.DataFrame({"t": list(true_ids), "p": list(pred_ids)})
    if df.empty:
        return {"precision": 1.0, "recall": 1.0, "f1": 1.0}
    both = df.groupby(["t", "p"])["t"].transform("size").to_numpy(dtype=float)
    psize = df.groupby("p")["p"].transform("size").to_numpy(dtype=float)
    tsize = df.groupby("t")["t"].transform("size").to_numpy(dtype=float)
    precision = float((both / psize).mean())
    recall = float((both / tsize).mean())
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


def cluster_scores(true_ids: Sequence[str], pred_ids: Sequence[str]) -> dict[str, dict[str, float]]:
    """Both pairwise and B-cubed scores."""
    return {"pairwise": pairwise(true_ids, pred_ids), "bcubed": bcubed(true_ids, pred_ids)}


def set_f1(a: Iterable[str], b: Iterable[str]) -> float:
    """F1 (Dice) of two sets: 2|A∩B| / (|A|+|B|).

    Examples
    --------
    >>> set_f1({"a", "b"}, {"b", "c"})
    0.5
    """
    sa, sb = set(a), set(b)
    return 2 * len(sa & sb) / (len(sa) + len(sb)) if sa or sb else 1.0


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a | b else 1.0


def ring_scores(true_rings: list[set[str]], detected: list[set[str]]) -> dict[str, float]:
    """Each true ring is matched to the detected ring with the best Jaccard; recovery is the mean F1 of the
    matches. Precision is the same from the detected side (each detected ring to its best true ring).

    Examples
    --------
    >>> ring_scores([{"a", "b"}, {"c", "d"}], [{"a", "b"}])["recovery_f1"]
    0.5
    """
    def best(s: set[str], pool: list[set[str]]) -> float:
        if not pool:
            return 0.0
        m = max(pool, key=lambda d: (_jaccard(s, d), -len(d)))
        return set_f1(s, m)

    recovery = float(np.mean([best(t, detected) for t in true_rings])) if true_rings else 1.0
    precision = float(np.mean([best(d, true_rings) for d in detected])) if detected else 1.0 if not true_rings \
        else 0.0
    return {"recovery_f1": recovery, "precision_f1": precision, "true_rings": float(len(true_rings)),
            "detected_rings": float(len(detected))}


def chain_scores(true_chains: list[list[str]], detected: list[list[str]], threshold: float = 0.8) -> dict[str, float]:
    """Money-chain recall and precision.

    A true chain is found when at least ``threshold`` (80%) of its txn ids appear in one detected chain.
    A detected chain is correct when it finds some true chain and at least half of its own txn ids are
    planted ones (so one huge chain of every transaction cannot find everything).

    Examples
    --------
    >>> chain_scores([["t1", "t2", "t3", "t4", "t5"]], [["t1", "t2", "t3", "t4"]])["recall"]
    1.0
    >>> chain_scores([["t1", "t2", "t3", "t4", "t5"]], [["t1", "t2", "t3"]])["recall"]
    0.0
    """
    planted = {t for c in true_chains for t in c}
    dsets = [set(d) for d in detected]
    found = 0
    correct = [False] * len(dsets)
    for chain in true_chains:
        need = threshold * len(chain)
        hit = False
        for j, d in enumerate(dsets):
            if sum(t in d for t in chain) >= need:
                hit = True
                if len(d & planted) >= 0.5 * len(d):
                    correct[j] = True
        found += hit
    recall = found / len(true_chains) if true_chains else 1.0
    precision = sum(correct) / len(dsets) if dsets else (1.0 if not true_chains else 0.0)
    return {"recall": recall, "precision": precision, "true_chains": float(len(true_chains)),
            "detected_chains": float(len(dsets)), "found": float(found)}


def top_k_scores(truth: set[str], ranked: list[str], k: int) -> dict[str, float]:
    """Precision and recall at ``k`` of a ranked list of (true) entity ids; repeats count once.

    Examples
    --------
    >>> top_k_scores({"a", "b"}, ["a", "x", "b"], 2)
    {'precision_at_k': 0.5, 'recall_at_k': 0.5, 'k': 2.0}
    """
    seen: list[str] = []
    for r in ranked:
        if r not in seen:
            seen.append(r)
    top = seen[:k]
    hits = len(set(top) & truth)
    return {"precision_at_k": hits / len(top) if top else (1.0 if not truth else 0.0),
            "recall_at_k": hits / len(truth) if truth else 1.0, "k": float(k)}
