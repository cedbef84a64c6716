"""The resolution export for outside grading: one CSV row per source record (``docs/contracts.md`` §3).

Examples
--------
>>> import tempfile, pandas as pd
>>> from entity_resolution import resolve
>>> d = tempfile.mkdtemp()
>>> res = resolve(pd.DataFrame({"record_id": ["a"], "agency": ["RTP"], "source_file": ["rtp_case_persons.csv"],
...                             "row": [1], "part": ["person"], "names": ["สมชาย ใจดี"]}), d)
>>> print(open(export_resolution(res, d + "/res.csv")).read().splitlines()[1].rsplit(",", 1)[0])
RTP,rtp_case_persons.csv,1,,person,a,Person
"""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd

from entity_resolution.result import Resolution

__all__ = ["COLUMNS", "export_resolution"]

_CHUNK = 200_000
COLUMNS = ("agency", "file", "row", "exchange_id", "part", "record_id", "entity_type", "entity_id")


def _cell(value: object) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def export_resolution(resolution: Resolution | str | Path, out_path: str | Path) -> Path:
    """Write ``agency,file,row,exchange_id,part,record_id,entity_type,entity_id`` for every source record.

    ``resolution`` is a :class:`Resolution` or the resolution directory of a finished run.
    """
    if isinstance(resolution, Resolution):
        meta, mapping = resolution.meta, resolution.mapping
    else:
        d = Path(resolution)
        meta = pd.read_parquet(d / "records.parquet")
        m = pd.read_parquet(d / "mapping.parquet")
        mapping = dict(zip(m["record_id"], m["entity_id"], strict=True))
    out = Path(out_path)
    out.parent.mkdir(parents=True, exist_ok=True)
    source = ("agency", "source_file", "row", "exchange_id", "part", "record_id", "entity_type")
    with out.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(COLUMNS)
        # column by column, a chunk of rows at a time: no dict per record (millions of them)
        for start in range(0, len(meta), _CHUNK):
            part = meta.iloc[start:start + _CHUNK]
            cells = [[_cell(v) for v in part[c].tolist()] if c in part else [""] * len(part) for c in source]
            rids = [str(v) for v in part["record_id"].tolist()]
            cells[5] = rids
            cells.append([mapping.get(r, "") for r in rids])
            writer.writerows(zip(*cells, strict=True))
    return out
