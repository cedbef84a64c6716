#!/usr/bin/env bash
# The whole test suite, Neo4j included, from a fresh clone:  bash scripts/test.sh [pytest args...]
#
# 1. .venv + pinned dependencies   2. Debian chromium (browser tests)   3. Java + Maven if missing
# 4. Neo4j Community fetched into ~/.cache/tipgraph and started ONCE on a free port for the whole run
#    (exported as TIPGRAPH_NEO4J_URI; stopped on exit)   5. pytest over the tests and the packages' doctests.
# With CI=true every missing piece is an error; locally it is a warning and the affected tests skip.
# To test against an existing server instead, set TIPGRAPH_TEST_NEO4J_URI (and TIPGRAPH_NEO4J_USER,
# TIPGRAPH_NEO4J_PASSWORD, TIPGRAPH_NEO4J_DATABASE). Its database is WIPED by the tests.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
# shellcheck source=scripts/_venv.sh
source scripts/_venv.sh

say() { echo "test.sh: $*" >&2; }
is_ci() { [[ "${CI:-}" =~ ^(true|TRUE|True|1|yes)$ ]]; }
need() {  # need WHAT: fail under CI, warn otherwise
    if is_ci; then say "ERROR: $1 (CI=true)"; exit 1; fi
    say "WARNING: $1; the tests that need it will be skipped"
}
apt_install() {
    if [ "$(id -u)" != 0 ]; then return 1; fi
    if [ -z "${_APT_UPDATED:-}" ]; then apt-get update -qq >&2 && _APT_UPDATED=1 || return 1; fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >&2
}

start=$(date +%s)
tipgraph_venv "$ROOT" dev
PY="$ROOT/.venv/bin/python"

if [ ! -x /usr/bin/chromium ]; then
    say "installing Debian chromium for the browser tests ..."
    apt_install chromium || need "could not install chromium (apt-get install -y chromium)"
fi
if ! command -v java >/dev/null || ! command -v mvn >/dev/null; then
    say "installing a JDK and Maven for Neo4j ..."
    apt_install openjdk-17-jdk-headless maven || need "no java/mvn for Neo4j"
fi

NEO4J_DATA=""
stop_neo4j() {
    if [ -n "$NEO4J_DATA" ]; then
        "$PY" -m graph_model.neo4j_server stop --data-dir "$NEO4J_DATA" || true
        rm -rf "$NEO4J_DATA"
    fi
}
trap stop_neo4j EXIT
trap 'exit 130' INT TERM  # so that the EXIT trap stops Neo4j

unset TIPGRAPH_NEO4J_URI  # never the user's working database: the tests wipe theirs
if [ -n "${TIPGRAPH_TEST_NEO4J_URI:-}" ]; then
    export TIPGRAPH_NEO4J_URI=$TIPGRAPH_TEST_NEO4J_URI
    say "using the Neo4j at $TIPGRAPH_NEO4J_URI (its database will be wiped by the tests)"
elif "$PY" -m graph_model.neo4j_server fetch >/dev/null; then
    NEO4J_DATA=$(mktemp -d "${TMPDIR:-/tmp}/tipgraph-test-neo4j.XXXXXX")
    if uri=$("$PY" -m graph_model.neo4j_server start --data-dir "$NEO4J_DATA" --port 0); then
        export TIPGRAPH_NEO4J_URI=$uri TIPGRAPH_NEO4J_USER=neo4j TIPGRAPH_NEO4J_PASSWORD="" \
            TIPGRAPH_NEO4J_DATABASE=neo4j
    else
        need "the local Neo4j did not start (log: $NEO4J_DATA/neo4j-server.log)"
    fi
else
    need "Neo4j could not be fetched from Maven Central"
fi

mkdir -p test-artifacts
rm -f test-artifacts/neo4j-tests-executed.txt
say "setup took $(($(date +%s) - start)) s; running pytest ..."
# Two passes: everything else on N xdist workers, then the Neo4j tests in one process, because they share
# one database and some load data once per module (per-test locking across workers is not enough).
PATHS=(tests graph_model ingest entity_resolution api synthworld)
status=0
"$PY" -m pytest "${PATHS[@]}" --doctest-modules -m "not neo4j" -n "${TIPGRAPH_TEST_WORKERS:-2}" "$@" || status=$?
[ "$status" -eq 5 ] && status=0  # nothing selected in this pass
say "now the Neo4j tests, one process ..."
neo4j_status=0
"$PY" -m pytest "${PATHS[@]}" --doctest-modules -m neo4j "$@" || neo4j_status=$?
[ "$status" -eq 0 ] && status=$neo4j_status
exit "$status"
