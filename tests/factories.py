"""Shared factories: one per model, with sensible defaults in the report's world."""

from __future__ import annotations

from datetime import time, timedelta

import factory
from django.utils import timezone

from accounts.models import User
from activities.models import Activity, ActivityRole, Assignment, Slot, SlotRole
from venues.models import Area, Coordinator, Venue
from volunteers.models import (
    Availability,
    Skill,
    Team,
    TeamMembership,
    VolunteerProfile,
    VolunteerSkill,
)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    name = factory.Sequence(lambda n: f"User {n}")
    password = factory.django.Password("pass-word-1")
    preferred_language = "en"


class AreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Area

    name = factory.Sequence(lambda n: f"区{n}")
    name_en = factory.Sequence(lambda n: f"District {n}")
    level = Area.Level.DISTRICT
    parent = None


class StreetFactory(AreaFactory):
    name = factory.Sequence(lambda n: f"街道{n}")
    name_en = factory.Sequence(lambda n: f"Street {n}")
    level = Area.Level.STREET
    parent = factory.SubFactory(AreaFactory)


class CommunityFactory(AreaFactory):
    name = factory.Sequence(lambda n: f"社区{n}")
    name_en = factory.Sequence(lambda n: f"Community {n}")
    level = Area.Level.COMMUNITY
    parent = factory.SubFactory(StreetFactory)


class CoordinatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Coordinator

    user = factory.SubFactory(UserFactory)
    area = factory.SubFactory(AreaFactory)


class VenueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Venue
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"妇女之家{n}")
    name_en = factory.Sequence(lambda n: f"Women's Home {n}")
    kind = Venue.Kind.COMMUNITY
    area = factory.SubFactory(CommunityFactory)
    address = factory.Sequence(lambda n: f"幸福路{n}号")
    timezone = "Asia/Shanghai"

    @factory.post_generation
    def hosts(self, create, extracted, **kwargs):
        if create and extracted:
            self.hosts.add(*extracted)


class SkillFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Skill
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"skill{n}")
    name = factory.Sequence(lambda n: f"技能{n}")
    name_en = factory.Sequence(lambda n: f"Skill {n}")


class VolunteerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VolunteerProfile
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    # A range no test writes by hand, so that a number typed in a test never collides.
    phone = factory.Sequence(lambda n: f"+86135{n:08d}")
    languages = factory.LazyFunction(lambda: ["zh"])

    @factory.post_generation
    def with_skills(self, create, extracted, **kwargs):
        """``VolunteerFactory(with_skills=[skill, ...])`` links them, verified when they need it."""
        if create and extracted:
            now = timezone.now()
            VolunteerSkill.objects.bulk_create(
                VolunteerSkill(
                    volunteer=self,
                    skill=skill,
                    verified_at=now if skill.needs_verification else None,
                )
                for skill in extracted
            )


VolunteerProfileFactory = VolunteerFactory


class VolunteerSkillFactory(factory.django.DjangoModelFactory):
    """Unverified by default; pass ``verified_at=timezone.now()`` for a verified one."""

    class Meta:
        model = VolunteerSkill

    volunteer = factory.SubFactory(VolunteerFactory)
    skill = factory.SubFactory(SkillFactory)
    verified_at = None


class AvailabilityFactory(factory.django.DjangoModelFactory):
    """Monday evening, 18:00–21:00, unless told otherwise."""

    class Meta:
        model = Availability

    volunteer = factory.SubFactory(VolunteerFactory)
    weekday = 0
    start = time(18, 0)
    end = time(21, 0)


class ActivityFactory(factory.django.DjangoModelFactory):
    """An activity row only: use activities.services to get its roles and slots."""

    class Meta:
        model = Activity

    venue = factory.SubFactory(VenueFactory)
    kind = Activity.Kind.CLASS
    title = factory.Sequence(lambda n: f"活动{n}")
    title_en = factory.Sequence(lambda n: f"Activity {n}")
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=1))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=2))


class ActivityRoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActivityRole

    activity = factory.SubFactory(ActivityFactory)
    needed = 2


class SlotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Slot

    activity = factory.SubFactory(ActivityFactory)
    starts_at = factory.LazyAttribute(lambda o: o.activity.starts_at)
    ends_at = factory.LazyAttribute(lambda o: o.activity.ends_at)
    original_start = factory.LazyAttribute(lambda o: o.starts_at)


class SlotRoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SlotRole

    slot = factory.SubFactory(SlotFactory)
    needed = 2


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assignment

    role = factory.SubFactory(SlotRoleFactory)
    slot = factory.LazyAttribute(lambda o: o.role.slot)
    volunteer = factory.SubFactory(VolunteerFactory)
    status = Assignment.Status.CONFIRMED


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    name = factory.Sequence(lambda n: f"巾帼志愿服务队{n}")
    name_en = factory.Sequence(lambda n: f"Volunteer team {n}")
    area = factory.SubFactory(AreaFactory)


class TeamMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TeamMembership

    team = factory.SubFactory(TeamFactory)
    volunteer = factory.SubFactory(VolunteerFactory)
    role = TeamMembership.Role.MEMBER
