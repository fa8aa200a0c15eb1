"""A hand-counted district for the reports.

    示范区 Model District ── 幸福街道 Happiness Street ── 和平社区 Peace Community: venue ``home``
                          └─ 光明街道 Bright Street: venue ``hall`` (directly in the street)
    另一区 Other District: venue ``away``

The first quarter of 2026, in Shanghai time, holds (everything else is just outside it):

  slot ``a``  class at ``home``, 2026-01-01 00:00–02:00 local (starts on the first edge):
              2 places; ``v1`` attended, ``v2`` no-show            → staffed 2 of 2
  slot ``b``  rights event at ``hall``, 2026-03-31 22:00–23:30 local (ends before the edge):
              3 places; ``v1`` and ``v4`` attended, ``v3`` cancelled late → staffed 2 of 3
  outside:    a class at ``home`` at 2026-04-01 00:00 local (the closing edge), a lecture at
              ``home`` at 2025-12-31 23:30 local, a class at ``away``, a cancelled slot at ``home``

  hours: v1 2 + 1.5 = 3.5, v4 1.5 → 5.0 in all, 2 active, median 2.5, top 3.5;
  ``v4`` joined on 2026-02-01 (new), the others in 2025. ``v1`` and ``v4`` are in the lecture group.

  disputes: d1 Peace, letter, family, received 01-10, assessed, resolved 01-20 (10 days)
            d2 Bright, walk-in, neighbours, received 02-01, assessed, referred
            d3 Bright, hotline, family, received 03-01, new (open)
            d4 Peace, hotline, family, received 2025-12-01, resolved 2026-01-04 (34 days)
            d5 Other District, letter, received 01-05
  visits:   d1 step 1 on 01-12 and step 2 on 01-15, d4 step 4 on 01-04, d2 step 1 on 04-01
  texts:    to v1 (home Peace) in the quarter: one delivered, one failed; one in April.
            v4 (home Bright) opted out on 02-02.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

import pytest
import time_machine

from activities.models import Activity, Assignment, Slot
from mediation.models import Compound, Dispute, Visit
from notifications.models import Message, OptOut
from tests.clock import SH
from tests.factories import (
    ActivityFactory,
    AreaFactory,
    AssignmentFactory,
    CommunityFactory,
    CoordinatorFactory,
    SkillFactory,
    SlotFactory,
    SlotRoleFactory,
    StreetFactory,
    TeamFactory,
    TeamMembershipFactory,
    UserFactory,
    VenueFactory,
    VolunteerFactory,
)
from volunteers.models import Team, VolunteerProfile

NOW = datetime(2026, 6, 1, 9, 0, tzinfo=SH)


def local(*args) -> datetime:
    return datetime(*args, tzinfo=SH)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@dataclass
class World:
    district: object
    street: object
    other_street: object
    community: object
    other_district: object
    coordinator: object
    street_coordinator: object
    other_coordinator: object
    volunteer: object
    host: object
    admin: object
    home: object


def slot_make(venue, kind, start, end, needed, status=Slot.Status.SCHEDULED):
    activity = ActivityFactory(venue=venue, kind=kind, starts_at=start, ends_at=end)
    slot = SlotFactory(activity=activity, starts_at=start, ends_at=end, status=status)
    return SlotRoleFactory(slot=slot, needed=needed)


def _dispute(area, compound, source, kind, received, **extra):
    d = Dispute.objects.create(
        source=source,
        kind=kind,
        area=area,
        compound=compound,
        lawful_basis=Dispute.Basis.STATUTORY,
        **extra,
    )
    Dispute.objects.filter(pk=d.pk).update(created_at=received)
    return d


@pytest.fixture
def world(db) -> World:
    return build_world()


def build_world() -> World:
    district = AreaFactory(name="示范区", name_en="Model District")
    street = StreetFactory(parent=district, name="幸福街道", name_en="Happiness Street")
    other_street = StreetFactory(parent=district, name="光明街道", name_en="Bright Street")
    community = CommunityFactory(parent=street, name="和平社区", name_en="Peace Community")
    other_district = AreaFactory(name="另一区", name_en="Other District")
    host = UserFactory(email="host@example.org")
    home = VenueFactory(
        area=community, name="和平妇女之家", name_en="Peace Women's Home", hosts=[host]
    )
    hall = VenueFactory(area=other_street, name="光明会堂", name_en="Bright Hall")
    away = VenueFactory(area=CommunityFactory(parent=StreetFactory(parent=other_district)))

    lecturing = SkillFactory(code="lecture", name="宣讲", name_en="lecturing")
    v1 = VolunteerFactory(home_area=community)
    v2 = VolunteerFactory(home_area=community)
    v3 = VolunteerFactory(home_area=community)
    v4 = VolunteerFactory(home_area=other_street)
    VolunteerProfile.objects.filter(pk__in=[v1.pk, v2.pk, v3.pk]).update(
        created_at=local(2025, 5, 1, 12)
    )
    VolunteerProfile.objects.filter(pk=v4.pk).update(created_at=local(2026, 2, 1, 12))
    team = TeamFactory(
        area=district, kind=Team.Kind.LECTURERS, name="巾帼宣讲团", name_en="Lecture group"
    )
    TeamMembershipFactory(team=team, volunteer=v1)
    TeamMembershipFactory(team=team, volunteer=v4)

    a = slot_make(home, Activity.Kind.CLASS, local(2026, 1, 1, 0), local(2026, 1, 1, 2), 2)
    AssignmentFactory(role=a, volunteer=v1, status=Assignment.Status.ATTENDED)
    AssignmentFactory(role=a, volunteer=v2, status=Assignment.Status.NO_SHOW)
    b = slot_make(hall, Activity.Kind.RIGHTS, local(2026, 3, 31, 22), local(2026, 3, 31, 23, 30), 3)
    b.skill = lecturing
    b.save()
    AssignmentFactory(role=b, volunteer=v1, status=Assignment.Status.ATTENDED)
    AssignmentFactory(role=b, volunteer=v4, status=Assignment.Status.ATTENDED)
    AssignmentFactory(role=b, volunteer=v3, status=Assignment.Status.CANCELLED, cancelled_late=True)
    for venue, kind, start, status in [
        (home, Activity.Kind.CLASS, local(2026, 4, 1, 0), Slot.Status.SCHEDULED),
        (home, Activity.Kind.LECTURE, local(2025, 12, 31, 23, 30), Slot.Status.SCHEDULED),
        (away, Activity.Kind.CLASS, local(2026, 2, 10, 10), Slot.Status.SCHEDULED),
        (home, Activity.Kind.SALON, local(2026, 2, 10, 10), Slot.Status.CANCELLED),
    ]:
        role = slot_make(venue, kind, start, start + timedelta(hours=1), 1, status=status)
        AssignmentFactory(role=role, volunteer=v2, status=Assignment.Status.ATTENDED)

    peace = Compound.objects.create(
        area=community, name="和平小区", latitude=Decimal("24.5"), longitude=Decimal("118.1")
    )
    bright = Compound.objects.create(
        area=other_street, name="光明小区", latitude=Decimal("24.5"), longitude=Decimal("118.2")
    )
    far = Compound.objects.create(
        area=other_district, name="远方小区", latitude=Decimal("25"), longitude=Decimal("119")
    )
    S, K = Dispute.Source, Dispute.Kind
    d1 = _dispute(
        community,
        peace,
        S.LETTER,
        K.FAMILY,
        local(2026, 1, 10, 9),
        status=Dispute.Status.RESOLVED,
        assessed_at=local(2026, 1, 11, 9),
        resolved_at=local(2026, 1, 20, 9),
    )
    d2 = _dispute(
        other_street,
        bright,
        S.WALK_IN,
        K.NEIGHBOUR,
        local(2026, 2, 1, 9),
        status=Dispute.Status.REFERRED,
        assessed_at=local(2026, 2, 2, 9),
        level=3,
    )
    _dispute(other_street, bright, S.HOTLINE, K.FAMILY, local(2026, 3, 1, 9))
    d4 = _dispute(
        community,
        peace,
        S.HOTLINE,
        K.FAMILY,
        local(2025, 12, 1, 9),
        status=Dispute.Status.RESOLVED,
        assessed_at=local(2025, 12, 2, 9),
        resolved_at=local(2026, 1, 4, 9),
    )
    _dispute(other_district, far, S.LETTER, K.FAMILY, local(2026, 1, 5, 9))
    for dispute, step, day in [
        (d1, 1, (2026, 1, 12)),
        (d1, 2, (2026, 1, 15)),
        (d4, 4, (2026, 1, 4)),
        (d2, 1, (2026, 4, 1)),
    ]:
        Visit.objects.create(dispute=dispute, step=step, visited_on=datetime(*day).date())

    for status, when in [
        (Message.Status.DELIVERED, local(2026, 1, 5, 9)),
        (Message.Status.FAILED, local(2026, 2, 5, 9)),
        (Message.Status.DELIVERED, local(2026, 4, 5, 9)),
    ]:
        m = Message.objects.create(
            user=v1.user, to=v1.phone, body="…", language="zh", kind="test", status=status
        )
        Message.objects.filter(pk=m.pk).update(created_at=when)
    opt = OptOut.objects.create(phone=v4.phone, source=OptOut.Source.KEYWORD, keyword="STOP")
    OptOut.objects.filter(pk=opt.pk).update(created_at=local(2026, 2, 2, 9))

    return World(
        district=district,
        street=street,
        other_street=other_street,
        community=community,
        other_district=other_district,
        coordinator=CoordinatorFactory(area=district, user=UserFactory(email="c@example.org")).user,
        street_coordinator=CoordinatorFactory(
            area=street, user=UserFactory(email="street@example.org")
        ).user,
        other_coordinator=CoordinatorFactory(
            area=other_district, user=UserFactory(email="other@example.org")
        ).user,
        volunteer=v1.user,
        host=host,
        admin=UserFactory(email="admin@example.org", is_staff=True, is_superuser=True),
        home=home,
    )
