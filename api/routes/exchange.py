"""The DGA data-exchange endpoint: signed JSON Lines envelopes in, one result per envelope out.

Agency keys are read from ``<workspace>/api/exchange-keys.json`` (``{agency: key}``); verification,
deduplication, loading and the refusal log are ``ingest.exchange.receive``'s.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Request, status
from pydantic import BaseModel

from api.deps import Services, note, require_roles

router = APIRouter(tags=["ingest"])

KEYS_FILE = "exchange-keys.json"


class EnvelopeOut(BaseModel):
    """The answer for one envelope: ``loaded``, ``duplicate`` or ``rejected`` with the reason."""

    exchange_id: str | None
    status: str
    reason: str | None
    record_ids: list[str]
    line: int


class ExchangeAnswer(BaseModel):
    """Results per envelope and counts per status."""

    results: list[EnvelopeOut]
    counts: dict[str, int]


@router.post(
    "/exchange",
    operation_id="exchange",
    response_model=ExchangeAnswer,
    dependencies=[require_roles("admin")],
    openapi_extra={"requestBody": {"required": True, "content": {"application/x-ndjson": {"schema": {"type": "string"}}}}},
)
async def exchange(request: Request, services: Services) -> ExchangeAnswer:
    """Receive signed envelopes ``{exchange_id, agency, record_type, issued_at, payload, signature}``,
    one JSON object per line. Refused envelopes are logged with their reason; nothing of them is loaded."""
    from ingest.exchange import receive

    keys_path = services.settings.api_dir / KEYS_FILE
    if not keys_path.exists():
        raise HTTPException(status.HTTP_409_CONFLICT, f"no agency keys registered ({KEYS_FILE} in the workspace)")
    body = await request.body()
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise HTTPException(status.HTTP_400_BAD_REQUEST, "the body is not UTF-8 JSON Lines") from None
    lines = text.splitlines()
    if not any(line.strip() for line in lines):
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, "no envelopes in the body")
    results = receive(lines, keys_path, services.settings.workspace)
    counts: dict[str, Any] = {}
    for r in results:
        counts[r.status] = counts.get(r.status, 0) + 1
    note(request, result_size=len(results), envelopes=len(lines), **{f"n_{k}": v for k, v in counts.items()})
    return ExchangeAnswer(results=[EnvelopeOut(**r.to_dict()) for r in results], counts=counts)
