"""For the tests that need the real services: their marks, and running calls at the same time."""

from __future__ import annotations

import os
import threading

import pytest
from django.db import connection

from core.errors import DomainError

_POSTGRES = os.environ.get("DATABASE_URL", "").startswith("postgres")
_REDIS = os.environ.get("CELERY_BROKER_URL", "").startswith("redis")

# On PostgreSQL, with transactions that really commit.
ON_POSTGRES = [
    pytest.mark.integration,
    pytest.mark.skipif(not _POSTGRES, reason="needs PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]
# The same, with Redis as the broker and a Celery worker.
WITH_WORKER = [
    pytest.mark.integration,
    pytest.mark.skipif(not (_POSTGRES and _REDIS), reason="needs PostgreSQL and Redis"),
    pytest.mark.django_db(transaction=True),
]


def race(calls, *, timeout: float = 120) -> tuple[list, list[DomainError], list[Exception]]:
    """Run the calls at once, one thread (and so one database connection) each. Returns the
    results, the refusals (a rule said no) and any other error (a deadlock would be one)."""
    barrier = threading.Barrier(len(calls))
    results, refusals, failures = [], [], []
    lock = threading.Lock()

    def run(call):
        try:
            barrier.wait(10)
            outcome = call()
            with lock:
                results.append(outcome)
        except DomainError as exc:
            with lock:
                refusals.append(exc)
        except Exception as exc:  # noqa: BLE001 -- reported to the test, which fails on it
            with lock:
                failures.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout)
    assert not any(t.is_alive() for t in threads), "a thread is still waiting for a lock"
    return results, refusals, failures
