"""Money: lawful background transfers and the rings' patterns (fan-in, layering, cycles, structuring)."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd

from synthworld.cases import END_DAY
from synthworld.world import Row, World, day_of

__all__ = ["background_transactions", "finalize_transactions", "plant_money", "ring_txn"]

_CHANNELS = np.array(["MOBILE", "PROMPTPAY", "COUNTER", "ATM_CASH_DEPOSIT", "REMITTANCE"], dtype=object)
_MEMOS = np.array(["", "", "โอนเงิน", "ค่าอาหาร", "ค่าเช่าบ้าน", "ค่าสินค้า", "คืนเงิน", "ค่าน้ำมัน", "ค่าเทอม",
                   "ให้แม่", "ค่าจ้าง"], dtype=object)
START_DAY = day_of("2015-01-01")


def background_transactions(w: World, rng: np.random.Generator) -> pd.DataFrame:
    """Ordinary transfers between ordinary accounts, plus large lawful cash deposits of businesses."""
    n_acc = len(w.accounts)
    t = w.settings.persons
    activity = rng.gamma(0.6, 1.0, n_acc)
    activity /= activity.sum()
    src = rng.choice(n_acc, size=t, p=activity)
    dst = rng.choice(n_acc, size=t, p=activity)
    channel = rng.choice(_CHANNELS, size=t, p=[0.55, 0.25, 0.08, 0.07, 0.05])
    cash = channel == "ATM_CASH_DEPOSIT"
    amount = np.round(np.exp(rng.normal(np.log(1500), 1.3, t)), 2)
    ts = (START_DAY + rng.integers(0, END_DAY - START_DAY, t)) * 86400 + rng.integers(0, 86400, t)
    df = pd.DataFrame({"src": np.where(cash, -1, src), "dst": dst, "ts": ts, "amount": amount,
                       "channel": channel, "memo": rng.choice(_MEMOS, size=t), "chain": -1})
    # lawful big cash deposits of companies: some above the CTR threshold, a few just under it
    companies = np.flatnonzero(w.accounts["holder_kind"].to_numpy() == "O")
    n_big = max(2, t // 2000)
    big = pd.DataFrame({
        "src": -1, "dst": rng.choice(companies, size=n_big), "ts": (START_DAY + rng.integers(0, END_DAY - START_DAY,
                                                                                          n_big)) * 86400 + 36000,
        "amount": np.where(rng.random(n_big) < 0.8, rng.integers(2_000_000, 6_000_000, n_big),
                           rng.integers(1_900_000, 1_999_999, n_big)).astype(float),
        "channel": "COUNTER", "memo": "ฝากเงินสดรายได้ธุรกิจ", "chain": -1})
    return pd.concat([df, big], ignore_index=True)


def ring_txn(w: World, src: int, dst: int, ts: int, amount: float, channel: str, memo: str, chain: int) -> Row:
    """Add one planted transaction (``src`` -1 for a cash deposit)."""
    row = {"src": src, "dst": dst, "ts": ts, "amount": round(amount, 2), "channel": channel, "memo": memo,
           "chain": chain}
    w.ring_txns.append(row)
    return row


def _chain(w: World, ctx: Row, pattern: str) -> int:
    w.chains.append({"chain_id": f"M{len(w.chains) + 1:05d}", "pattern": pattern, "txn_ids": [], "accounts": [],
                     "ring_id": ctx["ring_id"]})
    return len(w.chains) - 1


def plant_money(w: World, rng: np.random.Generator, ctx: Row) -> None:
    """Plant a ring's money patterns; the accounts used are recorded on the ring."""
    collector = w.account_of(ctx["collectors"][0], new=True)
    mules = [w.account_of(m) for m in ctx["mules"]]
    leader = w.account_of(ctx["leader"])
    ctx["accounts"] = sorted({collector, *mules, leader})
    ctx["collector_account"] = collector
    day0 = ctx["start_day"] + 20
    active = {collector, leader}
    if "person_accounts" not in w.scratch:
        # the families who pay "debts" are ordinary people, never the planted members of some other ring
        acc = w.accounts
        planted = np.isin(acc["holder"].to_numpy(), np.fromiter(w.used, dtype=np.int64, count=len(w.used)))
        w.scratch["person_accounts"] = np.flatnonzero((acc["holder_kind"].to_numpy() == "P") & ~planted)
    person_accts = w.scratch["person_accounts"]
    # fan-in: victims' families pay "debts" into the collector's account
    c = _chain(w, ctx, "fan_in")
    payers = rng.choice(person_accts, size=int(rng.integers(5, 16)), replace=False)
    total = 0.0
    last_ts = 0
    for k, a in enumerate(payers):
        ts = (day0 + 7 * k + int(rng.integers(0, 7))) * 86400 + int(rng.integers(28800, 72000))
        amt = float(rng.integers(30, 300)) * 100
        total += amt
        last_ts = max(last_ts, ts)
        ring_txn(w, int(a), collector, ts, amt, str(rng.choice(["MOBILE", "PROMPTPAY", "REMITTANCE"])),
                 str(rng.choice(["ค่าหนี้", "ค่านายหน้า", "ค่าเดินทาง", "ใช้หนี้"])), c)
    # layering: collector -> mules -> leader, each hop later than the one before
    if rng.random() < 0.85:
        c = _chain(w, ctx, "layering")
        hops = [collector, *mules[: int(rng.integers(2, len(mules) + 1))], leader]
        active.update(hops)
        amt = round(total * 0.9, 2)
        ts = last_ts + 86400
        for a, b in itertools.pairwise(hops):
            ts += int(rng.integers(3600 * 2, 3600 * 48))
            ring_txn(w, a, b, ts, amt, "MOBILE", "", c)
            amt = round(amt * (1 - float(rng.uniform(0.01, 0.03))), 2)
    if rng.random() < 0.4 and len(mules) >= 2:
        c = _chain(w, ctx, "cycle")
        active.update(mules[:2])
        ts = last_ts + 86400 * 10
        amt = float(rng.integers(100, 500)) * 1000
        for a, b in ((leader, mules[0]), (mules[0], mules[1]), (mules[1], leader)):
            ts += int(rng.integers(3600, 3600 * 30))
            ring_txn(w, a, b, ts, amt, "MOBILE", "", c)
            amt = round(amt * 0.99, 2)
    if rng.random() < 0.5:
        c = _chain(w, ctx, "structuring")
        target = leader if rng.random() < 0.5 else collector
        ts = last_ts + 86400 * 3
        for _ in range(int(rng.integers(3, 8))):
            ts += int(rng.integers(86400, 86400 * 4))
            ring_txn(w, -1, target, ts, float(rng.integers(1_900_000, 1_999_000)), "COUNTER", "ฝากเงินสด", c)
    if ctx["link"] == "money":
        a_off = ctx["official_account"]
        ts = last_ts + 86400 * 5
        for _ in range(int(rng.integers(1, 5))):
            ts += int(rng.integers(86400, 86400 * 30))
            ring_txn(w, collector, a_off, ts, float(rng.integers(20, 200)) * 1000, "MOBILE", "ค่าดูแล", -1)
        ctx["official_path"][-2] = w.acct_id(collector)
    # a mule or second collector whose account never moved the ring's money is idle: the ring's accounts
    # (frozen, seized) are the active ones, and an idle member is in the truth only when some case names them
    ctx["accounts"] = sorted(active)
    ctx["idle"] = [*ctx["collectors"][1:], *[p for p, a in zip(ctx["mules"], mules, strict=True) if a not in active]]


def finalize_transactions(w: World, background: pd.DataFrame) -> None:
    """Merge, order by time and number the transactions; fill the chains' txn ids and accounts."""
    w.finalize_accounts()
    planted = pd.DataFrame(w.ring_txns, columns=list(background.columns))
    df = pd.concat([background, planted], ignore_index=True)
    df = df[df["ts"] < (END_DAY + 1) * 86400].sort_values("ts", kind="stable").reset_index(drop=True)
    df["txn_id"] = [f"T{i + 1:010d}" for i in range(len(df))]
    w.txns = df
    planted_rows = df[df["chain"] >= 0]
    acct_ids = {i: w.acct_id(i) for i in sorted(set(planted_rows["src"]) | set(planted_rows["dst"])) if i >= 0}
    for chain, grp in planted_rows.groupby("chain", sort=True):
        ch = w.chains[int(chain)]
        ch["txn_ids"] = grp["txn_id"].tolist()
        accts = [a for a in pd.unique(pd.concat([grp["src"], grp["dst"]])) if a >= 0]
        ch["accounts"] = sorted({acct_ids[int(a)] for a in accts})
    w.chains = [c for c in w.chains if c["txn_ids"]]
