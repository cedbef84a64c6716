"""Graph context lists that join two records' own columns: PromptPay IDs against phones and Thai IDs.

A PromptPay ID is a phone number or a national ID registered to a bank account, so an account holder whose
account answers to the phone or ID of another record is tied to that record. It is context, not an identity
number: a ring plants a suspect's phone as the PromptPay ID of an official's or a relative's account, and
that account's holder is somebody else (the name then disagrees, and context never joins differently named
records; see :func:`entity_resolution.model.corroborated`).

Examples
--------
>>> import pandas as pd
>>> from entity_resolution.frame import Features
>>> frame = pd.DataFrame({"record_id": ["a", "b"], "names": ["สมชาย ใจดี", "Somchai Jaidee"],
...                       "promptpay_ids": [["081-234-5678"], None], "phones": [None, ["+66812345678"]]})
>>> f = Features.build(frame)  # builds them with add_context_lists
>>> bool(f.lists["promptpay"][1][0] == f.lists["own_numbers"][1][0])
True
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from entity_resolution.columns import _row_keys, as_text, long_values
from entity_resolution.frame import Features, _distinct_hashed, hash_values

__all__ = ["CONTEXT_LISTS", "RECORD_CONTEXT_LISTS", "AccountRows", "account_rows", "add_context_lists", "promptpay_key",
           "record_context_lists"]

#: The list columns this module adds to :attr:`Features.lists`.
CONTEXT_LISTS = ("promptpay", "own_numbers", "whole_names", "names_and_aliases", "account_cases")


def promptpay_key(raw: str) -> str:
    """A PromptPay ID in the form the person frame gives phones (``+66...``) and Thai IDs (13 digits).

    >>> promptpay_key("081-234-5678"), promptpay_key("66812345678"), promptpay_key("1-1007-00123-45-5")
    ('+66812345678', '+66812345678', '1100700123455')
    """
    digits = "".join(c for c in str(raw) if c.isdigit())
    if len(digits) == 10 and digits[0] == "0":
        return "+66" + digits[1:]
    if len(digits) == 11 and digits.startswith("66"):
        return "+" + digits
    return digits if len(digits) == 13 else ""


def _hashed(i: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct non-empty ``(i, value)`` rows, the values hashed (one factorisation serving both)."""
    keep = values != ""
    return _distinct_hashed(i[keep].astype(np.int64), values[keep].astype(object))


def add_context_lists(features: Features, frame: pd.DataFrame, records: pd.DataFrame | None = None,
                      rows: AccountRows | None = None) -> Features:
    """Add the context lists to ``features.lists``, hashed as the other list columns: ``promptpay`` (the
    PromptPay IDs of the accounts a record holds), ``own_numbers`` (its phones and Thai ID), ``whole_names``
    and ``names_and_aliases`` (:func:`record_context_lists`, unless built with the columns already), and
    ``account_cases`` (the case files, as export rows, that name an account the record holds: DSI's seized
    assets, AMLO's reports, RLPD's payouts). ``frame`` is the person frame the features were built from
    (same row order); ``records`` the whole resolution frame, whose identifier rows (accounts with their
    ``key``) tie accounts to export rows; ``rows`` its :func:`account_rows`, if worked out already."""
    if not set(RECORD_CONTEXT_LISTS) <= features.lists.keys():
        features.lists.update(record_context_lists(features.df, features.lists, frame))
    if rows is None and len(features.lists["accounts"][0]):
        rows = account_rows(records)
    features.lists["account_cases"] = _account_cases(features, rows)
    return features


#: The context lists that each record's own columns give (:func:`record_context_lists`).
RECORD_CONTEXT_LISTS = ("promptpay", "own_numbers", "whole_names", "names_and_aliases")


def record_context_lists(df: pd.DataFrame, lists: dict[str, tuple[np.ndarray, np.ndarray]], frame: pd.DataFrame
                         ) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """The context lists worked out from each record alone: from the matching columns ``df`` and hashed list
    columns ``lists`` (``alias_keys``) of the person frame ``frame`` (same rows), or of a part of it, as
    the other columns of a large frame are built part by part."""
    out: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    pp = long_values(frame, "promptpay_ids")
    keys = np.array([promptpay_key(v) for v in pp["v"].tolist()], dtype=object)
    out["promptpay"] = _hashed(pp["i"].to_numpy(np.int64), keys)
    phones = long_values(frame, "phones")
    ids = df["thai_id"].to_numpy(dtype=object)
    with_id = np.flatnonzero(ids != "")
    out["own_numbers"] = _hashed(np.r_[phones["i"].to_numpy(np.int64), with_id],
                                 np.r_[phones["v"].to_numpy(dtype=object), ids[with_id]])
    # a victim names the recruiter by a nickname that the police wrote down as a suspect's alias
    n = len(df)
    rows = np.r_[np.arange(n), np.arange(n)].astype(np.int64)
    names = np.r_[df["name_key"].to_numpy(dtype=object), df["name_key2"].to_numpy(dtype=object)]
    out["whole_names"] = wi, wv = _hashed(rows, names)
    ai, av = lists["alias_keys"]
    i, v = np.r_[wi, ai].astype(np.int64), np.r_[wv, av].astype(np.uint64)
    codes, uniques = pd.factorize(v)  # the distinct (i, v) rows, as drop_duplicates keeps them
    first = ~pd.Series(i * np.int64(max(len(uniques), 1)) + codes).duplicated().to_numpy()
    out["names_and_aliases"] = (i[first], v[first])
    return out


#: Export rows of account records, as :func:`account_rows` gives them: each row key's hash, the account's key.
AccountRows = tuple[np.ndarray, np.ndarray]


def account_rows(records: pd.DataFrame | None) -> AccountRows:
    """The account records of ``records`` (the whole resolution frame) on export rows that name a person
    too: each row key's hash and the account's key. It needs no person's features: a large frame's are
    worked out beside the columns' parts (:func:`entity_resolution.frame.Features.build`)."""
    empty = (np.zeros(0, np.uint64), np.zeros(0, dtype=object))
    if records is None or "key" not in records or "entity_type" not in records:
        return empty
    accounts = records[(records["entity_type"] == "Account").to_numpy() & records["key"].notna().to_numpy()]
    if not len(accounts):
        return empty
    # keep the account records of export rows that name a person too, before building any text (a
    # million-person world has millions of transaction rows naming two accounts and no person)
    persons = records[(records["entity_type"] == "Person").to_numpy()]
    on_row = accounts["row"].notna().to_numpy() & pd.Series(as_text(accounts["source_file"])).isin(
        pd.unique(as_text(persons["source_file"]))).to_numpy()
    if "exchange_id" in accounts:
        on_row |= accounts["exchange_id"].isin(persons["exchange_id"].dropna().unique()).to_numpy()
    rows = _row_keys(accounts[on_row].reset_index(drop=True))
    if not len(rows):
        return empty
    keys = accounts[on_row]["key"].to_numpy(dtype=object)[rows["i"].to_numpy()]
    return hash_values(rows["v"].to_numpy(dtype=object)), keys


def _account_cases(features: Features, rows: AccountRows | None) -> tuple[np.ndarray, np.ndarray]:
    """(record, row key hash) for every export row that names an account the record holds and also names a
    person: a DSI case seizes the account of a suspect's wife, an AMLO report names the subject's account."""
    empty = (np.zeros(0, np.int64), np.zeros(0, np.uint64))
    held_i, held_v = features.lists["accounts"]
    if rows is None or not len(held_i) or not len(rows[0]):
        return empty
    row_hash, keys = rows
    # only rows where a person is named too (not a transaction's or the account list's own row)
    person_rows = features.lists["case_keys"][1]
    named = pd.Series(row_hash).isin(person_rows).to_numpy()  # a hash table: np.isin sorted both (0.09 s)
    table = pd.DataFrame({"a": hash_values(keys[named]), "v": row_hash[named]})
    held = pd.DataFrame({"i": held_i, "a": held_v}).merge(table, on="a")[["i", "v"]].drop_duplicates()
    return held["i"].to_numpy(np.int64), held["v"].to_numpy(np.uint64)
