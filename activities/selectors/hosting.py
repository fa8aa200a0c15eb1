"""Reads for hosts and coordinators: their venues, the coming weeks with gaps, one slot."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from venues.models import Venue
from venues.selectors import venues_in_scope

from ..models import Assignment, Slot
from .seats import seats_count, slots_with_fill


def host_venues(*, user) -> QuerySet[Venue]:
    """The venues on a person's dashboard: those she hosts first, then those she coordinates."""
    hosted = Venue.objects.filter(hosts=user, is_active=True)
    if hosted.exists():
        return hosted.select_related("area").order_by("name")
    return venues_in_scope(user=user).filter(is_active=True).select_related("area").order_by("name")


def host_schedule(*, venues, weeks: int = 2, now: datetime | None = None) -> dict[int, list[Slot]]:
    """Coming slots of these venues, with seats and gaps, grouped by venue id."""
    now = now or timezone.now()
    qs = Slot.objects.filter(
        activity__venue__in=list(venues),
        ends_at__gte=now,
        starts_at__lt=now + timedelta(weeks=weeks),
    )
    result: dict[int, list[Slot]] = {}
    for slot in seats_count(slots_with_fill(qs).order_by("starts_at")[:1000]):
        result.setdefault(slot.activity.venue_id, []).append(slot)
    return result


def slots_with_gaps(*, user, days: int = 7) -> list[Slot]:
    """Coming slots in the person's venues (host) or area (coordinator) with empty seats."""
    now = timezone.now()
    qs = Slot.objects.filter(
        status=Slot.Status.SCHEDULED,
        starts_at__gte=now,
        starts_at__lt=now + timedelta(days=days),
        activity__venue__in=venues_in_scope(user=user),
    )
    return [s for s in seats_count(slots_with_fill(qs).order_by("starts_at")[:200]) if s.gaps]


def slot_for_host(*, pk: int) -> Slot:
    [slot] = seats_count(slots_with_fill(Slot.objects.filter(pk=pk)))
    return slot


def people_told_on_cancel(*, slot: Slot, now: datetime | None = None) -> dict[str, int]:
    """How many people a cancellation tells, for each scope (``this``, ``following``, ``all``):
    those holding or waiting for a seat on the scheduled occurrences it would cancel."""
    now = now or timezone.now()
    coming = Slot.objects.filter(
        activity_id=slot.activity_id, status=Slot.Status.SCHEDULED, ends_at__gt=now
    )
    scopes = {
        "this": Slot.objects.filter(pk=slot.pk),
        "following": coming.filter(starts_at__gte=slot.starts_at),
        "all": coming,
    }
    live = (Assignment.Status.CONFIRMED, Assignment.Status.WAITLISTED)
    return {
        scope: Assignment.objects.filter(slot__in=slots, status__in=live)
        .values("volunteer_id")
        .distinct()
        .count()
        for scope, slots in scopes.items()
    }
