"""Worker processes share the romanisation model's answers for tokens the table lacks."""

from __future__ import annotations

import multiprocessing as mp
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from ingest.types.names.romanise import _SHARED_PATH, _table, romanise_thai, share_romanisations

_UNSEEN = "หม่องอ่องหนิ่นซอ"  # a Myanmar name written in Thai as one token: not in the table


@pytest.fixture
def shared(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "romanised.sqlite"
    share_romanisations(path)
    romanise_thai.cache_clear()
    yield path
    share_romanisations(None)
    romanise_thai.cache_clear()


def _in_child(token: str) -> str:
    romanise_thai.cache_clear()
    return romanise_thai(token)


def test_a_model_romanisation_is_written_once_and_read_by_another_process(shared: Path) -> None:
    assert _UNSEEN not in _table()
    latin = romanise_thai(_UNSEEN)
    assert latin and latin.isascii()
    with sqlite3.connect(shared) as con:
        assert con.execute("SELECT latin FROM romanised").fetchall() == [(latin,)]
        # another process takes the file's answer without running the model: mark it to see
        con.execute("UPDATE romanised SET latin = 'from-the-file' WHERE token = ?", (_UNSEEN,))
    con.close()
    with mp.get_context("fork").Pool(1) as pool:
        assert pool.apply(_in_child, (_UNSEEN,)) == "from-the-file"


def test_sharing_stopped_leaves_the_file_alone(shared: Path) -> None:
    share_romanisations(None)
    romanise_thai.cache_clear()
    assert romanise_thai(_UNSEEN).isascii()
    con = sqlite3.connect(shared)
    assert con.execute("SELECT count(*) FROM romanised").fetchone() == (0,)
    con.close()


def test_an_unusable_shared_file_leaves_the_answer_to_the_model(shared: Path, tmp_path: Path) -> None:
    want = romanise_thai(_UNSEEN)
    share_romanisations(None)
    _SHARED_PATH[0] = tmp_path / "gone" / "romanised.sqlite"  # its folder removed under a running ingest
    romanise_thai.cache_clear()
    assert romanise_thai(_UNSEEN) == want
