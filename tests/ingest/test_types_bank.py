"""Bank accounts, amounts and sentences."""

import pytest

from ingest.types.bank import amount, bank_account, bank_code, sentence


@pytest.mark.parametrize(
    ("raw", "bank", "value", "flags"),
    [
        ("123-4-56789-0", "004", "004-1234567890", ()),
        ("1234567890", "KBANK", "004-1234567890", ()),
        ("123 4 56789 0", "ธนาคารกสิกรไทย", "004-1234567890", ()),
        ("๑๒๓-๔-๕๖๗๘๙-๐", "4", "004-1234567890", ()),
        ("KBANK 123-4-56789-0", None, "004-1234567890", ()),
        ("004-1234567890", None, "004-1234567890", ()),
        ("SCB 123-4-56789-0", "002", "002-1234567890", ("bank_mismatch",)),
        ("002-1-23456-7", "KTB", "006-0021234567", ()),  # the number itself starts with 002
        ("020123456789", "ออมสิน", "030-020123456789", ()),  # GSB: 12 digits
        ("12345", "BBL", "002-12345", ("unusual_length",)),
        ("1234567890", None, None, ("no_bank",)),
        ("1234567890", "Bank of Mars", None, ("unknown_bank",)),
        ("12AB", "BBL", None, ("not_digits",)),
        ("", "BBL", None, ("empty",)),
    ],
)
def test_bank_account(raw, bank, value, flags):
    parsed = bank_account(raw, bank)
    assert (parsed.raw, parsed.value, parsed.flags) == (raw, value, flags)


@pytest.mark.parametrize(
    ("name", "code"),
    [("BBL", "002"), ("ธนาคารกรุงเทพ", "002"), ("กสิกรไทย", "004"), ("Krung Thai Bank", "006"), ("TTB", "011"),
     ("ไทยพาณิชย์", "014"), ("กรุงศรี", "025"), ("GSB", "030"), ("30", "030"), ("ธ.ก.ส.", "034"), ("XYZ", None)],
)
def test_bank_code(name, code):
    assert bank_code(name) == code


@pytest.mark.parametrize(
    ("raw", "value", "currency", "flags"),
    [
        ("1,250,000.00", 1250000.0, "THB", ()),
        ("400,000 บาท", 400000.0, "THB", ()),
        ("1.25 ล้าน", 1250000.0, "THB", ()),
        ("1.25 ล้านบาท", 1250000.0, "THB", ()),
        ("5 แสน", 500000.0, "THB", ()),
        ("฿ 3,000", 3000.0, "THB", ()),
        ("๑,๐๐๐.-", 1000.0, "THB", ()),
        ("(1,000)", -1000.0, "THB", ("negative",)),
        ("0", 0.0, "THB", ()),
        ("USD 1,000", 1000.0, "USD", ("foreign_currency",)),
        ("50,000 บาท และ 20,000 บาท", 50000.0, "THB", ("several_numbers",)),
        ("", None, "THB", ("empty",)),
        ("ไม่ทราบ", None, "THB", ("unparseable",)),
    ],
)
def test_amount(raw, value, currency, flags):
    parsed = amount(raw)
    assert (parsed.value, parsed.currency, parsed.flags) == (value, currency, flags)


@pytest.mark.parametrize(
    ("raw", "years", "months", "fine", "life", "suspended", "flags"),
    [
        ("จำคุก 8 ปี ปรับ 400,000 บาท", 8, 0, 400000.0, False, False, ()),
        ("จำคุก 1 ปี 6 เดือน", 1, 6, None, False, False, ()),
        ("จำคุก 8 ปี ลดโทษกึ่งหนึ่ง คงจำคุก 4 ปี", 4, 0, None, False, False, ("reduced",)),
        ("จำคุก 2 ปี ปรับ 40,000 บาท โทษจำคุกให้รอการลงโทษไว้ 2 ปี", 2, 0, 40000.0, False, True, ()),
        ("จำคุกตลอดชีวิต", 0, 0, None, True, False, ()),
        ("8 years imprisonment and fine 400,000 THB", 8, 0, 400000.0, False, False, ()),
        ("ยกฟ้อง", 0, 0, None, False, False, ("unparseable",)),
    ],
)
def test_sentence(raw, years, months, fine, life, suspended, flags):
    s = sentence(raw)
    assert (s.years, s.months, s.fine_thb, s.life, s.suspended, s.flags) == (years, months, fine, life, suspended,
                                                                            flags)
