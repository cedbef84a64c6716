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


def test_plain_type_is_arrows_own_or_left_to_arrow() -> None:
    import numpy as np
    import pyarrow as pa

    from entity_resolution.result import _plain_type

    nan = float("nan")
    columns: dict[str, list[object]] = {
        "texts": ["a", None, nan, "b"], "lists": [["a"], None, [], ["b", "c"]], "empty lists": [[], None, []],
        "missing": [None, nan], "text among lists": [["a"], "ab"], "tuple": [("a",), ["b"]],
        "int in a list": [["a"], [1]], "bytes": [b"a", "b"], "numbers": [1, 2.5], "nan in a list": [["a", nan]],
    }
    plain = {}
    for name, values in columns.items():
        arr = np.empty(len(values), dtype=object)  # an object array of exactly these values
        for k, value in enumerate(values):
            arr[k] = value
        plain[name] = _plain_type(arr)
        if plain[name] is not None:
            assert plain[name] == pa.array(arr, from_pandas=True).type, name
    assert plain["texts"] == pa.string() and plain["lists"] == pa.list_(pa.string())
    assert plain["empty lists"] == pa.list_(pa.null())
    # Arrow would read "ab" as the list ["a", "b"] under a list type: such columns take Arrow's own path
    assert all(plain[k] is None for k in ("text among lists", "tuple", "int in a list", "bytes", "numbers",
                                          "nan in a list", "missing"))
