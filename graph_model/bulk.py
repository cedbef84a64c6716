"""The first load of a national graph into an EMPTY Neo4j database, by Neo4j's offline importer.

Transactional upserts reach about 8-9k nodes/s and 6.5k relationships/s on Neo4j Community (one
transaction per write on one core, index maintenance, the Thai full-text index); a first load into an
empty database needs none of that. :func:`bulk_import` collects the graph with
:mod:`graph_model.bulk_collect` (the record → node/relationship conversion of :mod:`graph_model.build`,
the batch validator of the stores, the merge rules of :mod:`graph_model.store._merge`; the assertions are
spilled to hash buckets on disk and merged one bucket at a time, so memory does not grow with the graph),
writes one CSV per node label and relationship type, stops the local server of
:mod:`graph_model.neo4j_server`, runs ``neo4j-admin database import full`` (``org.neo4j.cli.AdminTool``
from the jars we already fetch), starts the server again and creates the constraints and indexes
(``Neo4jStore.ensure_schema``), waiting until they are online. The result equals what ``build_graph``
writes through upserts (tests compare every property, provenance included).

Only for the empty ``neo4j`` database of a server managed by :mod:`graph_model.neo4j_server`; anything
else is refused before the server is touched. Adding to a live database stays the transactional path.

The collect runs in two processes (:mod:`graph_model.bulk_parallel`): passes 1 and 2 over record-id
ranges, pass 3 over buckets, joined in record order so that the files equal those of one process (a test
compares every row). The resolution is read compactly (:class:`~graph_model.record_entities.RecordEntities`).

Measured with ``benchmarks/bulk_import.py`` on the 100k-person world (443,144 records → 308,692 nodes,
506,627 relationships), back to back with 3892e50 on 2026-11-27 11:07-11:13, other helpers' jobs keeping
the load at 10-14 on the 2 cores (so wall times mean little); CPU s include the collect's worker
processes (``import``: the importer JVM; ``start``/``indexes``: the server's CPU is not counted):

==========  ==============  ==============  ==========================================================
step        wall / CPU s    3892e50         what
==========  ==============  ==============  ==========================================================
collect      57.9 / 25.4     83.6 / 27.1    passes 1-2: 8 record-id ranges taken in turn by 2 processes
csv          24.0 / 12.0     22.3 / 12.4    pass 3: 64 buckets merged by 2 processes
import       32.0 / 21.8     24.8 / 23.9    neo4j-admin database import full, 2 threads
start        24.7 /  0.2     13.3 /  0.2    JVM and database start-up
indexes      38.7 /  0.1     24.0 /  0.1    entity_id 7.3 s, concerns_id 6.4, transfer_id 4.3, five more
                                            relationship-id constraints 1-2 s each, then 2.4 s of waiting
total       177.2           168.0
==========  ==============  ==============  ==========================================================

The collect in one process, two pairs back to back (load 7-17): passes 1-2 25.8/25.7 → 25.5/26.2 CPU s,
pass 3 13.6/13.8 → 12.8/13.0. The fast paths of this session (plain values past the full property check
in :func:`graph_model.build.clean_props`, the validator's generated check before
``Schema.check_relationship``, only an element's present properties visited when its CSV row is
written) bought 3-6 % of the collect's CPU: a cProfile run had shown them at 20-30 %, its per-call cost
inflating exactly such many-small-call code; a sampling profile (pyinstrument) spreads pass 1 over the
batch validator (13 %), record → node (28 %, property cleaning half of it), reading and decoding rows
(23 %), the link-target look-ahead (13 %) and spilling (9 %), pass 2 over the relationships (49 %) and
their validation and spilling (35 %), pass 3 over merging, cells and CSV writing in equal parts. No single
place holds the time: what is left is per-record Python across three passes.

How far the graph stage is from 240 s at a million persons (quiet run of 2400b40: 368 s = mapping 4 +
collect 170 + csv 70 + import 71 + start 7 + indexes 46): the two Python passes are 240 s on two cores, 5 %
less now. What would move whole minutes, in order of gain: (1) pass 1 of the 2.56 M identifier records (58 %
of 4.43 M; accounts, cases) needs no resolution and could run beside entity resolution (one core today),
≈ 45 s of wall on two cores, less if resolution takes both; the person and organisation records (42 %)
must wait for it; their pass-1 spill joins without reordering since node ids never cross types, but each
range's links file would have to be merged back in record-id order for pass 2; (2) the twenty
relationship-id uniqueness constraints are populated one statement at a time (at 100k ≈ 27 of 39 s; in
one transaction or as indexes first, measured at 100k: no gain, 15.7-18.6 s against 11.2-24.1 s at
load 11); (3) fewer passes over each relationship (pass 2 validates what ``link_relationships`` has just
checked, and pickles it to disk once more for pass 3).

The 1M-person world (4,431,445 records → 3,076,618 nodes, 5,062,882 relationships), heap 2 GB, page
cache 3 GB: 9e229c2 on 2026-11-27 11:21-11:30 (load 2.3-8: other helpers' jobs in the collect's first
minutes), against 0277b7f (08:25-08:41, load 5-12); the quiet run of 2400b40 (08:49-09:16, load 1-2.6)
in the last column:

==========  ==============  ================  ========  ====================================================
step        wall / CPU s    0277b7f wall/CPU  quiet     what (9e229c2)
==========  ==============  ================  ========  ====================================================
collect     334.1 / 293.6     591.3 / 338.4    170      pass 1 12.8-33.1 CPU s per range (166.0 in all, was
                                                        182.2), pass 2 6.1-28.8 (106.1, was 132.4)
csv          58.3 / 113.6     175.3 / 132.0     70      2 processes: 56.5 + 56.7 CPU s
import       67.1 / 120.8      97.9 / 108.7     71
start         6.4 /   0.4      15.1 /   0.5      7
indexes      42.8 /   0.1      75.3 /   0.1     46      entity_id 8.6, concerns_id 8.9, used_vehicle_id 4.4,
                                                        has_address_id 3.7, transfer_id 3.6, 3 more 2-3 s
total       508.7               954.9          368 (with the 4 s map)
==========  ==============  ================  ========  ====================================================

Peak RSS of the calling process 3,209 MB (was 3,372). On two free cores the collect would take about
half its 293.6 CPU s (was 338.4: ≈ 170 s quiet), so the graph stage ≈ 4 + 150 + 58 + 67 + 6 + 43
≈ 330 s against the 240 s asked.

At 0277b7f: the resolution map took 4.3 s and 88 MB of arrays (was ~2.9 GB as a dict). Peak RSS of the calling
process 3,372 MB (what pass 1 learnt of all records, joined: node types, record → entity, the link-target
identifiers and referenced records of each range), of the process tree 5,666 MB (sampled every 0.5 s,
pages shared with the fork server counted in each worker), when the two pass-2 workers held pass 1's
node types (1.1-1.2 GB each); was 4,173 MB in one process. On two free cores the graph load would take
≈ 91 + 66 + 24 s (collect: the larger process's share of passes 1 and 2, the caller's joins) + 66 s (csv)
+ the importer's ~100 s + start and indexes (~90 s) ≈ 7-8 minutes.

Examples
--------
>>> from graph_model.model import load_schema
>>> columns = node_columns(load_schema(), "Phone")
>>> columns[0], columns[-4:]
('id:ID', ['sources:string[]', 'agencies:string[]', 'first_seen:string', 'last_seen:string'])
"""

from __future__ import annotations

import math
import os
import shutil
import subprocess
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from graph_model.build import BuildReport, RecordSource
from graph_model.model import Schema, SchemaError, load_schema

if TYPE_CHECKING:
    from ingest.store import RecordStore

__all__ = ["ARRAY_DELIMITER", "BulkReport", "CsvFiles", "bulk_import", "node_columns", "rel_columns"]

#: Separates the items of a list in a CSV cell: ASCII unit separator, refused in the data.
ARRAY_DELIMITER = "\x1f"
_PROVENANCE = ("sources", "agencies", "first_seen", "last_seen")
_NEO4J_TYPES = {"string": "string", "date": "string", "datetime": "string", "integer": "long",
                "float": "double", "boolean": "boolean"}  # dates are stored as ISO strings, as upserts do


@dataclass
class BulkReport:
    """What a bulk import wrote and how long each step took (wall seconds; CPU seconds of this process and
    of the collect's worker processes, and of the importer for ``import``)."""

    build: BuildReport
    nodes: int = 0
    relationships: int = 0
    seconds: dict[str, float] = field(default_factory=dict)
    cpu_seconds: dict[str, float] = field(default_factory=dict)
    load: dict[str, float] = field(default_factory=dict)  # 1-minute load average at the end of each step
    uri: str = ""
    collect_peak_mb: float = 0.0  # peak RSS of this process up to the end of the collect step
    worker_cpu_seconds: float = 0.0  # of the collect's worker processes (in ``cpu_seconds`` too)
    #: Of the ``indexes`` step: the schema statements that took a second or more (a uniqueness constraint
    #: is populated before its statement returns), by index name, then ``(await)``: the wait for the others.
    index_seconds: dict[str, float] = field(default_factory=dict)

    def summary(self) -> str:
        """One line for the CLI."""
        steps = ", ".join(f"{k} {v:.1f} s" for k, v in self.seconds.items())
        total = sum(self.seconds.values()) or 1e-9
        return (f"bulk import: {self.nodes:,} nodes, {self.relationships:,} relationships "
                f"({(self.nodes + self.relationships) / total:,.0f} elements/s): {steps}")


def _column(name: str, scalar: str, is_list: bool) -> str:
    return f"{name}:{_NEO4J_TYPES[scalar]}{'[]' if is_list else ''}"


def _props_of(specs: Mapping[str, Any], schema: Schema) -> list[tuple[str, str, bool]]:
    own = [(n, s.type, s.is_list) for n, s in specs.items() if n not in schema.common]
    return own + [(n, schema.common[n].type, schema.common[n].is_list) for n in _PROVENANCE]


def node_columns(schema: Schema, type_name: str) -> list[str]:
    """The typed CSV header of one node label: ``id:ID``, the declared properties, provenance."""
    return ["id:ID"] + [_column(*p) for p in _props_of(schema.node_type(type_name).properties, schema)]


def rel_columns(schema: Schema, type_name: str) -> list[str]:
    """The typed CSV header of one relationship type: ends, ``id``, declared properties, provenance."""
    props = _props_of(schema.rel_type(type_name).properties, schema)
    return [":START_ID", ":END_ID", "id:string"] + [_column(*p) for p in props]


def _cell(owner: str, name: str, value: Any, is_list: bool) -> str:
    if value is None:
        return ""
    if is_list:
        items = [_cell(owner, name, v, False) for v in value]
        for item in items:
            if item == "" or ARRAY_DELIMITER in item:
                raise SchemaError(f"{owner}.{name}: list item {item!r} is empty or holds the array delimiter "
                                  "U+001F; the bulk importer cannot write it (use the transactional build)")
        return ARRAY_DELIMITER.join(items)
    if value is True or value is False:
        return "true" if value else "false"
    if isinstance(value, float):
        if not math.isfinite(value):
            raise SchemaError(f"{owner}.{name}: {value!r} is not a finite number")
        return repr(value)
    return str(value)


@dataclass
class CsvFiles:
    """The CSV files of one import, by label / relationship type (a header file, then the parts: read as one
    file by the importer), and whether any cell spans lines."""

    nodes: dict[str, list[Path]] = field(default_factory=dict)
    relationships: dict[str, list[Path]] = field(default_factory=dict)
    multiline: bool = False


def import_command(java: str, lib: Path, files: CsvFiles, *, database: str = "neo4j",
                   heap: str = "1g", threads: int = 2) -> list[str]:
    """The ``neo4j-admin database import full`` command line (run with ``NEO4J_HOME`` = the data dir).

    Examples
    --------
    >>> files = CsvFiles({"Person": [Path("/c/p.h.csv"), Path("/c/p.0.csv")]}, {"FAMILY": [Path("/c/f.csv")]})
    >>> cmd = import_command("java", Path("/l"), files)
    >>> cmd[cmd.index("org.neo4j.cli.AdminTool"):][:5]
    ['org.neo4j.cli.AdminTool', 'database', 'import', 'full', 'neo4j']
    >>> "--nodes=Entity:Person=/c/p.h.csv,/c/p.0.csv" in cmd and "--relationships=FAMILY=/c/f.csv" in cmd
    True
    """
    from graph_model.neo4j_server.commands import JVM_OPENS

    return [
        java, *JVM_OPENS, f"-Xmx{heap}", "-cp", str(lib / "*"), "org.neo4j.cli.AdminTool",
        "database", "import", "full", database,
        *(f"--nodes=Entity:{t}={','.join(map(str, p))}" for t, p in sorted(files.nodes.items())),
        *(f"--relationships={t}={','.join(map(str, p))}" for t, p in sorted(files.relationships.items())),
        f"--array-delimiter={ARRAY_DELIMITER}",
        f"--multiline-fields={'true' if files.multiline else 'false'}",
        f"--threads={threads}",
        "--overwrite-destination=true",
        "--bad-tolerance=0",
        "--skip-bad-relationships=false",
        "--skip-duplicate-nodes=false",
    ]


def _count_elements(uri: str, auth: tuple[str, str] | None, database: str) -> int:
    import neo4j

    with neo4j.GraphDatabase.driver(uri, auth=auth) as driver:
        records, _, _ = driver.execute_query(
            "MATCH (n) RETURN count(n) AS n", database_=database, routing_="r")
        return int(records[0]["n"])


def _port_in_use(port: int) -> bool:
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


def _tail(path: Path, lines: int = 25) -> str:
    try:
        return "".join(path.read_text(errors="replace").splitlines(keepends=True)[-lines:])
    except OSError:
        return "(no log)"


def _record_store_of(records: Any) -> Any:
    """The :class:`~ingest.store.RecordStore` behind ``records`` (the store, or its bound ``iter_records``),
    else None: its columns are then read directly, without decoding the raw cells the build never uses."""
    from ingest.store import RecordStore

    if isinstance(records, RecordStore):
        return records
    owner = getattr(records, "__self__", None)
    if isinstance(owner, RecordStore) and getattr(records, "__func__", None) is RecordStore.iter_records:
        return owner
    return None


def bulk_import(
    records: RecordSource | RecordStore,
    resolution: Mapping[str, str],
    data_dir: str | os.PathLike[str],
    *,
    port: int | None = None,
    password: str | None = None,
    database: str = "neo4j",
    csv_dir: str | os.PathLike[str] | None = None,
    schema: Schema | None = None,
    heap: str = "1g",
    index_timeout: float = 3600.0,
    buckets: int = 64,
    workers: int = 2,
    echo: Callable[[str], None] = lambda _: None,
) -> BulkReport:
    """Build the graph of ``records`` and ``resolution`` into the EMPTY database of the local server on
    ``data_dir`` by offline import; the server runs again afterwards, with every index online.

    Parameters
    ----------
    records, resolution
        As for :func:`graph_model.build.build_graph` (the same conversion and merge rules are applied);
        ``records`` may also be a :class:`~ingest.store.RecordStore` (or its ``iter_records``, as the
        CLI passes it): the records are then read without their raw cells.
    data_dir
        The data folder of a server of :mod:`graph_model.neo4j_server` (running or not; a folder without a
        database yet is fine). Its ``neo4j`` database must hold no node, else nothing is done.
    port
        Bolt port when the server is not running (default: a free port); a running server keeps its port.
    password
        The server's password when auth is on.
    csv_dir
        Where the CSV files go (default ``<data_dir>/bulk-import``; removed after a successful import).
    heap
        Java heap of the importer (it also uses off-heap memory for its caches).
    index_timeout
        Seconds to wait for the constraints and indexes (full-text included) to come online.
    buckets
        Spill files per kind (nodes, relationships) of the collect: the collect holds one at a time
        (:mod:`graph_model.bulk_collect`).
    workers
        Processes of the collect (:mod:`graph_model.bulk_parallel`): record-id ranges of a record store in
        pass 1, buckets in pass 3; 1 runs it in this process.

    Returns
    -------
    BulkReport
        Counts, the server's URI, and per step (``collect``, ``csv``, ``import``, ``start``, ``indexes``)
        the wall seconds and the CPU seconds (this process, plus the importer for ``import``).

    Examples
    --------
    A server and the importer take tens of seconds, so this is not run as a doctest (tests do)::

        report = bulk_import(records.iter_records, mapping, "/tmp/neo4j-data")
        report.uri  # 'bolt://127.0.0.1:...'
    """
    import resource

    from graph_model.bulk_collect import collect_csvs
    from graph_model.bulk_parallel import collect_store
    from graph_model.neo4j_server import Neo4jServerError, ensure_installed, free_port, start, status, stop
    from graph_model.neo4j_server.process import _java
    from graph_model.store.neo4j import Neo4jStore

    if database != "neo4j":
        raise Neo4jServerError(f"bulk import loads the default database 'neo4j' only, not {database!r}")
    folder = Path(data_dir).absolute()
    auth = ("neo4j", password) if password else None
    running = status(folder)
    if running is None and (folder / "data" / "databases" / database).exists():
        running = start(folder, port if port is not None else free_port(), password=password, report=echo)
    elif running is None and folder.exists() and any(folder.iterdir()) and not (folder / "data").exists():
        raise Neo4jServerError(f"{folder} is not the data folder of a tipgraph Neo4j server (no data/ in it)")
    if running is not None:
        port = running.port
        found = _count_elements(running.uri, auth, database)
        if found:
            raise Neo4jServerError(
                f"the database {database!r} of the server on {folder} holds {found:,} nodes: bulk import is "
                "for a first load into an empty database only; add to a live database with `tipgraph build` "
                "without --bulk-import")
    elif port is not None and _port_in_use(port):
        raise Neo4jServerError(f"port {port} on 127.0.0.1 is in use by another program: the server on {folder} "
                               "could not be started there after the import")
    port = port if port is not None else free_port()
    lib = ensure_installed(report=echo)
    schema = schema or load_schema()
    report = BulkReport(BuildReport())

    def step(name: str, since: tuple[float, float]) -> tuple[float, float]:
        now = (time.perf_counter(), time.process_time())
        report.seconds[name] = now[0] - since[0]
        report.cpu_seconds[name] = now[1] - since[1]
        report.load[name] = os.getloadavg()[0]
        return now

    mark = (time.perf_counter(), time.process_time())
    out = Path(csv_dir) if csv_dir is not None else folder / "bulk-import"
    if out.exists():
        shutil.rmtree(out)
    if "," in str(out):
        raise Neo4jServerError(f"{out}: the importer takes lists of files separated by commas; choose a folder "
                               "without one")
    lean = _record_store_of(records)
    peak: list[float] = []

    def collected() -> None:
        nonlocal mark
        mark = step("collect", mark)
        peak.append(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)

    if lean is not None:
        collect = collect_store(lean.path, resolution, schema, out, workers=workers, buckets=buckets,
                                progress=echo, collected=collected)
    else:
        items = ((r, r.links) for r in cast(RecordSource, records)())
        collect = collect_csvs(items, resolution, schema, out, buckets=buckets, workers=workers, progress=echo,
                               collected=collected)
    report.build, report.nodes, report.relationships = collect.report, collect.nodes, collect.relationships
    report.collect_peak_mb = peak[0]
    echo(f"collected {report.build.records:,} records ({report.seconds['collect']:.1f} s)")
    files = collect.files
    mark = step("csv", mark)
    for name, seconds in collect.worker_cpu.items():
        report.cpu_seconds[name] += seconds
        report.worker_cpu_seconds += seconds
    echo(f"{report.nodes:,} nodes, {report.relationships:,} relationships: CSV files in {out} "
         f"({report.seconds['csv']:.1f} s)")

    if running is not None:
        stop(folder)
    folder.mkdir(parents=True, exist_ok=True)
    log = folder / "bulk-import.log"
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    with open(log, "wb") as f:
        done = subprocess.run(import_command(_java(), lib, files, database=database, heap=heap),
                              stdout=f, stderr=subprocess.STDOUT, env={**os.environ, "NEO4J_HOME": str(folder)},
                              cwd=folder, check=False)
    if done.returncode != 0:
        raise Neo4jServerError(f"neo4j-admin database import failed (exit {done.returncode}); the server is "
                               f"stopped; log {log}:\n{_tail(log)}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    mark = step("import", mark)
    report.cpu_seconds["import"] += (after.ru_utime + after.ru_stime) - (children.ru_utime + children.ru_stime)
    echo(f"imported ({report.seconds['import']:.1f} s); log {log}")
    shutil.rmtree(out)

    handle = start(folder, port, password=password, report=echo)
    report.uri = handle.uri
    mark = step("start", mark)
    store = Neo4jStore(handle.uri, password=password, database=database, schema=schema)
    try:
        from graph_model.store._cypher import schema_statements

        for statement in schema_statements(schema):
            began = time.perf_counter()
            store.write(statement)  # a constraint is populated and checked before it returns
            if (took := time.perf_counter() - began) >= 1.0:
                report.index_seconds[statement.split(" IF NOT EXISTS")[0].rsplit(" ", 1)[1]] = took
        began = time.perf_counter()
        store.write("CALL db.awaitIndexes($seconds)", {"seconds": int(index_timeout)})
        report.index_seconds["(await)"] = time.perf_counter() - began
        echo("indexes: " + ", ".join(f"{k} {v:.1f} s" for k, v in report.index_seconds.items()))
        store.ensure_schema()  # everything exists now: only checks, and marks the store ready
    finally:
        store.close()
    step("indexes", mark)
    echo(report.summary())
    return report
