"""The ``tipgraph`` command: demo, synth, score, ingest, resolve, build, detect, export, serve, neo4j.

Every command is a thin wrapper over the packages' own functions (see ``api/pipeline.py``); heavy imports
happen inside the commands so that ``tipgraph --help`` is instant.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(
    name="tipgraph",
    help="Investigative link analysis for Thailand's anti-human-trafficking database.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
neo4j_app = typer.Typer(help="A local Neo4j Community server for development and tests.", no_args_is_help=True)
export_app = typer.Typer(help="Export results for outside grading and other tools.", no_args_is_help=True)
app.add_typer(neo4j_app, name="neo4j")
app.add_typer(export_app, name="export")

Workspace = Annotated[
    Path,
    typer.Option("--workspace", "-w", envvar="TIPGRAPH_HOME", help="Workspace directory (records, resolution, graph)."),
]
StoreKind = Annotated[str, typer.Option("--store", envvar="TIPGRAPH_STORE", help="memory or neo4j.")]
DEFAULT_WS = Path(".tipgraph")


def _echo(message: str) -> None:
    typer.echo(message, err=False)


@app.command()
def demo(
    workspace: Workspace = DEFAULT_WS,
    persons: Annotated[int, typer.Option(help="Persons in the synthetic world.")] = 3000,
    seed: Annotated[int, typer.Option(help="Seed of the synthetic world.")] = 7,
    serve: Annotated[bool, typer.Option("--serve/--no-serve", help="Serve the web app at the end.")] = True,
    host: str = "127.0.0.1",
    port: int = 8000,
) -> None:
    """Generate a synthetic world and run the whole pipeline on the embedded store, then serve it."""
    from api.pipeline import run_demo

    run_demo(workspace, persons=persons, seed=seed, echo=_echo)
    if serve:
        from api.server import serve as serve_app

        _echo(f"Serving http://{host}:{port}  (Ctrl-C to stop)")
        serve_app(host=host, port=port, workspace=workspace, store_kind="memory")


@app.command()
def synth(
    out: Annotated[Path, typer.Option(help="Output directory.")],
    seed: Annotated[int, typer.Option()] = 1,
    persons: Annotated[int, typer.Option(min=1000, max=1_000_000)] = 10_000,
    noise: Annotated[str, typer.Option(help="Noise level (low, default, high) or a JSON object.")] = "default",
) -> None:
    """Generate a synthetic ten-agency world with its ground truth."""
    from synthworld.cli import synth as run_synth

    run_synth(seed=seed, persons=persons, out=out, noise=noise)


@app.command()
def score(
    truth: Annotated[Path, typer.Option(help="The world's directory (with truth/).")],
    resolution: Annotated[Path | None, typer.Option(help="Resolution export CSV.")] = None,
    detections: Annotated[Path | None, typer.Option(help="Detections export JSON.")] = None,
) -> None:
    """Grade tipgraph's exports against a synthetic world's truth and print a report."""
    from synthworld.cli import score as run_score

    run_score(truth=truth, resolution=resolution, detections=detections)


@app.command()
def ingest(
    source: Annotated[Path, typer.Argument(help="An export file or a directory of exports.")],
    workspace: Workspace = DEFAULT_WS,
) -> None:
    """Ingest agency exports into source records (bad rows quarantined, counts per file)."""
    from api.pipeline import run_ingest

    run_ingest(source, workspace, echo=_echo)


@app.command()
def resolve(workspace: Workspace = DEFAULT_WS) -> None:
    """Resolve source records into entities (human judgements are kept)."""
    from api.pipeline import run_resolve

    run_resolve(workspace, echo=_echo)


@app.command()
def build(
    source: Annotated[Path | None, typer.Argument(help="Exports to ingest first (optional).")] = None,
    workspace: Workspace = DEFAULT_WS,
    store: StoreKind = "memory",
    bulk_import: Annotated[bool, typer.Option(
        "--bulk-import", help="First load into the EMPTY database of the local Neo4j server (--neo4j-data) by "
        "neo4j-admin's offline importer: much faster than upserts; the server is stopped meanwhile.")] = False,
    neo4j_data: Annotated[Path | None, typer.Option(
        "--neo4j-data", envvar="TIPGRAPH_NEO4J_DATA",
        help="Data folder of the local Neo4j server for --bulk-import (default: the cache's neo4j-data).")] = None,
) -> None:
    """Sources → records → entities → graph in the configured store."""
    from api.pipeline import run_build

    into = None
    if bulk_import and store != "neo4j":
        raise typer.BadParameter("--bulk-import loads a Neo4j database: add --store neo4j", param_hint="--store")
    if bulk_import:
        from graph_model.neo4j_server import default_data_dir

        into = neo4j_data or default_data_dir()
    run_build(workspace, source=source, store_kind=store, echo=_echo, bulk_import_into=into)


@app.command()
def detect(workspace: Workspace = DEFAULT_WS, store: StoreKind = "memory") -> None:
    """Run every detector (rings, money chains, corrupt officials) and write detections.json."""
    from api.pipeline import run_detect

    run_detect(workspace, store_kind=store, echo=_echo)


@app.command()
def judge(
    record_a: str,
    record_b: str,
    decision: Annotated[str, typer.Option(help="merge, split, not-same or unsure.")],
    user: Annotated[str, typer.Option(envvar="USER")] = "analyst",
    workspace: Workspace = DEFAULT_WS,
) -> None:
    """Record a person's judgement on two records; it survives every re-run."""
    from api.pipeline import run_judge

    run_judge(workspace, record_a, record_b, decision, user, echo=_echo)


@app.command()
def explain(
    record_a: str,
    record_b: Annotated[str | None, typer.Argument()] = None,
    workspace: Workspace = DEFAULT_WS,
) -> None:
    """Why two records were (not) merged, or why an entity holds its records."""
    from api.pipeline import run_explain

    _echo(json.dumps(run_explain(workspace, record_a, record_b), ensure_ascii=False, indent=2))


@export_app.command("resolution")
def export_resolution(out: Annotated[Path, typer.Option()], workspace: Workspace = DEFAULT_WS) -> None:
    """One row per source record: agency, file, row or exchange id, part, record id, entity type, entity id."""
    from api.pipeline import run_export_resolution

    run_export_resolution(workspace, out, echo=_echo)


@export_app.command("detections")
def export_detections(
    out: Annotated[Path, typer.Option()], workspace: Workspace = DEFAULT_WS, store: StoreKind = "memory"
) -> None:
    """Rings with members and roles, money chains with txn ids, officials with their paths (JSON)."""
    from api.pipeline import run_detect

    run_detect(workspace, store_kind=store, echo=_echo, out=out)


@export_app.command("ftm")
def export_ftm(
    out: Annotated[Path, typer.Option()], workspace: Workspace = DEFAULT_WS, store: StoreKind = "memory"
) -> None:
    """The graph as FollowTheMoney JSON Lines (for Aleph / OpenSanctions tooling)."""
    from api.pipeline import run_export_ftm

    run_export_ftm(workspace, out, store_kind=store, echo=_echo)


@app.command("serve")
def serve_cmd(
    workspace: Workspace = DEFAULT_WS,
    store: StoreKind = "memory",
    host: str = "127.0.0.1",
    port: int = 8000,
    workers: Annotated[int, typer.Option(min=1, max=64, help="Server processes (each opens the store; one "
                                         "per core pays: the login failure limits hold for them all).")] = 1,
    warm_up: Annotated[float | None, typer.Option(min=0, help="Seconds of profile and network reads before "
                                                  "listening, so that a freshly started Neo4j answers at its warm "
                                                  "speed (0: none; default TIPGRAPH_WARM_UP_SECONDS or 30; the "
                                                  "embedded store is never warmed).")] = None,
    access_log: Annotated[bool, typer.Option("--access-log/--no-access-log",
                                             help="A console line per request (every API call is audited anyway).")] = True,
) -> None:
    """Serve the HTTP API and the investigator web app."""
    from api.server import serve as serve_app

    serve_app(host=host, port=port, workspace=workspace, store_kind=store, workers=workers, access_log=access_log,
              warm_up_seconds=warm_up)


def _neo4j_dir(data_dir: Path | None) -> Path:
    if data_dir is not None:
        return data_dir
    cache = Path(os.environ.get("TIPGRAPH_CACHE", Path.home() / ".cache" / "tipgraph"))
    return cache / "neo4j-data"


NeoDir = Annotated[Path | None, typer.Option("--data-dir", help="Neo4j data directory.")]


@neo4j_app.command("start")
def neo4j_start(data_dir: NeoDir = None, port: int = 7687) -> None:
    """Fetch (first time) and start Neo4j Community on 127.0.0.1."""
    from graph_model import neo4j_server

    handle = neo4j_server.start(_neo4j_dir(data_dir), port)
    _echo(f"Neo4j running: {handle.uri} (pid {handle.pid})")


@neo4j_app.command("stop")
def neo4j_stop(data_dir: NeoDir = None) -> None:
    """Stop the local Neo4j server."""
    from graph_model import neo4j_server

    neo4j_server.stop(_neo4j_dir(data_dir))
    _echo("Neo4j stopped")


@neo4j_app.command("status")
def neo4j_status(data_dir: NeoDir = None) -> None:
    """Is the local Neo4j server running, and where?"""
    from graph_model import neo4j_server

    _echo(str(neo4j_server.status(_neo4j_dir(data_dir))))


#: Errors whose message already says what failed, where and what to do (a bad element naming its type, id
#: and field; a batch the store committed only in part): printed on one line without a traceback. Named by
#: module so that ``tipgraph --help`` imports none of them.
USER_ERRORS = (("graph_model.model", "SchemaError"), ("graph_model.store.base", "PartialCommitError"))


def is_user_error(exc: BaseException) -> bool:
    """Whether ``exc`` is one of :data:`USER_ERRORS` (its module imported means it can have been raised)."""
    for module, name in USER_ERRORS:
        cls = getattr(sys.modules.get(module), name, None)
        if isinstance(cls, type) and isinstance(exc, cls):
            return True
    return False


def run(command: typer.Typer, args: list[str] | None = None) -> None:
    """Run ``command``; a :data:`USER_ERRORS` error ends it with its message on stderr and exit status 1."""
    try:
        command(args=args)
    except Exception as exc:
        if not is_user_error(exc):
            raise
        typer.echo(f"tipgraph: {type(exc).__name__}: {exc}", err=True)
        raise SystemExit(1) from None


def main() -> None:
    """Entry point of the ``tipgraph`` console script."""
    run(app)


if __name__ == "__main__":
    main()
