"""Publishing a matcher proposal: wall time and SQL queries for N proposals. Prints figures.

    .venv/bin/python bench/publish.py [--proposals 500] [--slots 100] [--people 500]
        [--db /tmp/bench_publish.sqlite3]

With ``DATABASE_URL`` set (PostgreSQL) it uses that database, which it flushes first; otherwise
a fresh SQLite file. It loads one venue with ``--slots`` one-role slots over next week (the
proposals spread evenly over them, two hours each, none overlapping) and ``--people``
volunteers with a phone and an email (so every confirmation writes a text and an invitation),
records a finished run proposing them, and publishes it in this process the way the task does
(``run_publish``), counting the queries. With ``CELERY_BROKER_URL`` the texts and invitations
are queued to the broker, as in production; without it they are sent in this process after
each commit and their time is counted too. Run it twice with a different ``--people`` and the
same ``--slots`` to see that the count follows the slots (a transaction per day they fall on,
eight slots a day), not the people.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from datetime import datetime, timedelta
from datetime import time as clock
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from bench_database import bench_database  # noqa: E402


def load(*, proposals: int, slots: int, people: int, tag: str = "bench", per_day: int = 8):
    from django.utils import timezone

    from accounts.models import User
    from activities.models import Activity, Slot, SlotRole
    from matching.models import MatchProposal, MatchRun
    from venues.models import Area, Venue
    from volunteers.models import Availability, VolunteerProfile

    district = Area.objects.create(name=f"基准区 {tag}", name_en=tag, level="district")
    venue = Venue.objects.create(
        name="基准场地", kind="community", area=district, address="基准路1号"
    )
    coordinator = User.objects.create(
        email=f"coordinator@{tag}.invalid", name="Coordinator", is_staff=True, is_superuser=True
    )
    users = User.objects.bulk_create(
        User(email=f"p{i}@{tag}.invalid", name=f"P {i}", password="!") for i in range(people)
    )
    volunteers = VolunteerProfile.objects.bulk_create(
        VolunteerProfile(
            user=u, phone=f"+86170{len(tag):02d}00{i:04d}", languages=["zh"], max_hours_per_week=60
        )
        for i, u in enumerate(users)
    )
    Availability.objects.bulk_create(
        Availability(volunteer=v, weekday=d, start=clock(7), end=clock(23))
        for v in volunteers
        for d in range(7)
    )
    today = timezone.localdate()
    monday = today - timedelta(days=today.weekday()) + timedelta(days=7)
    tz = timezone.get_current_timezone()
    per_slot = -(-proposals // slots)
    roles = []
    for i in range(slots):
        # ``per_day`` (up to eight) two-hour slots a day from 07:00, none overlapping: a person
        # may hold several.
        day = monday + timedelta(days=i // per_day)
        start = datetime.combine(day, clock(7 + 2 * (i % per_day)), tzinfo=tz)
        activity = Activity.objects.create(
            venue=venue,
            kind=Activity.Kind.CLASS,
            title=f"基准活动{i}",
            title_en=f"Bench activity {i}",
            starts_at=start,
            ends_at=start + timedelta(hours=2),
        )
        slot = Slot.objects.create(
            activity=activity,
            starts_at=activity.starts_at,
            ends_at=activity.ends_at,
            original_start=activity.starts_at,
        )
        roles.append(SlotRole.objects.create(slot=slot, needed=per_slot))
    run = MatchRun.objects.create(
        area=district,
        start=monday,
        end=monday + timedelta(days=6),
        created_by=coordinator,
        status=MatchRun.Status.DONE,
        progress=100,
    )
    MatchProposal.objects.bulk_create(
        MatchProposal(
            run=run, slot_role=roles[k % slots], volunteer=volunteers[k % people], hours=2
        )
        for k in range(proposals)
    )
    return run, coordinator


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--proposals", type=int, default=500)
    parser.add_argument("--slots", type=int, default=100)
    parser.add_argument("--people", type=int, default=500)
    parser.add_argument("--db", default="/tmp/bench_publish.sqlite3")
    args = parser.parse_args()

    bench_database(
        args.db,
        LOG_LEVEL="WARNING",
    )
    from django.conf import settings
    from django.db import connection

    from activities.models import Assignment
    from matching.services import publishing
    from notifications.models import Message

    # A first, one-seat publication loads what a running worker has loaded already (the URLs,
    # the tasks, the calendar zones), so that the figure is the publication's own.
    warm, coordinator = load(proposals=1, slots=1, people=1, tag="warm-up")
    publishing.run_publish(by=coordinator, run=warm)
    Assignment.objects.all().delete()
    run, coordinator = load(proposals=args.proposals, slots=args.slots, people=args.people)
    broker = bool(settings.CELERY_BROKER_URL)
    queries = 0

    def count(execute, sql, params, many, context):
        nonlocal queries
        queries += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        began, cpu = time.perf_counter(), time.process_time()
        run = publishing.run_publish(by=coordinator, run=run)
        wall, cpu = time.perf_counter() - began, time.process_time() - cpu
    confirmed = Assignment.objects.filter(
        status=Assignment.Status.CONFIRMED, slot__activity__venue__area=run.area
    ).count()
    texts = Message.objects.filter(user__email__endswith="@bench.invalid").count()
    print(
        f"{connection.vendor}: {args.proposals} proposals over {args.slots} slots for "
        f"{args.people} people: {wall:.2f} s ({cpu:.2f} s CPU in this process), {queries} queries"
        f" (load average {os.getloadavg()[0]:.2f}, broker {'yes' if broker else 'no'})"
    )
    print(
        f"run {run.status}: published {run.stats.get('published')}, skipped "
        f"{run.stats.get('skipped')}; confirmed seats {confirmed}, texts {texts}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
