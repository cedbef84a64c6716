"""Bulk import (``graph_model.bulk``) of a workspace into a fresh local Neo4j: time of each step.

Reads the records and the resolution mapping of a workspace (run ``tipgraph resolve`` first), imports
them into the ``neo4j`` database of a new server data folder, and prints per step (collect = passes 1-2
of :mod:`graph_model.bulk_collect`: records converted, validated and spilled, csv = buckets merged into
CSV files, import = neo4j-admin, start, indexes = constraints + indexes created and online) the wall and
CPU seconds (CPU: this process and the collect's ``--workers`` processes, plus the importer for
``import``; the server's own CPU for ``start``/``indexes`` is not counted), elements/s, the peak RSS of
this process (the workers' is not in it: sample the process tree, as ``benchmarks/e2e.py`` does) and the
load.

Usage::

    .venv/bin/python benchmarks/bulk_import.py --workspace /tmp/h8/ws100k --data-dir /tmp/h8/bulk-neo4j

Figures: see the docstring of :mod:`graph_model.bulk` (filled in from runs of this script).
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import sys
import time
from pathlib import Path

# benchmarks/api.py would shadow the api package: import from the repository root, not this folder.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workspace", type=Path, required=True)
    parser.add_argument("--data-dir", type=Path, required=True, help="a NEW folder (removed first if --fresh)")
    parser.add_argument("--fresh", action="store_true", help="remove --data-dir first (its server stopped)")
    parser.add_argument("--keep", action="store_true", help="leave the server running afterwards")
    parser.add_argument("--buckets", type=int, default=64, help="spill files per kind of the collect")
    parser.add_argument("--workers", type=int, default=2, help="processes of the collect (1: this one)")
    args = parser.parse_args()

    from api.pipeline import _mapping
    from graph_model import neo4j_server
    from graph_model.bulk import bulk_import
    from ingest.store import RecordStore

    if args.fresh and args.data_dir.exists():
        neo4j_server.stop(args.data_dir)
        shutil.rmtree(args.data_dir)
    print(f"load before: {os.getloadavg()}")
    started, cpu = time.perf_counter(), time.process_time()
    mapping = _mapping(args.workspace)
    print(f"mapping: {len(mapping):,} records ({time.perf_counter() - started:.1f} s, "
          f"{time.process_time() - cpu:.1f} CPU s, RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MB)")
    with RecordStore(args.workspace) as records:
        report = bulk_import(records.iter_records, mapping, args.data_dir, buckets=args.buckets,
                             workers=args.workers, echo=lambda line: print(line, flush=True))
    total = sum(report.seconds.values())
    elements = report.nodes + report.relationships
    print(f"records {report.build.records:,}; nodes {report.nodes:,}; relationships {report.relationships:,}")
    for step, wall in report.seconds.items():
        print(f"  {step:8s} {wall:7.1f} s wall {report.cpu_seconds[step]:7.1f} s CPU "
              f"{elements / wall if wall else 0:>10,.0f} elements/s wall  load {report.load[step]:.1f}")
    print(f"  total    {total:7.1f} s wall: {elements / total:,.0f} elements/s; CPU of the collect's worker "
          f"processes (included above): {report.worker_cpu_seconds:.1f} s")
    print(f"peak RSS of this process: {report.collect_peak_mb:,.0f} MB after collect, "
          f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MB in all")
    print(f"load after: {os.getloadavg()}")
    if not args.keep:
        neo4j_server.stop(args.data_dir)


if __name__ == "__main__":
    main()
