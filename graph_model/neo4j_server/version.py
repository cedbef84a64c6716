"""The one place where the Neo4j server version and its cache location are decided.

Neo4j 5.26 is the LTS line and the last that runs on Java 17, the default JDK here. To move to a
newer line (2025.x needs Java 21+), change :data:`NEO4J_VERSION` and point ``JAVA_HOME`` at a newer JDK.
The newest release of 2026 (August) on Temurin 25 ran the unchanged launcher, schema and upserts here
and was measured back to back with the pinned LTS (2026-11-27, load 2-3): the same upsert speed within
the noise (server CPU per relationship 68-70 us against 71-76 us, per node the same), so the LTS stays
(figures in ``benchmarks/store_load.py``).
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["NEO4J_VERSION", "cache_root", "default_data_dir", "install_dir", "lib_dir"]

#: Neo4j Community version fetched from Maven Central (``org.neo4j:neo4j`` and ``org.neo4j:neo4j-bolt``).
NEO4J_VERSION = "5.26.30"


def cache_root() -> Path:
    """Return the cache folder for tipgraph's downloads, outside any repository.

    ``$TIPGRAPH_CACHE`` when set, else ``$XDG_CACHE_HOME/tipgraph``, else ``~/.cache/tipgraph``.

    Examples
    --------
    >>> import os
    >>> os.environ["TIPGRAPH_CACHE"] = "/tmp/tg-cache"
    >>> str(cache_root())
    '/tmp/tg-cache'
    >>> del os.environ["TIPGRAPH_CACHE"]
    """
    explicit = os.environ.get("TIPGRAPH_CACHE")
    if explicit:
        return Path(explicit).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg).expanduser() if xdg else Path.home() / ".cache"
    return base / "tipgraph"


def install_dir(version: str = NEO4J_VERSION) -> Path:
    """Return the folder holding one Neo4j version (``<cache>/neo4j-<version>``).

    Examples
    --------
    >>> install_dir("1.2.3").name
    'neo4j-1.2.3'
    """
    return cache_root() / f"neo4j-{version}"


def lib_dir(version: str = NEO4J_VERSION) -> Path:
    """Return the folder of the server's jars (``<cache>/neo4j-<version>/lib``).

    Examples
    --------
    >>> lib_dir("1.2.3").parts[-2:]
    ('neo4j-1.2.3', 'lib')
    """
    return install_dir(version) / "lib"


def default_data_dir() -> Path:
    """Return the data folder of the default local server: ``$TIPGRAPH_NEO4J_DATA`` or ``<cache>/neo4j-data``.

    Examples
    --------
    >>> import os
    >>> os.environ["TIPGRAPH_NEO4J_DATA"] = "/tmp/tg-neo4j"
    >>> str(default_data_dir())
    '/tmp/tg-neo4j'
    >>> del os.environ["TIPGRAPH_NEO4J_DATA"]
    """
    explicit = os.environ.get("TIPGRAPH_NEO4J_DATA")
    return Path(explicit).expanduser() if explicit else cache_root() / "neo4j-data"
