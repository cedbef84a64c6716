# Sourced by scripts/test.sh and scripts/demo.sh: create .venv if missing and install tipgraph into it.
# Installs `-e '.[dev]'` under constraints.txt (the pinned versions; regenerate with scripts/lock.sh).
# Skips pip when pyproject.toml and constraints.txt are unchanged since the last successful install.

tipgraph_python() {
    local candidate
    for candidate in "${TIPGRAPH_PYTHON:-}" python3.11 python3.12 python3.13 python3; do
        [ -n "$candidate" ] || continue
        if command -v "$candidate" >/dev/null 2>&1 &&
            "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
            echo "$candidate"
            return 0
        fi
    done
    echo "no Python >= 3.11 found (set TIPGRAPH_PYTHON)" >&2
    return 1
}

tipgraph_venv() {
    local root=$1 extras=${2:-dev} python stamp wanted
    if [ ! -x "$root/.venv/bin/python" ]; then
        python=$(tipgraph_python)
        echo "setup: creating $root/.venv with $python" >&2
        "$python" -m venv "$root/.venv"
    fi
    stamp="$root/.venv/.tipgraph-installed"
    wanted=$({ cat "$root/pyproject.toml"; cat "$root/constraints.txt" 2>/dev/null || true; } | sha256sum)
    wanted=${wanted%% *}-$extras
    if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$wanted" ]; then
        echo "setup: .venv is up to date" >&2
        return 0
    fi
    echo "setup: installing tipgraph[$extras] into .venv (pip) ..." >&2
    local constraints=()
    [ -f "$root/constraints.txt" ] && constraints=(-c "$root/constraints.txt")
    "$root/.venv/bin/python" -m pip install --disable-pip-version-check --progress-bar off "${constraints[@]}" -e "$root[$extras]"
    echo "$wanted" >"$stamp"
}
