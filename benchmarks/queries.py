"""Query latencies at scale (issue 5 targets on a 1,000,000-person world in Neo4j): 2-hop expansion
p95 <= 50 ms, shortest path p95 <= 100 ms, 5-hop time-ordered money trail p95 <= 500 ms, whole-graph ring
detection <= 2 minutes.

The graph must already be in the store: Neo4j at ``--uri`` (default ``TIPGRAPH_NEO4J_URI``), or the memory
store of ``--workspace`` (``--store memory``). ``--copy-from WORKSPACE`` first copies a saved memory graph
into Neo4j (batches of upserts), e.g. after ``tipgraph demo`` or ``tipgraph build`` on a big world.
Samples are drawn with a fixed seed so runs compare.

Usage: ``.venv/bin/python -m benchmarks.queries [--store neo4j] [--uri bolt://...] [--samples 200]``

2026-11-27, Neo4j 5.26 on this 2-core machine shared with other work (load average 13.5), the 5,000-person
seed-2 world copied in (``--copy-from``), 100 samples: 2-hop expansion p50 23.2 / p95 56.0 ms (misses 50;
three round trips for two hops plus the entity look-ups, in ``graph_model.store``), shortest path p50 13.2 /
p95 41.2 ms, 5-hop money trail p50 48.3 / p95 160.7 ms. Detection on that world in Neo4j: 14.1 s wall /
1.7 s client CPU before (e4f51f2) -> 8.3 s / 1.2 s after (cycles and layering in Cypher, one query each;
layering alone 3.1-5.9 s -> 0.08-0.15 s); the same detections as the memory store.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from graph_model.queries._common import backend_of, graph_of, run
from graph_model.queries.money import trail
from graph_model.queries.neighbourhood import expand
from graph_model.queries.paths import connections
from graph_model.queries.rings import detect_rings

TARGETS_MS = {"expand_2hop": 50.0, "shortest_path": 100.0, "money_trail_5hop": 500.0, "rings_whole_graph": 120_000.0}


def _ids(store: Any, cypher: str, predicate: Callable[[Any, str], bool], limit: int = 5000) -> list[str]:
    if backend_of(store) == "neo4j":
        return [r["id"] for r in run(store, cypher, n=limit)]
    g = graph_of(store)
    return sorted(n for n in g.nodes if predicate(g, n))[:limit]


def samples(store: Any, n: int, seed: int) -> dict[str, list[Any]]:
    """Seeds for each query: persons with relationships, suspects for paths, accounts that send money."""
    rng = random.Random(seed)
    persons = _ids(store, "MATCH (p:Person) WHERE EXISTS { (p)--() } RETURN p.id AS id ORDER BY id LIMIT $n",
                   lambda g, x: g.nodes[x].get("type") == "Person" and g.degree(x) > 0)
    suspects = _ids(store, "MATCH (p:Person)-[r:ROLE_IN]->() WHERE r.role IN ['suspect', 'defendant'] "
                    "RETURN DISTINCT p.id AS id ORDER BY id LIMIT $n",
                    lambda g, x: any(d.get("type") == "ROLE_IN" and d.get("role") in ("suspect", "defendant")
                                     for _, _, d in g.out_edges(x, data=True)))
    senders = _ids(store, "MATCH (a:Account)-[:TRANSFER]->() RETURN DISTINCT a.id AS id ORDER BY id LIMIT $n",
                   lambda g, x: any(d.get("type") == "TRANSFER" for _, _, d in g.out_edges(x, data=True)))

    def pick(xs: list[str]) -> list[str]:
        return [rng.choice(xs) for _ in range(n)] if xs else []

    pool = suspects or persons
    return {"expand": pick(persons), "pairs": [(rng.choice(pool), rng.choice(pool)) for _ in range(n)] if pool else [],
            "accounts": pick(senders)}


def timed(fn: Callable[[], Any]) -> float:
    """Milliseconds taken by one call."""
    t = time.perf_counter()
    fn()
    return (time.perf_counter() - t) * 1000


def summarise(ms: list[float]) -> dict[str, float]:
    """p50, p95 and max of latencies in milliseconds."""
    if not ms:
        return {"n": 0}
    xs = sorted(ms)
    return {"n": len(xs), "p50": round(statistics.median(xs), 1), "p95": round(xs[int(0.95 * (len(xs) - 1))], 1),
            "max": round(xs[-1], 1)}


def copy_into(store: Any, workspace: Path, batch: int = 20_000) -> None:
    """Copy a saved memory graph into ``store`` (nodes, then relationships, in batches)."""
    from graph_model.store.base import NodeRecord, Provenance, RelRecord
    from graph_model.store.memory import MemoryStore

    g = MemoryStore.load(workspace / "graph").graph

    def prov(a: dict[str, Any]) -> list[Provenance]:
        return [Provenance.decode(s) for s in a.get("sources") or []]

    skip = {"type", "sources", "agencies", "first_seen", "last_seen"}
    nodes = [NodeRecord(a["type"], n, {k: v for k, v in a.items() if k not in skip}, prov(a)) for n, a in g.nodes(data=True)]
    for i in range(0, len(nodes), batch):
        store.upsert_nodes(nodes[i:i + batch])
    rels = [RelRecord(d["type"], u, v, {k: x for k, x in d.items() if k not in skip}, prov(d), id=k)
            for u, v, k, d in g.edges(keys=True, data=True)]
    for i in range(0, len(rels), batch):
        store.upsert_relationships(rels[i:i + batch])


def main(argv: list[str] | None = None) -> dict[str, Any]:
    """Measure and print latencies against the targets."""
    from graph_model.store import open_store

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--store", choices=["neo4j", "memory"], default="neo4j")
    ap.add_argument("--uri", default=os.environ.get("TIPGRAPH_NEO4J_URI"))
    ap.add_argument("--workspace", type=Path, default=Path(".tipgraph"))
    ap.add_argument("--copy-from", type=Path)
    ap.add_argument("--samples", type=int, default=200)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--skip-rings", action="store_true")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args(argv)
    store = open_store(args.store, uri=args.uri, workspace=args.workspace) if args.store == "neo4j" else \
        open_store("memory", workspace=args.workspace)
    try:
        if args.copy_from:
            copy_into(store, args.copy_from)
        s = samples(store, args.samples, args.seed)
        report: dict[str, Any] = {"store": args.store, "counts": store.counts()}
        report["expand_2hop"] = summarise([timed(lambda x=x: expand(store, [x], hops=2)) for x in s["expand"]])
        report["shortest_path"] = summarise([timed(lambda a=a, b=b: connections(store, a, b, max_hops=6))
                                             for a, b in s["pairs"]])
        report["money_trail_5hop"] = summarise([timed(lambda a=a: trail(store, a, max_hops=5)) for a in s["accounts"]])
        if not args.skip_rings:
            report["rings_whole_graph"] = summarise([timed(lambda: detect_rings(store))])
    finally:
        store.close()
    for name, target in TARGETS_MS.items():
        got = report.get(name, {})
        key = "p95" if name != "rings_whole_graph" else "max"
        if got.get("n"):
            verdict = "meets" if got[key] <= target else "MISSES"
            print(f"{name:18s} {key} {got[key]:>10.1f} ms  (target {target:,.0f} ms: {verdict})  {got}")
    if args.json:
        args.json.write_text(json.dumps(report, indent=1))
    return report


if __name__ == "__main__":
    main()
