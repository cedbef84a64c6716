"""Build ``data/royin_names.csv``: pythainlp's Thai given and family names romanised by the Royal Institute
system, as :func:`entity_resolution.names.romanise` does it.

Romanising a Thai word with pythainlp's ``royin`` engine costs about half a millisecond, and the words of
Thai names are mostly the corpus' given and family names, so those are romanised once here and looked up
(the same function's results, so resolution gives the same entities with or without the table; a test checks
that the table still agrees with the installed pythainlp). Words outside the table are romanised on first
sight, as before. Run: ``python -m entity_resolution._build_royin``.
"""

from __future__ import annotations

import csv
import unicodedata
from pathlib import Path

from pythainlp.corpus import thai_family_names, thai_female_names, thai_male_names
from pythainlp.transliterate import romanize

OUT = Path(__file__).with_name("data") / "royin_names.csv"


def words() -> list[str]:
    """The distinct Thai given and family names of pythainlp's corpus (NFC), sorted."""
    names = set(thai_family_names()) | set(thai_female_names()) | set(thai_male_names())
    return sorted({unicodedata.normalize("NFC", n.strip()) for n in names if n.strip()})


def main() -> None:
    """Write the table: one ``word,romanisation`` row per corpus name (romanisation lower-cased)."""
    with OUT.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        for word in words():
            writer.writerow([word, str(romanize(word, engine="royin")).lower()])


if __name__ == "__main__":
    main()
