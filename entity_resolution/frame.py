"""Matching features of person records as numpy columns: names, dates, documents, identifiers, context.

Input is either :class:`ingest.records.SourceRecord` objects or a DataFrame with the *person frame*
columns (any may be missing): ``record_id`` (required), ``names`` (list or string), ``aliases``,
``birth_date`` (ISO), ``birth_year``, ``sex`` (M/F), ``nationality``, ``thai_id``, ``passport``,
``pink_card``, ``documents`` (``kind:value`` list), ``phones``, ``accounts``, ``case_keys``,
``location_keys``, ``address``, ``district``, ``postcode``.

Examples
--------
>>> import pandas as pd
>>> f = Features.build(pd.DataFrame({"record_id": ["a", "b"], "names": [["สมชาย ใจดี"], ["Somchai Jaidee"]]}))
>>> list(f.df["name_key"])
['caidi somcai', 'caidi somcai']
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from entity_resolution.names import parse_name, skeleton

__all__ = ["LIST_COLUMNS", "Features", "frame_from_records", "hash_values"]

#: Columns that hold several values per record (exploded for blocking and overlap comparisons).
LIST_COLUMNS = ("phones", "accounts", "case_keys", "location_keys", "documents", "alias_keys", "token_keys",
                "id_masks", "doc_kinds", "joined_keys")
_SCALAR_TEXT = ("thai_id", "sex", "nationality", "address", "district", "postcode", "other_id")
# Links that describe the record's own identifiers (a border crossing's checkpoint is not an address).
_LINK_COLUMNS = {"HAS_PHONE": "phones", "HOLDS_ACCOUNT": "accounts", "ROLE_IN": "case_keys",
                 "HAS_ADDRESS": "location_keys", "HAS_DOCUMENT": "documents"}


def hash_values(values: Sequence[Any] | np.ndarray) -> np.ndarray:
    """Stable 64-bit hashes of strings (equal strings, equal hashes, in every run).

    >>> bool(hash_values(["x"])[0] == hash_values(["x"])[0])
    True
    """
    arr = np.asarray(values, dtype=object)
    if len(arr) == 0:
        return np.zeros(0, dtype=np.uint64)
    return pd.util.hash_array(arr.astype(str), categorize=True)


def _missing(value: Any) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value))


def _as_list(value: Any) -> list[str]:
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


def _record_row(rec: Any, keys_by_record: dict[str, tuple[str | None, str | None]]) -> dict[str, Any]:
    p = rec.props
    names = _as_list(p.get("names")) + _as_list(p.get("name_th")) + _as_list(p.get("name_en"))
    if not names and p.get("name"):
        names = _as_list(p.get("name"))
    row: dict[str, Any] = {"record_id": rec.record_id, "names": list(dict.fromkeys(names)),
                           "aliases": _as_list(p.get("aliases"))}
    for col in ("birth_date", "birth_year", "sex", "nationality", "thai_id", "passport", "pink_card",
                "address", "district", "postcode", "registration_no"):
        if p.get(col) not in (None, ""):
            row[col] = p[col]
    lists: dict[str, list[str]] = {c: _as_list(p.get(c)) for c in LIST_COLUMNS}
    lists["location_keys"] += _as_list(p.get("location_key"))
    lists["documents"] += _as_list(p.get("document_keys"))
    for link in rec.links:
        target: tuple[str | None, str | None] = (link.target_type, link.target_key)
        if not link.target_key:
            target = keys_by_record.get(link.target_record_id or "", (None, None))
        link_col = _LINK_COLUMNS.get(link.rel_type)
        if link_col and target[1]:
            lists.setdefault(link_col, []).append(target[1])
    for col, values in lists.items():
        if values:
            row[col] = list(dict.fromkeys(values))
    return row


def frame_from_records(records: Iterable[Any], entity_type: str = "Person") -> pd.DataFrame:
    """The person (or organisation) frame of the records of ``entity_type``, context taken from links.

    Links to identifier parts of the same row (a case, an account) are followed through
    ``target_record_id`` to that part's key.
    """
    records = list(records)
    keys: dict[str, tuple[str | None, str | None]] = {r.record_id: (r.entity_type, r.key) for r in records if r.key}
    rows = [_record_row(r, keys) for r in records if r.entity_type == entity_type]
    return pd.DataFrame(rows, columns=None if rows else ["record_id"])


def _documents(row: dict[str, Any]) -> list[str]:
    docs = [d for d in _as_list(row.get("documents")) if not d.startswith("thai_id:")]
    for kind in ("passport", "pink_card", "registration_no"):
        docs += [f"{kind}:{v}" for v in _as_list(row.get(kind))]
    return list(dict.fromkeys(docs))


def _thai_id(row: dict[str, Any]) -> str:
    ids = [v for v in _as_list(row.get("thai_id"))]
    ids += [d.split(":", 1)[1] for d in _as_list(row.get("documents")) if d.startswith("thai_id:")]
    return "".join(ch for ch in ids[0] if ch.isdigit()) if ids else ""


def _valid_thai_id(value: str) -> bool:
    if len(value) != 13 or not value.isdigit() or value[0] in "09":
        return False
    total = sum(int(d) * (13 - k) for k, d in enumerate(value[:12]))
    return (11 - total % 11) % 10 == int(value[12])


def _birth(value: Any, year: Any) -> tuple[int, int, int]:
    text = _scalar(value)
    if len(text) >= 10 and text[4] == "-":
        try:
            return int(text[:4]), int(text[5:7]), int(text[8:10])
        except ValueError:
            pass
    try:
        return (int(float(_scalar(year))), 0, 0) if _scalar(year) else (0, 0, 0)
    except (TypeError, ValueError):
        return 0, 0, 0


def _merge_ingest_columns(row: dict[str, Any]) -> None:
    """Fold the columns of ingest's person frame into the matching columns read here."""
    names = _as_list(row.get("names")) + _as_list(row.get("name_th")) + _as_list(row.get("name_en"))
    row["names"] = list(dict.fromkeys(names))
    row["location_keys"] = _as_list(row.get("location_keys")) + _as_list(row.get("location_key"))
    if not _scalar(row.get("district")) and _scalar(row.get("geocode")):
        row["district"] = _scalar(row.get("geocode"))[:4]


@dataclass
class Features:
    """Scalar matching columns in ``df`` (one row per record) and list columns as ``(index, hash)`` pairs."""

    df: pd.DataFrame
    lists: dict[str, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.df)

    @classmethod
    def build(cls, frame: pd.DataFrame) -> Features:
        """Compute the matching columns of a person frame (see the module docstring)."""
        rows = frame.to_dict("records")
        n = len(rows)
        name1, name2, key1, key2, first, last, joined1, joined2, first2, last2 = ([""] * n for _ in range(10))
        docs: dict[str, list[str]] = {k: [""] * n for k in ("passport", "border_pass", "pink_card")}
        by, bm, bd = (np.zeros(n, dtype=np.int32) for _ in range(3))
        thai = [""] * n
        lists: dict[str, list[tuple[int, str]]] = {c: [] for c in LIST_COLUMNS}
        for i, row in enumerate(rows):
            _merge_ingest_columns(row)
            parsed = [parse_name(s) for s in _as_list(row.get("names"))]
            parsed = [p for p in parsed if p.tokens]
            thai_names = [p for p in parsed if p.script == "thai"]
            latin_names = [p for p in parsed if p.script == "latin"]
            if parsed:
                a = (thai_names or latin_names)[0]
                b = (latin_names or thai_names)[0]
                name1[i], name2[i], key1[i], key2[i] = a.text, b.text, a.key, b.key
                first[i], last[i] = a.tokens[0], a.tokens[-1]
                first2[i], last2[i] = b.tokens[0], b.tokens[-1]
                joined1[i], joined2[i] = "".join(a.tokens), "".join(b.tokens)
            # names written without spaces (Myanmar names in Thai script) meet their spaced Latin form
            lists["joined_keys"] += [(i, k) for k in {"".join(p.tokens) for p in parsed}
                                     | {"".join(reversed(p.tokens)) for p in parsed}]
            tokens = {t for p in parsed for t in p.tokens}
            lists["token_keys"] += [(i, t) for t in tokens]
            aliases = [a2 for p in parsed for a2 in p.aliases] + _as_list(row.get("aliases"))
            lists["alias_keys"] += [(i, k) for k in {parse_name(x).key for x in aliases} if k]
            by[i], bm[i], bd[i] = _birth(row.get("birth_date"), row.get("birth_year"))
            thai[i] = _thai_id(row)
            if len(thai[i]) == 13:  # two adjacent digits masked: meets one-digit typos and swaps
                lists["id_masks"] += [(i, f"{k}:{thai[i][:k]}{thai[i][k + 2:]}") for k in range(12)]
            row["documents"] = _documents(row)
            for d in row["documents"]:
                kind, _, value = d.partition(":")
                if kind in docs and not docs[kind][i]:
                    docs[kind][i] = value
            lists["doc_kinds"] += [(i, d.split(":", 1)[0]) for d in row["documents"]]
            for col in ("phones", "accounts", "case_keys", "location_keys", "documents"):
                lists[col] += [(i, v) for v in _as_list(row.get(col))]
        df = pd.DataFrame({
            "record_id": [str(r["record_id"]) for r in rows], "name1": name1, "name2": name2,
            "name_key": key1, "name_key2": key2, "first_key": first, "last_key": last,
            "first_key2": first2, "last_key2": last2,
            "joined1": joined1, "joined2": joined2, "passport_no": docs["passport"],
            "border_pass_no": docs["border_pass"], "pink_card_no": docs["pink_card"],
            "skeleton": [" ".join(sorted(skeleton(t) for t in k.split())) for k in key1],
            "birth_year": by, "birth_month": bm, "birth_day": bd, "thai_id": thai,
        })
        for col in _SCALAR_TEXT[1:]:
            df[col] = [_scalar(r.get(col)).upper() if col in ("sex", "nationality") else
                       _scalar(r.get(col)).lower() for r in rows]
        df["address_key"] = [" ".join(sorted(a.split())) for a in df["address"]]
        df["thai_valid"] = [_valid_thai_id(t) for t in thai]
        df["sex"] = df["sex"].map({"M": "M", "F": "F", "MALE": "M", "FEMALE": "F", "ชาย": "M", "หญิง": "F",
                                   "1": "M", "2": "F"}).fillna("")
        out = cls(df)
        for col, pairs in lists.items():
            idx = np.fromiter((p[0] for p in pairs), dtype=np.int64, count=len(pairs))
            out.lists[col] = (idx, hash_values([p[1] for p in pairs]))
        return out

    def keyed(self, columns: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """Record indices and one combined hash per (record, value combination) of ``columns``.

        Empty values are left out, so a missing birth year never puts records in one block.
        """
        idx = np.arange(len(self.df), dtype=np.int64)
        key = np.zeros(len(self.df), dtype=np.uint64)
        for col in columns:
            if col in self.lists:
                li, lv = self.lists[col]
                # each current (record, key) row meets each list value of the same record
                df = pd.DataFrame({"i": idx, "k": key}).merge(pd.DataFrame({"i": li, "v": lv}), on="i")
                idx, key = df["i"].to_numpy(), _mix(df["k"].to_numpy(np.uint64), df["v"].to_numpy(np.uint64))
            else:
                values = self.df[col].to_numpy()[idx]
                present = values != "" if values.dtype == object else values != 0
                idx, key = idx[present], _mix(key[present], hash_values(values[present].astype(str)))
        return idx, key


def _mix(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    with np.errstate(over="ignore"):
        return (a * np.uint64(0x9E3779B97F4A7C15)) ^ b
