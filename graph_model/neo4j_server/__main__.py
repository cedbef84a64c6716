"""Command line: ``python -m graph_model.neo4j_server start|stop|status|fetch``.

``start`` prints the Bolt URI alone on stdout (progress goes to stderr), so a shell script can do
``URI=$(python -m graph_model.neo4j_server start --data-dir D --port P)``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .install import Neo4jServerError, ensure_installed
from .process import free_port, start, status, stop
from .version import NEO4J_VERSION, cache_root, default_data_dir


def build_parser() -> argparse.ArgumentParser:
    """Build the argument parser.

    Examples
    --------
    >>> args = build_parser().parse_args(["start", "--port", "0", "--data-dir", "/tmp/x"])
    >>> (args.command, args.port, str(args.data_dir))
    ('start', 0, '/tmp/x')
    """
    parser = argparse.ArgumentParser(prog="python -m graph_model.neo4j_server", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("fetch", help=f"download Neo4j {NEO4J_VERSION} jars into {cache_root()}")
    for name, text in (("start", "start (or find running)"), ("stop", "stop"), ("status", "show")):
        cmd = sub.add_parser(name, help=f"{text} the server of a data folder")
        cmd.add_argument("--data-dir", type=Path, default=default_data_dir())
        if name == "start":
            cmd.add_argument("--port", type=int, default=7687, help="Bolt port; 0 picks a free one")
            cmd.add_argument("--password", default=None, help="turn auth on (user neo4j)")
            cmd.add_argument("--timeout", type=float, default=180.0)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit code (1 = error, 3 = status found no server)."""
    args = build_parser().parse_args(argv)
    try:
        if args.command == "fetch":
            print(ensure_installed())
        elif args.command == "start":
            port = args.port or free_port()
            print(start(args.data_dir, port, password=args.password, timeout=args.timeout).uri)
        elif args.command == "stop":
            stopped = stop(args.data_dir)
            print("stopped" if stopped else "not running", file=sys.stderr)
        else:
            handle = status(args.data_dir)
            if handle is None:
                print(f"not running ({args.data_dir})", file=sys.stderr)
                return 3
            print(f"{handle.uri} pid={handle.pid} version={handle.version} log={handle.log_path}")
    except Neo4jServerError as error:
        print(f"neo4j-server: error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
