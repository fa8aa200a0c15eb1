"""Sign-up under load, on PostgreSQL behind gunicorn (4 workers). Prints figures; not a test.

    .venv/bin/python bench/signup_race.py [--volunteers 20000] [--clients 20] [--fresh]

1. Prepares ``bench_signup`` (created if missing, migrated), loads ``seed_demo --volunteers N``
   (or, where that command does not exist, N plain volunteers), then its own bench volunteers
   with API tokens, one slot with 20 seats and 500 slots with 4 seats each.
2. Starts gunicorn with 4 workers on a free port on 127.0.0.1.
3. 200 volunteers press "sign up" for the 20-seat slot at the same moment: confirmed vs seats.
4. 2,000 sign-ups spread over the 500 slots from ``--clients`` concurrent clients: latency
   p50/p95/p99 and requests per second.
5. The SQL query count of "shifts for me" (page and API) at page sizes 10 and 100.

Sign-up notices are queued to Redis (``CELERY_BROKER_URL``) as in the scaled-out setup; no
worker consumes them during the run.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DB_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench_signup")
BROKER = os.environ.get("BENCH_BROKER_URL", "redis://127.0.0.1:6379/14")
os.environ["DATABASE_URL"] = DB_URL
os.environ["CELERY_BROKER_URL"] = BROKER
os.environ.setdefault("SMS_BACKEND", "locmem")
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("LOG_LEVEL", "WARNING")

BENCH_TAG = "BENCH signup_race"
PLAIN_STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}


def ensure_database(*, fresh: bool) -> None:
    import psycopg

    base, name = DB_URL.rsplit("/", 1)
    with psycopg.connect(base + "/postgres", autocommit=True) as conn:
        if fresh:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def load_volunteers(n: int) -> None:
    from django.core.management import call_command, get_commands

    from volunteers.models import VolunteerProfile

    have = VolunteerProfile.objects.exclude(user__email__endswith="@bench.invalid").count()
    if have >= n:
        print(f"volunteers already loaded: {have}")
        return
    started = time.perf_counter()
    if "seed_demo" in get_commands():
        call_command("seed_demo", volunteers=n, verbosity=0)
        how = "seed_demo"
    else:
        plain_volunteers(n - have, prefix="load", domain="demo.invalid")
        how = "plain volunteers (seed_demo not available)"
    print(f"loaded {n} volunteers with {how} in {time.perf_counter() - started:.1f} s")


def plain_volunteers(n: int, *, prefix: str, domain: str, phone_base: int = 17000000000):
    from accounts.models import User
    from volunteers.models import VolunteerProfile

    users = User.objects.bulk_create(
        [User(email=f"{prefix}{i}@{domain}", name=f"{prefix} {i}", password="!") for i in range(n)],
        batch_size=2000,
        ignore_conflicts=True,
    )
    users = list(User.objects.filter(email__endswith=f"@{domain}", email__startswith=prefix))
    existing = set(VolunteerProfile.objects.filter(user__in=users).values_list("user", flat=True))
    VolunteerProfile.objects.bulk_create(
        [
            VolunteerProfile(
                user=u,
                phone=f"+86{phone_base + u.pk}",
                languages=["zh"],
                max_hours_per_week=60,
            )
            for u in users
            if u.pk not in existing
        ],
        batch_size=2000,
    )
    return users


def prepare(n_bench_volunteers: int):
    """Bench volunteers with tokens, and fresh bench slots (previous bench runs removed)."""
    from django.utils import timezone

    from accounts.models import ApiToken
    from accounts.services import api_token_create
    from activities.models import Activity, Slot, SlotRole
    from venues.models import Area, Venue
    from volunteers.models import VolunteerProfile

    Activity.objects.filter(title=BENCH_TAG).delete()
    users = plain_volunteers(n_bench_volunteers, prefix="bench", domain="bench.invalid")
    # Tokens are stored as digests: fresh ones each run, the run's own shown once here.
    ApiToken.objects.filter(user__in=users).delete()
    tokens = {u.pk: api_token_create(user=u)[1] for u in users}
    volunteers = list(VolunteerProfile.objects.filter(user__in=users).order_by("pk"))
    VolunteerProfile.objects.filter(pk__in=[v.pk for v in volunteers]).update(max_hours_per_week=60)

    district = Area.objects.filter(level="district").first() or Area.objects.create(
        name="基准区", level="district"
    )
    venue = Venue.objects.filter(is_active=True).first() or Venue.objects.create(
        name="基准场地", kind="community", area=district, address="基准路1号"
    )
    start = (timezone.now() + timedelta(days=3)).replace(minute=0, second=0, microsecond=0)

    def activity(offset_hours: int) -> Activity:
        begins = start + timedelta(hours=offset_hours)
        return Activity.objects.create(
            venue=venue,
            kind="class",
            title=BENCH_TAG,
            starts_at=begins,
            ends_at=begins + timedelta(hours=1),
        )

    race_activity = activity(0)
    race_slot = Slot.objects.create(
        activity=race_activity,
        starts_at=race_activity.starts_at,
        ends_at=race_activity.ends_at,
        original_start=race_activity.starts_at,
    )
    race_role = SlotRole.objects.create(slot=race_slot, needed=20)
    spread = []
    spread_activity = activity(2)
    for i in range(500):
        begins = spread_activity.starts_at + timedelta(hours=i)
        slot = Slot.objects.create(
            activity=spread_activity,
            starts_at=begins,
            ends_at=begins + timedelta(hours=1),
            original_start=begins,
        )
        SlotRole.objects.create(slot=slot, needed=4)
        spread.append(slot)
    return volunteers, tokens, race_slot, race_role, spread


def start_server(port: int) -> subprocess.Popen:
    env = dict(os.environ, DEBUG="no")
    server = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "config.wsgi:application",
            "--workers",
            "4",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    import requests

    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            requests.get(f"http://127.0.0.1:{port}/api/v1/skills/", timeout=5)
            return server
        except requests.RequestException:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("gunicorn did not start: " + server.stderr.read().decode()[-2000:])


class Client:
    """One client's keep-alive HTTP connection (http.client: little CPU spent in the bench
    itself, which shares the machine with the server)."""

    def __init__(self, port: int):
        self.port = port
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def sign_up(self, token: str, slot_id: int) -> tuple[int, str, float]:
        began = time.perf_counter()
        headers = {"Authorization": f"Token {token}", "Content-Type": "application/json"}
        try:
            self.conn.request("POST", f"/api/v1/slots/{slot_id}/signup/", b"{}", headers)
            response = self.conn.getresponse()
            body = response.read()
        except (http.client.HTTPException, OSError):
            self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            return 0, "", time.perf_counter() - began
        elapsed = time.perf_counter() - began
        status = json.loads(body).get("status", "") if response.status == 201 else ""
        return response.status, status, elapsed


def race_phase(port, volunteers, tokens, race_slot, race_role) -> None:
    from activities.models import Assignment

    people = volunteers[:200]
    barrier = threading.Barrier(len(people))
    outcomes: list[tuple[int, str, float]] = []
    lock = threading.Lock()

    def run(volunteer):
        client = Client(port)
        barrier.wait(30)
        outcome = client.sign_up(tokens[volunteer.user_id], race_slot.pk)
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=run, args=(v,)) for v in people]
    began = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    took = time.perf_counter() - began
    confirmed = Assignment.objects.filter(role=race_role, status="confirmed").count()
    waitlisted = Assignment.objects.filter(role=race_role, status="waitlisted").count()
    codes: dict[int, int] = {}
    for code, _status, _t in outcomes:
        codes[code] = codes.get(code, 0) + 1
    verdict = "OK" if confirmed == race_role.needed else "OVERFILLED OR UNDERFILLED"
    print(f"\n[1] 200 volunteers at once for one slot with {race_role.needed} seats ({took:.2f} s)")
    print(f"    confirmed {confirmed} vs seats {race_role.needed}: {verdict}")
    print(f"    waitlisted {waitlisted}; HTTP status counts {codes}")


def spread_phase(port, volunteers, tokens, spread, clients: int) -> None:
    people = volunteers[200:2200]
    rng = random.Random(7)
    jobs = [(v, rng.choice(spread).pk) for v in people]
    latencies: list[float] = []
    codes: dict[int, int] = {}
    statuses: dict[str, int] = {}
    lock = threading.Lock()
    index = iter(range(len(jobs)))

    def client():
        connection = Client(port)
        while True:
            with lock:
                i = next(index, None)
            if i is None:
                return
            volunteer, slot_id = jobs[i]
            code, status, elapsed = connection.sign_up(tokens[volunteer.user_id], slot_id)
            with lock:
                latencies.append(elapsed)
                codes[code] = codes.get(code, 0) + 1
                statuses[status or "-"] = statuses.get(status or "-", 0) + 1

    threads = [threading.Thread(target=client) for _ in range(clients)]
    began = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    took = time.perf_counter() - began
    q = statistics.quantiles(latencies, n=100)
    print(f"\n[2] {len(jobs)} sign-ups over {len(spread)} slots, {clients} concurrent clients")
    print(f"    HTTP status counts {codes}; outcomes {statuses}")
    print(
        f"    latency p50 {q[49] * 1000:.1f} ms · p95 {q[94] * 1000:.1f} ms · "
        f"p99 {q[98] * 1000:.1f} ms · max {max(latencies) * 1000:.1f} ms"
    )
    goal = "met" if q[94] < 0.150 else "NOT met"
    print(f"    {len(jobs) / took:.0f} requests/s over {took:.1f} s (goal p95 < 150 ms: {goal})")


def query_counts(volunteers) -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    volunteer = volunteers[-1]
    client = Client()
    client.force_login(volunteer.user)
    print("\n[3] SQL queries of 'shifts for me' by page size")
    for label, url in (
        ("page /shifts/", "/shifts/?page_size={n}"),
        ("API /api/v1/slots/?fits_me=true", "/api/v1/slots/?fits_me=true&page_size={n}"),
    ):
        counts = []
        for n in (10, 100):
            # Pages are rendered in this process, which has no collected static manifest.
            with (
                override_settings(STORAGES=PLAIN_STORAGES),
                CaptureQueriesContext(connection) as ctx,
            ):
                response = client.get(url.format(n=n))
            assert response.status_code == 200, response.status_code
            counts.append(len(ctx.captured_queries))
        same = "same" if counts[0] == counts[1] else "DIFFERENT"
        print(f"    {label}: {counts[0]} queries at 10, {counts[1]} at 100 ({same})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--volunteers", type=int, default=20000)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument(
        "--fresh", action="store_true", help="drop the bench database and load it again"
    )
    args = parser.parse_args()

    ensure_database(fresh=args.fresh)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    load_volunteers(args.volunteers)
    volunteers, tokens, race_slot, race_role, spread = prepare(2200)
    print(f"bench data: {len(volunteers)} bench volunteers, 1 race slot, {len(spread)} slots")

    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"machine: {os.cpu_count()} CPUs, load average {load} (other work slows the figures)")
    port = free_port()
    server = start_server(port)
    try:
        race_phase(port, volunteers, tokens, race_slot, race_role)
        spread_phase(port, volunteers, tokens, spread, args.clients)
    finally:
        server.terminate()
        server.wait(10)
    query_counts(volunteers)


if __name__ == "__main__":
    main()
