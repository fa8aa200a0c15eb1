"""Queue Celery tasks only once the surrounding transaction has committed.

Tasks are named (``@shared_task(name="app.task")``) and queued by that name: a service asks
for the task that will call it back without importing the module that imports it, so tasks
sit above services in every app and nothing goes round in a circle.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from celery import current_app
from django.db import transaction


def task_get(name: str):
    """The task registered as ``name`` (each app's ``ready()`` imports its tasks module)."""
    return current_app.tasks[name]


def enqueue_on_commit(name: str, *args: Any, eta: datetime | None = None, **kwargs: Any) -> None:
    """Send task ``name`` after commit, so that a worker never reads rows that are not there
    yet. Without a broker (the embedded default) the task runs in this process at that moment.
    """
    transaction.on_commit(lambda: task_get(name).apply_async(args, kwargs, eta=eta))
