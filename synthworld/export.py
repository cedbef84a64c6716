"""Write a world: every agency's files, the DGA envelopes and keys, and the truth."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from synthworld.layout import Output, Table
from synthworld.noise import Noise
from synthworld.viewkit import Kit
from synthworld.views_amlo import amlo_accounts, amlo_reports, amlo_transactions
from synthworld.views_justice import coj_judgments, dsi_special_cases, oag_prosecutions
from synthworld.views_police import msdhs_victims, rtp_case_persons, rtp_cases, rtp_immigration
from synthworld.views_registry import (
    dopa_local_officials,
    dopa_migrant_workers,
    dopa_population,
    pacc_officials,
    rlpd_compensation,
)
from synthworld.world import World

__all__ = ["VIEWS", "write_world"]

VIEWS: tuple[Callable[[Kit, Noise], Table], ...] = (
    msdhs_victims, rtp_cases, rtp_case_persons, rtp_immigration, dsi_special_cases, oag_prosecutions,
    coj_judgments, amlo_accounts, amlo_transactions, amlo_reports, pacc_officials, rlpd_compensation,
    dopa_population, dopa_migrant_workers, dopa_local_officials,
)


def write_world(w: World, out: Path, timings: dict[str, float] | None = None) -> dict[str, int]:
    """Write all exports under ``out/exports`` and the truth under ``out/truth``; return rows per file."""
    timings = timings if timings is not None else {}
    s = w.settings
    output = Output(out, s.seed, np.random.Generator(np.random.PCG64([s.seed, 7000])), s.noise.duplicate_row,
                    s.noise.dga_share)
    kit = Kit(w)
    for n, view in enumerate(VIEWS):
        t0 = time.perf_counter()
        noise = Noise(s.noise, np.random.Generator(np.random.PCG64([s.seed, 8000 + n])), view.__name__)
        output.emit(view(kit, noise))
        timings[f"write:{view.__name__}"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    truth = {
        "rings.json": w.rings, "money_chains.json": w.chains, "corrupt_officials.json": w.corrupt,
        "victim_routes.json": w.routes,
    }
    output.finish(s.to_dict(), truth)
    timings["write:truth"] = time.perf_counter() - t0
    return output.rows
