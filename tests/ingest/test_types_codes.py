"""Nationality and sex codes."""

import pytest

from ingest.types.codes import country_in_text, nationality, sex


@pytest.mark.parametrize(
    ("raw", "value", "flags"),
    [
        ("ไทย", "THA", ()), ("เมียนมา", "MMR", ()), ("พม่า", "MMR", ()), ("สัญชาติพม่า", "MMR", ()),
        ("กัมพูชา", "KHM", ()), ("เขมร", "KHM", ()), ("ลาว", "LAO", ()), ("เวียดนาม", "VNM", ()),
        ("MMR", "MMR", ()), ("mmr", "MMR", ()), ("KH", "KHM", ()), ("Myanmar", "MMR", ()),
        ("Cambodian", "KHM", ()), ("ไร้สัญชาติ", "XXA", ("stateless",)), ("", None, ("empty",)),
        ("ดาวอังคาร", None, ("unknown_nationality",)),
    ],
)
def test_nationality(raw, value, flags):
    parsed = nationality(raw)
    assert (parsed.raw, parsed.value, parsed.flags) == (raw, value, flags)


@pytest.mark.parametrize(
    ("text", "iso3"),
    [("Myawaddy, Kayin State, Myanmar", "MMR"), ("เมียวดี ประเทศเมียนมา", "MMR"), ("Poipet, Cambodia", "KHM"),
     ("เวียงจันทน์ สปป.ลาว", "LAO"), ("Mae Sot, Tak", None), ("Lao Cai, Vietnam", "VNM")],
)
def test_country_in_text(text, iso3):
    assert country_in_text(text) == iso3


@pytest.mark.parametrize(
    ("raw", "value"),
    [("ชาย", "M"), ("หญิง", "F"), ("M", "M"), ("f", "F"), ("1", "M"), ("2", "F"), ("Female", "F"), ("ไม่ระบุ", None),
     ("", None)],
)
def test_sex(raw, value):
    assert sex(raw).value == value
