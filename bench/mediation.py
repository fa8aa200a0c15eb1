"""Benchmark: ranking mediators for one dispute, and a district-wide mediation run.

Seeds a separate database with ``manage.py seed_demo --mediators 2000 --disputes 1000`` (in a
child process), then, in this process, times

* ranking the mediators of one dispute (the candidates page and API: the pool query, the
  exclusions, the matcher's ranking and the reasons), over several disputes, and
* a district run (``services.runs``: the instance read from the database, the engine's
  mediation solver, proposals written) over every unassigned seeded dispute,

and prints medians (goals: ranking under 300 ms, the run under 10 s).

    .venv/bin/python bench/mediation.py [--mediators 2000] [--disputes 1000] [--repeat 15]
        [--db /tmp/bench_mediation.sqlite3] [--reuse]

With ``DATABASE_URL`` set it uses that database instead of the SQLite file.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from bench_database import bench_database  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mediators", type=int, default=2000)
    parser.add_argument("--disputes", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--db", default="/tmp/bench_mediation.sqlite3")
    parser.add_argument("--reuse", action="store_true", help="keep an already seeded database")
    args = parser.parse_args()

    bench_database(
        args.db,
        keep=args.reuse,
        seed=["--mediators", str(args.mediators), "--disputes", str(args.disputes)],
    )
    from django.db import connection

    from accounts.models import User
    from mediation.models import Dispute, MediationRun
    from mediation.selectors.candidates import candidates_rank
    from mediation.selectors.mediators import mediator_pool
    from mediation.selectors.runs import run_disputes
    from mediation.services import runs
    from venues.models import Area

    coordinator = User.objects.get(email="coordinator@demo.invalid")
    district = Area.objects.get(level=Area.Level.DISTRICT)
    pool = len(mediator_pool())
    waiting = run_disputes(area=district).count()
    samples = list(
        Dispute.objects.filter(status__in=Dispute.UNASSIGNED)
        .select_related("area", "compound")
        .order_by("-kind", "pk")[: args.repeat]
    )
    print(f"database: {connection.vendor}; mediators: {pool}; unassigned disputes: {waiting}")

    timings = []
    shown = 0
    for dispute in samples:
        began = time.perf_counter()
        ranking = candidates_rank(dispute=dispute)
        timings.append(time.perf_counter() - began)
        shown = len(ranking.leads) + len(ranking.assistants)
    print(
        f"ranking one dispute: median {statistics.median(timings) * 1000:.0f} ms, "
        f"max {max(timings) * 1000:.0f} ms over {len(timings)} disputes "
        f"({shown} candidates shown with reasons; goal < 300 ms)"
    )

    run_times = []
    stats = {}
    for _ in range(args.runs):
        began = time.perf_counter()
        run = MediationRun.objects.create(area=district, created_by=coordinator)
        run = runs.run_execute(run_id=run.pk)
        run_times.append(time.perf_counter() - began)
        stats = run.stats
        assert run.status == MediationRun.Status.DONE, run.error
    print(
        f"district run: median {statistics.median(run_times):.2f} s over {len(run_times)} runs "
        f"(goal < 10 s); staffed {stats['staffed']}/{stats['disputes']} disputes, urgency "
        f"weight {stats['urgency_weight']} of a proven most {stats['bound']}, "
        f"{stats['mediators']} mediators"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
