"""The audit middleware: one hash-chained entry per API call (user, action, parameters, result size, time).

A plain ASGI middleware (no request/response wrapping): it reads what the routes left in the request
state (the user, parameters of bodies, the result size) once the response has started.
"""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import parse_qsl

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.audit import AuditLog

__all__ = ["UNAUDITED", "AuditMiddleware"]

#: Paths that are not audited (no data is read or written there).
UNAUDITED = ("/api/health", "/api/openapi.json")


class AuditMiddleware:
    """Append an audit entry for every call under ``/api/`` except :data:`UNAUDITED`."""

    def __init__(self, app: ASGIApp, audit: AuditLog) -> None:
        self.app = app
        self.audit = audit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path: str = scope.get("path", "")
        if scope["type"] != "http" or not path.startswith("/api/") or path.startswith(UNAUDITED):
            await self.app(scope, receive, send)
            return
        state: dict[str, Any] = scope.setdefault("state", {})
        started = time.perf_counter()
        seen: dict[str, int] = {"status": 500, "length": 0}

        async def recording_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                seen["status"] = int(message["status"])
            elif message["type"] == "http.response.body":
                seen["length"] += len(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, receive, recording_send)
        finally:
            self._record(scope, state, seen, started)

    def _record(self, scope: Scope, state: dict[str, Any], seen: dict[str, int], started: float) -> None:
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
            status=seen["status"],
            result_size=int(size if size is not None else seen["length"]),
            duration_ms=round((time.perf_counter() - started) * 1000, 2),
        )
