"""Celery tasks of activities. Thin: an id in (or nothing, for the beat), one service called.

Services queue these by name after commit (``core.tasks.enqueue_on_commit``); nothing here is
imported by them.
"""

from __future__ import annotations

from celery import shared_task

from .services import backfill, reminders
from .services.activities import slots_generate


@shared_task(name="activities.tasks.generate_slots")
def generate_slots() -> int:
    """Keep every active series' slots generated up to the horizon (SLOT_HORIZON_WEEKS)."""
    return slots_generate()


@shared_task(name="activities.tasks.reminders_send")
def reminders_send() -> int:
    """Every few minutes (beat): queue the reminders that are due; each goes once."""
    return reminders.reminders_queue()


@shared_task(name="activities.tasks.backfill_start", acks_late=True)
def backfill_start(role_id: int) -> None:
    """After a seat freed up close to the start: offer it by SMS."""
    backfill.backfill_start(role_id=role_id)


@shared_task(name="activities.tasks.backfill_advance")
def backfill_advance() -> int:
    """Every minute (beat): expire offers and send the next round."""
    return backfill.backfill_advance()
