"""What tests/conftest.py promises: skips of neo4j/browser tests fail under CI, and the Neo4j count.

Each case runs a small inner pytest session with a copy of the real conftest in a temporary folder.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from itertools import pairwise
from pathlib import Path

import pytest

from graph_model.neo4j_server import free_port

CONFTEST = Path(__file__).with_name("conftest.py")

INNER_TESTS = """
import pytest

@pytest.mark.neo4j
def test_neo4j_skipped():
    pytest.skip("no server")

@pytest.mark.browser
def test_browser_skipped():
    pytest.skip("no chromium")

def test_plain_skip():
    pytest.skip("fine anywhere")

@pytest.mark.neo4j
def test_neo4j_ran():
    assert True

def test_neo4j_via_fixture_only(neo4j_connection):
    pass

@pytest.mark.neo4j
@pytest.mark.xfail(reason="known gap", strict=True)
def test_neo4j_xfail():
    assert False
"""

INNER_INI = "[pytest]\nmarkers =\n    neo4j: n\n    browser: b\n    slow: s\n"

# outcome per test, without CI and with CI=true
CASES = {
    "test_neo4j_skipped": ("SKIPPED", "FAILED"),
    "test_browser_skipped": ("SKIPPED", "FAILED"),
    "test_plain_skip": ("SKIPPED", "SKIPPED"),
    "test_neo4j_ran": ("PASSED", "PASSED"),
    "test_neo4j_via_fixture_only": ("SKIPPED", "ERROR"),
    "test_neo4j_xfail": ("XFAIL", "XFAIL"),
}


def run_inner(folder: Path, ci: bool) -> dict[str, str]:
    """Run the inner session; return each test's outcome word from the verbose listing."""
    shutil.copy(CONFTEST, folder / "conftest.py")
    (folder / "test_inner.py").write_text(INNER_TESTS)
    (folder / "pytest.ini").write_text(INNER_INI)
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("TIPGRAPH_NEO4J_", "PYTEST_")) and k != "CI"
    }
    env["TIPGRAPH_NEO4J_URI"] = f"bolt://127.0.0.1:{free_port()}"  # nothing listens there
    if ci:
        env["CI"] = "true"
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-v", "-p", "no:cacheprovider", "test_inner.py"],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert "Neo4j tests executed: 2" in proc.stdout, proc.stdout
    listing = re.findall(
        r"^test_inner\.py::(\w+) (PASSED|FAILED|SKIPPED|ERROR|XFAIL|XPASS)", proc.stdout, re.M
    )
    return dict(listing)


@pytest.mark.parametrize("ci", [False, True], ids=["local", "ci"])
def test_skips_fail_under_ci_and_neo4j_tests_are_counted(tmp_path: Path, ci: bool) -> None:
    outcomes = run_inner(tmp_path, ci)
    assert outcomes == {name: pair[ci] for name, pair in CASES.items()}
    # the passed test and the xfail ran; the skipped ones and the fixture error did not
    assert (tmp_path / "test-artifacts" / "neo4j-tests-executed.txt").read_text() == "2\n"


SHARED_SERVER_TESTS = """
import os, time, pytest

@pytest.mark.parametrize("i", range(4))
@pytest.mark.neo4j
def test_uses_the_shared_database(i):
    start = time.monotonic()
    time.sleep(0.3)
    with open("spans.txt", "a") as spans:
        spans.write(f"{start} {time.monotonic()}\\n")

@pytest.mark.parametrize("i", range(4))
def test_other(i):
    time.sleep(0.3)
"""


def test_xdist_workers_take_turns_on_a_shared_neo4j(tmp_path: Path) -> None:
    shutil.copy(CONFTEST, tmp_path / "conftest.py")
    (tmp_path / "test_shared.py").write_text(SHARED_SERVER_TESTS)
    (tmp_path / "pytest.ini").write_text(INNER_INI)
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("TIPGRAPH_NEO4J_", "PYTEST_")) and k != "CI"
    }
    env["TIPGRAPH_NEO4J_URI"] = f"bolt://127.0.0.1:{free_port()}"  # only the lock's key; never contacted
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-n", "2", "-p", "no:cacheprovider", "test_shared.py"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert "8 passed" in proc.stdout, proc.stdout + proc.stderr
    spans = sorted(
        tuple(map(float, line.split())) for line in (tmp_path / "spans.txt").read_text().splitlines()
    )
    assert len(spans) == 4
    assert all(earlier[1] <= later[0] for earlier, later in pairwise(spans))
