"""Person and company names to comparable keys that meet across Thai and Latin script.

A Thai-script token is romanised once (RTGS, ``pythainlp`` engine ``royin``, cached); every Latin token then
goes through :func:`latin_key`, which folds the usual romanisation alternatives (ch/j, ph/p, th/t, ee/i,
oo/u, v/w, hyphens) into one spelling. Prefixes, ranks and honorifics are set aside; nicknames in brackets
or quotes become aliases.

Examples
--------
>>> parse_name("นายสมชาย ใจดี (เสี่ยหนุ่ย)").tokens
('somcai', 'caidi')
>>> parse_name("Mr. Somchai Jai-dee").tokens
('somcai', 'caidi')
>>> parse_name("MAUNG AUNG KYAW").prefixes
('maung',)
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from entity_resolution.parallel import Forked, workers

__all__ = ["ParsedName", "latin_key", "org_key", "parse_name", "parse_names", "prepare", "rank_key", "romanise",
           "skeleton"]

_THAI_PREFIXES = sorted(
    ["นางสาว", "น.ส.", "นาง", "นาย", "เด็กชาย", "เด็กหญิง", "ด.ช.", "ด.ญ.", "คุณ", "พล.ต.อ.", "พล.ต.ท.", "พล.ต.ต.", "พ.ต.อ.", "พ.ต.ท.", "พ.ต.ต.", "ร.ต.อ.", "ร.ต.ท.", "ร.ต.ต.", "ด.ต.", "จ.ส.ต.", "ส.ต.อ.", "ส.ต.ท.", "ส.ต.ต.", "พลฯ", "จ.ส.อ.", "ว่าที่ร.ต.", "ว่าที่", "ร.ต.", "ดร.", "หม่อง", "มะ", "ดอ", "นอ", "พระ", "แม่ชี", "กำนัน", "ผู้ใหญ่บ้าน"], key=len, reverse=True)
_THAI_HONORIFIC_SOLO = frozenset({"หม่อง", "มะ", "ดอ", "นอ", "อู", "โก"})
_LATIN_PREFIXES = frozenset(
    ["mr", "mrs", "miss", "ms", "mstr", "master", "dr", "pol", "col", "lt", "gen", "maj", "capt", "sgt", "cpl", "police", "sub", "khun", "mg", "maung", "ko", "u", "ma", "daw", "naw"])
_OPENERS = r"[(\[\"“”'‘’«]"
_BRACKETS = re.compile(_OPENERS + r"(.*?)[)\]\"“”'‘’»]")
_ALIAS_WORDS = re.compile(r"(?:ชื่อเล่น|ฉายา|alias|aka|a\.k\.a\.)\s*[:.]?\s*", re.IGNORECASE)
# what either of the two above needs: an opening bracket or quote, or an alias word
_MAY_HOLD_ALIAS = re.compile(f"{_OPENERS}|{_ALIAS_WORDS.pattern}", re.IGNORECASE)
_THAI = re.compile(r"[\u0E00-\u0E7F]")
_THAI_RUN = re.compile(r"[\u0E00-\u0E7F]+")
_SPLIT = re.compile(r"[\s,;/]+")
_NOT_LETTER = re.compile(r"[^a-z]")
_THAI_PREFIX_RE = re.compile("^(?:" + "|".join(re.escape(p) for p in _THAI_PREFIXES) + r")\s*")

# Romanisation alternatives folded to one spelling, applied in order (longest, most specific first).
_FOLDS: tuple[tuple[str, str], ...] = (
    ("tch", "c"), ("ch", "c"), ("j", "c"), ("ph", "p"), ("th", "t"), ("kh", "k"), ("sh", "s"), ("gh", "g"),
    ("v", "w"), ("ee", "i"), ("ea", "i"), ("oo", "u"), ("ou", "u"), ("au", "o"), ("aw", "o"), ("ay", "ai"),
    ("ey", "ei"), ("q", "k"), ("x", "s"), ("z", "s"), ("ck", "k"),
)
_DOUBLE = re.compile(r"(.)\1+")
_H_AFTER = re.compile(r"(?<=[aeiou])h(?![aeiou])|h$")
_VOWELS = re.compile(r"[aeiouy]")


@dataclass(frozen=True, slots=True)
class ParsedName:
    """A name split into folded tokens (``tokens``), with prefixes and aliases set aside."""

    tokens: tuple[str, ...]
    prefixes: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    script: str = "latin"

    @property
    def key(self) -> str:
        """The tokens sorted and joined: equal for the same name in any order or script."""
        return " ".join(sorted(self.tokens))

    @property
    def text(self) -> str:
        """The tokens in written order, joined by spaces."""
        return " ".join(self.tokens)


#: pythainlp's Thai given and family names romanised ahead (``_build_royin.py``): half a millisecond each.
_ROYIN_TABLE = Path(__file__).with_name("data") / "royin_names.csv"


@cache
def _royin_table() -> dict[str, str]:
    with _ROYIN_TABLE.open(encoding="utf-8", newline="") as fh:
        return {word: roman for word, roman in csv.reader(fh)}


@lru_cache(maxsize=200_000)
def romanise(thai: str) -> str:
    """Romanise one Thai-script word with the Royal Institute system (RTGS).

    The names of pythainlp's corpus are looked up in a table made by the same call; others are romanised
    as pythainlp does it (:mod:`entity_resolution.royin`, without building its word trie).

    >>> romanise("สมชาย"), romanise("สมชายใจดีมาก")
    ('somchai', 'somchaichaidimak')
    """
    known = _royin_table().get(thai)
    if known is not None:
        return known
    from entity_resolution.royin import romanize

    return romanize(thai).lower()


@lru_cache(maxsize=500_000)
def latin_key(token: str) -> str:
    """Fold one Latin-script name token so that common romanisation variants compare equal.

    >>> latin_key("Chaidee") == latin_key("Jaidee") == latin_key("Jai-dee") == latin_key("chaidi")
    True
    >>> latin_key("Phommachanh") == latin_key("Pommajan")
    True
    """
    text = unicodedata.normalize("NFKD", token.lower())
    text = _NOT_LETTER.sub("", text.encode("ascii", "ignore").decode())
    for old, new in _FOLDS:
        text = text.replace(old, new)
    text = _H_AFTER.sub("", text)
    text = _DOUBLE.sub(r"\1", text)
    if len(text) > 1 and text.endswith("y"):
        text = text[:-1] + "i"
    return text


#: Word keys worked out ahead by :func:`parse_names` (half of them in a forked process), while it runs.
_WORD_KEYS: dict[str, str] = {}
#: Distinct names from which :func:`parse_names` romanises the Thai words on two cores.
PARALLEL_NAMES = 20_000


@lru_cache(maxsize=500_000)
def _thai_word_key(word: str) -> str:
    """The folded key of one word of a Thai-script name, its Thai runs romanised (worked out once per word:
    a million names hold a few hundred thousand distinct words)."""
    known = _WORD_KEYS.get(word)
    if known is not None:
        return known
    return latin_key(_THAI_RUN.sub(lambda m: romanise(m.group(0)), word))


@lru_cache(maxsize=500_000)
def skeleton(key: str) -> str:
    """The consonant skeleton of a folded token, first letter kept: a coarse key for blocking (worked out
    once per token: the 85,777 distinct name keys of 100k persons take 0.09 CPU s instead of 0.19).

    >>> skeleton("somcai")
    'smc'
    """
    return key[:1] + _VOWELS.sub("", key[1:]) if key else ""


def _strip_latin_prefixes(words: list[str]) -> tuple[list[str], list[str]]:
    prefixes: list[str] = []
    while len(words) > 1 and words[0].lower().rstrip(".") in _LATIN_PREFIXES:
        prefixes.append(words.pop(0).lower().rstrip("."))
    return words, prefixes


@lru_cache(maxsize=500_000)
def parse_name(raw: str) -> ParsedName:
    """Split a full name as written into folded tokens, prefixes and aliases (Thai or Latin script).

    >>> parse_name("พ.ต.ท.ประยุทธ ศรีสุข").tokens
    ('praiut', 'srisuk')
    >>> parse_name("หม่องอ่อง จ่อ").prefixes
    ('หม่อง',)
    """
    text, aliases = _without_aliases(raw)
    if _THAI.search(text):
        words, prefixes = _thai_words(text)
        tokens = [k for k in (_thai_word_key(w) for w in words) if k]
        return ParsedName(tuple(tokens), tuple(prefixes), aliases, "thai")
    words = [w for w in _SPLIT.split(text.replace(".", ". ")) if w.strip(".")]
    words, latin_prefixes = _strip_latin_prefixes(words)
    tokens = [k for k in (latin_key(w) for w in words) if k]
    return ParsedName(tuple(tokens), tuple(latin_prefixes), aliases, "latin")


def _without_aliases(raw: str) -> tuple[str, tuple[str, ...]]:
    """The name as written (NFC) without its bracketed or announced aliases, and those aliases."""
    text = unicodedata.normalize("NFC", raw or "").strip()
    if not _MAY_HOLD_ALIAS.search(text):  # most names: one search instead of three
        return text, ()
    aliases = tuple(a.strip() for a in _BRACKETS.findall(text) if a.strip())
    return _ALIAS_WORDS.sub(" ", _BRACKETS.sub(" ", text)).strip(), aliases


def _thai_words(text: str) -> tuple[list[str], list[str]]:
    """The words of a Thai-script name after its prefixes, and the prefixes."""
    prefixes: list[str] = []
    while True:
        m = _THAI_PREFIX_RE.match(text)
        rest = text[m.end():] if m else ""
        if not m or not rest.strip():
            break
        prefixes.append(m.group(0).strip())
        text = rest
    words = [w for w in _SPLIT.split(text) if w]
    while len(words) > 1 and words[0] in _THAI_HONORIFIC_SOLO:
        prefixes.append(words.pop(0))
    return words, prefixes


def prepare(samples: Sequence[str]) -> None:
    """Load now what parsing names loads on first use: the rank table (0.1-0.19 s, most of it importing
    ``ingest.types``) and, if ``samples`` hold a Thai-script name, the name table and pythainlp's word
    dictionary (0.04-0.07 s; the words outside the table are romanised with it; 2026-11-27, load 2-5). Called before forking workers, so that they inherit them instead of loading
    them each.

    >>> prepare(["Somchai Jaidee"])
    """
    _ranks()
    if any(_THAI.search(s) for s in samples):
        from entity_resolution import royin

        _royin_table()
        royin.prepare()


def parse_names(raws: Sequence[str]) -> list[ParsedName]:
    """``[parse_name(r) for r in raws]``; for many names the distinct words of the Thai-script ones are
    romanised first, every other one in a forked process (romanising is most of the time of parsing).

    >>> [p.tokens for p in parse_names(["นายสมชาย ใจดี", "Somchai Jaidee"])]
    [('somcai', 'caidi'), ('somcai', 'caidi')]
    """
    if len(raws) >= PARALLEL_NAMES and workers() > 1:
        words: set[str] = set()
        for raw in raws:
            text = _without_aliases(raw)[0]
            if _THAI.search(text):
                words.update(_thai_words(text)[0])
        ordered = sorted(words)
        theirs = ordered[1::2]
        try:
            with Forked(lambda: [_thai_word_key(w) for w in theirs]) as child:
                _WORD_KEYS.update((w, _thai_word_key(w)) for w in ordered[0::2])
                _WORD_KEYS.update(zip(theirs, child.result(), strict=True))
            return [parse_name(r) for r in raws]
        finally:
            _WORD_KEYS.clear()
    return [parse_name(r) for r in raws]


# Police ranks spelled out or in English -> the abbreviation the RTP writes (an officer is ``พ.ต.อ.`` in one
# agency's file, ``พันตำรวจเอก`` or ``Pol. Col.`` in another's).
_POLICE_RANKS: dict[str, tuple[str, ...]] = {
    "พล.ต.อ.": ("พลตำรวจเอก", "pol.gen."), "พล.ต.ท.": ("พลตำรวจโท", "pol.lt.gen."),
    "พล.ต.ต.": ("พลตำรวจตรี", "pol.maj.gen."), "พ.ต.อ.": ("พันตำรวจเอก", "pol.col."),
    "พ.ต.ท.": ("พันตำรวจโท", "pol.lt.col."), "พ.ต.ต.": ("พันตำรวจตรี", "pol.maj."),
    "ร.ต.อ.": ("ร้อยตำรวจเอก", "pol.capt."), "ร.ต.ท.": ("ร้อยตำรวจโท", "pol.lt."),
    "ร.ต.ต.": ("ร้อยตำรวจตรี", "pol.sub.lt."), "ด.ต.": ("ดาบตำรวจ", "pol.sen.sgt.maj."),
    "จ.ส.ต.": ("จ่าสิบตำรวจ", "pol.sgt.maj."), "ส.ต.อ.": ("สิบตำรวจเอก", "pol.sgt."),
    "ส.ต.ท.": ("สิบตำรวจโท", "pol.cpl."), "ส.ต.ต.": ("สิบตำรวจตรี", "pol.l.cpl."),
}
_RANK_FORMS = {form: abbr for abbr, forms in _POLICE_RANKS.items() for form in (abbr, *forms)}


@lru_cache(maxsize=1)
def _ranks() -> frozenset[str]:
    """The ranks ingest recognises (its title table; ingest never imports this module), spaces removed."""
    from ingest.types.names.titles import RANKS

    return frozenset(re.sub(r"\s+", "", r).lower() for r in RANKS)


@lru_cache(maxsize=4096)
def rank_key(prefix: str) -> str:
    """The police or military rank a title written before a name states, in one spelling; ``""`` for a civil
    title (นาย, Mrs, Maung, ...).

    >>> rank_key("พันตำรวจเอก") == rank_key("Pol. Col.") == rank_key("พ.ต.อ.")
    True
    >>> rank_key("นาย"), rank_key("MAUNG"), rank_key("ร.อ.")
    ('', '', 'ร.อ.')
    """
    text = re.sub(r"\s+", "", unicodedata.normalize("NFC", prefix or "")).lower()
    dotted = text if text.endswith(".") or not text.isascii() else text + "."
    for form in (text, dotted):
        if form in _RANK_FORMS:
            return _RANK_FORMS[form]
    return text if text and text in _ranks() else ""


_ORG_WORDS = frozenset(
    ["บริษัท", "จำกัด", "มหาชน", "ห้างหุ้นส่วน", "ห้างหุ้นส่วนจำกัด", "หจก", "บจก", "บมจ", "สำนักงาน", "จัดหางาน", "company", "co", "ltd", "limited", "plc", "inc", "corp", "corporation", "partnership", "part", "the", "recruitment", "agency"])
_ORG_SPLIT = re.compile(r"[\s,.()\-/&]+")


@lru_cache(maxsize=200_000)
def org_key(raw: str) -> str:
    """A company name without legal-form words, folded and sorted, in either script.

    >>> org_key("บริษัท ทองดี จำกัด") == org_key("Thongdee Co., Ltd.")
    True
    >>> org_key("Thongdi Fishing Co., Ltd.") == org_key("THONGDEE FISHING COMPANY LIMITED")
    True
    """
    text = unicodedata.normalize("NFC", raw or "").lower()
    for word in ("ห้างหุ้นส่วนจำกัด", "บริษัท", "จำกัด", "(มหาชน)", "มหาชน", "จัดหางาน"):
        text = text.replace(word, " ")
    parts = [w for w in _ORG_SPLIT.split(text) if w and w not in _ORG_WORDS]
    keys = []
    for w in parts:
        latin = _THAI_RUN.sub(lambda m: romanise(m.group(0)), w)
        k = latin_key(latin)
        if k:
            keys.append(k)
    return " ".join(sorted(keys))
