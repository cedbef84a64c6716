"""Upsert throughput of both graph stores on a realistic synthetic load.

Generates persons (Thai and Latin names, aliases, ids), organisations, phones and accounts, and
relationships (HAS_PHONE, HOLDS_ACCOUNT, EMPLOYED_BY, FAMILY, TRANSFER with amount/time/channel), each
with one or two source records; then upserts them in batches and prints nodes/s and relationships/s.

Usage::

    .venv/bin/python benchmarks/store_load.py                 # memory + local Neo4j (started if needed)
    .venv/bin/python benchmarks/store_load.py --store memory --nodes 1000000 --rels 2000000 --save /tmp/g
    .venv/bin/python benchmarks/store_load.py --neo4j-uri bolt://host:7687 --neo4j-user neo4j ...

Figures (2026-11-27, 2 shared CPUs at load 5-8, so per CPU second; 50k nodes / 100k relationships,
Neo4j 5.26 with 1 GB heap, 256 MB page cache; "before" is 5783a8a run back to back with "after"):

- memory, best of 3 at 100k / 200k: 122-125k -> 127-139k nodes and 97-101k -> 103-111k relationships
  per CPU second (one generated property check per type, new elements' attributes built in one go).
- Neo4j client, 40k relationships: 2.05 -> 1.60 CPU s. Neo4j server, relationships: 11.6 s and 30.6 s
  of CPU in two runs before (a cached plan scanned a label), 12.8 s in both runs after (index hints).
  Whole upsert per CPU second (client + server): 8-9k nodes and 6.5k relationships. The server does
  most of the work: a 10k-row Person batch costs ~1.9 s of its CPU, of which the three Person
  property indexes ~0.6 s, the Thai full-text index ~0.4 s, the payload (lists of Thai names, provenance)
  ~0.7 s; a bare CREATE of the same ids costs 0.24 s.

Issue #2, second pass (2026-11-27, load 7-16 all along, so CPU per element is the guide; servers run
side by side, 50k nodes / 100k relationships in 10k batches, "rep" = a repeated load into the same server):

- Where a fresh server's CPU goes: the JIT compilers take 8 + 13 s of the first 50k + 100k upserts
  (about 45%), the collector 2 + 6 s, the Bolt worker 6 + 11 s; JIT still 1-3 s in later reps.
  A JFR profile of the worker: commit ~49% (index updates 13%, record commands 17%), SET from the
  parameter map 25% (index matching 11%). Bare work per element on a warm server: ~30 us a node and
  ~55 us a relationship of worker CPU, ~22 us of client CPU.
- Collector (kept, a8e3223): G1 1 GB -> parallel 2 GB, third rep: collector 1.7 + 4.5 s -> 0.3 + 0.6 s,
  server 126 / 137 -> 81 / 82 us per node / relationship.
- The ceiling step (bare CREATE + delete of as many nodes) used to run before the load; on a warm
  server, 20k / 40k, three runs with it first cost the server 10.9-13.4 s for the relationships, one
  without it 3.0 s. Not reproduced inside one process (a load, the ceiling, a load: 2.4 s of worker
  CPU), so the cause is not known; the step runs after the load now, where it cannot disturb it.
- Warm server, 100k / 200k, parallel 2 GB: 6,357 nodes/s and 3,745 relationships/s wall at load 16;
  13,054 nodes and 9,267 relationships per CPU second; server CPU 5.5 s + 17.4 s (JIT 0.8 + 1.5, GC
  0.7 + 2.6); client 2.2 s + 4.2 s. Fresh server as the script starts it (no --neo4j-uri), load 14:
  1,822 nodes/s and 3,444 relationships/s wall, 4,294 and 6,390 per CPU second, server CPU 21.1 s +
  27.0 s, of which JIT 11.0 + 9.7 s and GC 0.7 + 1.5 s; before (fresh G1 1 GB server, ceiling first,
  load 14): 24.0 s + 37.1 s.
- Measured and not kept: C1 only (-XX:TieredStopAtLevel=1: first 150k elements 40.0 -> 27.8 s of server
  CPU but 12.3 -> 20.3 s warm, break-even near 450k); off-heap transaction state (collector 1.0 / 2.3 s
  -> 0.8 / 1.9-2.5 s, within noise); rows per query 1,000 vs 5,000 (same); SET n += map instead of
  SET n = map on creates (worker 33 / 56 -> 31 / 58 us, noise); 2,500-row batches cut the collector
  4x under G1/parallel 1 GB but are the caller's choice (a call is one transaction).
- Id look-ups hinted USING INDEX SEEK (_cypher.rel_seek/node_seek): USING INDEX let the planner scan
  the whole TRANSFER id index per looked-up id (PROFILE: 500,050 db hits for 50 ids among 10k), which
  is what made some relationship runs cost 19-30 s instead of 5.4 s of worker CPU for 100k (probably
  also the ceiling-first runs above). After, fresh parallel 2 GB server, load 3.0-3.4, four reps of
  50k / 100k: 3,505 / 8,073 / 11,491 / 11,575 nodes/s and 4,755 / 9,008 / 10,781 / 11,205
  relationships/s wall; server 68 / 69 us per node / relationship in rep 3 (JIT 0.7 + 0.6 s).
- Two concurrent writer sessions on disjoint halves of each batch: no deadlock retries in 150k
  upserts, but at load >= 10 no wall gain (2,636 vs 3,725 nodes/s; 2,823 vs 2,871 relationships/s)
  and more CPU per element, so not in the store: splitting a call over transactions would also lose
  the one-transaction rollback. 20,000/s of each needs both cores on a quiet machine: at ~22 us client
  + ~30-55 us worker per element one writer tops out near 12-19k/s.

Issue #2, third pass (2026-11-27 07:30-08:30, 100k / 200k in 10k batches, machine shared all along at
load 4-8, so CPU per element and back-to-back pairs are the guide; "base" is c3e1d95):

- Client: the driver (6.4) formats every query's parameters for a debug line that is not logged
  (``" ".join(map(repr, fields))`` in ``Bolt5x5.run``): 1.3 s of repr for 150k elements. The store
  passes its row lists as a list subclass with a short repr (``_neo4j_write.Rows``), and pauses the cyclic
  GC during a call (a collection walked the 300k records the caller holds: ~30% of the client's CPU).
  Client per CPU second: 47k -> 75k nodes, 48k -> 93k relationships.
- Both cores (0ede51c, de3cdc8): a call of 4,000+ elements is written by two transactions in two
  sessions, run from threads, committed together only when both ran without error (any error rolls
  both back; a bad row in the second part and a part terminated before its commit are tested on the
  real server). Commits run at the same time too: one after the other serialised about half of the
  server's work. No lock waits: Neo4j 5 locks the end nodes of new relationships at commit (two open
  transactions added relationships to the same sparse and dense node without waiting). Warm server,
  back to back, load 4-5: base 10.7-12.1k nodes/s and 7.6-7.9k relationships/s, after 11.6-15.3k and
  9.8-11.3k; per CPU second 14.9-15.5k -> 16.3-17.5k nodes and 10.8-11.3k -> 12.5k relationships.
  At load 6-8, one writer against two (same code): relationships 5.0-5.6k -> 7.4-7.6k/s, nodes
  10.5-12.0k either way (the other helpers' jobs took the second core). Final code (c84bd41) and
  base back to back at load 6.5-6.7: 12,547 vs 8,987 nodes/s, 7,922 vs 5,837 relationships/s.
- Fresh server as the script starts it, load 6.4-7.9: base 2,908 nodes/s and 4,370 relationships/s
  (server CPU 22.2 + 26.4 s, JIT 11.2 + 9.4 s); now cold 2,855 and 4,611/s (server 22.0 + 31.6 s, JIT
  8.4 + 12.1 s), then warm 10,028 and 9,531/s (server 10.2 + 16.6 s, JIT still 3.8 + 2.7 s). The
  script now runs a cold first load, clears, and times a warm one; both are printed.
- Server work per element (warm, 10k TRANSFER rows, best of 5): the create as written 53 us; without
  the provenance properties 45 us; with the id alone 29 us (two id seeks 9 us of it); the id read of
  the existing-relationship check 3 us. Dropping Person's birth_year / nationality / pseudonym
  indexes and TRANSFER's ts / txn_id / amount_thb indexes changed nothing measurable (server 4.7-5.0 s
  nodes, 13.9-14.9 s relationships with and without). The Thai full-text index is already
  eventually consistent (off the commit path).
- Still short of 20,000/s on this shared machine: warm, relationships cost ~70 us of server CPU and
  ~11 us of client CPU each, so two free cores give at most ~25k/s, nodes ~45 + 13 us, ~34k/s.
- Quiet machine (2026-11-27 08:46, nothing else running, load 1.2 before and 3.9 during; HEAD 2400b40),
  ``--store both --nodes 100000 --rels 200000``: memory 133,986 nodes/s and 126,451 relationships/s;
  Neo4j cold (fresh server) 7,439 nodes/s and 6,053 relationships/s (server 22.6 + 32.8 s, JIT 8.8 +
  12.3 s), warm **16,319 nodes/s and 15,468 relationships/s** (server 10.4 + 16.3 s, JIT 4.1 + 2.2 s;
  client 75k nodes and 92k relationships per CPU second). Before this pass, quiet (07:26, c3e1d95): fresh
  server 8,895 and 9,967/s, warm (session 3, load 3) 11,575 and 11,205/s. Target 20,000/s: not met.

Issue #2, fourth pass (2026-11-27 10:15-11:20, load 7-20 from the other helpers all along, so CPU per
element and back-to-back runs are the guide; "base" is 3892e50):

- Back to back, fresh server as the script starts it, 100k / 200k (11:03 and 11:13, load 10-16): base
  cold server CPU 22.3 + 31.2 s (GC 0.8 + 1.3), warm 9.8 + 17.3 s (JIT 3.5 + 2.7, GC 0.8 + 1.6);
  after (3ad264f, ``--warmups 2``) cold 20.5 + 31.0 s (GC 0.3 + 0.6), the second load (what "warm"
  was) 10.9 + 17.9 s (JIT 4.5 + 2.5, GC 0.3 + 0.8), the third 7.0 + 15.7 s (JIT 1.7 + 0.8, GC 0.4 +
  0.8): 70 us per node and 79 us per relationship of server CPU, client 13.4 and 11.3 us. Wall figures
  at this load (5-6k/s) say nothing about a quiet machine. On two free cores the third load's ~84 /
  ~90 us of CPU (server + client) per node / relationship allow at most ~24k / ~22k per second; the
  quiet run of the third pass reached 95% of its bound for nodes (16.3k of 17.1k) and 72% for
  relationships (15.5k of 21.6k), which would give ~23k nodes/s and ~16k relationships/s here: the
  relationships' overlap (the two parts' commits, the client between calls), not only their CPU, is
  what is left.
- Kept: the server's heap whole from the start with half of it young (``neo4j_server.commands``):
  collector CPU per node / relationship 44 / 20 -> 5 / 6 us in a fresh server's first load, 6-7 ->
  4 us later. ``-XX:+DisableExplicitGC`` (in Neo4j's stock flags) was tried with it and dropped: the
  clear after a load failed with "unable to write transaction to log" (direct buffers are freed by an
  explicit collection when they run short).
- Where a long-running server's CPU went (the server of this pass's first runs, ~190 s of CPU): the C2
  compiler 46 s, Bolt workers 96 s, collector 22 s; index sampling 0.2 s; the code cache half empty
  (53 of 240 MB). So the JIT, not the store, is what a second load still pays for (2.5-7 s of its
  ~28 s); ``--warmups N`` prints each load so the steady state can be read.
- Measured and not kept: the shape of the relationship create (10k TRANSFER rows in one transaction,
  server CPU best of five: ``SET e = r.p`` 0.56 s, the properties inline in ``CREATE`` 0.58 s,
  ``SET e += r.p`` 0.58 s); three writers instead of two (server 77 / 77 / 76 against 80 / 90 / 69 us
  per relationship, wall mixed at load 11-15); pipelined queries inside a transaction. ``tx.run``
  returns once the server has planned a query only when the query returns something (a write without
  ``RETURN`` runs to its end first), so write queries ending in ``RETURN count(*)`` whose results are
  read at the end let the client pack the next query while the server runs the one before: with
  5,000-row chunks (a query per type per part) the same CPU as before and wall within the noise in
  four pairs at load 7-13; with 1,000-row chunks server CPU +8-10% per relationship (70-75 -> 78-81
  us) and client +5-10%.
- Not tried: sending less per element (``agencies``, ``first_seen``, ``last_seen`` follow from
  ``sources``; ~8 of the ~53 us of a relationship create are the provenance properties): they are
  read by some twenty query, API and export modules, so dropping them is a contract change (docs §5)
  beyond the store; the JDK 25 AOT cache (could start a server warm; the warm load would not change).

Issue #2, fifth pass (2026-11-27 13:15-13:55, machine quiet but for these runs, load 1.0-3.2, each
comparison under the machine lock; ``--warmups 2``, third load; 100k / 200k):

- Neo4j 2026.08.1 on Temurin 25.0.3 against 5.26.30 on JDK 17, started the same way (Launcher.java
  unchanged, heap 2g whole, NewRatio=1, parallel GC, page cache 256m), three pairs back to back:
  5.26 warm 23,243 / 22,334 / 25,233 nodes/s and 13,259 / 14,167 / 16,280 relationships/s, server CPU
  67 / 60 / 60 us per node and 72 / 71 / 76 us per relationship; 2026.08 warm 23,584 / 24,852 / 24,305
  nodes/s and 17,723 / 14,070 / 17,401 relationships/s, server 66 / 61 / 63 us per node and 68 / 70 / 68
  us per relationship. Cold first loads alike (server 19-21 s + 27-29 s, JIT 8 + 11 s in both). About
  5% less server CPU per relationship, within the spread of the wall figures, and still short of
  20,000/s: not switched (5.26 stays pinned).
- Where a warm relationship load's wall time goes (5.26, 200k in 20 calls, ~11.5 s): reads of existing
  ids 0.7-0.9 s, the two parts' statements 3.8-4.6 s (both cores busy), the two commits 5.5-6.2 s of
  wall for 8.4-9.5 s of commit time summed over the parts (overlapping only ~3 s), the client between
  calls 0.7-0.8 s. The commits wait for each other: the parts share end nodes (Neo4j locks the end
  nodes of new relationships at commit). Reordering each call so that its two halves share no end node
  (connected components to the smaller half; a test script, not the store) cut the commits to 4.2-5.3 s
  summed and 3.1-3.8 s of wall, but 9-16 of the 20 calls then deadlocked on relationship locks (the
  chains' neighbouring relationships, shared through older relationships) and wrote a part again:
  12.5-14.0k/s against 16.4-18.6k/s, alternated on one server. Committing the parts one after the
  other instead (14:00-14:06, load 1.7-2.4): commit wall 5.3-5.5 s against 5.4-5.5 s at once, warm
  17.9-18.6k against 18.2-19.6k/s: the commits are serial either way, ~27 us per relationship. ``db.relationship_grouping_threshold=1`` (every node dense): commits unchanged.
- The id constraints' cost (5.26, 200k creates in 10k-row transactions, one writer, server CPU per
  relationship, two rounds): uniqueness constraint 58.4 / 57.9 us, plain range index on ``r.id`` 54.4 /
  53.2 us, no index 50.7 / 48.5 us; the id read before the create 4.0-4.6 us with either index. Giving
  up uniqueness would save ~4.5 us (8%) of a create; see ``graph_model.store._cypher`` for why it stays.

Issue #2, sixth pass (2026-11-27 14:17-14:36, quiet machine, load 0.4-3.3):

- Two callers writing alternate batches (a test script) first: warm 22.0-23.6k relationships/s, against
  17.2-17.7k for one caller, on the same server. One call's commit (lock-serialised) then overlaps the
  next call's statements.
- The stores' batches calls (``upsert_node_batches``, ``upsert_relationship_batches``) now do this inside
  one call, with the one-call-per-batch guarantees. This script uses them (``--calls``: the old way).
- ``--store both --warmups 2``, warm third load:
  - 21,153, 21,814 and 21,646 relationships/s; 24,555, 24,354 and 24,536 nodes/s.
  - ``--calls``: 18,029 and 16,926 relationships/s, 24,749 and 26,172 nodes/s.
  - Memory store: 147.6-152.7k nodes/s and 135.1-145.0k relationships/s.
  - Three more runs at 15:19-15:23: 19,297, 19,891 and 20,872 relationships/s. So 4 of 6 runs are at
    20,000 or more, mean 20.8k: at the target, not safely above it.
  - Three batches at a time instead of two: 19,676 and 19,501/s, not kept.

Issue #2, seventh pass (2026-11-27 17:27-17:53, quiet machine, load 2.4-3.8 from the runs themselves):

- Upsert calls write blind while the calls before found none of their ids (``Neo4jStore._write_new_first``):
  an existing id meets its id constraint and the call is rolled back, read and written again. Back to back
  with bffd062 at load 4.5-5.1 (16:19-16:29): 11.6-12.1k against 10.8-11.4k relationships per CPU second.
- ``--warmups 2``, warm third load, a fresh server each run: heap 2 GB (default) 20,915 / 21,170 / 22,369 /
  21,118 / 20,848 relationships/s and 23.0-26.8k nodes/s; heap 4 GB 22,592 / 22,192 / 21,221 / 21,200 and
  24.0-27.1k (collector 0.7-0.8 s instead of 1.7-2.4 s for 200k relationships; not kept: within the
  spread). Memory store 139,773 nodes/s, 131,669 relationships/s.
- Per relationship, one writer, 50k / 100k, server time from the query summaries (statement + commit):
  52-59 us with every property, 41 us without ``agencies``, ``first_seen`` and ``last_seen`` (a contract
  change, see above), 46-54 us without one or the other; the properties inline in ``CREATE`` the same;
  without the three TRANSFER property indexes within 2 us.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from graph_model.store.base import GraphStore, NodeRecord, Provenance, RelRecord

GIVEN = ["สมชาย", "สมศรี", "วิชัย", "มาลี", "ประเสริฐ", "สุดา", "อนันต์", "กมล", "ทองดี", "บุญมี"]
FAMILY_NAMES = ["ใจดี", "รักไทย", "ศรีสุข", "มั่นคง", "ทองคำ", "แสงทอง", "บุญเรือง", "พึ่งบุญ"]
LATIN = ["Somchai", "Somsri", "Wichai", "Malee", "Prasert", "Suda", "Anan", "Kamon", "Thongdee", "Boonmee"]
AGENCIES = ["RTP", "DSI", "MSDHS", "AMLO", "OAG", "DOPA"]
CHANNELS = ["MOBILE", "ATM_CASH_DEPOSIT", "COUNTER", "PROMPTPAY", "REMITTANCE", "OTHER"]


def _sources(rng: random.Random, n: int) -> list[Provenance]:
    return [
        Provenance(
            rng.choice(AGENCIES),
            f"rec-{rng.randrange(10**9)}",
            f"20{rng.randint(18, 26)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}",
        )
        for _ in range(n)
    ]


def make_nodes(n: int, seed: int = 7) -> list[NodeRecord]:
    """``n`` nodes: 40% persons, 10% organisations, 25% phones, 25% accounts."""
    rng = random.Random(seed)
    out: list[NodeRecord] = []
    for i in range(n):
        src = _sources(rng, rng.choice((1, 1, 2)))
        kind = i % 20
        if kind < 8:
            g, f, latin = rng.choice(GIVEN), rng.choice(FAMILY_NAMES), rng.choice(LATIN)
            props: dict[str, Any] = {
                "names": [f"{g} {f}", f"{latin} {i}"],
                "name_th": [f"{g} {f}"],
                "name_en": [f"{latin} {i}"],
                "aliases": [f"เสี่ย{g}"],
                "name_keys": [latin.lower()],
                "birth_year": rng.randint(1950, 2005),
                "sex": rng.choice(("M", "F")),
                "nationality": rng.choice(("THA", "MMR", "KHM", "LAO")),
                "thai_id": f"{rng.randrange(10**12, 10**13)}",
            }
            out.append(NodeRecord("Person", f"per:{i}", props, src))
        elif kind < 10:
            props = {
                "names": [f"บริษัท {rng.choice(FAMILY_NAMES)} จำกัด {i}"],
                "org_kind": "company",
                "province": "Bangkok",
            }
            out.append(NodeRecord("Organization", f"org:{i}", props, src))
        elif kind < 15:
            number = f"+668{i:08d}"
            out.append(NodeRecord("Phone", f"tel:{number}", {"number": number, "raw": [f"08{i:08d}"]}, src))
        else:
            props = {"bank_code": "014", "account_no": f"{i:010d}", "opened_date": "2020-01-15"}
            out.append(NodeRecord("Account", f"acc:014-{i:010d}", props, src))
    return out


def make_rels(nodes: Sequence[NodeRecord], n: int, seed: int = 11) -> list[RelRecord]:
    """``n`` relationships between ``nodes``: ownership links plus money transfers (half of them)."""
    rng = random.Random(seed)
    by_type: dict[str, list[str]] = {}
    for rec in nodes:
        by_type.setdefault(rec.type, []).append(rec.id)
    persons, orgs = by_type["Person"], by_type["Organization"]
    phones, accounts = by_type["Phone"], by_type["Account"]
    out: list[RelRecord] = []
    for i in range(n):
        src = _sources(rng, 1)
        kind = i % 10
        if kind < 5:
            day = f"2026-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            props: dict[str, Any] = {
                "txn_id": f"t{i}",
                "amount_thb": round(rng.uniform(100, 500000), 2),
                "at": f"{day}T10:{rng.randint(0, 59):02d}:00+07:00",
                "ts": 1767225600 + i,
                "channel": rng.choice(CHANNELS),
            }
            out.append(
                RelRecord(
                    "TRANSFER", rng.choice(accounts), rng.choice(accounts), props, src, discriminator=f"t{i}"
                )
            )
        elif kind < 7:
            out.append(RelRecord("HAS_PHONE", rng.choice(persons), rng.choice(phones), {}, src))
        elif kind < 8:
            out.append(
                RelRecord(
                    "HOLDS_ACCOUNT",
                    rng.choice(persons),
                    rng.choice(accounts),
                    {"opened_date": "2021-03-04"},
                    src,
                )
            )
        elif kind < 9:
            out.append(
                RelRecord("EMPLOYED_BY", rng.choice(persons), rng.choice(orgs), {"since": "2019-06-01"}, src)
            )
        else:
            out.append(
                RelRecord("FAMILY", rng.choice(persons), rng.choice(persons), {"relation": "sibling"}, src)
            )
    return out


def batches(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    """Consecutive slices of ``size`` items."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


def server_cpu(pid: int | None) -> float:
    """CPU seconds (user + system) used so far by process ``pid`` (0 when unknown)."""
    if pid is None:
        return 0.0
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def jvm_overhead_cpu(pid: int | None) -> dict[str, float]:
    """CPU seconds so far of the JVM's JIT compiler threads (``jit``) and garbage collector threads
    (``gc``) in process ``pid``, from ``/proc/<pid>/task`` (living threads only; empty when unknown).

    A fresh server spends a large share of its first 100k upserts compiling (JIT), so its figures are
    read beside these two."""
    out = {"jit": 0.0, "gc": 0.0}
    if pid is None:
        return {}
    try:
        tasks = list(Path(f"/proc/{pid}/task").iterdir())
    except OSError:
        return {}
    for task in tasks:
        try:
            name = (task / "comm").read_text()
            fields = (task / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        kind = "jit" if "Compiler" in name else "gc" if name.startswith(("GC ", "G1 ", "VM Thread")) else None
        if kind is not None:
            out[kind] += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return out


def load(
    store: GraphStore,
    nodes: Sequence[NodeRecord],
    rels: Sequence[RelRecord],
    batch: int,
    pid: int | None = None,
    calls: bool = False,
) -> dict[str, float]:
    """Upsert everything in batches (one ``upsert_*_batches`` call each, or with ``calls`` one
    ``upsert_*`` call per batch); return throughput per wall second and per CPU second.

    CPU seconds are this process's (``client``) plus, when ``pid`` is given, the server's: on a busy
    shared machine the wall-clock figure mostly measures the neighbours, the CPU figures the code."""
    out: dict[str, float] = {}
    for label, items, upsert, upsert_batches in (
        ("nodes", nodes, store.upsert_nodes, store.upsert_node_batches),
        ("rels", rels, store.upsert_relationships, store.upsert_relationship_batches),
    ):
        wall, cpu, srv = time.perf_counter(), time.process_time(), server_cpu(pid)
        overhead = jvm_overhead_cpu(pid)
        if calls:
            for chunk in batches(items, batch):
                upsert(chunk)
        else:
            upsert_batches(batches(items, batch))
        wall = time.perf_counter() - wall
        cpu = time.process_time() - cpu
        srv = server_cpu(pid) - srv
        for kind, seconds in jvm_overhead_cpu(pid).items():
            out[f"{label}_server_{kind}_s"] = seconds - overhead.get(kind, 0.0)
        out[f"{label}_wall"] = len(items) / wall
        out[f"{label}_cpu"] = len(items) / (cpu + srv)
        out[f"{label}_client_cpu"] = len(items) / cpu
        out[f"{label}_server_s"] = srv
    return out


def load_average() -> str:
    """The 1-minute load average and the number of CPUs, to read the wall-clock figures against."""
    return f"load {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"


def report(name: str, r: dict[str, float]) -> None:
    """Print one store's figures."""
    print(
        f"{name}: {r['nodes_wall']:,.0f} nodes/s, {r['rels_wall']:,.0f} relationships/s (wall clock, "
        f"{load_average()}); {r['nodes_cpu']:,.0f} nodes and {r['rels_cpu']:,.0f} relationships per CPU "
        f"second; client alone {r['nodes_client_cpu']:,.0f} nodes and {r['rels_client_cpu']:,.0f} "
        "relationships per CPU second"
        + (
            f"; server CPU {r['nodes_server_s']:.1f} s (nodes), {r['rels_server_s']:.1f} s (relationships)"
            f", of which JIT {r.get('nodes_server_jit_s', 0):.1f} + {r.get('rels_server_jit_s', 0):.1f} s"
            f" and GC {r.get('nodes_server_gc_s', 0):.1f} + {r.get('rels_server_gc_s', 0):.1f} s"
            if r["nodes_server_s"] or r["rels_server_s"]
            else ""
        )
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--store", choices=["memory", "neo4j", "both"], default="both")
    parser.add_argument("--nodes", type=int, default=200_000)
    parser.add_argument("--rels", type=int, default=400_000)
    parser.add_argument(
        "--batch", type=int, default=0, help="rows per upsert call (default: 50000 memory, 10000 neo4j)"
    )
    parser.add_argument("--save", help="memory store: also time save/load to this directory")
    parser.add_argument("--neo4j-uri")
    parser.add_argument("--neo4j-user", default="neo4j")
    parser.add_argument("--neo4j-password", default="")
    parser.add_argument("--neo4j-database", default="neo4j")
    parser.add_argument(
        "--neo4j-pid", type=int, help="pid of a local server given by --neo4j-uri, to count its CPU"
    )
    parser.add_argument(
        "--warmups",
        type=int,
        default=1,
        help="Neo4j: loads run, printed and cleared before the timed warm one (default 1: the cold first "
        "load; a fresh server still compiles during the load after it, see the docstring)",
    )
    parser.add_argument(
        "--no-warmup", dest="warmups", action="store_const", const=0, help="Neo4j: time only one load"
    )
    parser.add_argument(
        "--writers", type=int, default=2, help="Neo4j: concurrent transactions per upsert call (default 2)"
    )
    parser.add_argument(
        "--calls", action="store_true",
        help="one upsert call per batch instead of one batches call (no overlap of a commit with the next batch)",
    )
    args = parser.parse_args(argv)

    t = time.perf_counter()
    nodes = make_nodes(args.nodes)
    rels = make_rels(nodes, args.rels)
    print(f"generated {len(nodes):,} nodes and {len(rels):,} relationships in {time.perf_counter() - t:.1f}s")

    if args.store in ("memory", "both"):
        from graph_model.store.memory import MemoryStore

        mem = MemoryStore()
        report("memory", load(mem, nodes, rels, args.batch or 50_000, calls=args.calls))
        print(f"memory: {mem.counts()}")
        directory = args.save or tempfile.mkdtemp(prefix="tipgraph-bench-")
        t = time.perf_counter()
        mem.save(directory)
        t_save = time.perf_counter() - t
        t = time.perf_counter()
        MemoryStore.load(directory)
        print(f"memory: save {t_save:.1f}s, load {time.perf_counter() - t:.1f}s ({directory})")

    if args.store in ("neo4j", "both"):
        _bench_neo4j(args, nodes, rels)
    return 0


def _bench_neo4j(args: argparse.Namespace, nodes: Sequence[NodeRecord], rels: Sequence[RelRecord]) -> None:
    from graph_model.store.neo4j import Neo4jStore

    data_dir = None
    uri, pid = args.neo4j_uri, args.neo4j_pid
    if uri is None:  # start the repo's local server for the run, stop it at the end
        from graph_model import neo4j_server

        data_dir = tempfile.mkdtemp(prefix="tipgraph-bench-neo4j-")
        handle = neo4j_server.start(data_dir, neo4j_server.free_port())
        uri, pid = handle.uri, handle.pid
    store = Neo4jStore(
        uri, args.neo4j_user, args.neo4j_password or None, args.neo4j_database, writers=args.writers
    )
    try:
        store.ensure_schema()
        store.clear()
        for i in range(args.warmups):
            # A fresh server compiles its hot paths (JIT) during its first minutes: the first load is
            # printed as the cold figure, the loads after it (same elements, store cleared) as warm ones.
            name = "neo4j cold (first load)" if i == 0 else f"neo4j warm-up load {i + 1}"
            report(name, load(store, nodes, rels, args.batch or 10_000, pid, args.calls))
            store.clear()
        report(
            "neo4j" + (" warm" if args.warmups else ""),
            load(store, nodes, rels, args.batch or 10_000, pid, args.calls),
        )
        print(f"neo4j: {store.counts()}")
        store.clear()
        # After the load, not before: with it first, relationship upserts cost the server 3-4x the CPU
        # in three runs (40k: 10.9-13.4 s against 3.0 s without; cause not found, see the docstring).
        t = time.perf_counter()
        store.write("UNWIND range(1, $n) AS i CREATE (:BenchCeiling {id: i, a: 'x'})", {"n": len(nodes)})
        ceiling = len(nodes) / (time.perf_counter() - t)
        store.clear()
        print(f"neo4j: server-side ceiling (unindexed CREATE, no Bolt): {ceiling:,.0f} nodes/s")
    finally:
        store.close()
        if data_dir is not None:
            neo4j_server.stop(data_dir)
            shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
