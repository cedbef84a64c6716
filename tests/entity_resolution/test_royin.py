"""The trie-free romanisation gives pythainlp's ``romanize(engine="royin")`` text, word for word."""

from __future__ import annotations

import random

import pytest

from entity_resolution import royin
from entity_resolution.names import _royin_table

# words outside pythainlp's dictionary and names table, spaces, digits, a syllable separator ("กร" after a
# closed syllable), a silent ห, รร, a long run of one letter
_WORDS = ["ซอมินทุนอ่อง", "สมชายใจดีมาก", "รส ดี", "ไทย  คน", " ", "กร", "สามารถกร", "ภาพยนตร์", "ห", "กรรม",
          "สรร", "ฤทธิ์", "ก็อปปี้", "12:30น.", "abcไทย", "ก" * 100, "เสี่ยหนุ่ย", "ทองดีฟิชชิ่ง"]


@pytest.mark.parametrize("word", _WORDS)
def test_romanize_is_pythainlps(word: str) -> None:
    from pythainlp.transliterate import romanize

    assert royin.romanize(word) == romanize(word, engine="royin")


def test_romanize_agrees_with_the_names_table() -> None:
    """The table holds pythainlp's romanisations of its corpus names (lower-cased)."""
    table = _royin_table()
    for word in random.Random(11).sample(sorted(table), 1500):
        assert royin.romanize(word).lower() == table[word], word


def test_word_set_answers_as_the_trie() -> None:
    from pythainlp.tokenize import word_dict_trie

    words, trie = royin._dictionary(), word_dict_trie()
    assert len(words) == len(trie)
    for text in ("สมชายใจดีมาก", "ภาพยนตร์ไทย", "กรุงเทพมหานคร"):
        for start in range(len(text)):
            assert words.prefixes(text, start) == trie.prefixes(text, start)
    for word in ("ภาพยนตร์", "ไทย", "สมชาย", "ซอมินทุนอ่อง", ""):
        assert (word in words) == (word in trie), word
    with pytest.raises(TypeError, match="read only"):
        words.add("ซอมินทุนอ่อง")
