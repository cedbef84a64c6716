"""Shared helpers for the entity resolution tests (a module, not a conftest: a conftest here would put
``tests/`` on ``sys.path`` and shadow the ``entity_resolution`` package)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from entity_resolution import Resolution, resolve


def resolve_rows(rows: list[dict[str, Any]], directory: Path, **kwargs: Any) -> Resolution:
    """Resolve person rows (dicts of person-frame columns) in ``directory``."""
    return resolve(pd.DataFrame(rows), directory, **kwargs)


def pair(a: dict[str, Any], b: dict[str, Any]) -> list[dict[str, Any]]:
    """Two person rows with record ids ``a`` and ``b``."""
    return [{"record_id": "a", **a}, {"record_id": "b", **b}]
