"""The coordinator board: the next 48 hours of her area."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta
from types import SimpleNamespace

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from activities.models import Activity, Assignment, Slot, SlotRole
from activities.selectors.shifts import BilingualName
from core.errors import NotFound, ValidationFailed
from venues.models import Area
from venues.selectors import area_subtree_q, areas_in_scope, areas_in_scope_q

from .runs import areas_broadest_first

# What the board shows of a slot (matching/board.html): when, the activity's title and the venue.
_SHOWN = (
    "id",
    "starts_at",
    "activity__title",
    "activity__title_en",
    "activity__venue__name",
    "activity__venue__name_en",
)


@dataclass
class BoardSlot:
    slot: SimpleNamespace  # pk, starts_at, activity.display_title, activity.venue.display_name
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


def _shown(pk, starts_at, title, title_en, venue_name, venue_name_en) -> SimpleNamespace:
    """A slot as the board shows it, from the ``_SHOWN`` columns, without its model rows."""
    return SimpleNamespace(
        pk=pk,
        starts_at=starts_at,
        activity=SimpleNamespace(
            display_title=BilingualName(title, title_en),
            venue=SimpleNamespace(display_name=BilingualName(venue_name, venue_name_en)),
        ),
    )


def board_slots(*, user, hours: int = 48) -> list[BoardSlot]:
    """Slots of the coming ``hours`` in the coordinator's areas that need attention: empty,
    under-filled, or with people who have not reconfirmed that they are coming. Two queries
    whatever their number, of plain values: the slots with what the board shows of them, then
    their roles' seats and unconfirmed people counted in one."""
    now = timezone.now()
    slots = [
        _shown(*row)
        for row in Slot.objects.filter(
            areas_in_scope_q(user=user, prefix="activity__venue__area__"),
            status=Slot.Status.SCHEDULED,
            activity__status=Activity.Status.ACTIVE,
            starts_at__gte=now,
            starts_at__lt=now + timedelta(hours=hours),
        )
        .order_by("starts_at", "id")
        .values_list(*_SHOWN)[:500]
    ]
    needed: dict[int, int] = defaultdict(int)
    seated: dict[int, int] = defaultdict(int)
    unconfirmed: dict[int, int] = defaultdict(int)
    for slot_id, need, filled, not_reconfirmed in (
        SlotRole.objects.filter(slot_id__in=[s.pk for s in slots])
        .annotate(
            filled=Count("assignments", filter=Q(assignments__status__in=Assignment.SEATED)),
            unconfirmed=Count(
                "assignments",
                filter=Q(
                    assignments__status=Assignment.Status.CONFIRMED,
                    assignments__reconfirmed_at__isnull=True,
                ),
            ),
        )
        .values_list("slot_id", "needed", "filled", "unconfirmed")
    ):
        needed[slot_id] += need
        # A role never counts more seats than it needs (activities.selectors.seats).
        seated[slot_id] += min(filled, need)
        unconfirmed[slot_id] += not_reconfirmed
    out = []
    for slot in slots:
        row = BoardSlot(
            slot=slot,
            needed=needed[slot.pk],
            seated=seated[slot.pk],
            unconfirmed=unconfirmed[slot.pk],
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
