"""UserStore keeps one SQLite connection per thread: reused, never shared, fresh to others' writes, closed."""

from __future__ import annotations

import gc
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from api.users import UserStore


@pytest.fixture
def users(tmp_path: Path) -> UserStore:
    store = UserStore(tmp_path / "users.sqlite", rounds=4)
    store.create("nok", "secret-pw-1", "investigator")
    return store


def in_thread(fn: Callable[[], Any]) -> Any:
    """``fn()`` run in a new thread that then ends."""
    out: list[Any] = []
    worker = threading.Thread(target=lambda: out.append(fn()))
    worker.start()
    worker.join()
    return out[0]


def test_a_thread_reuses_its_connection_and_threads_do_not_share(users: UserStore) -> None:
    mine = users._connect()
    assert users.get("nok") is not None and users._connect() is mine
    theirs = in_thread(users._connect)
    assert theirs is not mine


def test_kept_connections_read_what_other_connections_wrote(users: UserStore, tmp_path: Path) -> None:
    assert users.get("nok").grants == frozenset()  # type: ignore[union-attr]
    # Another process's store (its own connections) changes the grants and adds a user.
    other = UserStore(tmp_path / "users.sqlite", rounds=4)
    other.set_grants("nok", ("finance",))
    other.create("dao", "secret-pw-2", "amlo")
    assert users.get("nok").grants == {"finance"}  # type: ignore[union-attr]
    assert [u.username for u in users.list()] == ["dao", "nok"]
    # A write in another thread of the same store is seen by this thread's connection.
    in_thread(lambda: users.set_grants("nok", ()))
    assert users.get("nok").grants == frozenset()  # type: ignore[union-attr]
    other.close()


def test_a_look_up_leaves_no_lock_that_holds_up_a_writer(users: UserStore) -> None:
    users.get("nok")
    users.authenticate("nok", "secret-pw-1")
    users.list()
    writer = sqlite3.connect(users.path, timeout=0)  # fails at once on a held lock
    with writer:
        writer.execute("UPDATE users SET role = 'amlo' WHERE username = 'nok'")
    writer.close()
    assert users.get("nok").role == "amlo"  # type: ignore[union-attr]


def test_close_closes_every_thread_connection_and_the_store_opens_anew(users: UserStore) -> None:
    mine = users._connect()
    holder: dict[str, sqlite3.Connection] = {}
    parked, release = threading.Event(), threading.Event()

    def live_thread() -> None:
        holder["conn"] = users._connect()
        parked.set()
        release.wait(10)

    worker = threading.Thread(target=live_thread)
    worker.start()
    parked.wait(10)
    users.close()
    for conn in (mine, holder["conn"]):
        with pytest.raises(sqlite3.ProgrammingError):
            conn.execute("SELECT 1")
    release.set()
    worker.join()
    assert users.get("nok") is not None and users._connect() is not mine


def test_a_finished_thread_leaves_no_open_connection(users: UserStore) -> None:
    before = len(users._open)
    for _ in range(5):
        assert in_thread(lambda: users.get("nok")) is not None
    gc.collect()
    assert len(users._open) == before
