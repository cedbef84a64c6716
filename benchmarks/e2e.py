"""End to end: synthetic agency exports → ingest → entity resolution → graph load → detection, per size and store.

Every stage runs in its own child process (``benchmarks/e2e_stages.py``), so that one stage's memory does
not carry into the next and a stage can be rerun alone (``--stages``). Worlds and workspaces are cached
under ``--cache`` by seed and size; ``synth`` reuses a complete world unless ``--force-synth``.

The Neo4j graph stage loads an empty database the way a first national load is made: by the offline
bulk import (``graph_model.bulk``, as ``tipgraph build --bulk-import``) into a new data dir of the script's
own server, which the import starts; ``--neo4j-upserts`` (or ``--neo4j-uri``) takes the transactional path.

Peak memory is *sampled*: every 0.2 s the script sums the proportional set size (PSS: shared pages
counted once, split among the processes sharing them; RSS before 2026-11-27 11:50, which counted the pages
that entity resolution's forked workers share with their parent twice) of the stage's child and all its
descendants (ingest's and resolution's worker processes included) and keeps the maximum (``peak_mb``); the Neo4j JVM is
sampled alongside (``neo4j_mb``), and ``total_mb`` is the largest sum of both at one instant. The child's
own ``ru_maxrss`` (the larger of itself and its largest waited-for child) is kept as ``maxrss_mb``.
The graph stage of a bulk load also prints (and keeps, as ``result.steps``) each step of the import:
collect, csv, import, start, indexes, with wall and CPU seconds and the load.
On a shared machine wall time is inflated by contention, so CPU seconds are kept too: the child's and its
children's user + system time (``cpu_seconds``) and the Neo4j JVM's during the stage (``neo4j_cpu_seconds``),
with the load average at the start and end of each stage.

Records per second count what each stage consumes: synth the rows it writes, ingest the rows it reads,
resolve the person records, graph the source records, detect the graph's nodes + relationships.
The scaling exponent of a stage between consecutive sizes is ``log(t2/t1) / log(n2/n1)`` with ``n`` the
number of persons (1 is linear; n log n between 1e5 and 1e6 is about 1.2).

Usage::

    .venv/bin/python benchmarks/e2e.py --sizes 10000 --stores memory,neo4j
    .venv/bin/python benchmarks/e2e.py --sizes 100000 --stages detect --stores neo4j
    .venv/bin/python benchmarks/e2e.py --sizes 100000 --stages resolve --profile benchmarks/results/prof
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

STAGE_ORDER = ("synth", "ingest", "resolve", "graph", "detect")
PER_STORE = ("graph", "detect")  # the others do not depend on the store: their entries carry store "-"
HERE = Path(__file__).resolve().parent


class Sampler(threading.Thread):
    """Samples the RSS of a process tree (and of the Neo4j JVM) every ``interval`` seconds; keeps peaks."""

    def __init__(self, pid: int, neo4j_pid: int | None, limit_mb: float = 0, interval: float = 0.2,
                 neo4j_data_dir: str | None = None) -> None:
        super().__init__(daemon=True)
        import psutil

        self._psutil = psutil
        self.root = psutil.Process(pid)
        self.neo4j = self._process(neo4j_pid)
        self.interval = interval
        self.peak = self.neo4j_peak = self.total_peak = 0
        self.neo4j_cpu = 0.0  # CPU seconds the Neo4j JVM(s) spent while the stage ran
        self.limit = limit_mb * 2**20
        self.exceeded = False
        # a bulk import stops the server and starts a new one (a new pid): followed through its data dir
        self._data_dir = neo4j_data_dir
        self._neo4j_cpu: dict[int, list[float]] = {}  # pid -> [CPU at first sight, CPU at last sight]
        if self.neo4j:
            cpu = self._cpu(self.neo4j)
            self._neo4j_cpu[self.neo4j.pid] = [cpu, cpu]
        self._done = threading.Event()

    def _process(self, pid: int | None) -> Any:
        try:
            return self._psutil.Process(pid) if pid else None
        except self._psutil.NoSuchProcess:
            return None

    def _follow_neo4j(self) -> None:
        """The server of ``neo4j_data_dir`` now (after a restart: the new JVM, its CPU all in the stage)."""
        if self._data_dir is None or (self.neo4j is not None and self.neo4j.is_running()):
            return
        from graph_model.neo4j_server import status

        handle = status(self._data_dir)
        self.neo4j = self._process(handle.pid if handle else None)
        if self.neo4j is not None:
            self._neo4j_cpu.setdefault(self.neo4j.pid, [0.0, 0.0])

    def _cpu(self, proc: Any) -> float:
        try:
            t = proc.cpu_times()
            return float(t.user + t.system)
        except (self._psutil.NoSuchProcess, self._psutil.AccessDenied, self._psutil.ZombieProcess):
            return 0.0

    def _memory(self, proc: Any) -> int:
        """The process's proportional set size (PSS, from ``/proc/PID/smaps_rollup``): its private pages
        plus its share of pages shared with others. Forked workers (entity resolution's) share the parent's
        pages until written, and each one's RSS counts all of them again; PSS summed over a process tree is
        the memory the tree really holds. RSS where the kernel gives no PSS."""
        try:
            with open(f"/proc/{proc.pid}/smaps_rollup", encoding="ascii") as f:
                for line in f:
                    if line.startswith("Pss:"):
                        return int(line.split()[1]) * 1024
        except OSError:
            pass
        try:
            return int(proc.memory_info().rss)
        except (self._psutil.NoSuchProcess, self._psutil.AccessDenied, self._psutil.ZombieProcess):
            return 0

    def run(self) -> None:
        while not self._done.is_set():
            try:
                tree = [self.root, *self.root.children(recursive=True)]
            except self._psutil.NoSuchProcess:
                break
            ours = sum(self._memory(p) for p in tree)
            self._follow_neo4j()
            neo = self._memory(self.neo4j) if self.neo4j else 0
            if self.neo4j is not None and (cpu := self._cpu(self.neo4j)):
                self._neo4j_cpu[self.neo4j.pid][1] = cpu
            self.peak, self.neo4j_peak = max(self.peak, ours), max(self.neo4j_peak, neo)
            self.total_peak = max(self.total_peak, ours + neo)
            if self.limit and ours + neo > self.limit:  # stop before the machine's other users suffer
                self.exceeded = True
                for proc in reversed(tree):
                    with contextlib.suppress(self._psutil.Error):
                        proc.kill()
                break
            self._done.wait(self.interval)

    def stop(self) -> None:
        self._done.set()
        self.join()
        if self.neo4j and (cpu := self._cpu(self.neo4j)):
            self._neo4j_cpu[self.neo4j.pid][1] = cpu
        self.neo4j_cpu = sum(last - first for first, last in self._neo4j_cpu.values())


def run_stage(spec: dict[str, Any], neo4j_pid: int | None, limit_mb: float) -> dict[str, Any]:
    """Run one stage in a child process; its figures plus sampled memory and load averages.

    A stage that fails, or that is stopped because the sampled memory (with Neo4j's) went above
    ``limit_mb``, gives an entry with ``error`` set and no figures but its time and memory."""
    with tempfile.TemporaryDirectory(prefix="e2e-") as tmp:
        spec = {**spec, "out": str(Path(tmp) / "out.json")}
        spec_path = Path(tmp) / "spec.json"
        spec_path.write_text(json.dumps(spec))
        load_before = os.getloadavg()
        started = time.perf_counter()
        child = subprocess.Popen([sys.executable, str(HERE / "e2e_stages.py"), str(spec_path)])
        sampler = Sampler(child.pid, neo4j_pid, limit_mb, neo4j_data_dir=spec.get("neo4j_bulk_data"))
        sampler.start()
        code = child.wait()
        wall = time.perf_counter() - started
        sampler.stop()
        if code != 0:
            error = (f"stopped: memory above {limit_mb:,.0f} MB" if sampler.exceeded else f"failed: exit {code}")
            figures: dict[str, Any] = {"result": {"items": 0, "unit": "", "error": error}, "seconds": wall, "cpu_seconds": None,
                       "maxrss_mb": None}
        else:
            figures = json.loads(Path(spec["out"]).read_text())
    result = figures["result"]
    seconds = figures["seconds"]
    return {
        "persons": spec["persons"], "seed": spec["seed"], "store": spec["store"], "stage": spec["stage"],
        "seconds": round(seconds, 3), "wall_seconds": round(wall, 3), "cpu_seconds": figures["cpu_seconds"],
        "neo4j_cpu_seconds": round(sampler.neo4j_cpu, 3),
        "items": result["items"], "unit": result["unit"],
        "per_second": round(result["items"] / seconds, 1) if seconds and result["items"] else None,
        "peak_mb": round(sampler.peak / 2**20, 1), "neo4j_mb": round(sampler.neo4j_peak / 2**20, 1),
        "total_mb": round(sampler.total_peak / 2**20, 1), "maxrss_mb": figures["maxrss_mb"],
        "loadavg_start": [round(x, 2) for x in load_before],
        "loadavg_end": [round(x, 2) for x in os.getloadavg()],
        "finished": datetime.now(UTC).isoformat(timespec="seconds"),
        "result": {k: v for k, v in result.items() if k not in ("items", "unit")},
    }


class Neo4jServer:
    """The script's own Neo4j on a free port with its data in ``<root>/neo4j`` (or a given server)."""

    def __init__(self, uri: str | None) -> None:
        self.uri = uri
        self.own = uri is None
        self.pid: int | None = None
        self.data_dir: Path | None = None

    def ensure(self, root: Path, fresh: bool) -> str:
        """A server for the world under ``root`` (a fresh, empty database when ``fresh``)."""
        if not self.own:
            assert self.uri is not None
            return self.uri
        from graph_model.neo4j_server.process import free_port, start, stop

        data_dir = root / "neo4j"
        if self.data_dir is not None and self.data_dir != data_dir:
            self.stop()
        if fresh:
            stop(data_dir)
            shutil.rmtree(data_dir, ignore_errors=True)
        handle = start(data_dir, free_port(), report=lambda m: print(f"    neo4j: {m}", flush=True))
        self.uri, self.pid, self.data_dir = handle.uri, handle.pid, data_dir
        return handle.uri

    def empty(self, root: Path) -> Path:
        """A new, empty data dir for the world under ``root``, no server on it yet (for a bulk import)."""
        from graph_model.neo4j_server.process import stop

        self.stop()
        data_dir = root / "neo4j"
        stop(data_dir)
        shutil.rmtree(data_dir, ignore_errors=True)
        self.data_dir, self.pid, self.uri = data_dir, None, None
        return data_dir

    def follow(self) -> None:
        """Take the pid and URI of the server now running on the script's data dir (after a bulk import)."""
        if self.own and self.data_dir is not None:
            from graph_model.neo4j_server.process import status

            handle = status(self.data_dir)
            self.pid, self.uri = (handle.pid, handle.uri) if handle else (None, None)

    def stop(self) -> None:
        """Stop the script's server, if it started one."""
        if self.own and self.data_dir is not None:
            from graph_model.neo4j_server.process import stop

            stop(self.data_dir)
            self.data_dir, self.pid, self.uri = None, None, None


def add_exponents(entries: list[dict[str, Any]]) -> None:
    """Set ``exponent`` on each entry: against the next smaller size of the same stage, store and seed."""
    groups: dict[tuple[Any, ...], list[dict[str, Any]]] = {}
    for e in entries:
        e["exponent"] = None
        if "error" not in e["result"]:
            groups.setdefault((e["seed"], e["store"], e["stage"]), []).append(e)
    for group in groups.values():
        group.sort(key=lambda e: e["persons"])
        for small, big in itertools.pairwise(group):
            ok = small["seconds"] > 0 and big["seconds"] > 0 and big["persons"] > small["persons"]
            big["exponent"] = round(math.log(big["seconds"] / small["seconds"])
                                    / math.log(big["persons"] / small["persons"]), 2) if ok else None


def merge_results(path: Path, new: list[dict[str, Any]], meta: dict[str, Any]) -> list[dict[str, Any]]:
    """Merge ``new`` into the JSON at ``path`` (same seed, size, store and stage replaced); write it back."""
    old: list[dict[str, Any]] = []
    if path.exists():
        old = json.loads(path.read_text()).get("entries", [])

    def key(e: dict[str, Any]) -> tuple[Any, ...]:
        return e["seed"], e["persons"], e["store"], e["stage"]

    fresh = {key(e) for e in new}
    entries = [e for e in old if key(e) not in fresh] + new
    entries.sort(key=lambda e: (e["seed"], e["persons"], e["store"] != "-", e["store"],
                                STAGE_ORDER.index(e["stage"])))
    add_exponents(entries)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"meta": meta, "entries": entries}, indent=1, ensure_ascii=False))
    return entries


def print_table(entries: list[dict[str, Any]], sizes: list[int]) -> None:
    """The figures of ``sizes`` as one table."""
    head = (f"{'persons':>9} {'store':6} {'stage':7} {'seconds':>8} {'cpu s':>8} {'items/s':>10}  {'items':>10} "
            f"{'peak MB':>8} {'neo4j MB':>8} {'expo':>5} {'load':>5}  graph")
    print("\n" + head + "\n" + "-" * len(head))
    for e in entries:
        if e["persons"] not in sizes:
            continue
        r = e["result"]
        graph = f"{r['nodes']:,} nodes, {r['relationships']:,} rels" if "nodes" in r else r.get("error", "")
        expo = "" if e.get("exponent") is None else f"{e['exponent']:.2f}"
        cached = " (cached)" if e.get("cached") else ""
        cpu = (e.get("cpu_seconds") or 0) + (e.get("neo4j_cpu_seconds") or 0)
        print(f"{e['persons']:>9,} {e['store']:6} {e['stage']:7} {e['seconds']:>8.1f} {cpu:>8.1f} "
              f"{e['per_second'] or 0:>10,.0f}"
              f"  {e['items']:>10,} {e['peak_mb']:>8,.0f} {e['neo4j_mb']:>8,.0f} {expo:>5} "
              f"{e['loadavg_start'][0]:>5.1f}  {graph}{cached}")
        for line in step_lines(e):
            print(f"{'':>34}{line}")


def step_lines(entry: dict[str, Any]) -> list[str]:
    """One line per step of a bulk graph load (collect, csv, import, start, indexes): wall and CPU seconds
    (CPU of the collect's processes and of the importer; the server's own in ``start``/``indexes`` is not
    counted) and the 1-minute load at the step's end."""
    steps = entry["result"].get("steps") or {}
    return [f"{name:>9} {s['seconds']:8.1f} s {s['cpu_seconds']:8.1f} CPU s  load {s['load']:5.1f}"
            for name, s in steps.items()]


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The command line."""
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--sizes", default="10000,100000,1000000", help="persons per world, comma-separated")
    p.add_argument("--stores", default="memory,neo4j")
    p.add_argument("--stages", default=",".join(STAGE_ORDER))
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--cache", type=Path, default=Path("/tmp/tipgraph-bench"))
    p.add_argument("--json", type=Path, default=HERE / "results" / "e2e.json")
    p.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="ingest worker processes")
    p.add_argument("--force-synth", action="store_true", help="regenerate cached worlds")
    p.add_argument("--neo4j-uri", default=None, help="use this server (its database is cleared!)")
    p.add_argument("--neo4j-user", default="neo4j")
    p.add_argument("--neo4j-password", default=None)
    p.add_argument("--neo4j-database", default="neo4j")
    p.add_argument("--neo4j-heap", default="3g", help="heap of the script's Neo4j")
    p.add_argument("--neo4j-pagecache", default="3g", help="page cache of the script's Neo4j")
    p.add_argument("--keep-neo4j", action="store_true", help="leave the script's Neo4j running at the end")
    p.add_argument("--neo4j-upserts", action="store_true",
                   help="graph stage on neo4j: transactional upserts (build_graph) instead of the offline import "
                        "(graph_model.bulk) that a fresh server of the script's own gets by default")
    p.add_argument("--max-mb", type=float, default=16_384,
                   help="stop a stage whose memory (with Neo4j's) goes above this (0: no limit)")
    p.add_argument("--profile", type=Path, default=None, help="pyinstrument each stage into DIR/<n>-<store>-<stage>")
    return p.parse_args(argv)


def _synth_cached(root: Path, seed: int, persons: int) -> dict[str, Any] | None:
    done, run = root / "world" / "synth.json", root / "synth-run.json"
    if not done.exists() or not run.exists():
        return None
    entry: dict[str, Any] = json.loads(run.read_text())
    return {**entry, "cached": True} if entry["seed"] == seed and entry["persons"] == persons else None


def main(argv: list[str] | None = None) -> None:
    """Run the requested stages for every size and store; print the table and write the JSON."""
    args = parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    stores = [s for s in args.stores.split(",") if s]
    stages = [s for s in STAGE_ORDER if s in args.stages.split(",")]
    os.environ.setdefault("TIPGRAPH_NEO4J_HEAP", args.neo4j_heap)
    os.environ.setdefault("TIPGRAPH_NEO4J_PAGECACHE", args.neo4j_pagecache)
    meta = {"cpu_count": os.cpu_count(), "python": sys.version.split()[0], "memory": "psutil RSS sampled every 0.2 s",
            "neo4j_heap": os.environ["TIPGRAPH_NEO4J_HEAP"], "neo4j_pagecache": os.environ["TIPGRAPH_NEO4J_PAGECACHE"],
            "commit": subprocess.run(["git", "-C", str(HERE), "rev-parse", "--short", "HEAD"],
                                     capture_output=True, text=True).stdout.strip()}
    neo4j = Neo4jServer(args.neo4j_uri)
    new: list[dict[str, Any]] = []
    try:
        for persons in sizes:
            root = args.cache / f"s{args.seed}-n{persons}"
            root.mkdir(parents=True, exist_ok=True)
            print(f"== {persons:,} persons (seed {args.seed}) in {root}; load {os.getloadavg()[0]:.1f}", flush=True)
            base = {"seed": args.seed, "persons": persons, "root": str(root), "workers": args.workers}
            failed, failed_stores = False, set()
            for stage in stages:
                if failed:
                    break
                targets = stores if stage in PER_STORE else ["-"]
                for store in targets:
                    if store in failed_stores:
                        continue
                    if stage == "synth" and not args.force_synth and (cached := _synth_cached(root, args.seed, persons)):
                        print(f"  synth: cached world ({cached['seconds']:.1f} s when generated)", flush=True)
                        new.append(cached)
                        continue
                    spec = {**base, "stage": stage, "store": store}
                    neo4j_pid = None
                    if store == "neo4j":
                        spec.update(clear=not neo4j.own, neo4j_user=args.neo4j_user,
                                    neo4j_password=args.neo4j_password, neo4j_database=args.neo4j_database)
                        if neo4j.own and not args.neo4j_upserts and stage == "graph":
                            # an empty database's first load: the offline import, as `tipgraph build
                            # --bulk-import` does, into a new data dir (the import starts the server);
                            # upserts go into a given --neo4j-uri server, which is cleared first
                            spec["neo4j_bulk_data"] = str(neo4j.empty(root))
                        else:
                            spec["neo4j_uri"] = neo4j.ensure(root, fresh=stage == "graph")
                        neo4j_pid = neo4j.pid
                    if args.profile:
                        spec["profile"] = str(args.profile / f"{persons}-{store}-{stage}")
                    print(f"  {stage} ({store}) ...", flush=True)
                    entry = run_stage(spec, neo4j_pid, args.max_mb)
                    if spec.get("neo4j_bulk_data"):
                        neo4j.follow()  # the import restarted the server: a new pid, the same port
                    if "error" in entry["result"]:
                        print(f"  {stage} ({store}): {entry['result']['error']} after {entry['seconds']:.0f} s, "
                              f"peak {entry['total_mb']:,.0f} MB", flush=True)
                        new.append(entry)
                        merge_results(args.json, new, meta)
                        failed_stores.add(store)  # the later stages need this one
                        failed = store == "-"
                        continue
                    print(f"  {stage} ({store}): {entry['seconds']:.1f} s, {entry['per_second'] or 0:,.0f} "
                          f"{entry['unit']}/s, peak {entry['peak_mb']:,.0f} MB (+ neo4j {entry['neo4j_mb']:,.0f} MB), "
                          f"load {entry['loadavg_start'][0]:.1f}", flush=True)
                    for line in step_lines(entry):
                        print(f"    {line}", flush=True)
                    if stage == "synth":
                        (root / "synth-run.json").write_text(json.dumps(entry))
                    new.append(entry)
                    merge_results(args.json, new, meta)  # after every stage: a killed run keeps what finished
            if not args.keep_neo4j:
                neo4j.stop()
    finally:
        if not args.keep_neo4j:
            neo4j.stop()
    entries = merge_results(args.json, new, meta)
    print_table(entries, sizes)
    print(f"\nJSON: {args.json}")


if __name__ == "__main__":
    # benchmarks/ holds scripts named like the packages (api.py, ingest.py): keep it off the import path
    sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]
    main()
