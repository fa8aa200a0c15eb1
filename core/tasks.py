"""Queue Celery tasks only once the surrounding transaction has committed.

Tasks are named (``@shared_task(name="app.task")``) and queued by that name: a service asks
for the task that will call it back without importing the module that imports it, so tasks
sit above services in every app and nothing goes round in a circle.

Handing a task over can fail after the change has committed: the broker is down or slow
(publishing gives up after the short timeouts in ``config.settings``), or, without a broker,
the task itself raises in this process. The callback is registered ``robust``: Django logs the
error and the request answers as the committed change deserves. What the task was to do is
described by a committed row (an outbox message, a run), which a periodic sweep picks up.

Inside ``hand_overs_together()`` the tasks queued are handed over together after commit, in one
message to the broker that a worker fans out: a sign-up's text and its invitation cost the
request one round trip to the broker instead of two.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
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
    if _together(name, [(args, kwargs)], eta, on_error):
        return

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
    if not calls or _together(name, calls, eta, on_error):
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


@shared_task(name=FAN_OUT, ignore_result=True)
def fan_out(name: str, calls: list, eta: str | None = None) -> int:
    """Queue each of ``calls`` as its own task ``name`` (see ``enqueue_many_on_commit``)."""
    return fan_out_each([[name, args, kwargs, eta] for args, kwargs in calls])


@dataclass
class _Queued:
    """Calls of one task queued inside ``hand_overs_together``; ``committed`` once the
    savepoint they were queued in has committed with the transaction."""

    name: str
    calls: list[tuple[tuple, dict]]
    eta: datetime | None
    on_error: Callable[[Exception], None] | None
    committed: bool = False


# The tasks queued inside the current ``hand_overs_together`` block, or None outside one.
_batch: ContextVar[list[_Queued] | None] = ContextVar("hand_overs_batch", default=None)


@contextmanager
def hand_overs_together() -> Iterator[None]:
    """Hand the tasks queued inside the block to the broker together, after commit: one message
    that a worker fans out (``core.fan_out_each``) into the tasks, each with its own retries.
    Each still goes only if the savepoint it was queued in committed, and a batch that cannot be
    handed over tells every ``on_error``, as ``enqueue_on_commit`` does. Without a broker (tasks
    in-process) nothing changes. Blocks nest: the outermost hands everything over."""
    if _batch.get() is not None:
        yield
        return
    batch: list[_Queued] = []
    token = _batch.set(batch)
    try:
        yield
    finally:
        _batch.reset(token)
        if batch:
            # Registered after every task's own mark (below), so it runs after them and sees
            # which committed; a rollback that drops them all drops it too.
            hand_over = _hand_over_batch(batch)
            transaction.on_commit(hand_over, robust=True)


def _together(
    name: str,
    calls: list[tuple[tuple, dict]],
    eta: datetime | None,
    on_error: Callable[[Exception], None] | None,
) -> bool:
    """Queue ``calls`` in the current ``hand_overs_together`` batch, if there is one and a
    broker to hand them to; False otherwise (the caller hands them over itself)."""
    batch = _batch.get()
    if batch is None or current_app.conf.task_always_eager:
        return False
    queued = _Queued(name, list(calls), eta, on_error)
    batch.append(queued)

    def mark() -> None:
        queued.committed = True

    # Dropped with its savepoint when that rolls back: then the calls do not go.
    transaction.on_commit(mark)
    return True


def _hand_over_batch(batch: list[_Queued]) -> Callable[[], None]:
    """The after-commit callback of a ``hand_overs_together`` block: one message for all the
    calls that committed (a lone call goes as itself)."""

    def hand_over() -> None:
        due = [queued for queued in batch if queued.committed]
        calls = [
            (queued.name, args, kwargs, queued.eta)
            for queued in due
            for args, kwargs in queued.calls
        ]
        if not calls:
            return
        try:
            if len(calls) == 1:
                name, args, kwargs, eta = calls[0]
                task_get(name).apply_async(args, kwargs, eta=eta)
            else:
                task_get(FAN_OUT_EACH).apply_async(
                    [
                        [
                            [name, list(args), kwargs, eta.isoformat() if eta else None]
                            for name, args, kwargs, eta in calls
                        ]
                    ]
                )
        except Exception as exc:
            for queued in due:
                if queued.on_error is not None:
                    queued.on_error(exc)
            raise

    hand_over.__qualname__ = f"hand_over_together({', '.join(sorted({q.name for q in batch}))})"
    return hand_over


FAN_OUT_EACH = "core.fan_out_each"


@shared_task(name=FAN_OUT_EACH, ignore_result=True)
def fan_out_each(calls: list) -> int:
    """Queue each ``[name, args, kwargs, eta]`` of ``calls`` as its own task (see
    ``hand_overs_together``)."""
    for name, args, kwargs, eta in calls:
        task_get(name).apply_async(args, kwargs, eta=datetime.fromisoformat(eta) if eta else None)
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
