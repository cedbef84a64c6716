"""The stages that ``benchmarks/e2e.py`` runs, one per child process: synth, ingest, resolve, graph, detect.

Each stage is a function ``f(spec) -> dict`` whose dict holds ``items`` (what the stage's records per
second count), ``unit``, optional ``parts`` (seconds of sub-steps) and stage figures; the bulk graph load
adds ``steps``: per step of :func:`graph_model.bulk.bulk_import` its wall and CPU seconds and the load. The child runs one
stage and writes ``{"result": ..., "seconds": ..., "maxrss_mb": ...}`` as JSON to ``spec["out"]``.

Layout of one world in the cache (``<cache>/s<seed>-n<persons>/``): ``world/`` (synthworld's exports and
truth, with ``synth.json`` once complete), ``ws/`` (the workspace: ``records.sqlite``, ``resolution/``),
``graph-memory/`` (the saved embedded store), ``neo4j/`` (the data dir of the script's Neo4j).
"""

from __future__ import annotations

import json
import logging
import resource
import shutil
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

Spec = dict[str, Any]

__all__ = ["STAGES", "graph_size", "main"]


def _world(spec: Spec) -> Path:
    return Path(spec["root"]) / "world"


def _ws(spec: Spec) -> Path:
    return Path(spec["root"]) / "ws"


def graph_size(store: Any) -> dict[str, int]:
    """Nodes and relationships of a store, from its counts (node types are schema node names)."""
    counts = store.counts()
    nodes = sum(n for k, n in counts.items() if k in store.schema.nodes)
    rels = sum(n for k, n in counts.items() if k in store.schema.relationships)
    return {"nodes": nodes, "relationships": rels}


def _open_store(spec: Spec, fresh: bool) -> Any:
    if spec["store"] == "memory":
        from graph_model.store.memory import MemoryStore

        folder = Path(spec["root"]) / "graph-memory"
        if fresh:
            return MemoryStore(directory=folder)
        return MemoryStore.load(folder)
    from graph_model.store import open_store

    return open_store("neo4j", uri=spec["neo4j_uri"], user=spec.get("neo4j_user"),
                      password=spec.get("neo4j_password"), database=spec.get("neo4j_database"))


def stage_synth(spec: Spec) -> dict[str, Any]:
    """Generate the world (synthworld) into ``<root>/world``; rows written count as items."""
    from synthworld.cli import synth

    out = _world(spec)
    shutil.rmtree(out, ignore_errors=True)
    timings: dict[str, float] = {}
    rows = synth(seed=spec["seed"], persons=spec["persons"], out=out, timings=timings)
    result = {"items": sum(rows.values()), "unit": "rows written", "rows": rows,
              "parts": {k: round(v, 3) for k, v in timings.items() if k != "total"}}
    (out / "synth.json").write_text(json.dumps(result))
    return result


def stage_ingest(spec: Spec) -> dict[str, Any]:
    """Ingest the exports into a fresh workspace (``ingest_path`` with ``workers``); rows read count."""
    from ingest.pipeline import ingest_path

    ws = _ws(spec)
    shutil.rmtree(ws, ignore_errors=True)
    report = ingest_path(_world(spec) / "exports", ws, workers=spec["workers"], progress=None,
                         run_date="2026-11-26")
    if report.refused:
        raise RuntimeError(f"refused files: {[f.refused for f in report.refused]}")
    return {"items": report.read, "unit": "rows read", "records": report.records,
            "quarantined": sum(f.quarantined for f in report.files),
            "parts": {f.file: round(f.seconds, 3) for f in report.files}}


def stage_resolve(spec: Spec) -> dict[str, Any]:
    """Entity resolution as the CLI runs it (``api.pipeline.run_resolve``); person records count."""
    from api.pipeline import run_resolve

    shutil.rmtree(_ws(spec) / "resolution", ignore_errors=True)
    summary = run_resolve(_ws(spec))
    return {"items": summary["person_records"], "unit": "person records", **summary}


def stage_graph(spec: Spec) -> dict[str, Any]:
    """Load the graph into an empty store (``build_graph`` as ``run_build`` calls it, or, with
    ``neo4j_bulk_data``, ``graph_model.bulk.bulk_import`` into that data dir); source records count."""
    from api.pipeline import _mapping
    from graph_model.build import build_graph
    from ingest.store import RecordStore

    parts: dict[str, float] = {}
    t0 = time.perf_counter()
    mapping = _mapping(_ws(spec))
    parts["read mapping"] = time.perf_counter() - t0
    if spec.get("neo4j_bulk_data"):  # offline import into an empty data dir (graph_model.bulk), server after
        from graph_model.bulk import bulk_import

        t0 = time.perf_counter()
        with RecordStore(_ws(spec)) as records:
            bulk = bulk_import(records.iter_records, mapping, spec["neo4j_bulk_data"],
                               echo=lambda line: print(f"    {line}", flush=True))
        report = bulk.build
        report.nodes, report.relationships = bulk.nodes, bulk.relationships
        parts.update({f"bulk {k}": v for k, v in bulk.seconds.items()})
        parts.update({f"bulk {k} CPU": v for k, v in bulk.cpu_seconds.items()})
        steps = {k: {"seconds": round(v, 3), "cpu_seconds": round(bulk.cpu_seconds[k], 3),
                     "load": round(bulk.load[k], 2)} for k, v in bulk.seconds.items()}
        parts["build_graph"] = time.perf_counter() - t0
        store = _open_store({**spec, "neo4j_uri": bulk.uri}, fresh=False)
        try:
            size = graph_size(store)
        finally:
            store.close()
        return {"items": report.records, "unit": "source records", **size,
                "node_writes": report.nodes, "relationship_writes": report.relationships,
                "skipped": sum(report.skipped.values()), "parts": {k: round(v, 3) for k, v in parts.items()},
                "steps": steps, "collect_peak_mb": round(bulk.collect_peak_mb, 1),
                "index_seconds": {k: round(v, 1) for k, v in bulk.index_seconds.items()},
                # the collect's workers are forked by a fork server: not in this process's children's CPU
                "worker_cpu_seconds": round(bulk.worker_cpu_seconds, 3)}
    store = _open_store(spec, fresh=True)
    try:
        if spec["store"] == "neo4j" and spec.get("clear"):
            t0 = time.perf_counter()
            store.clear()
            parts["clear"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        with RecordStore(_ws(spec)) as records:
            report = build_graph(records.iter_records, mapping, store)
        parts["build_graph"] = time.perf_counter() - t0
        if spec["store"] == "memory":
            t0 = time.perf_counter()
            store.save()
            parts["save"] = time.perf_counter() - t0
        size = graph_size(store)
    finally:
        store.close()
    return {"items": report.records, "unit": "source records", **size,
            "node_writes": report.nodes, "relationship_writes": report.relationships,
            "skipped": sum(report.skipped.values()), "parts": {k: round(v, 3) for k, v in parts.items()}}


def stage_detect(spec: Spec) -> dict[str, Any]:
    """Every detector (``graph_model.queries.export.detections``); graph nodes + relationships count."""
    from graph_model.queries.export import detections

    parts: dict[str, float] = {}
    t0 = time.perf_counter()
    store = _open_store(spec, fresh=False)
    parts["open/load"] = time.perf_counter() - t0
    try:
        size = graph_size(store)
        t0 = time.perf_counter()
        found = detections(store)
        parts["detections"] = time.perf_counter() - t0
    finally:
        store.close()
    out = Path(spec["root"]) / f"detections-{spec['store']}.json"
    out.write_text(json.dumps(found, ensure_ascii=False))
    return {"items": size["nodes"] + size["relationships"], "unit": "graph elements", **size,
            "rings": len(found["rings"]), "money_chains": len(found["money_chains"]),
            "officials": len(found["officials"]), "parts": {k: round(v, 3) for k, v in parts.items()}}


STAGES: dict[str, Callable[[Spec], dict[str, Any]]] = {
    "synth": stage_synth, "ingest": stage_ingest, "resolve": stage_resolve,
    "graph": stage_graph, "detect": stage_detect,
}


def main(spec_path: str) -> None:
    """Run the stage of the spec file and write its figures (stdout is left to the stage)."""
    spec: Spec = json.loads(Path(spec_path).read_text())
    logging.getLogger("neo4j.notifications").setLevel(logging.ERROR)  # "label Asset does not exist" etc.
    profiler = None
    if spec.get("profile"):
        from pyinstrument import Profiler

        profiler = Profiler(interval=0.005)
        profiler.start()
    started = time.perf_counter()
    result = STAGES[spec["stage"]](spec)
    seconds = time.perf_counter() - started
    if profiler is not None:
        profiler.stop()
        base = Path(spec["profile"])
        base.parent.mkdir(parents=True, exist_ok=True)
        base.with_suffix(".txt").write_text(profiler.output_text(unicode=True, show_all=False))
        base.with_suffix(".html").write_text(profiler.output_html())
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime  # ingest's workers are children
    cpu += result.get("worker_cpu_seconds", 0.0)  # the bulk collect's workers are the fork server's
    Path(spec["out"]).write_text(json.dumps({
        "result": result, "seconds": seconds, "cpu_seconds": round(cpu, 3),
        "maxrss_mb": round(max(me.ru_maxrss, kids.ru_maxrss) / 1024, 1),
    }))


if __name__ == "__main__":
    # benchmarks/ holds scripts named like the packages (api.py, ingest.py): keep it off the import path
    _here = Path(__file__).resolve().parent
    sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _here]
    main(sys.argv[1])
