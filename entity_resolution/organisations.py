"""Organisations: the same registration number, or the same normalised name with no conflicting number.

Examples
--------
>>> import pandas as pd
>>> frame = pd.DataFrame({"record_id": ["o1", "o2", "o3"],
...                       "names": [["บริษัท ทองดี จำกัด"], ["Thongdee Co., Ltd."], ["Thongdee Co., Ltd."]],
...                       "registration_no": ["0105561012346", "", "0105561012354"]})
>>> resolve_organisations(frame).tolist()
[0, 0, 2]
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from entity_resolution.clustering import cluster
from entity_resolution.names import org_key

__all__ = ["resolve_organisations"]


def _first(value: object) -> str:
    if isinstance(value, list | tuple | np.ndarray):
        return str(value[0]) if len(value) else ""
    return "" if value is None or (isinstance(value, float) and np.isnan(value)) else str(value)


def resolve_organisations(frame: pd.DataFrame) -> np.ndarray:
    """Cluster label (smallest member index) per organisation record of ``frame``.

    Records with equal registration numbers join; records with equal name keys join unless their
    clusters carry two different registration numbers (the number is a cannot-link, like a Thai ID).
    """
    n = len(frame)
    if n == 0:
        return np.zeros(0, np.int64)
    names = frame["names"] if "names" in frame else pd.Series([""] * n)
    keys = np.array([org_key(_first(v)) for v in names], dtype=object)
    regs = np.array(["".join(ch for ch in _first(v) if ch.isdigit())
                     for v in (frame["registration_no"] if "registration_no" in frame else [""] * n)], dtype=object)
    ii, jj, ss = [], [], []
    for values, weight in ((regs, 2.0), (keys, 1.0)):
        s = pd.Series(np.arange(n))[values != ""]
        groups = s.groupby(values[values != ""])
        for members in groups:
            m = members[1].to_numpy()
            ii.append(np.full(len(m) - 1, m[0]))
            jj.append(m[1:])
            ss.append(np.full(len(m) - 1, weight))
    if not ii:
        return np.arange(n)
    i, j, scores = np.concatenate(ii), np.concatenate(jj), np.concatenate(ss)
    # chain edges within a name group from every member to the first keep clustering near-linear
    # a registration number with a wrong check digit joins its equals but keeps nobody apart (a typo)
    valid = np.array([_valid_registration(r) for r in regs], bool)
    labels, _ = cluster(n, i, j, scores, np.where(valid, regs, ""))
    return labels


def _valid_registration(value: str) -> bool:
    if len(value) != 13 or not value.isdigit():
        return False
    total = sum(int(d) * (13 - k) for k, d in enumerate(value[:12]))
    return (11 - total % 11) % 10 == int(value[12])
