"""Run by test_signup_sqlite_race in a separate process: concurrent sign-ups on a SQLite file
(the embedded default), each thread on its own connection. Prints the counts as JSON."""

from __future__ import annotations

import json
import os
import sys
import threading
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def main() -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    from activities.models import Assignment
    from activities.services.signup import slot_sign_up
    from core.errors import DomainError
    from tests.world import local, make_slot, make_volunteer

    slot, role = make_slot(needed=5)
    people = [make_volunteer() for _ in range(24)]
    one = make_volunteer()
    overlapping = [
        make_slot(starts_at=local(5, 10) + timedelta(minutes=5 * i))[0] for i in range(6)
    ]
    calls = [lambda v=v: slot_sign_up(volunteer=v, slot=slot) for v in people]
    calls += [lambda s=s: slot_sign_up(volunteer=one, slot=s) for s in overlapping]
    barrier = threading.Barrier(len(calls))
    codes: list[str] = []
    lock = threading.Lock()

    def run(call):
        try:
            barrier.wait(20)
            call()
        except DomainError as exc:
            with lock:
                codes.append(exc.code)
        except Exception as exc:  # noqa: BLE001 - reported to the test as it is
            with lock:
                codes.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(c,)) for c in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    print(
        json.dumps(
            {
                "mode": connection.settings_dict["OPTIONS"].get("transaction_mode"),
                "confirmed": Assignment.objects.filter(role=role, status="confirmed").count(),
                "waitlisted": Assignment.objects.filter(role=role, status="waitlisted").count(),
                "one_confirmed": Assignment.objects.filter(
                    volunteer=one, status="confirmed"
                ).count(),
                "codes": sorted(codes),
            }
        )
    )


if __name__ == "__main__":
    main()
