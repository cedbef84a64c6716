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
>>> f = add_context_lists(Features.build(frame), frame)
>>> bool(f.lists["promptpay"][1][0] == f.lists["own_numbers"][1][0])
True
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from entity_resolution.columns import long_values
from entity_resolution.frame import Features, hash_values

__all__ = ["CONTEXT_LISTS", "add_context_lists", "promptpay_key"]

#: The list columns this module adds to :attr:`Features.lists`.
CONTEXT_LISTS = ("promptpay", "own_numbers", "whole_names", "names_and_aliases")


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
    keep = values != ""
    table = pd.DataFrame({"i": i[keep], "v": values[keep]}).drop_duplicates()
    return table["i"].to_numpy(np.int64), hash_values(table["v"].to_numpy(dtype=object))


def add_context_lists(features: Features, frame: pd.DataFrame) -> Features:
    """Add ``promptpay`` (the PromptPay IDs of the accounts a record holds) and ``own_numbers`` (its phones
    and Thai ID) to ``features.lists``, hashed as the other list columns; ``frame`` is the frame the
    features were built from (same row order)."""
    pp = long_values(frame, "promptpay_ids")
    keys = np.array([promptpay_key(v) for v in pp["v"].tolist()], dtype=object)
    features.lists["promptpay"] = _hashed(pp["i"].to_numpy(np.int64), keys)
    phones = long_values(frame, "phones")
    ids = features.df["thai_id"].to_numpy(dtype=object)
    with_id = np.flatnonzero(ids != "")
    features.lists["own_numbers"] = _hashed(np.r_[phones["i"].to_numpy(np.int64), with_id],
                                            np.r_[phones["v"].to_numpy(dtype=object), ids[with_id]])
    # a victim names the recruiter by a nickname that the police wrote down as a suspect's alias
    n = len(features.df)
    rows = np.r_[np.arange(n), np.arange(n)].astype(np.int64)
    names = np.r_[features.df["name_key"].to_numpy(dtype=object), features.df["name_key2"].to_numpy(dtype=object)]
    features.lists["whole_names"] = _hashed(rows, names)
    wi, wv = features.lists["whole_names"]
    ai, av = features.lists["alias_keys"]
    both = pd.DataFrame({"i": np.r_[wi, ai], "v": np.r_[wv, av]}).drop_duplicates()
    features.lists["names_and_aliases"] = (both["i"].to_numpy(np.int64), both["v"].to_numpy(np.uint64))
    return features
