"""Clustering without transitive drift: cannot-links keep clusters apart whatever the chain of edges."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from er_helpers import resolve_rows

from entity_resolution.clustering import cluster

ID_A, ID_B = "1100700123455", "3100600234561"


def test_chain_through_a_record_without_id_does_not_join_two_ids() -> None:
    # 0 (ID_A) - 1 (no ID) - 2 (ID_B): the stronger edge wins, the other is refused
    ids = np.array([ID_A, "", ID_B], dtype=object)
    labels, used = cluster(3, np.array([0, 1]), np.array([1, 2]), np.array([12.0, 15.0]), ids)
    assert labels[1] == labels[2] != labels[0]
    assert used.tolist() == [False, True]


def test_cannot_link_from_a_judgement_blocks_a_long_chain() -> None:
    n = 6
    i, j = np.arange(n - 1), np.arange(1, n)
    ids = np.array([""] * n, dtype=object)
    labels, _ = cluster(n, i, j, np.linspace(20, 10, n - 1), ids, cannot=[(0, n - 1)])
    assert labels[0] != labels[n - 1]
    assert len(set(labels.tolist())) == 2


def test_conflict_free_components_are_joined_whole() -> None:
    ids = np.array([ID_A, "", "", ID_A], dtype=object)
    labels, used = cluster(4, np.array([0, 1, 2]), np.array([1, 2, 3]), np.array([5.0, 6.0, 7.0]), ids)
    assert len(set(labels.tolist())) == 1 and used.all()


def test_resolution_keeps_two_valid_ids_apart_through_a_bridge(tmp_path: Path) -> None:
    rows = [
        {"record_id": "a", "names": "สมชาย ใจดี", "thai_id": ID_A, "birth_date": "1980-03-14", "phones": ["+66811111111"]},
        {"record_id": "b", "names": "Somchai Jaidee", "thai_id": "1100700123465", "phones": ["+66811111111"]},
        {"record_id": "c", "names": "สมชาย ใจดี", "thai_id": ID_B, "birth_date": "1980-03-14"},
    ]
    res = resolve_rows(rows, tmp_path)
    assert res.entity_of("a") != res.entity_of("c")
    assert res.entity_of("b") == res.entity_of("a")  # the ID typo and the phone tie b to a, not to c
    assert res.explain_pair("a", "c")["decision"].startswith("never")
