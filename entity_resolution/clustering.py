"""Clustering of accepted pairs without transitive drift.

Edges are taken by descending score; an edge joins two clusters only when no cannot-link separates them:
two different valid Thai national IDs in the two clusters, numbers of one document kind (passport, pink
card) in both that are all more than one typing slip apart, or a person's "not the same" / "split" decision
between any of their records. A chain A–B–C therefore never pulls together two people whose IDs or
passports differ: a work-permit record without a passport that names both namesakes' name and birth year
joins the one it agrees with best, not both.

Examples
--------
>>> import numpy as np
>>> ids = np.array(["1100700123455", "", "3100600234561"], dtype=object)
>>> labels, used = cluster(3, np.array([0, 1]), np.array([1, 2]), np.array([20.0, 15.0]), ids)
>>> labels.tolist(), used.tolist()
([0, 0, 2], [True, False])
>>> passports = {"passport": [np.array(["MB140489", "", "MB140480", "MB382160"], dtype=object)]}
>>> cluster(4, np.array([0, 1, 1]), np.array([1, 2, 3]), np.array([20.0, 15.0, 10.0]),
...         np.array([""] * 4, dtype=object), documents=passports)[0].tolist()
[0, 0, 0, 3]
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd
from rapidfuzz.distance import OSA
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

__all__ = ["cluster", "documents_conflict"]

#: Per document kind, the per-record number arrays that count as that kind ("" = none).
Documents = Mapping[str, Sequence[np.ndarray]]


def documents_conflict(a: Mapping[str, set[str]], b: Mapping[str, set[str]]) -> bool:
    """Whether two sets of document numbers cannot be one person's: for some kind both hold numbers and
    every number of one is more than one typing slip (an edit or two neighbours swapped) from every number
    of the other.

    >>> documents_conflict({"passport": {"MB140489"}}, {"passport": {"MB140498"}, "pink_card": {"0012"}})
    False
    >>> documents_conflict({"passport": {"MB140489"}}, {"passport": {"MB382160"}})
    True
    """
    for kind, mine in a.items():
        theirs = b.get(kind)
        if mine and theirs and not any(OSA.distance(x, y) <= 1 for x in mine for y in theirs):
            return True
    return False


def _conflicting_components(documents: Documents, comp: np.ndarray) -> set[int]:
    """The components holding two different numbers of one document kind."""
    out: set[int] = set()
    for kind, arrays in documents.items():
        parts = []
        for values in arrays:
            v = np.asarray(values, dtype=object)
            if len(v) != len(comp):
                raise ValueError(f"documents[{kind!r}]: {len(v)} values for {len(comp)} records")
            held = np.flatnonzero(v != "")
            parts.append(pd.DataFrame({"c": comp[held], "v": v[held]}))
        table = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame({"c": [], "v": []})
        distinct = table.groupby("c")["v"].nunique()
        out.update(int(c) for c in distinct.index[distinct.to_numpy() >= 2])
    return out


def _documents_of(documents: Documents, records: np.ndarray) -> dict[int, dict[str, set[str]]]:
    """Per record of ``records`` holding any, its document numbers by kind."""
    held: dict[int, dict[str, set[str]]] = {}
    for kind, arrays in documents.items():
        for values in arrays:
            v = np.asarray(values, dtype=object)[records]
            for r, number in zip(records[v != ""].tolist(), v[v != ""].tolist(), strict=True):
                held.setdefault(r, {}).setdefault(kind, set()).add(str(number))
    return held


def cluster(n: int, i: np.ndarray, j: np.ndarray, score: np.ndarray, valid_ids: np.ndarray,
            cannot: Iterable[tuple[int, int]] = (), order_key: np.ndarray | None = None,
            documents: Documents | None = None, decided: np.ndarray | None = None
            ) -> tuple[np.ndarray, np.ndarray]:
    """Cluster ``n`` records from accepted edges; return a label per record and which edges were used.

    ``valid_ids`` holds each record's valid Thai ID ("" when none); ``cannot`` lists record index pairs that
    must stay apart; ``order_key`` breaks score ties deterministically (e.g. by record ids); ``documents``
    maps a document kind to the per-record number arrays of that kind (a passport read as a border pass by
    one agency is still one kind of travel document): clusters whose numbers of a kind conflict
    (:func:`documents_conflict`) stay apart, unless ``decided`` marks the edge as a person's decision (someone
    who knows of a renewed passport may merge across it; two valid Thai IDs never merge).
    """
    i, j = np.asarray(i, np.int64), np.asarray(j, np.int64)
    used = np.zeros(len(i), dtype=bool)
    if len(i) == 0:
        return np.arange(n), used
    graph = coo_matrix((np.ones(len(i), np.int8), (i, j)), shape=(n, n))
    _, comp = connected_components(graph, directed=False)
    # a component needs care when it holds two different IDs, two different numbers of a document kind or
    # a cannot-link (a typing slip marks it too: cheap, and the join below then tolerates it)
    ids = np.asarray(valid_ids, dtype=object)
    has_id = ids != ""
    comp_ids: dict[int, str] = {}
    conflicted = set()
    for c, v in zip(comp[has_id].tolist(), ids[has_id].tolist(), strict=True):
        if comp_ids.setdefault(c, v) != v:
            conflicted.add(c)
    conflicted |= _conflicting_components(documents or {}, comp)
    neg: dict[int, set[int]] = {}
    for a, b in cannot:
        if comp[a] == comp[b]:
            conflicted.add(int(comp[a]))
        neg.setdefault(a, set()).add(b)
        neg.setdefault(b, set()).add(a)
    labels = comp.astype(np.int64).copy()
    careful = np.isin(comp[i], np.fromiter(conflicted, dtype=np.int64, count=len(conflicted)))
    used[~careful] = True  # conflict-free components: every edge is (potentially) part of the forest
    if conflicted:
        parent = np.arange(n)

        def find(x: int) -> int:
            root = x
            while parent[root] != root:
                root = int(parent[root])
            while parent[x] != root:
                parent[x], x = root, int(parent[x])
            return root

        root_id = {int(r): ids[r] for r in np.flatnonzero(has_id & np.isin(comp, list(conflicted)))}
        root_docs = _documents_of(documents or {}, np.flatnonzero(np.isin(comp, list(conflicted))))
        root_neg = {k: set(v) for k, v in neg.items()}
        edges = np.flatnonzero(careful)
        keys = [-score[edges]] if order_key is None else [order_key[edges], -score[edges]]
        for e in edges[np.lexsort(keys)].tolist():
            ra, rb = find(int(i[e])), find(int(j[e]))
            if ra == rb:
                continue
            ia, ib = root_id.get(ra, ""), root_id.get(rb, "")
            if ia and ib and ia != ib:
                continue
            da, db = root_docs.get(ra), root_docs.get(rb)
            if da and db and not (decided is not None and decided[e]) and documents_conflict(da, db):
                continue
            na, nb = root_neg.get(ra, set()), root_neg.get(rb, set())
            if any(find(x) == rb for x in na) or any(find(x) == ra for x in nb):
                continue
            parent[rb] = ra
            used[e] = True
            if ib:
                root_id[ra] = ib
            if db:
                merged = root_docs.setdefault(ra, {})
                for kind, numbers in db.items():
                    merged.setdefault(kind, set()).update(numbers)
            if nb:
                root_neg[ra] = na | nb
        members = np.flatnonzero(np.isin(comp, list(conflicted)))
        roots = np.array([find(int(x)) for x in members], dtype=np.int64)
        labels[members] = n + roots  # keep apart from component labels
    # relabel: smallest member index as the label
    _, first, inverse = np.unique(labels, return_index=True, return_inverse=True)
    return first[inverse], used
