"""Benchmark: a district-wide matcher run over 20,000 volunteers, next week or longer.

Seeds a separate database with ``manage.py seed_demo --volunteers 20000 --venues 200 --weeks 12``
(in a child process, so the seeding's own memory is not counted), then runs the matcher over the
whole district for next week (``--weeks-ahead N``: the N weeks from next Monday) in this
process, the way the Celery task does, and prints the wall and CPU time with the load average,
the peak resident memory (``resource.getrusage``), the possible pairs and the share of seats
filled.

    .venv/bin/python bench/matching_scope.py [--volunteers 20000] [--venues 200] [--weeks 12]
        [--db /tmp/matching_scope.sqlite3] [--reuse] [--weeks-ahead 1]

With ``DATABASE_URL`` set it uses that database instead of the SQLite file. ``--self-seed``
loads a comparable district with bulk inserts instead of ``seed_demo`` (for a tree where the
demo app is not installed).
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def rss_mb() -> float:
    # ru_maxrss is in kilobytes on Linux.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--volunteers", type=int, default=20000)
    parser.add_argument("--venues", type=int, default=200)
    parser.add_argument("--weeks", type=int, default=12)
    parser.add_argument("--db", default="/tmp/matching_scope.sqlite3")
    parser.add_argument("--reuse", action="store_true", help="keep an already seeded database")
    parser.add_argument("--time-limit", type=int, default=None, help="engine seconds (setting)")
    parser.add_argument("--self-seed", action="store_true", help="bulk-load instead of seed_demo")
    parser.add_argument(
        "--weeks-ahead", type=int, default=1, help="weeks in the run (from next Monday)"
    )
    args = parser.parse_args()

    env = dict(os.environ)
    if not env.get("DATABASE_URL"):
        env["SQLITE_PATH"] = args.db
    env.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    env.setdefault("SMS_BACKEND", "locmem")
    env.setdefault("SECRET_KEY", "bench-only-secret-key")
    if args.time_limit is not None:
        env["MATCHER_TIME_LIMIT_SECONDS"] = str(args.time_limit)
    manage = [sys.executable, str(ROOT / "manage.py")]
    if not args.reuse and not env.get("DATABASE_URL") and Path(args.db).exists():
        Path(args.db).unlink()
    if not args.reuse:
        began = time.monotonic()
        subprocess.run([*manage, "migrate", "--noinput", "-v0"], env=env, check=True, cwd=ROOT)
        seed = [*manage, "seed_demo"]
        if args.self_seed:
            seed = [sys.executable, str(Path(__file__).resolve().parent / "matching_seed.py")]
        subprocess.run(
            [
                *seed,
                "--volunteers",
                str(args.volunteers),
                "--venues",
                str(args.venues),
                "--weeks",
                str(args.weeks),
            ],
            env=env,
            check=True,
            cwd=ROOT,
        )
        print(f"seeded in {time.monotonic() - began:.1f} s")

    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.utils import timezone

    from accounts.models import User
    from matching.models import MatchRun
    from matching.services import runs
    from venues.models import Area

    district = Area.objects.filter(level=Area.Level.DISTRICT).order_by("pk").first()
    coordinator = User.objects.filter(coordinatorships__area=district).first() or (
        User.objects.filter(is_superuser=True).first()
    )
    today = timezone.localdate()
    monday = today - timedelta(days=today.weekday()) + timedelta(days=7)
    last = monday + timedelta(days=7 * max(1, args.weeks_ahead) - 1)
    before = rss_mb()
    run = MatchRun.objects.create(area=district, start=monday, end=last, created_by=coordinator)
    began, cpu = time.monotonic(), time.process_time()
    children = children_cpu()
    run = runs.run_execute(run_id=run.pk)
    wall, cpu = time.monotonic() - began, time.process_time() - cpu
    children = children_cpu() - children
    load = os.getloadavg()[0]
    peak = rss_mb()
    stats = run.stats
    print(f"run {run.pk}: status {run.status} {run.error}")
    print(f"area: {district} ({monday} – {last})")
    print(
        f"volunteers in the instance: {stats.get('volunteers')}  slots: {stats.get('slots')}  "
        f"open seats: {stats.get('seats')}  already held: {stats.get('already_held')}"
    )
    print(
        f"possible pairs: {stats.get('pairs', 0):,}  "
        f"largest component: {stats.get('largest_component_pairs', 0):,} pairs"
    )
    print(
        f"filled: {stats.get('filled')} / {stats.get('seats')}  share: {stats.get('share', 0):.1%}"
        f"  bound: {stats.get('bound')}  ratio to bound: {stats.get('ratio', 0):.1%}"
    )
    from collections import Counter

    from django.utils import translation

    from matching.reasons import gap_text

    reasons = Counter()
    for reason, empty in run.gaps.values_list("reason", "empty"):
        reasons[reason] += empty
    print(f"empty seats by reason: {dict(reasons.most_common())}")
    with translation.override("en"):
        for gap in run.gaps.select_related("slot_role__skill", "slot_role__slot")[:3]:
            print(f"  e.g. {gap.empty} empty: {gap_text(gap)}")
    print(
        f"wall time: {wall:.1f} s, CPU {cpu:.1f} s (engine and database), load average {load:.1f}"
    )
    print(f"peak RSS: {peak:.0f} MB (before the run: {before:.0f} MB)")
    if children > 0:
        # The engine's bound process, on weeks of 200,000 to 2 million pairs beside the search.
        # Its peak is the largest of any child's, seeding's included unless --reuse.
        child_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(f"bound processes: CPU {children:.1f} s, peak RSS {child_peak:.0f} MB")
    else:
        print("bound processes: none (every week bounded in a thread)")
    return 0 if run.status == MatchRun.Status.DONE else 1


if __name__ == "__main__":
    sys.exit(main())
