"""Entity resolution benchmark: tipgraph against Splink (DuckDB) on Febrl and the synthetic world, and at scale.

Usage::

    .venv/bin/python benchmarks/er.py febrl                      # Febrl 1-4 with tipgraph, Febrl 4 with Splink too
    .venv/bin/python benchmarks/er.py synth WORLD WORKSPACE      # a synthworld world, ingested into WORKSPACE
    .venv/bin/python benchmarks/er.py scale 1000000              # N generated person records: time and peak memory

Splink gets a standard setup: name, date of birth, ID and place comparisons, u by random sampling, m by EM
on two blocking rules, clusters at match probability 0.95. On the synthetic world it gets the same name
normalisation tipgraph's ingest provides (the romanised ``name_keys``), so the comparison is about matching.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from entity_resolution import blocking_recall, resolve  # noqa: E402
from entity_resolution.febrl import febrl_frame, febrl_truth, load_febrl  # noqa: E402
from synthworld.score_metrics import bcubed, pairwise  # noqa: E402


def _scores(truth: list[str], pred: list[str]) -> dict[str, float]:
    pw, b3 = pairwise(truth, pred), bcubed(truth, pred)
    return {"precision": round(pw["precision"], 4), "recall": round(pw["recall"], 4), "f1": round(pw["f1"], 4),
            "b3_precision": round(b3["precision"], 4), "b3_recall": round(b3["recall"], 4), "b3_f1": round(b3["f1"], 4)}


def run_tipgraph(frame: pd.DataFrame, truth: pd.Series) -> dict[str, Any]:
    """Resolve a person frame; scores against ``truth`` (indexed by record id), time, blocking recall."""
    started = time.perf_counter()
    res = resolve(frame, tempfile.mkdtemp(prefix="er-bench-"))
    seconds = time.perf_counter() - started
    rids = frame["record_id"].astype(str).tolist()
    out = _scores(truth.loc[rids].astype(str).tolist(), [res.entity_of(r) for r in rids])
    labels = truth.reindex(res.features.df["record_id"]).astype(str).to_numpy()
    block = blocking_recall(res.pairs, labels)
    return {**out, "seconds": round(seconds, 1), "candidate_pairs": len(res.pairs),
            "blocking_recall": round(block["recall"], 4)}


def splink_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Splink's input: first name, surname, ISO date of birth, ID, sex, place, phone."""
    def first(col: str) -> pd.Series:
        if col not in frame:
            return pd.Series([None] * len(frame))
        return frame[col].map(lambda v: (v[0] if len(v) else None) if isinstance(v, list | tuple | np.ndarray)
                              else (None if v is None or (isinstance(v, float) and np.isnan(v)) else v))
    names = first("name_keys") if "name_keys" in frame else first("names")
    parts = names.fillna("").astype(str).str.lower().str.split()
    ids = first("thai_id").fillna(first("passport")).fillna(first("pink_card")) if "thai_id" in frame \
        else first("other_id")
    place = first("district") if "district" in frame else first("province")
    dob = first("birth_date").astype(object).where(first("birth_date").astype(str).str.match(r"^\d{4}-\d{2}-\d{2}$"))
    return pd.DataFrame({
        "unique_id": frame["record_id"].astype(str), "first_name": parts.str[0], "surname": parts.str[-1],
        "dob": dob, "id_no": ids, "sex": first("sex"), "place": place,
        "postcode": first("postcode"), "phone": first("phones"),
    }).replace({"": None})


def run_splink(frame: pd.DataFrame, truth: pd.Series) -> dict[str, Any]:
    """Resolve the same records with Splink 4/5 on DuckDB and score them the same way."""
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    data = splink_frame(frame)
    started = time.perf_counter()
    settings = SettingsCreator(
        link_type="dedupe_only",
        blocking_rules_to_generate_predictions=[
            block_on("first_name", "surname"), block_on("surname", "dob"), block_on("first_name", "dob"),
            block_on("id_no"), block_on("phone"), block_on("postcode", "first_name")],
        comparisons=[
            cl.NameComparison("first_name"), cl.NameComparison("surname"),
            cl.DateOfBirthComparison("dob", input_is_string=True), cl.ExactMatch("id_no"),
            cl.ExactMatch("sex"), cl.ExactMatch("place"), cl.ExactMatch("postcode"), cl.ExactMatch("phone")],
        retain_intermediate_calculation_columns=False)
    db = DuckDBAPI()
    linker = Linker(db.register(data), settings, log_level="ERROR")
    linker.training.estimate_probability_two_random_records_match(
        [block_on("first_name", "surname", "dob"), block_on("id_no")], recall=0.7)
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6, seed=1)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("first_name", "surname"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("dob"))
    predictions = linker.inference.predict(threshold_match_probability=0.5)
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(predictions, 0.95).as_pandas_dataframe()
    seconds = time.perf_counter() - started
    cluster_of = dict(zip(clusters["unique_id"].astype(str), clusters["cluster_id"].astype(str), strict=True))
    rids = data["unique_id"].tolist()
    out = _scores(truth.loc[rids].astype(str).tolist(), [cluster_of.get(r, "single:" + r) for r in rids])
    return {**out, "seconds": round(seconds, 1)}


def bench_febrl(splink: bool = True) -> dict[str, Any]:
    """Febrl 1-4 with tipgraph; Febrl 4 with Splink as well."""
    out: dict[str, Any] = {}
    for k in (1, 2, 3, 4):
        raw = load_febrl(k)
        frame, truth = febrl_frame(raw), febrl_truth(raw)
        truth.index = truth.index.astype(str)
        out[f"febrl{k}"] = {"tipgraph": run_tipgraph(frame, truth)}
        if splink and k == 4:
            out[f"febrl{k}"]["splink"] = run_splink(frame, truth)
    return out


def synth_truth(world: Path, frame: pd.DataFrame) -> pd.Series:
    """The true person of each record of an ingested synthetic world (matched on agency/file/row/part)."""
    truth = pd.read_csv(world / "truth" / "records.csv", dtype=str).fillna("")

    def key(df: pd.DataFrame, file_col: str) -> pd.Series:
        ex = df["exchange_id"].fillna("").astype(str)
        row = df["row"].astype(str).str.replace(r"\.0$", "", regex=True).replace({"<NA>": "", "nan": ""})
        base = "F|" + df["agency"].astype(str).str.upper() + "|" + df[file_col].astype(str) + "|" + row
        return ex.where(ex != "", base) + "|" + df["part"].astype(str)

    true_of = dict(zip(key(truth, "file"), truth["entity_id"], strict=True))
    labels = key(frame, "source_file").map(true_of)
    return pd.Series(labels.fillna("unknown:" + frame["record_id"].astype(str)).to_numpy(),
                     index=frame["record_id"].astype(str).to_numpy())


def false_merges(res: Any, frame: pd.DataFrame, truth: pd.Series, limit: int = 20) -> list[list[str]]:
    """The predicted persons that hold records of several true persons, as ``agency:part name (truth)``."""
    persons = res.features.df
    rids = persons["record_id"].astype(str)
    meta = frame.set_index(frame["record_id"].astype(str)).loc[rids]
    label = (meta["agency"].astype(str) + ":" + meta["part"].astype(str).str.replace(r":\d+", "", regex=True)
             + " " + persons["name1"].to_numpy() + " (" + truth.loc[rids].astype(str).to_numpy() + ")")
    table = pd.DataFrame({"entity": [res.entity_of(r) for r in rids], "truth": truth.loc[rids].to_numpy(),
                          "label": label.to_numpy()})
    mixed = table.groupby("entity")["truth"].nunique()
    mixed = mixed[mixed > 1].index
    return [table.loc[table["entity"] == e, "label"].tolist() for e in mixed[:limit]]


def _cpu_with_workers() -> float:
    """CPU seconds of this process and of the worker processes it forked that have ended
    (:mod:`entity_resolution.parallel` splits the pairs over the cores)."""
    import resource

    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def bench_synth(world: Path, workspace: Path, splink: bool = True) -> dict[str, Any]:
    """tipgraph and Splink on the person records of an ingested synthetic world.

    The records are read as the pipeline reads them (:func:`frame_from_store`: props and links, so context
    such as the PromptPay IDs of a holder's accounts is there); only person records are scored. The result
    lists the false merges (predicted persons holding records of several true persons).

    ``--no-splink`` on 2026-11-27 at load 5-8, a68cc4f (rank and province) against the commit before it:
    pairwise P / R seed 1 1.0 / 0.9556 (was 0.9424), seed 2 1.0 / 0.9549 (0.9404), seed 3 1.0 / 0.9526
    (0.9353), seed 5 1.0 / 0.9518 (0.9402), seed 1 high noise 1.0 / 0.9113 (0.8943), 20,000 persons seed 4
    0.9985 / 0.9464 (0.9340; the same 5 false merges); seeds 6 and 7, made afterwards and never looked at while
    developing it, 1.0 / 0.9570 (0.9451) and 0.9992 / 0.9561 (0.9444; the same one false merge); B-cubed recall 0.9762, 0.9770, 0.9752, 0.9757, 0.9512,
    0.9745 at precision 1.0 (0.9997 at 20k); resolve 6.0-6.6 CPU s per 5,000-person world (~9,200 person records; was 5.5-5.9),
    10.4 at 20,000 persons (9.5). What is still missed is name-only (see the README's entity resolution quality section).

    2026-11-27, 4a6b614 (namesakes: one passport and one pink card per cluster, partial dates of a name of
    several people and document numbers one slip apart between different dates add nothing) against its
    parent at load 5-7: 100,000 persons seed 1 (``/tmp/tipgraph-final/s1-n100000``, 182,364 person records)
    pairwise P / R 1.0 / 0.9364 (0.9949 / 0.9365; 20 false merges -> 2), B-cubed 1.0 / 0.9705 (0.9988 /
    0.9705), resolve 28.2 and 30.6 CPU s (29.9), 1.5 GB peak; 20,000 persons 0.9998 / 0.9464 (0.9985 /
    0.9464), seed 7 1.0 / 0.9561 (0.9992 / 0.9561); seeds 1, 2, 3, 5, 6 and high noise unchanged, at 6.2-7.1
    CPU s each (10.9 at 20,000 persons).

    2026-11-27 14:05, with Splink, quiet machine, after bc1899e/0d4c636/4e134e1 (same output, faster):
    synthworld's default world (seed 42, 10,000 persons, 18,262 person records) tipgraph P / R 0.9999 /
    0.9481, F1 0.9733 in 3.3 s (7.5 s before, at load 3); Splink F1 0.9189 in 2.4 s. 100,000 persons seed 1
    (13:25, before the changes, load 1.6-2.7): tipgraph F1 0.9691 in 18.3 s (resolve() alone 19.5 -> 14.4 s
    after), Splink 0.7804 in 6.4 s.

    2026-11-27 17:36, HEAD 28f3ab6 (helper H1's speed changes, same output), worlds regenerated after a7d9f83
    (AMLO holder IDs missing at 1%), load 2.1-3.0: default world tipgraph P / R 0.9999 / 0.9829, F1 0.9913 in
    2.5 s (4.0 CPU s), Splink F1 0.9210 in 2.6 s; 100,000 persons seed 1 (182,407 person records) tipgraph
    1.0 / 0.9801, F1 0.9899 in 11.2 s (18.4 CPU s), Splink 0.7823 in 6.1 s.

    2026-11-27 19:35-19:37, HEAD 8d6c63d (session 8: the random pairs and the organisations beside blocking,
    helpers HF's features and HP's comparators; the same output), quiet, load 1.2-1.7: default world tipgraph
    F1 0.9913 in 1.3, 1.3, 1.2 s (2.2-2.3 CPU s), Splink 0.9210 in 2.6, 2.6, 2.5 s; 100,000 persons tipgraph
    0.9899 in 7.1, 7.0 s (13.3-13.4 CPU s), Splink 0.7823 in 6.0, 6.6 s. 20:01-20:03, HEAD 641d46c (the person
    columns in record-id order in memory, records.parquet's types from the values), load 1.0-1.4: default world
    1.2, 1.2, 1.3 s (2.2-2.3 CPU s) against Splink's 2.6 s; 100,000 persons 6.5, 6.5 s (12.1 CPU s) against
    6.0, 6.0 s.
    """
    import os

    from entity_resolution.frame import frame_from_store
    from ingest.store import RecordStore

    with RecordStore(workspace) as store:
        frame = frame_from_store(store)
        # Splink gets the romanised name keys ingest stored with each person (props only, no links)
        splink_persons = store.person_frame() if splink else None
    if not (frame["entity_type"] == "Person").any():
        raise SystemExit(f"{workspace}: no person records; ingest the world first: "
                         f"tipgraph ingest {Path(world) / 'exports'} -w {workspace}")
    truth = synth_truth(world, frame)
    started, cpu = time.perf_counter(), _cpu_with_workers()
    res = resolve(frame, tempfile.mkdtemp(prefix="er-bench-"))
    seconds, cpu = time.perf_counter() - started, _cpu_with_workers() - cpu
    rids = res.features.df["record_id"].astype(str).tolist()
    tip = _scores(truth.loc[rids].astype(str).tolist(), [res.entity_of(r) for r in rids])
    block = blocking_recall(res.pairs, truth.loc[rids].astype(str).to_numpy())
    out: dict[str, Any] = {"records": len(rids), "tipgraph": {
        **tip, "seconds": round(seconds, 1), "cpu_seconds": round(cpu, 1),
        "load_average": [round(x, 1) for x in os.getloadavg()], "candidate_pairs": len(res.pairs),
        "blocking_recall": round(block["recall"], 4)}, "false_merges": false_merges(res, frame, truth)}
    if splink_persons is not None:
        out["splink"] = run_splink(splink_persons, synth_truth(world, splink_persons))
    return out


def _thai_ids(rng: np.random.Generator, size: int) -> np.ndarray:
    digits = rng.integers(0, 10, (size, 13))
    digits[:, 0] = rng.integers(1, 9, size)
    digits[:, 12] = (11 - (digits[:, :12] * np.arange(13, 1, -1)).sum(axis=1) % 11) % 10
    return np.array(["".join(map(str, row)) for row in digits], dtype=object)


def generate(n: int, seed: int = 1) -> tuple[pd.DataFrame, pd.Series]:
    """``n`` person records of about ``n / 2.5`` people: Thai or Latin script names with romanisation
    variants, dates with day-month swaps and BE years, IDs with typos, phones, districts, shared cases."""
    from synthworld.names import latin_variant, thai_names

    rng = np.random.default_rng(seed)
    tables = thai_names()
    persons = max(2, int(n / 2.5))
    female = rng.random(persons) < 0.5
    given_th = np.where(female, tables["female"].th[rng.integers(0, len(tables["female"].th), persons)],
                        tables["male"].th[rng.integers(0, len(tables["male"].th), persons)])
    given_en = np.where(female, tables["female"].en[rng.integers(0, len(tables["female"].en), persons)],
                        tables["male"].en[rng.integers(0, len(tables["male"].en), persons)])
    fam = rng.integers(0, len(tables["family"].th), persons)
    days = rng.integers(0, 60 * 365, persons)
    dob = (np.datetime64("1950-01-01") + days.astype("timedelta64[D]")).astype(str)
    ids = _thai_ids(rng, persons)
    phone = np.char.add("+668", rng.integers(10_000_000, 99_999_999, persons).astype(str))
    district = rng.integers(1000, 1900, persons).astype(str)
    case = np.where(rng.random(persons) < 0.2, rng.integers(0, persons // 5 + 1, persons), -1)
    per = np.minimum(1 + rng.geometric(0.6, persons), 6)
    who = np.repeat(np.arange(persons), per)[:n]
    m = len(who)
    r = rng.random((m, 8))
    script = np.where(r[:, 0] < 0.5, "th", np.where(r[:, 0] < 0.85, "en", "both"))
    th_name = given_th[who] + " " + tables["family"].th[fam[who]]
    en_name = np.array([latin_variant(g, k) if v < 0.3 else g for g, k, v in
                        zip(given_en[who], rng.integers(0, 5, m), r[:, 1], strict=True)], dtype=object) \
        + " " + tables["family"].en[fam[who]]
    names = [[a] if s == "th" else [b] if s == "en" else [a, b] for a, b, s in zip(th_name, en_name, script, strict=True)]
    d = dob[who].astype(object)
    swap = r[:, 2] < 0.02
    d[swap] = [f"{x[:4]}-{x[8:10]}-{x[5:7]}" if int(x[8:10]) <= 12 else x for x in d[swap]]
    era = r[:, 2] > 0.99
    d[era] = [f"{int(x[:4]) + 543}{x[4:]}" for x in d[era]]
    d[r[:, 3] > 0.6] = None
    tid = ids[who].copy()
    typo = r[:, 4] < 0.02
    tid[typo] = [x[:5] + str((int(x[5]) + 1) % 10) + x[6:] for x in tid[typo]]
    tid[r[:, 4] > 0.55] = None
    frame = pd.DataFrame({
        "record_id": [f"r{k:08d}" for k in range(m)], "names": names, "birth_date": d, "thai_id": tid,
        "sex": np.where(r[:, 5] < 0.8, np.where(female[who], "F", "M"), ""),
        "phones": [[p] if v < 0.3 else [] for p, v in zip(phone[who], r[:, 6], strict=True)],
        "district": np.where(r[:, 7] < 0.5, district[who], ""),
        "case_keys": [[f"RTP:{c}"] if c >= 0 and v < 0.5 else [] for c, v in zip(case[who], r[:, 7], strict=True)],
    })
    return frame, pd.Series(who.astype(str), index=frame["record_id"].to_numpy())


def bench_scale(n: int, seed: int = 1) -> dict[str, Any]:
    """Resolve ``n`` generated person records; wall time and the peak memory of this process.

    ``scale 1000000`` (943,033 candidate pairs; P 1.0, R 0.6799), shared 2-core machine under
    ``/usr/bin/time -v``: before 09c40bb/a705129 resolve 92.5 CPU s, 535 s wall at load 12-13, whole
    process 102.4 CPU s and 3.06 GiB peak; after, the same scores and pairs, resolve 75.9 CPU s (539 s wall
    at load 11-14: waiting for a CPU), whole process 86.3 CPU s and 2.90 GiB peak (session 1: 354.6 s,
    3.87 GB). Within 10 minutes and 8 GB on two free cores; over 10 minutes of wall time at load 12.
    2026-11-27, a68cc4f (two more comparisons, title and province) back to back with the commit before it at
    load 6-8: the same pairs and scores, resolve 71.9 CPU s (was 69.7; 150 s wall), whole process 82.3 CPU s
    (79.9) and 2.97 GiB peak (2.92). Quiet machine (nothing else running, load 1.3-1.9), HEAD 1d481e2:
    resolve 59.2 s wall / 66.2 CPU s, whole process 75.7 s wall, 2.98 GiB peak (issue 8: 10 min, 8 GB).
    2026-11-27 19:37, HEAD 8d6c63d, quiet (load 1.6): the same pairs and scores, resolve 21.8 s wall / 42.6 CPU s,
    whole process 37.4 s wall, 2.82 GiB peak (session 7: 32.1 s, 2.94 GiB); 20:03, HEAD 641d46c, load 1.4:
    resolve 20.6 s / 40.2 CPU s, whole process 35.7 s, 2.85 GiB.
    """
    started = time.perf_counter()
    frame, truth = generate(n, seed)
    generated = time.perf_counter() - started
    before = _cpu_with_workers()
    result = run_tipgraph(frame, truth)
    cpu = _cpu_with_workers() - before  # the forked workers' CPU too
    after = resource.getrusage(resource.RUSAGE_SELF)
    peak_gb = after.ru_maxrss / 1024 / 1024  # of this process (a worker's own pages are not in it)
    # wall time on a shared machine includes waiting for the CPU; the CPU seconds do not
    return {"records": n, "generate_seconds": round(generated, 1), **result, "cpu_seconds": round(cpu, 1),
            "load_average": list(np.round(np.array(__import__("os").getloadavg()), 1)),
            "peak_memory_gb": round(peak_gb, 2)}


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, run one benchmark, print JSON."""
    parser = argparse.ArgumentParser(prog="benchmarks/er.py")
    sub = parser.add_subparsers(dest="what", required=True)
    f = sub.add_parser("febrl")
    f.add_argument("--no-splink", action="store_true")
    s = sub.add_parser("synth")
    s.add_argument("world", type=Path)
    s.add_argument("workspace", type=Path)
    s.add_argument("--no-splink", action="store_true")
    c = sub.add_parser("scale")
    c.add_argument("n", type=int, nargs="?", default=1_000_000)
    c.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    if args.what == "febrl":
        result = bench_febrl(not args.no_splink)
    elif args.what == "synth":
        result = bench_synth(args.world, args.workspace, not args.no_splink)
    else:
        result = bench_scale(args.n, args.seed)
    print(json.dumps(result, indent=1, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
