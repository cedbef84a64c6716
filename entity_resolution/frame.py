"""Matching features of person records as numpy columns: names, dates, documents, identifiers, context.

Input is either :class:`ingest.records.SourceRecord` objects or a DataFrame with the *person frame*
columns (any may be missing): ``record_id`` (required), ``names`` (list or string), ``aliases``,
``birth_date`` (ISO), ``birth_year``, ``sex`` (M/F), ``nationality``, ``thai_id``, ``passport``,
``pink_card``, ``documents`` (``kind:value`` list), ``phones``, ``accounts``, ``case_keys``,
``location_keys``, ``address``, ``district``, ``postcode``, ``prefixes`` (titles and ranks written before the
name), ``province`` (a province named by the record: where an official or an employer works).

Examples
--------
>>> import pandas as pd
>>> f = Features.build(pd.DataFrame({"record_id": ["a", "b"], "names": [["สมชาย ใจดี"], ["Somchai Jaidee"]]}))
>>> list(f.df["name_key"])
['caidi somcai', 'caidi somcai']
"""

from __future__ import annotations

import os
import pickle
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import orjson
import pandas as pd

from entity_resolution.columns import LIST_COLUMNS, build_columns, positional
from entity_resolution.names import prepare
from entity_resolution.parallel import Forked, can_fork, one_process

if TYPE_CHECKING:
    from entity_resolution.context import AccountRows

__all__ = ["LIST_COLUMNS", "META", "Features", "frame_from_records", "frame_from_store", "hash_values"]

#: Provenance columns of every record in the resolution frame.
META = ("record_id", "agency", "source_file", "row", "exchange_id", "part", "entity_type", "key")
_FEW_VALUES = ("agency", "source_file", "part", "entity_type")

_SCALAR_TEXT = ("thai_id", "sex", "nationality", "address", "district", "postcode", "other_id")
# Links that describe the record's own identifiers (a border crossing's checkpoint is not an address).
_SCALAR_PROPS = ("birth_date", "birth_year", "sex", "nationality", "thai_id", "passport", "pink_card",
                 "address", "district", "postcode", "registration_no", "province", "geocode")
_LINK_COLUMNS = {"HAS_PHONE": "phones", "HOLDS_ACCOUNT": "accounts", "ROLE_IN": "case_keys",
                 "HAS_ADDRESS": "location_keys", "HAS_DOCUMENT": "documents"}


def hash_values(values: Sequence[Any] | np.ndarray) -> np.ndarray:
    """Stable 64-bit hashes of strings (equal strings, equal hashes, in every run).

    >>> bool(hash_values(["x"])[0] == hash_values(["x"])[0])
    True
    """
    arr = np.asarray(values)
    if len(arr) == 0:
        return np.zeros(0, dtype=np.uint64)
    if arr.dtype.kind == "U" or (arr.dtype == object and pd.api.types.infer_dtype(arr, skipna=False) == "string"):
        # strings hash the same as objects: skip the copy into a fixed-width array
        return _hash_distinct(*pd.factorize(arr.astype(object)))
    return _hash_distinct(*pd.factorize(np.asarray(values, dtype=object).astype(str)))


def _hash_distinct(codes: np.ndarray, uniques: np.ndarray) -> np.ndarray:
    """``pd.util.hash_array(values, categorize=True)`` from ``pd.factorize(values)``: each distinct value
    hashed once (what ``categorize`` does, without its second pass that checks the categories are unique)."""
    hashed = pd.util.hash_array(np.asarray(uniques, dtype=object), categorize=False)
    out = hashed.take(codes) if len(hashed) else np.zeros(len(codes), np.uint64)
    out[codes < 0] = np.iinfo(np.uint64).max  # a missing value, as a categorical hashes it
    return out


def _missing(value: Any) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value))


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    if type(value) is str:  # the common cases first: this runs for every field of millions of records
        return [value] if value.strip() else []
    if type(value) is list and all(type(v) is str for v in value):
        return [v for v in value if v.strip()]
    if _missing(value):
        return []
    if isinstance(value, str):
        return [value] if value.strip() else []
    if isinstance(value, Iterable):
        return [str(v) for v in value if not _missing(v) and str(v).strip()]
    return [str(value)]


def _scalar(value: Any) -> str:
    values = _as_list(value)
    return values[0].strip() if values else ""


def _props_row(record_id: str, p: dict[str, Any], links: Iterable[tuple[str, str | None, str | None]],
               keys: dict[str, str], promptpay: dict[str, list[str]] | None = None) -> dict[str, Any]:
    """One frame row from a record's props and its links ``(rel_type, target_key, target_record_id)``;
    ``promptpay`` maps an account key to the PromptPay IDs registered to it (carried to its holder)."""
    get = p.get
    names = _as_list(get("names")) + _as_list(get("name_th")) + _as_list(get("name_en"))
    if not names and get("name"):
        names = _as_list(get("name"))
    row: dict[str, Any] = {"record_id": record_id, "names": list(dict.fromkeys(names)) if len(names) > 1 else names,
                           "aliases": _as_list(get("aliases"))}
    prefixes = _as_list(get("prefixes"))
    if prefixes:  # one string for the one title most records have (a list per record weighs at a million)
        row["prefixes"] = prefixes if len(prefixes) > 1 else sys.intern(prefixes[0])
    for col in _SCALAR_PROPS:
        value = get(col)
        if value is not None and not (type(value) is str and value == ""):
            row[col] = value
    for col in ("province", "geocode"):  # a few thousand values over millions of records: one object each
        value = row.get(col)
        if type(value) is str:
            row[col] = sys.intern(value)
    lists: dict[str, list[str]] = {c: _as_list(p[c]) for c in LIST_COLUMNS if c in p}
    for prop, col in (("location_key", "location_keys"), ("document_keys", "documents")):
        if prop in p:
            lists[col] = lists.get(col, []) + _as_list(p[prop])
    for rel_type, target_key, target_record_id in links:
        link_col = _LINK_COLUMNS.get(rel_type)
        key = target_key or keys.get(target_record_id or "")
        if link_col and key:
            lists.setdefault(link_col, []).append(key)
        if rel_type == "HOLDS_ACCOUNT" and promptpay and key in promptpay:
            lists.setdefault("promptpay_ids", []).extend(promptpay[key])
    for col in (*LIST_COLUMNS, "promptpay_ids"):
        values = lists.get(col)
        if values:
            row[col] = list(dict.fromkeys(values)) if len(values) > 1 else values
    return row


def frame_from_records(records: Iterable[Any], entity_type: str = "Person") -> pd.DataFrame:
    """The person (or organisation) frame of the records of ``entity_type``, context taken from links.

    Links to identifier parts of the same row (a case, an account) are followed through
    ``target_record_id`` to that part's key.
    """
    records = list(records)
    keys = {r.record_id: r.key for r in records if r.key}
    promptpay: dict[str, list[str]] = {}
    for r in records:
        if r.entity_type == "Account" and r.key and r.props.get("promptpay_ids"):
            promptpay.setdefault(r.key, []).extend(_as_list(r.props["promptpay_ids"]))
    promptpay = {k: sorted(set(v)) for k, v in promptpay.items()}
    rows = [_props_row(r.record_id, r.props, ((ln.rel_type, ln.target_key, ln.target_record_id) for ln in r.links),
                       keys, promptpay) for r in records if r.entity_type == entity_type]
    return pd.DataFrame(rows, columns=None if rows else ["record_id"])


def _store_promptpay(store: Any) -> dict[str, list[str]]:
    """Account key → the PromptPay IDs registered to it (AMLO's account list names them)."""
    out: dict[str, list[str]] = {}
    for batch in store.iter_rows(("key", "props"), ["Account"], ordered=False):
        for key, props in batch:
            if key and "promptpay_ids" in props:  # a text test first: most account records have none
                values = _as_list(orjson.loads(props).get("promptpay_ids"))
                if values:
                    out.setdefault(key, []).extend(values)
    return {k: sorted(set(v)) for k, v in out.items()}


def _store_features(store: Any, entity_type: str, promptpay: dict[str, list[str]] | None = None) -> pd.DataFrame:
    rows: list[dict[str, Any]] = []
    for batch in store.iter_rows(("record_id", "props", "links"), [entity_type], ordered=False):
        parsed = []
        for rid, props, links in batch:
            try:
                parsed.append((rid, orjson.loads(props), [] if links == "[]" else [
                    (d.get("rel_type", ""), d.get("target_key"), d.get("target_record_id"))
                    for d in orjson.loads(links)]))
            except (orjson.JSONDecodeError, AttributeError) as exc:
                raise ValueError(f"{store.path}: record {rid}: props/links are not valid JSON ({exc})") from exc
        wanted = [t for _, _, links in parsed for rel, key, t in links if t and not key and rel in _LINK_COLUMNS]
        keys = store.keys_of(wanted) if wanted else {}
        rows.extend(_props_row(rid, props, links, keys, promptpay) for rid, props, links in parsed)
    return pd.DataFrame(rows, columns=None if rows else ["record_id"])


def frame_from_store(store: Any) -> pd.DataFrame:
    """The resolution frame of every record of a :class:`ingest.store.RecordStore`, read column by column.

    Equal to ``as_frame(store.iter_records())`` without building a Python object per record: provenance
    columns for all records (categorical where few distinct values), matching columns parsed from the
    JSON props and links of Person and Organization records only. With two cores, a forked process reads
    and parses the person records (its own connection) while this one reads the provenance columns.
    """
    if can_fork() and isinstance(getattr(store, "workspace", None), Path):
        workspace = store.workspace
        with Forked(lambda: _person_features(type(store), workspace)) as persons:
            meta = _store_meta(store)
            organisations = _store_features(store, "Organization", _store_promptpay(store))
            person_features = persons.result()
    else:
        meta = _store_meta(store)
        promptpay = _store_promptpay(store)
        person_features = _store_features(store, "Person", promptpay)
        organisations = _store_features(store, "Organization", promptpay)
    features = pd.concat([person_features, organisations], ignore_index=True)
    return meta.merge(features, on="record_id", how="left")


def _person_features(store_type: Any, workspace: Path) -> pd.DataFrame:
    """The person columns of the records under ``workspace``, read through a connection of its own, in
    record-id order (the frame's order).

    The order is for the memory of the caller: unpickling the result makes its objects one column at a
    time, in row order, so each record's values lie where its rows are. Read in storage order, a row range
    of the frame touched objects all over the heap: the features and the records' writer took 0.95 CPU s more
    at 100k persons (13.6 against 12.6, back to back, 2026-11-27, load 1.3).
    """
    with store_type(workspace) as store:
        rows = _store_features(store, "Person", _store_promptpay(store))
    return rows.take(_id_order(rows["record_id"].tolist()))


def _id_order(record_ids: list[str]) -> np.ndarray:
    """The positions of ``record_ids`` in record-id order: their UTF-8 bytes sorted, as SQLite compares text.

    >>> _id_order(["b", "a", "ä", "B"]).tolist()
    [3, 1, 0, 2]
    """
    if not record_ids:
        return np.zeros(0, np.int64)
    return np.argsort(np.array([r.encode() for r in record_ids], dtype=bytes), kind="stable")


def _store_meta(store: Any) -> pd.DataFrame:
    """The provenance columns of every record, in record-id order."""
    columns: dict[str, list[Any]] = {c: [] for c in META}
    for batch in store.iter_rows(META, ordered=False):
        for k, column in enumerate(zip(*batch, strict=True)):
            columns[META[k]].extend(column)
    # in record-id order (as iter_records gives them), sorted here: SQLite's order by the id index reads
    # the pages of a large file over and over
    positions = _id_order(columns["record_id"]).tolist()
    for c in META:
        values = columns[c]
        columns[c] = [values[k] for k in positions]
    return pd.DataFrame({c: pd.Categorical(v) if c in _FEW_VALUES else pd.Series(v, dtype=object if c != "row" else None)
                         for c, v in columns.items()}, columns=list(META))


@dataclass
class Features:
    """Scalar matching columns in ``df`` (one row per record) and list columns as ``(index, hash)`` pairs."""

    df: pd.DataFrame
    lists: dict[str, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict)
    _hashes: dict[str, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict, repr=False, compare=False)
    _per_record: dict[tuple[str, ...], Any] = field(default_factory=dict, repr=False, compare=False)

    def __len__(self) -> int:
        return len(self.df)

    def per_record(self, key: tuple[str, ...], build: Callable[[], Any]) -> Any:
        """``build()``, worked out once per :class:`Features` and kept under ``key``.

        Comparators run chunk by chunk over the candidate pairs; what they need over all records (sorted
        list values, value counts) is the same for every chunk, so it is computed on the first one only.
        The columns never change after :meth:`build`, so nothing kept goes stale.
        """
        if key not in self._per_record:
            self._per_record[key] = build()
        return self._per_record[key]

    @classmethod
    def build(cls, frame: pd.DataFrame, records: pd.DataFrame | None = None) -> Features:
        """Compute the matching columns of a person frame (see the module docstring), the context lists of
        :mod:`entity_resolution.context` included (``records``: the whole resolution frame, for the accounts
        that case files tie to a record)."""
        from entity_resolution.context import add_context_lists  # context builds on this module

        df, lists, rows = _build_columns(frame, records)
        out = cls(df, lists)
        return add_context_lists(out, frame, records, rows)

    def keyed(self, columns: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """Record indices and one combined hash per (record, value combination) of ``columns``.

        Empty values are left out, so a missing birth year never puts records in one block.
        """
        idx = np.arange(len(self.df), dtype=np.int64)
        key = np.zeros(len(self.df), dtype=np.uint64)
        for col in columns:
            if col in self.lists:
                # each current (record, key) row meets each list value of the same record (the rows of an
                # inner join on the record, in another order: blocking sorts them anyway)
                count, offsets, values = self._list_by_record(col)
                c = count[idx]
                rep = np.repeat(np.arange(len(idx)), c)
                within = np.arange(len(rep)) - np.repeat(np.cumsum(c) - c, c)
                idx, key = idx[rep], _mix(key[rep], values[offsets[idx[rep]] + within])
            else:
                present_all, hashes = self._scalar_hashes(col)
                present = present_all[idx]
                idx, key = idx[present], _mix(key[present], hashes[idx[present]])
        return idx, key

    def _list_by_record(self, col: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Per record its number of ``col`` values and where they start in the values sorted by record."""
        def build() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
            li, lv = self.lists[col]
            count = np.bincount(li, minlength=len(self.df)) if len(li) else np.zeros(len(self.df), np.int64)
            return count, np.concatenate([[0], np.cumsum(count)]), lv[np.argsort(li, kind="stable")]
        return self.per_record(("list_by_record", col), build)

    def _scalar_hashes(self, col: str) -> tuple[np.ndarray, np.ndarray]:
        """Whether each record has a value of ``col``, and the value's hash: worked out once per column,
        not once per blocking rule that uses the column."""
        if col not in self._hashes:
            values = self.df[col].to_numpy()
            present = values != "" if values.dtype == object else values != 0
            hashes = np.zeros(len(values), np.uint64)
            kept = values[present]
            if kept.dtype == object:
                hashes[present] = hash_values(kept)
            else:  # numbers hashed as their texts, each distinct one once (a year column has a hundred)
                codes, uniques = pd.factorize(kept)
                hashes[present] = hash_values(np.asarray(uniques).astype(str))[codes]
            self._hashes[col] = (np.asarray(present, bool), hashes)
        return self._hashes[col]


#: From this many person records the matching columns are built in two processes.
SPLIT_COLUMNS = 10_000
#: The parts of such a frame, in twentieths of its records, largest first: each process takes the next part when
#: it has finished one, so neither waits long for the other. Records differ in cost (a file of Latin names
#: spelled many ways parses slower than one of Thai names in the name table): at 100k persons the parts
#: took 1.37, 1.87, 0.97, 0.89, 0.17 and 0.15 CPU s (2026-11-27, load 2). A part costs about 0.05 s more
#: than its records. The account rows of the context lists are one more part, taken last.
SPLIT_PARTS = (6, 6, 3, 3, 1, 1)


def _build_columns(frame: pd.DataFrame, records: pd.DataFrame | None = None
                   ) -> tuple[pd.DataFrame, dict[str, tuple[np.ndarray, np.ndarray]], AccountRows | None]:
    """:func:`_hashed_columns` of the frame; a large one in parts (:data:`SPLIT_PARTS`) shared by this
    process and a forked child, which take them one at a time from a pipe, the
    :func:`~entity_resolution.context.account_rows` of ``records`` as one more part (else None).

    Every column is worked out from its own record alone, so the parts put together are the columns of the
    whole: a list column holds the distinct ``(record, value)`` rows of every part, each record's values in
    the same order. The child hashes its list values itself: it sends numbers back, not strings. It saves
    each part to a file as soon as it is done, and this process reads it between its own parts (sent all
    at the end, the child's half was pickled and unpickled while the other core idled: 0.2 s at 100k persons).
    """
    from entity_resolution.context import account_rows  # context builds on this module

    n = len(frame)
    if n < SPLIT_COLUMNS or not can_fork():
        return (*_hashed_columns(frame), None)
    frame = positional(frame)
    # the tables every process would load on its first name: loaded once, here, and inherited by the child
    samples = frame["names"].head(1000).explode().dropna().astype(str).tolist() if "names" in frame else []
    prepare(samples)
    ends = np.cumsum(SPLIT_PARTS).tolist()
    bounds = [0, *(n * end // ends[-1] for end in ends)]
    accounts = len(bounds) - 1  # the number of the part that is the account rows, taken last
    queue, feed = os.pipe()
    os.write(feed, bytes(range(accounts + 1)))  # one byte per part: a read takes one whole
    os.close(feed)
    saved, save = os.pipe()  # the child writes there the number of each part it has saved
    folder = Path(tempfile.mkdtemp(prefix="tipgraph-columns-"))

    def part(k: int) -> Any:
        return account_rows(records) if k == accounts else _hashed_columns(frame.iloc[bounds[k]:bounds[k + 1]])

    def theirs() -> None:
        while got := os.read(queue, 1):
            with (folder / str(got[0])).open("wb") as fh:
                pickle.dump(part(got[0]), fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.write(save, got)

    parts: dict[int, Any] = {}

    def collect(wait: bool) -> None:
        """Read the parts the child has saved: those saved by now, or (``wait``) all until it has ended."""
        os.set_blocking(saved, wait)
        while True:
            try:
                got = os.read(saved, 64)
            except BlockingIOError:
                return
            if not got:
                return
            for k in got:
                with (folder / str(k)).open("rb") as fh:
                    parts[k] = pickle.load(fh)
                (folder / str(k)).unlink()

    saving = True
    try:
        with one_process(), Forked(theirs) as child:
            os.close(save)  # the child's copy is closed when it ends: then a read meets the end
            saving = False
            while got := os.read(queue, 1):
                parts[got[0]] = part(got[0])
                collect(wait=False)
            child.result()
            collect(wait=True)
    finally:
        for fd in (queue, saved, save) if saving else (queue, saved):
            os.close(fd)
        shutil.rmtree(folder, ignore_errors=True)
    rows = parts.pop(accounts)
    ordered = [(k, parts[k]) for k in sorted(parts)]
    df = pd.concat([d for _, (d, _) in ordered], ignore_index=True)
    lists = {col: (np.concatenate([part[col][0] + np.int64(bounds[k]) for k, (_, part) in ordered]),
                   np.concatenate([part[col][1] for _, (_, part) in ordered])) for col in ordered[0][1][1]}
    return df, lists, rows


def _hashed_columns(frame: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, tuple[np.ndarray, np.ndarray]]]:
    """:func:`build_columns`, each list column as its distinct ``(record, value)`` rows, the values hashed;
    with them the context lists of each record alone (:func:`~entity_resolution.context.record_context_lists`)."""
    from entity_resolution.context import record_context_lists  # context builds on this module

    df, long = build_columns(frame)
    lists: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    for col in LIST_COLUMNS:
        table = long.get(col)
        if table is None or not len(table):
            lists[col] = (np.zeros(0, np.int64), np.zeros(0, np.uint64))
        elif table["v"].dtype == np.uint64:  # hashed already, rows distinct (ID masks: columns._id_masks)
            lists[col] = (table["i"].to_numpy(np.int64), table["v"].to_numpy(np.uint64))
        else:
            lists[col] = _distinct_hashed(table["i"].to_numpy(np.int64), table["v"].to_numpy(dtype=object))
    lists.update(record_context_lists(df, lists, frame))
    return df, lists


def _distinct_hashed(i: np.ndarray, v: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct ``(i, v)`` rows in first-seen order, ``v`` hashed: ``drop_duplicates`` then
    :func:`hash_values`, with one factorisation of ``v`` serving both (the strings are hashed once)."""
    codes, uniques = pd.factorize(v)
    if not len(uniques) or (codes < 0).any():
        table = pd.DataFrame({"i": i, "v": v}).drop_duplicates()
        return table["i"].to_numpy(np.int64), hash_values(table["v"].to_numpy(dtype=object))
    if pd.api.types.infer_dtype(uniques, skipna=False) != "string":
        uniques = uniques.astype(str)  # as hash_values takes them; equal texts of different types stay apart
    first = ~pd.Series(i * np.int64(len(uniques)) + codes).duplicated().to_numpy()
    return i[first], _hash_distinct(codes[first], uniques)


def _mix(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    with np.errstate(over="ignore"):
        return (a * np.uint64(0x9E3779B97F4A7C15)) ^ b
