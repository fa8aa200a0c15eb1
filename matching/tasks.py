"""The matcher's Celery tasks: an id in, the run re-read, one service called.

Services queue these by name after commit (``core.tasks.enqueue_on_commit``).
"""

from __future__ import annotations

from celery import shared_task

from .services.publishing import run_publish_execute
from .services.runs import run_execute, runs_requeue


@shared_task(name="matching.run_execute", acks_late=True)
def match_run_execute(run_id: int) -> str | None:
    """Solve a queued run. Progress and failures are written on the run row itself."""
    run = run_execute(run_id=run_id)
    return None if run is None else run.status


@shared_task(name="matching.run_publish", acks_late=True)
def match_run_publish(run_id: int) -> str | None:
    """Confirm a run's proposals. The outcome is written on the run and its proposals."""
    run = run_publish_execute(run_id=run_id)
    return None if run is None else run.status


@shared_task(name="matching.runs_requeue")
def match_runs_requeue() -> int:
    """Every minute (beat): runs whose task never reached a worker are handed over again."""
    return runs_requeue()
