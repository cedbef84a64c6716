"""Plain functions behind ``tipgraph resolve``, ``tipgraph judge``, ``tipgraph explain`` and
``tipgraph export resolution`` (the CLI only parses arguments and prints what these return).

Examples
--------
>>> import tempfile, pandas as pd
>>> d = tempfile.mkdtemp()
>>> from entity_resolution import resolve
>>> _ = resolve(pd.DataFrame({"record_id": ["a", "b"], "names": ["สมชาย ใจดี", "Somchai Jaidee"]}), d)
>>> judge(d, "a", "b", "merge", user="somsak")["entities"]
1
>>> explain(d, "a", "b")["same_entity"]
True
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from entity_resolution.export import export_resolution
from entity_resolution.frame import frame_from_store
from entity_resolution.judgements import JudgementStore
from entity_resolution.model import Settings
from entity_resolution.resolution import resolve
from entity_resolution.result import DECISIONS, Resolution

__all__ = ["explain", "export_resolution", "judge", "load_resolution", "resolve_workspace", "summary"]


def summary(res: Resolution) -> dict[str, Any]:
    """Counts of one run: records, entities per type, pairs by decision, the blocking report.

    Counted from the pair arrays: the table of every pair (:meth:`Resolution.pair_scores`), built twice,
    took 51 CPU s and gigabytes for the 25 M pairs of a million persons.
    """
    counts = np.bincount(res.decision_codes(), minlength=len(DECISIONS))
    by_decision = sorted(((int(c), d) for d, c in zip(DECISIONS, counts, strict=True) if c),
                         key=lambda x: -x[0])  # most common first, as value_counts() gave them
    return {"records": len(res.mapping), "persons": res.entity_count("Person"),
            "organisations": res.entity_count("Organization"), "entities": len(set(res.mapping.values())),
            "pairs": {d: c for c, d in by_decision}, "review": res.review_count(),
            "model": f"{res.settings.model} v{res.settings.version}", "blocking": res.blocking_report}


def resolve_workspace(workspace: str | Path, resolution_dir: str | Path | None = None,
                      settings: str | Path | None = None) -> dict[str, Any]:
    """Resolve every record of ``<workspace>/records.sqlite`` into ``resolution_dir``
    (default ``<workspace>/resolution``); ``settings`` is a settings JSON file to use instead of EM."""
    from ingest.store import RecordStore

    out = Path(resolution_dir) if resolution_dir else Path(workspace) / "resolution"
    with RecordStore(workspace) as store:
        frame = [frame_from_store(store)]
    # not held here: resolve lets the frame go once its records are written (gigabytes at a million persons)
    res = resolve(frame.pop(), out, Settings.load(settings) if settings else None)
    return summary(res)


def load_resolution(resolution_dir: str | Path) -> Resolution:
    """The resolution saved in ``resolution_dir``, with today's judgements applied (no re-estimation)."""
    d = Path(resolution_dir)
    return resolve(pd.read_parquet(d / "records.parquet"), d, Settings.load(d / "settings.json"), reuse_pairs=True)


def judge(resolution_dir: str | Path, a: str, b: str, decision: str, user: str, note: str = "") -> dict[str, Any]:
    """Record a person's decision (``merge``, ``not_same``, ``split``, ``unsure``) on records ``a`` and ``b``
    and apply it: returns the judgement and how many entities the two records now form."""
    judgement = JudgementStore(Path(resolution_dir) / "judgements.sqlite").add(a, b, decision, user, note)
    res = load_resolution(resolution_dir)
    return {"judgement": vars(judgement), "entities": len({res.entity_of(a), res.entity_of(b)})}


def explain(resolution_dir: str | Path, a: str, b: str | None = None) -> dict[str, Any]:
    """Why two records are (not) one entity, or, with one argument, why an entity (or a record's entity)
    holds its records."""
    res = load_resolution(resolution_dir)
    if b is not None:
        return res.explain_pair(a, b)
    return res.explain_entity(res.mapping.get(a, a))
