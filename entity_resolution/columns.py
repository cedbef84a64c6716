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

import re
from collections.abc import Callable
from functools import cache

import numpy as np
import pandas as pd

from entity_resolution.names import parse_name, parse_names, rank_key, skeleton

__all__ = ["LIST_COLUMNS", "build_columns", "long_values"]

#: Columns that hold several values per record (exploded for blocking and overlap comparisons).
LIST_COLUMNS = ("phones", "accounts", "case_keys", "location_keys", "documents", "alias_keys", "token_keys",
                "id_masks", "doc_kinds", "joined_keys", "doc_numbers", "province_keys")
_SEX = {"M": "M", "F": "F", "MALE": "M", "FEMALE": "F", "ชาย": "M", "หญิง": "F", "1": "M", "2": "F"}
_WEIGHTS = np.arange(13, 1, -1)
_NOT_DIGIT = re.compile(r"\D")
_THAI_LOCATION = re.compile(r"^TH:\d{2}")
_TWO_DIGITS = re.compile(r"\d{2}")


def long_values(frame: pd.DataFrame, column: str, prefix: str = "") -> pd.DataFrame:
    """A list-or-scalar column as a long table ``i`` (row position), ``v`` (non-empty string)."""
    if column not in frame:
        return pd.DataFrame({"i": np.zeros(0, np.int64), "v": np.zeros(0, dtype=object)})
    values = frame[column].to_numpy()
    fast = _text_values(values, prefix)
    if fast is not None:
        return pd.DataFrame({"i": np.array(fast[0], np.int64), "v": np.array(fast[1], dtype=object)})
    s = pd.Series(values, index=np.arange(len(frame))).explode().dropna()
    s = s.astype(str).str.strip()
    s = s[(s != "") & (s != "nan") & (s != "<NA>")]
    return pd.DataFrame({"i": s.index.to_numpy(np.int64), "v": (prefix + s).to_numpy(dtype=object)})


_NOT_VALUES = frozenset(("", "nan", "<NA>"))


def _text_values(values: np.ndarray, prefix: str) -> tuple[list[int], list[str]] | None:
    """What :func:`long_values` makes of a column whose values are all text, lists of text or missing
    (``None``, NaN), as row positions and texts, in one pass; None for any other column (left to pandas:
    ``explode``, ``astype(str)`` and ``str.strip`` took 0.45 CPU s of 3.5 per 91k persons)."""
    rows: list[int] = []
    texts: list[str] = []
    keep, add = rows.append, texts.append
    for k, value in enumerate(values.tolist()):
        kind = type(value)
        if kind is str:
            text = value.strip()
            if text not in _NOT_VALUES:
                keep(k)
                add(prefix + text)
        elif kind is list:
            for item in value:
                if type(item) is not str:
                    return None
                text = item.strip()
                if text not in _NOT_VALUES:
                    keep(k)
                    add(prefix + text)
        elif not (value is None or (kind is float and value != value)):
            return None
    return rows, texts


def _first(long: pd.DataFrame, n: int) -> np.ndarray:
    out = np.full(n, "", dtype=object)
    first = long.drop_duplicates("i")
    out[first["i"].to_numpy()] = first["v"].to_numpy()
    return out


def _names(frame: pd.DataFrame, n: int, lists: dict[str, pd.DataFrame]) -> dict[str, np.ndarray]:
    long = pd.concat([long_values(frame, c) for c in ("names", "name_th", "name_en")], ignore_index=True)
    long = long.sort_values("i", kind="stable")
    code, uniq = pd.factorize(long["v"].to_numpy(dtype=object))  # distinct names in first-seen order
    first = ~pd.Series(long["i"].to_numpy(np.int64) * np.int64(len(uniq)) + code).duplicated().to_numpy()
    long, code = long[first], code[first]  # drop_duplicates() of the (record, name) rows
    parsed = parse_names(uniq.tolist() if isinstance(uniq, np.ndarray) else list(uniq))
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
    ti, tv = _explode([p.tokens for p in parsed], code, rec)
    lists["token_keys"] = pd.DataFrame({"i": ti, "v": tv})
    ai, av = _explode([p.aliases for p in parsed], code, rec)
    aliases = pd.concat([pd.DataFrame({"i": ai, "v": av}), long_values(frame, "aliases")], ignore_index=True)
    aliases["v"] = _per_distinct(aliases["v"], lambda x: parse_name(x).key)
    lists["alias_keys"] = aliases[aliases["v"] != ""]
    out["rank"], out["titled"] = _titles(frame, n, [p.prefixes for p in parsed], code, rec)
    return out


def _titles(frame: pd.DataFrame, n: int, name_prefixes: list[tuple[str, ...]], code: np.ndarray, rec: np.ndarray
            ) -> tuple[np.ndarray, np.ndarray]:
    """Per record the police or military rank written with its name (``""`` if none) and whether any title
    (rank, นาย/นาง, Mr, Maung, ...) is: from the ``prefixes`` column and the titles left in the names."""
    # a Latin rank is parsed one word at a time ("Pol. Lt. Col." -> pol, lt, col): its words joined again
    with_joined = [(*t, ".".join(t)) if len(t) > 1 and all(w.isascii() for w in t) else t for t in name_prefixes]
    pi, pv = _explode(with_joined, code, rec)
    titles = pd.concat([long_values(frame, "prefixes"), pd.DataFrame({"i": pi, "v": pv})], ignore_index=True)
    titled = np.zeros(n, bool)
    titled[titles["i"].to_numpy(np.int64)] = True
    ranks = titles.assign(v=_per_distinct(titles["v"], rank_key))
    return _first(ranks[ranks["v"] != ""], n), titled


def _explode(values: list[tuple[str, ...]], code: np.ndarray, rec: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The long table ``(rec[r], item)`` of every item of ``values[code[r]]``, row by row and in item order
    (``Series.explode()`` of a list per row, without building the lists)."""
    lens = np.array([len(v) for v in values], np.int64)
    flat = np.array([x for v in values for x in v] or [""], dtype=object)
    c = lens[code]
    rep = np.repeat(np.arange(len(code)), c)
    within = np.arange(len(rep)) - np.repeat(np.cumsum(c) - c, c)
    return rec[rep].astype(np.int64), flat[(np.cumsum(lens) - lens)[code[rep]] + within]


def _row_keys(frame: pd.DataFrame) -> pd.DataFrame:
    """One key per export row (or exchange envelope) for the persons it names: a DSI case names its
    suspects and, through its organisations, their directors, and only the row ties a director to the case."""
    if "source_file" not in frame or "row" not in frame:
        return pd.DataFrame({"i": np.zeros(0, np.int64), "v": np.zeros(0, dtype=object)})
    if frame["row"].dtype.kind in "fi":
        return _row_keys_of_numbers(frame)
    row = frame["row"].astype(str).str.replace(r"\.0$", "", regex=True)
    key = "row:" + frame["source_file"].astype(str) + ":" + row
    if "exchange_id" in frame:
        exchange = frame["exchange_id"].astype(str)
        key = key.where(~frame["exchange_id"].notna() | (exchange == ""), "exchange:" + exchange)
    known = frame["row"].notna().to_numpy() | (frame["exchange_id"].notna().to_numpy() if "exchange_id" in frame
                                                else False)
    return pd.DataFrame({"i": np.flatnonzero(known).astype(np.int64), "v": key[known].to_numpy(dtype=object)})


def _row_keys_of_numbers(frame: pd.DataFrame) -> pd.DataFrame:
    """:func:`_row_keys` where row numbers are numbers (floats where some are missing): one Python pass over
    the rows that have a key, instead of pandas' text operations on every row (0.15 of 3.5 CPU s per 91k
    persons)."""
    rows = frame["row"]
    known = rows.notna().to_numpy()
    exchange = frame.get("exchange_id")
    if exchange is not None:
        known = known | exchange.notna().to_numpy()
    at = np.flatnonzero(known)
    files = as_text(frame["source_file"])[at].tolist()
    numbers = rows.to_numpy()[at].tolist()
    # an exchange envelope's id where it is written (as pandas' astype(str) writes it), else the file and row
    exchanges = [None] * len(at) if exchange is None else [
        None if v is None or (type(v) is float and v != v) or str(v) == "" else str(v)
        for v in exchange.to_numpy(dtype=object)[at].tolist()]
    keys = []
    for file, number, envelope in zip(files, numbers, exchanges, strict=True):
        if envelope is not None:
            keys.append("exchange:" + envelope)
        else:
            text = str(number)
            keys.append(f"row:{file}:{text[:-2] if text.endswith('.0') else text}")
    return pd.DataFrame({"i": at.astype(np.int64), "v": np.array(keys, dtype=object)})


def as_text(column: pd.Series) -> np.ndarray:
    """``column.astype(str).to_numpy(dtype=object)``; of a categorical column (a file name per record)
    made from its categories: pandas converts those, then takes them per record in fixed-width text."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        categories = column.cat.categories.to_numpy()
        if categories.dtype == object and len(categories) and len(column):
            texts = np.array([*categories.astype(str).tolist(), str(np.array(np.nan).astype(str))], dtype=object)
            return texts[column.cat.codes.to_numpy()]  # code -1 (missing): the last, "nan"
    return column.astype(str).to_numpy(dtype=object)


@cache
def _province_codes() -> dict[str, str]:
    """Province name (Thai or English, spaces removed, lower case) -> its two-digit DOPA code."""
    import geothai

    table = {"กทม": "10", "กทม.": "10", "กรุงเทพ": "10", "กรุงเทพฯ": "10", "bangkok": "10"}
    for p in geothai.provinces():
        table[p.name_th.replace(" ", "")] = table[p.name_en.replace(" ", "").lower()] = p.code
    return table


def _province_code(name: str) -> str:
    """The DOPA code of a province as written (``จ.`` and ``จังหวัด`` set aside), ``""`` if unknown.

    >>> _province_code("จ.ตาก"), _province_code("Bangkok"), _province_code("Myawaddy")
    ('63', '10', '')
    """
    text = re.sub(r"^(?:จังหวัด|จ\.)", "", name.replace(" ", "")).lower()
    return _province_codes().get(text, "")


def _provinces(frame: pd.DataFrame, locations: pd.DataFrame) -> pd.DataFrame:
    """The provinces a record names, as two-digit DOPA codes: the province it gives (an official's or an
    employer's place of work), its address's geocode and its Thai location keys (``TH:<geocode>:...``)."""
    named = long_values(frame, "province")
    named = named.assign(v=_per_distinct(named["v"], _province_code))
    geocode = long_values(frame, "geocode")
    geocode = geocode.assign(v=np.array([v[:2] for v in geocode["v"].tolist()], dtype=object))
    keys = locations["v"].tolist()
    at = [k for k, v in enumerate(keys) if _THAI_LOCATION.match(v)]
    thai = pd.DataFrame({"i": locations["i"].to_numpy()[at], "v": np.array([keys[k][3:5] for k in at], dtype=object)})
    both = pd.concat([named, geocode, thai], ignore_index=True)
    return both[np.array([bool(_TWO_DIGITS.fullmatch(v)) for v in both["v"].tolist()], bool)].drop_duplicates()


def _thai_ids(frame: pd.DataFrame, n: int, documents: pd.DataFrame) -> np.ndarray:
    ids = long_values(frame, "thai_id")
    texts = documents["v"].tolist()
    at = [k for k, v in enumerate(texts) if v.startswith("thai_id:")]
    from_docs = pd.DataFrame({"i": documents["i"].to_numpy()[at], "v": np.array([texts[k][8:] for k in at], dtype=object)})
    ids = pd.concat([ids, from_docs], ignore_index=True)
    # digits only; most are already (isdecimal is true exactly where \D finds nothing to remove)
    ids["v"] = np.array([v if v.isdecimal() else _NOT_DIGIT.sub("", v) for v in ids["v"].tolist()], dtype=object)
    return _first(ids[ids["v"] != ""], n)


def _valid(ids: np.ndarray) -> np.ndarray:
    ok = np.array([len(x) == 13 and x.isdigit() for x in ids], bool)
    valid = np.zeros(len(ids), bool)
    if ok.any():
        digits = np.frombuffer("".join(ids[ok]).encode(), np.uint8).reshape(-1, 13).astype(np.int64) - 48
        check = (11 - (digits[:, :12] * _WEIGHTS).sum(axis=1) % 11) % 10
        valid[ok] = (check == digits[:, 12]) & (digits[:, 0] != 0) & (digits[:, 0] != 9)
    return valid


def _per_distinct(values: pd.Series | np.ndarray, function: Callable[[str], str]) -> np.ndarray:
    """``function`` of each value, called once per distinct value (names and addresses repeat)."""
    codes, uniques = pd.factorize(np.asarray(values, dtype=object))
    out = np.array([function(u) for u in uniques] + [""], dtype=object)  # a missing value (code -1): ""
    return out[codes]


def _id_masks(thai: np.ndarray) -> pd.DataFrame:
    """Twelve blocking keys per 13-digit Thai ID, each the ID without two neighbouring digits (``k`` and
    ``k + 1``): IDs one typing slip apart share one. The keys are numbers, ``k * 10**11`` plus the 11 kept
    digits, hashed like the other list values (a million IDs made twelve million strings before). The rows
    come distinct (a record's twelve keys hash apart unless two hashes collide: only then are they dropped
    as ``drop_duplicates`` drops them, which took 0.6 of 7 CPU s per 182k persons).

    >>> t = _id_masks(np.array(["1100700123455", "", "1100700123445"], dtype=object))
    >>> len(t), sorted(set(t["i"])), int(t["v"][t["i"] == 0].isin(t["v"][t["i"] == 2]).sum())
    (24, [0, 2], 2)
    """
    full = np.array([len(x) == 13 and x.isascii() and x.isdigit() for x in thai], bool)
    rows = np.flatnonzero(full).astype(np.int64)
    digits = np.frombuffer("".join(thai[full]).encode(), np.uint8).reshape(-1, 13).astype(np.int64) - 48
    number = digits @ 10 ** np.arange(12, -1, -1, dtype=np.int64)
    # the digits before k, shifted down over the two left out, and those after k + 1
    keys = [number // 10 ** (13 - k) * 10 ** (11 - k) + number % 10 ** (11 - k) + k * 10**11 for k in range(12)]
    i, v = np.tile(rows, 12), pd.util.hash_array(np.concatenate(keys)) if len(rows) else np.zeros(0, np.uint64)
    # 13 digits of another script (Thai numerals): masks as text, as they were
    other = [r for r, x in enumerate(thai) if len(x) == 13 and not full[r]]
    if other:
        texts = np.array([f"{k}:{thai[r][:k]}{thai[r][k + 2:]}" for k in range(12) for r in other], dtype=object)
        i, v = np.r_[i, np.tile(np.array(other, np.int64), 12)], np.r_[v, pd.util.hash_array(texts)]
    table = pd.DataFrame({"i": i, "v": v})
    # each record's rows are one column of (12, records) blocks: the full IDs', then the others'
    blocks = [v[:12 * len(rows)].reshape(12, -1), v[12 * len(rows):].reshape(12, -1)]
    if any(((b := np.sort(block, axis=0))[1:] == b[:-1]).any() for block in blocks):
        return table.drop_duplicates()
    return table


def positional(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with row positions as its index, its columns shared, not copied (``reset_index`` copied
    them all: the frame is only read)."""
    if isinstance(frame.index, pd.RangeIndex) and frame.index.start == 0 and frame.index.step == 1:
        return frame
    return frame.set_axis(pd.RangeIndex(len(frame)), axis=0, copy=False)


def build_columns(frame: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, pd.DataFrame]]:
    """Scalar matching columns (one row per record) and long tables of the list columns."""
    frame = positional(frame)
    n = len(frame)
    lists: dict[str, pd.DataFrame] = {}
    names = _names(frame, n, lists)
    docs = pd.concat([long_values(frame, "documents")] + [long_values(frame, k, f"{k}:") for k in
                                                          ("passport", "pink_card", "registration_no")],
                     ignore_index=True).drop_duplicates()
    thai = _thai_ids(frame, n, docs)
    docs = docs[~np.array([v.startswith("thai_id:") for v in docs["v"].tolist()], bool)]
    # kind and number: pandas' str.split(":", n=1) of each (no number, NaN, where no colon)
    split = [v.split(":", 1) for v in docs["v"].tolist()]
    doc_kinds = np.array([s[0] for s in split], dtype=object)
    doc_numbers = np.array([s[1] if len(s) > 1 else np.nan for s in split], dtype=object)
    lists["documents"], lists["doc_kinds"] = docs, docs.assign(v=doc_kinds)
    # the same number read as a passport by one agency and a border pass by another is one document
    lists["doc_numbers"] = docs.assign(v=doc_numbers)
    for col in ("phones", "accounts", "case_keys"):
        lists[col] = long_values(frame, col)
    lists["case_keys"] = pd.concat([lists["case_keys"], _row_keys(frame)], ignore_index=True)
    lists["location_keys"] = pd.concat([long_values(frame, "location_keys"), long_values(frame, "location_key")],
                                       ignore_index=True).drop_duplicates()
    lists["id_masks"] = _id_masks(thai)
    lists["province_keys"] = _provinces(frame, lists["location_keys"])
    dob = _dates(_first(long_values(frame, "birth_date"), n))
    year = np.where(dob[0] > 0, dob[0], _numbers(frame, "birth_year", n)).astype(np.int32)
    record_ids = frame["record_id"].to_numpy()
    df = pd.DataFrame({
        "record_id": record_ids if pd.api.types.infer_dtype(record_ids, skipna=False) == "string"
        else frame["record_id"].astype(str).to_numpy(),
        "name1": names["text1"], "name2": names["text2"], "name_key": names["key1"], "name_key2": names["key2"],
        "first_key": names["first1"], "last_key": names["last1"], "first_key2": names["first2"],
        "last_key2": names["last2"], "joined1": names["joined1"], "joined2": names["joined2"],
        "birth_year": year, "birth_month": dob[1], "birth_day": dob[2],
        "thai_id": thai, "thai_valid": _valid(thai), "rank": names["rank"], "titled": names["titled"],
    })
    df["skeleton"] = _per_distinct(df["name_key"], lambda k: " ".join(sorted(map(skeleton, k.split()))))
    for kind in ("passport", "border_pass", "pink_card"):
        mine = doc_kinds == kind
        df[f"{kind}_no"] = _first(pd.DataFrame({"i": docs["i"].to_numpy()[mine], "v": doc_numbers[mine]}), n)
    # (pandas' str.upper and str.lower, and a mapping, of each distinct value once)
    for col, case in (("sex", str.upper), ("nationality", str.upper), ("address", str.lower),
                      ("district", str.lower), ("postcode", str.lower), ("other_id", str.lower)):
        df[col] = _per_distinct(_first(long_values(frame, col), n),
                                (lambda v: _SEX.get(v.upper(), "")) if col == "sex" else case)
    geocode = _per_distinct(_first(long_values(frame, "geocode"), n), lambda v: v[:4])
    df["district"] = df["district"].where(df["district"] != "", geocode)
    df["address_key"] = _per_distinct(df["address"], lambda a: " ".join(sorted(a.split())))
    # a migrant's name in Thai script meets its Latin passport spelling only about half the time (syllables
    # run together, tones and finals romanised apart): a foreigner's full date of birth is a block of its own
    nationality = df["nationality"].to_numpy(dtype=object)
    foreign = np.flatnonzero((nationality != "") & (nationality != "THA") & (dob[1] > 0) & (dob[2] > 0))
    born = np.full(n, "", dtype=object)
    born[foreign] = [f"{c}:{y}-{m}-{d}" for c, y, m, d in zip(nationality[foreign].tolist(), year[foreign].tolist(),
                                                               dob[1][foreign].tolist(), dob[2][foreign].tolist(),
                                                               strict=True)]
    df["foreign_birth_date"] = born
    return df, lists


_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")


def _dates(texts: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Year, month and day (0 where not written) of ``YYYY-MM-DD`` texts, each distinct text read once: what
    pandas' ``str.extract`` and ``to_numeric`` made of them (0.5 of 7 CPU s per 182k persons)."""
    codes, uniques = pd.factorize(np.asarray(texts, dtype=object))
    parts = np.zeros((len(uniques) + 1, 3), np.int32)  # a missing text (code -1): 0
    for k, text in enumerate(uniques.tolist()):
        m = _DATE.match(text)
        if m:
            parts[k] = [int(g) if g.isascii() else _number(g) for g in m.groups()]
    return parts[codes, 0], parts[codes, 1], parts[codes, 2]


def _number(text: str) -> int:
    """``to_numeric`` of a text of digits other than 0-9 (pandas reads none of them: 0)."""
    value = pd.to_numeric(pd.Series([text], dtype=object), errors="coerce").iloc[0]
    return 0 if pd.isna(value) else int(value)


def _numbers(frame: pd.DataFrame, column: str, n: int) -> np.ndarray:
    """The first value of a column as a whole number (0 if none), as ``to_numeric`` reads the text
    :func:`long_values` gives of it; a column of floats (a year, NaN where missing) read per distinct value."""
    values = frame[column].to_numpy() if column in frame else np.zeros(0)
    if values.dtype.kind == "f" and len(values):
        present = ~np.isnan(values)
        codes, bits = pd.factorize(values[present].view(np.int64))  # the bits: 0.0 and -0.0 are written apart
        distinct = pd.DataFrame({column: bits.view(np.float64)})
        out = np.zeros(n, np.int64)
        out[present] = _numbers_read(distinct, column, len(distinct))[codes]
        return out
    return _numbers_read(frame, column, n)


def _numbers_read(frame: pd.DataFrame, column: str, n: int) -> np.ndarray:
    return pd.to_numeric(pd.Series(_first(long_values(frame, column), n)), errors="coerce").fillna(0).astype(
        np.int64).to_numpy()
