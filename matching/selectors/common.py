"""What the matcher's reads share: the district's clock, instance ids and tags, the scope."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from activities.models import Activity, Assignment, Slot, SlotRole
from venues.models import Area
from venues.selectors import area_subtree_q
from volunteers.models import VolunteerProfile

ISO_MINUTE = "%Y-%m-%dT%H:%M"
# Required "skills" the engine treats like any tag: a slot reserved for a team or asking for a
# language is open only to people holding the tag.
TEAM_TAG = "team:"
LANG_TAG = "lang:"
# What counts towards a person's weekly hours, as in activities.eligibility.
HOURS_STATUSES = (Assignment.Status.CONFIRMED, Assignment.Status.ATTENDED)


def district_tz() -> ZoneInfo:
    """Availability windows are in the district's local time; so are the instance's times."""
    return ZoneInfo(settings.TIME_ZONE)


def role_key(role_id: int) -> str:
    return f"R{role_id}"


def volunteer_key(volunteer_id: int) -> str:
    return f"P{volunteer_id}"


def key_id(key: str) -> int:
    return int(key[1:])


def _local(dt: datetime, tz: ZoneInfo) -> datetime:
    return timezone.localtime(dt, tz).replace(tzinfo=None)


def _day_bounds(start: date, end: date, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """[start 00:00, end+1 00:00) in the district's time, as aware datetimes."""
    lo = datetime.combine(start, time.min, tzinfo=tz)
    hi = datetime.combine(end + timedelta(days=1), time.min, tzinfo=tz)
    return lo, hi


def weeks_of(start: date, end: date) -> list[tuple[date, date, date]]:
    """(monday, first day, last day) of each calendar week the range touches."""
    weeks = []
    monday = start - timedelta(days=start.weekday())
    while monday <= end:
        sunday = monday + timedelta(days=6)
        weeks.append((monday, max(monday, start), min(sunday, end)))
        monday += timedelta(days=7)
    return weeks


def scope_area_ids(area: Area) -> QuerySet[Area]:
    return Area.objects.filter(area_subtree_q([area.pk])).values("pk")


def scope_slot_roles(
    *, area: Area, start: date, end: date, slot_ids: Iterable[int] = ()
) -> QuerySet[SlotRole]:
    """Seat groups of the run: scheduled slots of active activities at active venues of the area
    (and below) that start within the local date range; optionally only the given slots."""
    lo, hi = _day_bounds(start, end, district_tz())
    qs = SlotRole.objects.filter(
        slot__status=Slot.Status.SCHEDULED,
        slot__activity__status=Activity.Status.ACTIVE,
        slot__activity__venue__is_active=True,
        slot__activity__venue__area__in=scope_area_ids(area),
        slot__starts_at__gte=max(lo, timezone.now()),
        slot__starts_at__lt=hi,
    )
    slot_ids = list(slot_ids)
    if slot_ids:
        qs = qs.filter(slot_id__in=slot_ids)
    return qs


def scope_volunteers(*, area: Area) -> QuerySet[VolunteerProfile]:
    """People the run may propose: those living in the area (or below), and those whose home
    area is not known (the travel radius still keeps them near)."""
    return VolunteerProfile.objects.filter(
        Q(home_area__in=scope_area_ids(area)) | Q(home_area__isnull=True)
    )


def _fmt(dt: datetime) -> str:
    return dt.isoformat(timespec="minutes")  # ISO_MINUTE, three times faster than strftime


def _num(value) -> float | None:
    return None if value is None else float(value)
