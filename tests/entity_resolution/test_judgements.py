"""Human judgements: stored with user and time, applied on every run, never undone by the model."""

from __future__ import annotations

from pathlib import Path

import pytest
from er_helpers import pair, resolve_rows

from entity_resolution.judgements import JudgementStore

STRONG = pair({"names": "สมชาย ใจดี", "birth_date": "1980-03-14", "phones": ["+66811111111"]},
              {"names": "Somchai Jaidee", "birth_date": "1980-03-14", "phones": ["+66811111111"]})
WEAK = pair({"names": "สมชาย ใจดี", "sex": "M"}, {"names": "Somchai Jaidee", "sex": "M"})


def _store(tmp_path: Path) -> JudgementStore:
    return JudgementStore(tmp_path / "judgements.sqlite")


def test_not_same_survives_a_rerun(tmp_path: Path) -> None:
    assert resolve_rows(STRONG, tmp_path).entity_of("a") == resolve_rows(STRONG, tmp_path).entity_of("b")
    _store(tmp_path).add("a", "b", "not_same", user="investigator1")
    for _ in range(2):  # and again: the model never undoes it
        res = resolve_rows(STRONG, tmp_path)
        assert res.entity_of("a") != res.entity_of("b")
    assert res.explain_pair("a", "b")["judgement"]["user"] == "investigator1"


def test_merge_then_split(tmp_path: Path) -> None:
    assert resolve_rows(WEAK, tmp_path).entity_of("a") != resolve_rows(WEAK, tmp_path).entity_of("b")
    _store(tmp_path).add("a", "b", "merge", user="analyst")
    assert resolve_rows(WEAK, tmp_path).entity_of("a") == resolve_rows(WEAK, tmp_path).entity_of("b")
    _store(tmp_path).add("a", "b", "split", user="supervisor")
    res = resolve_rows(WEAK, tmp_path)
    assert res.entity_of("a") != res.entity_of("b")
    assert [j.decision for j in _store(tmp_path).all()] == ["merge", "split"]  # the audit trail stays


def test_unsure_stays_in_review(tmp_path: Path) -> None:
    _store(tmp_path).add("b", "a", "unsure", user="analyst", note="same village?")
    queue = resolve_rows(WEAK, tmp_path).review_queue()
    assert queue[["record_a", "record_b"]].values.tolist() == [["a", "b"]]


def test_judgement_needs_a_user_and_a_known_decision(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="user"):
        _store(tmp_path).add("a", "b", "merge", user="")
    with pytest.raises(ValueError, match="decision"):
        _store(tmp_path).add("a", "b", "maybe", user="x")
