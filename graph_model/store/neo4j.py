"""The Neo4j graph store: Bolt driver, schema-generated ``UNWIND $rows`` upserts, Cypher traversals.

Representation (docs/contracts.md §5): nodes ``:Entity:<Type> {id, ...props}``, relationships
``[:<TYPE> {id, ...props}]``. A write call is validated in Python (types, properties) and against the
database (relationship ends, node types of existing ids) first, then written in chunks of ``chunk_size``
rows, one ``UNWIND`` query per chunk and type; any error rolls the whole call back. A large call is
written by ``writers`` concurrent transactions that commit together (``_neo4j_write``), a small one
in one transaction. Works with ``bolt://`` (one server) and ``neo4j://`` (a cluster, routed) URIs alike.

Examples
--------
>>> Neo4jStore.backend
'neo4j'
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, NamedTuple

from graph_model._gc import cyclic_gc_paused
from graph_model.model import Schema, SchemaError, load_schema
from graph_model.store import _neo4j_read as read
from graph_model.store._cypher import (
    id_constraints,
    node_create,
    node_upsert,
    rel_create,
    rel_upsert,
    schema_statements,
)
from graph_model.store._merge import fresh_attrs, merge_into
from graph_model.store._neo4j_write import (
    TransactionGroup,
    chunks,
    is_retryable,
    node_types,
    rel_ends,
    run_chunks,
    split,
)
from graph_model.store._validate import BatchValidator
from graph_model.store.base import (
    HUB_DEGREE,
    GraphStore,
    Node,
    NodeRecord,
    Path,
    RelRecord,
    Subgraph,
    TraversalFilter,
    batch_failed,
)

if TYPE_CHECKING:
    import neo4j

__all__ = ["Neo4jStore"]

_PROVENANCE = ("sources", "agencies", "first_seen", "last_seen")

# The three steps of an upsert call (see Neo4jStore._write_in_parts): read what exists of some keys in a
# transaction, check it, write the keys given what was found.
_Read = Callable[[Any, list[str]], dict[str, Any]]
_Check = Callable[[dict[str, Any]], None]
_Write = Callable[[Any, list[str], dict[str, Any]], None]


class _Steps(NamedTuple):
    """The three steps of one upsert call."""

    read: _Read
    check: _Check
    write: _Write


#: Called by an upsert call just before it commits: waits for the batch before it (see ``_Batch``).
_Gate = Callable[[], None]

#: Batches of one batches call in flight at once: one commits while the next is read and written (three
#: measured no faster: 19,676 and 19,501 relationships/s, benchmarks/store_load.py).
OVERLAP = 2

#: How long a batch waits at its commit for the batch before it before it rolls back and is written again
#: after it (a safety valve: the two should never wait for each other's locks, see ``_Batch``).
GATE_SECONDS = 120.0


class BatchAborted(RuntimeError):
    """A batch rolled back because the batch before it in the same call failed."""


class _GateTimeout(RuntimeError):
    """The batch before did not settle in time; the batch rolls back and is written again after it."""


@dataclass
class _Batch:
    """One batch of a batches call (:meth:`Neo4jStore.upsert_node_batches`) and how it ended.

    Two batches run at once: batch ``k + 1`` reads and writes while batch ``k`` commits, and commits only
    once ``k`` has (its *gate*); if ``k`` failed, ``k + 1`` rolls back. Batches that share an element id
    never overlap (the later one must see the earlier one's write). A batch that merges into elements
    that exist passes its gate before it writes: a ``SET`` locks its element at once, and ``k``'s commit
    may need that lock (a new relationship updates its neighbours in the end nodes' chains: a build
    whose relationship batches merged into older relationships waited forever, 2026-11-27). A batch of
    creates only takes no lock that ``k``'s commit needs: the ids are disjoint, and a relationship
    statement takes no lock on the end nodes (Neo4j 5 locks them at commit, measured: see
    ``_neo4j_write``). Should a wait show up at the commit gate anyway, the later batch rolls back after
    :data:`GATE_SECONDS`, which frees the earlier one, and is written again once that one has settled.
    A batch written blind (:meth:`Neo4jStore._write_new_first`) that meets an existing id fails at that
    statement, before its gate, and is read and written again as above."""

    number: int
    ids: frozenset[str]
    settled: threading.Event = field(default_factory=threading.Event)
    failed: bool = False
    future: Future[int] | None = None


def _driver_module() -> Any:
    try:
        import neo4j
    except ImportError as exc:  # pragma: no cover - the driver is a declared dependency
        raise ImportError(
            "Neo4jStore needs the Neo4j Python driver: install it with `pip install neo4j`"
        ) from exc
    return neo4j


class Neo4jStore(GraphStore):
    """A :class:`GraphStore` on a Neo4j 5.26+ server (Community or Enterprise, single or cluster).

    ``chunk_size`` rows go into one ``UNWIND`` query. A write call of at least ``2 * min_part``
    elements is split into up to ``writers`` parts written by concurrent transactions that commit
    together (``_neo4j_write``: one transaction keeps one server thread busy; ``writers=1`` writes
    every call in one transaction)."""

    backend: ClassVar[str] = "neo4j"

    def __init__(
        self,
        uri: str,
        user: str | None = "neo4j",
        password: str | None = None,
        database: str = "neo4j",
        *,
        schema: Schema | None = None,
        chunk_size: int = 5000,
        writers: int = 2,
        min_part: int = 2000,
        **driver_options: Any,
    ) -> None:
        nj = _driver_module()
        self.schema = schema or load_schema()
        self.database = database
        self.chunk_size = chunk_size
        self.writers = writers
        self.min_part = min_part
        self._pool: ThreadPoolExecutor | None = None
        self._lanes: ThreadPoolExecutor | None = None
        self._pool_lock = threading.Lock()
        auth = (user or "neo4j", password) if password else None
        self.driver: neo4j.Driver = nj.GraphDatabase.driver(uri, auth=auth, **driver_options)
        self._validator = BatchValidator(self.schema)
        self._list_props = {
            name: frozenset(p for p, s in t.properties.items() if s.is_list)
            for name, t in self.schema.nodes.items()
        }
        self._rel_list_props = {
            name: frozenset(p for p, s in t.properties.items() if s.is_list)
            for name, t in self.schema.relationships.items()
        }
        self._node_cypher = {t: node_upsert(self.schema, t) for t in self.schema.nodes}
        self._rel_cypher = {t: rel_upsert(self.schema, t) for t in self.schema.relationships}
        self._rel_create = {t: rel_create(self.schema, t) for t in self.schema.relationships}
        self._schema_ready = False
        # per kind ("nodes", "relationships"): whether a call writes without reading first (_write_new_first)
        self._all_new = {"nodes": True, "relationships": True}

    # -- plumbing for the query modules ------------------------------------------------------------
    def run(self, cypher: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        """Run a read query (routed to a reader in a cluster); records as plain dicts (``Record.data()``)."""
        return [{k: _plain(v) for k, v in r.items()} for r in self.records(cypher, params)]

    def records(self, cypher: str, params: dict[str, Any] | None = None) -> list[neo4j.Record]:
        """Run a read query; the driver's records as they come (for queries that return only maps, lists
        and scalars, which need no conversion: the store's own reads).

        An auto-commit query on a read session: one round trip (a managed transaction adds BEGIN and
        COMMIT: 0.3 ms of client CPU a query). Reads are idempotent, so an error the driver calls
        retryable (a leader switch, a lost connection) runs it again through ``execute_query``, which
        retries with back-off."""
        nj = _driver_module()
        try:
            with self.driver.session(
                database=self.database,
                bookmark_manager=self.driver.execute_query_bookmark_manager,
                default_access_mode=nj.READ_ACCESS,
            ) as session:
                return list(session.run(cypher, params or {}))
        except (nj.exceptions.Neo4jError, nj.exceptions.DriverError) as exc:
            if not exc.is_retryable():
                raise
        records, _, _ = self.driver.execute_query(cypher, params or {}, database_=self.database, routing_="r")
        return records

    def write(self, cypher: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        """Run a write query in its own transaction; records as plain dicts."""
        records, _, _ = self.driver.execute_query(cypher, params or {}, database_=self.database, routing_="w")
        return [r.data() for r in records]

    def _session(self) -> neo4j.Session:
        return self.driver.session(
            database=self.database, bookmark_manager=self.driver.execute_query_bookmark_manager
        )

    def close(self) -> None:
        """Close the driver (and the writer threads)."""
        for pool in (self._lanes, self._pool):
            if pool is not None:
                pool.shutdown()
        self._pool = self._lanes = None
        self.driver.close()

    # -- schema and writes -------------------------------------------------------------------------
    def ensure_schema(self) -> None:
        """Create the constraints and indexes of :func:`~graph_model.store._cypher.schema_statements`
        and wait until they are online."""
        for statement in schema_statements(self.schema):
            self.write(statement)
        self.write("CALL db.awaitIndexes(300)")
        self._schema_ready = True

    def refresh_search(self) -> None:
        """Wait until the full-text indexes (eventually consistent: refreshed in the background) hold every
        write so far, so that a name written a moment ago is found."""
        self.write("CALL db.index.fulltext.awaitEventuallyConsistentIndexRefresh()")

    def _require_schema(self) -> None:
        """Refuse to write into a database without the id constraints (checked once per store).

        Every write finds nodes and relationships by id through them; without them each lookup scans a
        whole label (a 10,000-row relationship batch took minutes instead of a second)."""
        if self._schema_ready:
            return
        wanted = id_constraints(self.schema)
        found = {
            r["name"] for r in self.run("SHOW CONSTRAINTS YIELD name, type WHERE type ENDS WITH 'UNIQUENESS'")
        }
        missing = sorted(set(wanted) - found)
        if missing:
            raise SchemaError(
                f"Neo4j database {self.database!r} lacks the id constraints {missing}: "
                "call ensure_schema() (open_store does by default) before writing"
            )
        self._schema_ready = True

    def upsert_nodes(self, nodes: Sequence[NodeRecord]) -> int:
        """See :meth:`_upsert_nodes`; without cyclic garbage collection meanwhile (the call builds only
        acyclic dicts and lists, and a collection walks every object the caller holds: 30% of the
        client's CPU of a load with 300k records held)."""
        with cyclic_gc_paused():
            return self._upsert_nodes(nodes)

    def upsert_relationships(self, rels: Sequence[RelRecord]) -> int:
        """See :meth:`_upsert_relationships`; without cyclic garbage collection meanwhile."""
        with cyclic_gc_paused():
            return self._upsert_relationships(rels)

    def upsert_node_batches(self, batches: Iterable[Sequence[NodeRecord]]) -> int:
        """See :meth:`GraphStore.upsert_node_batches`: batch ``k + 1`` is read and written while batch ``k``
        commits (``_Batch``); two callers' worth of server threads for one caller."""
        with cyclic_gc_paused():
            return self._pipelined(batches, self._upsert_nodes)

    def upsert_relationship_batches(self, batches: Iterable[Sequence[RelRecord]]) -> int:
        """See :meth:`GraphStore.upsert_relationship_batches` and :meth:`upsert_node_batches`."""
        with cyclic_gc_paused():
            return self._pipelined(batches, self._upsert_relationships)

    def _pipelined(self, batches: Iterable[Sequence[Any]], upsert: Callable[[Sequence[Any], _Gate | None], int]
                   ) -> int:
        """``OVERLAP`` batches at a time, committed in order (``_Batch``); the error of the first failed batch is
        raised naming it, after the batch running beside it has rolled back."""
        lanes = self._lane_pool()
        running: list[_Batch] = []
        total = 0

        def finish() -> None:
            nonlocal total
            done = running.pop(0)
            assert done.future is not None
            try:
                total += done.future.result()
            except Exception as exc:
                batch_failed(exc, done.number)
                raise

        try:
            for number, batch in enumerate(batches):
                mine = _Batch(number, frozenset(rec.id for rec in batch))
                if running and not running[-1].ids.isdisjoint(mine.ids):
                    while running:  # it must see the earlier batch's write
                        finish()
                while len(running) >= OVERLAP:
                    finish()
                before = running[-1] if running else None
                mine.future = lanes.submit(self._run_batch, upsert, batch, mine, before)
                running.append(mine)
            while running:
                finish()
        finally:
            for left in running:  # after a failure: the later batch rolls back at its gate; wait for it
                if left.future is not None:
                    left.future.exception()
        return total

    @staticmethod
    def _run_batch(upsert: Callable[[Sequence[Any], _Gate | None], int], batch: Sequence[Any], mine: _Batch,
                   before: _Batch | None) -> int:
        """One batch of :meth:`_pipelined` on a lane thread: written, then committed when ``before`` has."""

        def wait_for_before(seconds: float | None) -> None:
            if before is None:
                return
            if not before.settled.wait(seconds):
                raise _GateTimeout(f"batch {before.number} did not settle in {GATE_SECONDS:.0f} s")
            if before.failed:
                raise BatchAborted(f"batch {before.number} before it failed")

        try:
            try:
                return upsert(batch, lambda: wait_for_before(GATE_SECONDS))
            except _GateTimeout:
                pass  # rolled back: written again below, once the batch before has settled
            wait_for_before(None)
            return upsert(batch, None)
        except BaseException:
            mine.failed = True
            raise
        finally:
            mine.settled.set()

    def _upsert_nodes(self, nodes: Sequence[NodeRecord], gate: _Gate | None = None) -> int:
        """Validate the whole batch, then merge it in one transaction, or in ``writers`` transactions
        that commit together (see ``_neo4j_write``); see ``base`` for the rules.

        Ids already in the database are merged by a schema-generated ``SET`` per property; new ids are
        created with one map ``SET`` (the common case, several times cheaper)."""
        self._validator.check_nodes(nodes)
        self._require_schema()
        # id -> all properties with the id (the parameter map of a create), duplicates folded in order
        folded: dict[str, dict[str, Any]] = {}
        types: dict[str, str] = {}
        list_props = self._list_props
        for rec in nodes:
            attrs = folded.get(rec.id)
            if attrs is None:
                types[rec.id] = rec.type
                folded[rec.id] = fresh_attrs({"id": rec.id}, rec.props, rec.sources, list_props[rec.type])
            elif types[rec.id] != rec.type:
                raise SchemaError(
                    f"{rec.type}[{rec.id}]: id already used by a {types[rec.id]} node in this batch"
                )
            else:
                merge_into(attrs, rec.props, rec.sources, list_props[rec.type])

        def read(tx: neo4j.ManagedTransaction, ids: list[str]) -> dict[str, str]:
            return node_types(tx, ids, self.chunk_size)

        def check(existing: dict[str, str]) -> None:
            for node_id in sorted(existing):
                if existing[node_id] != types[node_id]:
                    raise SchemaError(
                        f"{types[node_id]}[{node_id}]: id already used by a {existing[node_id]} node"
                    )

        def write(tx: neo4j.ManagedTransaction, ids: list[str], existing: dict[str, str]) -> None:
            creates: dict[str, list[dict[str, Any]]] = {}
            merges: dict[str, list[dict[str, Any]]] = {}
            for node_id in ids:
                t, attrs = types[node_id], folded[node_id]
                if node_id in existing:
                    merges.setdefault(t, []).append(_row(node_id, attrs, self._list_props[t]))
                else:
                    creates.setdefault(t, []).append({"p": attrs})
            run_chunks(tx, creates, node_create, self.chunk_size)
            run_chunks(tx, merges, self._node_cypher.__getitem__, self.chunk_size)

        self._write_new_first("nodes", list(folded), _Steps(read, check, write), gate)
        return len(nodes)

    def _upsert_relationships(self, rels: Sequence[RelRecord], gate: _Gate | None = None) -> int:
        """Validate the whole batch (ends must exist in the database), then merge it in one transaction
        (or ``writers`` that commit together, as :meth:`upsert_nodes`); see :meth:`_write_new_first`."""
        self._validator.check_rel_props(rels)
        self._require_schema()
        # id -> (first record, all properties with the id), duplicates folded in order
        folded: dict[str, tuple[RelRecord, dict[str, Any]]] = {}
        list_props = self._rel_list_props
        for rec in rels:
            known = folded.get(rec.id)
            if known is None:
                folded[rec.id] = (
                    rec,
                    fresh_attrs({"id": rec.id}, rec.props, rec.sources, list_props[rec.type]),
                )
                continue
            first, attrs = known
            if (first.type, first.source, first.target) != (rec.type, rec.source, rec.target):
                raise SchemaError(
                    f"{rec.type}[{rec.id}]: id already used by {first.type} {first.source} -> {first.target}"
                )
            merge_into(attrs, rec.props, rec.sources, list_props[rec.type])

        def by_type(rids: list[str]) -> dict[str, list[str]]:
            out: dict[str, list[str]] = {}
            for rid in rids:
                out.setdefault(folded[rid][0].type, []).append(rid)
            return out

        def read(tx: neo4j.ManagedTransaction, rids: list[str]) -> dict[str, tuple[str, str]]:
            found: dict[str, tuple[str, str]] = {}
            for t, of_type in sorted(by_type(rids).items()):
                found.update(rel_ends(tx, t, of_type, self.chunk_size))
            return found

        def check(known_ends: dict[str, tuple[str, str]]) -> None:
            for t, rids in sorted(by_type(list(folded)).items()):
                for rid in rids:
                    rec = folded[rid][0]
                    if rid in known_ends and known_ends[rid] != (rec.source, rec.target):
                        s, e = known_ends[rid]
                        raise SchemaError(f"{t}[{rid}]: id already used by {t} {s} -> {e}")

        def write(
            tx: neo4j.ManagedTransaction, rids: list[str], known_ends: dict[str, tuple[str, str]]
        ) -> None:
            creates: dict[str, list[dict[str, Any]]] = {}
            merges: dict[str, list[dict[str, Any]]] = {}
            for rid in rids:
                rec, attrs = folded[rid]
                t = rec.type
                if rid in known_ends:
                    merges.setdefault(t, []).append(_row(rid, attrs, self._rel_list_props[t]))
                else:
                    creates.setdefault(t, []).append({"s": rec.source, "t": rec.target, "p": attrs})
            for t, rows in sorted(creates.items()):
                for chunk in chunks(rows, self.chunk_size):
                    created = tx.run(self._rel_create[t], rows=chunk).single(strict=True)["created"]
                    if created != len(chunk):  # a missing or mistyped end: name it, roll back
                        ends = sorted({i for r in rels for i in (r.source, r.target)})
                        self._validator.check_rels(rels, node_types(tx, ends, self.chunk_size).get)
                        raise SchemaError(f"{t}: {len(chunk) - created} relationships have no valid ends")
            run_chunks(tx, merges, self._rel_cypher.__getitem__, self.chunk_size)

        self._write_new_first("relationships", list(folded), _Steps(read, check, write), gate)
        return len(rels)

    def _write_new_first(self, kind: str, keys: list[str], steps: _Steps, gate: _Gate | None = None) -> None:
        """:meth:`_write_in_parts`, without the read while the calls of this ``kind`` before found none of
        their ids in the database (a load of new elements).

        Written blind, an id that exists meets its id constraint: the call rolls back and is written
        again after reading what exists, and later calls read first until one finds nothing. A wrong
        type or other ends of an existing id are then named as on the read path. The read was 3-4 us of
        the ~55 us of server CPU a new relationship costs, plus a round trip per part (2026-11-27)."""
        blind = self._all_new[kind]
        seen_existing = False

        def reading(tx: neo4j.ManagedTransaction, part: list[str]) -> dict[str, Any]:
            nonlocal seen_existing
            if blind:
                return {}
            found = steps.read(tx, part)
            seen_existing = seen_existing or bool(found)
            return found

        try:
            self._write_in_parts(keys, steps._replace(read=reading), gate)
        except _driver_module().exceptions.ConstraintError:
            if not blind:
                raise
            blind = False  # rolled back: read, then write
            self._write_in_parts(keys, steps._replace(read=reading), gate)
        self._all_new[kind] = not seen_existing

    def _write_in_parts(self, keys: list[str], steps: _Steps, gate: _Gate | None = None) -> None:
        """Run one upsert call: ``read`` what exists of ``keys``, ``check`` it, ``write``, ``gate()`` (when
        given: wait for the batch before, see ``_Batch``), commit.

        Up to ``writers`` parts of at least ``min_part`` keys, each in its own transaction, concurrently
        (see ``_neo4j_write``); one transaction, retried by the driver, when the batch is small, and again
        for the whole call when the parts met a transient error (a deadlock, a leader switch)."""
        read, check, write = steps
        parts = split(keys, min(self.writers, len(keys) // self.min_part))
        if len(parts) > 1:
            try:
                with TransactionGroup(self._session, self._write_pool(), len(parts)) as group:
                    found: dict[str, Any] = {}
                    for part_found in group.map(read, parts):
                        found.update(part_found)
                    check(found)
                    if gate is not None and found:
                        gate()  # merges lock what they set at once: see _Batch
                    group.map(lambda tx, part: write(tx, part, found), parts)
                    if gate is not None:
                        gate()
                    group.commit(lambda i: self._write_one(parts[i], steps))
                return
            except Exception as exc:
                if not is_retryable(exc):
                    raise

        self._write_one(keys, steps, gate)

    def _write_one(self, keys: list[str], steps: _Steps, gate: _Gate | None = None) -> None:
        """:meth:`_write_in_parts` in one transaction (the driver retries transient errors)."""
        read, check, write = steps

        def work(tx: neo4j.ManagedTransaction) -> None:
            found = read(tx, keys)
            check(found)
            if gate is not None and found:
                gate()  # merges lock what they set at once: see _Batch
            write(tx, keys, found)
            if gate is not None:
                gate()  # the transaction commits when this returns

        with self._session() as session:
            session.execute_write(work)

    def _write_pool(self) -> ThreadPoolExecutor:
        # enough for the calls of a batches call in flight at once
        with self._pool_lock:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(max(1, OVERLAP * (self.writers - 1)), thread_name_prefix="neo4j-writer")
            return self._pool

    def _lane_pool(self) -> ThreadPoolExecutor:
        with self._pool_lock:
            if self._lanes is None:
                self._lanes = ThreadPoolExecutor(OVERLAP, thread_name_prefix="neo4j-batch")
            return self._lanes

    def clear(self) -> None:
        """Delete every node and relationship in batches (constraints and indexes stay)."""
        with self._session() as session:
            session.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS").consume()

    # -- reads -------------------------------------------------------------------------------------
    def get_entity(self, entity_id: str) -> Node | None:
        """One node by id, or None."""
        found = self.get_entities([entity_id])
        return found[0] if found else None

    def get_entities(self, entity_ids: Iterable[str]) -> list[Node]:
        """Nodes by id (missing ids left out), sorted by id."""
        return read.get_entities(self, entity_ids)

    def neighbourhood(
        self,
        seeds: Sequence[str],
        hops: int = 1,
        flt: TraversalFilter | None = None,
        limit_per_node: int = 50,
        offset: int = 0,
        hub_degree: int | None = HUB_DEGREE,
    ) -> Subgraph:
        """See :meth:`GraphStore.neighbourhood`: one Cypher query for all hops; seeds are always included."""
        return read.neighbourhood(self, seeds, hops, flt, limit_per_node, offset, hub_degree)

    def shortest_paths(
        self, source: str, target: str, max_hops: int = 6, k: int = 1, flt: TraversalFilter | None = None
    ) -> list[Path]:
        """See :meth:`GraphStore.shortest_paths`: ``SHORTEST n GROUPS`` in Cypher, ordered here."""
        return read.shortest_paths(self, source, target, max_hops, k, flt)

    def subgraph(self, entity_ids: Iterable[str]) -> Subgraph:
        """The given nodes and every relationship among them."""
        return read.subgraph(self, entity_ids)

    def counts(self) -> dict[str, int]:
        """Nodes per type and relationships per type (from the count store), sorted by name."""
        return read.counts(self)


def _plain(value: Any) -> Any:
    """``Record.data()``'s conversion of one value, with fast paths for the common plain types (the
    driver's exporter tests every value against abstract base classes: most of a read's client CPU)."""
    kind = type(value)
    if kind is str or kind is int or kind is float or kind is bool or value is None:
        return value
    if kind is list:
        return [_plain(v) for v in value]
    if kind is dict:
        return {k: _plain(v) for k, v in value.items()}
    return _driver_module().Record([("v", value)]).data()["v"]  # graph objects, temporal values, ...


def _row(element_id: str, attrs: dict[str, Any], list_props: frozenset[str]) -> dict[str, Any]:
    """The parameter row of one folded element: scalars under ``p``, lists and provenance on top."""
    row: dict[str, Any] = {"id": element_id, "p": {}}
    scalars = row["p"]
    for name, value in attrs.items():
        if name == "id":
            continue
        if name in list_props or name in _PROVENANCE:
            row[name] = value
        else:
            scalars[name] = value
    return row
