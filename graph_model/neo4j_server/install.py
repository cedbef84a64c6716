"""Fetch the Neo4j Community jars from Maven Central into the cache, once per version."""

from __future__ import annotations

import fcntl
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path

from .commands import maven_command
from .version import NEO4J_VERSION, install_dir, lib_dir

__all__ = ["Neo4jServerError", "ensure_installed", "is_installed", "say"]

#: Written after a complete fetch; a folder without it is fetched again.
COMPLETE_MARKER = ".complete"


class Neo4jServerError(RuntimeError):
    """The local Neo4j server could not be fetched, started or stopped."""


def say(message: str) -> None:
    """Print a progress message on stderr (stdout stays clean for shell scripts).

    Examples
    --------
    >>> say("hello")
    """
    print(f"neo4j-server: {message}", file=sys.stderr, flush=True)


def is_installed(version: str = NEO4J_VERSION) -> bool:
    """Tell whether the jars of ``version`` are complete in the cache.

    Examples
    --------
    >>> is_installed("0.0.0-never")
    False
    """
    return (install_dir(version) / COMPLETE_MARKER).is_file()


@contextmanager
def _install_lock(folder: Path) -> Iterator[None]:
    """Hold an exclusive file lock so parallel processes do not fetch into the same folder."""
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / ".lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _run_maven(command: list[str], cwd: Path, report: Callable[[str], None]) -> None:
    """Run Maven, reporting download progress; raise with the log's tail when it fails."""
    log_path = cwd / "mvn.log"
    downloads = 0
    last_report = time.monotonic()
    with open(log_path, "w") as log:
        proc = subprocess.Popen(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        assert proc.stdout is not None
        for line in proc.stdout:
            log.write(line)
            if "Downloaded from" in line:
                downloads += 1
                if time.monotonic() - last_report > 3:
                    report(f"downloaded {downloads} files from Maven Central ...")
                    last_report = time.monotonic()
        code = proc.wait()
    if code != 0:
        tail = "".join(log_path.read_text(errors="replace").splitlines(keepends=True)[-25:])
        raise Neo4jServerError(f"mvn failed with exit code {code} (full log: {log_path}):\n{tail}")
    report(f"Maven done ({downloads} files downloaded, the rest came from ~/.m2)")


def ensure_installed(version: str = NEO4J_VERSION, report: Callable[[str], None] = say) -> Path:
    """Make sure the Neo4j Community jars of ``version`` are in the cache; return the ``lib`` folder.

    The first call runs ``mvn dependency:copy-dependencies`` on the packaged ``pom.xml`` (about 125 MB
    of jars); later calls return at once. Safe to call from parallel processes.

    Parameters
    ----------
    version
        Neo4j version; defaults to the pinned :data:`~graph_model.neo4j_server.version.NEO4J_VERSION`.
    report
        Receives progress messages.

    Returns
    -------
    Path
        Folder of the jars, for ``java -cp '<lib>/*'``.

    Raises
    ------
    Neo4jServerError
        When Maven is missing or the fetch fails.

    Examples
    --------
    Fetching needs Maven and the network, so this is not run as a doctest::

        lib = ensure_installed()  # e.g. ~/.cache/tipgraph/neo4j-<version>/lib
    """
    target = lib_dir(version)
    if is_installed(version):
        return target
    folder = install_dir(version)
    with _install_lock(folder):
        if is_installed(version):  # another process finished while we waited
            return target
        mvn = shutil.which("mvn")
        if mvn is None:
            raise Neo4jServerError("Maven ('mvn') is not installed; on Debian: apt-get install -y maven")
        staging = folder / "lib.partial"
        shutil.rmtree(staging, ignore_errors=True)
        pom = folder / "pom.xml"
        pom.write_bytes(resources.files(__package__).joinpath("pom.xml").read_bytes())
        report(f"fetching Neo4j Community {version} from Maven Central into {folder} ...")
        started = time.monotonic()
        _run_maven(maven_command(mvn, pom, staging, version), folder, report)
        for needed in (f"neo4j-{version}.jar", f"neo4j-bolt-{version}.jar"):
            if not (staging / needed).is_file():
                raise Neo4jServerError(f"Maven finished but {needed} is missing in {staging}")
        shutil.rmtree(target, ignore_errors=True)
        staging.rename(target)
        jars = len(list(target.glob("*.jar")))
        (folder / COMPLETE_MARKER).write_text(f"{version}\n{jars} jars\n")
        report(f"Neo4j {version} ready: {jars} jars in {target} ({time.monotonic() - started:.1f} s)")
    return target
