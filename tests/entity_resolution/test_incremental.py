"""Incremental resolution: new records against saved entities give the same result as a full run."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from entity_resolution import Settings, add_records, resolve
from entity_resolution.febrl import febrl_frame, load_febrl


def test_incremental_equals_full(tmp_path: Path) -> None:
    frame = febrl_frame(load_febrl(1)).sample(frac=1.0, random_state=3).reset_index(drop=True)
    old, new = frame.iloc[:700], frame.iloc[700:]
    first = resolve(old, tmp_path / "inc")
    incremental = add_records(new, tmp_path / "inc")
    full = resolve(frame, tmp_path / "full", settings=Settings.load(tmp_path / "inc" / "settings.json"))
    assert incremental.mapping == full.mapping
    # the new records really joined old entities, and old comparisons were reused, not redone
    joined = {full.entity_of(r) for r in new["record_id"]} & {first.entity_of(r) for r in old["record_id"]}
    assert len(joined) > 50
    assert len(pd.read_parquet(tmp_path / "inc" / "pairs.parquet")) == len(full.pairs)
