"""Scope per role, as the selectors decide it: a cast of coordinators, hosts and volunteers."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from activities.services.activities import activity_create
from core.errors import NotAllowed
from tests.factories import (
    AreaFactory,
    CommunityFactory,
    CoordinatorFactory,
    SkillFactory,
    StreetFactory,
    UserFactory,
    VenueFactory,
    VolunteerFactory,
    VolunteerSkillFactory,
)
from venues.models import Venue
from venues.selectors import areas_in_scope, areas_in_scope_q, venue_can_edit, venues_in_scope
from venues.services import venue_update
from volunteers.selectors import skill_links_pending, volunteer_profile_full
from volunteers.services import may_coordinate_volunteer

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    district = AreaFactory(name="长宁区")
    east, west = StreetFactory(parent=district), StreetFactory(parent=district)
    east_c, west_c = CommunityFactory(parent=east), CommunityFactory(parent=west)
    host, other_host = UserFactory(), UserFactory()
    return {
        "district": district,
        "east": east,
        "west": west,
        "east_c": east_c,
        "west_c": west_c,
        "east_venue": VenueFactory(area=east_c, hosts=[host]),
        "west_venue": VenueFactory(area=west_c, hosts=[other_host]),
        "host": host,
        "other_host": other_host,
        "district_coordinator": CoordinatorFactory(area=district).user,
        "east_coordinator": CoordinatorFactory(area=east).user,
    }


def test_district_coordinator_sees_the_whole_tree(world):
    areas = set(areas_in_scope(user=world["district_coordinator"]))
    assert areas == {world[k] for k in ("district", "east", "west", "east_c", "west_c")}
    assert set(venues_in_scope(user=world["district_coordinator"])) == {
        world["east_venue"],
        world["west_venue"],
    }


def test_street_coordinator_sees_only_under_her_own_street(world):
    coordinator = world["east_coordinator"]
    assert set(areas_in_scope(user=coordinator)) == {world["east"], world["east_c"]}
    assert list(venues_in_scope(user=coordinator)) == [world["east_venue"]]
    assert venue_can_edit(user=coordinator, venue=world["east_venue"])
    assert not venue_can_edit(user=coordinator, venue=world["west_venue"])


def test_the_scope_written_on_a_lists_own_joins_is_the_scope_of_areas(world):
    def venues(user):
        return set(Venue.objects.filter(areas_in_scope_q(user=user, prefix="area__")))

    both = {world["east_venue"], world["west_venue"]}
    assert venues(world["district_coordinator"]) == both
    assert venues(world["east_coordinator"]) == {world["east_venue"]}
    assert venues(world["host"]) == set()  # a host's venues are hers to run, not her area
    assert venues(UserFactory(is_superuser=True)) == both


def test_host_edits_only_her_own_venues(world):
    host = world["host"]
    assert list(areas_in_scope(user=host)) == []
    assert list(venues_in_scope(user=host)) == [world["east_venue"]]
    assert venue_update(venue=world["east_venue"], by=host, phone="+862162001234").phone
    with pytest.raises(NotAllowed):
        venue_update(venue=world["west_venue"], by=host, phone="+862100000000")
    world["west_venue"].refresh_from_db()
    assert world["west_venue"].phone != "+862100000000"


def test_host_posts_activities_only_at_her_venues(world):
    starts = timezone.now() + timedelta(days=2)
    kwargs = {
        "kind": "class",
        "title": "7点钟学堂",
        "starts_at": starts,
        "ends_at": starts + timedelta(hours=1),
        "roles": [{"needed": 1}],
    }
    assert activity_create(by=world["host"], venue=world["east_venue"], **kwargs).pk
    with pytest.raises(NotAllowed):
        activity_create(by=world["host"], venue=world["west_venue"], **kwargs)
    assert world["west_venue"].activities.count() == 0


def test_volunteer_sees_only_herself(world, api_for):
    her, other = VolunteerFactory(), VolunteerFactory()
    assert volunteer_profile_full(user=her.user) == her
    assert not may_coordinate_volunteer(user=her.user, volunteer=other)
    assert list(areas_in_scope(user=her.user)) == []
    assert list(venues_in_scope(user=her.user)) == []
    api = api_for(her.user)
    assert api.get("/api/v1/me/volunteer/").json()["id"] == her.pk
    assert api.get("/api/v1/me/").json()["volunteer"]["id"] == her.pk


def test_skills_to_verify_are_those_of_her_area_only(world):
    skill = SkillFactory(code="law", needs_verification=True)
    east_link = VolunteerSkillFactory(volunteer__home_area=world["east_c"], skill=skill)
    VolunteerSkillFactory(volunteer__home_area=world["west_c"], skill=skill)
    assert list(skill_links_pending(user=world["east_coordinator"])) == [east_link]
    assert skill_links_pending(user=world["district_coordinator"]).count() == 2
    assert not may_coordinate_volunteer(
        user=world["east_coordinator"], volunteer=VolunteerFactory(home_area=world["west_c"])
    )


def test_anonymous_sees_nothing():
    from django.contrib.auth.models import AnonymousUser

    anonymous = AnonymousUser()
    assert list(venues_in_scope(user=anonymous)) == []
    assert list(areas_in_scope(user=anonymous)) == []
