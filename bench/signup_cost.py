"""The server's cost of one sign-up: SQL queries and CPU milliseconds per request. Prints figures.

    .venv/bin/python bench/signup_cost.py [--repeat 40] [--db /tmp/bench_signup_cost.sqlite3]

With ``DATABASE_URL`` set (PostgreSQL) it uses that database, which it flushes first; otherwise a
fresh SQLite file. One volunteer (signed in through her session, with a phone and an email, so a
sign-up writes its text and its invitation) signs up for ``--repeat`` free shifts through the
page (the form's POST, no htmx), then as many through the API, then cancels them through the API.
Each request runs in this process through Django's full stack (middleware, session, the view);
CPU is this process's own time (``time.process_time``), medians printed. With
``CELERY_BROKER_URL`` the text and the invitation are queued to the broker, as in production.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from bench_database import bench_database  # noqa: E402


def measure(call, *, connection) -> tuple[int, float, object]:
    queries = 0

    def count(execute, sql, params, many, context):
        nonlocal queries
        queries += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        cpu = time.process_time()
        response = call()
        cpu = time.process_time() - cpu
    return queries, cpu * 1000, response


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=40)
    parser.add_argument("--db", default="/tmp/bench_signup_cost.sqlite3")
    args = parser.parse_args()

    bench_database(
        args.db,
        LOG_LEVEL="WARNING",
        ALLOWED_HOSTS="testserver,127.0.0.1,localhost",
    )
    from django.db import connection
    from django.test import Client
    from publish import load

    from activities.models import Assignment, SlotRole
    from volunteers.models import VolunteerProfile

    n = args.repeat
    # One shift a day, so that her weekly hours stay under her cap.
    run, _coordinator = load(proposals=3 * n + 2, slots=3 * n + 2, people=1, tag="bench", per_day=1)
    volunteer = VolunteerProfile.objects.get(user__email__endswith="@bench.invalid")
    run.delete()
    slots = list(
        SlotRole.objects.filter(slot__activity__venue__area__name_en="bench")
        .order_by("slot__starts_at")
        .values_list("slot_id", flat=True)
    )
    client = Client()
    client.force_login(volunteer.user)
    # One of each first: what a running worker has loaded already is not counted.
    client.post(f"/shifts/{slots.pop()}/signup/")
    client.post(f"/api/v1/slots/{slots.pop()}/signup/", {}, content_type="application/json")

    figures: dict[str, list[tuple[int, float]]] = {"page": [], "api": [], "cancel": []}
    for _ in range(n):
        q, ms, response = measure(
            lambda: client.post(f"/shifts/{slots.pop(0)}/signup/"), connection=connection
        )
        assert response.status_code == 302, response.status_code
        figures["page"].append((q, ms))
    for _ in range(n):
        q, ms, response = measure(
            lambda: client.post(
                f"/api/v1/slots/{slots.pop(0)}/signup/", {}, content_type="application/json"
            ),
            connection=connection,
        )
        assert response.status_code == 201, response.content
        figures["api"].append((q, ms))
    for pk in list(
        Assignment.objects.filter(volunteer=volunteer, status="confirmed").values_list(
            "pk", flat=True
        )
    )[:n]:
        q, ms, response = measure(
            lambda pk=pk: client.post(f"/api/v1/assignments/{pk}/cancel/"),
            connection=connection,
        )
        assert response.status_code == 200, response.content
        figures["cancel"].append((q, ms))
    print(
        f"{connection.vendor}, {n} requests each, medians"
        f" (load average {os.getloadavg()[0]:.2f}: CPU time grows on a busy machine):"
    )
    for name, rows in figures.items():
        queries = statistics.median(q for q, _ms in rows)
        cpu = statistics.median(ms for _q, ms in rows)
        label = {"page": "sign-up (page)", "api": "sign-up (API)", "cancel": "cancel (API)"}
        print(f"  {label[name]:<16} {queries:4.0f} queries  {cpu:6.1f} ms CPU")
    return 0


if __name__ == "__main__":
    sys.exit(main())
