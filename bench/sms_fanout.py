"""SMS fan-out: 10,000 reminders through Redis and two Celery workers to our fake Twilio.

    .venv/bin/python bench/sms_fanout.py [--messages 10000] [--workers 2] [--concurrency 8]

Needs PostgreSQL and Redis (``DATABASE_URL``, default a ``sms_bench`` database on the local
server, created and migrated if missing; ``CELERY_BROKER_URL``, default local Redis db 12).
The fake Twilio server runs in this process on loopback; the workers use the real twilio client.

Two runs, each printing what it measured:
1. all workers up: messages per second, and the fake server's count of messages per recipient
   (must be exactly one each);
2. the same, with one worker killed with SIGKILL halfway: lost texts (recipients who got
   nothing) and duplicates (recipients who got two), the latter split into those whose send
   was cut off mid-call by the kill and any others. Messages the dead worker held are picked up
   by the outbox sweep (what beat runs every minute; here every few seconds, with a short lease)
   and by Redis redelivering its unacknowledged tasks.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.fakes.twilio_server import FakeTwilio, FakeTwilioServer  # noqa: E402

QUEUE = "sms-bench"
LEASE_SECONDS = "5"


def _env(fake_url: str, fake: FakeTwilio) -> dict[str, str]:
    return {
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": os.environ.get(
            "DATABASE_URL", "postgres://postgres@127.0.0.1:5432/sms_bench"
        ),
        "CELERY_BROKER_URL": os.environ.get("CELERY_BROKER_URL", "redis://127.0.0.1:6379/12"),
        "CELERY_RESULT_BACKEND": "",
        "CELERY_VISIBILITY_TIMEOUT": "15",
        "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-only-secret-key"),
        "SMS_BACKEND": "twilio",
        "TWILIO_ACCOUNT_SID": fake.account_sid,
        "TWILIO_AUTH_TOKEN": fake.auth_token,
        "TWILIO_FROM_NUMBER": "+15005550006",
        "TWILIO_API_BASE_URL": fake_url,
        "TWILIO_TIMEOUT_SECONDS": "5",
        "SMS_LEASE_SECONDS": LEASE_SECONDS,
        "SMS_RETRY_BASE_SECONDS": "1",
        "PUBLIC_BASE_URL": "https://volunteers.example.org",
        "LOG_LEVEL": "WARNING",
    }


def _database_ensure(url: str) -> None:
    import dj_database_url
    import psycopg

    db = dj_database_url.parse(url)
    with psycopg.connect(
        host=db["HOST"],
        port=db["PORT"] or 5432,
        user=db["USER"],
        dbname="postgres",
        autocommit=True,
    ) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db["NAME"]])
        if exists.fetchone() is None:
            conn.execute(f'CREATE DATABASE "{db["NAME"]}"')


def _workers_start(count: int, concurrency: int, env: dict) -> list[subprocess.Popen]:
    workers = []
    for i in range(count):
        workers.append(
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "celery",
                    "-A",
                    "config",
                    "worker",
                    "-Q",
                    QUEUE,
                    "-n",
                    f"bench{i}@%h",
                    "--pool",
                    "threads",
                    "--concurrency",
                    str(concurrency),
                    "--loglevel",
                    "ERROR",
                    "--without-heartbeat",
                    "--without-mingle",
                    "--without-gossip",
                ],
                cwd=ROOT,
                env={**os.environ, **env},
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        )
    return workers


def _workers_stop(workers: list[subprocess.Popen]) -> None:
    for worker in workers:
        if worker.poll() is None:
            worker.terminate()
    for worker in workers:
        try:
            worker.wait(20)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()


def run(*, n: int, workers: int, concurrency: int, kill: bool, fake: FakeTwilio, env) -> None:
    from django.db import transaction

    from config.celery import app
    from notifications import services
    from notifications.models import Message
    from notifications.tasks import sms_send

    Message.objects.all().delete()
    with fake.lock:
        fake.messages.clear()
        fake.order.clear()
        fake.create_requests.clear()
    with app.connection_for_write() as conn:
        conn.default_channel.queue_purge(QUEUE)

    numbers = [f"+86137{i:08d}" for i in range(n)]
    with transaction.atomic():
        rows = Message.objects.bulk_create(
            Message(
                to=number,
                body=f"Reminder: Sewing class, Mon 30 Nov 09:00, Women's Home. Reply Y #{i}",
                kind="reminder",
                language="en",
                immediate=True,
                dedupe_key=f"bench:{i}",
            )
            for i, number in enumerate(numbers)
        )
    ids = [row.pk for row in rows]

    procs = _workers_start(workers, concurrency, env)
    time.sleep(4)  # workers connect to Redis and PostgreSQL
    start = time.monotonic()
    with app.producer_or_acquire() as producer:
        for pk in ids:
            sms_send.apply_async((pk,), producer=producer)
    published = time.monotonic() - start

    killed_sending: set[int] = set()
    killed = False
    last_sweep = time.monotonic()
    deadline = start + 600
    sent = 0
    while time.monotonic() < deadline:
        sent = Message.objects.filter(status=Message.Status.SENT).count()
        if sent >= n:
            break
        if kill and not killed and sent >= n // 2:
            os.kill(procs[0].pid, signal.SIGKILL)
            procs[0].wait()
            killed = True
            killed_at = sent
            # What the dead worker was in the middle of sending.
            killed_sending = set(
                Message.objects.filter(status=Message.Status.SENDING).values_list("pk", flat=True)
            )
        if killed and time.monotonic() - last_sweep > 3:
            services.outbox_dispatch()
            last_sweep = time.monotonic()
        time.sleep(0.2)
    elapsed = time.monotonic() - start
    _workers_stop(procs)

    per_recipient = fake.per_recipient()
    histogram = Counter(per_recipient.get(number, 0) for number in numbers)
    lost = histogram.get(0, 0)
    duplicated = [number for number in numbers if per_recipient.get(number, 0) > 1]
    cut_off_numbers = set(
        Message.objects.filter(pk__in=killed_sending).values_list("to", flat=True)
    )
    dup_cut = [x for x in duplicated if x in cut_off_numbers]
    statuses = Counter(Message.objects.values_list("status", flat=True))

    title = "with one worker killed (SIGKILL) halfway" if kill else "all workers up"
    print(f"\n== {n} reminders, {workers} workers x {concurrency} threads, {title} ==")
    print(f"published to Redis in {published:.1f} s")
    print(
        f"all sent in {elapsed:.1f} s: {sent / elapsed:.0f} messages/s"
        if sent >= n
        else f"NOT all sent after {elapsed:.0f} s: {sent} of {n}"
    )
    print(f"outbox statuses: {dict(statuses)}")
    print(
        "fake Twilio, messages per recipient: "
        + ", ".join(f"{k} → {v} recipients" for k, v in sorted(histogram.items()))
    )
    print(
        f"create requests at the fake: {sum(fake.create_requests.values())}, "
        f"messages it accepted: {len(fake.messages)}"
    )
    if kill:
        print(
            f"killed worker 1 after {killed_at} sent; it was mid-send on "
            f"{len(killed_sending)} messages"
        )
        retried = list(Message.objects.filter(attempts__gt=1).values_list("to", flat=True))
        found = sum(1 for number in retried if fake.create_requests[number] == 1)
        print(
            f"sent again after the kill: {len(retried)} "
            f"({found} of them found at the provider by lookup, not sent twice)"
        )
        print(f"lost: {lost}")
        print(
            f"duplicated: {len(duplicated)} "
            f"({len(dup_cut)} cut off mid-call by the kill, {len(duplicated) - len(dup_cut)} other)"
        )
    else:
        print(f"exactly one each: {'yes' if histogram == Counter({1: n}) else 'NO'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()

    with FakeTwilioServer() as server:
        env = _env(server.base_url, server.fake)
        os.environ.update(env)
        _database_ensure(env["DATABASE_URL"])
        import django

        django.setup()
        from django.core.management import call_command

        from config.celery import app

        app.conf.task_default_queue = QUEUE
        call_command("migrate", verbosity=0)
        for kill in (False, True):
            run(
                n=args.messages,
                workers=args.workers,
                concurrency=args.concurrency,
                kill=kill,
                fake=server.fake,
                env=env,
            )


if __name__ == "__main__":
    main()
