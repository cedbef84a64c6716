"""Fuzz every operation from the OpenAPI description (schemathesis, bounded): no answer is a 5xx.

Runs as the admin, who may call every operation, so the generated inputs reach the route code.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import schemathesis
from conftest import auth
from fastapi import FastAPI
from hypothesis import HealthCheck, given, settings

MAX_EXAMPLES = 6


@schemathesis.serializer("application/x-ndjson")
def _ndjson(ctx: object, value: object) -> bytes:
    """The exchange body is text (JSON Lines); send generated strings as they are."""
    return value.encode("utf-8", "surrogatepass") if isinstance(value, str) else str(value).encode()


def _no_5xx(op: Any, headers: dict[str, str]) -> Callable[[], None]:
    """A hypothesis test of one operation: generated calls never get a 5xx."""

    @given(case=op.as_strategy())
    @settings(max_examples=MAX_EXAMPLES, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    def run(case: schemathesis.Case) -> None:
        response = case.call(headers=headers)
        assert response.status_code < 500, (op.label, case.query, case.body, response.text[:300])

    return run


def test_no_server_errors(app: FastAPI, tokens: dict[str, str]) -> None:
    schema = schemathesis.openapi.from_asgi("/api/openapi.json", app)
    headers = auth(tokens["admin"])
    operations = [result.ok() for result in schema.get_all_operations()]  # type: ignore[union-attr]
    assert len(operations) > 30
    for op in operations:
        _no_5xx(op, headers)()
    # Every generated call reached the app (each one is audited).
    calls = len(list(app.state.services.audit.entries()))
    assert calls >= 3 * len(operations), calls
