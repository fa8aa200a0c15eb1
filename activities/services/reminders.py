"""The reminder sweep: texts before each confirmed shift, each sent once."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from ..models import Assignment, Slot
from ..sms.texts import assignment_tell


def reminders_queue(*, now: datetime | None = None) -> int:
    """Queue the reminders that are due: for each of ``REMINDER_HOURS_BEFORE`` (24 and 2 by
    default), confirmed seats on slots starting between the next smaller reminder and this
    one. The dedupe key (seat, hours, start) makes a second run, or a second beat, write
    nothing; a slot that moves gets its reminders again for the new time."""
    now = now or timezone.now()
    hours = sorted(set(settings.REMINDER_HOURS_BEFORE))
    count = 0
    for i, h in enumerate(hours):
        lower = now + timedelta(hours=hours[i - 1]) if i else now
        seats = (
            Assignment.objects.filter(
                status=Assignment.Status.CONFIRMED,
                slot__status=Slot.Status.SCHEDULED,
                slot__starts_at__gt=lower,
                slot__starts_at__lte=now + timedelta(hours=h),
            )
            .select_related("slot__activity__venue", "volunteer__user")
            .order_by("slot__starts_at", "pk")
        )
        for assignment in seats.iterator(chunk_size=500):
            key = f"reminder:{assignment.pk}:{h}h:{assignment.slot.starts_at:%Y%m%dT%H%M}"
            if assignment_tell(assignment, "reminder", immediate=False, ask=True, dedupe_key=key):
                count += 1
    return count
