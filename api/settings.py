"""Settings of the API service, read from ``TIPGRAPH_*`` environment variables by :func:`get_settings`.

Nothing is read at import time: the app factory calls :func:`get_settings` (or is handed a
:class:`Settings`), so tests build as many differently configured apps as they like.

Examples
--------
>>> s = Settings(workspace="/tmp/ws")
>>> str(s.api_dir)
'/tmp/ws/api'
>>> s.token_minutes > 0
True
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["Settings", "get_settings"]


class Settings(BaseSettings):
    """Every knob of the service; the environment prefix is ``TIPGRAPH_`` (``TIPGRAPH_HOME`` = workspace)."""

    model_config = SettingsConfigDict(env_prefix="TIPGRAPH_", extra="ignore")

    workspace: Path = Field(
        default=Path(".tipgraph"), validation_alias=AliasChoices("workspace", "TIPGRAPH_HOME", "TIPGRAPH_WORKSPACE")
    )
    #: None: the store package's own setting (``TIPGRAPH_STORE``, memory by default).
    store_kind: Literal["memory", "neo4j"] | None = Field(
        default=None, validation_alias=AliasChoices("store_kind", "TIPGRAPH_STORE", "TIPGRAPH_STORE_KIND")
    )
    neo4j_uri: str | None = None
    neo4j_user: str | None = None
    neo4j_password: str | None = None
    token_minutes: int = Field(default=480, ge=1, le=7 * 24 * 60)
    max_body_bytes: int = Field(default=2_000_000, ge=1024)
    max_exchange_bytes: int = Field(default=20_000_000, ge=1024)
    max_query_chars: int = Field(default=4096, ge=256)
    bcrypt_rounds: int = Field(default=12, ge=4, le=16)
    #: Failed logins allowed per user name, and per client address, within ``login_window_seconds``;
    #: beyond that, logins are refused with 429 and Retry-After until the window has moved on.
    login_failures_per_user: int = Field(default=5, ge=1)
    login_failures_per_address: int = Field(default=20, ge=1)
    login_window_seconds: int = Field(default=900, ge=1)
    #: Each audit entry is on disk (``fdatasync``, shared by concurrent requests) before its answer leaves;
    #: False leaves it in the OS's page cache (kept through a crash of the service, not of the machine).
    audit_durable: bool = True
    #: ``serve`` reads profiles and networks of sampled persons this long before listening, so that a
    #: freshly started Neo4j answers at its warm speed (:mod:`api.warmup`); 0: no warm-up.
    warm_up_seconds: float = Field(default=30.0, ge=0, le=3600)
    #: Roles that may see victim-identifying data (MSDHS, RLPD records, victim roles in cases).
    victim_roles: tuple[str, ...] = ("investigator", "admin")

    @property
    def api_dir(self) -> Path:
        """``<workspace>/api``: users, audit log, signing key, saved investigations."""
        return Path(self.workspace) / "api"


def get_settings(**overrides: object) -> Settings:
    """Build the settings from the environment, with keyword overrides (used by ``tipgraph serve``)."""
    return Settings(**{k: v for k, v in overrides.items() if v is not None})  # type: ignore[arg-type]
