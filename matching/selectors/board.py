"""The coordinator board: the next 48 hours of her area."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from activities.models import Activity, Assignment, Slot
from activities.selectors.seats import seats_count, slots_with_fill
from core.errors import NotFound, ValidationFailed
from venues.models import Area
from venues.selectors import area_subtree_q, areas_in_scope

from .runs import areas_broadest_first


@dataclass
class BoardSlot:
    slot: Slot
    needed: int
    seated: int
    unconfirmed: int

    @property
    def empty(self) -> bool:
        return self.seated == 0

    @property
    def under_filled(self) -> bool:
        return 0 < self.seated < self.needed

    @property
    def open_seats(self) -> int:
        return max(0, self.needed - self.seated)


def board_slots(*, user, hours: int = 48) -> list[BoardSlot]:
    """Slots of the coming ``hours`` in the coordinator's areas that need attention: empty,
    under-filled, or with people who have not reconfirmed that they are coming."""
    now = timezone.now()
    qs = Slot.objects.filter(
        status=Slot.Status.SCHEDULED,
        activity__status=Activity.Status.ACTIVE,
        activity__venue__area__in=areas_in_scope(user=user),
        starts_at__gte=now,
        starts_at__lt=now + timedelta(hours=hours),
    )
    slots = seats_count(slots_with_fill(qs).order_by("starts_at", "id")[:500])
    unconfirmed: dict[int, int] = defaultdict(int)
    for slot_id in Assignment.objects.filter(
        slot_id__in=[s.pk for s in slots],
        status=Assignment.Status.CONFIRMED,
        reconfirmed_at__isnull=True,
    ).values_list("slot_id", flat=True):
        unconfirmed[slot_id] += 1
    out = []
    for slot in slots:
        row = BoardSlot(
            slot=slot,
            needed=slot.seats_total,
            seated=slot.seats_filled,
            unconfirmed=unconfirmed.get(slot.pk, 0),
        )
        if row.seated < row.needed or row.unconfirmed:
            out.append(row)
    return out


def board_slot_area(*, user, slot_ids: list[int]) -> Area:
    """The coordinator's area that holds every chosen slot (the run is scoped to it)."""
    venue_areas = set(
        Slot.objects.filter(pk__in=slot_ids, activity__venue__area__in=areas_in_scope(user=user))
        .values_list("activity__venue__area_id", flat=True)
        .distinct()
    )
    found = Slot.objects.filter(
        pk__in=slot_ids, activity__venue__area__in=areas_in_scope(user=user)
    ).count()
    if found != len(set(slot_ids)):
        raise NotFound(_("Some of these slots are not in your area."), code="slot_not_found")
    candidates = (
        Area.objects.all() if user.is_superuser else Area.objects.filter(coordinators__user=user)
    )
    for area in areas_broadest_first(candidates):
        inside = set(
            Area.objects.filter(area_subtree_q([area.pk]), pk__in=venue_areas).values_list(
                "pk", flat=True
            )
        )
        if inside == venue_areas:
            return area
    raise ValidationFailed({"slots": [_("Choose slots of one of your areas at a time.")]})
