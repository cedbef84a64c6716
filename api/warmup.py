"""Warm a freshly started Neo4j before serving: the reads investigators make, for a few seconds.

A Neo4j server that has just started answers its first thousands of reads slowly: its JVM compiles the
Cypher runtime's hot paths only after they have run many times, and its page cache (and the operating
system's cache of the source records that profiles cite) fills as the reads go. On the million-person
world (``benchmarks/api.py``, 2026-11-27) Neo4j spent 4.4 ms of CPU per request in its first minute and
0.9 ms once warm, and the profile p95 at 20 users was 113-138 ms against 68-76 ms warm. Neo4j Community
has no page-cache warm-up of its own, so ``tipgraph serve`` does it: before it listens, :func:`warm_up`
samples persons all over the graph, builds their profiles and reads their two-hop networks as the routes
do, under every role's filter, on ``threads`` threads until ``seconds`` pass (``TIPGRAPH_WARM_UP_SECONDS``,
30 by default: long enough for Neo4j's JIT to settle on two cores) or the sample is used up. The embedded
store needs none of this.

It only reads; a failing read stops the warm-up with its error (the server would fail the same way).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from api.policy import Clearance
from api.profile import build_profile
from api.provenance import RecordLookup
from graph_model.store.base import GraphStore

__all__ = ["WarmUp", "sample_entities", "warm_up"]

#: Roles whose filters differ (victims hidden or not, finance hidden or not).
_ROLES = ("investigator", "analyst", "amlo", "pacc", "admin")


@dataclass(frozen=True)
class WarmUp:
    """What a warm-up did: reads made, seconds spent, and the mean wall time per read at its start and end."""

    reads: int
    seconds: float
    first_ms: float
    last_ms: float

    def summary(self) -> str:
        """One line for the console."""
        if not self.reads:
            return "warm-up: nothing to do"
        return (f"warm-up: {self.reads:,} neighbourhood reads in {self.seconds:.1f} s "
                f"({self.first_ms:.1f} ms per read at first, {self.last_ms:.1f} ms at the end)")


def sample_entities(store: GraphStore, n: int, label: str = "Person") -> list[str]:
    """About ``n`` ids of ``label`` nodes spread over the whole store (not the first ones stored).

    On Neo4j this scans the label once (which itself reads the node store into the page cache).
    """
    from graph_model.queries._common import backend_of, run

    if backend_of(store) != "neo4j":
        return []
    total = run(store, f"MATCH (p:{label}) RETURN count(p) AS n")[0]["n"]  # label: a fixed identifier
    if not total:
        return []
    rows = run(store, f"MATCH (p:{label}) WHERE rand() < $fraction RETURN p.id AS id LIMIT $n",
               fraction=min(1.0, 1.5 * n / total), n=n)
    return [r["id"] for r in rows]


def warm_up(store: GraphStore, seconds: float = 30.0, threads: int = 2, sample: int = 20_000,
            records: RecordLookup | None = None, echo: Callable[[str], Any] | None = None) -> WarmUp:
    """Build profiles and read two-hop networks of sampled persons as the API does, for up to ``seconds``
    (Neo4j only); ``records``: the workspace's source records, which profiles read too."""
    ids = sample_entities(store, sample) if seconds > 0 else []
    if not ids:
        return WarmUp(0, 0.0, 0.0, 0.0)
    if echo:
        echo(f"warming the graph store for up to {seconds:.0f} s ({len(ids):,} persons sampled) ...")
    clearances = [Clearance.for_role(r) for r in _ROLES]
    filters = [c.traversal(None, store.schema) for c in clearances]
    work = iter(enumerate(ids))
    lock = threading.Lock()
    timings: list[tuple[float, float]] = []  # (start offset, duration) per read
    errors: list[BaseException] = []
    started = time.perf_counter()
    deadline = started + seconds

    def reader() -> None:
        while not errors and time.perf_counter() < deadline:
            with lock:
                item = next(work, None)
            if item is None:
                return
            i, entity = item
            t0 = time.perf_counter()
            try:
                # a profile (one hop, 500 per node), then the network view's read (two hops, 50 per node)
                build_profile(store, clearances[i % len(clearances)], entity, records=records)
                store.neighbourhood([entity], hops=2, flt=filters[(i + 1) % len(filters)], limit_per_node=50)
            except BaseException as exc:  # handed to the caller below
                errors.append(exc)
                return
            t1 = time.perf_counter()
            with lock:
                timings.append((t0 - started, (t1 - t0) / 2))

    workers = [threading.Thread(target=reader, name=f"warm-up-{k}", daemon=True) for k in range(max(1, threads))]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    if errors:
        raise errors[0]
    timings.sort()
    tenth = max(1, len(timings) // 10)

    def mean_ms(part: list[tuple[float, float]]) -> float:
        return 1000 * sum(d for _, d in part) / len(part) if part else 0.0

    result = WarmUp(reads=2 * len(timings), seconds=time.perf_counter() - started,
                    first_ms=mean_ms(timings[:tenth]), last_ms=mean_ms(timings[-tenth:]))
    if echo:
        echo(result.summary())
    return result
