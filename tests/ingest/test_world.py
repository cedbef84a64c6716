"""A whole synthetic world ingested: every row accounted for, and the parts of every row as the truth says."""

from __future__ import annotations

import csv
import json
import sqlite3
from collections import defaultdict
from pathlib import Path

import pytest

from ingest.pipeline import ingest_path
from ingest.readers import detect_encoding

synthworld_cli = pytest.importorskip("synthworld.cli")

Key = tuple[str, str, str, str]  # agency, file, row, exchange_id


DAMAGE = {("RTP", "rtp_cases.csv", "2"): ("วันรับแจ้ง", "??"), ("AMLO", "amlo_transactions.csv", "5"): ("txn_id", "")}


def _damage(path: Path, row: int, column: str, value: str) -> None:
    """Spoil one cell of one data row (1-based), keeping the file's encoding."""
    enc = detect_encoding(path)
    with open(path, encoding=enc, newline="") as fh:
        rows = list(csv.reader(fh))
    rows[row][rows[0].index(column)] = value
    with open(path, "w", encoding=enc, newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, int], str]:
    out = tmp_path_factory.mktemp("world")
    rows = synthworld_cli.synth(seed=11, persons=1000, out=out, noise="high")
    for (agency, file, row), (column, value) in DAMAGE.items():
        _damage(out / "exports" / agency.lower() / file, int(row), column, value)
    env_path = out / "exports" / "dga" / "envelopes.jsonl"
    lines = env_path.read_text(encoding="utf-8").splitlines()
    first = json.loads(lines[0])
    first["payload"] = {**first["payload"], "tampered": "yes"}
    env_path.write_text("\n".join([json.dumps(first, ensure_ascii=False), *lines[1:]]) + "\n", encoding="utf-8")
    return out, rows, str(first["exchange_id"])


def _truth(out: Path) -> dict[Key, set[tuple[str, str]]]:
    parts: dict[Key, set[tuple[str, str]]] = defaultdict(set)
    with open(out / "truth" / "records.csv", encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            parts[(r["agency"], r["file"], r["row"], r["exchange_id"])].add((r["part"], r["entity_type"]))
    return parts


def test_every_row_of_a_world_is_accounted_for(world: tuple[Path, dict[str, int], str], tmp_path: Path) -> None:
    out, rows_written, tampered = world
    ws = tmp_path / "ws"
    report = ingest_path(out / "exports", ws, progress=None, workers=2)
    assert not report.refused
    by_file = {f.file: f for f in report.files}
    for name, written in rows_written.items():
        f = by_file[name.split("/")[-1]]
        assert f.read == written, name
        assert f.loaded + f.quarantined == f.read
    loaded: dict[Key, set[tuple[str, str]]] = defaultdict(set)
    con = sqlite3.connect(ws / "records.sqlite")
    for agency, file, row, xid, part, etype in con.execute(
            "SELECT agency, source_file, row, exchange_id, part, entity_type FROM records"):
        loaded[(agency, file, "" if row is None else str(row), xid or "")].add((part, etype))
    truth = _truth(out)
    agency_of = {k[1]: k[0] for k in truth}
    quarantined: set[Key] = set()
    for q in (ws / "quarantine").glob("*/*.csv"):
        with open(q, encoding="utf-8", newline="") as fh:
            quarantined.update((agency_of[r["file"]], r["file"], r["row"], "") for r in csv.DictReader(fh))
    for line in (ws / "exchange" / "rejected.jsonl").read_text(encoding="utf-8").splitlines():
        xid = json.loads(line)["exchange_id"]
        quarantined.update(k for k in truth if k[3] == xid)
    tampered_keys = {k for k in truth if k[3] == tampered}
    assert quarantined == {(*k, "") for k in DAMAGE} | tampered_keys
    assert sum(f.quarantined for f in report.files) == len(DAMAGE) + 1
    missing = {k for k in truth if k not in loaded and k not in quarantined}
    assert not missing, sorted(missing)[:5]
    wrong = {k: (loaded[k], truth[k]) for k in truth if k in loaded and
             {p for p, _ in loaded[k]} != {p for p, _ in truth[k]}}
    assert not wrong, list(wrong.items())[:3]
    assert not set(loaded) - set(truth)
    typed = sum(loaded[k] == truth[k] for k in truth if k in loaded)
    assert typed / len(loaded) > 0.99  # Person or Organization is decided from names and ids
