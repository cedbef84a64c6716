"""Person names: titles and ranks stripped and kept, aliases pulled out, script detected, comparable keys."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ingest.types._common import clean_text
from ingest.types.names.romanise import romanised_key, thai_phonetic
from ingest.types.names.titles import HONORIFICS, PREFIXES, RANKS, alternation

__all__ = ["FAMILY_FIRST", "PersonName", "detect_script", "name_tokens", "person_name"]

#: Nationalities (ISO3) whose names are written family name first.
FAMILY_FIRST = frozenset({"KHM", "VNM", "CHN", "KOR", "TWN"})
_NO_FAMILY = frozenset({"MMR"})

_THAI = re.compile(r"[\u0e00-\u0e7f]")
_LATIN = re.compile(r"[A-Za-z]")
_LETTER = re.compile(r"[^\W\d_]")
_DIGIT = re.compile(r"\d")
_BRACKETS = re.compile(r"\(([^()]*)\)|\[([^\[\]]*)\]|[\"“”]([^\"“”]+)[\"“”]|(?<!\w)'([^']+)'(?!\w)")
_BRACKET_CHARS = re.compile(r"[(\[\"“”']")  # what _BRACKETS needs to match anything
_ALIAS_MARK = re.compile(r"\s+(?:หรือ|aka|a\.k\.a\.?|alias|นามแฝง|ฉายา|ชื่อเล่น)\s+", re.IGNORECASE)
_ALIAS_LABEL = re.compile(r"^(?:ชื่อเล่น|นามแฝง|ฉายา|aka|a\.k\.a\.?|alias|nickname)\s*[:.]?\s*", re.IGNORECASE)
_ALIAS_SPLIT = re.compile(r"\s*[,/;]\s*|\s+หรือ\s+")
_RANK = re.compile(rf"^(?:ว่าที่\s*)?(?:{alternation(RANKS)})(?![ก-ฮ]\.)(?:\s*หญิง)?\s*", re.IGNORECASE)
_UNKNOWN_TITLE = re.compile(r"^(?:[ก-ฮ]{1,3}\.){2,4}(?:หญิง)?\s*")
_SPACED = frozenset({"คุณ", "พระ"})  # only a title when a space follows: คุณากร is a name
_PREFIX = re.compile(rf"^(?:{alternation(PREFIXES)})", re.IGNORECASE)
_EDGE = re.compile(r"^[\s,.\-:]+|[\s,.\-:]+$")


@dataclass(frozen=True, slots=True)
class PersonName:
    """A person's name as read (``raw``) and taken apart.

    ``value`` is the name without titles and aliases, in its own script; ``thai`` and ``latin`` are the
    Thai-script and Latin forms when present (a cell such as ``สมชาย ใจดี (Somchai Jaidee)`` has both);
    ``key`` is the order-free romanised key (Thai form preferred) and ``keys`` every distinct one;
    ``tokens_key`` the order-free key in the written script; ``phonetic`` Thai soundex codes.
    """

    raw: str
    value: str | None
    given: str | None = None
    family: str | None = None
    prefix: str | None = None
    rank: str | None = None
    honorific: str | None = None
    aliases: tuple[str, ...] = ()
    script: str = "unknown"
    thai: str | None = None
    latin: str | None = None
    key: str | None = None
    keys: tuple[str, ...] = ()
    tokens_key: str | None = None
    phonetic: str | None = None
    sex: str | None = None
    flags: tuple[str, ...] = ()


def detect_script(text: str) -> str:
    """``thai``, ``latin``, ``mixed`` or ``other`` (no letters: ``unknown``).

    Examples
    --------
    >>> detect_script("สมชาย"), detect_script("Somchai"), detect_script("สมชาย Jaidee")
    ('thai', 'latin', 'mixed')
    """
    thai, latin = bool(_THAI.search(text)), bool(_LATIN.search(text))
    if thai and latin:
        return "mixed"
    if thai:
        return "thai"
    if latin:
        return "latin"
    return "other" if _LETTER.search(text) else "unknown"


def name_tokens(text: str) -> tuple[str, ...]:
    """Name tokens, lower case, sorted: token order (family name first or last) does not matter.

    Examples
    --------
    >>> name_tokens("NGUYEN Van An") == name_tokens("Van An Nguyen")
    True
    """
    return _tokens(clean_text(text))


def _tokens(cleaned: str) -> tuple[str, ...]:
    return tuple(sorted(cleaned.lower().replace("-", " ").split()))


def _strip_titles(text: str) -> tuple[str, str | None, str | None, str | None, str | None, list[str]]:
    """Remove leading ranks, prefixes and honorifics; return rest, prefix, rank, honorific, sex, flags."""
    prefix = rank = honorific = sex = None
    flags: list[str] = []
    for _ in range(4):  # "ว่าที่ ร.ต. นาย ..." has several
        match = _RANK.match(text)
        if match and not rank:
            rank = match.group(0).strip()
            sex = "F" if rank.endswith("หญิง") else sex
            text = text[match.end():]
            continue
        match = _PREFIX.match(text)
        if match and not prefix:
            word = match.group(0)
            rest = text[match.end():]
            needs_space = word in _SPACED or word.isascii()
            if rest and (rest[0] in " ." if needs_space else rest.strip()):
                prefix, sex = word, PREFIXES[word.lower()] or sex
                text = rest.lstrip(" .")
                continue
        match = _UNKNOWN_TITLE.match(text)
        if match and not rank and not prefix and text[match.end():].strip():
            rank = match.group(0).strip()
            flags.append("unknown_title")
            text = text[match.end():]
            continue
        first, _, rest = text.partition(" ")
        if rest and not honorific and first.lower() in HONORIFICS and first.lower() != rest.split()[0].lower():
            honorific, sex = first, HONORIFICS[first.lower()] or sex
            text = rest
            continue
        break
    return text.strip(), prefix, rank, honorific, sex, flags


def _pull_aliases(text: str) -> tuple[str, list[str], str | None]:
    """Take bracketed or quoted aliases out; a bracket in the other script is the name's other form."""
    aliases: list[str] = []
    other: str | None = None
    if not _BRACKET_CHARS.search(text):  # most names: no brackets or quotes to look into
        main = " ".join(text.split())
        marked = _ALIAS_MARK.split(main, maxsplit=1)
        if len(marked) == 2:
            main = marked[0]
            aliases.extend(a for a in _ALIAS_SPLIT.split(_ALIAS_LABEL.sub("", marked[1])) if a)
        return main, aliases, None
    main = _BRACKETS.sub(" ", text)
    main_script = detect_script(main)
    for match in _BRACKETS.finditer(text):
        inner = _ALIAS_LABEL.sub("", next(g for g in match.groups() if g is not None).strip())
        script = detect_script(inner)
        if other is None and script in ("thai", "latin") and script != main_script and len(inner.split()) >= 2:
            other = inner
        else:
            aliases.extend(a for a in _ALIAS_SPLIT.split(inner) if a)
    main = " ".join(main.split())
    marked = _ALIAS_MARK.split(main, maxsplit=1)
    if len(marked) == 2:
        main = marked[0]
        aliases.extend(a for a in _ALIAS_SPLIT.split(_ALIAS_LABEL.sub("", marked[1])) if a)
    return main, aliases, other


@lru_cache(maxsize=131072)
def person_name(raw: str, nationality: str | None = None) -> PersonName:
    """Parse a person's name cell; ``nationality`` (ISO3) decides family-name-first and no-family-name.

    Flags: ``empty``, ``title_only``, ``no_letters``, ``digits_in_name``, ``mixed_script``, ``unknown_title``,
    ``single_token``.

    Examples
    --------
    >>> p = person_name("นายสมชาย ใจดี (เสี่ยหนุ่ย)")
    >>> p.prefix, p.given, p.family, p.aliases, p.sex
    ('นาย', 'สมชาย', 'ใจดี', ('เสี่ยหนุ่ย',), 'M')
    >>> p.key == person_name("Somchai Jai-dee").key == person_name("JAIDEE Somchai").key
    True
    >>> person_name("พ.ต.ท.หญิง สมศรี มีสุข").rank
    'พ.ต.ท.หญิง'
    >>> person_name("Mg Aung Kyaw", "MMR").honorific
    'Mg'
    """
    text = clean_text(raw)
    if not text or text in ("-", "ไม่ทราบ", "ไม่ทราบชื่อ", "unknown"):
        return PersonName(raw, None, flags=("empty",))
    if text.lower() in PREFIXES or text in RANKS:
        return PersonName(raw, None, flags=("title_only",))
    text, aliases, other = _pull_aliases(text)
    text, prefix, rank, honorific, sex, flags = _strip_titles(_EDGE.sub("", text))
    text = _EDGE.sub("", text)
    if not _LETTER.search(text):
        return PersonName(raw, None, prefix=prefix, rank=rank, aliases=tuple(aliases), flags=("no_letters",))
    if _DIGIT.search(text):
        flags.append("digits_in_name")
    script = detect_script(text)
    if script == "mixed":
        flags.append("mixed_script")
    tokens = text.split()
    given: str | None
    family: str | None
    if nationality in FAMILY_FIRST and len(tokens) > 1:
        family, given = tokens[0], " ".join(tokens[1:])
    elif nationality in _NO_FAMILY or len(tokens) == 1:
        given, family = text, None
        if len(tokens) == 1 and nationality not in _NO_FAMILY:
            flags.append("single_token")
    else:
        given, family = tokens[0], " ".join(tokens[1:])
    thai = text if script == "thai" else (other if other and detect_script(other) == "thai" else None)
    latin = text if script == "latin" else (other if other and detect_script(other) == "latin" else None)
    forms = dict.fromkeys(form for form in (thai, latin, text) if form)
    keys = tuple(dict.fromkeys(romanised_key(form.split()) for form in forms))
    phonetic = " ".join(sorted(map(thai_phonetic, thai.split()))) if thai else None
    return PersonName(
        raw, text, given, family, prefix, rank, honorific, tuple(dict.fromkeys(aliases)), script, thai, latin,
        keys[0] if keys else None, keys, " ".join(_tokens(text)), phonetic, sex, tuple(flags),
    )
