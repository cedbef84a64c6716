"""Row ranges of a large computation split over the machine's cores by ``fork``.

A forked child sees the parent's features and pairs as they are (no pickling, no copy: the pages are shared
until written) and writes its rows into arrays made by :func:`shared_array`, which the parent reads once
the child has ended. The work must write only its own rows of such arrays: everything else a child
changes is lost with it. Small inputs run in the calling process alone.

Examples
--------
>>> import numpy as np
>>> out = shared_array((1000,), np.int64)
>>> def square(start, stop):
...     out[start:stop] = np.arange(start, stop) ** 2
>>> split_rows(square, 0, 1000, workers=2, min_rows=1)
>>> int(out.sum()) == sum(k * k for k in range(1000))
True
"""

from __future__ import annotations

import gc
import mmap
import os
import pickle
import signal
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, Generic, TypeVar

import numpy as np

__all__ = ["MAX_TASKS", "MIN_ROWS", "Forked", "Tasks", "can_fork", "long_lived", "one_process", "rows_array", "shared_array", "split_rows", "workers"]

T = TypeVar("T")

#: The most tasks a :class:`Tasks` takes: one byte in a pipe names each.
MAX_TASKS = 256
#: Fewer rows than this run in one process: a fork and its page copies cost more than they save.
MIN_ROWS = 100_000


#: Set while this process runs one part of work split over processes (:func:`one_process`): what it calls
#: then must not fork workers of its own (the cores are taken).
_ONE_PROCESS = False


def workers() -> int:
    """Processes to use: ``TIPGRAPH_ER_WORKERS`` if set, else the cores this process may run on; 1 inside
    :func:`one_process`."""
    if _ONE_PROCESS:
        return 1
    env = os.environ.get("TIPGRAPH_ER_WORKERS", "").strip()
    if env:
        try:
            return max(1, int(env))
        except ValueError as exc:
            raise ValueError(f"TIPGRAPH_ER_WORKERS must be a whole number, not {env!r}") from exc
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


def can_fork() -> bool:
    """Whether work may go to a forked child: more than one :func:`workers` and an OS that forks."""
    return workers() > 1 and hasattr(os, "fork")


@contextmanager
def one_process() -> Iterator[None]:
    """Within the block :func:`workers` is 1: the caller runs its part of a split while a forked child runs
    the other, so neither forks more workers (the child keeps the setting, as forked children do).

    >>> with one_process():
    ...     workers()
    1
    """
    global _ONE_PROCESS
    before, _ONE_PROCESS = _ONE_PROCESS, True
    try:
        yield
    finally:
        _ONE_PROCESS = before


@contextmanager
def long_lived() -> Iterator[None]:
    """Within the block the objects alive at its start, and at each ``gc.freeze()`` called in it, are left
    out of garbage collections (:func:`gc.freeze`); they are collected as before once the outermost block ends.

    A resolution holds millions of objects (the records' lists and dicts) that live as long as it does:
    every full collection walked them all (converting one column of 443,000 values took 0.63 s instead of
    0.06), and in a forked process a collection writes to each object it walks, copying the pages it shares
    with its parent. Objects that lose their last reference are still freed at once.

    >>> import gc
    >>> before = gc.get_freeze_count()  # what the process froze itself (a loaded memory store) stays frozen
    >>> with long_lived():
    ...     gc.get_freeze_count() > before
    True
    >>> gc.get_freeze_count() == before or before > 0
    True
    """
    outermost = gc.get_freeze_count() == 0  # a caller that froze objects itself keeps them frozen
    gc.freeze()
    try:
        yield
    finally:
        if outermost:
            gc.unfreeze()


def shared_array(shape: tuple[int, ...], dtype: Any) -> np.ndarray:
    """A zero-filled array in memory shared with processes forked after it is made."""
    dtype = np.dtype(dtype)
    nbytes = int(np.prod(shape, dtype=np.int64)) * dtype.itemsize
    if nbytes == 0:
        return np.zeros(shape, dtype)
    buf = mmap.mmap(-1, nbytes, flags=mmap.MAP_SHARED | mmap.MAP_ANONYMOUS)
    return np.frombuffer(buf, dtype=dtype, count=int(np.prod(shape, dtype=np.int64))).reshape(shape)


def rows_array(shape: tuple[int, ...], dtype: Any) -> np.ndarray:
    """A zero-filled array for the results of :func:`split_rows` over ``shape[0]`` rows: shared when the
    rows will be split over processes, private otherwise."""
    if shape[0] >= MIN_ROWS and workers() > 1:
        return shared_array(shape, dtype)
    return np.zeros(shape, dtype)


def split_rows(work: Callable[[int, int], None], start: int, stop: int, workers: int | None = None,
               min_rows: int | None = None) -> None:
    """Call ``work(a, b)`` on contiguous parts of ``range(start, stop)``, one part per process.

    The calling process takes the first part; each other part runs in a forked child, which must leave its
    results in :func:`shared_array` arrays. An exception in a child is raised here with its traceback.
    """
    n = stop - start
    least = max(MIN_ROWS if min_rows is None else min_rows, 1)
    count = min(workers if workers is not None else globals()["workers"](), max(1, n // least))
    if count < 2 or not hasattr(os, "fork"):
        if n > 0:
            work(start, stop)
        return
    bounds = [start + n * k // count for k in range(count + 1)]
    children: list[tuple[int, int]] = []
    try:
        for k in range(1, count):
            read_end, write_end = os.pipe()
            pid = os.fork()
            if pid == 0:  # the child: its part, then out without running the parent's exit handlers
                os.close(read_end)
                code = 0
                try:
                    work(bounds[k], bounds[k + 1])
                except BaseException as exc:  # every failure goes back to the parent
                    code = 1
                    with os.fdopen(write_end, "wb") as pipe:
                        pipe.write(_failure(exc))
                os._exit(code)
            os.close(write_end)
            children.append((pid, read_end))
        work(bounds[0], bounds[1])
    finally:
        failures = []
        for pid, read_end in children:
            with os.fdopen(read_end, "rb") as pipe:
                message = pipe.read()
            _, status = os.waitpid(pid, 0)
            if status != 0:
                failures.append(_raised(message, status))
    if failures:
        raise failures[0]


def _failure(exc: BaseException) -> bytes:
    """An exception of a child, pickled with its traceback (as a RuntimeError if it does not pickle)."""
    text = traceback.format_exc()
    try:
        return pickle.dumps((exc, text))
    except Exception:  # an exception holding what does not pickle
        return pickle.dumps((RuntimeError(f"{type(exc).__name__}: {exc}"), text))


def _raised(message: bytes, status: int) -> BaseException:
    """The exception a child sent (:func:`_failure`), its traceback as a note; else one naming its status."""
    if not message:
        return RuntimeError(f"a worker process ended with status {status}")
    exc, text = pickle.loads(message)
    exc.add_note("raised in a worker process:\n" + text)
    return exc


class Forked(Generic[T]):
    """``work()`` started now in a forked child, while the caller goes on with other work; :meth:`result`
    waits for it and returns its value (pickled through a pipe). Use it as a context manager: leaving
    the block without the result ends the child.

    >>> with Forked(lambda: sum(range(10))) as child:
    ...     mine = sum(range(5))
    ...     mine + child.result()
    55
    """

    def __init__(self, work: Callable[[], T]) -> None:
        read_end, write_end = os.pipe()
        self._pid = os.fork()
        if self._pid == 0:  # the child
            os.close(read_end)
            code = 0
            try:
                with os.fdopen(write_end, "wb") as pipe:
                    try:
                        value = work()
                    except BaseException as exc:  # every failure goes back to the parent
                        code = 1
                        pipe.write(b"1" + _failure(exc))
                    else:
                        # pickled straight into the pipe: no second copy of a large value as bytes
                        pipe.write(b"0")
                        pickle.dump(value, pipe, protocol=pickle.HIGHEST_PROTOCOL)
            except BaseException:
                code = 1
            finally:
                os._exit(code)
        os.close(write_end)
        self._read_end: int | None = read_end

    def result(self) -> T:
        """The child's return value; its exception raised here, with the child's traceback as a note."""
        if self._read_end is None:
            raise RuntimeError("the result of a forked worker was taken already")
        value: Any = None
        with os.fdopen(self._read_end, "rb") as pipe:
            self._read_end = None
            kind = pipe.read(1)
            try:
                value = pickle.load(pipe) if kind == b"0" else pipe.read()
            except (EOFError, pickle.UnpicklingError):  # the child died while sending
                kind = b""
            finally:
                _, status = os.waitpid(self._pid, 0)
        if kind == b"0" and status == 0:
            return value
        raise _raised(value if kind == b"1" else b"", status)

    def __enter__(self) -> Forked[T]:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._read_end is not None:  # not collected: an error in the caller's own part
            os.kill(self._pid, signal.SIGKILL)
            os.close(self._read_end)
            self._read_end = None
            os.waitpid(self._pid, 0)


class Tasks:
    """Tasks shared by this process and a forked child: the child starts on them at once, in order; this
    process joins in when it asks for the :meth:`results` (after work of its own), taking the tasks the
    child has not begun. Each task is taken by one of the two (one byte per task in a pipe), so no core idles
    while tasks are left. A task that fills a :func:`shared_array` returns None; any other value comes back
    pickled. Neither process forks workers of its own for a task (:func:`one_process`). Without a second
    core (or ``fork``) this process runs them all in :meth:`results`. Use it as a context manager.

    >>> out = shared_array((4,), np.int64)
    >>> def fill(k):
    ...     out[k] = k * k
    >>> with Tasks([lambda k=k: fill(k) for k in range(4)] + [lambda: "done"]) as tasks:
    ...     tasks.results()[-1], out.tolist()
    ('done', [0, 1, 4, 9])
    """

    def __init__(self, tasks: list[Callable[[], Any]]) -> None:
        if len(tasks) > MAX_TASKS:
            raise ValueError(f"{len(tasks)} tasks: at most {MAX_TASKS} (one byte each)")
        self._tasks = tasks
        self._queue, feed = os.pipe()
        os.write(feed, bytes(range(len(tasks))))
        os.close(feed)
        self._child: Forked[list[tuple[int, Any]]] | None = Forked(self._take) if tasks and can_fork() else None

    def _take(self) -> list[tuple[int, Any]]:
        done = []
        with one_process():
            while task := os.read(self._queue, 1):
                done.append((task[0], self._tasks[task[0]]()))
        return done

    def results(self) -> list[Any]:
        """Every task's value, in task order, once both processes have run out of tasks (a task's error is
        raised here, the child's with its traceback as a note)."""
        mine = self._take()
        theirs = self._child.result() if self._child is not None else []
        out: list[Any] = [None] * len(self._tasks)
        for k, value in mine + theirs:
            out[k] = value
        return out

    def __enter__(self) -> Tasks:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._child is not None:
            self._child.__exit__(*exc)  # ends a child whose results were not taken
        os.close(self._queue)
