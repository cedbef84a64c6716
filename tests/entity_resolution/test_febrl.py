"""Febrl 4 (5,000 + 5,000 Latin-script records, one duplicate each): F1 of at least 0.95."""

from __future__ import annotations

from pathlib import Path

from entity_resolution import resolve
from entity_resolution.febrl import febrl_frame, febrl_truth, load_febrl
from synthworld.score_metrics import pairwise


def test_febrl4_f1(tmp_path: Path) -> None:
    raw = load_febrl(4)
    res = resolve(febrl_frame(raw), tmp_path)
    scores = pairwise(febrl_truth(raw).tolist(), [res.entity_of(r) for r in raw.index.astype(str)])
    assert scores["f1"] >= 0.95, scores
    assert scores["precision"] >= 0.99, scores
