"""Reads anyone may see: coming slots, a venue's coming weeks, "what's on", the home figures."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db.models import F, Q, QuerySet, Sum
from django.utils import timezone

from venues.models import Area, Venue
from venues.selectors import area_subtree_q
from volunteers.models import VolunteerProfile

from ..models import Activity, Assignment, Slot
from .seats import seats_count, slots_with_fill


def _public_slots() -> QuerySet[Slot]:
    return Slot.objects.public().filter(
        status=Slot.Status.SCHEDULED,
        activity__status=Activity.Status.ACTIVE,
        activity__venue__is_active=True,
    )


def slots_public_upcoming(*, venue: Venue | None = None) -> QuerySet[Slot]:
    qs = _public_slots().filter(starts_at__gte=timezone.now())
    if venue is not None:
        qs = qs.filter(activity__venue=venue)
    return slots_with_fill(qs).order_by("starts_at")


def venue_upcoming(*, venue: Venue, days: int = 28, now: datetime | None = None) -> list[Slot]:
    now = now or timezone.now()
    qs = _public_slots().filter(
        activity__venue=venue, ends_at__gte=now, starts_at__lt=now + timedelta(days=days)
    )
    return seats_count(slots_with_fill(qs).order_by("starts_at")[:200])


def whats_on(*, start: date, days: int = 7, area: Area | None = None, kind: str = "") -> list[Slot]:
    """Public slots from ``start`` (a local date) for ``days`` days, optionally in one area."""
    tz = timezone.get_current_timezone()
    lo = max(datetime.combine(start, time.min, tzinfo=tz), timezone.now())
    hi = datetime.combine(start + timedelta(days=days), time.min, tzinfo=tz)
    qs = _public_slots().filter(ends_at__gte=lo, starts_at__lt=hi)
    if area is not None:
        qs = qs.filter(Q(activity__venue__area__in=Area.objects.filter(area_subtree_q([area.pk]))))
    if kind:
        qs = qs.filter(activity__kind=kind)
    return seats_count(slots_with_fill(qs).order_by("starts_at")[:300])


def public_stats() -> dict[str, int]:
    return {
        "venues": Venue.objects.filter(is_active=True).count(),
        "volunteers": VolunteerProfile.objects.count(),
        "upcoming": Slot.objects.public()
        .filter(status=Slot.Status.SCHEDULED, starts_at__gte=timezone.now())
        .count(),
        "hours": round(attended_hours_total()),
    }


def attended_hours_total(queryset: QuerySet[Assignment] | None = None) -> float:
    queryset = Assignment.objects.all() if queryset is None else queryset
    total = queryset.filter(status=Assignment.Status.ATTENDED).aggregate(
        total=Sum(F("slot__ends_at") - F("slot__starts_at"))
    )["total"]
    return total.total_seconds() / 3600 if total else 0.0
