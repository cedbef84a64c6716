"""What an ingest run reports: per-file counts and timings, refused files with their one message.

Examples
--------
>>> f = FileReport(file="rtp_cases.csv", mapping="rtp_cases", read=3, loaded=2, quarantined=1, records=5)
>>> f.line()
'rtp_cases.csv: read 3, loaded 2, quarantined 1 → 5 records (+0 new, 0 changed) in 0.0 s'
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

__all__ = ["FileReport", "IngestReport", "RefusedFile"]


class RefusedFile(ValueError):
    """A file wrong as a whole (unknown layout, missing required columns, missing sheet)."""


@dataclass
class FileReport:
    """Counts and timing of one file; ``refused`` holds the one message of a refused file."""

    file: str
    mapping: str = ""
    read: int = 0
    loaded: int = 0
    quarantined: int = 0
    duplicates: int = 0
    records: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    seconds: float = 0.0
    refused: str | None = None
    quarantine_file: str | None = None

    def line(self) -> str:
        """One progress line."""
        if self.refused:
            return f"REFUSED {self.refused}"
        dup = f" ({self.duplicates:,} already taken)" if self.duplicates else ""
        return (f"{self.file}: read {self.read:,}, loaded {self.loaded:,}{dup}, quarantined {self.quarantined:,}"
                f" → {self.records:,} records (+{self.inserted:,} new, {self.updated:,} changed)"
                f" in {self.seconds:.1f} s")


@dataclass
class IngestReport:
    """A run's per-file reports and totals."""

    run_id: str
    run_date: str
    files: list[FileReport] = field(default_factory=list)
    refused: list[FileReport] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def read(self) -> int:
        """Rows read in all loaded files."""
        return sum(f.read for f in self.files)

    @property
    def records(self) -> int:
        """Source records produced."""
        return sum(f.records for f in self.files)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-able form."""
        return asdict(self)
