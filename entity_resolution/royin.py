"""pythainlp's Royal Institute romanisation (``romanize(text, engine="royin")``) without building its word trie.

pythainlp cuts a Thai word into dictionary words (``newmm``, over a trie of its 62,106 words) and romanises
each. Building the trie took 0.35 CPU s, in every resolution that meets one Thai word outside
``data/royin_names.csv``, before the features' processes could start. Here the same words are looked up
in a set (loaded and built in 0.03-0.06 s), which answers ``prefixes`` with the same words in the same
order, and each dictionary word is romanised once per process (the words outside the table share their
syllables): the 1,221 such words of a 100k-person world took 0.39 CPU s with pythainlp's ``romanize``
(after the trie), 0.14 here (2026-11-27, load 5). The steps are pythainlp's own functions, called as its
``royin.romanize`` calls them (checked against pythainlp 5.4.0, the version ``constraints.txt`` pins;
``tests/entity_resolution/test_royin.py`` compares the two).

Examples
--------
>>> romanize("สมชาย"), romanize("ซอมินทุนอ่อง"), romanize("")
('somchai', 'sominthunong', '')
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import cache, lru_cache
from typing import Any

__all__ = ["romanize"]


@cache
def _dictionary() -> Any:
    """pythainlp's default word dictionary as a :class:`pythainlp.util.Trie` that keeps its words in a set."""
    from pythainlp.corpus import thai_words
    from pythainlp.util import Trie

    class WordSet(Trie):
        """A trie's answers from a set of words: ``prefixes`` tries each length up to the longest word."""

        def __init__(self, words: Iterable[str]) -> None:
            super().__init__(())
            self.words = frozenset(w.strip() for w in words)  # as Trie.add strips them
            self.longest = max(map(len, self.words), default=0)
            self._word_count = len(self.words)

        def add(self, word: str) -> None:
            raise TypeError("the word set of pythainlp's dictionary is read only")

        def remove(self, word: str) -> None:
            raise TypeError("the word set of pythainlp's dictionary is read only")

        def prefixes(self, text: str, start: int = 0) -> list[str]:
            words = self.words
            stop = min(len(text), start + self.longest)
            return [text[start:end] for end in range(start + 1, stop + 1) if text[start:end] in words]

        def __contains__(self, key: object) -> bool:
            return key in self.words

        def __iter__(self) -> Iterator[str]:
            return iter(self.words)

    return WordSet(thai_words())


def prepare() -> None:
    """Load the dictionary now (0.03-0.06 s), e.g. before forking processes that romanise."""
    _dictionary()


@lru_cache(maxsize=100_000)
def _word(word: str) -> str:
    """One dictionary word romanised (pythainlp's ``royin._romanize``)."""
    from pythainlp.transliterate.royin import _romanize

    return str(_romanize(word))


@lru_cache(maxsize=100_000)
def _separated(previous: str, word: str, previous_romanised: str) -> bool:
    """Whether an ``a`` goes between two romanised words (pythainlp's ``royin._should_add_syllable_separator``)."""
    from pythainlp.transliterate.royin import _should_add_syllable_separator

    return bool(_should_add_syllable_separator(previous, word, previous_romanised))


def _romanize_part(text: str) -> str:
    """pythainlp's ``royin.romanize`` of text without spaces."""
    from pythainlp.tokenize import word_tokenize

    words = word_tokenize(text, custom_dict=_dictionary())
    out: list[str] = []
    for i, word in enumerate(words):
        romanised = _word(word)
        if i > 0 and romanised and _separated(words[i - 1], word, out[-1] if out else ""):
            romanised = "a" + romanised
        out.append(romanised)
    return "".join(out)


def romanize(text: str) -> str:
    """``pythainlp.transliterate.romanize(text, engine="royin")``: each part between spaces romanised.

    >>> romanize("รส ดี")
    'rot di'
    """
    if not text or not isinstance(text, str):
        return ""
    return " ".join(_romanize_part(part) for part in text.split(" "))
