"""Slot generation: 1,000 weekly activities expanded over 12 weeks, then regenerated unchanged.

First, the time to check (and refuse) repeat rules that match rarely or never.

    .venv/bin/python bench/recurrence.py [--activities 1000] [--weeks 12] [--roles 2]

Prints seconds and queries for the first generation (which creates the slots and their roles)
and for a second run with nothing changed (which must write nothing: its INSERT/UPDATE/DELETE
count is printed too). Runs against PostgreSQL when DATABASE_URL is set, else a SQLite file of
its own in the temporary directory (SQLITE_PATH), migrated first. The benchmark's rows are made
inside a transaction that is rolled back at the end, so the database is left as it was.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key")
os.environ.setdefault("SMS_BACKEND", "locmem")
os.environ.setdefault("SQLITE_PATH", str(Path(tempfile.gettempdir()) / "bench-recurrence.sqlite3"))

import warnings  # noqa: E402

import django  # noqa: E402

warnings.filterwarnings("ignore", "No directory at", UserWarning)
django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from activities import recurrence  # noqa: E402
from activities.models import Activity, ActivityRole, Slot, SlotRole  # noqa: E402
from activities.services.activities import slots_generate  # noqa: E402
from venues.models import Area, Venue  # noqa: E402

WRITES = ("INSERT", "UPDATE", "DELETE")


class Rollback(Exception):
    pass


def make_activities(n: int, roles: int, weeks: int) -> None:
    district = Area.objects.create(name="基准区", name_en="Bench district", level="district")
    venues = Venue.objects.bulk_create(
        Venue(name=f"基准妇女之家{i}", kind="community", area=district, address="基准路")
        for i in range(max(1, n // 20))
    )
    now = timezone.now().replace(second=0, microsecond=0)
    activities = []
    for i in range(n):
        start = now + timedelta(days=i % 7, hours=i % 5)
        until = start + timedelta(weeks=weeks + 8)
        activities.append(
            Activity(
                venue=venues[i % len(venues)],
                kind="class",
                title=f"每周课堂{i}",
                starts_at=start,
                ends_at=start + timedelta(minutes=90),
                rrule=recurrence.rrule_build(
                    frequency="WEEKLY", tz="Asia/Shanghai", until=until.date()
                ),
            )
        )
    activities = Activity.objects.bulk_create(activities, batch_size=500)
    ActivityRole.objects.bulk_create(
        (
            ActivityRole(activity=a, needed=1 + r, label=f"role {r}")
            for a in activities
            for r in range(roles)
        ),
        batch_size=1000,
    )


def measure(label: str, until) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as ctx:
        started = time.perf_counter()
        created = slots_generate(until=until)
        seconds = time.perf_counter() - started
    writes = sum(1 for q in ctx.captured_queries if q["sql"].lstrip().upper().startswith(WRITES))
    print(
        f"{label:<28} {seconds:8.3f} s  {len(ctx.captured_queries):4d} queries  "
        f"{writes:3d} writes  {created:6d} slots created"
    )
    return created, writes


# Rules that match rarely or never: checking one must stay quick (recurrence.MAX_SPAN_YEARS).
SLOW_RULES = [
    "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30;COUNT=1",
    "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=29;COUNT=500",
    "FREQ=WEEKLY;BYDAY=MO;BYMONTH=2;BYMONTHDAY=29;COUNT=3",
    "FREQ=MONTHLY;BYDAY=MO;BYSETPOS=6;COUNT=2",
]


def measure_rules(repeats: int = 5) -> None:
    import statistics
    from zoneinfo import ZoneInfo

    start = timezone.now().astimezone(ZoneInfo("Asia/Shanghai")).replace(hour=19, minute=0)
    for rule in SLOW_RULES:
        times = []
        for _ in range(repeats):
            began = time.perf_counter()
            problems = recurrence.validate(
                starts_at=start,
                ends_at=start + timedelta(hours=1),
                rrule=rule,
                exdates=(),
                tz="Asia/Shanghai",
            )
            times.append(time.perf_counter() - began)
        verdict = "refused" if problems else "taken"
        print(f"check {rule:<52} {statistics.median(times) * 1000:8.1f} ms median  {verdict}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--activities", type=int, default=1000)
    parser.add_argument("--weeks", type=int, default=12)
    parser.add_argument("--roles", type=int, default=2)
    args = parser.parse_args()

    measure_rules()
    call_command("migrate", verbosity=0)
    vendor = connection.vendor
    print(
        f"database: {vendor}  activities: {args.activities} weekly  roles each: {args.roles}  "
        f"horizon: {args.weeks} weeks"
    )
    try:
        with transaction.atomic():
            make_activities(args.activities, args.roles, args.weeks)
            until = timezone.now() + timedelta(weeks=args.weeks)
            created, _ = measure("first generation", until)
            print(
                f"{'':<28} {Slot.objects.count():d} slots, "
                f"{SlotRole.objects.count():d} slot roles in the database"
            )
            again, writes = measure("regenerate, nothing changed", until)
            if again or writes:
                print("!! the second run wrote to the database")
            raise Rollback
    except Rollback:
        pass


if __name__ == "__main__":
    main()
