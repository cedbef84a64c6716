"""The audit middleware: one hash-chained entry per API call (user, action, parameters, result size, time).

A plain ASGI middleware (no request/response wrapping): it reads what the routes left in the request
state (the user, parameters of bodies, the result size) when the response starts, and appends the entry
*before* passing the start of the response on, so that no answer leaves without its entry in the log. With
``durable`` (the default) it also waits until the entry is on disk (:meth:`api.audit.AuditLog.sync_parts`:
``fdatasync`` of log and head); one sync covers every entry appended before it began, so concurrent
requests share it (:class:`GroupCommit`) instead of queueing for one each. A call that fails before answering is recorded
as it unwinds (status 500).
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from collections.abc import Callable, Sequence
from typing import Any
from urllib.parse import parse_qsl

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.audit import AuditLog

__all__ = ["UNAUDITED", "AuditMiddleware", "GroupCommit"]

#: Paths that are not audited (no data is read or written there).
UNAUDITED = ("/api/health", "/api/openapi.json")


class GroupCommit:
    """Waits until appends are on disk: one sync for all appends made before it began.

    A sync calls ``syncs`` in turn, in one thread of its own (started on demand, ended after
    ``idle_seconds`` without work), which settles the waiting requests' futures on their event loops: a
    sync costs no hand-off to the thread pool per request. :meth:`appended` numbers an append of this
    process; :meth:`wait` returns once a sync that began after that append has finished (raising what a
    sync raised).

    >>> calls = []
    >>> commit = GroupCommit([lambda: calls.append(1)])
    >>> async def three_requests() -> None:
    ...     await asyncio.gather(*(commit.wait(commit.appended()) for _ in range(3)))
    >>> asyncio.run(three_requests()); len(calls)
    1
    """

    def __init__(self, syncs: Sequence[Callable[[], None]], idle_seconds: float = 30.0) -> None:
        self._syncs = list(syncs)
        self._idle = idle_seconds
        self._cond = threading.Condition()
        self._appended = 0  # appends numbered so far
        self._wanted = 0  # highest number someone waits for
        self._synced = 0  # every append up to this number is on disk
        self._waiters: list[tuple[int, asyncio.AbstractEventLoop, asyncio.Future[None]]] = []
        self._thread: threading.Thread | None = None

    def appended(self) -> int:
        """Count one append (call it after the write); its number, for :meth:`wait`."""
        with self._cond:
            self._appended += 1
            return self._appended

    async def wait(self, number: int) -> None:
        """Return once append ``number`` is on disk."""
        loop = asyncio.get_running_loop()
        done: asyncio.Future[None] = loop.create_future()
        with self._cond:
            if self._synced >= number:
                return
            self._waiters.append((number, loop, done))
            self._wanted = max(self._wanted, number)
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="audit-sync", daemon=True)
                self._thread.start()
            self._cond.notify()
        await done

    def _run(self) -> None:
        while True:
            with self._cond:
                while self._wanted <= self._synced:
                    if not self._cond.wait(self._idle) and self._wanted <= self._synced:
                        self._thread = None
                        return
                covered = self._appended  # written before the sync begins
            error: BaseException | None = None
            try:
                for sync in self._syncs:
                    sync()
            except Exception as exc:  # handed to every waiting request
                error = exc
            with self._cond:
                if error is None:
                    self._synced = max(self._synced, covered)
                else:
                    self._wanted = self._synced  # those waiting fail now; later appends try again
                settled = [w for w in self._waiters if error is not None or w[0] <= covered]
                self._waiters = [w for w in self._waiters if error is None and w[0] > covered]
            loops: dict[asyncio.AbstractEventLoop, list[asyncio.Future[None]]] = {}
            for _, loop, future in settled:
                loops.setdefault(loop, []).append(future)
            for loop, futures in loops.items():
                with contextlib.suppress(RuntimeError):  # a loop closed meanwhile (its requests are gone)
                    loop.call_soon_threadsafe(_settle, futures, error)


def _settle(futures: list[asyncio.Future[None]], error: BaseException | None) -> None:
    for future in futures:
        if not future.done():
            if error is None:
                future.set_result(None)
            else:
                future.set_exception(error)


class AuditMiddleware:
    """Append an audit entry for every call under ``/api/`` except :data:`UNAUDITED`.

    ``durable``: each entry is on disk before its response starts (else in the OS's page cache: kept
    through a crash of the service, not of the machine).
    """

    def __init__(self, app: ASGIApp, audit: AuditLog, durable: bool = True) -> None:
        self.app = app
        self.audit = audit
        self.commit = GroupCommit(audit.sync_parts()) if durable else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path: str = scope.get("path", "")
        if scope["type"] != "http" or not path.startswith("/api/") or path.startswith(UNAUDITED):
            await self.app(scope, receive, send)
            return
        state: dict[str, Any] = scope.setdefault("state", {})
        started = time.perf_counter()
        recorded = False

        async def recording_send(message: Message) -> None:
            nonlocal recorded
            if message["type"] == "http.response.start" and not recorded:
                recorded = True
                length = next((int(v) for k, v in message.get("headers") or () if k.lower() == b"content-length"), 0)
                self._record(scope, state, int(message["status"]), length, started)
                if self.commit is not None:
                    await self.commit.wait(self.commit.appended())
            await send(message)

        try:
            await self.app(scope, receive, recording_send)
        finally:
            if not recorded:
                self._record(scope, state, 500, 0, started)

    def _record(self, scope: Scope, state: dict[str, Any], status: int, length: int, started: float) -> None:
        user = state.get("user")
        params: dict[str, Any] = dict(parse_qsl(scope.get("query_string", b"").decode("latin-1")))
        params.update(scope.get("path_params") or {})
        params.update(state.get("audit_params") or {})
        route = scope.get("route")
        size = state.get("result_size")
        self.audit.append(
            user=user.username if user else state.get("login_name"),
            role=user.role if user else None,
            action=getattr(route, "name", None) or "unrouted",
            method=scope.get("method", ""),
            path=scope.get("path", ""),
            params=params,
            status=status,
            result_size=int(size if size is not None else length),
            duration_ms=round((time.perf_counter() - started) * 1000, 2),
        )
