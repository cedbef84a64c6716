"""Name keys meet across Thai and Latin script, spelling variants, prefixes and token order."""

from __future__ import annotations

import pytest

from entity_resolution.names import latin_key, org_key, parse_name


@pytest.mark.parametrize(("a", "b"), [
    ("นายสมชาย ใจดี", "Somchai Jaidee"),
    ("สมชาย ใจดี", "SOMCHAI CHAIDEE"),
    ("Somchai Jai-dee", "Mr. Somchai Jaidee"),
    ("ใจดี สมชาย", "Somchai Jaidee"),  # first and last swapped
    ("พ.ต.ท.สมชาย ใจดี", "สมชาย ใจดี"),  # rank
    ("นางสาวนิภา ธงภักดิ์ (แดง)", "นิภา ธงภักดิ์"),  # nickname in brackets
    ("Maung Aung Kyaw", "Aung Kyaw"),  # Myanmar honorific
])
def test_same_name_key(a: str, b: str) -> None:
    assert parse_name(a).key == parse_name(b).key


@pytest.mark.parametrize(("a", "b"), [
    ("สมชาย ใจดี", "สมศักดิ์ ใจดี"),
    ("Somchai Jaidee", "Somchai Srisuk"),
])
def test_different_name_key(a: str, b: str) -> None:
    assert parse_name(a).key != parse_name(b).key


def test_aliases_are_kept_apart() -> None:
    assert parse_name("นายสมชาย ใจดี (เสี่ยหนุ่ย)").aliases == ("เสี่ยหนุ่ย",)


@pytest.mark.parametrize("variant", ["Phommachanh", "Pommachan", "Phommajanh", "Phomma-chanh"])
def test_romanisation_variants_fold(variant: str) -> None:
    assert latin_key(variant) == latin_key("Phommachanh")


def test_company_names_without_legal_form() -> None:
    assert org_key("บริษัท ทองดี จำกัด") == org_key("THONGDEE CO., LTD.")
    assert org_key("Thongdee Fishing Co., Ltd.") != org_key("Thongdee Co., Ltd.")


def test_royin_table_agrees_with_pythainlp() -> None:
    """The romanisations made ahead are what the installed pythainlp gives (rebuild the table when it
    changes: ``python -m entity_resolution._build_royin``), and words outside the table are romanised."""
    import random

    from pythainlp.transliterate import romanize

    from entity_resolution import names

    table = names._royin_table()
    assert len(table) > 20_000
    for word in random.Random(7).sample(sorted(table), 150):
        assert table[word] == str(romanize(word, engine="royin")).lower(), word
    outside = "ซอมินทุนอ่อง"
    assert outside not in table
    names.romanise.cache_clear()
    assert names.romanise(outside) == str(romanize(outside, engine="royin")).lower()
