"""Namesakes among migrants (issue 8): short Myanmar names without a family name, written in either order,
shared by several people of one generation. Seen at 100,000 persons, where a work permit of one "Moe Kin"
joined the immigration records of another born the same year and month."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from er_helpers import pair, resolve_rows

from entity_resolution.clustering import cluster

MIGRANT = {"sex": "F", "nationality": "MMR"}
#: Two women called Moe Kin: each has a work permit (pink card) and an immigration record (passport);
#: their dates of birth share the year and the month.
MOE_KIN = [
    {"record_id": "permit1", **MIGRANT, "names": "Moe Kin", "pink_card": "0055068133099", "birth_date": "1987-12-13"},
    {"record_id": "travel1", **MIGRANT, "names": "Kin Moe", "passport": "MB462937", "birth_date": "1987-12-13"},
    {"record_id": "permit2", **MIGRANT, "names": "Moe Kin", "pink_card": "0023203620969", "birth_date": "1987-12-27"},
    {"record_id": "travel2", **MIGRANT, "names": "Moe Kin", "passport": "MB382160", "birth_date": "1987-12-27"},
]


def test_namesakes_with_dates_of_one_month_stay_two_people(tmp_path: Path) -> None:
    res = resolve_rows(MOE_KIN, tmp_path)
    assert res.entity_of("permit1") == res.entity_of("travel1"), res.explain_pair("permit1", "travel1")
    assert res.entity_of("permit2") == res.entity_of("travel2"), res.explain_pair("permit2", "travel2")
    assert res.entity_of("permit1") != res.entity_of("permit2")
    crossed = res.explain_pair("permit1", "travel2")
    weights = {f["feature"]: f["weight"] for f in crossed["features"]}
    levels = {f["feature"]: f["level"] for f in crossed["features"]}
    # the name is known to belong to two people (two pink cards): a date agreeing in part says nothing
    assert levels["birth_date"] == "two of day, month, year agree" and weights["birth_date"] == 0
    assert crossed["decision"] != "merge" and not crossed["same_entity"]


def test_a_partial_date_still_joins_a_name_of_one_person(tmp_path: Path) -> None:
    # the same pair of records with a name nobody else carries: a day miswritten is a slip, not a namesake
    rows = pair({**MIGRANT, "names": "Aung Kyaw Min", "pink_card": "0055068133099", "birth_date": "1987-12-13"},
                {**MIGRANT, "names": "Min Aung Kyaw", "passport": "MB462937", "birth_date": "1987-12-31"})
    res = resolve_rows(rows, tmp_path)
    assert res.entity_of("a") == res.entity_of("b"), res.explain_pair("a", "b")


def test_passports_one_digit_apart_with_other_dates_are_two_people(tmp_path: Path) -> None:
    # passports are issued in sequence: neighbours in a batch differ in the last digit
    apart = resolve_rows(pair({"names": "Tun Htet", "passport": "MB522835", "birth_date": "2001-03-16"},
                              {"names": "Htet Tun", "passport": "MB522831", "birth_date": "1992-09-29"}), tmp_path / "x")
    assert apart.entity_of("a") != apart.entity_of("b"), apart.explain_pair("a", "b")
    slip = resolve_rows(pair({"names": "Tun Htet", "passport": "MB522835", "birth_date": "2001-03-16"},
                             {"names": "Htet Tun", "passport": "MB522853", "birth_date": "2001-03-16"}), tmp_path / "y")
    assert slip.entity_of("a") == slip.entity_of("b"), slip.explain_pair("a", "b")


def test_a_cluster_holds_one_passport() -> None:
    # permit (no passport) - travel1 (MB462937) is the strongest edge; permit - travel2 (MB382160) is refused
    # however the chain runs, and travel2's own duplicate (a slip in the number) still joins it
    passports = np.array(["", "MB462937", "MB382160", "MB382106"], dtype=object)
    labels, used = cluster(4, np.array([0, 0, 2]), np.array([1, 2, 3]), np.array([9.0, 5.0, 20.0]),
                           np.array([""] * 4, dtype=object), documents={"travel document": [passports]})
    assert labels.tolist() == [0, 0, 2, 2] and used.tolist() == [True, False, True]
    pink = np.array(["0055068133099", "", "0023203620969", ""], dtype=object)
    labels, _ = cluster(4, np.array([0, 1, 2]), np.array([1, 2, 3]), np.array([9.0, 8.0, 7.0]),
                        np.array([""] * 4, dtype=object), documents={"pink card": [pink]})
    assert labels.tolist() == [0, 0, 2, 2]  # the chain 0-1-2 stops at the second pink card


def test_a_person_may_merge_across_two_passports(tmp_path: Path) -> None:
    # a renewed passport: the model keeps the records apart, an analyst who knows merges them, and re-runs
    # keep the decision
    from entity_resolution.judgements import JudgementStore

    rows = [{"record_id": "old", **MIGRANT, "names": "Moe Kin", "passport": "MB462937", "birth_date": "1987-12-13"},
            {"record_id": "permit", **MIGRANT, "names": "Moe Kin", "pink_card": "0055068133099",
             "birth_date": "1987-12-13"},
            {"record_id": "new", **MIGRANT, "names": "Kin Moe", "passport": "MC100234", "birth_date": "1987-12-13"}]
    res = resolve_rows(rows, tmp_path)
    assert res.entity_of("old") != res.entity_of("new")
    JudgementStore(tmp_path / "judgements.sqlite").add("old", "new", "merge", user="analyst")
    for _ in range(2):
        res = resolve_rows(rows, tmp_path)
        assert res.entity_of("old") == res.entity_of("new") == res.entity_of("permit")
