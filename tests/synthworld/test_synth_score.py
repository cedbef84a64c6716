"""The scorer on hand-made tables (known numbers) and end to end on a generated world."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from synthworld.cli import score
from synthworld.score import entity_map, join_records, score_all
from synthworld.score_metrics import bcubed, chain_scores, pairwise, ring_scores, top_k_scores

TRUE = ["a", "a", "a", "a", "b", "b"]


@pytest.mark.parametrize(
    ("pred", "pair_p", "pair_r", "b3_p", "b3_r"),
    [
        (["x", "x", "x", "x", "y", "y"], 1.0, 1.0, 1.0, 1.0),  # perfect
        (["x", "x", "z", "z", "y", "y"], 1.0, 3 / 7, 1.0, 4 / 6),  # a split in two
        (["x", "x", "x", "x", "x", "x"], 7 / 15, 1.0, (4 * 4 / 6 + 2 * 2 / 6) / 6, 1.0),  # everything merged
        (["1", "2", "3", "4", "5", "6"], 1.0, 0.0, 1.0, (4 * 0.25 + 2 * 0.5) / 6),  # nothing merged
    ],
)
def test_cluster_metrics_known_numbers(pred: list[str], pair_p: float, pair_r: float, b3_p: float,
                                       b3_r: float) -> None:
    pw = pairwise(TRUE, pred)
    b3 = bcubed(TRUE, pred)
    assert pw["precision"] == pytest.approx(pair_p)
    assert pw["recall"] == pytest.approx(pair_r)
    assert b3["precision"] == pytest.approx(b3_p)
    assert b3["recall"] == pytest.approx(b3_r)


def test_ring_chain_and_official_scores() -> None:
    rings = ring_scores([{"a", "b", "c", "d"}, {"e", "f"}], [{"a", "b", "c"}, {"x"}])
    assert rings["recovery_f1"] == pytest.approx((6 / 7 + 0.0) / 2)
    assert rings["precision_f1"] == pytest.approx((6 / 7 + 0.0) / 2)
    chains = chain_scores([["t1", "t2", "t3", "t4", "t5"], ["u1", "u2"]],
                          [["t1", "t2", "t3", "t4", "n1"], ["u1", "n2", "n3", "n4"]])
    assert chains["recall"] == 0.5
    assert chains["precision"] == 0.5
    huge = chain_scores([["t1", "t2"]], [["t1", "t2", *[f"n{i}" for i in range(10)]]])
    assert huge["recall"] == 1.0 and huge["precision"] == 0.0
    assert top_k_scores({"p1", "p2", "p3"}, ["p1", "q", "p1", "p2"], 2) == {"precision_at_k": 0.5,
                                                                          "recall_at_k": 1 / 3, "k": 2.0}


def _truth_table() -> pd.DataFrame:
    return pd.DataFrame({
        "agency": ["RTP", "RTP", "MSDHS", "DOPA", "RTP"], "file": ["rtp_case_persons.csv"] * 2
        + ["msdhs_victims.csv", "dopa_population.csv", "rtp_case_persons.csv"],
        "row": ["1", "2", "1", "5", ""], "exchange_id": ["", "", "", "", "abc"],
        "part": ["person", "person", "victim", "person", "person"], "entity_type": ["Person"] * 5,
        "entity_id": ["P1", "P2", "P1", "P1", "P2"]})


def test_join_uses_exchange_id_for_envelopes_and_maps_entities() -> None:
    t = _truth_table()
    r = t.drop(columns=["entity_id"]).assign(record_id=[f"r{i}" for i in range(5)],
                                             entity_id=["e1", "e2", "e1", "e9", "e2"])
    r.loc[4, ["agency", "file"]] = ["DGA", "envelopes.jsonl"]  # an envelope is found by its exchange id alone
    r = r.drop(index=3)  # one true record left unresolved
    joined = join_records(t, r)
    assert joined["pred"].tolist() == ["e1", "e2", "e1", None, "e2"]
    assert entity_map(joined) == {"e1": "P1", "e2": "P2"}


def test_score_all_end_to_end_on_a_world(world_dir: Path, tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    truth = pd.read_csv(world_dir / "truth/records.csv", dtype=str, keep_default_na=False)
    perfect = truth.assign(record_id=range(len(truth)), entity_id="X" + truth["entity_id"])
    perfect.to_csv(tmp_path / "perfect.csv", index=False)
    rings = json.loads((world_dir / "truth/rings.json").read_text(encoding="utf-8"))
    chains = json.loads((world_dir / "truth/money_chains.json").read_text(encoding="utf-8"))
    officials = json.loads((world_dir / "truth/corrupt_officials.json").read_text(encoding="utf-8"))
    det = {"rings": [{"ring_id": r["ring_id"], "members": [{"entity_id": "X" + m["entity_id"], "role": m["role"]}
                                                          for m in r["members"]]} for r in rings],
           "money_chains": [{"pattern": c["pattern"], "txn_ids": c["txn_ids"]} for c in chains],
           "officials": [{"entity_id": "X" + o["entity_id"], "score": 1.0, "path": []} for o in officials]}
    (tmp_path / "det.json").write_text(json.dumps(det), encoding="utf-8")
    result = score_all(world_dir / "truth", tmp_path / "perfect.csv", tmp_path / "det.json")
    for etype in ("Person", "Organization", "Account", "Case"):
        assert result["resolution"][etype]["pairwise"]["f1"] == 1.0
        assert result["resolution"][etype]["bcubed"]["f1"] == 1.0
    assert result["detections"]["rings"]["recovery_f1"] == 1.0
    assert result["detections"]["money_chains"]["recall"] == 1.0
    assert result["detections"]["officials"]["recall_at_k"] == 1.0

    # every person record its own entity: precision stays 1, recall drops
    singletons = perfect.assign(entity_id=["S" + str(i) for i in range(len(perfect))])
    singletons.to_csv(tmp_path / "single.csv", index=False)
    out = score(world_dir / "truth", tmp_path / "single.csv")
    person = out["resolution"]["Person"]  # type: ignore[index]
    assert person["pairwise"]["precision"] == 1.0 and person["pairwise"]["recall"] == 0.0
    assert "Entity resolution" in capsys.readouterr().out


def test_collapsed_duplicate_rows_are_not_counted(world_dir: Path, tmp_path: Path) -> None:
    truth = pd.read_csv(world_dir / "truth/records.csv", dtype=str, keep_default_na=False)
    noise = pd.read_csv(world_dir / "truth/noise.csv", dtype=str, keep_default_na=False)
    copies = noise[(noise["kind"] == "duplicate_row") & (noise["row"] != "")]
    assert len(copies) > 0
    is_copy = truth.set_index(["file", "row"]).index.isin(copies.set_index(["file", "row"]).index)
    res = truth[~is_copy].assign(record_id="r", entity_id="X" + truth["entity_id"])
    res.to_csv(tmp_path / "res.csv", index=False)
    result = score_all(world_dir / "truth", tmp_path / "res.csv")
    assert result["collapsed_duplicate_records"] == int(is_copy.sum())
    assert result["resolution"]["Person"]["pairwise"]["recall"] == 1.0
    # another missing record still costs recall
    res.drop(index=res.index[res["entity_type"] == "Person"][:1]).to_csv(tmp_path / "res2.csv", index=False)
    assert score_all(world_dir / "truth", tmp_path / "res2.csv")["resolution"]["Person"]["unresolved"] == 1


def test_detections_only_with_world_directory(world_dir: Path, tmp_path: Path) -> None:
    """The integrator's CLI passes the world directory; detections may come without a resolution export."""
    rings = json.loads((world_dir / "truth/rings.json").read_text(encoding="utf-8"))
    half = [{"ring_id": "d", "members": [{"entity_id": m["entity_id"], "role": m["role"]}
                                         for m in rings[0]["members"][: len(rings[0]["members"]) // 2]]}]
    (tmp_path / "det.json").write_text(json.dumps({"rings": half, "money_chains": [], "officials": []}),
                                       encoding="utf-8")
    out = score(world_dir, None, tmp_path / "det.json", print_report=False)
    rings_score = out["detections"]["rings"]  # type: ignore[index]
    n = len(rings[0]["members"])
    assert rings_score["recovery_f1"] == pytest.approx((2 * (n // 2) / (n + n // 2)) / len(rings))
    assert out["detections"]["money_chains"]["recall"] == 0.0  # type: ignore[index]
    with pytest.raises(ValueError):
        score(world_dir)
