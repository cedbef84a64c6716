"""The scorer: grade tipgraph's resolution and detection exports against a synthetic world's truth.

Records are joined on ``exchange_id, part`` for DGA envelopes and on ``agency, file, row, part`` otherwise
(``file`` compared by base name, ``agency`` case-insensitively). A true record missing from the resolution
export counts as a singleton cluster (it costs recall); resolved records with no truth are counted and ignored.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd

from synthworld.score_metrics import chain_scores, cluster_scores, ring_scores, top_k_scores

__all__ = ["entity_map", "format_report", "join_records", "score_all", "score_resolution"]


def _key(df: pd.DataFrame) -> pd.Series:
    ex = df["exchange_id"].fillna("").astype(str)
    file = df["file"].fillna("").astype(str).str.rsplit("/", n=1).str[-1]
    row = df["row"].fillna("").astype(str).str.replace(r"\.0$", "", regex=True)
    agency = df["agency"].fillna("").astype(str).str.upper()
    part = df["part"].fillna("").astype(str)
    return (ex.where(ex != "", "F|" + agency + "|" + file + "|" + row) + "|" + part).rename("key")


def join_records(truth: pd.DataFrame, resolution: pd.DataFrame) -> pd.DataFrame:
    """Truth records with the predicted entity of each (``pred`` is ``None`` when not resolved).

    Examples
    --------
    >>> t = pd.DataFrame({"agency": ["RTP"], "file": ["rtp_cases.csv"], "row": ["1"], "exchange_id": [""],
    ...                   "part": ["officer"], "entity_type": ["Person"], "entity_id": ["P1"]})
    >>> r = t.drop(columns=["entity_id"]).assign(record_id="r1", entity_id="e9")
    >>> join_records(t, r)["pred"].tolist()
    ['e9']
    """
    t = truth.assign(key=_key(truth))
    r = resolution.assign(key=_key(resolution)).drop_duplicates("key")
    joined = t.merge(r[["key", "entity_id"]].rename(columns={"entity_id": "pred"}), on="key", how="left")
    joined["pred"] = joined["pred"].astype(object).where(joined["pred"].notna(), None)
    return joined


def score_resolution(joined: pd.DataFrame) -> dict[str, Any]:
    """Pairwise and B-cubed scores per entity type; unresolved true records become singletons."""
    out: dict[str, Any] = {}
    for etype, grp in joined.groupby("entity_type", sort=True):
        pred = grp["pred"].where(grp["pred"].notna(), "__unresolved__" + grp["key"])
        scores: dict[str, Any] = dict(cluster_scores(grp["entity_id"].astype(str).tolist(),
                                                     pred.astype(str).tolist()))
        scores["records"] = len(grp)
        scores["unresolved"] = int(grp["pred"].isna().sum())
        out[str(etype)] = scores
    return out


def entity_map(joined: pd.DataFrame) -> dict[str, str]:
    """tipgraph entity id → the true entity most of its records belong to (ties: smallest true id)."""
    j = joined[joined["pred"].notna()]
    counts = j.groupby(["pred", "entity_id"]).size().reset_index(name="n")
    counts = counts.sort_values(["pred", "n", "entity_id"], ascending=[True, False, True])
    best = counts.drop_duplicates("pred")
    return dict(zip(best["pred"].astype(str), best["entity_id"].astype(str), strict=True))


def _read_truth_json(truth: Path, name: str) -> list[dict[str, Any]]:
    path = truth / name
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else []


def score_detections(truth: Path, detections: dict[str, Any], emap: dict[str, str], top_k: int) -> dict[str, Any]:
    """Ring recovery, money-chain recall/precision and corrupt-official precision/recall at ``top_k``."""
    def to_true(e: str) -> str:
        return emap.get(str(e), "unmapped:" + str(e))

    rings = _read_truth_json(truth, "rings.json")
    true_rings = [{m["entity_id"] for m in r["members"]} for r in rings]
    det_rings = [{to_true(m["entity_id"]) for m in r.get("members", [])} for r in detections.get("rings", [])]
    chains = _read_truth_json(truth, "money_chains.json")
    det_chains = [list(map(str, c.get("txn_ids", []))) for c in detections.get("money_chains", [])]
    officials = _read_truth_json(truth, "corrupt_officials.json")
    ranked = sorted(detections.get("officials", []), key=lambda o: -float(o.get("score", 0.0)))
    by_pattern: dict[str, Any] = {}
    for pattern in sorted({c["pattern"] for c in chains}):
        sub = [c["txn_ids"] for c in chains if c["pattern"] == pattern]
        by_pattern[pattern] = chain_scores(sub, det_chains)["recall"]
    return {
        "rings": ring_scores(true_rings, det_rings),
        "money_chains": {**chain_scores([c["txn_ids"] for c in chains], det_chains), "recall_by_pattern": by_pattern},
        "officials": top_k_scores({o["entity_id"] for o in officials}, [to_true(o["entity_id"]) for o in ranked],
                                  top_k),
    }


def score_all(truth: Path, resolution: Path | None, detections: Path | None = None,
              top_k: int = 50) -> dict[str, Any]:
    """Everything the report shows, as a dict.

    ``truth`` is the truth directory or the world directory holding ``truth/``. Without a resolution export
    only detections are graded, their entity ids then taken as true ids.
    """
    if not (truth / "records.csv").exists() and (truth / "truth" / "records.csv").exists():
        truth = truth / "truth"
    result: dict[str, Any] = {}
    emap: dict[str, str] = {}
    if resolution is not None:
        truth_df = pd.read_csv(truth / "records.csv", dtype=str, keep_default_na=False)
        res_df = pd.read_csv(resolution, dtype=str, keep_default_na=False)
        joined = join_records(truth_df, res_df)
        joined, collapsed = _drop_collapsed_duplicates(truth, joined)
        keys = set(joined["key"])
        extra = int((~_key(res_df).isin(keys)).sum())
        result = {"resolution": score_resolution(joined), "resolved_records_without_truth": extra,
                  "collapsed_duplicate_records": collapsed}
        emap = entity_map(joined)
    if detections is not None:
        det = json.loads(Path(detections).read_text(encoding="utf-8"))
        if resolution is None:
            emap = _identity_map(det)
        result["detections"] = score_detections(truth, det, emap, top_k)
    return result


def _identity_map(det: dict[str, Any]) -> dict[str, str]:
    ids = [m["entity_id"] for r in det.get("rings", []) for m in r.get("members", [])]
    ids += [o["entity_id"] for o in det.get("officials", [])]
    return {str(i): str(i) for i in ids}


def _drop_collapsed_duplicates(truth: Path, joined: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """Drop unresolved records of rows that are exact duplicate copies (``noise.csv`` kind ``duplicate_row``):
    an ingest that collapses a copied row into its original is not penalised for it."""
    path = truth / "noise.csv"
    if not path.exists():
        return joined, 0
    noise = pd.read_csv(path, dtype=str, keep_default_na=False)
    dups = noise[noise["kind"] == "duplicate_row"]
    if dups.empty:
        return joined, 0
    row_key = _key(dups.assign(part="")).str[:-1]
    rec_key = joined["key"].str.rsplit("|", n=1).str[0]
    drop = joined["pred"].isna().to_numpy() & rec_key.isin(set(row_key)).to_numpy()
    return joined[~drop], int(drop.sum())


def format_report(result: dict[str, Any]) -> str:
    """A printable report of :func:`score_all`'s result."""
    lines: list[str] = []
    if "resolution" in result:
        lines += _resolution_lines(result)
    det = result.get("detections")
    if det:
        r, c, o = det["rings"], det["money_chains"], det["officials"]
        lines += ["", "Detection",
                  f"rings          recovery F1 {r['recovery_f1']:.3f}  precision F1 {r['precision_f1']:.3f}  "
                  f"({int(r['detected_rings'])} detected / {int(r['true_rings'])} true)",
                  f"money chains   recall {c['recall']:.3f}  precision {c['precision']:.3f}  "
                  f"({int(c['detected_chains'])} detected / {int(c['true_chains'])} true; found = >= 80% of a "
                  "chain's txn ids in one detected chain)",
                  "               by pattern: " + ", ".join(f"{k} {v:.2f}" for k, v in
                                                           c["recall_by_pattern"].items()),
                  f"officials      precision@{int(o['k'])} {o['precision_at_k']:.3f}  "
                  f"recall@{int(o['k'])} {o['recall_at_k']:.3f}"]
    return "\n".join(lines).strip("\n")


def _resolution_lines(result: dict[str, Any]) -> list[str]:
    lines = ["Entity resolution", f"{'type':14s} {'records':>9s} {'unres.':>7s} {'pair P':>7s} {'pair R':>7s} "
             f"{'pair F1':>7s} {'B3 P':>7s} {'B3 R':>7s} {'B3 F1':>7s}"]
    for etype, s in result["resolution"].items():
        pw, b3 = s["pairwise"], s["bcubed"]
        lines.append(f"{etype:14s} {s['records']:>9d} {s['unresolved']:>7d} {pw['precision']:>7.3f} "
                     f"{pw['recall']:>7.3f} {pw['f1']:>7.3f} {b3['precision']:>7.3f} {b3['recall']:>7.3f} "
                     f"{b3['f1']:>7.3f}")
    lines.append(f"resolved records without truth: {result['resolved_records_without_truth']}; duplicate-row "
                 f"records collapsed by ingest (not counted): {result.get('collapsed_duplicate_records', 0)}")
    return lines
