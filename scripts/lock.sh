#!/usr/bin/env bash
# Regenerate constraints.txt (the exact versions scripts/test.sh and scripts/demo.sh install) from .venv.
# Run after adding or upgrading a dependency in pyproject.toml and installing it:
#   .venv/bin/pip install -e '.[dev]' && bash scripts/lock.sh && git add constraints.txt
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
.venv/bin/python -m pip check
{
    echo "# Pinned versions for scripts/test.sh and scripts/demo.sh; regenerate with: bash scripts/lock.sh"
    .venv/bin/python -m pip freeze --exclude-editable --disable-pip-version-check | grep -v -e '^-e ' -e ' @ '  # no editables, no local paths
} >constraints.txt
echo "lock.sh: wrote constraints.txt ($(grep -vc '^#' constraints.txt) packages)" >&2
