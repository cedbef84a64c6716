"""Command lines for Maven (fetch) and Java (run), built as plain lists so they can be checked."""

from __future__ import annotations

from pathlib import Path

from .version import NEO4J_VERSION

__all__ = ["JVM_OPENS", "launcher_command", "maven_command"]

#: JVM flags Neo4j 5 needs on Java 17+ (from its stock configuration).
JVM_OPENS = (
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "--add-opens=java.base/java.lang=ALL-UNNAMED",
    "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
    "--add-opens=java.base/java.net=ALL-UNNAMED",
    "--add-opens=java.base/sun.net.www.protocol.http=ALL-UNNAMED",
)


def maven_command(mvn: str, pom: Path, output_dir: Path, version: str = NEO4J_VERSION) -> list[str]:
    """Build the ``mvn`` command line that copies the server's jars into ``output_dir``.

    Examples
    --------
    >>> cmd = maven_command("mvn", Path("/p/pom.xml"), Path("/c/lib"), "1.2.3")
    >>> cmd[:4]
    ['mvn', '-B', '-f', '/p/pom.xml']
    >>> "-Dneo4j.version=1.2.3" in cmd and "-DoutputDirectory=/c/lib" in cmd
    True
    """
    return [
        mvn,
        "-B",
        "-f",
        str(pom),
        f"-Dneo4j.version={version}",
        "dependency:copy-dependencies",
        f"-DoutputDirectory={output_dir}",
        "-DincludeScope=runtime",
    ]


def launcher_command(
    java: str,
    lib: Path,
    launcher: Path,
    data_dir: Path,
    port: int,
    *,
    heap: str = "2g",
    pagecache: str = "256m",
    password: str = "",
) -> list[str]:
    """Build the ``java`` command line that runs ``Launcher.java`` without a compile step.

    The parallel collector, not the default G1: a batch upsert keeps its whole transaction state on the
    heap, which G1 copied again at every young collection. 50k nodes and 100k relationships into a warm
    server (2 shared CPUs at load 11-15): the collector's CPU fell from 1.7 s + 4.5 s (G1, 1 GB) to
    1.0 s + 2.3 s (parallel, 1 GB) and 0.3 s + 0.6 s (parallel, 2 GB, the default heap).

    The heap is taken whole at start (``-Xms``; growing it from 1/64 of RAM cost a fresh server's first
    load ~40 us of collector CPU per node) and half of it is the young generation (``NewRatio=1``: a
    batch's transaction state dies young); with Neo4j's stock ``TrustFinalNonStaticFields`` and Netty's
    direct buffer release (``tryReflectionSetAccessible``). Not ``DisableExplicitGC``: with it a clear
    (``DETACH DELETE`` of 10,000 nodes per transaction) failed with "unable to write transaction to log",
    as the JDK frees direct buffers by an explicit collection when they run short. Two
    fresh servers side by side, three loads of 50k nodes / 100k relationships each (2026-11-27, load
    11-20): collector CPU per node / relationship 44 / 20 us -> 5 / 6 us in the first load, 6 / 7 ->
    4 / 4 us in the third; whole server CPU within the noise of the JIT (third load 76 / 89 us before,
    78 / 99 us after).

    Examples
    --------
    >>> cmd = launcher_command("java", Path("/c/lib"), Path("/p/Launcher.java"), Path("/d"), 7687)
    >>> cmd[-4:]
    ['/c/lib/*', '/p/Launcher.java', '/d', '7687']
    >>> "-Xmx2g" in cmd and "-XX:+UseParallelGC" in cmd and "-Dtipgraph.pagecache=256m" in cmd
    True
    >>> "-Xms2g" in cmd and "-XX:NewRatio=1" in cmd
    True
    """
    return [
        java,
        *JVM_OPENS,
        f"-Xmx{heap}",
        f"-Xms{heap}",
        "-XX:+UseParallelGC",
        "-XX:NewRatio=1",
        "-XX:+UnlockExperimentalVMOptions",
        "-XX:+TrustFinalNonStaticFields",
        "-Dio.netty.tryReflectionSetAccessible=true",
        "-XX:+ExitOnOutOfMemoryError",
        f"-Dtipgraph.pagecache={pagecache}",
        f"-Dtipgraph.password={password}",
        "-cp",
        str(lib / "*"),  # java expands the wildcard itself
        str(launcher),
        str(data_dir),
        str(port),
    ]
