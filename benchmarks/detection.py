"""Detection scored on planted truth: synthetic worlds (several seeds) → ingest → entity resolution →
graph (MemoryStore) → :func:`graph_model.queries.export.detections` → the ``synthworld`` scorer.

Targets (issue 5): ring best-match F1 >= 0.9, money-chain recall >= 0.9, corrupt officials recall@k >= 0.9,
with precision reported beside every recall. Worlds and workspaces go to a temporary folder (or ``--work``).

Usage: ``.venv/bin/python -m benchmarks.detection [--seeds 1 2 3] [--persons 5000] [--json OUT]``
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path
from typing import Any

TARGETS = {"ring_f1": 0.9, "chain_recall": 0.9, "official_recall": 0.9}


def run_world(seed: int, persons: int, work: Path, top_k: int = 50, noise: str = "default") -> dict[str, Any]:
    """Generate, load and detect one world; return the scorer's detection metrics and timings."""
    from api.pipeline import open_workspace_store, run_build, run_export_resolution
    from graph_model.queries.export import detections
    from synthworld.cli import score, synth

    base = work / f"seed{seed}-{persons}"
    world, ws = base / "world", base / "workspace"
    t0 = time.perf_counter()
    synth(seed=seed, persons=persons, out=world, noise=noise)
    t1 = time.perf_counter()
    run_build(ws, source=world / "exports", store_kind="memory")
    run_export_resolution(ws, ws / "resolution-export.csv")
    t2 = time.perf_counter()
    store = open_workspace_store(ws, "memory")
    try:
        det = detections(store)
    finally:
        store.close()
    t3 = time.perf_counter()
    (ws / "detections.json").write_text(json.dumps(det, ensure_ascii=False), encoding="utf-8")
    result = score(world / "truth", ws / "resolution-export.csv", ws / "detections.json", top_k=top_k,
                   print_report=False)
    d = result["detections"]  # type: ignore[index]
    return {
        "seed": seed, "persons": persons,
        "rings": d["rings"], "money_chains": d["money_chains"], "officials": d["officials"],
        "seconds": {"synth": round(t1 - t0, 1), "pipeline": round(t2 - t1, 1), "detect": round(t3 - t2, 1)},
    }


def summary_line(r: dict[str, Any]) -> str:
    """One printable line per world."""
    rings, chains, off = r["rings"], r["money_chains"], r["officials"]
    return (f"seed {r['seed']} ({r['persons']:,} persons): rings recovery F1 {rings['recovery_f1']:.3f} "
            f"precision F1 {rings['precision_f1']:.3f} ({int(rings['detected_rings'])}/{int(rings['true_rings'])}) | "
            f"chains recall {chains['recall']:.3f} precision {chains['precision']:.3f} "
            f"{ {k: round(v, 2) for k, v in chains['recall_by_pattern'].items()} } | "
            f"officials recall@{int(off['k'])} {off['recall_at_k']:.3f} precision@{int(off['k'])} "
            f"{off['precision_at_k']:.3f} | {r['seconds']}")


def main(argv: list[str] | None = None) -> list[dict[str, Any]]:
    """Score every seed and print one line each."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    ap.add_argument("--persons", type=int, default=5000)
    ap.add_argument("--top-k", type=int, default=50)
    ap.add_argument("--work", type=Path)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args(argv)
    work = args.work or Path(tempfile.mkdtemp(prefix="tipgraph-detection-"))
    results = []
    for seed in args.seeds:
        r = run_world(seed, args.persons, work, args.top_k)
        print(summary_line(r), flush=True)
        results.append(r)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))
    return results


if __name__ == "__main__":
    main()
