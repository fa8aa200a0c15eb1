"""Seats: the one place that counts them.

A seat is taken by an assignment in ``Assignment.SEATED`` (confirmed, attended, no-show). Each
role of a slot is annotated with ``filled`` (seats taken) and ``waiting`` (its waitlist); a slot's
figures are the sums over its roles, and a role never counts more free seats than it needs.
Every list, the API's ``open`` filter, the sign-up rules and the team schedule read them here;
the rows of a list of slots (``shifts.slot_role_rows``) count them in their own SQL, by the same
statuses.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet

from ..models import Assignment, Slot, SlotRole

_SEATED = Q(assignments__status__in=Assignment.SEATED)
_WAITING = Q(assignments__status=Assignment.Status.WAITLISTED)


def slot_roles_with_fill(queryset: QuerySet[SlotRole] | None = None) -> QuerySet[SlotRole]:
    """Slot roles with ``filled`` (seats taken) and ``waiting`` (waitlist length) annotated."""
    queryset = SlotRole.objects.all() if queryset is None else queryset
    return queryset.select_related("skill").annotate(
        filled=Count("assignments", filter=_SEATED),
        waiting=Count("assignments", filter=_WAITING),
    )


def slots_with_fill(queryset: QuerySet[Slot] | None = None) -> QuerySet[Slot]:
    """Slots with their activity, venue and roles (each with fill counts) in three queries."""
    queryset = Slot.objects.all() if queryset is None else queryset
    return queryset.select_related("activity__venue__area", "activity__team").prefetch_related(
        Prefetch("roles", queryset=slot_roles_with_fill())
    )


def seats_count(slots: Iterable[Slot]) -> list[Slot]:
    """Set ``seats_total``, ``seats_filled``, ``seats_left`` and ``gaps`` (each role with a free
    seat, and how many) on slots from ``slots_with_fill``, without a query."""
    slots = list(slots)
    for slot in slots:
        roles = list(slot.roles.all())
        slot.gaps = [(r, r.needed - r.filled) for r in roles if r.filled < r.needed]
        slot.seats_total = sum(r.needed for r in roles)
        slot.seats_left = sum(missing for _role, missing in slot.gaps)
        slot.seats_filled = slot.seats_total - slot.seats_left
    return slots


def slots_open(queryset: QuerySet[Slot]) -> QuerySet[Slot]:
    """Only the slots with a free seat in at least one role (``seats_left > 0``), in SQL."""
    free = slot_roles_with_fill(SlotRole.objects.filter(slot=OuterRef("pk"))).filter(
        filled__lt=F("needed")
    )
    return queryset.filter(Exists(free))


def role_seats_left(*, role: SlotRole) -> int:
    """Free seats of one role, counted now (callers hold the role's lock when it matters)."""
    row = slot_roles_with_fill(SlotRole.objects.filter(pk=role.pk)).values("needed", "filled")
    found = row.first()
    return max(found["needed"] - found["filled"], 0) if found else 0


def seats_taken_by_role(role_ids: Iterable[int]) -> dict[int, int]:
    """Seats taken per role, by plain counting: for rows locked ``FOR UPDATE``, which cannot be
    aggregated in the same statement."""
    taken = dict.fromkeys(role_ids, 0)
    for role_id in (
        Assignment.objects.filter(role_id__in=list(taken), status__in=Assignment.SEATED)
        .order_by()
        .values_list("role_id", flat=True)
    ):
        taken[role_id] += 1
    return taken


def seats_taken_and_waiting(*, slot_id: int, role_ids: Iterable[int]) -> tuple[dict, list[int]]:
    """``seats_taken_by_role`` for the roles of slot ``slot_id``, and the profile ids of those
    waiting on the slot, in one read."""
    taken = dict.fromkeys(role_ids, 0)
    waiting: list[int] = []
    for role_id, status, volunteer_id in (
        Assignment.objects.filter(
            slot_id=slot_id, status__in=(*Assignment.SEATED, Assignment.Status.WAITLISTED)
        )
        .order_by()
        .values_list("role_id", "status", "volunteer_id")
    ):
        if status == Assignment.Status.WAITLISTED:
            waiting.append(volunteer_id)
        elif role_id in taken:
            taken[role_id] += 1
    return taken, waiting
