"""Put the repository root first on ``sys.path``.

``tests/`` is on the path as well (the top-level conftest lives there), and its ``entity_resolution`` folder
would otherwise be imported as a namespace package in place of the real one.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = str(Path(__file__).resolve().parents[2])
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)
