"""Every detector's results as the JSON graded from outside (docs/contracts.md §3):
``{rings: [{ring_id, members: [{entity_id, role}]}], money_chains: [{pattern, txn_ids}],
officials: [{entity_id, score, path}]}`` with tipgraph's entity ids.

>>> from graph_model.queries._common import tiny_graph
>>> sorted(detections(tiny_graph()))
['money_chains', 'officials', 'rings']
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import orjson

from graph_model.queries._common import backend_of
from graph_model.queries.corruption import official_links
from graph_model.queries.money import layering
from graph_model.queries.money_patterns import (
    compensation_to_suspect,
    cycles,
    fan_in,
    pass_through,
    structuring,
)
from graph_model.queries.rings import detect_rings

__all__ = ["DEFAULTS", "NEO4J_THREADS", "detections", "export_detections", "write_detections"]

# Detectors run at once on Neo4j: each query runs on one server core, so the rings and the money
# patterns side by side keep both cores of a two-core server busy (on the embedded store they share one
# interpreter: one after the other).
NEO4J_THREADS = 2

DEFAULTS: dict[str, Any] = {
    "fan_in_min": 5, "fan_in_window_days": 120, "layering_min_transfers": 3,
    "ring_min_victims": 3, "cycle_max_length": 6, "cycle_window_days": 30,
    "mule_tolerance": 0.2, "mule_delay_days": 3, "official_hops": 5, "officials_top": 100,
    "ring_official_min_score": 1.0, "official_min_score": 0.25,
}


def detections(store_or_graph: Any, settings: dict[str, Any] | None = None) -> dict[str, Any]:
    """Run rings, money-pattern and corruption detectors; the contract's JSON-able dict.

    Exactly the contract's keys. A ring needs ``ring_min_victims`` victims (default 3: a ring recruits
    several people). Ring members without role evidence (``associate``) are left out of the export; money chains carry
    their transaction ids (for compensation into a suspect's account: the PAID_TO relationship id). On Neo4j
    the rings, the money patterns and the officials run on ``NEO4J_THREADS`` threads at once (the answers
    do not depend on it).

    >>> from graph_model.queries._common import tiny_graph
    >>> detections(tiny_graph())["money_chains"]
    []
    """
    s = {**DEFAULTS, **(settings or {})}
    parts: list[Callable[[], Any]] = [lambda: _rings(store_or_graph, s), lambda: _chains(store_or_graph, s),
                                      lambda: official_links(store_or_graph, s["official_hops"], s["officials_top"],
                                                             explain=False)]
    if backend_of(store_or_graph) == "neo4j" and NEO4J_THREADS > 1:
        with ThreadPoolExecutor(NEO4J_THREADS) as pool:
            rings, chains, hits = [f.result() for f in [pool.submit(p) for p in parts]]
    else:
        rings, chains, hits = [p() for p in parts]
    officials = [{"entity_id": h.entity_id, "score": h.score, "path": h.path} for h in hits
                 if h.score >= s["official_min_score"]]
    _add_officials(rings, hits, s["ring_official_min_score"])
    return {"rings": rings, "money_chains": chains, "officials": officials}


def _rings(store_or_graph: Any, s: dict[str, Any]) -> list[dict[str, Any]]:
    """Rings with at least ``ring_min_victims`` victims, members without role evidence left out."""
    return [{"ring_id": r.ring_id,
             "members": [{"entity_id": m, "role": r.roles[m]} for m in r.members if r.roles[m] != "associate"]}
            for r in detect_rings(store_or_graph) if len(r.victims) >= s["ring_min_victims"]]


def _chains(store_or_graph: Any, s: dict[str, Any]) -> list[dict[str, Any]]:
    """Every money pattern as ``{pattern, txn_ids}``, pattern by pattern."""
    chains: list[dict[str, Any]] = []
    for p in fan_in(store_or_graph, s["fan_in_min"], s["fan_in_window_days"]):
        chains.append({"pattern": "fan_in", "txn_ids": p.txn_ids})
    mules = {p.accounts[0] for p in pass_through(store_or_graph, s["mule_tolerance"], s["mule_delay_days"])}
    for c in layering(store_or_graph, mules, amount_tolerance=s["mule_tolerance"],
                      min_transfers=s["layering_min_transfers"]):
        chains.append({"pattern": "layering", "txn_ids": c.txn_ids})
    for p in cycles(store_or_graph, s["cycle_max_length"], s["cycle_window_days"]):
        chains.append({"pattern": "cycle", "txn_ids": p.txn_ids})
    for p in structuring(store_or_graph):
        chains.append({"pattern": "structuring", "txn_ids": p.txn_ids})
    for p in compensation_to_suspect(store_or_graph):
        chains.append({"pattern": "compensation_to_suspect", "txn_ids": p.txn_ids})
    return chains


def _add_officials(rings: list[dict[str, Any]], hits: list[Any], min_score: float) -> None:
    """An official with evidence of at least ``min_score`` whose explaining path ends at a ring's member
    joins that ring as its official (the ring detector sees only the ring's own ties)."""
    ring_of = {m["entity_id"]: r for r in rings for m in r["members"]}
    for h in hits:
        ring = ring_of.get(h.path[-1]) if h.score >= min_score and len(h.path) > 1 else None
        if ring is not None and h.entity_id not in ring_of:
            ring["members"].append({"entity_id": h.entity_id, "role": "official"})
            ring_of[h.entity_id] = ring


export_detections = detections  # the name the CLI pipeline (api.pipeline.run_detect) calls


def write_detections(store_or_graph: Any, path: str | Path, settings: dict[str, Any] | None = None) -> Path:
    """Write :func:`detections` to ``path`` (e.g. the workspace's ``detections.json``); return it.

    >>> import tempfile, json
    >>> from graph_model.queries._common import tiny_graph
    >>> out = write_detections(tiny_graph(), Path(tempfile.mkdtemp()) / "detections.json")
    >>> json.loads(out.read_text())["rings"]
    []
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(orjson.dumps(detections(store_or_graph, settings), option=orjson.OPT_INDENT_2))
    return target
