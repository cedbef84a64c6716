"""Quarantine: rows that cannot be loaded, kept aside with file, row, field, reason and the raw row.

What is quarantined (the row is not loaded) versus flagged (loaded, with ``"<field>:<flag>"`` in
``SourceRecord.flags``):

=====================================================  ===========================================
quarantined                                            flagged and kept
=====================================================  ===========================================
a key column empty (no stable record id)               a bad check digit (``thai_id:bad_check_digit``)
a required value empty or unreadable (``required``)    an ambiguous or swapped day/month, a CE year
                                                       in a BE column, a two-digit year
an identifier part without a key (unreadable account,  an optional value that cannot be read (kept
case number)                                           in ``raw``, flagged ``unparseable``)
a CSV row with more cells than the header; a JSON      a phone that is foreign or unparseable, a
Lines line that is not JSON                            document type hint that disagrees
=====================================================  ===========================================

Examples
--------
>>> import tempfile, pathlib
>>> q = Quarantine(pathlib.Path(tempfile.mkdtemp()), "run1")
>>> q.add("rtp_cases.csv", 7, "วันรับแจ้ง", "cannot read date_be from '31/02/25xx'", {"เลขคดี": "1"})
>>> q.close()
>>> print(q.path_for("rtp_cases.csv").read_text(encoding="utf-8").strip())
file,row,field,reason,raw
rtp_cases.csv,7,วันรับแจ้ง,cannot read date_be from '31/02/25xx',"{""เลขคดี"": ""1""}"
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import IO, Any

__all__ = ["QUARANTINE_COLUMNS", "Quarantine"]

QUARANTINE_COLUMNS = ("file", "row", "field", "reason", "raw")


class Quarantine:
    """Writes ``<workspace>/quarantine/<run>/<file>.csv``, one file per source file, opened on first use."""

    def __init__(self, workspace: Path, run_id: str) -> None:
        self.directory = Path(workspace) / "quarantine" / run_id
        self._open: dict[str, tuple[IO[str], Any]] = {}
        self.counts: dict[str, int] = {}

    def path_for(self, file_name: str) -> Path:
        """Where the quarantined rows of ``file_name`` go."""
        return self.directory / f"{file_name}.csv"

    def add(self, file_name: str, row: int | str | None, field: str, reason: str, raw: Any) -> None:
        """Quarantine one row; ``raw`` (the row as read) is written as JSON."""
        if file_name not in self._open:
            self.directory.mkdir(parents=True, exist_ok=True)
            fh = open(self.path_for(file_name), "w", encoding="utf-8", newline="")  # noqa: SIM115
            writer = csv.writer(fh)
            writer.writerow(QUARANTINE_COLUMNS)
            self._open[file_name] = (fh, writer)
        text = raw if isinstance(raw, str) else json.dumps(raw, ensure_ascii=False, default=str)
        self._open[file_name][1].writerow((file_name, "" if row is None else row, field, reason, text))
        self.counts[file_name] = self.counts.get(file_name, 0) + 1

    def close(self) -> None:
        """Flush and close every open quarantine file."""
        for fh, _ in self._open.values():
            fh.close()
        self._open.clear()
