"""The local Neo4j server: the real thing (marked neo4j) and the pure parts (pin, command lines)."""

from __future__ import annotations

import json
import os
import re
from importlib import resources
from pathlib import Path

import pytest

from graph_model import neo4j_server
from graph_model.neo4j_server import NEO4J_VERSION
from graph_model.neo4j_server.__main__ import main as cli_main
from graph_model.neo4j_server.commands import JVM_OPENS, launcher_command, maven_command

REPO = Path(__file__).resolve().parents[2]
PACKAGE = REPO / "graph_model" / "neo4j_server"
VERSION_LITERAL = re.compile(r"\b5\.26\.\d+\b|\b20\d\d\.\d\d\.\d+\b")


# --- against the real server ------------------------------------------------------------------------


@pytest.mark.neo4j
def test_bolt_answers_and_runs_a_query(neo4j_connection, neo4j_driver) -> None:
    neo4j_driver.verify_connectivity()
    records, _, _ = neo4j_driver.execute_query("RETURN 1 AS one", database_=neo4j_connection.database)
    assert [r["one"] for r in records] == [1]


@pytest.mark.neo4j
def test_thai_fulltext_analyzer_is_available(neo4j_connection, neo4j_driver) -> None:
    records, _, _ = neo4j_driver.execute_query(
        "CALL db.index.fulltext.listAvailableAnalyzers() YIELD analyzer RETURN analyzer",
        database_=neo4j_connection.database,
    )
    assert "thai" in {r["analyzer"] for r in records}


@pytest.mark.neo4j
def test_thai_analyzer_splits_unspaced_thai_words(clean_neo4j, neo4j_driver) -> None:
    # Thai is written without spaces; the analyzer must still find a name inside a sentence.
    db = clean_neo4j.database
    neo4j_driver.execute_query(
        "CREATE FULLTEXT INDEX tipgraph_thai_probe IF NOT EXISTS FOR (n:ThaiProbe) ON EACH [n.text] "
        "OPTIONS {indexConfig: {`fulltext.analyzer`: 'thai'}}",
        database_=db,
    )
    try:
        neo4j_driver.execute_query("CALL db.awaitIndexes(120)", database_=db)
        neo4j_driver.execute_query(
            "UNWIND $rows AS r CREATE (:ThaiProbe {id: r.id, text: r.text})",
            rows=[
                {"id": "a", "text": "นายสมชายเดินทางไปกรุงเทพมหานคร"},
                {"id": "b", "text": "นางสาวมาลีทำงานที่ระนอง"},
            ],
            database_=db,
        )
        records, _, _ = neo4j_driver.execute_query(
            "CALL db.index.fulltext.queryNodes('tipgraph_thai_probe', $q) YIELD node RETURN node.id AS id",
            q="ระนอง",
            database_=db,
        )
        assert [r["id"] for r in records] == ["b"]
    finally:
        neo4j_driver.execute_query("DROP INDEX tipgraph_thai_probe IF EXISTS", database_=db)


@pytest.mark.neo4j
@pytest.mark.slow
def test_start_is_idempotent_and_stop_ends_the_server(tmp_path: Path) -> None:
    port = neo4j_server.free_port()
    try:
        first = neo4j_server.start(tmp_path, port)
    except neo4j_server.Neo4jServerError as error:
        pytest.skip(f"no local Neo4j: {error}")  # turned into a failure under CI=true
    try:
        again = neo4j_server.start(tmp_path, port)
        assert again.pid == first.pid and again.uri == f"bolt://127.0.0.1:{port}"
        assert neo4j_server.status(tmp_path) == first
        assert (tmp_path / "neo4j-server.log").read_text().count("ready on bolt://") == 1
    finally:
        assert neo4j_server.stop(tmp_path) is True
    assert neo4j_server.status(tmp_path) is None
    assert not Path(f"/proc/{first.pid}").exists() or b"Launcher.java" not in _cmdline(first.pid)
    assert neo4j_server.stop(tmp_path) is False


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


# --- pure parts ---------------------------------------------------------------------------------------


def test_version_is_a_526_lts_patch() -> None:
    assert re.fullmatch(r"5\.26\.\d+", NEO4J_VERSION)


def test_version_is_pinned_in_one_place_only() -> None:
    candidates = [p for p in PACKAGE.iterdir() if p.suffix in (".py", ".xml", ".java")]
    candidates += [p for p in (REPO / "scripts").glob("*.sh")] + [REPO / ".ci" / "run"]
    found = {p.name: VERSION_LITERAL.findall(p.read_text()) for p in candidates if p.is_file()}
    assert {name: hits for name, hits in found.items() if hits} == {"version.py": [NEO4J_VERSION]}
    pom = (PACKAGE / "pom.xml").read_text()
    assert pom.count("<version>${neo4j.version}</version>") == 2


@pytest.mark.parametrize("name", ["pom.xml", "Launcher.java"])
def test_build_files_ship_as_package_data(name: str) -> None:
    assert resources.files("graph_model.neo4j_server").joinpath(name).is_file()


def test_maven_command_copies_both_artifacts_of_the_pinned_version() -> None:
    cmd = maven_command("/usr/bin/mvn", Path("/x/pom.xml"), Path("/cache/lib"))
    assert cmd[0] == "/usr/bin/mvn" and "-B" in cmd
    assert cmd[cmd.index("-f") + 1] == "/x/pom.xml"
    assert f"-Dneo4j.version={NEO4J_VERSION}" in cmd
    assert "dependency:copy-dependencies" in cmd
    assert "-DoutputDirectory=/cache/lib" in cmd


def test_launcher_command_order_and_settings() -> None:
    cmd = launcher_command(
        "/jdk/bin/java", Path("/c/lib"), Path("/p/Launcher.java"), Path("/d"), 7999, heap="2g", pagecache="1g"
    )
    assert cmd[0] == "/jdk/bin/java"
    cp = cmd.index("-cp")
    assert set(JVM_OPENS) <= set(cmd[1:cp])  # JVM options must precede the source file
    assert "--add-opens=java.base/java.nio=ALL-UNNAMED" in JVM_OPENS
    assert cmd[cp + 1 :] == ["/c/lib/*", "/p/Launcher.java", "/d", "7999"]
    assert "-Xmx2g" in cmd[:cp] and "-Dtipgraph.pagecache=1g" in cmd[:cp]
    assert "-XX:+UseParallelGC" in cmd[:cp]  # G1 cost 2-5x its CPU on batch upserts
    assert "-Xms2g" in cmd[:cp] and "-XX:NewRatio=1" in cmd[:cp]  # heap whole from the start, half young
    assert "-Dtipgraph.password=" in cmd[:cp]  # empty: auth off


def test_cache_is_outside_the_repo_and_follows_tipgraph_cache(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("TIPGRAPH_CACHE", raising=False)
    assert REPO not in neo4j_server.lib_dir().parents
    monkeypatch.setenv("TIPGRAPH_CACHE", str(tmp_path))
    assert neo4j_server.lib_dir() == tmp_path / f"neo4j-{NEO4J_VERSION}" / "lib"
    assert not neo4j_server.is_installed()


def test_stale_pid_file_is_not_taken_for_a_server(tmp_path: Path) -> None:
    # The pid of this very pytest process: alive, but not a Neo4j launcher, so it must not be signalled.
    stale = {"uri": "bolt://127.0.0.1:1", "pid": os.getpid(), "port": 1, "data_dir": str(tmp_path)}
    stale |= {"version": NEO4J_VERSION, "log_path": "x"}
    (tmp_path / "neo4j-server.pid").write_text(json.dumps(stale))
    assert neo4j_server.status(tmp_path) is None
    assert neo4j_server.stop(tmp_path) is False
    assert not (tmp_path / "neo4j-server.pid").exists()


def test_cli_status_exits_3_when_nothing_runs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli_main(["status", "--data-dir", str(tmp_path)]) == 3
    assert "not running" in capsys.readouterr().err
