"""A small synthetic world, ingested and resolved once for the end-to-end tests of this folder."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

WORLD_PERSONS = 1000
WORLD_SEED = 11


@pytest.fixture(scope="session")
def resolved_workspace(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A workspace holding a 1,000-person world's records and their resolution (no graph yet)."""
    from api.pipeline import run_ingest, run_resolve
    from synthworld.cli import synth

    root = tmp_path_factory.mktemp("e2e")
    synth(seed=WORLD_SEED, persons=WORLD_PERSONS, out=root / "world")
    workspace = root / "ws"
    run_ingest(root / "world" / "exports", workspace, run_date="2026-11-26")
    run_resolve(workspace)
    yield root
    shutil.rmtree(root, ignore_errors=True)
