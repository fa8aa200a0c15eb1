"""The database turned into the engine's weekly instance (PROBLEM.md shape)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from activities.models import Assignment
from matching.selectors import week_inputs
from volunteers.models import Absence

pytestmark = pytest.mark.django_db


def _week(world, **kwargs):
    weeks = list(
        week_inputs(
            area=kwargs.pop("area", world.district),
            start=world.tuesday - timedelta(days=1),
            end=world.tuesday + timedelta(days=5),
            **kwargs,
        )
    )
    assert len(weeks) == 1
    return weeks[0]


def _by_id(items):
    return {item["id"]: item for item in items}


def test_slot_role_becomes_a_seat_group_in_local_time(world):
    _slot, role = world.slot(skill=world.counselling, needed=2, language="en")
    instance = _week(world).instance
    (seat_group,) = instance["slots"]
    assert seat_group["id"] == f"R{role.pk}"
    assert seat_group["start"] == f"{world.tuesday.isoformat()}T18:00"
    assert seat_group["end"] == f"{world.tuesday.isoformat()}T20:00"
    assert seat_group["required_skills"] == ["counselling", "lang:en"]
    assert seat_group["needed"] == 2
    assert instance["meta"]["variant"] == "staffing"
    assert instance["meta"]["week_start"].endswith("T00:00")


def test_only_verified_skills_count_where_verification_is_needed(world):
    world.slot(skill=world.counselling)
    verified = world.volunteer("Verified", skills=[world.counselling])
    pending = world.volunteer("Pending", skills=[world.counselling, world.lecture], verified=False)
    people = _by_id(_week(world).instance["volunteers"])
    assert "counselling" in people[f"P{verified.pk}"]["skills"]
    # Lecture needs no verification, so it counts even though nobody verified it.
    assert "counselling" not in people[f"P{pending.pk}"]["skills"]
    assert "lecture" in people[f"P{pending.pk}"]["skills"]


def test_weekly_windows_expand_over_the_dates_minus_days_away(world):
    world.slot()
    anna = world.volunteer("Anna", windows=[(1, 17, 22), (3, 9, 12), (3, 12, 15)])
    away = world.volunteer("Away", windows=[(1, 17, 22), (3, 9, 12)])
    Absence.objects.create(volunteer=away, start_date=world.tuesday, end_date=world.tuesday)
    people = _by_id(_week(world).instance["volunteers"])
    thursday = (world.tuesday + timedelta(days=2)).isoformat()
    assert people[f"P{anna.pk}"]["availability"] == [
        {"start": f"{world.tuesday}T17:00", "end": f"{world.tuesday}T22:00"},
        # Touching windows are one: a shift across noon fits.
        {"start": f"{thursday}T09:00", "end": f"{thursday}T15:00"},
    ]
    assert people[f"P{away.pk}"]["availability"] == [
        {"start": f"{thursday}T09:00", "end": f"{thursday}T12:00"}
    ]


def test_held_seats_are_fixed_pairs_on_the_slot(world):
    slot, role = world.slot(needed=3)
    held = world.volunteer("Held", max_hours=6)
    Assignment.objects.create(
        slot=slot, role=role, volunteer=held, status=Assignment.Status.CONFIRMED
    )
    week = _week(world)
    groups = _by_id(week.instance["slots"])
    assert groups[f"R{role.pk}"]["needed"] == 3
    assert week.fixed == [(f"R{role.pk}", f"P{held.pk}")]
    assert week.seated[f"R{role.pk}"] == 1
    assert week.open_seats == 2
    person = _by_id(week.instance["volunteers"])[f"P{held.pk}"]
    # The engine counts the fixed shift's time and hours itself.
    assert person["max_hours"] == 6


def test_shifts_held_outside_the_instance_take_her_time_and_hours(world):
    from tests.factories import CommunityFactory, StreetFactory, VenueFactory

    world.slot(start=19, end=21, title="Here")
    elsewhere = VenueFactory(
        area=CommunityFactory(parent=StreetFactory(parent=world.other_district))
    )
    there, there_role = world.slot(venue=elsewhere, title="There")
    held = world.volunteer("Held", max_hours=6)
    Assignment.objects.create(
        slot=there, role=there_role, volunteer=held, status=Assignment.Status.CONFIRMED
    )
    person = _by_id(_week(world).instance["volunteers"])[f"P{held.pk}"]
    assert person["max_hours"] == 4
    # 17–22 minus the confirmed 18–20 elsewhere: she cannot be put on the 19–21 shift here.
    assert person["availability"] == [
        {"start": f"{world.tuesday}T17:00", "end": f"{world.tuesday}T18:00"},
        {"start": f"{world.tuesday}T20:00", "end": f"{world.tuesday}T22:00"},
    ]


def test_full_slot_and_slots_outside_the_area_are_left_out(world):
    slot, role = world.slot(needed=1)
    Assignment.objects.create(
        slot=slot, role=role, volunteer=world.volunteer("Held"), status="confirmed"
    )
    from tests.factories import CommunityFactory, StreetFactory, VenueFactory

    elsewhere = VenueFactory(
        area=CommunityFactory(parent=StreetFactory(parent=world.other_district))
    )
    world.slot(venue=elsewhere)
    week = list(week_inputs(area=world.district, start=world.tuesday, end=world.tuesday))[0]
    assert week.instance["slots"] == []


def test_a_street_run_sees_only_people_living_in_it(world):
    world.slot()
    inside = world.volunteer("Inside")
    from tests.factories import StreetFactory

    outside = world.volunteer("Outside", home=StreetFactory(parent=world.district))
    people = _by_id(_week(world, area=world.street).instance["volunteers"])
    assert f"P{inside.pk}" in people
    assert f"P{outside.pk}" not in people


def test_team_reserved_slots_need_the_team_tag(world):
    from volunteers.models import Team, TeamMembership

    slot, role = world.slot()
    team = Team.objects.create(name="洋妈妈", name_en="Foreign mothers", area=world.district)
    slot.activity.team = team
    slot.activity.save()
    member = world.volunteer("Member")
    TeamMembership.objects.create(team=team, volunteer=member)
    week = _week(world)
    assert _by_id(week.instance["slots"])[f"R{role.pk}"]["required_skills"] == [f"team:{team.pk}"]
    assert f"team:{team.pk}" in _by_id(week.instance["volunteers"])[f"P{member.pk}"]["skills"]


def test_locked_and_removed_pairs_are_passed_on(world):
    _slot, role = world.slot(needed=2)
    a = world.volunteer("A")
    b = world.volunteer("B")
    week = _week(world, locked=[(role.pk, a.pk)], excluded=[(role.pk, b.pk)])
    assert week.fixed == []
    assert week.locked == [(f"R{role.pk}", f"P{a.pk}")]
    assert week.excluded == [(f"R{role.pk}", f"P{b.pk}")]
