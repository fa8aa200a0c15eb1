"""The admin's slot and assignment lists: time and SQL queries per page. Prints figures.

    DATABASE_URL=postgres://… .venv/bin/python bench/admin_lists.py [--repeat 7]

Run it on a database loaded with ``manage.py seed_demo --volunteers 20000`` (it does not load
one itself). A superuser (created if there is none, without a second factor: this measures the
lists, not the sign-in) opens each list ``--repeat`` times through Django's full stack in this
process; the median wall and CPU milliseconds and the query count are printed per list.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PAGES = {
    "slots": "/admin/activities/slot/",
    "slot roles": "/admin/activities/slotrole/",
    "assignments": "/admin/activities/assignment/",
    "assignments, searched": "/admin/activities/assignment/?q=volunteer1",
    "assignments, page 2": "/admin/activities/assignment/?p=2",
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    env = os.environ
    env.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    env.setdefault("SECRET_KEY", "bench-only-secret-key")
    env.setdefault("SMS_BACKEND", "locmem")
    env.setdefault("LOG_LEVEL", "WARNING")
    env.setdefault("ALLOWED_HOSTS", "testserver")
    env["SECOND_FACTOR_REQUIRED"] = "no"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection
    from django.test import Client, override_settings

    from accounts.models import User

    admin = User.objects.filter(is_superuser=True).order_by("pk").first()
    if admin is None:
        admin = User.objects.create(
            email="admin@bench.invalid", name="Admin", is_staff=True, is_superuser=True
        )
    # The hashed static files exist only after collectstatic: plain storage, as in development.
    override_settings(
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
    ).enable()
    client = Client()
    client.force_login(admin)
    print(f"{connection.vendor}, medians of {args.repeat}:")
    for name, url in PAGES.items():
        client.get(url)  # the first opening loads templates and URLs
        walls, cpus, counts = [], [], []
        for _ in range(args.repeat):
            queries = 0

            def count(execute, sql, params, many, context):
                nonlocal queries
                queries += 1
                return execute(sql, params, many, context)

            with connection.execute_wrapper(count):
                wall, cpu = time.perf_counter(), time.process_time()
                response = client.get(url)
                walls.append((time.perf_counter() - wall) * 1000)
                cpus.append((time.process_time() - cpu) * 1000)
            assert response.status_code == 200, (url, response.status_code)
            counts.append(queries)
        print(
            f"  {name:<24} {statistics.median(walls):7.0f} ms  "
            f"({statistics.median(cpus):5.0f} ms CPU)  {max(counts):3d} queries"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
