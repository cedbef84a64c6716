"""One upsert call of the Neo4j store over several transactions that commit together (both CPUs).

One Bolt transaction runs on one server thread, and the client and the server take turns: a writer
tops out near 12,000 elements per second on two cores. :class:`TransactionGroup` opens one explicit
transaction per part of a batch, each in its own session, runs the parts from a thread pool, and
commits them only when every part has run all its statements without error; any error rolls every
part back, so a failed call leaves the store as before, as a single transaction would.

What is not the same as one transaction: the parts commit at the same time, not atomically. Between
the first and the last commit (milliseconds) a reader can see part of the batch. A commit that fails
with a transient error while another part committed (two commits deadlocking on the end nodes of new
relationships; not seen in 300k upserts) is written again on its own, which completes the call, as
upserts are idempotent (the same batch again gives the same store). Any other commit failure after
another part committed (the server dies) leaves that part written: :class:`PartialCommitError` says
so, and running the call again completes it.

Why the parts cannot wait for each other's locks (a wait would never end: the holder waits for the
group's commit, not for Neo4j): the parts write disjoint element ids, so no two parts set properties of
the same element or enter the same id in a uniqueness index, and Neo4j 5 takes the locks of the end
nodes of a new relationship at commit, not when the statement runs (measured on 5.26: two open
transactions add relationships to the same sparse node and the same dense node without waiting).
Commits take the locks of new relationships' end nodes; Neo4j detects a deadlock between two
commits and fails one of them with a transient error (see above).

What this costs (5.26, 2026-11-27, warm, 200k relationships in 10k calls): the parts share end nodes,
so their commits wait for each other: 8.4-9.5 s of commit time summed over the parts took 5.5-6.2 s of
the ~11.5 s wall (the statements 3.8-4.6 s on both cores). Parts without a shared end node commit in
about half the time but then deadlock on the relationship chains' locks in most calls (the redo made
them slower); see ``benchmarks/store_load.py``. That wait, not the CPU, keeps relationships near
16-18k/s.

Examples
--------
>>> split(list("abcdefg"), 3)
[['a', 'b', 'c'], ['d', 'e'], ['f', 'g']]
>>> split(["a"], 2)
[['a']]
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from types import TracebackType
from typing import TYPE_CHECKING, Any, TypeVar

from graph_model.store._cypher import node_seek, rel_seek
from graph_model.store.base import PartialCommitError

if TYPE_CHECKING:
    import neo4j

__all__ = [
    "PartialCommitError",
    "Rows",
    "TransactionGroup",
    "chunks",
    "is_retryable",
    "node_types",
    "rel_ends",
    "run_chunks",
    "split",
]

T = TypeVar("T")
R = TypeVar("R")


def split(items: list[T], parts: int) -> list[list[T]]:
    """``items`` in at most ``parts`` contiguous slices of near-equal length (none empty, unless
    ``items`` is)."""
    parts = max(1, min(parts, len(items)))
    size, extra = divmod(len(items), parts)
    out, start = [], 0
    for i in range(parts):
        end = start + size + (1 if i < extra else 0)
        out.append(items[start:end])
        start = end
    return out


class TransactionGroup:
    """``n`` explicit write transactions, one per session, committed together or not at all.

    Use as a context manager: leaving it without :meth:`commit` (an error) rolls every part back."""

    def __init__(self, open_session: Callable[[], neo4j.Session], pool: ThreadPoolExecutor, n: int) -> None:
        self._pool = pool
        self._sessions: list[neo4j.Session] = []
        self._txs: list[neo4j.Transaction] = []
        self._committed: set[int] = set()
        try:
            for _ in range(n):
                session = open_session()
                self._sessions.append(session)
                self._txs.append(session.begin_transaction())
        except BaseException:
            self._close()
            raise

    def __enter__(self) -> TransactionGroup:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._close()

    def map(self, work: Callable[[neo4j.Transaction, T], R], parts: Sequence[T]) -> list[R]:
        """``work(tx_i, parts[i])`` for every part at once; the results in part order.

        Waits for every part before raising, so that no statement still runs when the group rolls back;
        raises the error of the first failed part that is not retryable (a bad batch), else the first."""
        if len(parts) != len(self._txs):
            raise ValueError(f"{len(parts)} parts for {len(self._txs)} transactions")
        futures = [
            self._pool.submit(work, tx, part) for tx, part in zip(self._txs[1:], parts[1:], strict=True)
        ]
        results: list[Any] = []
        errors: list[BaseException] = []
        try:
            results.append(work(self._txs[0], parts[0]))  # the first part on the caller's thread
        except Exception as exc:
            errors.append(exc)
        for future in futures:
            try:
                results.append(future.result())
            except Exception as exc:
                errors.append(exc)
        if errors:
            raise next((e for e in errors if not is_retryable(e)), errors[0])
        return results

    def commit(self, redo: Callable[[int], None]) -> None:
        """Commit every part at once (the commit is about half of the server's work of a write, so
        one part after the other would serialise it).

        When some parts committed and another's commit failed with a transient error (a deadlock
        between the commits, a lost connection), ``redo(i)`` writes part ``i`` again in a transaction of
        its own, which completes the call (upserts are idempotent). Any other such failure raises
        :class:`PartialCommitError`; when no part committed, the error is raised as it is."""
        futures = [self._pool.submit(tx.commit) for tx in self._txs[1:]]
        outcomes: list[BaseException | None] = []
        try:
            self._txs[0].commit()
            outcomes.append(None)
        except Exception as exc:
            outcomes.append(exc)
        for future in futures:
            try:
                future.result()
                outcomes.append(None)
            except Exception as exc:
                outcomes.append(exc)
        self._committed = {i for i, error in enumerate(outcomes) if error is None}
        failed = [(i, error) for i, error in enumerate(outcomes) if error is not None]
        if not failed:
            return
        if not self._committed:
            raise failed[0][1]
        for i, error in failed:
            if not is_retryable(error):
                raise PartialCommitError(
                    f"{len(self._committed)} of {len(self._txs)} transactions of this write committed, "
                    f"another failed ({error}); the write is idempotent: run it again"
                ) from error
            redo(i)

    def _close(self) -> None:
        for i, tx in enumerate(self._txs):
            if i in self._committed:
                continue
            try:
                tx.close()  # rolls back a transaction still open
            except Exception:  # a broken connection: the server rolls back anyway
                continue
        for session in self._sessions:
            try:
                session.close()
            except Exception:
                continue


def is_retryable(exc: BaseException) -> bool:
    """True for the driver's transient errors (deadlock detected, leader switch, lost connection).

    >>> is_retryable(ValueError("bad row"))
    False
    """
    test = getattr(exc, "is_retryable", None)
    return bool(test()) if callable(test) else False


def node_types(tx: neo4j.ManagedTransaction, ids: list[str], size: int) -> dict[str, str]:
    """Id -> node type of the given ids that exist in the database."""
    found: dict[str, str] = {}
    for chunk in chunks(ids, size):
        result = tx.run(
            f"UNWIND $ids AS id {node_seek('n', 'id')} RETURN id, [l IN labels(n) WHERE l <> 'Entity'][0] AS type",
            ids=chunk,
        )
        found.update((r["id"], r["type"]) for r in result)
    return found


def rel_ends(
    tx: neo4j.ManagedTransaction, rel_type: str, ids: list[str], size: int
) -> dict[str, tuple[str, str]]:
    """Id -> (source id, target id) of the given relationship ids that exist (relationship id index)."""
    found: dict[str, tuple[str, str]] = {}
    for chunk in chunks(ids, size):
        result = tx.run(
            f"UNWIND $ids AS id {rel_seek(rel_type, 'id', ('a', 'b'))} RETURN id, a.id AS s, b.id AS t",
            ids=chunk,
        )
        found.update((r["id"], (r["s"], r["t"])) for r in result)
    return found


def run_chunks(
    tx: neo4j.ManagedTransaction,
    rows: dict[str, list[dict[str, Any]]],
    cypher: Callable[[str], str],
    size: int,
) -> None:
    """One ``UNWIND $rows`` query per chunk of rows, per type (types in name order)."""
    for type_name, type_rows in sorted(rows.items()):
        statement = cypher(type_name)
        for chunk in chunks(type_rows, size):
            tx.run(statement, rows=chunk).consume()


class Rows(list[Any]):
    """A query parameter list with a short ``repr``: the driver formats every query's parameters for a
    debug log line whether the line is logged or not (``" ".join(map(repr, fields))`` in ``Bolt5x5.run``,
    driver 6.4), which cost about a fifth of the client's CPU of an upsert (1.3 s for 150k elements)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return f"<{len(self)} rows>"


def chunks(items: list[Any], size: int) -> Iterable[list[Any]]:
    """Consecutive slices of ``size`` items, as query parameters (:class:`Rows`)."""
    for start in range(0, len(items), size):
        yield Rows(items[start : start + size])
