"""Settings of a synthetic world: one JSON-serialisable object for size, seed and noise."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields, replace
from typing import Any

__all__ = ["NOISE_LEVELS", "NoiseSettings", "SynthSettings", "noise_from_arg"]


@dataclass(frozen=True)
class NoiseSettings:
    """Rates of each kind of noise, as the probability that one eligible cell (or row) is touched.

    Every applied noise is logged in ``truth/noise.csv`` so that tests can check these rates.

    Examples
    --------
    >>> NoiseSettings().scaled(0).mistyped_id
    0.0
    >>> NoiseSettings.from_json(NoiseSettings().to_json()) == NoiseSettings()
    True
    """

    translit_variant: float = 0.15
    """Latin name written with another romanisation (Somchai Jaidee -> Somchai Chaidee)."""
    script_swap: float = 0.05
    """Name written in the other script (Latin name in Thai script or Thai name romanised)."""
    nickname: float = 0.2
    """A nickname or alias added in brackets to a full name cell."""
    swapped_name_parts: float = 0.03
    """First and last name written the other way round."""
    missing_id: float = 0.08
    """An ID cell left empty."""
    missing_bank_id: float = 0.01
    """An ID cell left empty in a bank's record of its customer (AMLO's accounts and reports). A bank
    identifies every customer before it opens an account (customer due diligence under the Anti-Money
    Laundering Act B.E. 2542), and AMLO's account data comes from the banks, so an account without the
    holder's ID is far rarer than an ID missing from a police or registry form (``missing_id``)."""
    mistyped_id: float = 0.02
    """One digit of an ID changed (a Thai national ID then fails its check digit)."""
    id_format: float = 0.2
    """A Thai ID written with dashes or spaces."""
    be_ce_confusion: float = 0.02
    """A CE year written in a BE column (or BE in a CE column)."""
    day_month_swap: float = 0.02
    """Day and month swapped (only when both are <= 12, so the date stays valid)."""
    date_style: float = 0.1
    """A BE date written in another accepted style (ISO-like, compact, Thai month name)."""
    phone_format: float = 0.5
    """A phone written as 081-234-5678, +66 81 234 5678 or 66812345678 instead of 0812345678."""
    multi_phone: float = 0.1
    """A second phone of the person added to the cell, separated by , or /."""
    account_format: float = 0.3
    """An account number written 123-4-56789-0."""
    amount_format: float = 0.1
    """An AMLO amount written with thousands separators (1,250,000.00)."""
    case_no_variant: float = 0.3
    """A cited case number written with other spacing or prefix."""
    duplicate_row: float = 0.01
    """A row written twice."""
    dga_share: float = 0.15
    """Share of rows of the DGA-carried files sent as envelopes instead of being in the file."""

    def scaled(self, factor: float) -> NoiseSettings:
        """Return settings with every noise rate multiplied by ``factor`` (``dga_share`` kept)."""
        values = {f.name: min(1.0, getattr(self, f.name) * factor) for f in fields(self) if f.name != "dga_share"}
        return replace(self, **values)

    def to_json(self) -> str:
        """Serialise to JSON (keys sorted)."""
        return json.dumps(asdict(self), sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> NoiseSettings:
        """Load from JSON; missing keys take the defaults, unknown keys raise ``TypeError``."""
        return cls(**json.loads(text))


NOISE_LEVELS: dict[str, float] = {"none": 0.0, "low": 0.5, "default": 1.0, "high": 2.0}


def noise_from_arg(arg: str | NoiseSettings | None) -> NoiseSettings:
    """Turn a level name (none, low, default, high), a JSON object or settings into settings.

    Examples
    --------
    >>> noise_from_arg("none").duplicate_row
    0.0
    >>> noise_from_arg('{"duplicate_row": 0.5}').duplicate_row
    0.5
    """
    if arg is None:
        return NoiseSettings()
    if isinstance(arg, NoiseSettings):
        return arg
    text = arg.strip()
    if text.startswith("{"):
        return NoiseSettings.from_json(text)
    if text in NOISE_LEVELS:
        return NoiseSettings().scaled(NOISE_LEVELS[text])
    raise ValueError(f"unknown noise level {arg!r}; use one of {sorted(NOISE_LEVELS)} or a JSON object")


@dataclass(frozen=True)
class SynthSettings:
    """Seed, size and noise of one world.

    Examples
    --------
    >>> s = SynthSettings(seed=1, persons=2000)
    >>> SynthSettings.from_dict(s.to_dict()) == s
    True
    """

    seed: int = 42
    persons: int = 10_000
    noise: NoiseSettings = field(default_factory=NoiseSettings)
    start_year: int = 2015
    end_year: int = 2025

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SynthSettings:
        """Build from :meth:`to_dict` output."""
        data = dict(data)
        data["noise"] = NoiseSettings(**data.get("noise", {}))
        return cls(**data)
