"""Entity ids shared by entity resolution and the graph build.

Identifier entities (accounts, phones, documents, locations, cases, vehicles, assets) are named by their
normalised key; resolved entities (persons, organisations) by a stable hash of their cluster's anchor record.
The prefixes equal the ``id_prefix`` of each type in ``graph_model/schema`` (a test checks it).

Examples
--------
>>> identifier_entity_id("Phone", "+66812345678")
'tel:+66812345678'
>>> resolved_entity_id("Person", "rtp_case_persons:abc").startswith("per:")
True
"""

from __future__ import annotations

import hashlib

__all__ = ["ID_PREFIX", "identifier_entity_id", "resolved_entity_id"]

ID_PREFIX: dict[str, str] = {
    "Person": "per",
    "Organization": "org",
    "Account": "acc",
    "Phone": "tel",
    "Document": "doc",
    "Location": "loc",
    "Case": "case",
    "Vehicle": "veh",
    "Asset": "ast",
}


def identifier_entity_id(entity_type: str, key: str) -> str:
    """The entity id of an identifier entity: its type's prefix and its normalised key."""
    return f"{ID_PREFIX[entity_type]}:{key}"


def resolved_entity_id(entity_type: str, anchor_record_id: str) -> str:
    """The entity id of a resolved cluster, from the id of its anchor (smallest) record."""
    digest = hashlib.blake2b(anchor_record_id.encode(), digest_size=8).hexdigest()
    return f"{ID_PREFIX[entity_type]}:{digest}"
