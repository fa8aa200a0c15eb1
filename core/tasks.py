"""Queue Celery tasks only once the surrounding transaction has committed.

Tasks are named (``@shared_task(name="app.task")``) and queued by that name: a service asks
for the task that will call it back without importing the module that imports it, so tasks
sit above services in every app and nothing goes round in a circle.

Handing a task over can fail after the change has committed: the broker is down or slow
(publishing gives up after the short timeouts in ``config.settings``), or, without a broker,
the task itself raises in this process. The callback is registered ``robust``: Django logs the
error and the request answers as the committed change deserves. What the task was to do is
described by a committed row (an outbox message, a run), which a periodic sweep picks up.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from celery import current_app, shared_task
from django.db import transaction

logger = logging.getLogger(__name__)


def task_get(name: str):
    """The task registered as ``name`` (each app's ``ready()`` imports its tasks module)."""
    return current_app.tasks[name]


def enqueue_on_commit(
    name: str,
    *args: Any,
    eta: datetime | None = None,
    on_error: Callable[[Exception], None] | None = None,
    **kwargs: Any,
) -> None:
    """Send task ``name`` after commit, so that a worker never reads rows that are not there
    yet. Without a broker (the embedded default) the task runs in this process at that moment.

    ``on_error`` is told when the task could not be handed over (or, in-process, raised), so
    that the row describing the work can say so; the error is logged either way and never
    reaches the request.
    """

    # A function, not a ``functools.partial``: Django names the callback in the log of a robust
    # failure by its ``__qualname__``, which a partial lacks.
    def hand_over() -> None:
        try:
            task_get(name).apply_async(args, kwargs, eta=eta)
        except Exception as exc:
            if on_error is not None:
                on_error(exc)
            raise

    hand_over.__qualname__ = f"hand_over({name})"
    transaction.on_commit(hand_over, robust=True)


def enqueue_many_on_commit(
    name: str,
    calls: list[tuple[tuple, dict]],
    *,
    eta: datetime | None = None,
    on_error: Callable[[Exception], None] | None = None,
) -> None:
    """Send task ``name`` once per ``(args, kwargs)`` after commit, handed to the broker as one
    message: a worker fans it out (``core.fan_out``) into one task per call, each with its own
    retries. A batch of hundreds costs the request one round trip to the broker, not hundreds.
    Robust as ``enqueue_on_commit``: a batch that cannot be handed over is left to the sweeps."""
    if not calls:
        return
    payload = [[list(args), kwargs] for args, kwargs in calls]

    def hand_over() -> None:
        try:
            task_get(FAN_OUT).apply_async(
                [name, payload], {"eta": eta.isoformat() if eta else None}
            )
        except Exception as exc:
            if on_error is not None:
                on_error(exc)
            raise

    hand_over.__qualname__ = f"hand_over_many({name})"
    transaction.on_commit(hand_over, robust=True)


FAN_OUT = "core.fan_out"


@shared_task(name=FAN_OUT)
def fan_out(name: str, calls: list, eta: str | None = None) -> int:
    """Queue each of ``calls`` as its own task ``name`` (see ``enqueue_many_on_commit``)."""
    task = task_get(name)
    when = datetime.fromisoformat(eta) if eta else None
    for args, kwargs in calls:
        task.apply_async(args, kwargs, eta=when)
    return len(calls)


def enqueue_each(
    name: str,
    ids: Iterable[int],
    *,
    what: str,
    on_error: Callable[[int, Exception], None] | None = None,
) -> int:
    """A sweep's second try: hand task ``name`` each of ``ids`` now. One the broker still
    refuses is logged (and told to ``on_error``) and left for the next sweep; it does not hold
    back the others. Returns how many were handed over."""
    task = task_get(name)
    count = 0
    for pk in list(ids):
        try:
            task.delay(pk)
        except Exception as exc:  # the broker is still down: the next sweep tries again
            logger.exception("%s %s could not be handed over", what, pk)
            if on_error is not None:
                on_error(pk, exc)
            continue
        count += 1
    return count
