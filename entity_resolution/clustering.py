"""Clustering of accepted pairs without transitive drift.

Edges are taken by descending score; an edge joins two clusters only when no cannot-link separates them:
two different valid Thai national IDs in the two clusters, or a person's "not the same" / "split" decision
between any of their records. A chain A–B–C therefore never pulls together two people whose IDs differ.

Examples
--------
>>> import numpy as np
>>> ids = np.array(["1100700123455", "", "3100600234561"], dtype=object)
>>> labels, used = cluster(3, np.array([0, 1]), np.array([1, 2]), np.array([20.0, 15.0]), ids)
>>> labels.tolist(), used.tolist()
([0, 0, 2], [True, False])
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

__all__ = ["cluster"]


def cluster(n: int, i: np.ndarray, j: np.ndarray, score: np.ndarray, valid_ids: np.ndarray,
            cannot: Iterable[tuple[int, int]] = (), order_key: np.ndarray | None = None
            ) -> tuple[np.ndarray, np.ndarray]:
    """Cluster ``n`` records from accepted edges; return a label per record and which edges were used.

    ``valid_ids`` holds each record's valid Thai ID ("" when none); ``cannot`` lists record index pairs that
    must stay apart; ``order_key`` breaks score ties deterministically (e.g. by record ids).
    """
    i, j = np.asarray(i, np.int64), np.asarray(j, np.int64)
    used = np.zeros(len(i), dtype=bool)
    if len(i) == 0:
        return np.arange(n), used
    graph = coo_matrix((np.ones(len(i), np.int8), (i, j)), shape=(n, n))
    _, comp = connected_components(graph, directed=False)
    # a component needs care when it holds two different IDs or a cannot-link
    ids = np.asarray(valid_ids, dtype=object)
    has_id = ids != ""
    comp_ids: dict[int, str] = {}
    conflicted = set()
    for c, v in zip(comp[has_id].tolist(), ids[has_id].tolist(), strict=True):
        if comp_ids.setdefault(c, v) != v:
            conflicted.add(c)
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
            na, nb = root_neg.get(ra, set()), root_neg.get(rb, set())
            if any(find(x) == rb for x in na) or any(find(x) == ra for x in nb):
                continue
            parent[rb] = ra
            used[e] = True
            if ib:
                root_id[ra] = ib
            if nb:
                root_neg[ra] = na | nb
        members = np.flatnonzero(np.isin(comp, list(conflicted)))
        roots = np.array([find(int(x)) for x in members], dtype=np.int64)
        labels[members] = n + roots  # keep apart from component labels
    # relabel: smallest member index as the label
    _, first, inverse = np.unique(labels, return_index=True, return_inverse=True)
    return first[inverse], used
