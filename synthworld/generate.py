"""Build a whole world from settings, stage by stage (each stage has its own random stream)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

import numpy as np
import pandas as pd

from synthworld.aftercare import honest_complaints, ring_aftercare
from synthworld.cases import CaseNumbers, open_background_cases, open_ring_cases
from synthworld.entities import add_phones_and_docs, make_accounts, make_companies
from synthworld.migrants import make_migrants
from synthworld.money import background_transactions, finalize_transactions, plant_money
from synthworld.population import REF_DAY, make_houses_and_thais
from synthworld.registry import background_crossings, local_officials_and_officers, migrant_registrations
from synthworld.rings import n_rings, plant_rings
from synthworld.settings import SynthSettings
from synthworld.world import World, rng_for

__all__ = ["build_world"]

T = TypeVar("T")

_GOV = {"name": "กรมคุ้มครองสิทธิและเสรีภาพ", "kind": "government", "reg_no": "", "tambon": 0, "directors": []}


def build_world(settings: SynthSettings, timings: dict[str, float] | None = None) -> World:
    """Generate the world in memory (no files written).

    Parameters
    ----------
    settings
        Seed, number of persons and noise.
    timings
        When given, filled with seconds per stage.

    Examples
    --------
    >>> w = build_world(SynthSettings(seed=1, persons=1500))
    >>> len(w.persons), len(w.rings) >= 3
    (1500, True)
    """
    timings = timings if timings is not None else {}
    seed = settings.seed
    clock = time.perf_counter

    def stage(name: str, fn: Callable[[], T]) -> T:
        t0 = clock()
        out = fn()
        timings[name] = timings.get(name, 0.0) + clock() - t0
        return out

    n = settings.persons
    n_mig = max(50, int(n * 0.1))
    n_thai = n - n_mig
    houses, thais = stage("population", lambda: make_houses_and_thais(n_thai, rng_for(seed, "population")))
    migrants = stage("migrants", lambda: make_migrants(n_mig, rng_for(seed, "migrants")))
    thais["passport"], thais["pink"] = "", ""
    persons = pd.concat([thais, migrants[thais.columns]], ignore_index=True)
    stage("phones", lambda: add_phones_and_docs(persons, rng_for(seed, "phones")))
    age = (REF_DAY - persons["birth"].to_numpy()) // 365
    adults = np.flatnonzero((persons["nat"].to_numpy() == "TH") & (age >= 25))

    def companies_() -> pd.DataFrame:
        co = make_companies(max(12, n // 200), adults, rng_for(seed, "companies"), max(2, n_rings(settings)))
        return pd.concat([co, pd.DataFrame([_GOV])], ignore_index=True)

    companies = stage("companies", companies_)
    accounts = stage("accounts", lambda: make_accounts(persons, companies, rng_for(seed, "accounts")))
    w = World(settings=settings, persons=persons, houses=houses, companies=companies, accounts=accounts)
    w._rng = rng_for(seed, "keys")
    stage("officials", lambda: local_officials_and_officers(w, rng_for(seed, "officials")))
    nums = CaseNumbers()

    def rings_() -> None:
        rng = rng_for(seed, "rings")
        contexts = plant_rings(w, rng)
        crng = rng_for(seed, "cases")
        mrng = rng_for(seed, "money")
        for ctx in contexts:
            plant_money(w, mrng, ctx)
            open_ring_cases(w, crng, nums, ctx)
        open_background_cases(w, crng, nums)
        for ctx in contexts:
            ring_aftercare(w, crng, nums, ctx)
        honest_complaints(w, crng, nums)

    stage("rings_and_cases", rings_)
    background = stage("background_txns", lambda: background_transactions(w, rng_for(seed, "background")))
    stage("finalize_txns", lambda: finalize_transactions(w, background))
    w.migrant_regs = stage("migrant_regs", lambda: migrant_registrations(w, rng_for(seed, "crossings")))
    w.crossings = stage("crossings", lambda: background_crossings(w, rng_for(seed, "crossings")))
    return w
