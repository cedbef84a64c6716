"""The audit middleware: one hash-chained entry per API call (user, action, parameters, result size, time).

A plain ASGI middleware (no request/response wrapping): it reads what the routes left in the request
state (the user, parameters of bodies, the result size) when the response starts, and appends the entry
*before* passing the start of the response on, so that no answer leaves without its entry in the log. With
``durable`` (the default) it also waits until the entry is on disk (:meth:`api.audit.AuditLog.sync`); one
``fdatasync`` covers every entry appended before it began, so concurrent requests share it
(:class:`GroupCommit`) instead of queueing for one each. A call that fails before answering is recorded
as it unwinds (status 500).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl

from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.audit import AuditLog

__all__ = ["UNAUDITED", "AuditMiddleware", "GroupCommit"]

#: Paths that are not audited (no data is read or written there).
UNAUDITED = ("/api/health", "/api/openapi.json")


class GroupCommit:
    """Waits until appends are on disk, one ``sync`` (in the thread pool) for all appends made before it.

    :meth:`appended` numbers an append of this process; :meth:`wait` returns once a ``sync`` that began
    after that append has finished (raising what the ``sync`` raised).

    >>> calls = []
    >>> commit = GroupCommit(lambda: calls.append(1))
    >>> async def three_requests() -> None:
    ...     await asyncio.gather(*(commit.wait(commit.appended()) for _ in range(3)))
    >>> asyncio.run(three_requests()); len(calls)
    1
    """

    def __init__(self, sync: Callable[[], None]) -> None:
        self._sync = sync
        self._appended = 0
        self._synced = 0
        self._flush: asyncio.Task[None] | None = None

    def appended(self) -> int:
        """Count one append; its number, for :meth:`wait`."""
        self._appended += 1
        return self._appended

    async def wait(self, number: int) -> None:
        """Return once append ``number`` is on disk."""
        while self._synced < number:
            flush = self._flush
            if flush is None or flush.done() or flush.get_loop() is not asyncio.get_running_loop():
                flush = self._flush = asyncio.get_running_loop().create_task(self._flush_once())
            await asyncio.shield(flush)

    async def _flush_once(self) -> None:
        covered = self._appended  # every append made before the sync begins
        await run_in_threadpool(self._sync)
        self._synced = max(self._synced, covered)


class AuditMiddleware:
    """Append an audit entry for every call under ``/api/`` except :data:`UNAUDITED`.

    ``durable``: each entry is on disk before its response starts (else in the OS's page cache: kept
    through a crash of the service, not of the machine).
    """

    def __init__(self, app: ASGIApp, audit: AuditLog, durable: bool = True) -> None:
        self.app = app
        self.audit = audit
        self.commit = GroupCommit(audit.sync) if durable else None

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
