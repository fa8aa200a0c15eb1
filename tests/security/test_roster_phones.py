"""A slot's hosts see the numbers of the volunteers who hold a seat on it, not of those on the
waitlist nor of those who cancelled: on the roster, the host's slot page and the API."""

from __future__ import annotations

import pytest
from django.test import Client

from activities.models import Assignment
from tests.factories import AreaFactory
from tests.world import local, make_slot, make_volunteer

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

SEATED = "+8613900000001"
WAITING = "+8613900000002"
GONE = "+8613900000003"


@pytest.fixture
def district(db):
    """The cast's district (this folder's conftest builds a bigger one for other tests)."""
    return AreaFactory(name="示范区", name_en="Model District")


@pytest.fixture
def slot(venue):
    slot, role = make_slot(venue=venue, starts_at=local(2, 10), needed=1)
    for phone, status in [
        (SEATED, Assignment.Status.CONFIRMED),
        (WAITING, Assignment.Status.WAITLISTED),
        (GONE, Assignment.Status.CANCELLED),
    ]:
        Assignment.objects.create(
            slot=slot, role=role, volunteer=make_volunteer(phone=phone), status=status
        )
    return slot


def _page(user, url) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("url", ["/shifts/{pk}/roster/", "/host/slots/{pk}/"])
def test_the_host_pages_show_only_seated_numbers(slot, host, url):
    body = _page(host, url.format(pk=slot.pk))
    assert SEATED in body
    assert WAITING not in body
    assert GONE not in body


def test_the_api_gives_hosts_only_seated_numbers(slot, host, api_for):
    rows = api_for(host).get(f"/api/v1/assignments/?slot={slot.pk}").json()["results"]
    phones = {row["status"]: row["volunteer_phone"] for row in rows}
    assert phones == {"confirmed": SEATED, "waitlisted": None, "cancelled": None}


def test_a_waiting_volunteer_still_sees_her_own_number(slot, api_for):
    waiting = Assignment.objects.get(volunteer__phone=WAITING)
    [row] = api_for(waiting.volunteer.user).get("/api/v1/assignments/").json()["results"]
    assert row["volunteer_phone"] == WAITING


def test_an_attended_volunteer_keeps_her_number_on_the_roster(slot, host):
    Assignment.objects.filter(volunteer__phone=SEATED).update(status=Assignment.Status.ATTENDED)
    assert SEATED in _page(host, f"/shifts/{slot.pk}/roster/")


def test_the_hosts_list_filters_by_status_and_refuses_an_unknown_one(slot, host, api_for):
    api = api_for(host)
    rows = api.get(f"/api/v1/assignments/?slot={slot.pk}&status=waitlisted").json()["results"]
    assert [row["volunteer_phone"] for row in rows] == [None]
    assert [row["status"] for row in rows] == ["waitlisted"]
    assert len(api.get("/api/v1/assignments/").json()["results"]) == 3
    assert api.get("/api/v1/assignments/?status=lost").status_code == 400
