"""Calendar feeds: time per request, queries per request at two sizes, and the 304 path.

    .venv/bin/python bench/feeds.py [--requests 30] [--seed-volunteers 20000]

Runs against PostgreSQL when DATABASE_URL is set, else a SQLite file of its own in the
temporary directory (SQLITE_PATH), migrated first. With ``--seed-volunteers N`` and the
``seed_demo`` command available, the demo data is loaded first so the feeds are measured in a
full database. The benchmark's own rows (a volunteer with 500 confirmed shifts, a venue with
200 weekly activities, and smaller ones for the query comparison) are made inside a transaction
that is rolled back at the end, so the database is left as it was.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key")
os.environ.setdefault("SMS_BACKEND", "locmem")
# Without DATABASE_URL, a SQLite file of its own, so the development database is left alone.
os.environ.setdefault("SQLITE_PATH", str(Path(tempfile.gettempdir()) / "bench-feeds.sqlite3"))

import warnings  # noqa: E402

import django  # noqa: E402

# WhiteNoise warns that collectstatic has not been run; the feeds serve no static files.
warnings.filterwarnings("ignore", "No directory at", UserWarning)

django.setup()

from django.core.management import call_command, get_commands  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import User  # noqa: E402
from activities.models import Activity, ActivityRole, Assignment, Slot, SlotRole  # noqa: E402
from activities.services.activities import slots_generate  # noqa: E402
from venues.models import Area, Venue  # noqa: E402
from volunteers.models import VolunteerProfile  # noqa: E402

WEEKDAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]


def make_venue(tag: str, activities: int) -> Venue:
    district = Area.objects.filter(level=Area.Level.DISTRICT).first() or Area.objects.create(
        name="基准区", level=Area.Level.DISTRICT
    )
    venue = Venue.objects.create(
        name=f"基准妇女之家 {tag}",
        kind=Venue.Kind.COMMUNITY,
        area=district,
        address="幸福路 88 号, 3 楼",
        latitude="31.230416",
        longitude="121.473701",
    )
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    rows = []
    for n in range(activities):
        start = now + timedelta(days=1 + n % 7, hours=n % 9)
        rows.append(
            Activity(
                venue=venue,
                kind=Activity.Kind.CLASS,
                title=f"七点钟学堂：亲子阅读, 第{n}期",
                title_en=f"Seven o'clock class #{n}",
                description="带上孩子\n欢迎新朋友, 也欢迎外籍妈妈",
                starts_at=start,
                ends_at=start + timedelta(hours=2),
                rrule=f"FREQ=WEEKLY;BYDAY={WEEKDAYS[start.weekday()]};COUNT=52",
                exdates=[(start + timedelta(weeks=3)).date().isoformat()],
            )
        )
    created = Activity.objects.bulk_create(rows)
    ActivityRole.objects.bulk_create(
        ActivityRole(activity=a, needed=3, label="Helper") for a in created
    )
    slots_generate(activities=created)
    # Some occurrences moved and some cancelled, as hosts do: they become override entries.
    slots = list(Slot.objects.filter(activity__venue=venue).order_by("id"))
    changed = []
    for i, slot in enumerate(slots):
        if i % 10 == 3:
            slot.starts_at += timedelta(hours=1)
            slot.ends_at += timedelta(hours=1)
            slot.detached = True
            slot.sequence += 1
            changed.append(slot)
        elif i % 20 == 7:
            slot.status = Slot.Status.CANCELLED
            slot.sequence += 1
            changed.append(slot)
    Slot.objects.bulk_update(changed, ["starts_at", "ends_at", "detached", "status", "sequence"])
    return venue


def make_volunteer(tag: str, venue: Venue, shifts: int) -> User:
    user = User.objects.create_user(email=f"bench-{tag}@bench.invalid", name=f"李娜 {tag}")
    profile = VolunteerProfile.objects.create(user=user)
    roles = list(
        SlotRole.objects.filter(slot__activity__venue=venue, slot__status=Slot.Status.SCHEDULED)
        .order_by("slot_id")
        .values_list("id", "slot_id")[:shifts]
    )
    if len(roles) < shifts:
        raise SystemExit(f"only {len(roles)} slots to sign up for, {shifts} wanted")
    Assignment.objects.bulk_create(
        Assignment(role_id=role, slot_id=slot, volunteer=profile, status="confirmed")
        for role, slot in roles
    )
    return user


class QueryCounter:
    """Counts the SQL statements run (Django clears its own query log at each request)."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def queries_of(client: Client, url: str, **headers) -> int:
    counter = QueryCounter()
    with connection.execute_wrapper(counter):
        client.get(url, **headers)
    return counter.count


def measure(client: Client, url: str, requests: int) -> dict:
    started = time.perf_counter()
    first = client.get(url)
    cold = time.perf_counter() - started
    assert first.status_code == 200, first.status_code
    queries = queries_of(client, url)
    times = []
    for _ in range(requests):
        started = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - started)
        assert response.content == first.content, "the feed changed between requests"
    not_modified = []
    queries_304 = queries_of(client, url, HTTP_IF_NONE_MATCH=first["ETag"])
    for _ in range(requests):
        started = time.perf_counter()
        response = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
        not_modified.append(time.perf_counter() - started)
        assert response.status_code == 304
    return {
        "events": first.content.count(b"BEGIN:VEVENT"),
        "bytes": len(first.content),
        "cold_ms": cold * 1000,
        "median_ms": statistics.median(times) * 1000,
        "queries": queries,
        "median_304_ms": statistics.median(not_modified) * 1000,
        "queries_304": queries_304,
    }


def report(label: str, figures: dict) -> None:
    print(
        f"{label:<34} {figures['events']:>4} VEVENTs {figures['bytes'] / 1024:>4.0f} KiB  "
        f"first: {figures['cold_ms']:>5.0f} ms  "
        f"200: {figures['median_ms']:>5.1f} ms, {figures['queries']} queries  "
        f"304: {figures['median_304_ms']:>5.1f} ms, {figures['queries_304']} queries"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--seed-volunteers", type=int, default=0)
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    if args.seed_volunteers:
        if "seed_demo" in get_commands():
            started = time.perf_counter()
            call_command(
                "seed_demo", volunteers=args.seed_volunteers, verbosity=0, stdout=io.StringIO()
            )
            print(
                f"seed_demo --volunteers {args.seed_volunteers}: "
                f"{time.perf_counter() - started:.1f} s"
            )
        else:
            print("seed_demo is not available: measuring without the demo data")
    print(f"database: {connection.vendor}; requests per figure: {args.requests}")
    print(f"rows in the database: {User.objects.count()} users, {Slot.objects.count()} slots")

    client = Client()
    with transaction.atomic():
        big_venue = make_venue("big", 200)
        small_venue = make_venue("small", 20)
        big = make_volunteer("big", big_venue, 500)
        bigger = make_volunteer("bigger", big_venue, 1000)
        small = make_volunteer("small", small_venue, 50)
        rows = [
            ("personal feed, 50 shifts", reverse("calendar_feed", args=[small.calendar_token])),
            ("personal feed, 500 shifts", reverse("calendar_feed", args=[big.calendar_token])),
            ("personal feed, 1000 shifts", reverse("calendar_feed", args=[bigger.calendar_token])),
            ("venue feed, 20 weekly activities", reverse("calendar_venue", args=[small_venue.pk])),
            ("venue feed, 200 weekly activities", reverse("calendar_venue", args=[big_venue.pk])),
        ]
        demo = User.objects.filter(email="volunteer1@demo.invalid").first()
        if demo is not None:
            rows.append(
                ("demo volunteer1's feed", reverse("calendar_feed", args=[demo.calendar_token]))
            )
        busiest = (
            Venue.objects.exclude(pk__in=[big_venue.pk, small_venue.pk])
            .annotate(n=Count("activities"))
            .order_by("-n")
            .first()
        )
        if busiest is not None:
            rows.append(
                (
                    f"demo venue feed ({busiest.n} activities)",
                    reverse("calendar_venue", args=[busiest.pk]),
                )
            )
        for label, url in rows:
            report(label, measure(client, url, args.requests))
        transaction.set_rollback(True)


if __name__ == "__main__":
    main()
