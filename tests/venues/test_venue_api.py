"""Areas and venues through the API: coordinators create in their area, hosts edit their own."""

from __future__ import annotations

import pytest

from tests.factories import (
    AreaFactory,
    CoordinatorFactory,
    StreetFactory,
    UserFactory,
    VenueFactory,
    VolunteerFactory,
)
from venues.models import Area, Venue

pytestmark = pytest.mark.django_db


@pytest.fixture
def street():
    return StreetFactory()


@pytest.fixture
def coordinator(street):
    return CoordinatorFactory(area=street).user


@pytest.fixture
def host():
    return UserFactory()


def venue_payload(area, **extra):
    data = {
        "name": "金桥国际社区妇女之家",
        "name_en": "Jinqiao International Women's Home",
        "kind": "international",
        "area": area.pk,
        "address": "金桥路 88 号",
        "latitude": "31.250000",
        "longitude": "121.580000",
        "timezone": "Asia/Shanghai",
        "capacity": 60,
        "opening_hours": "Mon–Sat 9:00–21:00",
        "facilities": "projector, kitchen",
        "rooms": [{"name": "活动室", "capacity": 30}, {"name": "咨询室", "capacity": 4}],
    }
    data.update(extra)
    return data


def test_coordinator_adds_a_community_under_her_street(coordinator, street, api_for):
    response = api_for(coordinator).post(
        "/api/v1/areas/",
        {"name": "金桥社区", "name_en": "Jinqiao", "level": "community", "parent": street.pk},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert Area.objects.get(pk=response.json()["id"]).parent == street
    listed = api_for(coordinator).get("/api/v1/areas/").json()
    assert {a["name"] for a in listed["results"]} == {street.name, "金桥社区"}


def test_coordinator_cannot_add_areas_outside_her_area(coordinator, api_for):
    elsewhere = StreetFactory()
    response = api_for(coordinator).post(
        "/api/v1/areas/",
        {"name": "别处社区", "level": "community", "parent": elsewhere.pk},
        format="json",
    )
    assert response.status_code == 403
    assert not Area.objects.filter(name="别处社区").exists()


def test_area_levels_must_nest(coordinator, street, api_for):
    response = api_for(coordinator).post(
        "/api/v1/areas/", {"name": "错层", "level": "street", "parent": street.pk}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["level"] == ["A district holds streets, and a street holds communities."]


@pytest.mark.parametrize("who", ["host", "volunteer"])
def test_areas_are_for_coordinators_only(who, host, api_for):
    user = host if who == "host" else VolunteerFactory().user
    if who == "host":
        VenueFactory(hosts=[host])
    assert api_for(user).get("/api/v1/areas/").status_code == 403
    assert (
        api_for(user).post("/api/v1/areas/", {"name": "x", "level": "community"}).status_code == 403
    )


def test_coordinator_opens_a_venue_with_rooms_and_hosts(coordinator, street, host, api_for):
    response = api_for(coordinator).post(
        "/api/v1/venues/", venue_payload(street, hosts=[host.pk]), format="json"
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["hosts"] == [host.pk]
    assert sorted(r["name"] for r in body["rooms"]) == ["咨询室", "活动室"]
    assert body["kind"] == "international" and body["capacity"] == 60


def test_coordinator_cannot_open_a_venue_elsewhere(coordinator, api_for):
    response = api_for(coordinator).post(
        "/api/v1/venues/", venue_payload(StreetFactory()), format="json"
    )
    assert response.status_code == 403
    assert not Venue.objects.exists()


def test_bad_venue_input_names_the_field(coordinator, street, api_for):
    response = api_for(coordinator).post(
        "/api/v1/venues/",
        venue_payload(street, timezone="Mars/Olympus", rooms=[{"name": "A", "capacity": 0}]),
        format="json",
    )
    assert response.status_code == 400
    body = response.json()
    assert body["timezone"] == ["“Mars/Olympus” is not a known time zone."]
    assert body["rooms"] == ["Room 1 needs room for at least one person."]


def test_host_edits_her_venue_but_not_its_hosts(host, api_for):
    venue = VenueFactory(hosts=[host])
    response = api_for(host).patch(
        f"/api/v1/venues/{venue.pk}/",
        {"opening_hours": "每天 8:00–20:00", "rooms": [{"name": "大厅", "capacity": 80}]},
        format="json",
    )
    assert response.status_code == 200, response.json()
    venue.refresh_from_db()
    assert venue.opening_hours == "每天 8:00–20:00"
    assert [r.name for r in venue.rooms.all()] == ["大厅"]
    response = api_for(host).patch(
        f"/api/v1/venues/{venue.pk}/", {"hosts": [UserFactory().pk]}, format="json"
    )
    assert response.status_code == 403
    assert list(venue.hosts.all()) == [host]


def test_host_cannot_edit_another_venue(host, api_for):
    VenueFactory(hosts=[host])
    other = VenueFactory(opening_hours="9-17")
    response = api_for(host).patch(
        f"/api/v1/venues/{other.pk}/", {"opening_hours": "x"}, format="json"
    )
    # Not hers: the same answer as a venue that does not exist.
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.opening_hours == "9-17"


def test_hosts_list_their_own_venues_only(host, api_for):
    mine = VenueFactory(hosts=[host])
    VenueFactory()
    listed = api_for(host).get("/api/v1/venues/").json()
    assert [v["id"] for v in listed["results"]] == [mine.pk]


def test_volunteers_and_anonymous_are_refused(api_for):
    assert api_for(VolunteerFactory().user).get("/api/v1/venues/").status_code == 403
    assert api_for().get("/api/v1/venues/").status_code == 401


def test_coordinator_assigns_hosts_in_her_area(coordinator, street, host, api_for):
    venue = VenueFactory(area=AreaFactory(level="community", parent=street))
    response = api_for(coordinator).patch(
        f"/api/v1/venues/{venue.pk}/", {"hosts": [host.pk]}, format="json"
    )
    assert response.status_code == 200
    assert list(venue.hosts.all()) == [host]


def test_time_zone_is_fixed_while_activities_run(host, api_for):
    from datetime import timedelta

    from django.utils import timezone

    from tests.factories import ActivityFactory

    venue = VenueFactory(hosts=[host])
    url = f"/api/v1/venues/{venue.pk}/"
    assert api_for(host).patch(url, {"timezone": "Europe/Berlin"}, format="json").status_code == 200
    ActivityFactory(venue=venue, starts_at=timezone.now() + timedelta(days=1))
    response = api_for(host).patch(url, {"timezone": "Asia/Shanghai"}, format="json")
    assert response.status_code == 400
    assert response.json()["timezone"] == [
        "The time zone can change only while no activity is running at the venue."
    ]
