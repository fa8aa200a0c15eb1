"""Helpers that build a small world of venues, slots and volunteers for the shift tests."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from tests.factories import (
    ActivityFactory,
    SlotFactory,
    SlotRoleFactory,
    UserFactory,
    VenueFactory,
    VolunteerFactory,
)
from volunteers.models import Availability, VolunteerSkill

SHANGHAI = ZoneInfo("Asia/Shanghai")


def local(days: int, hour: int, minute: int = 0) -> datetime:
    """A time ``days`` from today at ``hour`` local (Shanghai) time."""
    day = timezone.localdate() + timedelta(days=days)
    return datetime.combine(day, time(hour, minute), tzinfo=SHANGHAI)


def make_slot(
    *,
    starts_at: datetime | None = None,
    hours: float = 2,
    needed: int = 2,
    venue=None,
    skill=None,
    language: str = "",
    team=None,
    kind: str = "class",
):
    starts_at = starts_at or local(3, 10)
    ends_at = starts_at + timedelta(hours=hours)
    activity = ActivityFactory(
        venue=venue or VenueFactory(),
        starts_at=starts_at,
        ends_at=ends_at,
        team=team,
        kind=kind,
    )
    slot = SlotFactory(activity=activity)
    role = SlotRoleFactory(slot=slot, needed=needed, skill=skill, language=language)
    return slot, role


def make_volunteer(*, skills=(), verified=True, languages=("zh",), hours=20, **kwargs):
    volunteer = VolunteerFactory(languages=list(languages), max_hours_per_week=hours, **kwargs)
    for skill in skills:
        VolunteerSkill.objects.create(
            volunteer=volunteer,
            skill=skill,
            verified_at=timezone.now() if verified else None,
        )
    return volunteer


def available(volunteer, weekday: int, start: str, end: str) -> Availability:
    return Availability.objects.create(
        volunteer=volunteer,
        weekday=weekday,
        start=time.fromisoformat(start),
        end=time.fromisoformat(end),
    )


def host_of(venue):
    user = UserFactory()
    venue.hosts.add(user)
    return user
