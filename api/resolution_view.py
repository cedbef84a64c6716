"""Entity-resolution answers (explanations, review queue, judgements) as one user may see them.

Explanations name *source records*, and a record belongs to the agency that exported it: an AMLO record id
shown to an investigator without the finance grant, or an MSDHS victim record shown to a role without victim
clearance, leaks the compartment as surely as its values would. So every record id of an answer is
checked against the viewer's hidden agencies (:attr:`api.policy.Clearance.hidden_agencies`), like the
``sources`` of graph answers:

- a pair, near miss or judgement naming a hidden record is left out, and so is a hidden member record;
- a record whose agency cannot be told (not in ``records.sqlite`` nor in the run) is shown only to users
  who may see every compartment, and a record that exists nowhere is treated like a hidden one (so that
  "hidden" and "no such record" give the same answer);
- without finance clearance the shared-bank-account evidence is withheld (``Account`` nodes are financial
  data whoever recorded them): the ``accounts`` feature loses its level and weight, blocking on accounts is
  not named, and the pair's total weight and probability (which would give the withheld part away as their
  difference from the shown parts) are withheld too. The decision stays.

Examples
--------
>>> from api.policy import Clearance
>>> sight = RecordSight(Clearance.for_role("investigator"), {"rtp-1": "RTP", "amlo-1": "AMLO", "x": None})
>>> sight.visible("rtp-1"), sight.visible("amlo-1"), sight.visible("x"), sight.visible("nowhere")
(True, False, False, False)
>>> RecordSight(Clearance.for_role("admin"), {"x": None}).visible("x")
True
>>> pair = {"record_a": "rtp-1", "record_b": "dsi-1", "weight": 9.5, "probability": 0.99, "decision": "merge",
...         "blocking_rules": ["block_on('accounts')", "block_on('thai_id')"],
...         "features": [{"feature": "accounts", "level": "share an account", "weight": 6.0}]}
>>> shown = sight.pair(pair)
>>> shown["weight"], shown["features"][0]["level"], shown["blocking_rules"], shown["decision"]
(None, None, ["block_on('thai_id')"], 'merge')
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

import pandas as pd

from api.policy import Clearance
from api.provenance import RecordLookup

__all__ = ["FINANCE_FEATURES", "RecordSight", "record_agencies", "record_ids_of_entity"]

#: Comparisons whose evidence is financial data (bank accounts): withheld without finance clearance.
FINANCE_FEATURES = frozenset({"accounts"})
#: Why a feature or total is empty, as the answer says it.
WITHHELD = "withheld: financial data (AMLO) needs the amlo role or a finance grant"
#: An agency lookup's answer for a record that exists but whose agency is not recorded.
UNKNOWN: str | None = None


def record_agencies(
    ids: Iterable[str], records: RecordLookup | None, resolution: Any = None
) -> dict[str, str | None]:
    """``record_id -> agency`` of the records that exist (agency None when not recorded).

    ``records.sqlite`` (ingest's store) answers when it exists; otherwise the saved resolution run does (its
    ``meta`` frame, and its record -> entity mapping for existence).
    """
    ids = list(dict.fromkeys(ids))
    if not ids:
        return {}
    if records is not None and records.available:
        return dict(records.agencies(ids))
    if resolution is None:
        return {}
    out: dict[str, str | None] = {}
    meta: pd.DataFrame = getattr(resolution, "meta", pd.DataFrame())
    if "record_id" in meta and "agency" in meta:
        found = meta[meta["record_id"].isin(ids)]
        out.update((str(r), str(a) if isinstance(a, str) and a else UNKNOWN)
                   for r, a in zip(found["record_id"], found["agency"], strict=True))
    mapping: Mapping[str, str] = getattr(resolution, "mapping", {})
    out.update((i, UNKNOWN) for i in ids if i not in out and i in mapping)
    return out


class RecordSight:
    """Which source records, features and totals of entity resolution a clearance may see.

    ``agencies`` maps the record ids of an answer to their agency (see :func:`record_agencies`); an id
    missing from it does not exist.
    """

    def __init__(self, clearance: Clearance, agencies: Mapping[str, str | None]) -> None:
        self.clearance = clearance
        self.hidden = clearance.hidden_agencies
        self.agencies = dict(agencies)

    def visible(self, record_id: str) -> bool:
        """Whether the record exists and comes from an agency the viewer may see."""
        if record_id not in self.agencies:
            return False
        agency = self.agencies[record_id]
        return not self.hidden if agency is UNKNOWN else agency not in self.hidden

    def all_visible(self, *record_ids: str) -> bool:
        """Whether every record is visible."""
        return all(self.visible(r) for r in record_ids)

    @property
    def withholds_finance(self) -> bool:
        """Whether shared-account evidence (and the totals it enters) is withheld from this viewer."""
        return not self.clearance.finance

    def pair(self, answer: dict[str, Any]) -> dict[str, Any]:
        """An explained pair (both records visible) with the financial evidence withheld as needed."""
        if not self.withholds_finance:
            return answer
        features = [{**f, "level": None, "weight": None, "withheld": WITHHELD} if f.get("feature") in FINANCE_FEATURES
                    else f for f in answer.get("features", [])]
        rules = [r for r in answer.get("blocking_rules", []) if not any(f"'{c}'" in r for c in FINANCE_FEATURES)]
        return {**answer, "features": features, "blocking_rules": rules, **self._totals_withheld(answer)}

    def _totals_withheld(self, row: Mapping[str, Any]) -> dict[str, Any]:
        return {k: None for k in ("weight", "probability") if k in row}

    def scored_row(self, row: dict[str, Any]) -> dict[str, Any]:
        """A review-queue row or near miss with its totals withheld as needed."""
        return {**row, **self._totals_withheld(row)} if self.withholds_finance else row

    def judgement(self, judged: Mapping[str, Any] | None) -> bool:
        """Whether a judgement (``{a, b, ...}``) names only visible records."""
        return judged is not None and self.all_visible(str(judged["a"]), str(judged["b"]))

    def entity(self, answer: dict[str, Any]) -> dict[str, Any]:
        """An entity's explanation without the hidden members and whatever names them."""
        return {
            **answer,
            "members": [m for m in answer.get("members", []) if self.visible(m)],
            "pairs": [self.pair(p) for p in answer.get("pairs", []) if self.all_visible(p["record_a"], p["record_b"])],
            "near_misses": [self.scored_row(p) for p in answer.get("near_misses", [])
                            if self.all_visible(p["record_a"], p["record_b"])],
            "judgements": [j for j in answer.get("judgements", []) if self.judgement(j)],
        }


def record_ids_of_entity(answer: Mapping[str, Any]) -> Iterator[str]:
    """Every record id an entity explanation names."""
    yield from answer.get("members", [])
    for key in ("pairs", "near_misses"):
        for p in answer.get(key, []):
            yield p["record_a"]
            yield p["record_b"]
    for j in answer.get("judgements", []):
        yield j["a"]
        yield j["b"]
