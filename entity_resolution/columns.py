"""Column-wise computation of the matching features of a person frame (no Python loop per record).

Every distinct name string is parsed once; list columns are exploded into long ``(record, value)`` tables.

Examples
--------
>>> import pandas as pd
>>> df, lists = build_columns(pd.DataFrame({"record_id": ["a"], "names": [["นายสมชาย ใจดี", "Somchai Jaidee"]],
...                                         "birth_date": ["1980-03-14"], "thai_id": ["1-1007-00123-45-5"]}))
>>> row = df.iloc[0]
>>> row["name1"], row["name_key"], int(row["birth_year"]), row["thai_id"], bool(row["thai_valid"])
('somcai caidi', 'caidi somcai', 1980, '1100700123455', True)
>>> len(lists["id_masks"])
12
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from entity_resolution.names import parse_name, skeleton

__all__ = ["LIST_COLUMNS", "build_columns", "long_values"]

#: Columns that hold several values per record (exploded for blocking and overlap comparisons).
LIST_COLUMNS = ("phones", "accounts", "case_keys", "location_keys", "documents", "alias_keys", "token_keys",
                "id_masks", "doc_kinds", "joined_keys", "doc_numbers")
_SEX = {"M": "M", "F": "F", "MALE": "M", "FEMALE": "F", "ชาย": "M", "หญิง": "F", "1": "M", "2": "F"}
_WEIGHTS = np.arange(13, 1, -1)


def long_values(frame: pd.DataFrame, column: str, prefix: str = "") -> pd.DataFrame:
    """A list-or-scalar column as a long table ``i`` (row position), ``v`` (non-empty string)."""
    if column not in frame:
        return pd.DataFrame({"i": np.zeros(0, np.int64), "v": np.zeros(0, dtype=object)})
    s = pd.Series(frame[column].to_numpy(), index=np.arange(len(frame))).explode().dropna()
    s = s.astype(str).str.strip()
    s = s[(s != "") & (s != "nan") & (s != "<NA>")]
    return pd.DataFrame({"i": s.index.to_numpy(np.int64), "v": (prefix + s).to_numpy(dtype=object)})


def _first(long: pd.DataFrame, n: int) -> np.ndarray:
    out = np.full(n, "", dtype=object)
    first = long.drop_duplicates("i")
    out[first["i"].to_numpy()] = first["v"].to_numpy()
    return out


def _names(frame: pd.DataFrame, n: int, lists: dict[str, pd.DataFrame]) -> dict[str, np.ndarray]:
    long = pd.concat([long_values(frame, c) for c in ("names", "name_th", "name_en")], ignore_index=True)
    long = long.sort_values("i", kind="stable").drop_duplicates()
    uniq = long["v"].unique()
    parsed = [parse_name(x) for x in uniq]
    code = pd.Categorical(long["v"], categories=uniq).codes
    has = np.array([bool(p.tokens) for p in parsed], bool)
    long, code = long[has[code]], code[has[code]]
    thai = np.array([p.script == "thai" for p in parsed], bool)[code]
    rec = long["i"].to_numpy()
    a = np.full(n, -1, np.int64)
    b = np.full(n, -1, np.int64)
    for mask, targets in ((~thai, (a,)), (thai, (a, b)), (~thai, (b,))):  # later writes win
        pos = pd.Series(np.flatnonzero(mask)).groupby(rec[mask]).first()
        for t in targets:
            t[pos.index.to_numpy()] = code[pos.to_numpy()]
    attr = {
        "text": [p.text for p in parsed], "key": [p.key for p in parsed],
        "first": [p.tokens[0] if p.tokens else "" for p in parsed],
        "last": [p.tokens[-1] if p.tokens else "" for p in parsed],
        "joined": ["".join(p.tokens) for p in parsed],
    }
    out: dict[str, np.ndarray] = {}
    for name, which in (("1", a), ("2", b)):
        for field, values in attr.items():
            arr = np.array([*values, ""], dtype=object)
            out[f"{field}{name}"] = arr[np.where(which >= 0, which, len(values))]
    reversed_joined = np.array(["".join(reversed(p.tokens)) for p in parsed], dtype=object)
    lists["joined_keys"] = pd.DataFrame({"i": np.r_[rec, rec],
                                         "v": np.r_[np.array(attr["joined"], dtype=object)[code],
                                                    reversed_joined[code]]})
    tokens = pd.Series([list(parsed[c].tokens) for c in code], index=rec, dtype=object).explode()
    lists["token_keys"] = pd.DataFrame({"i": tokens.index.to_numpy(np.int64), "v": tokens.to_numpy(dtype=object)})
    alias_raw = pd.Series([list(parsed[c].aliases) for c in code], index=rec, dtype=object).explode().dropna()
    aliases = pd.concat([pd.DataFrame({"i": alias_raw.index.to_numpy(np.int64), "v": alias_raw.to_numpy(dtype=object)}),
                         long_values(frame, "aliases")], ignore_index=True)
    aliases["v"] = aliases["v"].map(lambda x: parse_name(x).key)
    lists["alias_keys"] = aliases[aliases["v"] != ""]
    return out


def _row_keys(frame: pd.DataFrame) -> pd.DataFrame:
    """One key per export row (or exchange envelope) for the persons it names: a DSI case names its
    suspects and, through its organisations, their directors, and only the row ties a director to the case."""
    if "source_file" not in frame or "row" not in frame:
        return pd.DataFrame({"i": np.zeros(0, np.int64), "v": np.zeros(0, dtype=object)})
    row = frame["row"].astype(str).str.replace(r"\.0$", "", regex=True)
    key = "row:" + frame["source_file"].astype(str) + ":" + row
    if "exchange_id" in frame:
        exchange = frame["exchange_id"].astype(str)
        key = key.where(~frame["exchange_id"].notna() | (exchange == ""), "exchange:" + exchange)
    known = frame["row"].notna().to_numpy() | (frame["exchange_id"].notna().to_numpy() if "exchange_id" in frame
                                                else False)
    return pd.DataFrame({"i": np.flatnonzero(known).astype(np.int64), "v": key[known].to_numpy(dtype=object)})


def _thai_ids(frame: pd.DataFrame, n: int, documents: pd.DataFrame) -> np.ndarray:
    ids = long_values(frame, "thai_id")
    from_docs = documents[documents["v"].str.startswith("thai_id:")]
    ids = pd.concat([ids, from_docs.assign(v=from_docs["v"].str.slice(8))], ignore_index=True)
    ids["v"] = ids["v"].str.replace(r"\D", "", regex=True)
    return _first(ids[ids["v"] != ""], n)


def _valid(ids: np.ndarray) -> np.ndarray:
    ok = np.array([len(x) == 13 and x.isdigit() for x in ids], bool)
    valid = np.zeros(len(ids), bool)
    if ok.any():
        digits = np.frombuffer("".join(ids[ok]).encode(), np.uint8).reshape(-1, 13).astype(np.int64) - 48
        check = (11 - (digits[:, :12] * _WEIGHTS).sum(axis=1) % 11) % 10
        valid[ok] = (check == digits[:, 12]) & (digits[:, 0] != 0) & (digits[:, 0] != 9)
    return valid


def build_columns(frame: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, pd.DataFrame]]:
    """Scalar matching columns (one row per record) and long tables of the list columns."""
    frame = frame.reset_index(drop=True)
    n = len(frame)
    lists: dict[str, pd.DataFrame] = {}
    names = _names(frame, n, lists)
    docs = pd.concat([long_values(frame, "documents")] + [long_values(frame, k, f"{k}:") for k in
                                                          ("passport", "pink_card", "registration_no")],
                     ignore_index=True).drop_duplicates()
    thai = _thai_ids(frame, n, docs)
    docs = docs[~docs["v"].str.startswith("thai_id:")]
    kinds = docs["v"].str.split(":", n=1).str[0]
    lists["documents"], lists["doc_kinds"] = docs, docs.assign(v=kinds)
    # the same number read as a passport by one agency and a border pass by another is one document
    lists["doc_numbers"] = docs.assign(v=docs["v"].str.split(":", n=1).str[1])
    for col in ("phones", "accounts", "case_keys"):
        lists[col] = long_values(frame, col)
    lists["case_keys"] = pd.concat([lists["case_keys"], _row_keys(frame)], ignore_index=True)
    lists["location_keys"] = pd.concat([long_values(frame, "location_keys"), long_values(frame, "location_key")],
                                       ignore_index=True).drop_duplicates()
    with_id = pd.Series(thai)[pd.Series(thai).str.len() == 13]
    # one f-string per (mask, ID), not pandas string slices and additions (three Python calls each)
    ids = with_id.tolist()
    lists["id_masks"] = pd.DataFrame({"i": np.tile(with_id.index.to_numpy(np.int64), 12),
                                      "v": np.array([f"{k}:{t[:k]}{t[k + 2:]}" for k in range(12) for t in ids],
                                                    dtype=object)})
    dob = pd.Series(_first(long_values(frame, "birth_date"), n)).str.extract(r"^(\d{4})-(\d{2})-(\d{2})")
    dob = dob.apply(pd.to_numeric, errors="coerce").fillna(0).astype(np.int32)
    year_only = pd.to_numeric(pd.Series(_first(long_values(frame, "birth_year"), n)), errors="coerce")
    year = np.where(dob[0] > 0, dob[0], year_only.fillna(0).astype(np.int64)).astype(np.int32)
    df = pd.DataFrame({
        "record_id": frame["record_id"].astype(str).to_numpy(),
        "name1": names["text1"], "name2": names["text2"], "name_key": names["key1"], "name_key2": names["key2"],
        "first_key": names["first1"], "last_key": names["last1"], "first_key2": names["first2"],
        "last_key2": names["last2"], "joined1": names["joined1"], "joined2": names["joined2"],
        "birth_year": year, "birth_month": dob[1].to_numpy(np.int32), "birth_day": dob[2].to_numpy(np.int32),
        "thai_id": thai, "thai_valid": _valid(thai),
    })
    df["skeleton"] = [" ".join(sorted(skeleton(t) for t in k.split())) for k in df["name_key"]]
    for kind in ("passport", "border_pass", "pink_card"):
        mine = docs[docs["v"].str.startswith(kind + ":")]
        df[f"{kind}_no"] = _first(mine.assign(v=mine["v"].str.slice(len(kind) + 1)), n)
    for col in ("sex", "nationality", "address", "district", "postcode", "other_id"):
        values = pd.Series(_first(long_values(frame, col), n))
        df[col] = values.str.upper() if col in ("sex", "nationality") else values.str.lower()
    geocode = pd.Series(_first(long_values(frame, "geocode"), n)).str.slice(0, 4)
    df["district"] = df["district"].where(df["district"] != "", geocode)
    df["sex"] = df["sex"].map(_SEX).fillna("")
    df["address_key"] = [" ".join(sorted(a.split())) for a in df["address"]]
    # a migrant's name in Thai script meets its Latin passport spelling only about half the time (syllables
    # run together, tones and finals romanised apart): a foreigner's full date of birth is a block of its own
    foreign = (df["nationality"] != "") & (df["nationality"] != "THA") & (df["birth_month"] > 0) & (df["birth_day"] > 0)
    df["foreign_birth_date"] = np.where(foreign, df["nationality"] + ":" + df["birth_year"].astype(str) + "-"
                                        + df["birth_month"].astype(str) + "-" + df["birth_day"].astype(str), "")
    return df, lists
