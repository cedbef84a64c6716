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
    with out.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(COLUMNS)
        for rec in meta.to_dict("records"):
            rid = str(rec["record_id"])
            writer.writerow([_cell(rec.get("agency")), _cell(rec.get("source_file")), _cell(rec.get("row")),
                             _cell(rec.get("exchange_id")), _cell(rec.get("part")), rid,
                             _cell(rec.get("entity_type")), mapping.get(rid, "")])
    return out
