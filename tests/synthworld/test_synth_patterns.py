"""Every planted pattern is visible in the agencies' exports, not only in the truth."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest


def read(world: Path, name: str) -> pd.DataFrame:
    enc = "cp874" if name.startswith("dopa/dopa_population") else "utf-8-sig"
    return pd.read_csv(world / "exports" / name, dtype=str, keep_default_na=False, encoding=enc)


def truth(world: Path, name: str) -> list[dict]:
    return json.loads((world / "truth" / name).read_text(encoding="utf-8"))


def digits(s: str) -> str:
    return re.sub(r"\D", "", s)


def phones_in(cell: str) -> set[str]:
    out = set()
    for part in re.split(r"[,/]", cell):
        d = digits(part)
        out.add("0" + d[2:] if d.startswith("66") else d)
    return out


@pytest.fixture(scope="module", params=["world_dir", "noisy_dir"])
def world(request: pytest.FixtureRequest) -> Path:
    """Both the default-noise world and the larger high-noise one."""
    path: Path = request.getfixturevalue(request.param)
    return path


@pytest.fixture(scope="module")
def records(world: Path) -> pd.DataFrame:
    return pd.read_csv(world / "truth/records.csv", dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def txns(world: Path) -> pd.DataFrame:
    t = read(world, "amlo/amlo_transactions.csv")
    t["src"] = "A" + t["from_bank"] + "-" + t["from_account"].map(digits)
    t["dst"] = "A" + t["to_bank"] + "-" + t["to_account"].map(digits)
    t["amount"] = t["amount_thb"].str.replace(",", "").astype(float)
    return t.set_index("txn_id", drop=False)


def test_money_chains_are_in_amlo_transactions(world: Path, txns: pd.DataFrame) -> None:
    chains = truth(world, "money_chains.json")
    assert {c["pattern"] for c in chains} >= {"fan_in", "layering"}
    for c in chains:
        rows = txns.loc[c["txn_ids"]]
        accounts = set(rows["src"]) | set(rows["dst"])
        assert set(c["accounts"]) <= accounts, c["chain_id"]
        if c["pattern"] == "fan_in":
            assert rows["dst"].nunique() == 1 and rows["src"].nunique() == len(rows) >= 5
        if c["pattern"] == "layering":
            assert (rows["src"].iloc[1:].to_numpy() == rows["dst"].iloc[:-1].to_numpy()).all()
            assert rows["timestamp"].is_monotonic_increasing
        if c["pattern"] == "cycle":
            assert rows["src"].iloc[0] == rows["dst"].iloc[-1]
        if c["pattern"] == "structuring":
            assert (rows["from_account"] == "").all()
            assert rows["amount"].between(1_800_000, 1_999_999.99).all()


def test_compensation_to_suspect_is_paid_into_a_ring_account(world: Path) -> None:
    chains = [c for c in truth(world, "money_chains.json") if c["pattern"] == "compensation_to_suspect"]
    rings = {r["ring_id"]: r for r in truth(world, "rings.json")}
    for c in chains:
        assert set(c["accounts"]) & set(rings[c["ring_id"]]["accounts"])


def test_corrupt_officials_are_on_record_and_linked(world: Path, records: pd.DataFrame,
                                                    txns: pd.DataFrame) -> None:
    corrupt = truth(world, "corrupt_officials.json")
    assert corrupt
    seen = records[((records["file"] == "pacc_officials.csv") & (records["part"] == "official"))
                   | ((records["file"] == "dopa_local_officials.csv") & (records["part"] == "official"))
                   | ((records["file"] == "rtp_cases.csv") & (records["part"] == "officer"))]
    pop = read(world, "dopa/dopa_population.csv")
    dopa_rows = records[records["file"] == "dopa_population.csv"].set_index("entity_id")["row"].astype(int)
    persons = records[records["file"] == "rtp_case_persons.csv"]
    for c in corrupt:
        assert c["entity_id"] in set(seen["entity_id"]), c
        if c["link"] == "money":
            assert ((txns["src"] == c["path"][-2]) & (txns["dst"] == c["path"][-3])).any()
        if c["link"] in ("family", "address"):
            a = pop.iloc[dopa_rows[c["path"][0]] - 1]
            b = pop.iloc[dopa_rows[c["path"][1]] - 1]
            if c["link"] == "address":
                assert a["house_id"] == b["house_id"]
            else:
                assert b["national_id"] in (a["spouse_id"], a["father_id"], a["mother_id"]) or a["national_id"] in (
                    b["spouse_id"], b["father_id"], b["mother_id"])
        if c["link"] == "phone":
            accts = read(world, "amlo/amlo_accounts.csv")
            acc = accts[("A" + accts["bank_code"] + "-" + accts["account_no"].map(digits)) == c["path"][1]]
            shared = set(acc["promptpay_ids"].iloc[0].split(";"))
            suspect_rows = persons[persons["entity_id"] == c["path"][2]]
            cells = _case_person_phones(world, suspect_rows)
            assert shared & cells, c


def _case_person_phones(world: Path, rows: pd.DataFrame) -> set[str]:
    df = read(world, "rtp/rtp_case_persons.csv")
    envs = [json.loads(x) for x in (world / "exports/dga/envelopes.jsonl").read_text(encoding="utf-8").splitlines()]
    by_x = {e["exchange_id"]: e["payload"] for e in envs}
    out: set[str] = set()
    for row, xid in zip(rows["row"], rows["exchange_id"], strict=True):
        cell = df.iloc[int(row) - 1]["โทรศัพท์"] if row else by_x[xid]["โทรศัพท์"]
        out |= phones_in(cell)
    return out


def test_ring_members_and_victims_appear_in_police_or_dsi_records(world: Path, records: pd.DataFrame) -> None:
    police = set(records.loc[records["file"].isin(["rtp_case_persons.csv", "dsi_special_cases.json"]), "entity_id"])
    seen_victims = set(records.loc[records["file"].isin(["rtp_case_persons.csv", "msdhs_victims.csv"]),
                                   "entity_id"])
    for ring in truth(world, "rings.json"):
        members = {m["entity_id"] for m in ring["members"] if m["role"] != "official"}
        assert members & police, ring["ring_id"]
        assert set(ring["victims"]) <= seen_victims


def test_victim_routes_cross_the_checkpoints_in_immigration(world: Path, records: pd.DataFrame) -> None:
    imm = read(world, "rtp/rtp_immigration.csv")
    rows = records[records["file"] == "rtp_immigration.csv"]
    imm_person = dict(zip(rows["row"].astype(int), rows["entity_id"], strict=True))
    imm["who"] = [imm_person[i + 1] for i in range(len(imm))]
    crossed = set(zip(imm["who"], imm["checkpoint"], strict=True))
    routes = [r for r in truth(world, "victim_routes.json") if r["checkpoints"]]
    hits = sum((r["entity_id"], r["checkpoints"][0]) in crossed for r in routes)
    assert routes and hits / len(routes) > 0.5
    assert imm["vehicle_plate"].ne("").sum() > 0


def test_envelope_records_are_not_also_in_files(world: Path, records: pd.DataFrame) -> None:
    env = records[records["exchange_id"] != ""]
    assert len(env) > 0
    assert set(env["row"]) == {""}
    lines = (world / "exports/dga/envelopes.jsonl").read_text(encoding="utf-8").splitlines()
    assert set(env["exchange_id"]) == {json.loads(x)["exchange_id"] for x in lines}


def test_transporter_carries_the_recruiters_phone(world: Path, records: pd.DataFrame) -> None:
    """Shared identifiers: a seized phone list of the transporter holds the recruiter's number."""
    rings = truth(world, "rings.json")
    persons = records[records["file"] == "rtp_case_persons.csv"]
    checked = 0
    for ring in rings:
        role = {m["role"]: m["entity_id"] for m in ring["members"]}
        t_rows = persons[(persons["entity_id"] == role["transporter"]) & (persons["part"] == "person")]
        r_rows = persons[(persons["entity_id"] == role["recruiter"]) & (persons["part"] == "person")]
        if t_rows.empty or r_rows.empty:
            continue
        assert _case_person_phones(world, t_rows) & _case_person_phones(world, r_rows)
        checked += 1
    assert checked
