"""Noise applied to export cells, every application logged (file, internal row key, column, kind)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from synthworld.formats import (
    be_date,
    date_parts,
    format_account,
    format_phone,
    format_thai_id,
    thai_month_date,
)
from synthworld.names import NICKNAMES, latin_variant
from synthworld.settings import NoiseSettings

__all__ = ["Keys", "Noise"]

Keys = Sequence[int] | np.ndarray
"""Internal row keys of the cells being noised (a list or an integer array)."""

_CASE_VARIANTS: tuple[Callable[[str], str], ...] = (
    lambda s: s.replace(".", ". ", 1),
    lambda s: s.replace(" ", "", 1) if s.count(" ") else s + " ",
    lambda s: s.replace("/", " / "),
    lambda s: s.replace(" ", " ที่ ", 1) if "ที่" not in s else s.replace("ที่ ", ""),
    lambda s: f"คดีที่ {s}" if "ที่" not in s else s.replace("ที่", ""),
)


class Noise:
    """Applies :class:`NoiseSettings` to columns of one file and logs every change.

    Cells are addressed by an internal key ``k`` (the row's position before duplicates and DGA split); the
    writer maps keys to rows or exchange ids when the file is laid out.
    """

    def __init__(self, settings: NoiseSettings, rng: np.random.Generator, file: str) -> None:
        self.s = settings
        self.rng = rng
        self.file = file
        self.log: list[tuple[int, str, str]] = []
        self.eligible: dict[tuple[str, str], int] = {}

    def _draw(self, column: str, kind: str, rate: float, ok: np.ndarray) -> np.ndarray:
        """Boolean mask of eligible cells that get noise ``kind``; counts eligibility."""
        self.eligible[(column, kind)] = self.eligible.get((column, kind), 0) + int(ok.sum())
        return ok & (self.rng.random(len(ok)) < rate)

    def _apply(self, values: list[str], mask: np.ndarray, keys: Keys, column: str, kind: str,
               fn: Callable[[str, int], str]) -> None:
        picks = self.rng.integers(0, 1 << 30, len(values))
        for i in np.flatnonzero(mask):
            new = fn(values[i], int(picks[i]))
            if new != values[i]:
                values[i] = new
                self.log.append((int(keys[int(i)]), column, kind))

    @staticmethod
    def _nonempty(values: list[str]) -> np.ndarray:
        return np.fromiter((bool(v) for v in values), dtype=bool, count=len(values))

    # -- names ----------------------------------------------------------------------------------------------
    def thai_name(self, values: list[str], keys: Keys, column: str, latin: Sequence[str] | None = None,
                  nickname: bool = False) -> list[str]:
        """Full Thai-script names: swapped parts, a nickname in brackets, or the Latin spelling instead."""
        ok = self._nonempty(values)
        self._apply(values, self._draw(column, "swapped_name_parts", self.s.swapped_name_parts, ok), keys, column,
                    "swapped_name_parts", _swap_thai)
        if nickname:
            self._apply(values, self._draw(column, "nickname", self.s.nickname, ok), keys, column, "nickname",
                        lambda v, p: f"{v} ({NICKNAMES[p % len(NICKNAMES)]})" if p % 2 else
                        f'{v} "{NICKNAMES[p % len(NICKNAMES)]}"')
        if latin is not None:
            ok2 = ok & self._nonempty(list(latin))
            mask = self._draw(column, "script_swap", self.s.script_swap, ok2)
            for i in np.flatnonzero(mask):
                values[i] = latin[int(i)]
                self.log.append((int(keys[int(i)]), column, "script_swap"))
        return values

    def latin_name(self, values: list[str], keys: Keys, column: str, swap: bool = True) -> list[str]:
        """Latin names: another romanisation of one part, or parts swapped."""
        ok = self._nonempty(values)
        self._apply(values, self._draw(column, "translit_variant", self.s.translit_variant, ok), keys, column,
                    "translit_variant", _variant_one_part)
        if swap:
            ok2 = ok & np.fromiter((" " in v for v in values), dtype=bool, count=len(values))
            self._apply(values, self._draw(column, "swapped_name_parts", self.s.swapped_name_parts, ok2), keys,
                        column, "swapped_name_parts", lambda v, p: " ".join(reversed(v.split(" ", 1))))
        return values

    # -- identifiers ----------------------------------------------------------------------------------------
    def ids(self, values: list[str], keys: Keys, column: str, missing: str | None = "missing_id") -> list[str]:
        """IDs: left empty (at the rate of the setting named by ``missing``; never if it is None), one digit
        mistyped, or a Thai ID written with dashes or spaces."""
        ok = self._nonempty(values)
        if missing:
            gone = self._draw(column, missing, getattr(self.s, missing), ok)
            self._apply(values, gone, keys, column, missing, lambda v, p: "")
            ok = ok & ~gone
        self._apply(values, self._draw(column, "mistyped_id", self.s.mistyped_id, ok), keys, column,
                    "mistyped_id", _mistype)
        thai = ok & np.fromiter((len(v) == 13 and v.isdigit() and v[0] != "0" for v in values), bool, len(values))
        self._apply(values, self._draw(column, "id_format", self.s.id_format, thai), keys, column, "id_format",
                    format_thai_id)
        return values

    def phones(self, first: Sequence[str], second: Sequence[str], keys: Keys, column: str,
               known_both: Sequence[bool] | None = None) -> list[str]:
        """Phone cells from a person's numbers: mixed styles, and sometimes both numbers in one cell.

        Where ``known_both`` is true the agency knows both numbers, so both are written (that is not noise);
        elsewhere adding the second number is the ``multi_phone`` noise.
        """
        values = list(first)
        ok = self._nonempty(values)
        styled = self._draw(column, "phone_format", self.s.phone_format, ok)
        self._apply(values, styled, keys, column, "phone_format", lambda v, p: format_phone(v, 1 + p % 3))
        ok2 = ok & self._nonempty(list(second))
        known = np.zeros(len(values), dtype=bool) if known_both is None else np.asarray(known_both, dtype=bool)
        both = self._draw(column, "multi_phone", self.s.multi_phone, ok2 & ~known)
        for i in np.flatnonzero((ok2 & known) | both):
            values[i] = f"{values[i]}{', ' if i % 2 else '/'}{second[int(i)]}"
            if both[i]:
                self.log.append((int(keys[int(i)]), column, "multi_phone"))
        return values

    def accounts(self, values: list[str], keys: Keys, column: str) -> list[str]:
        """Account numbers written ``123-4-56789-0``."""
        ok = np.fromiter((len(v) == 10 for v in values), dtype=bool, count=len(values))
        self._apply(values, self._draw(column, "account_format", self.s.account_format, ok), keys, column,
                    "account_format", lambda v, p: format_account(v))
        return values

    def amounts(self, values: list[str], keys: Keys, column: str) -> list[str]:
        """Amounts of 1,000 or more written with thousands separators."""
        ok = np.fromiter((len(v) > 6 for v in values), dtype=bool, count=len(values))  # >= 1000.00
        self._apply(values, self._draw(column, "amount_format", self.s.amount_format, ok), keys, column,
                    "amount_format", lambda v, p: f"{float(v):,.2f}")
        return values

    def case_nos(self, values: list[str], keys: Keys, column: str) -> list[str]:
        """Cited case numbers with other spacing or prefixes."""
        ok = self._nonempty(values)
        self._apply(values, self._draw(column, "case_no_variant", self.s.case_no_variant, ok), keys, column,
                    "case_no_variant", _case_variant)
        return values

    # -- dates ----------------------------------------------------------------------------------------------
    def dates(self, days: Sequence[int] | np.ndarray, keys: Keys, column: str, style: str) -> list[str]:
        """Dates (day numbers, negative = unknown) in a file's style with BE/CE confusion, swaps and other styles.

        ``style`` is ``be`` (15/08/2561), ``be_month`` (15 สิงหาคม 2561), ``iso`` (CE 2018-08-15).
        """
        d = np.asarray(days, dtype=np.int64)
        known = d > -10**6
        y, m, dd = date_parts(np.where(known, d, 0))
        n = len(d)
        confuse = self._draw(column, "be_ce_confusion", self.s.be_ce_confusion, known)
        swap = self._draw(column, "day_month_swap", self.s.day_month_swap, known & (dd <= 12) & (dd != m))
        other = (self._draw(column, "date_style", self.s.date_style, known) if style != "iso"
                 else np.zeros(n, dtype=bool))
        out = [""] * n
        for i in np.flatnonzero(known):
            yi, mi, di = int(y[i]), int(m[i]), int(dd[i])
            if swap[i]:
                mi, di = di, mi
            if style == "iso":
                yy = yi + 543 if confuse[i] else yi
                out[i] = f"{yy:04d}-{mi:02d}-{di:02d}"
                continue
            yce = yi - 543 if confuse[i] else yi  # a CE year in a BE column: write the CE number
            if other[i]:
                alt = int(self.rng.integers(0, 3))
                out[i] = (f"{yce + 543}-{mi:02d}-{di:02d}", f"{yce + 543}{mi:02d}{di:02d}",
                          thai_month_date(yce, mi, di, short=style != "be_month"))[alt]
            elif style == "be_month":
                out[i] = thai_month_date(yce, mi, di)
            else:
                out[i] = be_date(yce, mi, di)
        for mask, kind in ((confuse, "be_ce_confusion"), (swap, "day_month_swap"), (other, "date_style")):
            self.log.extend((int(keys[int(i)]), column, kind) for i in np.flatnonzero(mask))
        return out


def _case_variant(value: str, pick: int) -> str:
    """The first variant, from the picked one on, that changes the text."""
    for j in range(len(_CASE_VARIANTS)):
        new = _CASE_VARIANTS[(pick + j) % len(_CASE_VARIANTS)](value)
        if new != value:
            return new
    return value


def _swap_thai(value: str, pick: int) -> str:
    if " " not in value:
        return value
    head, tail = value.split(" ", 1)
    for prefix in ("นางสาว", "นาง", "นาย", "ด.ช.", "ด.ญ.", "น.ส.", "ร.ต.อ.", "พ.ต.ต.", "พ.ต.ท.", "พ.ต.อ.", "ร.ต.ท.",
                   "ด.ต.", "จ.ส.ต."):
        if head.startswith(prefix) and len(head) > len(prefix):
            return f"{prefix}{tail} {head[len(prefix):]}"
    return f"{tail} {head}"


def _variant_one_part(value: str, pick: int) -> str:
    parts = value.split(" ")
    j = pick % len(parts)
    parts[j] = latin_variant(parts[j], pick // 7)
    return " ".join(parts)


def _thai_id_valid(value: str) -> bool:
    if len(value) != 13 or not value.isdigit():
        return False
    total = sum(int(c) * (13 - i) for i, c in enumerate(value[:12]))
    return (11 - total % 11) % 10 == int(value[12])


def _mistype(value: str, pick: int) -> str:
    """Change one digit; a Thai national ID is made to fail its check digit."""
    digits = [i for i, c in enumerate(value) if c.isdigit()]
    if not digits:
        return value
    for attempt in range(40):
        p = pick + attempt * 7919
        i = digits[p % len(digits)]
        new = value[:i] + str((int(value[i]) + 1 + (p // 13) % 9) % 10) + value[i + 1:]
        if not _thai_id_valid(new) or not _thai_id_valid(value):
            return new
    return value
