"""The staffing engine's peak memory on a dense instance, apart from the instance's own.

usage: .venv/bin/python bench/matcher_memory.py INSTANCE.json [--radius-scale F]
           [--time-limit S] [--seed N]

Reads a staffing instance (``shared/matcher/gen.py staffing large``), multiplies every travel
radius by ``F`` -- 2.5 turns the large benchmark's 0.7 million possible pairs into about 4.4
million, as many as the product's densest district run -- and solves it in this process. It
prints the resident set after loading (the problem's own objects, which the product builds from
its database), the peak during the solve (``ru_maxrss``), their difference (the engine's
share), the peak and CPU of the engine's bound process if it started one (it runs beside this
one, so the peaks add up), the wall and CPU time, seats filled and the bound. Run it once per
process: ``ru_maxrss`` never goes down.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def rss_now_mb() -> float:
    with open("/proc/self/statm", encoding="ascii") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("instance")
    parser.add_argument("--radius-scale", type=float, default=2.5)
    parser.add_argument("--time-limit", type=float, default=20.0)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    sys.path.insert(0, str(REPO))
    from matching.engine import load_instance, solve_staffing
    from matching.engine.staffing.compile import compile_staffing

    with open(args.instance, encoding="utf-8") as handle:
        data = json.load(handle)
    for person in data["volunteers"]:
        if person.get("max_travel_km") is not None:
            person["max_travel_km"] *= args.radius_scale
    problem = load_instance(data)
    del data
    pairs = compile_staffing(problem).n_pairs  # counted apart: its arrays are freed here
    loaded = rss_now_mb()
    load_avg = os.getloadavg()[0]
    usage = resource.getrusage(resource.RUSAGE_SELF)
    cpu = usage.ru_utime + usage.ru_stime
    started = time.monotonic()
    result = solve_staffing(problem, time_limit=args.time_limit, seed=args.seed)
    wall = time.monotonic() - started
    usage = resource.getrusage(resource.RUSAGE_SELF)
    cpu = usage.ru_utime + usage.ru_stime - cpu
    peak = peak_mb()
    print(
        f"{Path(args.instance).stem} x{args.radius_scale:g} radius: {pairs:,} pairs, "
        f"largest component {result.stats.get('largest_component_pairs', 0):,}"
    )
    print(
        f"filled {result.score.filled} / {result.score.seats}, bound {result.bound.value} "
        f"({dict(result.bound.by_kind)}), time limit hit {result.stats.get('time_limit_hit')}"
    )
    # The engine's bound process, when it starts one (large components), runs beside this
    # one: its CPU and its peak count too.
    child = resource.getrusage(resource.RUSAGE_CHILDREN)
    child_cpu, child_peak = child.ru_utime + child.ru_stime, child.ru_maxrss / 1024
    print(
        f"wall {wall:.1f} s, CPU {cpu:.1f} s (+ bound process {child_cpu:.1f} s), "
        f"load average {load_avg:.1f}"
    )
    print(f"phases (s): {result.stats.get('timings')}")
    print(
        f"RSS after loading {loaded:.0f} MB, peak {peak:.0f} MB, "
        f"engine's share {peak - loaded:.0f} MB; bound process peak {child_peak:.0f} MB"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
