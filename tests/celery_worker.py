"""A real Celery worker for integration tests: tasks go to Redis on a queue of the test's own,
and a worker subprocess (main settings, PostgreSQL) takes them."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.db import connection

from config.celery import app as celery_app

ROOT = Path(__file__).resolve().parent.parent


@contextmanager
def tasks_to_broker(settings, *, queue: str) -> Iterator[None]:
    """This process queues to Redis instead of running tasks in-process."""
    conf = celery_app.conf
    # Read what to restore before touching the settings: the first read of ``conf`` loads
    # them, and would otherwise save the changed value.
    saved = (conf.task_always_eager, conf.broker_url, conf.task_default_queue)
    settings.CELERY_TASK_ALWAYS_EAGER = False
    conf.task_always_eager = False
    conf.broker_url = os.environ["CELERY_BROKER_URL"]
    conf.task_default_queue = queue
    try:
        yield
    finally:
        conf.task_always_eager, conf.broker_url, conf.task_default_queue = saved
        # Not ``app.close()``: that deregisters the app, and shared tasks of modules imported
        # later would never be registered on it.


@contextmanager
def worker_running(
    *, queue: str, log_path: Path, env: dict[str, str], pool: list[str]
) -> Iterator[subprocess.Popen]:
    """A worker on ``queue`` against the test database, with ``env`` on top of ours."""
    db = connection.settings_dict
    full_env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        **env,
    }
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "-Q",
                queue,
                *pool,
                "--loglevel",
                "WARNING",
                "--without-heartbeat",
                "--without-mingle",
                "--without-gossip",
            ],
            cwd=ROOT,
            env=full_env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            yield process
        finally:
            process.terminate()
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
