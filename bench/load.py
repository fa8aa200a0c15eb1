"""Web and API under load against the framework's own ceiling. Prints figures; not a test.

    .venv/bin/python bench/load.py [--seconds 60] [--rounds 3] [--clients 20] [--workers 4] [--seed]

On PostgreSQL (``BENCH_DATABASE_URL``, default the ``volunteers_webperf_bench`` database),
loaded with ``manage.py seed_demo --volunteers 20000`` (``--seed`` loads it first), gunicorn
with ``--workers`` workers serves the site with ``BENCH_CEILING`` on. Then, one endpoint after
the other, ``--clients`` concurrent clients (threads, one keep-alive connection each) call it
for ``--seconds`` divided by the number of endpoints and by ``--rounds``, the whole sequence
repeated ``--rounds`` times:

* "shifts for me", the page (``/shifts/``) and the API (``/api/v1/slots/``), as volunteers
* a slot's page (``/shifts/<id>/``)
* a sign-up and its cancellation through the API (one pair counts as two requests)
* a volunteer's personal calendar feed (``/calendar/feed/<token>.ics``)
* the coordinator board (``/coordination/``), as the district's coordinator
* the ceiling: ``/api/v1/bench/ceiling/``, plain DRF listing the same rows with no logic

For each it prints requests per second, p50/p95/p99 latency, the ratio of its throughput to the
ceiling's (the median of the rounds' ratios, each against the ceiling of its own round, then
the lowest and highest: this machine's speed drifts within minutes, and a ratio between runs
minutes apart measures the drift as much as the code), the HTTP statuses, and the server's CPU
milliseconds per request, read from the workers' own accounting (``/proc/<pid>/stat``: user +
system time of every gunicorn worker, before and after each endpoint's run). Texts and
invitations are queued to Redis (``BENCH_BROKER_URL``); nobody consumes them during the run.
Second-factor enforcement is off (the coordinator has no authenticator in the demo).
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DB_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/volunteers_webperf_bench"
)
BROKER = os.environ.get("BENCH_BROKER_URL", "redis://127.0.0.1:6379/6")
SERVER_ENV = {
    "DATABASE_URL": DB_URL,
    "CELERY_BROKER_URL": BROKER,
    "REDIS_URL": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/3"),
    "SMS_BACKEND": "locmem",
    "SECRET_KEY": "bench-only-secret-key",
    "DJANGO_SETTINGS_MODULE": "config.settings",
    "LOG_LEVEL": "WARNING",
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "BENCH_CEILING": "yes",
    "SECOND_FACTOR_REQUIRED": "no",
    "SECURE_SSL_REDIRECT": "no",
    "SESSION_COOKIE_SECURE": "no",
    "CSRF_COOKIE_SECURE": "no",
}
os.environ.update(SERVER_ENV)
CLK_TCK = os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cpu_seconds(pids: list[int]) -> float:
    """User + system time of these processes, from the kernel's accounting of each."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14, 15)
    return total / CLK_TCK


def worker_pids(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return [int(pid) for pid in children]


def prepare(clients: int):
    """Volunteers with API tokens and session cookies, the coordinator's cookie, slots."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.utils import timezone

    from accounts.models import ApiToken, User
    from accounts.services import api_token_create
    from activities.models import SlotRole
    from activities.selectors.shifts import shifts_for_me

    def cookie(user) -> str:
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        return f"sessionid={session.session_key}"

    # Volunteers who fit at least one coming shift, so that their sign-ups are taken (a seat or
    # the waitlist, then cancelled: the cancelled rows stay, and she may sign up again).
    candidates = User.objects.filter(
        email__startswith="volunteer", email__endswith="@demo.invalid"
    ).select_related("volunteer")
    users, fits = [], {}
    for u in candidates.order_by("pk")[:3000].iterator():
        mine = [s.pk for s in shifts_for_me(volunteer=u.volunteer)[:50]]
        if mine:
            users.append(u)
            fits[u.pk] = mine
        if len(users) == clients:
            break
    ApiToken.objects.filter(user__in=users).delete()
    people = [
        {
            "token": api_token_create(user=u)[1],
            "cookie": cookie(u),
            "feed": u.calendar_token,
            "fits": fits[u.pk],
        }
        for u in users
    ]
    coordinator = User.objects.get(email="coordinator@demo.invalid")
    roles = list(
        SlotRole.objects.filter(
            skill__isnull=True,
            language="",
            slot__starts_at__gt=timezone.now(),
            slot__status="scheduled",
        ).values_list("slot_id", flat=True)[:200]
    )
    return people, cookie(coordinator), roles


class Connection:
    def __init__(self, port: int):
        self.port = port
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def call(self, method: str, path: str, headers: dict, body: str | None = None):
        for attempt in range(2):
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                data = response.read()
                return response.status, data
            except (http.client.HTTPException, ConnectionError, OSError):
                self.conn.close()
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
                if attempt:
                    raise
        raise AssertionError("unreachable")


def endpoints(people, coordinator_cookie, slots):
    """name -> a function (connection, person, rng) returning [(status, seconds)]."""
    import json

    def timed(conn, method, path, headers, body=None):
        began = time.perf_counter()
        status, data = conn.call(method, path, headers, body)
        return status, time.perf_counter() - began, data

    def page(path_of, *, coordinator=False):
        def run(conn, person, rng):
            cookie = coordinator_cookie if coordinator else person["cookie"]
            status, took, _data = timed(conn, "GET", path_of(person, rng), {"Cookie": cookie})
            return [(status, took)]

        return run

    def api(path):
        def run(conn, person, rng):
            headers = {"Authorization": f"Token {person['token']}"}
            status, took, _data = timed(conn, "GET", path, headers)
            return [(status, took)]

        return run

    def pair(conn, person, rng):
        headers = {"Authorization": f"Token {person['token']}", "Content-Type": "application/json"}
        slot = rng.choice(person["fits"])
        status, took, data = timed(conn, "POST", f"/api/v1/slots/{slot}/signup/", headers, "{}")
        out = [(status, took)]
        if status == 201:
            pk = json.loads(data)["id"]
            status, took, _data = timed(
                conn, "POST", f"/api/v1/assignments/{pk}/cancel/", headers, "{}"
            )
            out.append((status, took))
        return out

    return {
        "shifts for me (page)": page(lambda p, r: "/shifts/"),
        "shifts for me (API)": api("/api/v1/slots/"),
        "slot page": page(lambda p, r: f"/shifts/{r.choice(slots)}/"),
        "sign-up + cancel (API)": pair,
        "calendar feed": page(lambda p, r: f"/calendar/feed/{p['feed']}.ics"),
        "coordinator board": page(lambda p, r: "/coordination/", coordinator=True),
        "ceiling (bare DRF)": api("/api/v1/bench/ceiling/"),
    }


def hammer(
    port, run, people, seconds: float, round_: int = 0
) -> tuple[list[float], dict[int, int], float]:
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def client(i):
        conn = Connection(port)
        rng = random.Random(round_ * 1000 + i)
        person = people[i % len(people)]
        while time.perf_counter() < deadline:
            for status, took in run(conn, person, rng):
                with lock:
                    latencies.append(took)
                    statuses[status] = statuses.get(status, 0) + 1

    threads = [threading.Thread(target=client, args=(i,)) for i in range(len(people))]
    began = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return latencies, statuses, time.perf_counter() - began


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60, help="in all, shared by endpoints")
    parser.add_argument("--rounds", type=int, default=3, help="the endpoints in turn, this often")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--seed", action="store_true", help="migrate and seed_demo first")
    args = parser.parse_args()

    manage = [sys.executable, str(ROOT / "manage.py")]
    if args.seed:
        subprocess.run([*manage, "migrate", "--noinput", "-v0"], check=True, cwd=ROOT)
        subprocess.run([*manage, "seed_demo", "--volunteers", "20000"], check=True, cwd=ROOT)
    # The pages' hashed static files, as in production.
    subprocess.run([*manage, "collectstatic", "--noinput", "-v0"], check=True, cwd=ROOT)
    import django

    django.setup()
    people, coordinator_cookie, slots = prepare(args.clients)
    port = free_port()
    log = open(os.environ.get("BENCH_SERVER_LOG", "/tmp/bench_load_gunicorn.log"), "wb")  # noqa: SIM115
    server = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "config.wsgi",
            "--workers",
            str(args.workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--keep-alive",
            "30",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        stderr=log,
    )
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        else:
            raise SystemExit("gunicorn did not start")
        time.sleep(1)
        pids = worker_pids(server.pid)
        plan = endpoints(people, coordinator_cookie, slots)
        share = args.seconds / len(plan) / args.rounds
        # Every worker loads its code before anything is measured.
        hammer(port, plan["ceiling (bare DRF)"], people, 2)
        for run in plan.values():
            hammer(port, run, people[:4], 1)
        rounds = []  # per round: name -> (latencies, statuses, seconds, cpu seconds)
        for round_ in range(args.rounds):
            results = {}
            for name, run in plan.items():
                before = cpu_seconds(pids)
                latencies, statuses, took = hammer(port, run, people, share, round_)
                results[name] = (latencies, statuses, took, cpu_seconds(pids) - before)
            rounds.append(results)
        print(
            f"{args.clients} clients, {args.workers} gunicorn workers, {args.rounds} rounds of"
            f" {share:.1f} s per endpoint ({os.cpu_count()} CPUs on this machine, shared with the"
            f" clients and PostgreSQL; load average {os.getloadavg()[0]:.2f} at the end)"
        )
        print(
            f"  {'endpoint':<24} {'req/s':>7} {'×ceil':>6} {'range':>10} {'p50':>7} {'p95':>7}"
            f" {'p99':>7} {'CPU ms/req':>10}  statuses"
        )
        for name in plan:
            ratios = []
            for results in rounds:
                ceiling = results["ceiling (bare DRF)"]
                ratios.append(
                    (len(results[name][0]) / results[name][2]) / (len(ceiling[0]) / ceiling[2])
                )
            latencies = [t for results in rounds for t in results[name][0]]
            statuses: dict[int, int] = {}
            for results in rounds:
                for status, n in results[name][1].items():
                    statuses[status] = statuses.get(status, 0) + n
            took = sum(results[name][2] for results in rounds)
            cpu = sum(results[name][3] for results in rounds)
            rate = len(latencies) / took
            q = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [0] * 99
            spread = f"{min(ratios):.2f}-{max(ratios):.2f}"
            print(
                f"  {name:<24} {rate:7.1f} {statistics.median(ratios):6.2f} {spread:>10}"
                f" {q[49] * 1000:6.0f}ms {q[94] * 1000:6.0f}ms {q[98] * 1000:6.0f}ms"
                f" {cpu * 1000 / len(latencies):10.1f}  {dict(sorted(statuses.items()))}"
            )
    finally:
        server.terminate()
        server.wait(30)
        log.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
