"""Fan-in and cycle detection against real labels nobody here wrote: IBM AMLSim ``20K_fanin200cycle200``.

Loads ``../shared/datasets/amlsim-20k-fanin-cycle/`` (read in place) into a ``MemoryStore`` as Account nodes
and TRANSFER relationships (AMLSim time step n becomes day n after 2020-01-01, 12:00 +07:00), runs
:func:`graph_model.queries.money_patterns.fan_in` and :func:`~graph_model.queries.money_patterns.cycles`,
and scores the accounts they flag against ``isFraud`` (account level: the dataset labels accounts, not
patterns; fan-in and cycle accounts share one label, so each detector's recall is also given against the
union, and the union of both detectors against all fraud accounts).

Usage: ``.venv/bin/python -m benchmarks.amlsim [--data DIR] [--json OUT]``
"""

from __future__ import annotations

import argparse
import csv
import json
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from graph_model.queries.money_patterns import MoneyPattern, cycles, fan_in
from graph_model.store.base import NodeRecord, Provenance, RelRecord
from graph_model.store.memory import MemoryStore

DEFAULT_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "datasets" / "amlsim-20k-fanin-cycle"
EPOCH = datetime(2020, 1, 1, 5, 0, tzinfo=UTC)  # 12:00 in Bangkok
SETTINGS = [
    {"detector": "fan_in", "min_counterparties": 2, "window_days": 0},
    {"detector": "fan_in", "min_counterparties": 3, "window_days": 1},
    {"detector": "fan_in", "min_counterparties": 5, "window_days": 3},
    {"detector": "fan_in", "min_counterparties": 5, "window_days": 120},
    {"detector": "cycle", "max_length": 6, "window_days": 5},
    {"detector": "cycle", "max_length": 6, "window_days": 10},
    {"detector": "cycle", "max_length": 6, "window_days": 30},
]


def load(data: Path) -> tuple[MemoryStore, set[str]]:
    """A MemoryStore holding the AMLSim accounts and transfers, and the ids of fraud accounts."""
    store = MemoryStore()
    seen = "2026-11-26"
    fraud: set[str] = set()
    nodes = []
    with open(data / "nodes.csv", newline="") as f:
        for row in csv.DictReader(f):
            acc = f"acc:AMLSIM-{row['nodeid']}"
            nodes.append(NodeRecord("Account", acc, {"bank_code": "AMLSIM", "account_no": row["nodeid"]},
                                    [Provenance("AMLO", f"amlsim-node-{row['nodeid']}", seen)]))
            if row["isFraud"] == "1":
                fraud.add(acc)
    store.upsert_nodes(nodes)
    rels = []
    with open(data / "transactions.csv", newline="") as f:
        for i, row in enumerate(csv.DictReader(f)):
            at = EPOCH + timedelta(days=int(row["time"]))
            txn = f"AMLSIM-T{i}"
            rels.append(RelRecord(
                "TRANSFER", f"acc:AMLSIM-{row['sourceNodeId']}", f"acc:AMLSIM-{row['targetNodeId']}",
                {"txn_id": txn, "amount_thb": float(row["value"]), "ts": int(at.timestamp()),
                 "at": (at + timedelta(hours=7)).strftime("%Y-%m-%dT%H:%M:%S+07:00")},
                [Provenance("AMLO", txn, seen)], discriminator=txn))
    store.upsert_relationships(rels)
    return store, fraud


def score(flagged: set[str], truth: set[str]) -> dict[str, Any]:
    """Precision and recall of flagged accounts."""
    tp = len(flagged & truth)
    return {"flagged": len(flagged), "true_positive": tp,
            "precision": round(tp / len(flagged), 4) if flagged else None,
            "recall": round(tp / len(truth), 4) if truth else None}


def accounts(patterns: list[MoneyPattern]) -> set[str]:
    """Every account involved in the patterns."""
    return {a for p in patterns for a in p.accounts}


def main(argv: list[str] | None = None) -> dict[str, Any]:
    """Run the detectors with each setting and print precision and recall."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    store, fraud = load(args.data)
    report: dict[str, Any] = {"accounts": store.graph.number_of_nodes(), "transfers": store.graph.number_of_edges(),
                              "fraud_accounts": len(fraud), "load_s": round(time.perf_counter() - t0, 1),
                              "runs": []}
    flagged_by: dict[str, set[str]] = {}
    for setting in SETTINGS:
        params = {k: v for k, v in setting.items() if k != "detector"}
        t1 = time.perf_counter()
        found = fan_in(store, **params) if setting["detector"] == "fan_in" else cycles(store, **params)
        flagged = accounts(found)
        flagged_by[json.dumps(setting)] = flagged
        run = {**setting, "patterns": len(found), **score(flagged, fraud), "seconds": round(time.perf_counter() - t1, 1)}
        report["runs"].append(run)
        print(json.dumps(run), flush=True)
    # tipgraph's export settings: fan-in of 5 senders within 120 days, cycles of up to 6 within 30 days.
    union = flagged_by[json.dumps(SETTINGS[3])] | flagged_by[json.dumps(SETTINGS[6])]
    report["union_export_settings"] = score(union, fraud)
    print(json.dumps({"union_export_settings": report["union_export_settings"]}))
    if args.json:
        args.json.write_text(json.dumps(report, indent=2))
    return report


if __name__ == "__main__":
    main()
