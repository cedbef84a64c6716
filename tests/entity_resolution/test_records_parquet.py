"""The resolution's records.parquet is written in row chunks: the same frame comes back as in one piece."""

from pathlib import Path

import pandas as pd

from entity_resolution.result import _to_parquet


def test_chunked_write_reads_back_like_one_piece(tmp_path: Path) -> None:
    n = 10
    frame = pd.DataFrame({
        "record_id": [f"r{k}" for k in range(n)],
        "agency": pd.Categorical(["RTP", "DSI"] * 5),
        "row": [float(k) for k in range(n)],
        "late": [None] * 7 + ["x", "y", "z"],  # nothing but missing values in the first chunks
        "names": [["a", "b"], None, "c", ("d",), [], ["e"], None, ["f"], "g", ["h"]],  # lists and strings mixed
        "mixed": [None, "s", 3, "t", None, 4.5, "u", None, "v", 7],  # not strings only: written as text
    })
    _to_parquet(frame, tmp_path / "chunked.parquet", rows=3)
    _to_parquet(frame, tmp_path / "whole.parquet", rows=len(frame))
    chunked, whole = pd.read_parquet(tmp_path / "chunked.parquet"), pd.read_parquet(tmp_path / "whole.parquet")
    assert chunked.equals(whole)
    assert chunked["late"].tolist() == [None] * 7 + ["x", "y", "z"]
    assert [list(v) for v in chunked["names"]] == [["a", "b"], [], ["c"], ["d"], [], ["e"], [], ["f"], ["g"], ["h"]]
    assert chunked["mixed"].tolist()[:3] == [None, "s", "3"]
    assert chunked["agency"].dtype == "category"
