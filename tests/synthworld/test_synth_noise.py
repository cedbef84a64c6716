"""Noise rates match their settings, logged noise is real, and the same seed gives byte-identical files."""

from __future__ import annotations

import filecmp
import json
import math
import os
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from stdnum.th import pin

from synthworld.cli import synth
from synthworld.settings import NoiseSettings, noise_from_arg


def test_noise_rates_match_settings(noisy_dir: Path) -> None:
    config = json.loads((noisy_dir / "truth/config.json").read_text(encoding="utf-8"))
    rates = config["noise"]
    assert rates == json.loads(noise_from_arg("high").to_json())
    summary = pd.read_csv(noisy_dir / "truth/noise_summary.csv", keep_default_na=False)
    by_kind = summary.groupby("kind")[["eligible", "applied"]].sum()
    checked = 0
    for kind, row in by_kind.iterrows():
        if row["eligible"] < 150:
            continue
        rate = rates[str(kind)]
        observed = row["applied"] / row["eligible"]
        tol = 4 * math.sqrt(rate * (1 - rate) / row["eligible"]) + 0.01
        # a few draws change nothing (a variant equal to the original), so allow a little under the rate
        assert rate * 0.85 - tol <= observed <= rate + tol, (kind, observed, rate)
        checked += 1
    assert checked >= 12


def test_bank_records_lose_ids_at_the_bank_rate(noisy_dir: Path) -> None:
    """AMLO's account register and reports come from banks, which identify every customer: their ID cells
    go missing at ``missing_bank_id``, the agencies' own forms at ``missing_id``."""
    summary = pd.read_csv(noisy_dir / "truth/noise_summary.csv", keep_default_na=False)
    missing = summary[summary["kind"].str.startswith("missing_")]
    kinds = missing.groupby("file")["kind"].agg(lambda k: sorted(set(k)))
    assert kinds["amlo_accounts.csv"] == ["missing_bank_id"]
    assert kinds["rtp_case_persons.csv"] == ["missing_id"]
    holders = missing[missing["file"] == "amlo_accounts.csv"]
    rate = noise_from_arg("high").missing_bank_id
    observed = holders["applied"].sum() / holders["eligible"].sum()
    assert rate < noise_from_arg("high").missing_id
    assert abs(observed - rate) <= 4 * math.sqrt(rate * (1 - rate) / holders["eligible"].sum()) + 0.005


def test_logged_noise_matches_summary_and_cells(noisy_dir: Path) -> None:
    log = pd.read_csv(noisy_dir / "truth/noise.csv", dtype=str, keep_default_na=False)
    summary = pd.read_csv(noisy_dir / "truth/noise_summary.csv", keep_default_na=False)
    assert len(log) == summary["applied"].sum()
    persons = pd.read_csv(noisy_dir / "exports/rtp/rtp_case_persons.csv", dtype=str, keep_default_na=False)
    mine = log[(log["file"] == "rtp_case_persons.csv") & (log["row"] != "") & (log["column"] != "")]
    cells = {(int(r), c): k for r, c, k in zip(mine["row"], mine["column"], mine["kind"], strict=True)}
    for (row, col), kind in cells.items():
        value = persons.iloc[row - 1][col]
        if kind == "missing_id":
            assert value == ""
        if kind == "mistyped_id" and len(value) == 13 and not value.startswith("00"):
            assert not pin.is_valid(value)
        if kind == "phone_format":
            assert re.search(r"[-+ ]|^66", value)
    dups = log[(log["kind"] == "duplicate_row") & (log["row"] != "")]
    no_dga = {"oag_prosecutions.csv": "oag", "rtp_immigration.csv": "rtp", "dopa_migrant_workers.csv": "dopa"}
    checked = 0
    for file, grp in dups[dups["file"].isin(list(no_dga))].groupby("file"):
        df = pd.read_csv(noisy_dir / "exports" / no_dga[str(file)] / str(file), dtype=str, keep_default_na=False)
        for r in grp["row"].astype(int):
            assert (df.iloc[r - 1] == df.iloc[r - 2]).all()  # a copy follows its original
            checked += 1
    assert checked > 10


def test_no_noise_means_clean_ids_and_empty_log(tmp_path: Path) -> None:
    synth(3, 1500, tmp_path, noise="none")
    log = pd.read_csv(tmp_path / "truth/noise.csv", dtype=str, keep_default_na=False)
    assert len(log) == 0
    persons = pd.read_csv(tmp_path / "exports/rtp/rtp_case_persons.csv", dtype=str, keep_default_na=False)
    thai = persons["เลขประจำตัว"][persons["สัญชาติ"] == "ไทย"]
    assert len(thai) and thai.map(pin.is_valid).all()


def test_noise_settings_json_round_trip_and_levels() -> None:
    s = NoiseSettings(mistyped_id=0.5)
    assert NoiseSettings.from_json(s.to_json()) == s
    assert noise_from_arg("high").mistyped_id == pytest.approx(2 * NoiseSettings().mistyped_id)
    with pytest.raises(ValueError):
        noise_from_arg("loud")


def test_same_seed_gives_byte_identical_files(world_dir: Path, tmp_path: Path) -> None:
    """Regenerated in a fresh interpreter with another hash seed, so set or dict order cannot leak in."""
    config = json.loads((world_dir / "truth/config.json").read_text(encoding="utf-8"))
    code = f"from synthworld.cli import synth; synth({config['seed']}, {config['persons']}, {str(tmp_path)!r})"
    env = {**os.environ, "PYTHONHASHSEED": "987"}
    subprocess.run([sys.executable, "-c", code], check=True, env=env, cwd=Path(__file__).parents[2])
    files = sorted(p.relative_to(world_dir) for p in world_dir.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file())
    assert len(files) >= 22
    _match, mismatch, errors = filecmp.cmpfiles(world_dir, tmp_path, [str(f) for f in files], shallow=False)
    assert not mismatch and not errors


def test_other_seed_gives_other_world(world_dir: Path, tmp_path: Path) -> None:
    config = json.loads((world_dir / "truth/config.json").read_text(encoding="utf-8"))
    synth(config["seed"] + 1, 1000, tmp_path)
    a = (world_dir / "exports/amlo/amlo_accounts.csv").read_bytes()
    assert a != (tmp_path / "exports/amlo/amlo_accounts.csv").read_bytes()
