"""Import FollowTheMoney entities (one JSON entity per line) as source records.

Person/LegalEntity → Person; Company/Organization/PublicBody → Organization; Address → Location;
BankAccount → Account; Payment → a TRANSFER between the payer's and the beneficiary's accounts (their
BankAccounts, or one ``FTM:<party id>`` account per party that holds it, so that money paths run
person → account → account → organisation); Directorship → DIRECTOR_OF, Family → FAMILY, Employment →
EMPLOYED_BY, on the record of the entity they start from. Every record keeps its FtM id (``props.ftm_id``)
and its line as provenance. The file is read twice, streaming: first the addresses, accounts and
relationships, then the records.

Amounts that are not in THB are converted at a fixed reference rate (:data:`THB_PER`) and the original
amount is kept in the transfer's memo.

Examples
--------
>>> import json, tempfile, pathlib
>>> p = pathlib.Path(tempfile.mkdtemp()) / "x.ijson"
>>> rows = [{"id": "o1", "schema": "Organization", "properties": {"name": ["MLPD"]}},
...         {"id": "p1", "schema": "Person", "properties": {"name": ["Frau Lina Dachner"], "country": ["de"]}},
...         {"id": "t1", "schema": "Payment", "properties": {"amountEur": ["100"], "date": ["2011-12-29"],
...          "payer": ["p1"], "beneficiary": ["o1"]}}]
>>> _ = p.write_text("\\n".join(json.dumps(r) for r in rows))
>>> recs = list(read_ftm(p))
>>> [(r.part, r.entity_type, r.key) for r in recs]
[('entity', 'Organization', None), ('entity', 'Person', None), ('payer_account', 'Account', 'FTM:p1'), ('beneficiary_account', 'Account', 'FTM:o1')]
>>> transfer = next(ln for ln in recs[2].links if ln.rel_type == "TRANSFER")
>>> transfer.rel_type, transfer.target_key, transfer.props["amount_thb"], transfer.props["memo"]
('TRANSFER', 'FTM:o1', 3850.0, 'EUR 100.00 (converted at 38.5 THB/EUR)')
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from ingest.records import Link, SourceRecord, record_id
from ingest.types._common import clean_text

__all__ = ["ORGANISATIONS", "PERSONS", "THB_PER", "import_ftm", "read_ftm"]

PERSONS = frozenset({"Person"})
ORGANISATIONS = frozenset({"Company", "Organization", "PublicBody", "LegalEntity"})
#: Fixed reference rates for amounts given in other currencies (THB per unit).
THB_PER = {"THB": 1.0, "EUR": 38.5, "USD": 35.5, "GBP": 44.0, "MMK": 0.017, "KHR": 0.0087, "LAK": 0.0017}
_RELATIONS = {"Directorship": ("DIRECTOR_OF", "director", "organization"),
              "Family": ("FAMILY", "person", "relative"),
              "Employment": ("EMPLOYED_BY", "employee", "employer")}


def _lines(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, start=1):
            if line.strip():
                yield n, json.loads(line)


def _first(props: dict[str, list[Any]], name: str) -> str | None:
    values = props.get(name) or []
    return str(values[0]) if values else None


def _country(code: str | None) -> str | None:
    """ISO alpha-3 where the nationality type knows the code, else the code as given (upper case)."""
    if not code:
        return None
    from ingest.types import TYPES

    return TYPES["nationality"](code).value or code.upper()


def _address_key(props: dict[str, list[Any]]) -> str:
    full = _first(props, "full") or " ".join(str(v) for k in ("street", "city") for v in props.get(k, []))
    return f"{(_first(props, 'country') or 'xx').upper()}:{clean_text(full).lower()}"


def _account_key(entity_id: str, props: dict[str, list[Any]]) -> str:
    number = _first(props, "accountNumber") or _first(props, "iban")
    bank = _first(props, "bic") or _first(props, "bankName")
    if number:
        return f"{clean_text(bank or 'FTM')}-{clean_text(number).replace(' ', '')}"
    return f"FTM:{entity_id}"


def _amount(props: dict[str, list[Any]]) -> tuple[float, str] | None:
    for prop, currency in (("amount", _first(props, "currency") or "THB"), ("amountEur", "EUR"),
                           ("amountUsd", "USD")):
        value = _first(props, prop)
        if value is not None:
            try:
                return float(value.replace(",", "")), currency.upper()
            except ValueError:
                continue
    return None


class _Index:
    """First pass: what the second pass needs to resolve references."""

    def __init__(self) -> None:
        self.addresses: dict[str, dict[str, Any]] = {}
        self.accounts: dict[str, str] = {}
        self.schemas: dict[str, str] = {}
        self.outgoing: dict[str, list[tuple[str, str, dict[str, Any]]]] = {}

    def add(self, entity: dict[str, Any]) -> None:
        eid, schema, props = entity["id"], entity.get("schema", ""), entity.get("properties") or {}
        self.schemas[eid] = schema
        if schema == "Address":
            self.addresses[eid] = {"key": _address_key(props), "address": props.get("full") or [],
                                   "country": _country(_first(props, "country"))}
        elif schema == "BankAccount":
            self.accounts[eid] = _account_key(eid, props)
        elif schema in _RELATIONS:
            rel, src, dst = _RELATIONS[schema]
            extra = {"relation": "relative"} if rel == "FAMILY" else {}
            for a in props.get(src, []):
                for b in props.get(dst, []):
                    self.outgoing.setdefault(a, []).append((rel, b, extra))


def _entity_record(ent: dict[str, Any], n: int, ix: _Index, ctx: dict[str, str]) -> SourceRecord:
    eid, schema, props = ent["id"], ent["schema"], ent.get("properties") or {}
    etype = "Person" if schema in PERSONS else "Organization"
    names = [clean_text(str(v)) for v in props.get("name", [])]
    out: dict[str, Any] = {"names": names, "ftm_id": eid, "aliases": props.get("alias") or None}
    if etype == "Person":
        out["birth_date"] = _first(props, "birthDate")
        out["name_en"] = [x for x in names if x.isascii()] or None
    country = _first(props, "nationality") or _first(props, "country") or _first(props, "jurisdiction")
    out["country"] = _country(country)
    record = SourceRecord(
        record_id=record_id(ctx["mapping"], [eid], "entity"), agency=ctx["agency"], source_file=ctx["file"],
        row=n, part="entity", entity_type=etype, props={k: v for k, v in out.items() if v},
        raw={"id": eid, "schema": schema})
    for addr_id in props.get("addressEntity", []):
        addr = ix.addresses.get(addr_id)
        if addr:
            record.links.append(Link("HAS_ADDRESS", target_type="Location", target_key=addr["key"],
                                     target_props={k: addr[k] for k in ("address", "country") if addr[k]}))
    for rel, other, extra in ix.outgoing.get(eid, []):
        record.links.append(Link(rel, target_record_id=record_id(ctx["mapping"], [other], "entity"),
                                 target_part="entity", props=dict(extra)))
    return record


def _payment_records(ent: dict[str, Any], n: int, ix: _Index, ctx: dict[str, str]) -> list[SourceRecord]:
    eid, props = ent["id"], ent.get("properties") or {}
    amount = _amount(props)
    day = _first(props, "date") or _first(props, "startDate")
    out: list[SourceRecord] = []
    for side in ("payer", "beneficiary"):
        party, account = _first(props, side), _first(props, f"{side}Account")
        key = ix.accounts.get(account or "") or (f"FTM:{party}" if party else None)
        if key is None:
            return []
        rec = SourceRecord(
            record_id=record_id(ctx["mapping"], [eid], f"{side}_account"), agency=ctx["agency"],
            source_file=ctx["file"], row=n, part=f"{side}_account", entity_type="Account", key=key,
            props={"bank_code": key.split("-")[0] if "-" in key else "FTM", "account_no": key},
            raw={"id": eid, "schema": "Payment"})
        if party and not account:  # the party holds the account made for it
            rec.links.append(Link("HOLDS_ACCOUNT", target_part="entity", reverse=True,
                                  target_record_id=record_id(ctx["mapping"], [party], "entity")))
        out.append(rec)
    if amount is None or day is None:
        return out
    value, currency = amount
    at = datetime.fromisoformat(day[:10] + "T00:00:00+07:00") if len(day) >= 10 else None
    if at is None:
        return out
    memo = _first(props, "purpose") or _first(props, "summary") or ""
    if currency != "THB":
        rate = THB_PER.get(currency)
        if rate is None:
            return out
        memo = (f"{memo}; " if memo else "") + f"{currency} {value:.2f} (converted at {rate} THB/{currency})"
        value = round(value * rate, 2)
    out[0].links.append(Link("TRANSFER", target_part="beneficiary_account", target_record_id=out[1].record_id,
                             target_type="Account", target_key=out[1].key, discriminator=eid,
                             props={"txn_id": eid, "amount_thb": value, "at": at.isoformat(),
                                    "ts": int(at.timestamp()), "channel": "OTHER", "memo": memo}))
    return out


def read_ftm(path: str | Path, agency: str = "FTM", dataset: str | None = None) -> Iterator[SourceRecord]:
    """Stream source records from a file of FtM entities (``.ijson``/``.jsonl``: one entity per line)."""
    path = Path(path)
    ctx = {"agency": agency, "file": path.name, "mapping": f"ftm_{dataset or path.stem}"}
    ix = _Index()
    for _, ent in _lines(path):
        ix.add(ent)
    for n, ent in _lines(path):
        schema = ent.get("schema")
        if schema in PERSONS or schema in ORGANISATIONS:
            yield _entity_record(ent, n, ix, ctx)
        elif schema == "Address":
            addr = ix.addresses[ent["id"]]
            yield SourceRecord(
                record_id=record_id(ctx["mapping"], [ent["id"]], "address"), agency=agency, source_file=path.name,
                row=n, part="address", entity_type="Location", key=addr["key"],
                props={k: addr[k] for k in ("address", "country") if addr[k]}, raw={"id": ent["id"]})
        elif schema == "BankAccount":
            key = ix.accounts[ent["id"]]
            yield SourceRecord(
                record_id=record_id(ctx["mapping"], [ent["id"]], "account"), agency=agency, source_file=path.name,
                row=n, part="account", entity_type="Account", key=key,
                props={"bank_code": key.split("-")[0], "account_no": key.split("-", 1)[-1]}, raw={"id": ent["id"]})
        elif schema == "Payment":
            yield from _payment_records(ent, n, ix, ctx)


def import_ftm(path: str | Path, workspace: str | Path, agency: str = "FTM", run_date: str | None = None) -> int:
    """Load a file of FtM entities into ``<workspace>/records.sqlite``; return the number of records."""
    from ingest.store import RecordStore

    records = list(read_ftm(path, agency))
    with RecordStore(workspace) as store:
        store.upsert(records, run_id=f"ftm:{Path(path).name}", run_date=run_date)
    return len(records)
