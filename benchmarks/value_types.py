"""Parses per second of each value type on realistic, mostly distinct inputs.

Run: ``.venv/bin/python benchmarks/value_types.py [N]`` (default N = 20,000 values per type). Every input is
generated (seeded) to look like the agencies' cells; the parser's own cache is cleared before each run,
so the figure is for values never seen before ("cold"), while shared caches of tokens (name parts, place
names) fill as they would during an ingest. A second figure repeats the same inputs ("warm": the cache
hit path, which is what repeated phones, names and case numbers across agencies take). Rates are per CPU
second of this process (steady on a shared machine) and, for cold runs, per wall-clock second.
"""

from __future__ import annotations

import random
import sys
import time
from collections.abc import Callable
from typing import Any

import geothai
from pythainlp.corpus import thai_family_names, thai_female_names, thai_male_names
from stdnum.th import pin

from ingest.types import TYPES

_MONTHS = ("ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.", "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.")


def _thai_id(rng: random.Random) -> str:
    body = str(rng.randint(1, 8)) + "".join(rng.choice("0123456789") for _ in range(11))
    number = body + pin.calc_check_digit(body)
    if rng.random() < 0.3:
        return f"{number[0]}-{number[1:5]}-{number[5:10]}-{number[10:12]}-{number[12]}"
    return number


def _date_be(rng: random.Random) -> str:
    y, m, d = rng.randint(2500, 2566), rng.randint(1, 12), rng.randint(1, 28)
    style = rng.random()
    if style < 0.5:
        return f"{d:02d}/{m:02d}/{y}"
    if style < 0.7:
        return f"{y}{m:02d}{d:02d}"
    return f"{d} {_MONTHS[m - 1]} {y}"


def _phones(rng: random.Random) -> str:
    def one() -> str:
        n = f"0{rng.choice('689')}{rng.randint(0, 99_999_999):08d}"
        return rng.choice((n, f"{n[:3]}-{n[3:6]}-{n[6:]}", f"+66 {n[1:3]} {n[3:6]} {n[6:]}"))
    return ", ".join(one() for _ in range(rng.choice((1, 1, 1, 2))))


def inputs(rng: random.Random, n: int) -> dict[str, list[str]]:
    given = sorted(set(thai_male_names()) | set(thai_female_names()))
    family = sorted(thai_family_names())
    subs = [geothai.address(s.code) for p in geothai.provinces() for d in geothai.districts(p.code)
            for s in geothai.subdistricts(d.code)]
    prefixes = ("นาย", "นาง", "นางสาว", "น.ส.", "ร.ต.อ.", "ด.ช.", "")
    stations = ("แม่สอด", "แม่ระมาด", "อรัญประเทศ", "มหาชัย", "เมืองระนอง", "สะเดา")
    out: dict[str, list[str]] = {k: [] for k in ("thai_id", "date_be", "date_ce", "datetime", "person_name",
                                                 "org_name", "phone_list", "bank_account", "amount",
                                                 "address", "case_number", "nationality", "sex")}
    for _ in range(n):
        out["thai_id"].append(_thai_id(rng))
        out["date_be"].append(_date_be(rng))
        out["date_ce"].append(f"{rng.randint(1960, 2023)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}")
        out["datetime"].append(f"2018-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}T"
                               f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}+07:00")
        alias = f" ({rng.choice(given)})" if rng.random() < 0.1 else ""
        out["person_name"].append(f"{rng.choice(prefixes)}{rng.choice(given)} {rng.choice(family)}{alias}")
        out["org_name"].append(rng.choice(("บริษัท {} จำกัด", "หจก. {}", "{} Co., Ltd.")).format(rng.choice(family)))
        out["phone_list"].append(_phones(rng))
        digits = f"{rng.randint(0, 9_999_999_999):010d}"
        out["bank_account"].append(rng.choice(("KBANK ", "004-", "SCB ", "")) + f"{digits[:3]}-{digits[3]}-"
                                   f"{digits[4:9]}-{digits[9]}")
        out["amount"].append(f"{rng.randint(1, 2_000_000):,}.{rng.randint(0, 99):02d}")
        a = rng.choice(subs)
        assert a is not None
        out["address"].append(f"{rng.randint(1, 999)}/{rng.randint(1, 99)} หมู่ {rng.randint(1, 15)} "
                              f"ต.{a.subdistrict.name_th} อ.{a.district.name_th} จ.{a.province.name_th} "
                              f"{a.subdistrict.postal_codes[0]}")
        out["case_number"].append(rng.choice(("สภ.{} {}/{}", "{1}/{2} สภ.{0}", "คดีพิเศษที่ {1}/{2}")).format(
            rng.choice(stations), rng.randint(1, 999), rng.randint(2555, 2566)))
        out["nationality"].append(rng.choice(("ไทย", "เมียนมา", "พม่า", "กัมพูชา", "ลาว", "MMR", "KHM")))
        out["sex"].append(rng.choice(("ชาย", "หญิง", "M", "F", "1", "2")))
    return out


def rate(parse: Callable[[str], Any], values: list[str]) -> tuple[float, float]:
    """Parses per CPU second of this process and per wall-clock second (lower on a shared machine)."""
    cpu, wall = time.process_time(), time.perf_counter()
    for v in values:
        parse(v)
    return len(values) / (time.process_time() - cpu), len(values) / (time.perf_counter() - wall)


def main(n: int = 20_000) -> None:
    data = inputs(random.Random(0), n)
    print(f"{'type':<14}{'cold /cpu-s':>13}{'cold /wall-s':>14}{'warm /cpu-s':>13}   ({n:,} values each)")
    for name, values in data.items():
        parse = TYPES[name]
        clear = getattr(parse, "cache_clear", None)
        if clear is not None:
            clear()
        cold_cpu, cold_wall = rate(parse, values)
        warm_cpu, _ = rate(parse, values)
        print(f"{name:<14}{cold_cpu:>13,.0f}{cold_wall:>14,.0f}{warm_cpu:>13,.0f}")
    # New names made of name parts already seen: the steady state of an ingest, where given and family
    # names recur across people while the full names are new.
    again = inputs(random.Random(1), n)["person_name"]
    parse = TYPES["person_name"]
    parse.cache_clear()  # type: ignore[attr-defined]
    cold_cpu, cold_wall = rate(parse, again)
    print(f"{'person_name*':<14}{cold_cpu:>13,.0f}{cold_wall:>14,.0f}{'':>13}   * new names, parts seen before")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20_000)
