"""Periodic tasks of activities. Thin: they call one service."""

from __future__ import annotations

from celery import shared_task

from .services.activities import slots_generate


@shared_task(name="activities.tasks.generate_slots")
def generate_slots() -> int:
    """Keep every active series' slots generated up to the horizon (SLOT_HORIZON_WEEKS)."""
    return slots_generate()
