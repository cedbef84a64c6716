"""A real Neo4j Community server for tests and local use, fetched from Maven Central.

The jars of the pinned :data:`NEO4J_VERSION` go to a cache outside the repository
(``$TIPGRAPH_CACHE`` or ``~/.cache/tipgraph``); a single-file Java launcher runs the embedded DBMS
with Bolt on 127.0.0.1 and auth off. Needs Java 17+ and Maven; the rest of tipgraph does not.

Shell use::

    python -m graph_model.neo4j_server fetch
    python -m graph_model.neo4j_server start --data-dir /tmp/neo4j --port 7687   # prints the URI
    python -m graph_model.neo4j_server status --data-dir /tmp/neo4j
    python -m graph_model.neo4j_server stop --data-dir /tmp/neo4j

Examples
--------
>>> from graph_model.neo4j_server import NEO4J_VERSION
>>> NEO4J_VERSION.startswith("5.26.")
True
"""

from .install import Neo4jServerError, ensure_installed, is_installed
from .process import ServerHandle, ensure_running, free_port, start, status, stop
from .version import NEO4J_VERSION, cache_root, default_data_dir, lib_dir

__all__ = [
    "NEO4J_VERSION",
    "Neo4jServerError",
    "ServerHandle",
    "cache_root",
    "default_data_dir",
    "ensure_installed",
    "ensure_running",
    "free_port",
    "is_installed",
    "lib_dir",
    "start",
    "status",
    "stop",
]
