"""Benchmark: the district's year summary over a year of demo data.

Seeds a separate database with ``manage.py seed_demo --volunteers 20000 --weeks 52`` (and its
seeded disputes) in a child process, then, in this process, requests as the district's
coordinator

* the figures page (``/reports/``), the summary page (``/reports/summary/``),
* the API (``GET /api/v1/reports/summary/``),
* the whole report as one XLSX workbook (``/reports/export.xlsx``),

for the year the demo data covers, and prints the median seconds and the number of queries of
each (goals: pages and API under 1 s, the export under 3 s), with the CPU time of this
process (on a shared machine the wall time also counts the waiting). To show that the number of
queries does not grow with the data, it prints them again for one month of the same data.

    .venv/bin/python bench/reports.py [--volunteers 20000] [--weeks 52] [--disputes 300]
        [--venues 8] [--repeat 7] [--db /tmp/bench_reports.sqlite3] [--reuse]

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
    parser.add_argument("--volunteers", type=int, default=20000)
    parser.add_argument("--weeks", type=int, default=52)
    parser.add_argument("--disputes", type=int, default=300)
    parser.add_argument("--venues", type=int, default=8, help="seed_demo's default")
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--db", default="/tmp/bench_reports.sqlite3")
    parser.add_argument("--reuse", action="store_true", help="keep an already seeded database")
    args = parser.parse_args()

    bench_database(
        args.db,
        keep=args.reuse,
        seed=[
            *("--volunteers", str(args.volunteers), "--weeks", str(args.weeks)),
            *("--disputes", str(args.disputes), "--venues", str(args.venues)),
        ],
        analyze=True,
        DEBUG="yes",
    )
    from django.db import connection
    from django.db.models import Max, Min
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accounts.models import User
    from activities.models import Assignment, Slot
    from mediation.models import Dispute
    from reports.periods import district_zone
    from venues.models import Area

    coordinator = User.objects.get(email="coordinator@demo.invalid")
    district = Area.objects.get(level=Area.Level.DISTRICT)
    edges = Slot.objects.aggregate(first=Min("starts_at"), last=Max("starts_at"))
    zone = district_zone()
    first = edges["first"].astimezone(zone).date()
    last = edges["last"].astimezone(zone).date()
    year = {"area": district.pk, "start": first.isoformat(), "end": last.isoformat()}
    month = {**year, "end": first.replace(day=28).isoformat()}
    print(
        f"database: {connection.vendor}; {Slot.objects.count()} slots, "
        f"{Assignment.objects.count()} assignments, {Dispute.objects.count()} disputes; "
        f"period {first} – {last}"
    )

    client = Client()
    client.force_login(coordinator)
    targets = [
        ("figures page", "/reports/", 1.0),
        ("summary page", "/reports/summary/", 1.0),
        ("API summary", "/api/v1/reports/summary/", 1.0),
        ("XLSX workbook", "/reports/export.xlsx", 3.0),
    ]
    for label, url, goal in targets:
        times, cpu = [], []
        for _ in range(args.repeat):
            began, began_cpu = time.perf_counter(), time.process_time()
            response = client.get(url, year)
            times.append(time.perf_counter() - began)
            cpu.append(time.process_time() - began_cpu)
            assert response.status_code == 200, (url, response.status_code)
        with CaptureQueriesContext(connection) as year_queries:
            client.get(url, year)
        with CaptureQueriesContext(connection) as month_queries:
            client.get(url, month)
        print(
            f"{label:14} median {statistics.median(times):.3f} s, max {max(times):.3f} s over "
            f"{len(times)} (goal < {goal:.0f} s), "
            f"CPU of this process {statistics.median(cpu):.3f} s; "
            f"queries: {len(year_queries)} for the year, "
            f"{len(month_queries)} for one month"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
