"""Comparison levels, match weights and whole resolutions are the same whether the pairs are split over
forked processes or not; a failing worker process fails the call."""

from __future__ import annotations

import os
from functools import partial
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from entity_resolution import Settings, parallel, resolve
from entity_resolution.blocking import candidate_pairs
from entity_resolution.febrl import febrl_frame, load_febrl
from entity_resolution.frame import Features
from entity_resolution.model import estimate
from entity_resolution.resolution import compare
from entity_resolution.scoring import score

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="splits work by fork")


@pytest.fixture(scope="module")
def febrl() -> tuple[Features, object, Settings]:
    settings = Settings()
    features = Features.build(febrl_frame(load_febrl(1)))
    pairs, _ = candidate_pairs(features, settings.rules(), settings.max_block_size)
    return features, pairs, settings


def _split(monkeypatch: pytest.MonkeyPatch, workers: int) -> None:
    from entity_resolution import frame, resolution

    monkeypatch.setenv("TIPGRAPH_ER_WORKERS", str(workers))
    monkeypatch.setattr(parallel, "MIN_ROWS", 50)  # febrl's few thousand pairs split like millions
    monkeypatch.setattr(frame, "SPLIT_COLUMNS", 50)  # the matching columns built in two halves
    monkeypatch.setattr(resolution, "FORK_WRITE_RECORDS", 50)  # records.parquet written by a child


def test_levels_and_weights_equal_when_split(febrl: tuple[Features, object, Settings],
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    features, pairs, settings = febrl
    _split(monkeypatch, 1)
    levels = compare(features, pairs, settings.comparisons, chunk=40)  # type: ignore[arg-type]
    trained = estimate(settings, levels, None, len(features))
    weights, parts = score(features, pairs, levels, trained, chunk=40)  # type: ignore[arg-type]
    _split(monkeypatch, 3)
    split_levels = compare(features, pairs, settings.comparisons, chunk=40)  # type: ignore[arg-type]
    split_weights, split_parts = score(features, pairs, levels, trained, chunk=40)  # type: ignore[arg-type]
    third = len(levels) // 3
    assert third > 100 and (levels[-third:] > 0).any()  # the last worker's rows hold levels
    np.testing.assert_array_equal(split_levels, levels)
    np.testing.assert_array_equal(split_weights, weights)
    np.testing.assert_array_equal(split_parts, parts)


def test_resolution_equal_when_split(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    frame = febrl_frame(load_febrl(1))
    _split(monkeypatch, 1)
    one = resolve(frame, tmp_path / "one")
    _split(monkeypatch, 2)
    two = resolve(frame, tmp_path / "two")
    assert one.mapping == two.mapping
    assert one.settings.to_json() == two.settings.to_json()
    for name in ("mapping", "pairs", "records"):
        pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "one" / f"{name}.parquet"),
                                      pd.read_parquet(tmp_path / "two" / f"{name}.parquet"))


def test_failing_worker_fails_the_call() -> None:
    out = parallel.shared_array((100,), np.int64)

    def work(start: int, stop: int) -> None:
        if start > 0:
            raise ValueError(f"rows {start}-{stop} refused")
        out[start:stop] = 1

    with pytest.raises(ValueError, match=r"rows 50-100 refused") as raised:
        parallel.split_rows(work, 0, 100, workers=2, min_rows=1)
    assert "raised in a worker process" in "".join(raised.value.__notes__)


def test_forked_result_and_failure() -> None:
    with parallel.Forked(lambda: {"rows": list(range(5))}) as child:
        assert child.result() == {"rows": [0, 1, 2, 3, 4]}
    with parallel.Forked(lambda: int("x")) as child, pytest.raises(ValueError, match="invalid literal"):
        child.result()


def test_workers_setting_is_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TIPGRAPH_ER_WORKERS", "two")
    with pytest.raises(ValueError, match="TIPGRAPH_ER_WORKERS"):
        parallel.workers()


def test_blocking_equal_when_rules_split(febrl: tuple[Features, object, Settings],
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    from entity_resolution import blocking

    features, _, settings = febrl
    monkeypatch.setattr(blocking, "FORK_RECORDS", 1)
    monkeypatch.setenv("TIPGRAPH_ER_WORKERS", "1")
    one, report_one = candidate_pairs(features, settings.rules(), settings.max_block_size)
    monkeypatch.setenv("TIPGRAPH_ER_WORKERS", "2")
    two, report_two = candidate_pairs(features, settings.rules(), settings.max_block_size)
    assert len(one) > 400 and report_two == report_one
    for a, b in ((one.i, two.i), (one.j, two.j), (one.rules, two.rules)):
        np.testing.assert_array_equal(a, b)


def test_names_parsed_alike_when_words_romanised_in_two_processes(monkeypatch: pytest.MonkeyPatch) -> None:
    from entity_resolution import names

    raws = ["นายสมชาย ใจดี", "นางสาวมาลี ใจดี (น้องแพร)", "พ.ต.ท.ประยุทธ ศรีสุข", "หม่องอ่อง จ่อ", "Somchai Jaidee",
            "Mr. Somchai Jai-dee", "MAUNG AUNG KYAW", "สมศรี มีสุข", "ณัฐพล วงศ์ใหญ่", "กิตติ ศรีสุข"]
    expected = [names.parse_name(r) for r in raws]
    monkeypatch.setattr(names, "PARALLEL_NAMES", 1)
    monkeypatch.setenv("TIPGRAPH_ER_WORKERS", "2")
    names.parse_name.cache_clear()
    names._thai_word_key.cache_clear()
    assert names.parse_names(raws) == expected
    assert names._WORD_KEYS == {}  # the words worked out ahead do not stay


def _person_rows(n: int) -> pd.DataFrame:
    """``n`` person rows with every kind of column: Thai and Latin names with titles and aliases, dates,
    IDs and documents, list columns (phones, accounts, cases, locations) and scalars."""
    given = ["สมชาย", "มาลี", "Somchai", "ประยุทธ", "Aung", "กิตติ", "ณัฐพล"]
    family = ["ใจดี", "ศรีสุข", "Jaidee", "วงศ์ใหญ่", "Kyaw", ""]
    titles = ["นาย", "นางสาว", "พ.ต.ท.", "Mr. ", "", "หม่อง"]
    rows = []
    for k in range(n):
        name = f"{titles[k % 6]}{given[k % 7]} {family[k % 5]}".strip()
        rows.append({
            "record_id": f"r{k:04d}", "names": [name] if k % 4 else [name, "Somchai Jaidee"],
            "aliases": ["เสี่ยหนุ่ย"] if k % 9 == 0 else [], "birth_date": f"19{60 + k % 30}-0{1 + k % 9}-1{k % 10}",
            "sex": "MF"[k % 2], "nationality": ["THA", "MMR", ""][k % 3],
            "thai_id": f"{1100700123400 + k % 50}" if k % 3 else "",
            "documents": [f"passport:MB{100000 + k % 40}"] if k % 5 == 0 else [],
            "phones": [f"+6681{k % 30:07d}"] if k % 2 else [], "accounts": [f"004-{k % 25:010d}"] if k % 7 else [],
            "case_keys": [f"RTP:สภ.แม่สอด:{k % 11}/2561"] if k % 3 == 0 else [],
            "location_keys": [f"TH:6305:{k % 4}"] if k % 4 == 1 else [], "address": "99/9 หมู่ 3" if k % 6 else "",
            "district": str(6300 + k % 9), "postcode": "", "province": "จ.ตาก" if k % 8 == 0 else "",
            "agency": "RTP", "source_file": "rtp_case_persons.csv", "row": k + 1, "part": "person",
            "entity_type": "Person"})
    return pd.DataFrame(rows)


def test_columns_equal_when_built_in_parts(monkeypatch: pytest.MonkeyPatch) -> None:
    from entity_resolution import frame

    rows = _person_rows(301)
    monkeypatch.setenv("TIPGRAPH_ER_WORKERS", "1")
    one = Features.build(rows)
    monkeypatch.setenv("TIPGRAPH_ER_WORKERS", "2")
    monkeypatch.setattr(frame, "SPLIT_COLUMNS", 100)
    calls: list[int] = []
    real = frame.build_columns
    monkeypatch.setattr(frame, "build_columns", lambda f: calls.append(len(f)) or real(f))
    two = Features.build(rows)
    # the parts of 301 rows: 90, 90, 45, 45, 15, 16; the parent built some here, the child the others
    assert 0 < sum(calls) < 301 and set(calls) <= {90, 45, 15, 16}
    pd.testing.assert_frame_equal(two.df, one.df)
    assert one.lists.keys() == two.lists.keys()
    for key in one.lists:  # each record's values, in the same order
        (i1, v1), (i2, v2) = one.lists[key], two.lists[key]
        o1, o2 = np.argsort(i1, kind="stable"), np.argsort(i2, kind="stable")
        np.testing.assert_array_equal(i1[o1], i2[o2], err_msg=key)
        np.testing.assert_array_equal(v1[o1], v2[o2], err_msg=key)
    assert len(one.lists["phones"][0]) > 100 and len(one.lists["case_keys"][0]) > 100


def test_one_process_stops_nested_forks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TIPGRAPH_ER_WORKERS", "2")
    assert parallel.workers() == 2
    with parallel.one_process():
        assert parallel.workers() == 1
        with parallel.Forked(parallel.workers) as child:
            assert child.result() == 1  # a forked part keeps it
    assert parallel.workers() == 2


def test_failed_records_writer_fails_the_resolution(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from entity_resolution import resolution

    _split(monkeypatch, 2)

    def refuse(frame: pd.DataFrame, out_dir: Path) -> None:
        raise OSError(f"no space left on the device writing {out_dir}/records.parquet")

    monkeypatch.setattr(resolution, "save_records", refuse)
    with pytest.raises(OSError, match="no space left") as raised:
        resolve(febrl_frame(load_febrl(1)), tmp_path / "out")
    assert "raised in a worker process" in "".join(raised.value.__notes__)


def test_tasks_are_each_run_once_by_one_of_two_processes() -> None:
    runs, pids = parallel.shared_array((40,), np.int64), parallel.shared_array((40,), np.int64)

    def task(k: int) -> int:
        runs[k] += 1
        pids[k] = os.getpid()
        return k * k

    with parallel.Tasks([partial(task, k) for k in range(40)]) as tasks:
        values = tasks.results()
    assert values == [k * k for k in range(40)]
    assert runs.tolist() == [1] * 40
    assert len(set(pids.tolist())) <= 2  # this process and its one child


def test_tasks_raise_the_error_of_either_process(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse() -> None:
        raise ValueError("task refused")

    # the first task goes to the child at once, the rest to whichever process reads them
    with parallel.Tasks([refuse] + [lambda: None] * 3) as tasks, pytest.raises(ValueError, match="task refused"):
        tasks.results()
    monkeypatch.setenv("TIPGRAPH_ER_WORKERS", "1")  # no child: this process runs every task
    with parallel.Tasks([lambda: os.getpid(), refuse]) as tasks, pytest.raises(ValueError, match="task refused"):
        tasks.results()
    with parallel.Tasks([lambda: os.getpid()]) as tasks:
        assert tasks.results() == [os.getpid()]
