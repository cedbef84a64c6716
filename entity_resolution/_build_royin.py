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
from pathlib import Path

from pythainlp.transliterate import romanize

from ingest.types.names._build_table import words  # the same corpus names as ingest's thai2rom table

OUT = Path(__file__).with_name("data") / "royin_names.csv"


def main() -> None:
    """Write the table: one ``word,romanisation`` row per corpus name (romanisation lower-cased)."""
    with OUT.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        for word in words():
            writer.writerow([word, str(romanize(word, engine="royin")).lower()])


if __name__ == "__main__":
    main()
