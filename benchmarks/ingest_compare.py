"""Same records before and after an ingest change: a canonical dump of an ingested world, and a comparison.

Usage::

    .venv/bin/python benchmarks/ingest_compare.py dump --world /tmp/w10k --out /tmp/before.jsonl --workers 2
    .venv/bin/python benchmarks/ingest_compare.py dump --world /tmp/w10k --out /tmp/after.jsonl --workers 2
    .venv/bin/python benchmarks/ingest_compare.py diff /tmp/before.jsonl /tmp/after.jsonl

The dump holds every record of ``records.sqlite`` (all columns but the run's id and times), ordered by
record id, then every quarantined row (file, row, field, reason, raw) and the per-file report counts:
two dumps are equal exactly when ingest wrote the same thing. ``diff`` prints the first differences and
exits 1 when there are any.
"""

from __future__ import annotations

import argparse
import csv
import json
import shutil
import sqlite3
import sys
import tempfile
from pathlib import Path

_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]
sys.path.insert(0, str(_HERE.parent))

_KEPT = ("record_id, agency, source_file, row, exchange_id, part, entity_type, key, record_date, content_hash, "
         "props, raw, flags, links")


def dump(world: Path, out: Path, workers: int) -> int:
    """Ingest ``world``'s exports into a scratch workspace and write the canonical dump; return its lines."""
    from ingest.pipeline import ingest_path

    tmp = Path(tempfile.mkdtemp(prefix="tipgraph-cmp-"))
    try:
        report = ingest_path(world / "exports", tmp / "ws", workers=workers, progress=None,
                             run_date="2026-01-01", run_id="cmp")
        lines = 0
        with open(out, "w", encoding="utf-8") as fh:
            con = sqlite3.connect(tmp / "ws" / "records.sqlite")
            names = [c.strip() for c in _KEPT.split(",")]
            for row in con.execute(f"SELECT {_KEPT} FROM records ORDER BY record_id"):
                fh.write(json.dumps(dict(zip(names, row, strict=True)), ensure_ascii=False) + "\n")
                lines += 1
            con.close()
            qdir = tmp / "ws" / "quarantine" / "cmp"
            for qfile in sorted(qdir.glob("*.csv")) if qdir.exists() else []:
                with open(qfile, encoding="utf-8", newline="") as q:
                    for qrow in csv.DictReader(q):
                        fh.write(json.dumps({"quarantine": qrow}, ensure_ascii=False) + "\n")
                        lines += 1
            for f in sorted(report.files, key=lambda f: f.file):
                fh.write(json.dumps({"file": f.file, "read": f.read, "loaded": f.loaded,
                                     "quarantined": f.quarantined, "records": f.records}) + "\n")
                lines += 1
        return lines
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def diff(a: Path, b: Path, show: int = 10) -> int:
    """Number of differing lines of two dumps (the first ``show`` are printed)."""
    la = a.read_text(encoding="utf-8").splitlines()
    lb = b.read_text(encoding="utf-8").splitlines()
    bad = 0
    for i in range(max(len(la), len(lb))):
        x = la[i] if i < len(la) else "<missing>"
        y = lb[i] if i < len(lb) else "<missing>"
        if x != y:
            bad += 1
            if bad <= show:
                print(f"line {i + 1}:\n  - {x[:600]}\n  + {y[:600]}")
    print(f"{len(la):,} vs {len(lb):,} lines, {bad:,} differ")
    return bad


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="cmd", required=True)
    d = sub.add_parser("dump")
    d.add_argument("--world", type=Path, required=True)
    d.add_argument("--out", type=Path, required=True)
    d.add_argument("--workers", type=int, default=2)
    c = sub.add_parser("diff")
    c.add_argument("a", type=Path)
    c.add_argument("b", type=Path)
    args = parser.parse_args()
    if args.cmd == "dump":
        print(f"{dump(args.world, args.out, args.workers):,} lines written to {args.out}")
    else:
        sys.exit(1 if diff(args.a, args.b) else 0)


if __name__ == "__main__":
    main()
