"""fold_latin skips a rule whose texts are all absent: the result is that of running every rule."""

from __future__ import annotations

import random

import pytest

from ingest.types.names.romanise import _FOLDS, fold_latin


def _every_rule(text: str) -> str:
    folded = "".join(c for c in text.lower() if "a" <= c <= "z")
    for pattern, repl, _needs in _FOLDS:
        folded = pattern.sub(repl, folded)
    return folded


@pytest.mark.parametrize("seed", range(4))
def test_skipping_rules_changes_nothing(seed: int) -> None:
    rnd = random.Random(seed)
    letters = "aeiouyhjfkgcqwvzxsrnldbtpm"  # every letter a rule reads, and some it does not
    words = ["".join(rnd.choice(letters) for _ in range(rnd.randint(1, 12))) for _ in range(20_000)]
    words += ["Kaew", "Sri", "Karnjana", "Sunthorn", "Anuchar", "Chaimongkol", "Jai-dee", "Nattapon"]
    assert [fold_latin.__wrapped__(w) for w in words] == [_every_rule(w) for w in words]


def test_a_rule_without_its_texts_cannot_match() -> None:
    for pattern, _repl, needs in _FOLDS:
        if needs:  # a match of the pattern on a text made of all the other letters would break the skip
            rest = "".join(c for c in "abcdefghijklmnopqrstuvwxyz" if not any(c in n for n in needs))
            assert not pattern.search(rest * 2), pattern.pattern
