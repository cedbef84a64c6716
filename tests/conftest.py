"""Top-level test plumbing: a real Neo4j, strictness under CI, and a count of the Neo4j tests run.

Fixtures
--------
neo4j_connection (session)
    ``Neo4jConnection(uri, user, password, database)``. Uses ``TIPGRAPH_NEO4J_URI`` (with
    ``TIPGRAPH_NEO4J_USER``, ``TIPGRAPH_NEO4J_PASSWORD``, ``TIPGRAPH_NEO4J_DATABASE``) when set; otherwise
    starts the local server of :mod:`graph_model.neo4j_server` on a free port and a temporary folder, and
    stops it at the end. No Neo4j: the test is skipped, or fails when ``CI=true``.
neo4j_driver (session)
    A ``neo4j.Driver`` on that connection.
clean_neo4j (function)
    Deletes every node and relationship first (constraints and indexes stay), then gives the connection.

Any test using these fixtures is marked ``neo4j``. Under pytest-xdist, tests marked ``neo4j`` that share
one server (``TIPGRAPH_NEO4J_URI``) take turns through a file lock, since they wipe the same database.
(xdist's ``--dist loadgroup`` did not group tests with pytest 9.2 / xdist 3.8 here, hence the lock.) With ``CI=true`` a skipped ``neo4j`` or ``browser`` test
is reported as failed. The run ends with ``Neo4j tests executed: N``, also written to
``test-artifacts/neo4j-tests-executed.txt``.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import tempfile
from collections.abc import Generator, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

import pytest

if TYPE_CHECKING:
    import neo4j

STRICT_MARKERS = ("neo4j", "browser")
NEO4J_FIXTURES = {"neo4j_connection", "neo4j_driver", "clean_neo4j"}
COUNT_FILE = Path("test-artifacts") / "neo4j-tests-executed.txt"


class Neo4jConnection(NamedTuple):
    """Where the tests' Neo4j is; unpacks as ``uri, user, password, database``."""

    uri: str
    user: str
    password: str
    database: str

    @property
    def auth(self) -> tuple[str, str] | None:
        """Basic auth for the driver, or ``None`` when no password is set (server with auth off)."""
        return (self.user, self.password) if self.password else None


def in_ci() -> bool:
    """Tell whether this run is CI (``CI=true``), where missing Neo4j or Chromium is an error."""
    return os.environ.get("CI", "").strip().lower() in ("true", "1", "yes")


def _unavailable(reason: str) -> None:
    if in_ci():
        pytest.fail(f"CI=true and {reason}", pytrace=False)
    pytest.skip(reason)


def wipe_neo4j(driver: neo4j.Driver, database: str, batch: int = 10_000) -> int:
    """Delete all nodes and relationships in batches, keeping constraints and indexes; return the count."""
    deleted = 0
    while True:
        records, _, _ = driver.execute_query(
            "MATCH (n) WITH n LIMIT $batch DETACH DELETE n RETURN count(*) AS deleted",
            batch=batch,
            database_=database,
        )
        count = int(records[0]["deleted"])
        deleted += count
        if count < batch:
            return deleted


@pytest.fixture(scope="session")
def neo4j_connection(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Neo4jConnection]:
    """Give a reachable Neo4j: ``TIPGRAPH_NEO4J_URI`` if set, else a local server for this session."""
    import neo4j

    uri = os.environ.get("TIPGRAPH_NEO4J_URI")
    if uri:
        connection = Neo4jConnection(
            uri,
            os.environ.get("TIPGRAPH_NEO4J_USER", "neo4j"),
            os.environ.get("TIPGRAPH_NEO4J_PASSWORD", ""),
            os.environ.get("TIPGRAPH_NEO4J_DATABASE", "neo4j"),
        )
        try:
            with neo4j.GraphDatabase.driver(uri, auth=connection.auth) as driver:
                driver.verify_connectivity()
        except Exception as error:
            _unavailable(f"TIPGRAPH_NEO4J_URI={uri} does not answer: {error}")
        yield connection
        return

    from graph_model import neo4j_server

    data_dir = tmp_path_factory.mktemp("neo4j")
    try:
        handle = neo4j_server.start(data_dir, neo4j_server.free_port())
    except neo4j_server.Neo4jServerError as error:
        _unavailable(f"no local Neo4j: {error}")
    try:
        yield Neo4jConnection(handle.uri, "neo4j", "", "neo4j")
    finally:
        neo4j_server.stop(data_dir)


@pytest.fixture(scope="session")
def neo4j_driver(neo4j_connection: Neo4jConnection) -> Iterator[neo4j.Driver]:
    """Give a driver on the tests' Neo4j, closed at the end of the session."""
    import neo4j

    with neo4j.GraphDatabase.driver(neo4j_connection.uri, auth=neo4j_connection.auth) as driver:
        yield driver


@pytest.fixture
def clean_neo4j(neo4j_connection: Neo4jConnection, neo4j_driver: neo4j.Driver) -> Neo4jConnection:
    """Empty the database (nodes and relationships only) before the test; give the connection."""
    wipe_neo4j(neo4j_driver, neo4j_connection.database)
    return neo4j_connection


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    # conftest.py files are plugins, not test modules: under --doctest-modules pytest would import them
    # again as test modules, and several tests/**/conftest.py clash on the module name "conftest".
    return True if collection_path.name == "conftest.py" else None


@pytest.hookimpl(tryfirst=True)  # mark before `-m neo4j` / `-m 'not neo4j'` selects
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if NEO4J_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.neo4j)


def _shared_neo4j_lock_path() -> Path | None:
    """The lock file that xdist workers sharing ``TIPGRAPH_NEO4J_URI`` take turns on, or ``None``."""
    uri = os.environ.get("TIPGRAPH_NEO4J_URI")
    if not uri or not os.environ.get("PYTEST_XDIST_WORKER"):
        return None  # one process, or each worker starts its own server
    digest = hashlib.sha256(uri.encode()).hexdigest()[:16]
    return Path(tempfile.gettempdir()) / f"tipgraph-neo4j-{digest}.lock"


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(
    item: pytest.Item, nextitem: pytest.Item | None
) -> Generator[None, object, object]:
    lock_path = _shared_neo4j_lock_path() if item.get_closest_marker("neo4j") is not None else None
    if lock_path is None:
        return (yield)
    with open(lock_path, "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        return (yield)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    strict = [name for name in STRICT_MARKERS if item.get_closest_marker(name) is not None]
    if report.skipped and strict and in_ci() and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        report.outcome = "failed"
        report.user_properties.append(("skipped_under_ci", True))  # not counted as executed
        report.longrepr = (
            f"CI=true: tests marked {'/'.join(strict)} must run, but this one was skipped: {reason}"
        )
    return report


def count_neo4j_executed(stats: dict[str, list[object]]) -> int:
    """Count tests marked ``neo4j`` whose body ran to an outcome (passed, failed, xfailed or xpassed)."""
    return sum(
        1
        for category, reports in stats.items()
        if category != "skipped"
        for report in reports
        if getattr(report, "when", None) == "call"
        and "neo4j" in getattr(report, "keywords", {})
        and ("skipped_under_ci", True) not in getattr(report, "user_properties", [])
    )


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, config: pytest.Config) -> None:
    if hasattr(config, "workerinput"):  # an xdist worker: the controller reports
        return
    executed = count_neo4j_executed(terminalreporter.stats)
    terminalreporter.write_line(f"Neo4j tests executed: {executed}")
    path = config.rootpath / COUNT_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"{executed}\n")
