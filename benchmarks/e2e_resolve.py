"""Entity resolution of an ingested workspace as ``tipgraph resolve`` runs it: time, CPU, peak memory.

Usage::

    .venv/bin/python benchmarks/e2e_resolve.py WORKSPACE OUT_DIR            # column-fed (frame_from_store)
    TIPGRAPH_ER_WORKERS=1 .venv/bin/python benchmarks/e2e_resolve.py ...     # one process (default: the cores)
    .venv/bin/python benchmarks/e2e_resolve.py WORKSPACE OUT_DIR --records  # record-fed (SourceRecord objects)
    /usr/bin/time -v .venv/bin/python benchmarks/e2e_resolve.py ...          # peak RSS of the whole process too

The resolution is written to OUT_DIR (not ``WORKSPACE/resolution``), so a shared workspace stays as it was.
The machine is shared: wall seconds include waiting for a CPU, CPU seconds do not; the load average is
printed with both.

Measured on the shared 2-core machine (seed 1 worlds from ``benchmarks/e2e.py``; 100k: 443,144 records of
which 182,364 persons; CPU = user + system of the whole process; load = 1-minute load average at the end):

==========  ==================================  =======  ======  =====  ========
world       path                                wall s   CPU s   load   peak RSS
==========  ==================================  =======  ======  =====  ========
100k        records (``iter_records``, before)  727.8    95.4    18.0   3.26 GB
100k        columns (``frame_from_store``)      511.1    58.1    10.9   1.20 GB
1M          records (``iter_records``, before)  died above 16 GB (README, session 1)
1M          columns, read step                  1094.1   178.6   8.1    5.65 GB
1M          columns, read + resolve             2759.8   996.3   7.3    14.11 GB
1M          columns, whole run (ce3fbf1)        601.0    556.0   3.2    10.34 GB
==========  ==================================  =======  ======  =====  ========

The 1M world: 4,431,445 records, 1,825,000 of them persons. The ce3fbf1 run (2026-11-27, load 3-6, a test
suite beside it): read 180.8 s / 169.8 CPU s, resolve 412.4 / 380.2, summary 7.8 / 6.0; 1,039,349 persons
from 25.9 M candidate pairs (1,088,553 merge, 4,632,102 review); ``/usr/bin/time -v``: 463.8 s user + 96.5 s
system, maximum RSS 10,846,440 kB. The 95a35a7 run (commit 95a35a7: before the read in
storage order and the 2,000,000-pair compare chunks, neither measured at 1M yet) ran at a load of 7 to 15 on
2 cores, so wall time is about three times the CPU time. At a million persons the CPU time of resolve grows
faster than the records (100k: 44 s, 1M: 818 s): compare redid its sorts over all records for each of many
500,000-pair chunks, and the peak memory comes after matching, when the 4.4 M-row frame is written.

(The matching code of another engineer changed between the two 100k runs: 2 of 443,144 records went to
another entity; the record-fed and column-fed paths agree exactly on the same code,
``tests/entity_resolution/test_frame_store.py``.)

Issue #7/#8 (entity-resolution CPU), 100k world back to back on the same machine (columns path; CPU s of
the resolve step / whole run; the three runs wrote identical mapping, pairs, records and settings):

- ca89831 (before): resolve 43.1 CPU s; run 58.0 CPU s, 181.2 s wall; load 7.4-10.5; peak 1.18 GB
- 55428c8 (all-record comparator work once per run, year spread by groupby): resolve 39.8 CPU s; run 53.2 CPU s,
  176.9 s wall; load 5.8-9.2; peak 1.16 GB
- 560ac97 (+ hash-table look-ups of shared values, lexsort blocking, pair keys hashed without factorising,
  records.parquet in row chunks): resolve 35.2 CPU s; run 48.5 CPU s, 150.2 s wall; load 6.3-9.1; peak 1.18 GB

(The first two under py-spy at 20 Hz, ``--nonblocking``; its sampling runs in its own process.)

At 100k there are 400,328 candidate pairs, one compare chunk, so the per-chunk savings do not show there;
at 1M (25.4 M pairs, 13 chunks of 2,000,000) each chunk used to redo the argsort, sort and unique of every
list column for every comparator that reads it (nine calls per chunk), and the binary search of millions of
random probes in the sorted (record, value) hashes was the top of the 1M compare profile.
Compare alone on the 100k world's 400,328 candidate pairs, ca89831's comparators against 560ac97's in one
process (load 6.6-6.8; identical levels): 9 chunks of 50,000 pairs 2.4 -> 1.3 CPU s (10.0 -> 3.5 s wall),
2 chunks of 400,000 pairs 1.7 -> 1.2 CPU s; the old cost grows with the number of chunks, the new does not.

Issue #7/#8, memory and CPU at a million persons (09c40bb, a705129), 100k world back to back against 597498a
(load 13-16; identical mapping, pairs, records, settings and summary): run 52.9 -> 48.0 CPU s (resolve 36.7 ->
32.7, summary 1.0 -> 0.1), peak RSS 1.14 -> 1.10 GiB. What they remove grows with the pairs, not the records
(100k: 0.4 M pairs; 1M: 26 M): the table of every pair in ``summary`` (built twice), 25 M joined pair-key
texts at once, the argsort/gather/unique merge of all rules' pairs, the DataFrame and whole-table Arrow copy
of pairs.parquet, a float copy of nine weight columns in ``corroborated``; and the 4.4 M-row frame is let go
once records.parquet is written (the callers no longer hold it).

The 1M world on a705129 (per step: wall s, CPU s, peak RSS GiB, at load 7-16 while other jobs ran): read
699 / 183.6 / 5.65 (3.79 after); features 417 / 114.3 / 6.58; records.parquet 98 / 25.2 / 5.70; the frame
let go: 4.60; blocking 436 / 142.2 / 7.40; pair keys 126 / 18.5 / 6.02 -- then stopped by this run's own
guard (the machine's available memory fell below 1.5 GB while other jobs grew), so compare, EM, scoring,
clustering and saving were not measured at 1M on this code (before: 13.49 GiB peak in resolve). Blocking's
142 CPU s were mostly np.unique of each rule's pair codes: NumPy 2.4 takes a hash table for it, 14.3 CPU s
for 10 M distinct int64 against 0.15 s by a sort (100k blocking 2.11 -> 1.33 CPU s, identical pairs, rule
bits and report after the change).

Issue #7, the second core (2026-11-27, H4): ``entity_resolution.parallel`` forks worker processes that see
the parent's arrays without copies. The read parses the person records in a worker while the parent reads
the provenance columns (b3b9635/9a3a9d7); blocking runs every other rule in a worker; compare and score
split the pairs in two (results in shared memory); score keeps whether a pair is corroborated instead of
its 14 float parts (1.45 GB at 1M; explanations work them out again); the frame goes before the features
are built (8b16490); the Thai words of the names are romanised half in a worker (3c1288d). Per step the
figures are now wall, parent CPU and worker CPU (``children cpu``) and RSS.

100k world back to back (outputs identical to 3892e50: mapping, pairs, records, settings; explanations of
40 entities and 80 pairs identical; /usr/bin/time CPU incl. workers, parent peak RSS, load 7-26):
3892e50 read 14.7 / resolve 34.0 CPU s, whole 51.2 CPU s, 1.24 GB; b3b9635 48.4, 1.19 GB; 8b16490 read
6.7 + 8.3 worker, whole 47.6 CPU s, 1.13 GB; 3c1288d 48.8 CPU s, features 12.5 + 3.6 worker (was 15.2).

1M world on 9a3a9d7 (2026-11-27 10:34-11:21, load 7-15: the process got 22% of a CPU, 46.7 min wall; wall
times are not the measure here): parent / worker CPU s per step: read 109.1 / 82.2, features 121.0,
records.parquet 38.4, blocking 21.6 / 18.4, pair keys 20.0, compare 58.7 / 53.9, EM 11.2 / 3.8, score
27.5 / 19.0, clustering 4.0, entities 18.7, save 10.3, summary 3.0; 443.7 parent + 177.3 worker CPU s
(/usr/bin/time 515.4 user + 109.4 system); peak RSS 7.85 GB in the parent during the features step (the
frame still alive: 8b16490 frees it first), 7.94 GB proportional set size of parent and workers together
(sampled each second), 6.3-7.1 GB from blocking to the end (compare 7.3 GB PSS with its worker). 1,043,205
persons from 25.9 M candidate pairs (1,078,869 merge, 4,526,254 review). The parent's CPU path, ≈ 440 s,
is the estimate of the wall time on two free cores: short of the 380 s target by about a minute (the
features step, 121 s, and records.parquet, 38 s, still run on one core). 3c1288d moves part of the
features step to the worker; neither it nor 8b16490 was measured at 1M yet.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import resource
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def run(workspace: Path, out_dir: Path, records: bool = False) -> dict[str, Any]:
    """Resolve every record of ``workspace`` into ``out_dir``; figures of each step and of the whole run."""
    from entity_resolution import resolve
    from entity_resolution.commands import summary
    from entity_resolution.frame import frame_from_store
    from ingest.store import RecordStore

    steps: dict[str, dict[str, float]] = {}
    wall0, cpu0 = time.perf_counter(), time.process_time()

    def mark(name: str, since: tuple[float, float]) -> tuple[float, float]:
        now = (time.perf_counter(), time.process_time())
        steps[name] = {"wall_s": round(now[0] - since[0], 1), "cpu_s": round(now[1] - since[1], 1),
                       "children_cpu_s_so_far": round(_children_cpu(), 1),
                       "peak_rss_gb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20, 2)}
        print(name, json.dumps(steps[name]), os.getloadavg(), file=sys.stderr, flush=True)
        return now

    class StepFigures(logging.Formatter):
        def format(self, record: logging.LogRecord) -> str:
            return (f"  {record.getMessage()} wall {time.perf_counter() - wall0:.1f} s cpu {time.process_time() - cpu0:.1f}"
                    f" s rss {_rss_gb():.2f} GB peak {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20:.2f}"
                    f" GB children cpu {_children_cpu():.1f} s")
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(StepFigures())
    logging.getLogger("entity_resolution").addHandler(handler)
    logging.getLogger("entity_resolution").setLevel(logging.INFO)

    t = (wall0, cpu0)
    with RecordStore(workspace) as store:
        frame: list[Any] = [list(store.iter_records()) if records else frame_from_store(store)]
    t = mark("read", t)
    res = resolve(frame.pop(), out_dir)  # not held here: resolve lets the frame go once it is written
    t = mark("resolve", t)
    counts = summary(res)
    mark("summary", t)
    return {"workspace": str(workspace), "path": "records" if records else "columns",
            "wall_s": round(time.perf_counter() - wall0, 1), "cpu_s": round(time.process_time() - cpu0, 1),
            "children_cpu_s": round(_children_cpu(), 1),
            "peak_rss_gb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20, 2),
            "load_average": [round(x, 1) for x in os.getloadavg()], "steps": steps,
            "records": counts["records"], "person_records": len(res.features), "persons": counts["persons"],
            "organisations": counts["organisations"], "pairs": counts["pairs"]}


def _rss_gb() -> float:
    """The resident memory of this process now."""
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**30


def _children_cpu() -> float:
    """CPU seconds of the worker processes that have ended (forked to split pairs over the cores)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, resolve, print JSON."""
    parser = argparse.ArgumentParser(prog="benchmarks/e2e_resolve.py")
    parser.add_argument("workspace", type=Path)
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--records", action="store_true", help="feed SourceRecord objects (the old path)")
    args = parser.parse_args(argv)
    print(json.dumps(run(args.workspace, args.out_dir, args.records), indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
