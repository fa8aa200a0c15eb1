"""A team's coming shifts: slots reserved for it and slots its members hold, with gaps."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from volunteers.models import Team, TeamMembership

from ..models import Assignment, Slot
from .seats import seats_count, slots_with_fill


def team_schedule(*, team: Team, days: int = 28) -> list[Slot]:
    """Coming slots of the team; ``members`` (hers on it) and ``is_gap`` (a slot reserved for
    the team with a free seat) are set on each, with the seat figures."""
    now = timezone.now()
    member_ids = TeamMembership.objects.filter(team=team).values("volunteer_id")
    qs = (
        Slot.objects.public()
        .filter(
            Q(activity__team=team)
            | Q(
                assignments__volunteer__in=member_ids,
                assignments__status=Assignment.Status.CONFIRMED,
            ),
            status=Slot.Status.SCHEDULED,
            starts_at__gte=now,
            starts_at__lt=now + timedelta(days=days),
        )
        .distinct()
    )
    slots = seats_count(slots_with_fill(qs).order_by("starts_at")[:300])
    people: dict[int, list] = {}
    for a in (
        Assignment.objects.filter(
            slot__in=[s.pk for s in slots],
            volunteer__in=member_ids,
            status=Assignment.Status.CONFIRMED,
        )
        .select_related("volunteer__user")
        .order_by("created_at")
    ):
        people.setdefault(a.slot_id, []).append(a.volunteer)
    for slot in slots:
        slot.members = people.get(slot.pk, [])
        slot.is_gap = slot.activity.team_id == team.pk and slot.seats_left > 0
    return slots
