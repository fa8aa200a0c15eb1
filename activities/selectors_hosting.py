"""Reads for the host's dashboard and the public venue and "what's on" pages."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from venues.models import Area, Venue
from venues.selectors import area_subtree_q, venues_in_scope

from .models import Activity, Slot
from .selectors import slots_with_fill


def _with_totals(slots: list[Slot]) -> list[Slot]:
    for slot in slots:
        roles = list(slot.roles.all())
        slot.seats_filled = sum(min(r.filled, r.needed) for r in roles)
        slot.seats_total = sum(r.needed for r in roles)
        slot.gaps = [(r, r.needed - r.filled) for r in roles if r.filled < r.needed]
        slot.seats_free = slot.seats_total - slot.seats_filled
    return slots


def host_venues(*, user) -> QuerySet[Venue]:
    """The venues on a person's dashboard: those she hosts first, then those she coordinates."""
    hosted = Venue.objects.filter(hosts=user, is_active=True)
    if hosted.exists():
        return hosted.select_related("area").order_by("name")
    return venues_in_scope(user=user).filter(is_active=True).select_related("area").order_by("name")


def host_schedule(*, venues, weeks: int = 2, now: datetime | None = None) -> dict[int, list[Slot]]:
    """Coming slots of these venues, with fill, gaps and roles, grouped by venue id."""
    now = now or timezone.now()
    qs = Slot.objects.filter(
        activity__venue__in=list(venues),
        ends_at__gte=now,
        starts_at__lt=now + timedelta(weeks=weeks),
    )
    result: dict[int, list[Slot]] = {}
    for slot in _with_totals(list(slots_with_fill(qs).order_by("starts_at")[:1000])):
        result.setdefault(slot.activity.venue_id, []).append(slot)
    return result


def slot_for_host(*, pk: int) -> Slot:
    return slots_with_fill(Slot.objects.filter(pk=pk)).get()


def slot_roster(*, slot: Slot):
    return (
        slot.assignments.exclude(status="cancelled")
        .select_related("volunteer__user", "role__skill")
        .order_by("role_id", "status", "created_at")
    )


def _public_slots() -> QuerySet[Slot]:
    return Slot.objects.filter(
        status=Slot.Status.SCHEDULED,
        activity__status=Activity.Status.ACTIVE,
        activity__venue__is_active=True,
    )


def venue_upcoming(*, venue: Venue, days: int = 28, now: datetime | None = None) -> list[Slot]:
    now = now or timezone.now()
    qs = _public_slots().filter(
        activity__venue=venue, ends_at__gte=now, starts_at__lt=now + timedelta(days=days)
    )
    return _with_totals(list(slots_with_fill(qs).order_by("starts_at")[:200]))


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
    return _with_totals(list(slots_with_fill(qs).order_by("starts_at")[:300]))
