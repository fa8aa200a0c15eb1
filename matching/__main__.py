"""Command line: ``python -m matching solve INSTANCE.json > SOLUTION.json``.

``solve`` reads a benchmark instance (staffing or mediation, from ``meta.variant``) and writes
the solution envelope; ``validate`` re-checks a solution with the engine's own validator and
exits 1 if any hard constraint is broken.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from matching.engine import (
    dump_solution,
    load_instance,
    solve,
    validate_mediation,
    validate_staffing,
)
from matching.engine.model import StaffingProblem


def _read(path: str) -> Any:
    with Path(path).open(encoding="utf-8") as handle:
        return json.load(handle)


@contextmanager
def _native_output_to_stderr() -> Iterator[None]:
    """Send whatever native code prints to stdout (HiGHS has a few stray messages) to stderr,
    so that stdout carries nothing but the solution JSON."""
    sys.stdout.flush()
    saved = os.dup(1)
    os.dup2(2, 1)
    try:
        yield
    finally:
        sys.stdout.flush()
        os.dup2(saved, 1)
        os.close(saved)


def _solve(args: argparse.Namespace) -> int:
    problem = load_instance(_read(args.instance))
    with _native_output_to_stderr():
        result = solve(problem, time_limit=args.time_limit, seed=args.seed, workers=args.workers)
    text = json.dumps(dump_solution(problem, result), separators=(",", ":"))
    if args.out:
        Path(args.out).write_text(text + "\n", encoding="utf-8")
    else:
        sys.stdout.write(text + "\n")
    return 0


def _validate(args: argparse.Namespace) -> int:
    problem = load_instance(_read(args.instance))
    assignments = _read(args.solution)["assignments"]
    if isinstance(problem, StaffingProblem):
        errors = validate_staffing(problem, [(a["slot"], a["volunteer"]) for a in assignments])
    else:
        errors = validate_mediation(
            problem, [(a["dispute"], a["lead"], a.get("assistant")) for a in assignments]
        )
    for error in errors[:50]:
        sys.stdout.write(f"{error.code}: {error.message}\n")
    sys.stdout.write(f"{len(errors)} violation(s)\n")
    return 1 if errors else 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m matching", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("solve", help="solve an instance, print the solution JSON")
    run.add_argument("instance")
    run.add_argument("--time-limit", type=float, default=60.0, help="seconds (default 60)")
    run.add_argument("--seed", type=int, default=0)
    run.add_argument("--workers", type=int, default=2, help="threads for independent parts")
    run.add_argument("--out", help="write here instead of standard output")
    run.set_defaults(handler=_solve)
    check = commands.add_parser("validate", help="check a solution's hard constraints")
    check.add_argument("instance")
    check.add_argument("solution")
    check.set_defaults(handler=_validate)
    args = parser.parse_args(argv)
    return int(args.handler(args))


if __name__ == "__main__":
    sys.exit(main())
