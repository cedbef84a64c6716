"""``python -m synthworld synth|score`` entry point."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from synthworld.__main__ import main


def test_synth_with_json_noise_then_score(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "w"
    assert main(["synth", "--seed", "2", "--persons", "1000", "--out", str(out), "--noise",
                 '{"duplicate_row": 0.2, "dga_share": 0.0}']) == 0
    assert "amlo/amlo_transactions.csv" in capsys.readouterr().out
    config = json.loads((out / "truth/config.json").read_text(encoding="utf-8"))
    assert config["persons"] == 1000 and config["noise"]["duplicate_row"] == 0.2
    assert (out / "exports/dga/envelopes.jsonl").read_text(encoding="utf-8") == ""
    truth = pd.read_csv(out / "truth/records.csv", dtype=str, keep_default_na=False)
    truth.assign(record_id="r", entity_id="X" + truth["entity_id"]).to_csv(tmp_path / "res.csv", index=False)
    assert main(["score", "--truth", str(out / "truth"), "--resolution", str(tmp_path / "res.csv"), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["resolution"]["Person"]["bcubed"]["f1"] == 1.0


def test_unknown_noise_level_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown noise level"):
        main(["synth", "--persons", "1000", "--out", str(tmp_path), "--noise", "loud"])
