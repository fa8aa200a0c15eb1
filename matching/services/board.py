"""The coordinator board's actions: re-run the matcher for chosen slots, or offer their free
seats by SMS (the backfill lives in activities)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from activities.models import SlotRole
from activities.services import backfill
from core.errors import ValidationFailed

from ..models import MatchRun
from ..selectors import board_slot_area
from .access import run_access_check
from .runs import run_create


def board_rerun(*, by, slot_ids) -> MatchRun:
    """A run restricted to the chosen slots of the board (the next 48 hours)."""
    run_access_check(by=by)
    slot_ids = [int(pk) for pk in slot_ids]
    if not slot_ids:
        raise ValidationFailed({"slots": [_("Choose at least one slot.")]})
    area = board_slot_area(user=by, slot_ids=slot_ids)
    today = timezone.localdate()
    return run_create(
        by=by, area=area, start=today, end=today + timedelta(days=2), slot_ids=slot_ids
    )


def board_backfill(*, by, slot_ids) -> int:
    """Start the SMS backfill for every role of the chosen slots that has a free seat; returns
    how many backfills were started (a slot too far ahead or already full starts none)."""
    run_access_check(by=by)
    slot_ids = [int(pk) for pk in slot_ids]
    if not slot_ids:
        raise ValidationFailed({"slots": [_("Choose at least one slot.")]})
    board_slot_area(user=by, slot_ids=slot_ids)
    started = 0
    for role_id in SlotRole.objects.filter(slot_id__in=slot_ids).values_list("pk", flat=True):
        if backfill.backfill_start(role_id=role_id) is not None:
            started += 1
    return started
