"""Case numbers: the variants that must meet, and the ones that must not."""

import pytest

from ingest.types.case_number import case_number

MEET = [
    ("RTP:สภ.แม่สอด:123/2561", ["สภ.แม่สอด 123/2561", "สภ. แม่สอด ที่ 123/61", "123/2561 สภ.แม่สอด",
                                "คดีอาญาที่ 123/2561 สภ.แม่สอด", "สถานีตำรวจภูธรแม่สอด คดีที่ ๑๒๓/๒๕๖๑",
                                "สภ.แม่สอด 0123/2561", "สภ.แม่สอด 123/2018"]),
    ("DSI:45/2561", ["คดีพิเศษที่ 45/2561", "คดีพิเศษ 45/2561", "DSI 45/2561", "dsi 45/61", "ดีเอสไอ 045/2561"]),
    ("OAG:อส.คม.:12/2561", ["อส.คม. 12/2561", "อส.คม.12/61", "อส. คม. 12/2561"]),
    ("COJ-BLACK:อ.1234/2561", ["คดีหมายเลขดำที่ อ.1234/2561", "หมายเลขดำ อ 1234/61", "คดีดำ อ.1234/2561"]),
    ("COJ-RED:อ.5678/2562", ["คดีหมายเลขแดงที่ อ.5678/2562", "หมายเลขแดง อ.5678/62"]),
    ("PACC:99/2562", ["ปปท. 99/2562", "ป.ป.ท. 99/2562", "ปท. 99/2562", "PACC 99/62"]),
    ("RLPD:5/2562", ["คส. 5/2562", "คส.5/62", "RLPD 5/2562"]),
]


@pytest.mark.parametrize(("canonical", "variants"), MEET)
def test_variants_meet(canonical, variants):
    assert {case_number(v).value for v in variants} == {canonical}


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("สภ.แม่สอด 123/2561", "สภ.แม่สอด 124/2561"),  # another number
        ("สภ.แม่สอด 123/2561", "สภ.แม่สอด 123/2562"),  # another year
        ("สภ.แม่สอด 123/2561", "สภ.แม่ระมาด 123/2561"),  # another station
        ("สภ.แม่สอด 45/2561", "คดีพิเศษที่ 45/2561"),  # police vs DSI
        ("คดีหมายเลขดำที่ อ.1234/2561", "คดีหมายเลขแดงที่ อ.1234/2561"),  # black vs red
        ("คดีพิเศษที่ 45/2561", "อส.คม. 45/2561"),  # DSI vs OAG
    ],
)
def test_different_cases_do_not_meet(a, b):
    assert case_number(a).value != case_number(b).value


@pytest.mark.parametrize(
    ("raw", "kind", "station", "value", "flags"),
    [
        ("อ.1234/2561", "court_black", None, "COJ-BLACK:อ.1234/2561", ()),
        ("อ.5678/2562", "คดีหมายเลขแดง", None, "COJ-RED:อ.5678/2562", ()),
        ("อ.1234/2561", None, None, "COJ:อ.1234/2561", ("court_colour_unknown",)),
        ("123/2561", "police", "แม่สอด", "RTP:สภ.แม่สอด:123/2561", ()),
        ("123/2561", "police", "สภ.แม่สอด", "RTP:สภ.แม่สอด:123/2561", ()),
        ("123/2561", "police", None, "RTP:?:123/2561", ("no_station",)),
        ("123/2561", None, None, "CASE:123/2561", ("kind_unknown",)),
        ("คดีพิเศษที่ 45/2561", "police", None, "DSI:45/2561", ("kind_hint_mismatch",)),
        ("ปท. 12/2562", "pacc", None, "PACC:12/2562", ()),
        ("12/2562", "rlpd", None, "RLPD:12/2562", ()),
        ("ไม่มี", None, None, None, ("unparseable",)),
        ("", None, None, None, ("empty",)),
    ],
)
def test_hints(raw, kind, station, value, flags):
    parsed = case_number(raw, kind, station)
    assert (parsed.value, parsed.flags) == (value, flags)


def test_parts():
    parsed = case_number("สภ. แม่สอด ที่ 123/61")
    assert (parsed.kind, parsed.number, parsed.year, parsed.authority) == ("police", 123, 2561, "สภ.แม่สอด")
