"""AMLO: accounts, transactions and reports (ISO CE dates)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from synthworld.formats import BANKS
from synthworld.layout import Table
from synthworld.noise import Noise
from synthworld.viewkit import Kit

__all__ = ["amlo_accounts", "amlo_reports", "amlo_transactions", "holder_cells"]


def holder_cells(k: Kit, kind: str, holder: int) -> tuple[str, str, str]:
    """Registered name, ID and true entity id of an account holder (person or organisation)."""
    if kind == "P":
        return k.full_th(holder), k.id_of(holder), k.pid(holder)
    co = k.w.companies
    return str(co.at[holder, "name"]), str(co.at[holder, "reg_no"]), k.oid(holder)


def _iso_days(days: np.ndarray) -> list[str]:
    return list(np.datetime_as_string(np.asarray(days, dtype=np.int64).astype("datetime64[D]")))


def amlo_accounts(k: Kit, noise: Noise) -> Table:
    """``amlo_accounts.csv``: every account known to AMLO with its registered holder and PromptPay ids."""
    acc = k.w.accounts
    n = len(acc)
    keys = list(range(n))
    kinds = acc["holder_kind"].to_numpy(dtype=object)
    holders = acc["holder"].to_numpy()
    cells = [holder_cells(k, kd, int(h)) for kd, h in zip(kinds, holders, strict=True)]
    bank = acc["bank"].to_numpy(dtype=object)
    number = acc["number"].to_numpy(dtype=object)
    cols = {
        "bank_code": bank.tolist(), "bank_name": [BANKS[b] for b in bank],
        "account_no": noise.accounts(number.tolist(), keys, "account_no"),
        "account_name": noise.thai_name([c[0] for c in cells], keys, "account_name"),
        "holder_id_no": noise.ids([c[1] for c in cells], keys, "holder_id_no", "missing_bank_id"),
        "opened_date": _iso_days(acc["opened"].to_numpy()), "promptpay_ids": acc["promptpay"].tolist(),
    }
    parts = {"account": [f"A{b}-{x}" for b, x in zip(bank, number, strict=True)], "holder": [c[2] for c in cells]}
    return Table("AMLO", "amlo_accounts.csv", noise, cols, parts, duplicates=False)


def amlo_transactions(k: Kit, noise: Noise) -> Table:
    """``amlo_transactions.csv``: transfers in time order (timestamps kept exact: chains depend on them)."""
    t = k.w.txns
    acc = k.w.accounts
    n = len(t)
    keys = np.arange(n)
    bank = acc["bank"].to_numpy(dtype=object)
    number = acc["number"].to_numpy(dtype=object)
    src = t["src"].to_numpy()
    dst = t["dst"].to_numpy()
    has_src = src >= 0
    sb = np.where(has_src, bank[np.maximum(src, 0)], "")
    sn = np.where(has_src, number[np.maximum(src, 0)], "")
    ts = t["ts"].to_numpy().astype("datetime64[s]")
    stamp = pd.Series(np.datetime_as_string(ts)).add("+07:00").tolist()
    amounts = [f"{a:.2f}" for a in t["amount"].to_numpy()]
    cols = {
        "txn_id": t["txn_id"].tolist(), "timestamp": stamp, "from_bank": sb.tolist(),
        "from_account": noise.accounts(sn.tolist(), keys, "from_account"), "to_bank": bank[dst].tolist(),
        "to_account": noise.accounts(number[dst].tolist(), keys, "to_account"),
        "amount_thb": noise.amounts(amounts, keys, "amount_thb"), "channel": t["channel"].tolist(),
        "memo": t["memo"].tolist(),
    }
    ids = pd.Series(bank, dtype=object).str.cat(pd.Series(number, dtype=object), sep="-").radd("A").to_numpy()
    parts = {"from_account": np.where(has_src, ids[np.maximum(src, 0)], "").tolist(), "to_account": ids[dst].tolist()}
    return Table("AMLO", "amlo_transactions.csv", noise, cols, parts, duplicates=False)


def amlo_reports(k: Kit, noise: Noise) -> Table:
    """``amlo_reports.csv``: STR and FREEZE of the rings' accounts, CTR of every cash deposit >= 2,000,000 THB."""
    w = k.w
    rows = list(w.reports)
    t = w.txns
    big = t[(t["src"] < 0) & (t["amount"] >= 2_000_000)]
    for j, (dst, ts) in enumerate(zip(big["dst"].to_numpy(), big["ts"].to_numpy(), strict=True)):
        rows.append({"id": f"CC{j + 1:06d}", "type": "CTR", "account": int(dst), "day": int(ts) // 86400 + 1,
                     "reason": "ฝากเงินสดตั้งแต่ 2,000,000 บาท", "case_no": ""})
    keys = list(range(len(rows)))
    accts = [w.account_row(int(r["account"])) for r in rows]
    cells = [holder_cells(k, a["holder_kind"], int(a["holder"])) for a in accts]
    cols = {
        "report_id": [f"{r['type']}-{r['id'][2:]}" if r["type"] != "CTR" else f"CTR-{r['id'][2:]}" for r in rows],
        "report_type": [r["type"] for r in rows],
        "subject_name": noise.thai_name([c[0] for c in cells], keys, "subject_name"),
        "subject_id_no": noise.ids([c[1] for c in cells], keys, "subject_id_no", "missing_bank_id"),
        "bank_code": [a["bank"] for a in accts],
        "account_no": noise.accounts([str(a["number"]) for a in accts], keys, "account_no"),
        "report_date": _iso_days(np.array([r["day"] for r in rows], dtype=np.int64)),
        "reason": [r["reason"] for r in rows],
        "linked_case_no": noise.case_nos([r["case_no"] for r in rows], keys, "linked_case_no"),
    }
    parts = {"subject": [c[2] for c in cells], "account": [f"A{a['bank']}-{a['number']}" for a in accts],
             "report": [r["id"] for r in rows]}
    return Table("AMLO", "amlo_reports.csv", noise, cols, parts, duplicates=False)
