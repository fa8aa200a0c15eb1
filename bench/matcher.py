"""Benchmark the matching engine on instance files and print what it measured.

usage: .venv/bin/python bench/matcher.py INSTANCE.json... [--time-limit S] [--seed N]

Each instance runs in a fresh process, so the peak memory (resident set, ``ru_maxrss``) and the
wall time (reading the JSON plus solving) are its own. Every solution is checked twice: by the
engine's validator and, when ``../shared/matcher/check.py`` exists, by that independent judge.
Instances come from ``../shared/matcher/gen.py``, e.g.
``python ../shared/matcher/gen.py staffing large --seed 1 --out /tmp/instances/s-large-1.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
JUDGE = REPO.parent / "shared" / "matcher" / "check.py"


def measure_one(path: str, time_limit: float, seed: int, out: str) -> dict[str, Any]:
    """Load and solve one instance in this process; write the solution to ``out``."""
    sys.path.insert(0, str(REPO))
    from matching.engine import dump_solution, load_instance, solve
    from matching.engine.model import StaffingProblem
    from matching.engine.validate import validate_mediation, validate_staffing

    started = time.monotonic()
    with open(path, encoding="utf-8") as handle:
        problem = load_instance(json.load(handle))
    loaded = time.monotonic()
    result = solve(problem, time_limit=time_limit, seed=seed)
    wall = time.monotonic() - started
    solution = dump_solution(problem, result)
    Path(out).write_text(json.dumps(solution), encoding="utf-8")
    if isinstance(problem, StaffingProblem):
        errors = validate_staffing(problem, [(a.slot, a.volunteer) for a in result.assignments])
    else:
        errors = validate_mediation(
            problem, [(a.dispute, a.lead, a.assistant) for a in result.assignments]
        )
    return {
        "variant": problem.meta.get("variant"),
        "objective": solution["stats"]["objective"],
        "bound": solution["stats"]["bound"],
        "time_limit_hit": result.stats.get("time_limit_hit", False),
        "load_s": loaded - started,
        "wall_s": wall,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "engine_violations": len(errors),
    }


def judge(instance: str, solution: str) -> str:
    if not JUDGE.exists():
        return "n/a"
    done = subprocess.run(
        [sys.executable, str(JUDGE), instance, solution, "--json"],
        capture_output=True,
        text=True,
        check=False,
    )
    return "ok" if done.returncode == 0 else f"FAIL ({json.loads(done.stdout)['n_violations']})"


def row(name: str, m: dict[str, Any], verdict: str) -> str:
    o, b = m["objective"], m["bound"]
    kinds = "+".join(f"{k} {v}" for k, v in sorted(b["by_kind"].items()))
    bound = f"{b['value']} ({kinds}{'' if b['complete'] else ', cut'})"
    if m["variant"] == "staffing":
        primary = f"{o['filled']} / {o['seats']}"
        quality = (
            f"{o['cost']:.0f} ({o['cost_per_seat']:.2f}/seat), {o['distance_km']:.0f} km, "
            f"pref {o['preference_sum']:.0f}, lang {o['language_misses']}, "
            f"max load {o['max_load_h']:g} h"
        )
    else:
        primary = f"{o['urgency_weight']} / {o['urgency_weight_total']}"
        quality = f"{o['distance_km']:.0f} km, max util {o['max_utilisation']:.2f}"
    checks = f"engine {'ok' if m['engine_violations'] == 0 else 'FAIL'}, judge {verdict}"
    return (
        f"| {name} | {primary} | {bound} | {o['ratio_to_bound'] * 100:.2f} % | {quality} "
        f"| {m['wall_s']:.2f} s (load {m['load_s']:.2f}) | {m['peak_rss_mb']:.0f} MB "
        f"| {checks}{', time limit hit' if m['time_limit_hit'] else ''} |"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("instances", nargs="+")
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--one", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        # Native code (HiGHS) may print to stdout; keep it off the channel read back here.
        channel = os.dup(1)
        os.dup2(2, 1)
        measured = measure_one(args.instances[0], args.time_limit, args.seed, args.out)
        sys.stdout.flush()
        os.write(channel, (json.dumps(measured) + "\n").encode())
        return 0

    print(
        "| instance | filled (weight) / total | proven bound (kind) | ratio | cost | wall | "
        "peak RSS | checks |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    failed = False
    with tempfile.TemporaryDirectory() as tmp:
        for path in args.instances:
            out = str(Path(tmp) / "solution.json")
            done = subprocess.run(
                [
                    sys.executable,
                    __file__,
                    path,
                    "--one",
                    "--out",
                    out,
                    "--time-limit",
                    str(args.time_limit),
                    "--seed",
                    str(args.seed),
                ],
                capture_output=True,
                text=True,
                check=False,
            )
            if done.returncode != 0:
                print(f"| {Path(path).name} | error: {done.stderr.strip().splitlines()[-1]} |")
                failed = True
                continue
            measured = json.loads(done.stdout)
            verdict = judge(path, out)
            failed |= verdict.startswith("FAIL") or measured["engine_violations"] > 0
            print(row(Path(path).stem, measured, verdict), flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
