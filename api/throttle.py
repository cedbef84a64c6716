"""Brute-force protection for logins: failed attempts counted per user name and per client address.

A moving window (``limits``, in memory: one per app process) counts failures. While either count is at
its limit, a login is refused before the password is checked, with the seconds until the oldest failure
leaves the window (``Retry-After``). A successful login clears the user name's count, not the address's.

Examples
--------
>>> t = LoginThrottle(per_user=2, per_address=10, window_seconds=60)
>>> t.retry_after("somchai", "10.0.0.1") is None
True
>>> t.failed("somchai", "10.0.0.1"); t.failed("Somchai", "10.0.0.2")
>>> blocked = t.retry_after("somchai", "10.0.0.3")
>>> blocked is not None and blocked.scope == "user" and 0 < blocked.seconds <= 60
True
>>> t.retry_after("malee", "10.0.0.1") is None
True
"""

from __future__ import annotations

import math
import time
import unicodedata
from dataclasses import dataclass

from limits import RateLimitItemPerSecond
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter

__all__ = ["Blocked", "LoginThrottle"]


@dataclass(frozen=True)
class Blocked:
    """Why a login is refused: ``scope`` is ``user`` or ``address``; retry after ``seconds``."""

    scope: str
    seconds: int


def _user_key(username: str) -> str:
    return unicodedata.normalize("NFC", username).casefold()


class LoginThrottle:
    """Counts failed logins per user name and per client address in a moving window."""

    def __init__(self, per_user: int, per_address: int, window_seconds: int) -> None:
        self._limiter = MovingWindowRateLimiter(MemoryStorage())
        self._items = {
            "user": RateLimitItemPerSecond(per_user, window_seconds),
            "address": RateLimitItemPerSecond(per_address, window_seconds),
        }

    def _keys(self, username: str, address: str) -> dict[str, str]:
        return {"user": _user_key(username), "address": address}

    def retry_after(self, username: str, address: str) -> Blocked | None:
        """Why and for how long a login for ``username`` from ``address`` is refused, or None."""
        for scope, key in self._keys(username, address).items():
            item = self._items[scope]
            if not self._limiter.test(item, "login", scope, key):
                reset = self._limiter.get_window_stats(item, "login", scope, key).reset_time
                return Blocked(scope, max(1, math.ceil(reset - time.time())))
        return None

    def failed(self, username: str, address: str) -> None:
        """Count one failed login."""
        for scope, key in self._keys(username, address).items():
            self._limiter.hit(self._items[scope], "login", scope, key)

    def succeeded(self, username: str) -> None:
        """Forget the user name's failures (the address's stay counted)."""
        self._limiter.clear(self._items["user"], "login", "user", _user_key(username))
