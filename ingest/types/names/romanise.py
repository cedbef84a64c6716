"""Romanised keys: Thai script and the many Latin spellings of one name folded to one comparable string.

Thai tokens are romanised by pythainlp's ``thai2rom_onnx`` engine, which matched real Latin spellings best
(``benchmarks/romanisation.py``: 90% / 82% of same-name pairs on the dev / held-out tables against 64% / 43%
for ``royin``). It is a small seq2seq model shipped inside pythainlp (no download) run by onnxruntime, but
costs milliseconds per token, so pythainlp's ~21,000 Thai given and family names are romanised once into
``data/thai_romanised.csv`` (``_build_table.py``) and other tokens on first sight (cached). Every Latin
spelling is then folded phonetically: ``Jaidee``, ``Chaidee``, ``Jai-dee`` and the romanisation ``chaidi``
of ``ใจดี`` all fold to ``caidi``.
"""

from __future__ import annotations

import csv
import os
import re
import sqlite3
import tempfile
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from functools import cache, lru_cache
from itertools import repeat
from pathlib import Path

from pythainlp.soundex import soundex
from pythainlp.transliterate import romanize

__all__ = ["DEFAULT_ENGINE", "fold_latin", "romanise_thai", "romanised_key", "share_romanisations", "shared_romanisations",
           "thai_phonetic"]

#: Romanisation engine used for keys, chosen by ``benchmarks/romanisation.py``.
DEFAULT_ENGINE = "thai2rom_onnx"
#: Thai phonetic code engine, chosen by ``benchmarks/romanisation.py``.
DEFAULT_SOUNDEX = "lk82"

_TABLE = Path(__file__).with_name("data") / "thai_romanised.csv"
_THAI_CHAR = re.compile(r"[\u0e00-\u0e7f]")
_NOT_LETTER = re.compile(r"[^a-z]+")
# Order matters: longer spellings first, and consonant digraphs before the vowel rules that use them.
# Each rule comes with texts one of which any match contains: a rule none of whose texts is in the name
# cannot change it and is not run (a substring test costs a fraction of a regex pass).
_FOLDS: tuple[tuple[re.Pattern[str], str, tuple[str, ...]], ...] = tuple(
    (re.compile(pattern), repl, needs)
    for pattern, repl, needs in (
        (r"tch|ch|j|sh|zh", "c", ("h", "j")),  # จ ช ฉ: ch/j/tch
        (r"ph|bh|f(?=[aeiou])", "p", ("h", "f")),  # พ ผ ภ (and Lao/Khmer ph)
        (r"th|dh", "t", ("th", "dh")),  # ท ธ ถ ฐ
        (r"kh|gh|ck|q|(?<!n)g", "k", ("kh", "ck", "q", "g")),  # ค ข ฆ; a g not in ng is a k to Thai ears
        (r"(?<=[aeiou])w$", "o", ("w",)),  # final w: kaew/kaeo
        (r"v", "w", ("v",)),
        (r"[zx]", "s", ("z", "x")),
        (r"^sr|(?<=[^aeiou])sr", "s", ("sr",)),  # ศรี: Sri/Si
        (r"rn$|rn(?=[^aeiou])", "n", ("rn",)),  # Karnjana/Kanchana, Sunthorn/Sunthon
        (r"r$|r(?=[^aeiouy])(?<=[aeiou]r)", "", ("r",)),  # a final r is silent in Thai: Anuchar, Prasert
        (r"l$", "n", ("l",)),  # final l reads n: Chaimongkol/Chaimongkon
        (r"d$", "t", ("d",)),
        (r"b$", "p", ("b",)),
        (r"(?<=[aeiou])h$", "", ("h",)),  # Sophea(h), Somchaih
        (r"uea|eua", "ua", ("uea", "eua")),
        (r"ee|ii|ie(?![aeiou])|ea(?=$)", "i", ("ee", "ii", "ie", "ea")),
        (r"oo|ou|uu", "u", ("oo", "ou", "uu")),
        (r"oe|er", "e", ("oe", "er")),
        (r"aa", "a", ("aa",)),
        (r"ay(?![aeiou])|aiy", "ai", ("ay", "aiy")),
        (r"oy$", "oi", ("oy",)),
        (r"au|aw$", "o", ("au", "aw")),
        (r"y$", "i", ("y",)),
        (r"(.)\1+", r"\1", ()),  # doubled letters: Nattapon/Natapon, Suwanna/Suwana (always run)
    )
)


@lru_cache(maxsize=131072)
def fold_latin(text: str) -> str:
    """Fold a Latin-script name token to its phonetic skeleton (lower case, letters only).

    Examples
    --------
    >>> [fold_latin(s) for s in ("Jaidee", "Chaidee", "Jai-dee", "chaidi")]
    ['caidi', 'caidi', 'caidi', 'caidi']
    >>> fold_latin("Boonma") == fold_latin("Bunma")
    True
    """
    if text.isascii():  # romanisations and most Latin names: nothing to decompose
        folded = _NOT_LETTER.sub("", text.lower())
    else:
        decomposed = unicodedata.normalize("NFKD", text.lower())
        folded = _NOT_LETTER.sub("", "".join(c for c in decomposed if not unicodedata.combining(c)))
    for pattern, repl, needs in _FOLDS:
        if not needs:
            folded = pattern.sub(repl, folded)
            continue
        for need in needs:
            if need in folded:
                folded = pattern.sub(repl, folded)
                break
    return folded


@cache
def _table() -> dict[str, str]:
    """Thai name -> thai2rom_onnx romanisation, precomputed (empty if the file is missing)."""
    if not _TABLE.exists():
        return {}
    with _TABLE.open(encoding="utf-8", newline="") as fh:
        return {row[0]: row[1] for row in csv.reader(fh) if len(row) == 2}


@lru_cache(maxsize=131072)
def romanise_thai(token: str, engine: str = DEFAULT_ENGINE) -> str:
    """Romanise one Thai-script token with a pythainlp engine (Latin text is returned as it is).

    Examples
    --------
    >>> romanise_thai("สมชาย"), romanise_thai("ใจดี")
    ('somchai', 'chaidi')
    """
    if not _THAI_CHAR.search(token):
        return token
    if engine != "thai2rom_onnx":
        return romanize(token, engine=engine)
    known = _table().get(token)
    if known is not None:
        return known
    try:  # the shared file only saves work: when it fails, the model answers
        shared = _shared()
        found = shared.execute("SELECT latin FROM romanised WHERE token = ?", (token,)).fetchone() if shared else None
    except sqlite3.Error:
        shared = found = None
    if found is not None:
        return str(found[0])
    _single_threaded_onnx()
    latin = str(romanize(token, engine=engine))
    if shared is not None:
        with suppress(sqlite3.Error):
            shared.execute("INSERT OR IGNORE INTO romanised VALUES (?, ?)", (token, latin))
    return latin


# A romanisation cache shared by processes (the ingest workers): its file, and this process's connection.
_SHARED_PATH: list[Path | None] = [None]
_SHARED_CONN: dict[int, sqlite3.Connection] = {}


def share_romanisations(path: Path | None) -> None:
    """Share the model's romanisations of tokens missing from the table through the SQLite file ``path``
    (``None``: stop sharing).

    The model costs about 3 ms of CPU per token and each worker process of an ingest meets most of the
    same unseen tokens (synthetic 100k world: 1,733 of them): with the file, one process romanises a token
    and the others read it. Every process of a run uses the same model, so which one wrote a token does not
    matter. Set it before the workers fork; each process opens its own connection on first use.
    """
    _SHARED_PATH[0] = path
    for conn in _SHARED_CONN.values():
        conn.close()
    _SHARED_CONN.clear()
    if path is not None:
        with sqlite3.connect(path) as conn:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("CREATE TABLE IF NOT EXISTS romanised (token TEXT PRIMARY KEY, latin TEXT NOT NULL)")
        conn.close()


@contextmanager
def shared_romanisations() -> Iterator[None]:
    """:func:`share_romanisations` through a scratch file for the block, then stop sharing; inside an
    outer block, the outer block's file is used (an ingest shares it from its file workers through the
    DGA envelopes its parent maps afterwards)."""
    if _SHARED_PATH[0] is not None:
        yield
        return
    with tempfile.TemporaryDirectory(prefix="tipgraph-romanised-") as scratch:
        share_romanisations(Path(scratch) / "romanised.sqlite")
        try:
            yield
        finally:
            share_romanisations(None)


def _shared() -> sqlite3.Connection | None:
    path = _SHARED_PATH[0]
    if path is None:
        return None
    conn = _SHARED_CONN.get(os.getpid())
    if conn is None:  # a forked worker never uses its parent's connection
        conn = _SHARED_CONN[os.getpid()] = sqlite3.connect(path, timeout=60, isolation_level=None)
        conn.execute("PRAGMA synchronous=OFF")
    return conn


@cache
def _single_threaded_onnx() -> None:
    """Run thai2rom_onnx's sessions on one thread without spin-waiting.

    The model is small: onnxruntime's default thread pool costs more CPU spinning than it saves, and the
    ingest runs one process per core anyway. Same model, same inputs, same output (about half the CPU).
    """
    import onnxruntime as ort
    from pythainlp.corpus import get_corpus_path
    from pythainlp.transliterate import thai2rom_onnx

    options = ort.SessionOptions()
    options.intra_op_num_threads = options.inter_op_num_threads = 1
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    network = thai2rom_onnx._THAI_TO_ROM_ONNX._network
    for part in ("encoder", "decoder"):
        model = get_corpus_path(f"thai2rom_{part}_onnx")
        setattr(network, part, ort.InferenceSession(model, options, providers=["CPUExecutionProvider"]))


@lru_cache(maxsize=131072)
def _token_key(token: str, engine: str) -> str:
    return fold_latin(romanise_thai(token, engine))


def romanised_key(tokens: tuple[str, ...] | list[str], engine: str = DEFAULT_ENGINE) -> str:
    """Order-free romanised key of a name's tokens, comparable across Thai and Latin script.

    Examples
    --------
    >>> romanised_key(["สมชาย", "ใจดี"]) == romanised_key(["Jai-dee", "Somchai"])
    True
    """
    return " ".join(sorted(filter(None, map(_token_key, tokens, repeat(engine)))))


@lru_cache(maxsize=131072)
def thai_phonetic(token: str, engine: str = DEFAULT_SOUNDEX) -> str:
    """Thai soundex code of one Thai-script token ('' for non-Thai text).

    Spelling variants of the same sound share a code (``วงศ์``/``วงษ์``).

    Examples
    --------
    >>> thai_phonetic("วงศ์สวัสดิ์") == thai_phonetic("วงษ์สวัสดิ์")
    True
    """
    if not _THAI_CHAR.search(token):
        return ""
    return soundex(token, engine=engine)
