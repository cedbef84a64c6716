"""Passwords, signing key and tokens.

Passwords are bcrypt hashes; tokens are HS256 JSON Web Tokens signed with a key generated per workspace
at first start (``<workspace>/api/signing.key``, mode 0600, never committed).

Examples
--------
>>> import tempfile
>>> key = load_or_create_key(Path(tempfile.mkdtemp()))
>>> token = issue_token(key, "somchai", "investigator", minutes=5)
>>> decode_token(key, token)["sub"]
'somchai'
>>> verify_password("pw", hash_password("pw", rounds=4))
True
"""

from __future__ import annotations

import contextlib
import functools
import os
import secrets
import time
from pathlib import Path
from typing import Any

import bcrypt
import jwt

__all__ = [
    "TokenError",
    "decode_token",
    "hash_password",
    "issue_token",
    "load_or_create_key",
    "verify_password",
]

KEY_FILE = "signing.key"
ALGORITHM = "HS256"


class TokenError(Exception):
    """A token is missing, malformed, forged or expired; the message says which."""


def hash_password(password: str, rounds: int = 12) -> str:
    """The bcrypt hash of ``password`` (bcrypt reads at most 72 bytes; longer input is refused upstream)."""
    return bcrypt.hashpw(password.encode(), bcrypt.gensalt(rounds)).decode()


def verify_password(password: str, hashed: str) -> bool:
    """Whether ``password`` matches the bcrypt hash."""
    try:
        return bcrypt.checkpw(password.encode(), hashed.encode())
    except ValueError:
        return False


def load_or_create_key(api_dir: Path) -> bytes:
    """Read the workspace's signing key, creating a random 256-bit one (mode 0600) on first start.

    The key is written to a private temporary file and linked into place, so a process starting at the
    same moment (a second worker) reads either no key file or the whole key, and the first link wins.
    """
    api_dir.mkdir(parents=True, exist_ok=True)
    path = api_dir / KEY_FILE
    if not path.exists():
        tmp = api_dir / f".{KEY_FILE}.{os.getpid()}.{secrets.token_hex(4)}"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "w") as fh:
                fh.write(secrets.token_hex(32))
                fh.flush()
                os.fsync(fh.fileno())
            with contextlib.suppress(FileExistsError):
                os.link(tmp, path)
        finally:
            tmp.unlink(missing_ok=True)
    return bytes.fromhex(path.read_text().strip())


def issue_token(key: bytes, username: str, role: str, minutes: int) -> str:
    """A signed token naming the user and role, valid for ``minutes``."""
    now = int(time.time())
    claims = {"sub": username, "role": role, "iat": now, "exp": now + minutes * 60, "jti": secrets.token_hex(8)}
    return jwt.encode(claims, key, algorithm=ALGORITHM)


def decode_token(key: bytes, token: str) -> dict[str, Any]:
    """The claims of a valid token, or :class:`TokenError` saying why it is refused.

    The signature of a token is checked once per process (a bounded cache of tokens that passed, keyed by
    key and token); its expiry on every call.
    """
    claims = _verified(key, token)
    if claims["exp"] <= time.time():
        raise TokenError("token expired; log in again")
    return dict(claims)


@functools.lru_cache(maxsize=4096)
def _verified(key: bytes, token: str) -> dict[str, Any]:
    """The claims of a token whose signature and claims check out (refusals raise, so are not cached)."""
    try:
        claims: dict[str, Any] = jwt.decode(
            token, key, algorithms=[ALGORITHM], options={"require": ["sub", "exp", "iat"]}
        )
    except jwt.ExpiredSignatureError:
        raise TokenError("token expired; log in again") from None
    except jwt.PyJWTError as exc:
        raise TokenError(f"invalid token: {exc}") from None
    return claims
