"""Pass 3 of the bulk collect (:mod:`graph_model.bulk_collect`): spilled assertions → merged CSV rows.

Each bucket holds every assertion of the ids that hash to it, from one or more spill files read in turn
(the order of the records). Its ids are merged one at a time with the merge rules of
:mod:`graph_model.store._merge` (:func:`merge_assertions`) and written as rows of one CSV file per node
label / relationship type. Buckets are independent, so :func:`write_buckets` runs in several processes,
each writing its own part files (no header; the header is a file of its own, :func:`write_headers`), and
``neo4j-admin import`` reads a label's header and parts as one file.

Examples
--------
>>> attrs = merge_assertions([({"names": ["A", "B"], "sex": "M"}, "RTP", "r1", "2026-01-02"),
...                           ({"names": ["B", "C"]}, "DSI", "d1", "2025-05-05")], {"names"})
>>> attrs["names"], attrs["sex"], attrs["sources"]
(['A', 'B', 'C'], 'M', ['RTP|r1|2026-01-02', 'DSI|d1|2025-05-05'])
>>> attrs["agencies"], attrs["first_seen"], attrs["last_seen"]
(['DSI', 'RTP'], '2025-05-05', '2026-01-02')
"""

from __future__ import annotations

import csv
import pickle
import time
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from graph_model._gc import cyclic_gc_paused
from graph_model.bulk import ARRAY_DELIMITER as _DELIMITER
from graph_model.bulk import _cell, _props_of, node_columns, rel_columns
from graph_model.model import Schema, SchemaError

__all__ = ["Assertion", "BucketJob", "Written", "merge_assertions", "read_spill", "write_buckets", "write_headers"]

#: What one source asserts of an element: its properties, the source's agency, record id and seen date.
Assertion = tuple[Mapping[str, Any], str, str, str]


def read_spill(path: Path) -> Iterator[Any]:
    """The items of one spill file (pickled chunks), in the order written; the file is removed after."""
    with open(path, "rb") as f:
        while True:
            try:
                chunk = pickle.load(f)
            except EOFError:
                break
            yield from chunk
    path.unlink()


def merge_assertions(items: Sequence[Assertion], list_props: Collection[str]) -> dict[str, Any]:
    """The properties of an element asserted by ``items`` (props and the source's agency, record id and
    seen date) in this order: what folding them one by one with
    :func:`graph_model.store._merge.merge_into` gives, in one pass."""
    attrs: dict[str, Any]
    if len(items) == 1:
        props, agency, rid, seen = items[0]
        attrs = {name: list(dict.fromkeys(value)) if name in list_props else value
                 for name, value in props.items() if value is not None}
        attrs["sources"] = [f"{agency}|{rid}|{seen}"]  # Provenance.encode
        attrs["agencies"] = [agency]
        attrs["first_seen"] = attrs["last_seen"] = seen
        return attrs
    attrs = {}
    lists: dict[str, dict[Any, None]] = {}
    for props, *_ in items:
        for name, value in props.items():
            if value is None:
                continue
            if name in list_props:
                have = lists.get(name)
                if have is None:
                    lists[name] = have = {}
                have.update(dict.fromkeys(value))
            else:
                attrs[name] = value
    for name, have in lists.items():
        attrs[name] = list(have)
    dates = [s for _, _, _, s in items]
    attrs["sources"] = list(dict.fromkeys(f"{a}|{r}|{s}" for _, a, r, s in items))
    attrs["agencies"] = sorted({a for _, a, _, _ in items})
    attrs["first_seen"], attrs["last_seen"] = min(dates), max(dates)
    return attrs


@dataclass
class BucketJob:
    """The buckets one process merges: per bucket, its spill files in record order; where the parts go."""

    folder: Path
    part: int
    schema: Schema
    nodes: list[list[Path]] = field(default_factory=list)
    relationships: list[list[Path]] = field(default_factory=list)


@dataclass
class Written:
    """What one :func:`write_buckets` wrote: counts, part files by ``(kind, type)``, and whether a cell spans
    lines."""

    nodes: int = 0
    relationships: int = 0
    parts: dict[tuple[str, str], Path] = field(default_factory=dict)
    multiline: bool = False
    cpu_seconds: float = 0.0


def write_buckets(job: BucketJob) -> Written:
    """Merge and write the buckets of ``job`` (its node buckets, then its relationship buckets); the spill
    files are removed as they are read. Runs in a worker process or in the caller's."""
    out, started = Written(), time.process_time()
    with cyclic_gc_paused(), _PartWriters(job.folder, job.part, job.schema, out) as writers:
        for paths in job.nodes:
            out.nodes += _write_nodes(_chain(paths), writers)
        for paths in job.relationships:
            out.relationships += _write_rels(_chain(paths), writers)
    out.cpu_seconds = time.process_time() - started
    return out


def write_headers(folder: Path, schema: Schema, kinds: Iterable[tuple[str, str]]) -> dict[tuple[str, str], Path]:
    """One header file per ``(kind, type)`` (kind ``nodes`` or ``rels``): the typed columns of the importer."""
    paths: dict[tuple[str, str], Path] = {}
    for kind, type_name in sorted(set(kinds)):
        columns = node_columns(schema, type_name) if kind == "nodes" else rel_columns(schema, type_name)
        path = paths[kind, type_name] = folder / f"{kind}-{type_name}.header.csv"
        with open(path, "w", encoding="utf-8", newline="") as f:
            csv.writer(f, lineterminator="\n").writerow(columns)
    return paths


def _chain(paths: Sequence[Path]) -> Iterator[Any]:
    for path in paths:
        yield from read_spill(path)


class _PartWriters:
    """One CSV writer per node label / relationship type, opened on first use (no header)."""

    def __init__(self, folder: Path, part: int, schema: Schema, out: Written) -> None:
        self.folder, self.part, self.out = folder, part, out
        self._open: dict[tuple[str, str], tuple[IO[str], Any]] = {}
        self.node_specs = {t: _specs(nt.properties, schema) for t, nt in schema.nodes.items()}
        self.rel_specs = {t: _specs(rt.properties, schema) for t, rt in schema.relationships.items()}

    def __enter__(self) -> _PartWriters:
        return self

    def __exit__(self, *exc: object) -> None:
        for f, _ in self._open.values():
            f.close()

    def writer(self, kind: str, type_name: str) -> Any:
        found = self._open.get((kind, type_name))
        if found is None:
            path = self.out.parts[kind, type_name] = self.folder / f"{kind}-{type_name}.part{self.part:02d}.csv"
            f = open(path, "w", encoding="utf-8", newline="")  # noqa: SIM115 (closed by __exit__)
            found = self._open[kind, type_name] = (f, csv.writer(f, lineterminator="\n"))
        return found[1]

    def row(self, kind: str, type_name: str, row: list[str]) -> None:
        if not self.out.multiline and ("\n" in (line := "".join(row)) or "\r" in line):
            self.out.multiline = True
        self.writer(kind, type_name).writerow(row)


@dataclass(frozen=True)
class _Specs:
    columns: tuple[str, ...]
    lists: tuple[bool, ...]
    list_props: frozenset[str]
    declared: frozenset[str]
    index: Mapping[str, int]  # column name → position


def _specs(properties: Mapping[str, Any], schema: Schema) -> _Specs:
    props = _props_of(properties, schema)
    return _Specs(tuple(n for n, _, _ in props), tuple(lst for _, _, lst in props),
                  frozenset(n for n, s in properties.items() if s.is_list), frozenset(n for n, _, _ in props),
                  {n: i for i, (n, _, _) in enumerate(props)})


_STR_TYPES = frozenset({str})


def _cells(owner: Callable[[], str], specs: _Specs, attrs: dict[str, Any]) -> list[str]:
    """The CSV cells of one element, as :func:`graph_model.bulk._cell` writes them (which names the element,
    ``owner()``, in a refusal); strings, integers and lists of plain strings take a short cut. Only the
    properties the element has are visited (most columns of a label are empty in most rows)."""
    out = [""] * len(specs.columns)
    index, lists = specs.index, specs.lists
    for name, value in attrs.items():
        i = index.get(name)
        if i is None:
            extra = sorted(set(attrs) - specs.declared)
            raise SchemaError(f"{owner()}: properties {extra} are not declared for the bulk import")
        if value is None:
            continue
        vtype, is_list = type(value), lists[i]
        if not is_list and (vtype is str or vtype is int):
            out[i] = value if vtype is str else str(value)
        elif (is_list and vtype is list and _STR_TYPES.issuperset(map(type, value)) and "" not in value
              and (joined := _DELIMITER.join(value)).count(_DELIMITER) == len(value) - 1):
            out[i] = joined
        else:
            out[i] = _cell(owner(), name, value, is_list)
    return out


def _write_nodes(items: Iterator[tuple[Any, ...]], writers: _PartWriters) -> int:
    grouped: dict[str, list[tuple[Any, ...]]] = {}
    for item in items:
        found = grouped.get(item[0])
        if found is None:
            grouped[item[0]] = [item]
        elif found[0][1] != item[1]:
            raise SchemaError(f"{item[1]}[{item[0]}]: id already used by a {found[0][1]} node")
        else:
            found.append(item)
    specs_of, row = writers.node_specs, writers.row
    for node_id, asserted in grouped.items():
        t = asserted[0][1]
        specs = specs_of[t]
        attrs = merge_assertions([a[2:] for a in asserted], specs.list_props)
        row("nodes", t, [node_id, *_cells(lambda: f"{t}[{node_id}]", specs, attrs)])  # noqa: B023 (called at once)
    return len(grouped)


def _write_rels(items: Iterator[tuple[Any, ...]], writers: _PartWriters) -> int:
    grouped: dict[str, list[tuple[Any, ...]]] = {}
    for item in items:
        found = grouped.get(item[0])
        if found is None:
            grouped[item[0]] = [item]
        elif found[0][1:4] != item[1:4]:
            first = found[0]
            raise SchemaError(f"{item[1]}[{item[0]}]: id already used by {first[1]} {first[2]} -> {first[3]}")
        else:
            found.append(item)
    specs_of, row = writers.rel_specs, writers.row
    for rid, asserted in grouped.items():
        _, t, s, e = asserted[0][:4]
        specs = specs_of[t]
        attrs = merge_assertions([a[4:] for a in asserted], specs.list_props)
        row("rels", t, [s, e, rid, *_cells(lambda: f"{t}[{s} -> {e}]", specs, attrs)])  # noqa: B023 (called at once)
    return len(grouped)
