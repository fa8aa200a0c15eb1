"""Slots of confidential kinds (mediation, one-to-one counselling) exist only for the people on
them and those who manage them: no public page, list, feed or API shows them to anyone else,
their pages answer 404 like a slot that does not exist, and texts about them say the time and
place only."""

from __future__ import annotations

import pytest
from django.test import Client

from activities.models import Activity, Assignment
from activities.services.signup import assignment_create_confirmed
from notifications.models import Message
from tests.factories import AreaFactory, TeamFactory, TeamMembershipFactory, UserFactory
from tests.world import local, make_slot, make_volunteer
from volunteers.models import TeamMembership

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


@pytest.fixture
def district(db):
    """The cast's district (this folder's conftest builds a bigger one for other tests)."""
    return AreaFactory(name="示范区", name_en="Model District")


SECRET = "Wang family dispute"
KINDS = [Activity.Kind.MEDIATION, Activity.Kind.COUNSELLING]


def _client(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _confidential(venue, kind, *, team=None):
    slot, role = make_slot(venue=venue, kind=kind, starts_at=local(2, 10), needed=2, team=team)
    slot.activity.title = slot.activity.title_en = SECRET
    slot.activity.save(update_fields=["title", "title_en"])
    return slot, role


def _open_slot(venue):
    slot, role = make_slot(venue=venue, starts_at=local(2, 14))
    slot.activity.title = slot.activity.title_en = "Sewing class"
    slot.activity.save(update_fields=["title", "title_en"])
    return slot, role


@pytest.mark.parametrize("kind", KINDS)
def test_public_pages_never_show_a_confidential_slot(venue, kind):
    slot, _role = _confidential(venue, kind)
    _open_slot(venue)
    for url in ["/", "/whats-on/", f"/venues/{venue.pk}/", f"/calendar/venues/{venue.pk}.ics"]:
        body = _client().get(url).content.decode()
        assert SECRET not in body, url
        assert f"/shifts/{slot.pk}/" not in body, url
    # Nor is its kind offered in the filters of the lists it is not in.
    assert f'value="{kind}"' not in _client().get("/whats-on/").content.decode()
    # The open class next to it is listed: the pages are not simply empty.
    assert "Sewing class" in _client().get("/whats-on/").content.decode()
    assert "Sewing class" in _client().get(f"/venues/{venue.pk}/").content.decode()


@pytest.mark.parametrize("kind", KINDS)
def test_the_home_page_does_not_count_it_among_coming_activities(venue, kind):
    _confidential(venue, kind)
    _open_slot(venue)
    response = _client().get("/")
    assert response.context["stats"]["upcoming"] == 1
    assert [s.activity.title_en for s in response.context["upcoming"]] == ["Sewing class"]


@pytest.mark.parametrize("kind", KINDS)
def test_the_slot_list_api_never_returns_it_even_to_its_managers(
    venue, kind, api_for, volunteer, host, coordinator, admin
):
    slot, _role = _confidential(venue, kind)
    other, _ = _open_slot(venue)
    for user in [volunteer.user, host, coordinator, admin]:
        for params in ["", f"?venue={venue.pk}", f"?kind={kind}", "?open=true"]:
            response = api_for(user).get(f"/api/v1/slots/{params}")
            assert response.status_code == 200
            ids = [row["id"] for row in response.json()["results"]]
            assert slot.pk not in ids, (user, params)
    listed = api_for(volunteer.user).get("/api/v1/slots/").json()["results"]
    assert other.pk in [row["id"] for row in listed]


@pytest.mark.parametrize("kind", KINDS)
def test_shifts_for_me_and_the_team_page_leave_it_out(venue, kind, volunteer):
    team = TeamFactory()
    TeamMembershipFactory(team=team, volunteer=volunteer, role=TeamMembership.Role.LEADER)
    _confidential(venue, kind, team=team)
    open_slot, _ = _open_slot(venue)
    open_slot.activity.team = team
    open_slot.activity.save(update_fields=["team"])
    client = _client(volunteer.user)
    assert SECRET not in client.get("/shifts/?everything=on").content.decode()
    response = client.get(f"/teams/{team.pk}/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Sewing class" in body
    assert SECRET not in body


@pytest.mark.parametrize("kind", KINDS)
def test_its_page_answers_404_to_whoever_is_not_on_it_nor_manages_it(
    venue, kind, volunteer, other_host, other_coordinator
):
    slot, _role = _confidential(venue, kind)
    outsiders = [None, volunteer.user, other_host, other_coordinator]
    for user in outsiders:
        client = _client(user)
        for url in [f"/shifts/{slot.pk}/", f"/s/{slot.pk}/", f"/calendar/slots/{slot.pk}.ics"]:
            assert client.get(url).status_code == 404, (user, url)
    # Not even a sign-up through the page or the API reaches it.
    response = _client(volunteer.user).post(f"/shifts/{slot.pk}/signup/")
    assert response.status_code == 404
    api = Client()
    api.force_login(volunteer.user)
    response = api.post(f"/api/v1/slots/{slot.pk}/signup/", {}, content_type="application/json")
    assert response.status_code == 404
    assert not Assignment.objects.filter(slot=slot).exists()


@pytest.mark.parametrize("kind", KINDS)
def test_the_people_on_it_and_its_managers_see_its_page(venue, kind, host, coordinator, admin):
    slot, role = _confidential(venue, kind)
    on_it = make_volunteer()
    Assignment.objects.create(
        slot=slot, role=role, volunteer=on_it, status=Assignment.Status.CONFIRMED
    )
    for user in [on_it.user, host, coordinator, admin]:
        response = _client(user).get(f"/shifts/{slot.pk}/")
        assert response.status_code == 200, user
        assert SECRET in response.content.decode()


def test_a_cancelled_sign_up_no_longer_opens_it(venue):
    slot, role = _confidential(venue, Activity.Kind.COUNSELLING)
    gone = make_volunteer()
    Assignment.objects.create(
        slot=slot, role=role, volunteer=gone, status=Assignment.Status.CANCELLED
    )
    assert _client(gone.user).get(f"/shifts/{slot.pk}/").status_code == 404


@pytest.mark.parametrize("kind", KINDS)
def test_a_text_about_it_says_time_and_place_only(venue, kind, coordinator):
    slot, role = _confidential(venue, kind)
    counsellor = make_volunteer(user=UserFactory(preferred_language="en"))
    assignment_create_confirmed(
        volunteer=counsellor, role=role, source=Assignment.Source.COORDINATOR, by=coordinator
    )
    [text] = Message.objects.filter(to=counsellor.phone)
    assert SECRET not in text.body
    assert "Appointment" in text.body
    assert venue.display_name in text.body
    assert f"/s/{slot.pk}/" not in text.body
