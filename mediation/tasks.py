"""Mediation's Celery tasks: thin, ids in, one service each, safe to run twice."""

from __future__ import annotations

from celery import shared_task

from .services import followups, retention, runs


@shared_task(name="mediation.tasks.mediation_run_execute", acks_late=True)
def mediation_run_execute(run_id: int) -> str:
    run = runs.run_execute(run_id=run_id)
    return run.status if run else "skipped"


@shared_task(name="mediation.tasks.follow_ups_remind")
def follow_ups_remind() -> int:
    return followups.follow_ups_remind()


@shared_task(name="mediation.tasks.retention_erase")
def retention_erase() -> int:
    return retention.retention_erase()


@shared_task(name="mediation.tasks.runs_requeue")
def runs_requeue() -> int:
    """Every minute (beat): runs whose task never reached a worker are handed over again."""
    return runs.runs_requeue()
