"""Benchmark the matching engine on instance files and print what it measured.

usage: .venv/bin/python bench/matcher.py INSTANCE.json... [--time-limit S] [--seed N]
           [--repeat N] [--json FILE]

Each run is a fresh process, so its peak memory (resident set, ``ru_maxrss``), its wall time
and its CPU time (user + system of every thread, ``getrusage``) are its own; the CPU includes
the engine's bound process on large instances, whose peak is shown after a ``+`` (the two run
side by side). Wall and CPU times cover solving only; reading the JSON is shown apart. With
``--repeat N`` every instance runs N times and the table shows medians (and the spread of seats
and bound when runs differ). The machine's one-minute load average before each run is printed
beside the times: on a shared machine a wall time means little without it. Staffing rows also
split the wall time into the engine's stages: compiling the pairs (and splitting them into
components), the search (exact components, greedy, fill, large-neighbourhood search, cost),
waiting for the bound once the search has stopped, and explaining the empty seats.

The gap is ``(bound - filled) / filled``: how far, at most, the answer is from the best
possible. Every solution is checked twice: by the engine's validator and by the independent
judge ``shared/matcher/check.py`` (found beside the repository or above it, or named by
``MATCHER_JUDGE``). Instances come from ``shared/matcher/gen.py``, e.g.
``python ../shared/matcher/gen.py staffing large --seed 1 --out /tmp/instances/s-large-1.json``.
The product's time limit is ``MATCHER_TIME_LIMIT_SECONDS`` (20 s), hence the default here.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]


def find_judge() -> Path | None:
    named = os.environ.get("MATCHER_JUDGE")
    if named:
        return Path(named)
    for folder in REPO.parents:
        candidate = folder / "shared" / "matcher" / "check.py"
        if candidate.exists():
            return candidate
    return None


def cpu_seconds() -> float:
    """CPU of this process and of its finished children (the engine's bound process)."""
    total = 0.0
    for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN):
        usage = resource.getrusage(who)
        total += usage.ru_utime + usage.ru_stime
    return total


def measure_one(path: str, time_limit: float, seed: int, out: str) -> dict[str, Any]:
    """Load and solve one instance in this process; write the solution to ``out``."""
    sys.path.insert(0, str(REPO))
    from matching.engine import dump_solution, load_instance, solve
    from matching.engine.model import StaffingProblem
    from matching.engine.validate import validate_mediation, validate_staffing

    load_avg = os.getloadavg()[0]
    started = time.monotonic()
    with open(path, encoding="utf-8") as handle:
        problem = load_instance(json.load(handle))
    loaded = time.monotonic()
    rss_loaded = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    cpu_before = cpu_seconds()
    result = solve(problem, time_limit=time_limit, seed=seed)
    cpu = cpu_seconds() - cpu_before
    wall = time.monotonic() - loaded
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    # The engine's bound process, when it used one, ran beside this one: its peak adds up.
    peak_children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
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
        "timings": solution["stats"].get("timings", {}),
        "bound_stages": solution["stats"].get("bound_stages", {}),
        "time_limit_hit": result.stats.get("time_limit_hit", False),
        "reseated": result.stats.get("reseated"),
        "load_s": loaded - started,
        "wall_s": wall,
        "cpu_s": cpu,
        "load_avg": load_avg,
        "rss_loaded_mb": rss_loaded,
        "peak_rss_mb": peak,
        "peak_rss_children_mb": peak_children,
        "engine_violations": len(errors),
    }


def judge(instance: str, solution: str) -> str:
    script = find_judge()
    if script is None:
        return "n/a"
    done = subprocess.run(
        [sys.executable, str(script), instance, solution, "--json"],
        capture_output=True,
        text=True,
        check=False,
    )
    return "ok" if done.returncode == 0 else f"FAIL ({json.loads(done.stdout)['n_violations']})"


SEARCH_STAGES = ("exact", "greedy", "fill", "lns", "refill", "cost")
"""The staffing engine's timings that make up its search (the rest: compile, waiting for the
bound after the search, explaining empty seats)."""


def primary(m: dict[str, Any]) -> int:
    o = m["objective"]
    return o["filled"] if m["variant"] == "staffing" else o["urgency_weight"]


def gap_percent(filled: int, bound: int) -> float:
    return 100.0 * (bound - filled) / filled if filled else 0.0


def spread(values: list[int]) -> str:
    lo, hi = min(values), max(values)
    middle = f"{statistics.median(values):g}"
    return middle if lo == hi else f"{middle} [{lo}–{hi}]"


def row(name: str, runs: list[dict[str, Any]], verdicts: list[str]) -> str:
    first = runs[0]
    o = first["objective"]
    filled = [primary(m) for m in runs]
    bounds = [m["bound"]["value"] for m in runs]
    kinds = "+".join(f"{k} {v}" for k, v in sorted(first["bound"]["by_kind"].items()))
    cut = "" if all(m["bound"]["complete"] for m in runs) else ", cut"
    total = o["seats"] if first["variant"] == "staffing" else o["urgency_weight_total"]
    gaps = [gap_percent(f, b) for f, b in zip(filled, bounds, strict=True)]
    if first["variant"] == "staffing":
        quality = f"{o['cost_per_seat']:.2f}/seat, max load {o['max_load_h']:g} h"
    else:
        quality = f"{o['distance_km']:.0f} km, max util {o['max_utilisation']:.2f}"
    failed = [v for v in verdicts if v != "ok"]
    engine_ok = all(m["engine_violations"] == 0 for m in runs)
    checks = f"engine {'ok' if engine_ok else 'FAIL'}, judge {failed[0] if failed else 'ok'}"
    if any(m["time_limit_hit"] for m in runs):
        checks += f", time limit hit {sum(m['time_limit_hit'] for m in runs)}/{len(runs)}"

    def med(key: str) -> float:
        return statistics.median(m[key] for m in runs)

    def stage(key: str) -> float:
        return statistics.median(m["timings"].get(key, 0.0) for m in runs)

    search = sum(stage(k) for k in SEARCH_STAGES)
    stages = (
        f"{stage('compile') + stage('setup'):.1f} / {search:.1f} / {stage('bound_wait'):.1f} "
        f"/ {stage('explain'):.1f}"
    )
    loads = ", ".join(f"{m['load_avg']:.1f}" for m in runs)
    child_peak = med("peak_rss_children_mb")
    children = f" + {child_peak:.0f}" if child_peak else ""
    return (
        f"| {name} | {spread(filled)} / {total} | {spread(bounds)} ({kinds}{cut}) "
        f"| {statistics.median(gaps):.2f} % | {quality} | {med('wall_s'):.2f} "
        f"| {stages} | {med('cpu_s'):.2f} | {med('peak_rss_mb'):.0f}{children} "
        f"| {loads} | {checks} |"
    )


def run_child(path: str, out: str, args: argparse.Namespace) -> dict[str, Any]:
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
        raise RuntimeError(done.stderr.strip().splitlines()[-1])
    return json.loads(done.stdout)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("instances", nargs="+")
    parser.add_argument("--time-limit", type=float, default=20.0)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=1, help="runs per instance (medians)")
    parser.add_argument("--json", help="also write every measurement to this file")
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

    print(f"time limit {args.time_limit:g} s, seed {args.seed}, {args.repeat} run(s) each")
    print(
        "| instance | filled (weight) / total | proven bound (kind) | gap | quality | wall s "
        "| compile / search / bound wait / explain s | CPU s | peak RSS MB | load avg | checks |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    failed = False
    record: dict[str, list[dict[str, Any]]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for path in args.instances:
            name = Path(path).stem
            runs: list[dict[str, Any]] = []
            verdicts: list[str] = []
            for i in range(args.repeat):
                out = str(Path(tmp) / f"solution-{i}.json")
                try:
                    runs.append(run_child(path, out, args))
                except RuntimeError as exc:
                    print(f"| {name} | error: {exc} |")
                    failed = True
                    break
                verdicts.append(judge(path, out))
            if len(runs) < args.repeat:
                continue
            failed |= any(v.startswith("FAIL") for v in verdicts)
            failed |= any(m["engine_violations"] for m in runs)
            for m, v in zip(runs, verdicts, strict=True):
                m["judge"] = v
            record[name] = runs
            print(row(name, runs, verdicts), flush=True)
    if args.json:
        Path(args.json).write_text(json.dumps(record, indent=1), encoding="utf-8")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
