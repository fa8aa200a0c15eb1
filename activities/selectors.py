"""Reads of activities, slots and assignments."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Count, F, Prefetch, Q, QuerySet, Sum
from django.utils import timezone

from venues.models import Venue
from venues.selectors import venues_in_scope
from volunteers.models import VolunteerProfile

from .models import Activity, Assignment, Slot, SlotRole


def slot_roles_with_fill() -> QuerySet[SlotRole]:
    """Slot roles with ``filled`` (seats taken) and ``waiting`` (waitlist length) annotated."""
    return SlotRole.objects.select_related("skill").annotate(
        filled=Count("assignments", filter=Q(assignments__status__in=Assignment.SEATED)),
        waiting=Count("assignments", filter=Q(assignments__status=Assignment.Status.WAITLISTED)),
    )


def slots_with_fill(queryset: QuerySet[Slot] | None = None) -> QuerySet[Slot]:
    """Slots with their activity, venue and roles (each with fill counts) in three queries."""
    queryset = Slot.objects.all() if queryset is None else queryset
    return queryset.select_related("activity__venue__area", "activity__team").prefetch_related(
        Prefetch("roles", queryset=slot_roles_with_fill())
    )


def slots_public_upcoming(*, venue: Venue | None = None) -> QuerySet[Slot]:
    qs = Slot.objects.filter(
        status=Slot.Status.SCHEDULED,
        activity__status=Activity.Status.ACTIVE,
        starts_at__gte=timezone.now(),
        activity__venue__is_active=True,
    )
    if venue is not None:
        qs = qs.filter(activity__venue=venue)
    return slots_with_fill(qs).order_by("starts_at")


def slots_with_gaps(*, user, days: int = 7) -> list[Slot]:
    """Coming slots in the person's venues (host) or area (coordinator) with empty seats."""
    now = timezone.now()
    qs = Slot.objects.filter(
        status=Slot.Status.SCHEDULED,
        starts_at__gte=now,
        starts_at__lt=now + timedelta(days=days),
        activity__venue__in=venues_in_scope(user=user),
    )
    slots = list(slots_with_fill(qs).order_by("starts_at")[:200])
    for slot in slots:
        slot.seats_filled = sum(role.filled for role in slot.roles.all())
        slot.seats_total = sum(role.needed for role in slot.roles.all())
    return [s for s in slots if s.seats_filled < s.seats_total]


def assignments_upcoming(*, volunteer: VolunteerProfile) -> QuerySet[Assignment]:
    return (
        Assignment.objects.filter(
            volunteer=volunteer,
            status__in=[Assignment.Status.CONFIRMED, Assignment.Status.WAITLISTED],
            slot__ends_at__gte=timezone.now(),
        )
        .select_related("slot__activity__venue", "role__skill")
        .order_by("slot__starts_at")
    )


def public_stats() -> dict[str, int]:
    return {
        "venues": Venue.objects.filter(is_active=True).count(),
        "volunteers": VolunteerProfile.objects.count(),
        "upcoming": Slot.objects.filter(
            status=Slot.Status.SCHEDULED, starts_at__gte=timezone.now()
        ).count(),
        "hours": round(attended_hours_total()),
    }


def attended_hours_total(queryset: QuerySet[Assignment] | None = None) -> float:
    queryset = Assignment.objects.all() if queryset is None else queryset
    total = queryset.filter(status=Assignment.Status.ATTENDED).aggregate(
        total=Sum(F("slot__ends_at") - F("slot__starts_at"))
    )["total"]
    return total.total_seconds() / 3600 if total else 0.0
