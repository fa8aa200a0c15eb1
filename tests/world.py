"""Builders of the small worlds tests run in: slots with their roles and volunteers who fit
them (shifts), volunteers who can be texted (SMS), and a district with its areas, venue and
coordinators for the matcher. The cast by role is in ``tests/conftest.py``."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from activities.models import Activity, Slot, SlotRole
from matching.models import MatchRun
from notifications.models import Message
from tests.clock import SH
from tests.factories import (
    ActivityFactory,
    AreaFactory,
    CommunityFactory,
    CoordinatorFactory,
    SkillFactory,
    SlotFactory,
    SlotRoleFactory,
    StreetFactory,
    UserFactory,
    VenueFactory,
    VolunteerFactory,
)
from volunteers.models import Availability, VolunteerSkill


def local(days: int, hour: int, minute: int = 0) -> datetime:
    """A time ``days`` from today at ``hour`` local (Shanghai) time."""
    day = timezone.localdate() + timedelta(days=days)
    return datetime.combine(day, time(hour, minute), tzinfo=SH)


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


# --- SMS: volunteers who can be texted at any hour, slots some hours ahead ---------------------


def reachable_volunteer(
    *, language: str = "en", phone: str | None = None, sms: bool = True, **kwargs
):
    user = UserFactory(preferred_language=language)
    extra = {"phone": phone} if phone else {}
    # No weekly times: free at any hour, so that a slot "in 48 hours" fits her whatever the
    # hour the test runs at (windows of 00:00–23:59 refused one that crossed midnight).
    return make_volunteer(user=user, sms_enabled=sms, **extra, **kwargs)


def slot_in(hours: float, *, needed: int = 1, title_en: str = "Sewing class", **kwargs):
    slot, role = make_slot(
        starts_at=timezone.now() + timedelta(hours=hours), needed=needed, **kwargs
    )
    slot.activity.title_en = title_en
    slot.activity.save(update_fields=["title_en"])
    return slot, role


def texts_to(profile) -> list[Message]:
    return list(Message.objects.filter(to=profile.phone).order_by("created_at", "pk"))


# --- The matcher: a district with a street, a community, a venue and coordinators ----------------
# Next week's Tuesday evening (18:00–20:00, district time) is the shift most matcher tests staff.


def next_weekday(weekday: int, *, weeks_ahead: int = 1) -> date:
    today = timezone.localdate()
    monday = today - timedelta(days=today.weekday()) + timedelta(weeks=weeks_ahead)
    return monday + timedelta(days=weekday)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=SH)


@dataclass
class World:
    district: object
    street: object
    community: object
    other_district: object
    venue: object
    coordinator: object
    street_coordinator: object
    other_coordinator: object
    host: object
    counselling: object
    lecture: object
    tuesday: date
    volunteers: list = field(default_factory=list)

    def volunteer(
        self,
        name: str,
        *,
        skills=(),
        verified: bool = True,
        windows=((1, 17, 22),),
        languages=("zh",),
        max_hours: int = 6,
        home=None,
        lat: str = "31.2300",
        lon: str = "121.4700",
        travel: str | None = "15.0",
    ):
        profile = VolunteerFactory(
            user=UserFactory(name=name),
            languages=list(languages),
            max_hours_per_week=max_hours,
            home_area=home or self.community,
            latitude=Decimal(lat),
            longitude=Decimal(lon),
            max_travel_km=Decimal(travel) if travel is not None else None,
        )
        for skill in skills:
            VolunteerSkill.objects.create(
                volunteer=profile,
                skill=skill,
                verified_at=timezone.now() if verified or not skill.needs_verification else None,
            )
        for weekday, lo, hi in windows:
            Availability.objects.create(
                volunteer=profile, weekday=weekday, start=time(lo), end=time(hi)
            )
        self.volunteers.append(profile)
        return profile

    def slot(
        self,
        *,
        day: date | None = None,
        start: int = 18,
        end: int = 20,
        skill=None,
        needed: int = 1,
        language: str = "",
        venue=None,
        title: str = "Evening salon",
    ) -> tuple[Slot, SlotRole]:
        # A kind open to everyone: one-to-one counselling is confidential (shown only to the
        # people on it and their managers).
        day = day or self.tuesday
        activity = ActivityFactory(
            venue=venue or self.venue,
            kind=Activity.Kind.SALON,
            title=title,
            title_en=title,
            starts_at=at(day, start),
            ends_at=at(day, end),
        )
        slot = Slot.objects.create(
            activity=activity,
            starts_at=activity.starts_at,
            ends_at=activity.ends_at,
            original_start=activity.starts_at,
        )
        role = SlotRole.objects.create(slot=slot, skill=skill, needed=needed, language=language)
        return slot, role

    def run(self, *, days: int = 1, area=None, **fields) -> MatchRun:
        """A matcher run of the district's coordinator over ``days`` from Tuesday, finished
        unless ``fields`` say otherwise (``status``, ``progress``, ``stats``)."""
        fields = {"status": MatchRun.Status.DONE, "progress": 100} | fields
        return MatchRun.objects.create(
            area=area or self.district,
            start=self.tuesday,
            end=self.tuesday + timedelta(days=days - 1),
            created_by=self.coordinator,
            **fields,
        )


def build_world() -> World:
    district = AreaFactory(name="示范区", name_en="Model District")
    street = StreetFactory(parent=district, name="幸福街道", name_en="Happiness Street")
    community = CommunityFactory(parent=street, name="和平社区", name_en="Peace Community")
    other = AreaFactory(name="邻区", name_en="Next District")
    host = UserFactory(name="Host Hu")
    venue = VenueFactory(
        area=community,
        latitude=Decimal("31.2304"),
        longitude=Decimal("121.4737"),
        hosts=[host],
    )
    coordinator = CoordinatorFactory(area=district, user=UserFactory(name="Coordinator Chen"))
    street_coordinator = CoordinatorFactory(area=street, user=UserFactory(name="Street Su"))
    other_coordinator = CoordinatorFactory(area=other, user=UserFactory(name="Other Ouyang"))
    counselling = SkillFactory(
        code="counselling", name="心理咨询", name_en="counselling", needs_verification=True
    )
    lecture = SkillFactory(code="lecture", name="宣讲", name_en="lecture")
    return World(
        district=district,
        street=street,
        community=community,
        other_district=other,
        venue=venue,
        coordinator=coordinator.user,
        street_coordinator=street_coordinator.user,
        other_coordinator=other_coordinator.user,
        host=host,
        counselling=counselling,
        lecture=lecture,
        tuesday=next_weekday(1),
    )
