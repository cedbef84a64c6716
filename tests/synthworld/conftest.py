"""A small generated world shared by the synthworld tests (generated once per session)."""

from __future__ import annotations

from pathlib import Path

import pytest

from synthworld.cli import synth

SEED = 7
PERSONS = 2000


@pytest.fixture(scope="session")
def world_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Directory with ``exports/`` and ``truth/`` of a 2,000-person world with default noise."""
    out = tmp_path_factory.mktemp("world")
    synth(SEED, PERSONS, out)
    return out


@pytest.fixture(scope="session")
def noisy_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A larger world with high noise, for checking noise rates."""
    out = tmp_path_factory.mktemp("noisy")
    synth(11, 12000, out, noise="high")
    return out
