#!/usr/bin/env bash
# The demo from a fresh clone: bash scripts/demo.sh [tipgraph demo args...]
# Creates .venv, installs tipgraph (no dev extras, no Java needed) and runs `tipgraph demo`.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
# shellcheck source=scripts/_venv.sh
source scripts/_venv.sh
tipgraph_venv "$ROOT" dev
exec "$ROOT/.venv/bin/tipgraph" demo "$@"
