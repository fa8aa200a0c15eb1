"""Periodic tasks of activities. Thin: they call one service."""

from __future__ import annotations

from celery import shared_task

from .services.activities import slots_generate


@shared_task(name="activities.tasks.generate_slots")
def generate_slots() -> int:
    """Keep every active series' slots generated up to the horizon (SLOT_HORIZON_WEEKS)."""
    return slots_generate()


# --- SMS: reminders and last-minute backfill --------------------------------------------------


@shared_task(name="activities.tasks.reminders_send")
def reminders_send() -> int:
    """Every few minutes (beat): queue the reminders that are due; each goes once."""
    from . import sms

    return sms.reminders_queue()


@shared_task(name="activities.tasks.backfill_start", acks_late=True)
def backfill_start(role_id: int) -> None:
    """After a seat freed up close to the start: offer it by SMS."""
    from .services import backfill

    backfill.backfill_start(role_id=role_id)


@shared_task(name="activities.tasks.backfill_advance")
def backfill_advance() -> int:
    """Every minute (beat): expire offers and send the next round."""
    from .services import backfill

    return backfill.backfill_advance()
