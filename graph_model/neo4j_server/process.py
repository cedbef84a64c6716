"""Start, stop and inspect a local Neo4j server (embedded DBMS + Bolt, launched by ``Launcher.java``)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from importlib import resources
from pathlib import Path

from .commands import launcher_command
from .install import Neo4jServerError, ensure_installed, say
from .version import NEO4J_VERSION, default_data_dir

__all__ = [
    "ServerHandle",
    "ensure_running",
    "free_port",
    "start",
    "status",
    "stop",
]

PID_FILE = "neo4j-server.pid"
LOG_FILE = "neo4j-server.log"
_children: dict[int, subprocess.Popen[bytes]] = {}  # servers started by this process, to reap them


@dataclass(frozen=True)
class ServerHandle:
    """A running local Neo4j server.

    Examples
    --------
    >>> h = ServerHandle("bolt://127.0.0.1:7687", 42, 7687, "/tmp/db", "1.2.3", "/tmp/db/neo4j-server.log")
    >>> h.uri
    'bolt://127.0.0.1:7687'
    """

    uri: str
    pid: int
    port: int
    data_dir: str
    version: str
    log_path: str


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that is free right now.

    Examples
    --------
    >>> 1024 < free_port() < 65536
    True
    """
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _java() -> str:
    """Find ``java`` ($JAVA_HOME first), or fail with advice."""
    home = os.environ.get("JAVA_HOME")
    if home and (Path(home) / "bin" / "java").is_file():
        return str(Path(home) / "bin" / "java")
    found = shutil.which("java")
    if found is None:
        raise Neo4jServerError("Java 17+ is needed; on Debian: apt-get install -y openjdk-17-jdk-headless")
    return found


def _is_our_server(pid: int) -> bool:
    """True when ``pid`` is a live (not zombie) process running ``Launcher.java``.

    ``/proc`` decides: ``Popen.poll()`` alone can report a live child as ended (it answers 0 when
    ``waitpid`` fails with ECHILD), which made a healthy server look dead during start-up.
    """
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        _children.pop(pid, None)
        return False
    state = stat.rsplit(")", 1)[-1].split()[0]
    if state in ("Z", "X"):
        child = _children.pop(pid, None)
        if child is not None:
            child.poll()  # reap our own zombie
        return False
    if not cmdline:  # unreadable for a moment (the kernel could not reach its memory): judge by our child
        return pid in _children
    return b"Launcher.java" in cmdline


def status(data_dir: str | os.PathLike[str]) -> ServerHandle | None:
    """Return the server running on ``data_dir``, or ``None``.

    Examples
    --------
    >>> status("/nonexistent") is None
    True
    """
    pid_path = Path(data_dir) / PID_FILE
    try:
        handle = ServerHandle(**json.loads(pid_path.read_text()))
    except (OSError, ValueError, TypeError):  # no file, or one this version does not understand
        return None
    return handle if _is_our_server(handle.pid) else None


def _log_tail(path: Path, lines: int = 30) -> str:
    try:
        return "".join(path.read_text(errors="replace").splitlines(keepends=True)[-lines:])
    except OSError:
        return "(no log)"


def _still_ours_after(pid: int, seconds: float) -> bool:
    """Look again a moment later before calling a server dead: under heavy load one look at ``/proc`` once
    called a healthy starting server dead (its log said ready 20 s later, the process orphaned)."""
    time.sleep(seconds)
    return _is_our_server(pid)


def _wait_for_bolt(handle: ServerHandle, auth: tuple[str, str] | None, timeout: float) -> None:
    """Poll until Bolt answers; raise if the JVM died or the time is up."""
    import neo4j  # the driver is a dependency; imported here to keep module import light

    deadline = time.monotonic() + timeout
    last_error: Exception | None = None
    while time.monotonic() < deadline:
        if not _is_our_server(handle.pid) and not _still_ours_after(handle.pid, 1.0):
            raise Neo4jServerError(
                f"Neo4j exited during start-up; log {handle.log_path}:\n{_log_tail(Path(handle.log_path))}"
            )
        try:
            with neo4j.GraphDatabase.driver(handle.uri, auth=auth) as driver:
                driver.verify_connectivity()
            return
        except Exception as error:  # not up yet: connection refused, service unavailable, ...
            last_error = error
            time.sleep(0.5)
    _signal_and_wait(handle.pid, timeout=10)
    raise Neo4jServerError(
        f"Neo4j did not answer on {handle.uri} within {timeout:.0f} s ({last_error}); "
        f"log {handle.log_path}:\n{_log_tail(Path(handle.log_path))}"
    )


def start(
    data_dir: str | os.PathLike[str],
    port: int = 7687,
    *,
    password: str | None = None,
    timeout: float = 180.0,
    report: Callable[[str], None] = say,
) -> ServerHandle:
    """Start a local Neo4j server on ``127.0.0.1:port`` with its files in ``data_dir``.

    Fetches the jars first if needed. When a server already runs on ``data_dir`` it is returned as is.
    Heap and page cache come from ``TIPGRAPH_NEO4J_HEAP`` (default ``2g``: room for the transaction state of
    a 10,000-row batch without a collection every few hundred rows) and
    ``TIPGRAPH_NEO4J_PAGECACHE`` (default ``256m``). Auth is off unless ``password`` is given (at least
    8 characters; the user is ``neo4j``).

    Parameters
    ----------
    data_dir
        Folder for the databases, ``neo4j-server.pid`` and ``neo4j-server.log``; created if missing.
    port
        Bolt port on 127.0.0.1.
    password
        Turns auth on with this password for the user ``neo4j``.
    timeout
        Seconds to wait until Bolt answers.
    report
        Receives progress messages.

    Returns
    -------
    ServerHandle
        With ``uri`` such as ``bolt://127.0.0.1:7687`` and the JVM's ``pid``.

    Examples
    --------
    A server takes seconds to start, so this is not run as a doctest (the tests start one)::

        handle = start("/tmp/tipgraph-neo4j", 7687)  # handle.uri == "bolt://127.0.0.1:7687"
        stop("/tmp/tipgraph-neo4j")  # True
    """
    folder = Path(data_dir).absolute()
    running = status(folder)
    if running is not None:
        report(f"already running: {running.uri} (pid {running.pid})")
        return running
    lib = ensure_installed(report=report)
    folder.mkdir(parents=True, exist_ok=True)
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        if sock.connect_ex(("127.0.0.1", port)) == 0:
            raise Neo4jServerError(f"port {port} on 127.0.0.1 is already in use by another program")
    launcher = Path(str(resources.files(__package__).joinpath("Launcher.java")))
    command = launcher_command(
        _java(),
        lib,
        launcher,
        folder,
        port,
        heap=os.environ.get("TIPGRAPH_NEO4J_HEAP", "2g"),
        pagecache=os.environ.get("TIPGRAPH_NEO4J_PAGECACHE", "256m"),
        password=password or "",
    )
    log_path = folder / LOG_FILE
    report(f"starting Neo4j {NEO4J_VERSION} on bolt://127.0.0.1:{port} (data {folder}) ...")
    started = time.monotonic()
    with open(log_path, "ab") as log:
        proc = subprocess.Popen(
            command, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
    _children[proc.pid] = proc
    handle = ServerHandle(
        f"bolt://127.0.0.1:{port}", proc.pid, port, str(folder), NEO4J_VERSION, str(log_path)
    )
    tmp = folder / (PID_FILE + ".tmp")
    tmp.write_text(json.dumps(asdict(handle)))
    tmp.replace(folder / PID_FILE)
    _wait_for_bolt(handle, ("neo4j", password) if password else None, timeout)
    report(f"Neo4j answers on {handle.uri} (pid {proc.pid}, {time.monotonic() - started:.1f} s)")
    return handle


def _signal_and_wait(pid: int, timeout: float) -> None:
    """SIGTERM, wait up to ``timeout`` seconds, then SIGKILL."""
    for sig, wait in ((signal.SIGTERM, timeout), (signal.SIGKILL, 10.0)):
        try:
            os.kill(pid, sig)
        except ProcessLookupError:
            return
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            if not _is_our_server(pid):
                return
            time.sleep(0.2)
    if _is_our_server(pid):
        raise Neo4jServerError(f"Neo4j (pid {pid}) did not stop, even after SIGKILL")


def stop(data_dir: str | os.PathLike[str], timeout: float = 60.0) -> bool:
    """Stop the server running on ``data_dir`` (SIGTERM, then SIGKILL after ``timeout`` s).

    Returns
    -------
    bool
        ``True`` if a server was stopped, ``False`` if none was running.

    Examples
    --------
    >>> stop("/nonexistent")
    False
    """
    folder = Path(data_dir)
    handle = status(folder)
    if handle is not None:
        _signal_and_wait(handle.pid, timeout)
    (folder / PID_FILE).unlink(missing_ok=True)
    return handle is not None


def ensure_running(data_dir: str | os.PathLike[str] | None = None, port: int = 7687) -> str:
    """Start the default local server unless it runs already; return its Bolt URI.

    ``data_dir`` defaults to :func:`~graph_model.neo4j_server.version.default_data_dir`. The server keeps
    running after this process ends; stop it with :func:`stop` or ``python -m graph_model.neo4j_server stop``.
    """
    return start(data_dir if data_dir is not None else default_data_dir(), port).uri
