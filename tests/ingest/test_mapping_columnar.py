"""Column-wise mapping of a chunk gives exactly the records and quarantined rows of row-by-row mapping."""

from __future__ import annotations

import itertools
from dataclasses import asdict
from pathlib import Path
from typing import Any

import pytest

from ingest.mapping import Mapping, RowError, apply_row, load_mappings, row_keys
from ingest.mapping.columnar import Item, map_chunk, supports
from ingest.pipeline import _files, select_mapping
from ingest.readers import read_rows

synthworld_cli = pytest.importorskip("synthworld.cli")

#: Values that spoil a cell in different ways: empty, unreadable as a date, an amount, an id, a time.
SPOILERS = ("", "??", "lots", "12/34/5678", "not a time", "1-2-3", "   ")
BIG_EXPORTS = {"dopa_population", "amlo_transactions", "amlo_accounts", "rtp_immigration"}


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("columnar") / "world"
    synthworld_cli.synth(seed=5, persons=600, out=out, noise="high")
    return out / "exports"


def _items(path: Path, mapping: Mapping) -> list[Item]:
    """The file's rows as the pipeline hands them over, every 3rd row with one or two cells spoilt (each
    column and spoiler in turn), plus a row with an extra cell and one without its key."""
    rows = [row for _, row in read_rows(path, mapping.format, mapping.encoding, mapping.sheet, mapping.delimiter)]
    columns = itertools.cycle(sorted({c for row in rows for c in row if not c.startswith("__")}))
    spoilers = itertools.cycle(SPOILERS)
    for i in range(0, len(rows), 3):
        rows[i] = {**rows[i], next(columns): next(spoilers)}
        if i % 5 == 0:  # and some rows with two spoilt cells: the first failing one is named
            rows[i][next(columns)] = next(spoilers)
    if rows:
        rows.append({**rows[0], "__extra__": ["x"]})
        rows.append({**rows[-2], **dict.fromkeys(mapping.keys, "")})
    items: list[Item] = []
    seen: dict[tuple[str, ...], int] = {}
    for n, row in enumerate(rows, start=1):
        try:
            keys = tuple(row_keys(mapping, row))
        except RowError as exc:
            items.append((n, row, (), (exc.field, exc.reason)))
            continue
        occurrence = seen[keys] = seen.get(keys, 0) + 1
        items.append((n, row, (f"#{occurrence}",) if occurrence > 1 else (), None))
    return items


def _row_by_row(mapping: Mapping, items: list[Item], name: str) -> tuple[list[dict[str, Any]], list[tuple[Any, ...]]]:
    records, bad = [], []
    for n, row, extra, error in items:
        if error is not None:
            bad.append((n, error[0], error[1]))
            continue
        try:
            records.extend(asdict(r) for r in apply_row(mapping, row, source_file=name, row_no=n, extra_keys=extra))
        except RowError as exc:
            bad.append((n, exc.field, exc.reason))
    return records, bad


def test_every_fast_path_export_maps_as_row_by_row(world: Path) -> None:
    mappings = load_mappings()
    fast = set()
    quarantined = flagged = 0
    for path in _files(world):
        mapping = select_mapping(path, mappings)
        if mapping.kind != "file" or not supports(mapping):
            continue
        fast.add(mapping.name)
        items = _items(path, mapping)
        want_records, want_bad = _row_by_row(mapping, items, path.name)
        got_records: list[dict[str, Any]] = []
        got_bad: list[tuple[Any, ...]] = []
        loaded = 0
        # every other chunk with its row keys read beforehand, as the pipeline hands them over
        keys_read = [tuple(row_keys(mapping, row)) if error is None else () for _, row, _, error in items]
        for start in range(0, len(items), 37):  # chunks cut anywhere give the same
            given = keys_read[start:start + 37] if start % 74 else None
            records, bad, n_loaded = map_chunk(mapping, items[start:start + 37], source_file=path.name,
                                               row_keys_read=given)
            got_records.extend(asdict(r) for r in records)
            got_bad.extend((n, field, reason) for n, field, reason, _ in bad)
            loaded += n_loaded
        assert got_bad == want_bad, path.name
        assert got_records == want_records, path.name
        assert loaded + len(got_bad) == len(items)
        quarantined += len(want_bad)
        flagged += sum(bool(r["flags"]) for r in want_records)
    assert fast >= BIG_EXPORTS
    assert quarantined > 50 and flagged > 50  # the comparison covered bad rows and flagged values


def test_a_quarantined_row_names_its_first_failing_field() -> None:
    mapping = load_mappings()["amlo_transactions"]
    row = {"txn_id": "T1", "timestamp": "not a time", "from_bank": "004", "from_account": "1234567890",
           "to_bank": "014", "to_account": "9876543210", "amount_thb": "lots", "channel": "MOBILE", "memo": ""}
    _, bad, loaded = map_chunk(mapping, [(7, row, (), None)], source_file="amlo_transactions.csv")
    assert loaded == 0
    assert [(n, field) for n, field, _, _ in bad] == [(7, "amount_thb")]  # amount_thb comes before at
    with pytest.raises(RowError) as exc:
        apply_row(mapping, row, source_file="amlo_transactions.csv", row_no=7)
    assert (exc.value.field, exc.value.reason) == bad[0][1:3]


def test_nested_parts_are_mapped_row_by_row() -> None:
    nested = [m for m in load_mappings().values() if m.kind == "file" and not supports(m)]
    assert nested and all(any(p.each or p.within for p in m.parts) for m in nested)
