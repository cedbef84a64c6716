"""Graph store settings from the environment (``TIPGRAPH_*``), built on demand, never at import time.

=========================  ==========================================  =========================
Variable                   Meaning                                     Default
=========================  ==========================================  =========================
``TIPGRAPH_STORE``         ``memory`` or ``neo4j``                     ``memory``
``TIPGRAPH_NEO4J_URI``     ``bolt://host:7687`` or ``neo4j://`` (a      ``bolt://127.0.0.1:7687``
                           cluster, with routing)
``TIPGRAPH_NEO4J_USER``    user name                                   ``neo4j``
``TIPGRAPH_NEO4J_PASSWORD`` password (empty: the server has auth off)  empty
``TIPGRAPH_NEO4J_DATABASE`` database name                              ``neo4j``
``TIPGRAPH_GRAPH_DIR``     directory of the embedded store             ``<workspace>/graph``
=========================  ==========================================  =========================

Examples
--------
>>> s = store_settings(store="neo4j", neo4j_uri="neo4j://cluster.example:7687")
>>> s.store, s.neo4j_uri, s.neo4j_database
('neo4j', 'neo4j://cluster.example:7687', 'neo4j')
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["StoreSettings", "store_settings"]


class StoreSettings(BaseSettings):
    """Which graph store to open and how to reach it."""

    model_config = SettingsConfigDict(env_prefix="TIPGRAPH_", extra="ignore")

    store: Literal["memory", "neo4j"] = "memory"
    neo4j_uri: str = "bolt://127.0.0.1:7687"
    neo4j_user: str = "neo4j"
    neo4j_password: str = ""
    neo4j_database: str = "neo4j"
    graph_dir: Path | None = None


def store_settings(**overrides: Any) -> StoreSettings:
    """Read the settings from the environment now; keyword arguments win over the environment."""
    return StoreSettings(**overrides)
