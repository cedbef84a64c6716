"""The DGA data exchange: verify signed JSON Lines envelopes, take each ``exchange_id`` once, load them.

An envelope ``{exchange_id, agency, record_type, issued_at, payload, signature}`` is loaded when its
signature is the hex HMAC-SHA256 of the canonical JSON of ``payload`` under the sending agency's key,
``record_type`` names a file mapping of that agency, its ``exchange_id`` was never taken, and its payload
maps without error. Otherwise it is refused with a reason and appended to
``<workspace>/exchange/rejected.jsonl``; nothing of a refused envelope is written. A repeated
``exchange_id`` answers ``duplicate`` and changes nothing.

The key registry is a JSON object ``{agency: key}``. The HMAC key is the UTF-8 bytes of the key string as
written there (what the synthetic world's DGA signs with); a hex key whose decoded bytes were used instead
is accepted too.

Examples
--------
>>> import json, tempfile
>>> keys = {"RTP": "6b6579"}
>>> payload = {"เลขคดี": "สภ.แม่สอด 123/2561", "บทบาท": "ผู้ต้องหา", "ชื่อ-สกุล": "นายสมชาย ใจดี"}
>>> env = {"exchange_id": "x1", "agency": "RTP", "record_type": "rtp_case_persons",
...        "issued_at": "2018-08-08T10:00:00+07:00", "payload": payload, "signature": sign(payload, "6b6579")}
>>> ws = tempfile.mkdtemp()
>>> [(r.status, len(r.record_ids)) for r in receive([json.dumps(env)], keys, ws)]
[('loaded', 2)]
>>> [(r.status, r.reason) for r in receive([json.dumps(env)], keys, ws)]
[('duplicate', 'exchange_id x1 was already taken')]
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ingest.mapping import Mapping as ExportMapping
from ingest.mapping import RowError, apply_row, load_mappings
from ingest.records import SourceRecord
from ingest.store import RecordStore

__all__ = ["EnvelopeResult", "canonical", "load_keys", "receive", "sign", "verify"]

_FIELDS = ("exchange_id", "agency", "record_type", "payload", "signature")
_EXT = {"csv": "csv", "xlsx": "xlsx", "json": "json", "jsonl": "jsonl"}


@dataclass
class EnvelopeResult:
    """The answer for one envelope: ``loaded``, ``duplicate`` or ``rejected`` (with ``reason``)."""

    exchange_id: str | None
    status: str
    reason: str | None = None
    record_ids: list[str] = field(default_factory=list)
    line: int = 0

    @property
    def accepted(self) -> bool:
        """Loaded now or already taken before (not refused)."""
        return self.status != "rejected"

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-able form (the HTTP endpoint's answer per envelope)."""
        return {"exchange_id": self.exchange_id, "status": self.status, "reason": self.reason,
                "record_ids": list(self.record_ids), "line": self.line}


def canonical(payload: Any) -> bytes:
    """The signed bytes: JSON with sorted keys, no spaces, non-ASCII as itself, UTF-8.

    >>> canonical({"b": 1, "a": "ข"})
    b'{"a":"\\xe0\\xb8\\x82","b":1}'
    """
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def sign(payload: Any, key: str) -> str:
    """Hex HMAC-SHA256 of the canonical payload under ``key`` (its UTF-8 bytes).

    >>> len(sign({"a": 1}, "k"))
    64
    """
    return hmac.new(key.encode(), canonical(payload), hashlib.sha256).hexdigest()


def verify(payload: Any, signature: str, key: str) -> bool:
    """True when ``signature`` is the payload's HMAC under ``key`` (as UTF-8, or hex-decoded).

    >>> verify({"a": 1}, sign({"a": 1}, "k"), "k"), verify({"a": 2}, sign({"a": 1}, "k"), "k")
    (True, False)
    """
    body = canonical(payload)
    candidates = [key.encode()]
    with contextlib.suppress(ValueError):
        candidates.append(bytes.fromhex(key))
    given = signature.strip().lower()
    return any(hmac.compare_digest(hmac.new(k, body, hashlib.sha256).hexdigest(), given) for k in candidates)


def load_keys(path: str | Path) -> dict[str, str]:
    """Read a key registry ``{agency: key}`` from a JSON file."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ValueError(f"{path}: a key registry is a JSON object {{agency: key}}")
    return {str(k).upper(): str(v) for k, v in data.items()}


def _check(env: Any, keys: Mapping[str, str], mappings: Mapping[str, ExportMapping]) -> str | None:
    """The reason to refuse ``env``, or None when it may be loaded."""
    if not isinstance(env, dict):
        return "not a JSON object"
    if not env.get("signature"):
        return "unsigned: no signature"
    missing = [f for f in _FIELDS if f not in env or env[f] in (None, "")]
    if missing:
        return f"missing fields {missing}"
    if not isinstance(env["payload"], dict):
        return "payload is not a JSON object"
    agency = str(env["agency"]).upper()
    key = keys.get(agency)
    if key is None:
        return f"unknown agency {env['agency']!r}: no key in the registry"
    if not verify(env["payload"], str(env["signature"]), key):
        return "tampered or wrongly signed: the signature does not match the payload"
    mapping = mappings.get(str(env["record_type"]))
    if mapping is None or mapping.kind != "file":
        return f"unknown record_type {env['record_type']!r}"
    if mapping.agency != agency:
        return f"record_type {mapping.name!r} belongs to {mapping.agency}, not {agency}"
    return None


def _reject(workspace: Path, rejected: list[tuple[EnvelopeResult, Any]], now: str) -> None:
    if not rejected:
        return
    directory = workspace / "exchange"
    directory.mkdir(parents=True, exist_ok=True)
    with open(directory / "rejected.jsonl", "a", encoding="utf-8") as fh:
        for result, env in rejected:
            entry = {"received_at": now, "exchange_id": result.exchange_id, "reason": result.reason,
                     "envelope": env}
            fh.write(json.dumps(entry, ensure_ascii=False, default=str) + "\n")


def receive(
    lines: Iterable[str | bytes | dict[str, Any]],
    keys: Mapping[str, str] | str | Path,
    workspace: str | Path,
    *,
    mappings: Mapping[str, ExportMapping] | None = None,
    run_date: str | None = None,
    run_id: str = "",
) -> list[EnvelopeResult]:
    """Verify and load a batch of envelopes (JSON Lines text, bytes or dicts); one result per envelope.

    All good envelopes of the batch are written in one transaction together with their exchange ids;
    refused ones go to ``<workspace>/exchange/rejected.jsonl``.
    """
    workspace = Path(workspace)
    registry = load_keys(keys) if isinstance(keys, str | Path) else {k.upper(): v for k, v in keys.items()}
    mappings = mappings if mappings is not None else load_mappings()
    now = datetime.now(UTC).isoformat(timespec="seconds")
    results: list[EnvelopeResult] = []
    rejected: list[tuple[EnvelopeResult, Any]] = []
    good: list[tuple[EnvelopeResult, dict[str, Any], list[SourceRecord]]] = []
    with RecordStore(workspace) as store:
        envs: list[tuple[int, Any]] = []
        for n, line in enumerate(lines, start=1):
            if isinstance(line, bytes | str):
                if not line.strip():
                    continue
                try:
                    envs.append((n, json.loads(line)))
                except json.JSONDecodeError as exc:
                    result = EnvelopeResult(None, "rejected", f"not JSON: {exc}", line=n)
                    results.append(result)
                    rejected.append((result, line if isinstance(line, str) else line.decode("utf-8", "replace")))
                continue
            envs.append((n, line))
        taken = store.taken(str(e.get("exchange_id")) for _, e in envs if isinstance(e, dict))
        batch_ids: set[str] = set()
        for n, env in envs:
            xid = str(env.get("exchange_id")) if isinstance(env, dict) and env.get("exchange_id") else None
            reason = _check(env, registry, mappings)
            if reason is None and xid is not None and (xid in taken or xid in batch_ids):
                results.append(EnvelopeResult(xid, "duplicate", f"exchange_id {xid} was already taken", line=n))
                continue
            records: list[SourceRecord] = []
            if reason is None:
                mapping = mappings[str(env["record_type"])]
                try:
                    records = apply_row(mapping, env["payload"], exchange_id=xid, agency=str(env["agency"]).upper(),
                                        source_file=f"{mapping.name}.{_EXT[mapping.format]}",
                                        extra_keys=(f"@{xid}",))
                except RowError as exc:
                    reason = f"payload cannot be loaded: {exc.field}: {exc.reason}"
            if reason is not None:
                result = EnvelopeResult(xid, "rejected", reason, line=n)
                results.append(result)
                rejected.append((result, env))
                continue
            assert xid is not None
            batch_ids.add(xid)
            result = EnvelopeResult(xid, "loaded", None, [r.record_id for r in records], line=n)
            results.append(result)
            good.append((result, env, records))
        store.upsert_exchange(
            [r for _, _, recs in good for r in recs],
            [(str(env["exchange_id"]), str(env["agency"]).upper(), str(env["record_type"]),
              str(env.get("issued_at") or ""), hashlib.sha256(canonical(env["payload"])).hexdigest(),
              json.dumps(res.record_ids)) for res, env, _ in good],
            run_id=run_id, run_date=run_date, now=now)
    _reject(workspace, sorted(rejected, key=lambda pair: pair[0].line), now)
    return sorted(results, key=lambda r: r.line)
