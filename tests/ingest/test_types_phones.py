"""Phones: Thai mobiles and landlines to E.164, several per cell, foreign numbers kept."""

import pytest

from ingest.types.phones import phone, phone_list


@pytest.mark.parametrize(
    ("raw", "value", "kind", "flags"),
    [
        ("0812345678", "+66812345678", "mobile", ()),
        ("081-234-5678", "+66812345678", "mobile", ()),
        ("+66 81 234 5678", "+66812345678", "mobile", ()),
        ("66812345678", "+66812345678", "mobile", ()),
        ("+66 (0)81 234 5678", "+66812345678", "mobile", ()),
        ("0066812345678", "+66812345678", "mobile", ()),
        ("๐๘๑๒๓๔๕๖๗๘", "+66812345678", "mobile", ()),
        ("โทร. 089-123-4567", "+66891234567", "mobile", ()),
        ("812345678", "+66812345678", "mobile", ("missing_leading_zero",)),
        ("02-123-4567", "+6621234567", "landline", ()),
        ("055-123456", "+6655123456", "landline", ()),
        ("02-123-4567 ต่อ 112", "+6621234567", "landline", ("extension_dropped",)),
        ("+95 9 4500 12345", "+959450012345", "foreign", ("foreign",)),
        ("+855 12 345 678", "+85512345678", "foreign", ("foreign",)),
        ("959450012345", "+959450012345", "foreign", ("foreign_guess", "foreign")),
        ("12345", None, "unknown", ("unparseable",)),
        ("ไม่มีเบอร์", None, "unknown", ("unparseable",)),
    ],
)
def test_phone(raw, value, kind, flags):
    parsed = phone(raw)
    assert (parsed.raw, parsed.value, parsed.kind, parsed.flags) == (raw, value, kind, flags)


@pytest.mark.parametrize(
    ("raw", "values", "flags"),
    [
        ("0812345678, 0891234567", ("+66812345678", "+66891234567"), ()),
        ("081-234-5678/089-123-4567", ("+66812345678", "+66891234567"), ()),
        ("0812345678; 02-123-4567", ("+66812345678", "+6621234567"), ()),
        ("0812345678 0891234567", ("+66812345678", "+66891234567"), ()),
        ("081 234 5678", ("+66812345678",), ()),
        ("0812345678 หรือ +66 81 234 5678", ("+66812345678",), ("duplicate",)),
        ("0812345678, xx", ("+66812345678",), ()),
        ("", (), ("empty",)),
        ("xx", (), ("unparseable",)),
    ],
)
def test_phone_list(raw, values, flags):
    parsed = phone_list(raw)
    assert (parsed.value, parsed.flags) == (values, flags)


def test_bad_piece_is_kept_in_phones():
    parsed = phone_list("0812345678, xx")
    assert [p.raw for p in parsed.phones] == ["0812345678", "xx"]
    assert parsed.phones[1].flags == ("unparseable",)
