"""Blocking: which records become candidate pairs at all."""

from __future__ import annotations

import pandas as pd

from entity_resolution.blocking import candidate_pairs
from entity_resolution.frame import Features
from entity_resolution.model import Settings


def _pairs(rows: list[dict[str, object]]) -> list[tuple[str, str, list[str]]]:
    features = Features.build(pd.DataFrame(rows))
    rules = Settings().rules()
    pairs, _ = candidate_pairs(features, rules)
    rid = features.df["record_id"].tolist()
    return [(rid[i], rid[j], [str(r) for k, r in enumerate(rules) if bits >> k & 1])
            for i, j, bits in zip(pairs.i.tolist(), pairs.j.tolist(), pairs.rules.tolist(), strict=True)]


def test_foreign_name_in_thai_script_meets_its_passport_spelling_by_date_of_birth() -> None:
    # the Thai spelling runs the syllables together and shares no key with PAING KHIN
    rows = [{"record_id": "a", "names": "โกไป่ขิ่น", "birth_date": "1990-02-03", "nationality": "MMR"},
            {"record_id": "b", "names": "PAING KHIN", "birth_date": "1990-02-03", "nationality": "MMR"},
            {"record_id": "c", "names": "สมชาย ใจดี", "birth_date": "1990-02-03", "nationality": "THA"},
            {"record_id": "d", "names": "สมศรี มีสุข", "birth_date": "1990-02-03", "nationality": "THA"},
            {"record_id": "e", "names": "AUNG MIN", "birth_date": "1990-02-03", "nationality": "KHM"}]
    found = _pairs(rows)
    assert [(a, b) for a, b, _ in found] == [("a", "b")]
    assert found[0][2] == ["block_on('foreign_birth_date')"]
