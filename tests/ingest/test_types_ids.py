"""Identity numbers: check digits, separators, kinds, typo helpers."""

import pytest
from stdnum.th import moa, pin

from ingest.types.thai_id import (
    company_reg,
    id_document,
    likely_typo_of,
    one_digit_variants,
    passport,
    pink_card,
    thai_id,
)


@pytest.mark.parametrize(
    ("raw", "value", "valid", "flags"),
    [
        ("1100700123455", "1100700123455", True, ()),
        ("1-1007-00123-45-5", "1100700123455", True, ()),
        ("1 1007 00123 45 5", "1100700123455", True, ()),
        ("๑๑๐๐๗๐๐๑๒๓๔๕๕", "1100700123455", True, ()),  # Thai digits
        ("\ufeff3100600445635 ", "3100600445635", True, ()),
        ("1100700123456", "1100700123456", False, ("bad_check_digit",)),  # kept, flagged
        ("110070012345", "110070012345", False, ("bad_length",)),
        ("11007001234A5", None, False, ("not_digits",)),
        ("", None, False, ("empty",)),
        ("ไม่มี", None, False, ("empty",)),
        ("9100700123459", "9100700123459", False, ("bad_check_digit", "bad_first_digit")),
    ],
)
def test_thai_id(raw, value, valid, flags):
    parsed = thai_id(raw)
    assert (parsed.raw, parsed.value, parsed.valid, parsed.flags) == (raw, value, valid, flags)


@pytest.mark.parametrize("number", ["1100700123455", "3100600445635", "1234545678781", "0105561012346"])
def test_check_digit_agrees_with_stdnum(number):
    assert (thai_id(number).valid or company_reg(number).valid) == (pin.is_valid(number) or moa.is_valid(number))
    wrong = number[:-1] + str((int(number[-1]) + 1) % 10)
    assert not thai_id(wrong).valid and not company_reg(wrong).valid


def test_pink_card_and_company_prefixes():
    assert pink_card("0045631234564").valid
    assert pink_card("1100700123455").flags == ("not_pink_card_prefix",)
    assert company_reg("0-1055-61012-34-6").value == "0105561012346"
    assert company_reg("0045631234564").flags == ("not_company_prefix",)


@pytest.mark.parametrize(
    ("raw", "hint", "kind", "value", "flags"),
    [
        ("1-1007-00123-45-5", "บัตรประชาชน", "thai_id", "1100700123455", ()),
        ("0045631234564", "บัตรชมพู", "pink_card", "0045631234564", ()),
        ("0045631234564", None, "pink_card", "0045631234564", ()),
        ("0105561012346", None, "company_reg", "0105561012346", ()),
        ("mb 123456", "หนังสือเดินทาง", "passport", "MB123456", ()),
        ("N1234567", "PASSPORT", "passport", "N1234567", ()),
        ("1100700123455", "หนังสือเดินทาง", "thai_id", "1100700123455", ("type_hint_mismatch",)),
        ("K123456", "BORDER_PASS", "border_pass", "K123456", ()),
        ("110070012345", "บัตรประชาชน", "thai_id", "110070012345", ("bad_length",)),
        ("ไม่มี", "ไม่มี", "passport", None, ("empty",)),
        ("ก123", None, "unknown", "ก123", ("not_alphanumeric",)),
    ],
)
def test_id_document_detects_kind(raw, hint, kind, value, flags):
    parsed = id_document(raw, hint)
    assert (parsed.kind, parsed.value, parsed.flags) == (kind, value, flags)


def test_passport_normalises():
    assert passport("Passport No. ab-1234567").value == "AB1234567"
    assert passport("12AB").flags == ("not_alphanumeric",)
    assert passport("ABCDEFG").flags == ("unusual_passport_format",)


@pytest.mark.parametrize(
    ("a", "b", "typo"),
    [
        ("1100700123455", "1100700123456", True),  # one digit
        ("1100700123455", "1100700124355", True),  # adjacent swap
        ("1100700123455", "1100700154325", False),  # far swap
        ("1100700123455", "2200700123455", False),  # two digits
        ("1100700123455", "110070012345", False),  # length
    ],
)
def test_likely_typo_of(a, b, typo):
    assert likely_typo_of(a, b) is typo
    assert (b in one_digit_variants(a)) is typo


def test_check_digit_is_stdnums() -> None:
    """The check digit computed in C-level loops is python-stdnum's, on random and edge numbers."""
    import random

    from stdnum.th import pin

    from ingest.types.thai_id import _check_digit

    rng = random.Random(4)
    numbers = ["0" * 13, "9" * 13, "1100700123455", *("".join(rng.choices("0123456789", k=13)) for _ in range(20_000))]
    assert [_check_digit(n) for n in numbers] == [pin.calc_check_digit(n) for n in numbers]
