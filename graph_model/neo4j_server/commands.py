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

    Examples
    --------
    >>> cmd = launcher_command("java", Path("/c/lib"), Path("/p/Launcher.java"), Path("/d"), 7687)
    >>> cmd[-4:]
    ['/c/lib/*', '/p/Launcher.java', '/d', '7687']
    >>> "-Xmx2g" in cmd and "-XX:+UseParallelGC" in cmd and "-Dtipgraph.pagecache=256m" in cmd
    True
    """
    return [
        java,
        *JVM_OPENS,
        f"-Xmx{heap}",
        "-XX:+UseParallelGC",
        "-XX:+ExitOnOutOfMemoryError",
        f"-Dtipgraph.pagecache={pagecache}",
        f"-Dtipgraph.password={password}",
        "-cp",
        str(lib / "*"),  # java expands the wildcard itself
        str(launcher),
        str(data_dir),
        str(port),
    ]
