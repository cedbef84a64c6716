"""Serving in several processes (``tipgraph serve --workers``): key, tokens, audit chain and login limits."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import jwt
import pytest

from api.audit import AuditLog
from api.security import TokenError, decode_token, load_or_create_key
from api.users import UserStore

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "correct-horse-battery"


def test_a_cached_token_still_expires() -> None:
    key = b"k" * 32
    now = int(time.time())
    token = jwt.encode({"sub": "nok", "role": "amlo", "iat": now, "exp": now + 3}, key, "HS256")
    assert decode_token(key, token)["sub"] == "nok"
    time.sleep(max(0.0, now + 3.05 - time.time()))
    with pytest.raises(TokenError, match="expired"):
        decode_token(key, token)
    with pytest.raises(TokenError, match="invalid"):
        decode_token(b"x" * 32, token)  # the same token under another key is not taken from the cache


_KEY_READER = """
import sys, time
from pathlib import Path
from api.security import load_or_create_key
time.sleep(max(0.0, float(sys.argv[2]) - time.time()))
print(load_or_create_key(Path(sys.argv[1])).hex())
"""


def test_processes_starting_together_get_one_key(tmp_path: Path) -> None:
    start = str(time.time() + 2)
    procs = [subprocess.Popen([sys.executable, "-c", _KEY_READER, str(tmp_path), start], cwd=ROOT,
                              stdout=subprocess.PIPE, text=True) for _ in range(4)]
    keys = {p.communicate(timeout=60)[0].strip() for p in procs}
    assert len(keys) == 1 and len(bytes.fromhex(keys.pop())) == 32
    assert [p.name for p in tmp_path.iterdir()] == ["signing.key"]
    assert (tmp_path / "signing.key").stat().st_mode & 0o077 == 0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def two_workers(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """``serve(workers=2)`` over an empty embedded store, with one investigator; the base URL and workspace."""
    ws = tmp_path / "ws"
    UserStore(ws / "api" / "users.sqlite", rounds=4).create("somchai", PASSWORD, "investigator")
    port = _free_port()
    code = (f"from api.server import serve; serve(port={port}, workspace={str(ws)!r}, store_kind='memory', "
            "workers=2, log_level='warning', access_log=False, bcrypt_rounds=4)")
    proc = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            assert proc.poll() is None, "the server ended early"
            try:
                if httpx.get(base + "/api/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.2)
        yield base, ws
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)


def test_two_workers_keep_one_audit_chain_and_the_login_limit(two_workers: tuple[str, Path]) -> None:
    base, ws = two_workers
    token = httpx.post(base + "/api/auth/login", json={"username": "somchai", "password": PASSWORD},
                       timeout=60).json()
    headers = {"Authorization": f"Bearer {token['access_token']}"}

    def calls(n: int) -> list[int]:
        with httpx.Client(base_url=base, headers=headers, timeout=60) as c:  # one connection: one worker, mostly
            return [c.get("/api/search", params={"q": f"x{i}"}).status_code for i in range(n)]

    with ThreadPoolExecutor(8) as pool:
        statuses = [s for batch in pool.map(calls, [25] * 8) for s in batch]
    assert statuses == [200] * 200
    log = AuditLog(ws / "api", load_or_create_key(ws / "api"))
    check = log.verify()
    assert check.ok, check.problems[:3]
    assert check.entries == 201 and sum(e["action"] == "search" for e in log.entries()) == 200
    # Five failures per user name and window for the server as a whole, on whichever worker a login lands
    # (fresh connections, so the logins spread over both processes).
    refused = [httpx.post(base + "/api/auth/login", json={"username": "somchai", "password": "wrong"},
                          timeout=60).status_code for _ in range(7)]
    assert refused == [401] * 5 + [429] * 2, refused
