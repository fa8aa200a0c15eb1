"""Queue Celery tasks only once the surrounding transaction has committed.

Tasks are named (``@shared_task(name="app.task")``) and queued by that name: a service asks
for the task that will call it back without importing the module that imports it, so tasks
sit above services in every app and nothing goes round in a circle.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from celery import current_app, shared_task
from django.db import transaction


def task_get(name: str):
    """The task registered as ``name`` (each app's ``ready()`` imports its tasks module)."""
    return current_app.tasks[name]


def enqueue_on_commit(name: str, *args: Any, eta: datetime | None = None, **kwargs: Any) -> None:
    """Send task ``name`` after commit, so that a worker never reads rows that are not there
    yet. Without a broker (the embedded default) the task runs in this process at that moment.
    """
    transaction.on_commit(lambda: task_get(name).apply_async(args, kwargs, eta=eta))


def enqueue_many_on_commit(
    name: str, calls: list[tuple[tuple, dict]], *, eta: datetime | None = None
) -> None:
    """Send task ``name`` once per ``(args, kwargs)`` after commit, handed to the broker as one
    message: a worker fans it out (``core.fan_out``) into one task per call, each with its own
    retries. A batch of hundreds costs the request one round trip to the broker, not hundreds."""
    if not calls:
        return
    payload = [[list(args), kwargs] for args, kwargs in calls]
    transaction.on_commit(
        lambda: task_get(FAN_OUT).apply_async(
            [name, payload], {"eta": eta.isoformat() if eta else None}
        )
    )


FAN_OUT = "core.fan_out"


@shared_task(name=FAN_OUT)
def fan_out(name: str, calls: list, eta: str | None = None) -> int:
    """Queue each of ``calls`` as its own task ``name`` (see ``enqueue_many_on_commit``)."""
    task = task_get(name)
    when = datetime.fromisoformat(eta) if eta else None
    for args, kwargs in calls:
        task.apply_async(args, kwargs, eta=when)
    return len(calls)
