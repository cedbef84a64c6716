"""Build ``data/thai_romanised.csv``: pythainlp's Thai given and family names romanised by thai2rom_onnx.

thai2rom_onnx matches Latin spellings best (``benchmarks/romanisation.py``) but takes milliseconds per
token, so the names in pythainlp's corpus are romanised once here and looked up at ingest time; other
tokens are romanised on first sight and cached. Run: ``python -m ingest.types.names._build_table [N K]``
(shard N of K, then concatenate the shards).
"""

from __future__ import annotations

import csv
import sys
import unicodedata
from pathlib import Path

from pythainlp.corpus import thai_family_names, thai_female_names, thai_male_names
from pythainlp.transliterate import romanize

OUT = Path(__file__).with_name("data") / "thai_romanised.csv"


def words() -> list[str]:
    names = set(thai_family_names()) | set(thai_female_names()) | set(thai_male_names())
    return sorted({unicodedata.normalize("NFC", n.strip()) for n in names if n.strip()})


def main(shard: int = 0, shards: int = 1) -> None:
    todo = words()[shard::shards]
    out = OUT if shards == 1 else OUT.with_suffix(f".{shard}.part")
    with out.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        for word in todo:
            writer.writerow([word, romanize(word, engine="thai2rom_onnx")])


if __name__ == "__main__":
    args = [int(a) for a in sys.argv[1:3]]
    main(*args)
