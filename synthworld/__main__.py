"""``python -m synthworld synth|score ...``: generate a world or grade tipgraph's exports against its truth."""

from __future__ import annotations

import argparse
import json
import sys

from synthworld.cli import score, synth


def main(argv: list[str] | None = None) -> int:
    """Parse arguments and run ``synth`` or ``score``."""
    parser = argparse.ArgumentParser(prog="python -m synthworld")
    sub = parser.add_subparsers(dest="command", required=True)
    s = sub.add_parser("synth", help="generate a synthetic ten-agency world with its truth")
    s.add_argument("--seed", type=int, default=42)
    s.add_argument("--persons", type=int, default=10_000)
    s.add_argument("--out", required=True)
    s.add_argument("--noise", default="default", help="none, low, default, high, or a JSON object of rates")
    c = sub.add_parser("score", help="grade a resolution export (and detections) against a truth directory")
    c.add_argument("--truth", required=True)
    c.add_argument("--resolution", default=None)
    c.add_argument("--detections", default=None)
    c.add_argument("--top-k", type=int, default=50)
    c.add_argument("--json", action="store_true", help="print the metrics as JSON instead of the report")
    args = parser.parse_args(argv)
    if args.command == "synth":
        timings: dict[str, float] = {}
        rows = synth(args.seed, args.persons, args.out, noise=args.noise, timings=timings)
        for name, n in rows.items():
            print(f"{name:40s} {n:>10,d}")
        print(f"{'total seconds':40s} {timings['total']:>10.1f}")
        return 0
    result = score(args.truth, args.resolution, args.detections, top_k=args.top_k, print_report=not args.json)
    if args.json:
        print(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
