"""The resolution's record → entity map of the resolved types (Person, Organization), held compactly.

Entity resolution writes ``resolution/mapping.parquet``: one row per record it read (4.4 million at a
million persons, accounts and cases included). The graph consults it only for Person and Organization
records (:func:`graph_model.build.entity_id_of`); as a Python dict of every row it took 2.9 GB and tens
of seconds to build. Here the record ids are one sorted fixed-width byte array and the entity ids codes
into their distinct values: about 50 bytes per record, a few seconds to read, and a sorted slice per
record-id range for the parallel bulk collect (:mod:`graph_model.bulk_parallel`).

Examples
--------
>>> m = RecordEntities.from_pairs(["r2", "r1", "r3"], ["per:b", "per:a", "per:b"])
>>> m["r1"], m.get("r2"), m.get("nope"), len(m), list(m)
('per:a', 'per:b', None, 3, ['r1', 'r2', 'r3'])
>>> m.get_many(["r3", "x", "r1"])
{'r3': 'per:b', 'r1': 'per:a'}
>>> dict(m.between("r2", None))
{'r2': 'per:b', 'r3': 'per:b'}
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

import numpy as np

from entity_resolution.ids import ID_PREFIX
from ingest.records import RESOLVED_TYPES

__all__ = ["RecordEntities"]

#: Entity-id prefixes of the resolved types: the only rows of the mapping the graph build consults.
RESOLVED_PREFIXES = tuple(f"{ID_PREFIX[t]}:" for t in sorted(RESOLVED_TYPES))


class RecordEntities(Mapping[str, str]):
    """A read-only ``record id → entity id`` map: sorted UTF-8 record ids (one ``S`` array; UTF-8 byte
    order is code-point order, as Python and SQLite compare text) and ``int32`` codes into the distinct
    entity ids."""

    __slots__ = ("_codes", "_entities", "_keys")

    def __init__(self, keys: np.ndarray, codes: np.ndarray, entities: np.ndarray) -> None:
        self._keys, self._codes, self._entities = keys, codes, entities

    @classmethod
    def from_pairs(cls, record_ids: Sequence[str], entity_ids: Sequence[str]) -> RecordEntities:
        """From two parallel sequences (a record listed twice keeps its last entity, as a dict would)."""
        if len(record_ids) != len(entity_ids):
            raise ValueError(f"{len(record_ids)} record ids but {len(entity_ids)} entity ids")
        last = dict(zip(record_ids, entity_ids, strict=True))
        keys = np.array([k.encode() for k in last], dtype=bytes)
        entities, codes = np.unique(np.array(list(last.values()), dtype=object), return_inverse=True)
        order = np.argsort(keys, kind="stable")
        return cls(keys[order], codes.astype(np.int32)[order], entities)

    @classmethod
    def from_parquet(cls, path: str | Path, prefixes: tuple[str, ...] = RESOLVED_PREFIXES) -> RecordEntities:
        """The rows of a ``mapping.parquet`` (``record_id``, ``entity_id``) whose entity id starts with one of
        ``prefixes`` (default: the resolved types'; ``()`` keeps every row)."""
        import pyarrow as pa
        import pyarrow.compute as pc
        import pyarrow.parquet as pq

        table = pq.read_table(path, columns=["record_id", "entity_id"])
        if prefixes:
            keep = pc.starts_with(table["entity_id"], prefixes[0])
            for prefix in prefixes[1:]:
                keep = pc.or_(keep, pc.starts_with(table["entity_id"], prefix))
            table = table.filter(keep)
        table = table.sort_by("record_id")
        rids = pc.cast(table["record_id"], pa.binary()).to_numpy(zero_copy_only=False)
        keys = rids.astype(bytes) if len(rids) else np.array([], dtype="S1")
        if len(keys) > 1 and bool((keys[1:] == keys[:-1]).any()):
            raise ValueError(f"{path}: a record id is listed twice")
        encoded = pc.dictionary_encode(table["entity_id"].combine_chunks())
        codes = encoded.indices.to_numpy(zero_copy_only=False).astype(np.int32)
        entities = np.array(encoded.dictionary.to_pylist(), dtype=object)
        return cls(keys, codes, entities)

    def _find(self, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        at = np.searchsorted(self._keys, keys)
        inside = at < len(self._keys)
        found = np.zeros(len(keys), dtype=bool)
        found[inside] = self._keys[at[inside]] == keys[inside]
        return at, found

    def get_many(self, record_ids: Sequence[str]) -> dict[str, str]:
        """The entities of those of ``record_ids`` that the map holds, in one vectorised look-up."""
        if not record_ids or not len(self._keys):
            return {}
        at, found = self._find(np.array([r.encode() for r in record_ids], dtype=bytes))
        entities = self._entities[self._codes[at[found]]].tolist()
        return dict(zip([r for r, f in zip(record_ids, found.tolist(), strict=True) if f], entities, strict=True))

    def between(self, low: str | None, high: str | None) -> RecordEntities:
        """The records with ``low <= record id < high`` (None: unbounded), sharing the distinct entity ids."""
        start = 0 if low is None else int(np.searchsorted(self._keys, low.encode()))
        stop = len(self._keys) if high is None else int(np.searchsorted(self._keys, high.encode()))
        return RecordEntities(self._keys[start:stop], self._codes[start:stop], self._entities)

    def __getitem__(self, record_id: str) -> str:
        key = record_id.encode()
        at = int(np.searchsorted(self._keys, key))
        if at < len(self._keys) and self._keys[at] == key:
            return str(self._entities[self._codes[at]])
        raise KeyError(record_id)

    def __contains__(self, record_id: object) -> bool:
        return isinstance(record_id, str) and self.get(record_id) is not None

    def __len__(self) -> int:
        return len(self._keys)

    def __iter__(self) -> Iterator[str]:
        return (k.decode() for k in self._keys.tolist())

    @property
    def nbytes(self) -> int:
        """Bytes held by the arrays (the distinct entity ids as Python strings not counted)."""
        return int(self._keys.nbytes + self._codes.nbytes + self._entities.nbytes)
