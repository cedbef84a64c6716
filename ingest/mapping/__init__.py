"""Declarative mappings: one YAML file per agency export turns its rows into source records.

A changed or new export is a new mapping file, not code. The DSL (see :mod:`ingest.mapping.spec`):

- ``name``, ``agency``, ``file`` (glob patterns), ``format`` (csv, xlsx, json, jsonl), ``encoding``
  (``auto``, ``utf-8``, ``cp874``), ``sheet`` (xlsx), ``required`` (columns whose absence refuses the file),
  ``keys`` (columns hashed into stable record ids), ``record_date`` (a value spec);
- ``parts``: name → ``entity`` (schema node type), ``key`` (identifier types), ``props`` (schema property →
  value spec(s)), ``each``/``within`` (repeated parts from JSON lists), ``when`` (only when a value exists),
  ``entity_rules`` (tried in order: ``{column, type, attr, equals or matches, entity}``, passed over when its
  ``unless`` test, ``{column, matches or equals}``, holds) and ``props_by_entity`` (Person or Organization
  decided per row);
- ``links``: ``from`` a part, ``rel`` (schema relationship), ``to`` a part or an identifier target
  (``{entity, column, type, key, each, props, where}``), ``props``, ``discriminator``, ``reverse``.

Examples
--------
>>> m = load_mapping(MAPPINGS_DIR / "amlo_transactions.yaml")
>>> [ln.rel for ln in m.links]
['TRANSFER', 'TRANSFER']
"""

from ingest.mapping.engine import RowError, apply_row, row_keys
from ingest.mapping.load import ER_PROPS, MAPPINGS_DIR, Mapping, load_mapping, load_mappings
from ingest.mapping.spec import MappingError

__all__ = ["ER_PROPS", "MAPPINGS_DIR", "Mapping", "MappingError", "RowError", "apply_row", "load_mapping",
           "load_mappings", "row_keys"]
