"""Settings are one object with a model name and version, saved to and loaded from JSON."""

from __future__ import annotations

from pathlib import Path

from er_helpers import pair, resolve_rows

from entity_resolution import Settings, block_on, candidate_pairs
from entity_resolution.frame import Features


def test_trained_settings_round_trip(tmp_path: Path) -> None:
    resolve_rows(pair({"names": "สมชาย ใจดี"}, {"names": "Somchai Jaidee"}), tmp_path)
    saved = Settings.load(tmp_path / "settings.json")
    assert saved.model == "tip-v1" and saved.version == 1 and saved.trained
    assert Settings.from_json(saved.to_json()) == saved


def test_blocking_rules_are_readable_and_reported() -> None:
    import pandas as pd

    f = Features.build(pd.DataFrame({"record_id": list("abcd"), "phones": [["+1"], ["+1"], ["+1", "+2"], ["+2"]],
                                     "names": ["A B", "C D", "E F", "A B"]}))
    pairs, report = candidate_pairs(f, [block_on("phones"), block_on("name_key")], max_block_size=2)
    assert report[0] == {"rule": "block_on('phones')", "blocks": 1, "pairs": 1, "skipped_blocks": 1,
                         "skipped_records": 3}
    assert sorted(zip(pairs.i.tolist(), pairs.j.tolist(), strict=True)) == [(0, 3), (2, 3)]
