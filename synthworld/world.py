"""The world in memory: every table the agencies' views are cut from, plus the truth being built."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from synthworld.entities import BANK_CODES
from synthworld.migrants import full_name_en, full_name_th
from synthworld.population import REF_DAY
from synthworld.settings import SynthSettings

__all__ = ["Row", "World", "day_of", "rng_for"]

Row = dict[str, Any]

_STAGES = ("population", "migrants", "phones", "companies", "accounts", "background", "rings", "cases",
           "money", "noise", "dga", "keys", "officials", "crossings")


def rng_for(seed: int, stage: str) -> np.random.Generator:
    """An independent generator per stage, so changing one stage does not shift another's draws."""
    return np.random.Generator(np.random.PCG64([seed, _STAGES.index(stage)]))


def day_of(iso: str) -> int:
    """Days since 1970-01-01 of an ISO date."""
    return int(np.datetime64(iso, "D").astype(np.int64))


@dataclass
class World:
    """All generated tables. Person, company and account rows are addressed by their integer position."""

    settings: SynthSettings
    persons: pd.DataFrame
    houses: pd.DataFrame
    companies: pd.DataFrame
    accounts: pd.DataFrame
    txns: pd.DataFrame = field(default_factory=pd.DataFrame)
    crossings: pd.DataFrame = field(default_factory=pd.DataFrame)
    migrant_regs: pd.DataFrame = field(default_factory=pd.DataFrame)
    ring_txns: list[Row] = field(default_factory=list)
    ring_crossings: list[Row] = field(default_factory=list)
    local_officials: list[Row] = field(default_factory=list)
    officers: list[int] = field(default_factory=list)
    police_cases: list[Row] = field(default_factory=list)
    case_persons: list[Row] = field(default_factory=list)
    dsi_cases: list[Row] = field(default_factory=list)
    oag: list[Row] = field(default_factory=list)
    coj: list[Row] = field(default_factory=list)
    msdhs: list[Row] = field(default_factory=list)
    pacc: list[Row] = field(default_factory=list)
    rlpd: list[Row] = field(default_factory=list)
    reports: list[Row] = field(default_factory=list)
    rings: list[Row] = field(default_factory=list)
    chains: list[Row] = field(default_factory=list)
    corrupt: list[Row] = field(default_factory=list)
    routes: list[Row] = field(default_factory=list)
    used: set[int] = field(default_factory=set)
    scratch: dict[str, Any] = field(default_factory=dict)
    """Arrays computed once and reused by several stages."""
    _acct_of: dict[int, int] = field(default_factory=dict)
    _new_accounts: list[Row] = field(default_factory=list)
    _rng: np.random.Generator | None = None

    # -- people ---------------------------------------------------------------------------------------------
    def age(self, pid: int) -> int:
        """Age in whole years on the reference day."""
        return int((REF_DAY - int(self.persons.at[pid, "birth"])) // 365)

    def name_th(self, pid: int, prefix: bool = True) -> str:
        """Thai-script full name (prefix glued on)."""
        p = self.persons.loc[pid]
        return full_name_th(p.nat, p.prefix if prefix else "", p.first_th, p.last_th)

    def name_en(self, pid: int) -> str:
        """Latin full name in the person's country order."""
        p = self.persons.loc[pid]
        return full_name_en(p.nat, p.first_en, p.last_en)

    def id_of(self, pid: int) -> str:
        """The main ID a Thai officer would write: national ID, else pink card, else passport."""
        p = self.persons.loc[pid]
        return str(p.nid or p.pink or p.passport)

    def id_type(self, pid: int) -> str:
        """MSDHS document type of :meth:`id_of`."""
        p = self.persons.loc[pid]
        return "บัตรประชาชน" if p.nid else "บัตรชมพู" if p.pink else "หนังสือเดินทาง" if p.passport else "ไม่มี"

    def pick(self, rng: np.random.Generator, mask: np.ndarray, k: int = 1) -> list[int]:
        """Pick ``k`` distinct persons matching ``mask`` (a boolean mask or an index array) who have no
        planted role yet (marks them used)."""
        cand = np.flatnonzero(mask) if mask.dtype == bool else mask
        out: list[int] = []
        tries = 0
        while len(out) < k and tries < 50 * k + 50:
            tries += 1
            c = int(cand[int(rng.integers(0, len(cand)))]) if len(cand) else -1
            if c < 0:
                break
            if c not in self.used:
                self.used.add(c)
                out.append(c)
        return out

    # -- accounts -------------------------------------------------------------------------------------------
    def account_of(self, holder: int, kind: str = "P", new: bool = False) -> int:
        """Index of an account of ``holder`` in :attr:`accounts` (created when missing or ``new``)."""
        key = holder if kind == "P" else -1 - holder
        if not self._acct_of:
            acc = self.accounts
            first = acc.groupby(["holder_kind", "holder"], sort=True).head(1)
            for i, k, h in zip(first.index, first["holder_kind"], first["holder"], strict=True):
                self._acct_of[int(h) if k == "P" else -1 - int(h)] = int(i)
        if key in self._acct_of and not new:
            return self._acct_of[key]
        assert self._rng is not None
        rng = self._rng
        number = str(int(rng.integers(10**9, 10**10)))
        while number in self.accounts_numbers():
            number = str(int(rng.integers(10**9, 10**10)))
        self._numbers.add(number)
        row = {"bank": str(BANK_CODES[int(rng.integers(0, len(BANK_CODES)))]), "number": number,
               "holder_kind": kind, "holder": holder, "opened": REF_DAY - 3000 - int(rng.integers(0, 1500)),
               "promptpay": ""}
        self._new_accounts.append(row)
        idx = len(self.accounts) + len(self._new_accounts) - 1
        self._acct_of.setdefault(key, idx)
        return idx

    def account_row(self, idx: int) -> Row:
        """One account as a dict (works before :meth:`finalize_accounts`)."""
        n = len(self.accounts)
        if idx >= n:
            return self._new_accounts[idx - n]
        return dict(self.accounts.loc[idx])

    def finalize_accounts(self) -> None:
        """Append the accounts created while planting patterns."""
        if self._new_accounts:
            self.accounts = pd.concat([self.accounts, pd.DataFrame(self._new_accounts)], ignore_index=True)
            self._new_accounts = []

    def accounts_numbers(self) -> set[str]:
        """The set of account numbers in use (built once)."""
        if not hasattr(self, "_numbers"):
            self._numbers: set[str] = set(self.accounts["number"].tolist())
        return self._numbers

    def acct_id(self, idx: int) -> str:
        """True entity id of an account: ``A<bank>-<number>``."""
        a = self.account_row(idx)
        return f"A{a['bank']}-{a['number']}"

