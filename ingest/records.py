"""Source records: one part of one export row (or exchange envelope) naming one entity, with provenance.

This is the contract between ``ingest`` (which writes them), ``entity_resolution`` (which groups Person and
Organization records into entities) and ``graph_model.build`` (which turns records and their resolution
into nodes and relationships). See ``docs/contracts.md`` for the part names of every export.

Examples
--------
>>> r = SourceRecord(record_id="rtp-1", agency="RTP", source_file="rtp_case_persons.csv", row=1,
...                  part="person", entity_type="Person", props={"names": ["สมชาย ใจดี"]})
>>> r.locator
'rtp_case_persons.csv#1'
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

__all__ = ["IDENTIFIER_TYPES", "RESOLVED_TYPES", "Link", "SourceRecord", "record_id"]

#: Entity types resolved by entity resolution (everything else is keyed by its normalised value).
RESOLVED_TYPES = frozenset({"Person", "Organization"})
#: Entity types identified by a deterministic key from their normalised value.
IDENTIFIER_TYPES = frozenset({"Account", "Phone", "Document", "Location", "Case", "Vehicle", "Asset"})


def record_id(mapping: str, keys: list[str], part: str) -> str:
    """A stable record id: the mapping name, the row's key values and the part, hashed.

    >>> record_id("rtp_case_persons", ["สภ.แม่สอด 123/2561", "1"], "person") == record_id(
    ...     "rtp_case_persons", ["สภ.แม่สอด 123/2561", "1"], "person")
    True
    """
    text = "\x1f".join([mapping, *keys, part])
    return f"{mapping}:{hashlib.blake2b(text.encode(), digest_size=10).hexdigest()}"


@dataclass
class Link:
    """A relationship asserted by the row that holds the record.

    The far end is another part of the same row (``target_part``, with that part's ``target_record_id``
    filled in by the mapping engine) or an identifier entity (``target_type`` + ``target_key``, e.g.
    ``Phone`` + ``+66812345678``) that need not be a part of its own: ``target_props`` then carries the
    schema properties to create it with (``{"number": "+66812345678"}``). ``reverse`` flips the
    direction (the far end is the source). ``discriminator`` keeps parallel relationships apart
    (a txn id, a crossing time).
    """

    rel_type: str
    target_part: str | None = None
    target_record_id: str | None = None
    target_type: str | None = None
    target_key: str | None = None
    target_props: dict[str, Any] = field(default_factory=dict)
    props: dict[str, Any] = field(default_factory=dict)
    reverse: bool = False
    discriminator: str = ""


@dataclass
class SourceRecord:
    """One part of one row, with clean properties, the raw cells, validation flags and provenance.

    ``props`` use the schema's property names of ``entity_type`` where they exist; extra matching
    fields for entity resolution (``thai_id``, ``passport``, ``pink_card``, ``birth_date``, ``phones``,
    ``accounts``, ``name_keys``, ``case_keys``, ``location_key``, ...) are kept alongside.
    ``key`` is the deterministic entity key for identifier types (None for Person/Organization).
    """

    record_id: str
    agency: str
    source_file: str
    part: str
    entity_type: str
    row: int | None = None
    exchange_id: str | None = None
    key: str | None = None
    props: dict[str, Any] = field(default_factory=dict)
    raw: dict[str, Any] = field(default_factory=dict)
    flags: list[str] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    record_date: str | None = None
    ingested_at: str | None = None
    first_seen: str | None = None
    last_seen: str | None = None

    @property
    def locator(self) -> str:
        """Where the record came from: ``file#row`` or ``file@exchange_id``."""
        if self.exchange_id:
            return f"{self.source_file}@{self.exchange_id}"
        return f"{self.source_file}#{self.row}"
