"""Every "Add to calendar" link a page offers works for whoever reads the page; none is offered
for a mediation day to people not on it, nor for a waitlisted shift; an anonymous visitor on a
slot page is sent back to what's on, not to a page that needs signing in."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse

from activities.models import Activity, Assignment
from tests.clock import NOW
from tests.factories import (
    ActivityFactory,
    AssignmentFactory,
    SlotFactory,
    SlotRoleFactory,
    VenueFactory,
)
from tests.world import make_volunteer

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

CALENDAR_LINK = re.compile(r'href="(/calendar/slots/\d+\.ics)"')


@pytest.fixture
def venue():
    return VenueFactory()


def slot_at(venue, *, kind=Activity.Kind.CLASS, days=2):
    start = NOW + timedelta(days=days)
    activity = ActivityFactory(
        venue=venue, kind=kind, starts_at=start, ends_at=start + timedelta(hours=2)
    )
    slot = SlotFactory(activity=activity)
    SlotRoleFactory(slot=slot, needed=1)
    return slot


def calendar_links(response) -> list[str]:
    assert response.status_code == 200
    return CALENDAR_LINK.findall(response.content.decode())


@pytest.mark.parametrize("page", ["whats_on", "venue_public"])
def test_public_pages_offer_the_calendar_only_where_it_answers(client, venue, page):
    salon = slot_at(venue)
    mediation_day = slot_at(venue, kind=Activity.Kind.MEDIATION, days=3)
    url = reverse(page, args=[venue.pk]) if page == "venue_public" else reverse(page)
    links = calendar_links(client.get(url))
    assert f"/calendar/slots/{salon.pk}.ics" in links
    assert f"/calendar/slots/{mediation_day.pk}.ics" not in links
    for link in links:
        assert client.get(link).status_code == 200


def test_a_volunteer_not_on_a_mediation_day_is_not_offered_it(client, venue):
    slot_at(venue, kind=Activity.Kind.MEDIATION)
    client.force_login(make_volunteer().user)
    for link in calendar_links(client.get(reverse("whats_on"))):
        assert client.get(link).status_code == 200


def test_a_waitlisted_shift_is_not_offered_for_the_calendar(client, venue):
    slot = slot_at(venue)
    waiting = make_volunteer()
    AssignmentFactory(role=slot.roles.get(), volunteer=waiting, status=Assignment.Status.WAITLISTED)
    client.force_login(waiting.user)
    assert calendar_links(client.get(reverse("slot_detail", args=[slot.pk]))) == []
    assert calendar_links(client.get("/")) == []


def test_a_confirmed_shift_is_offered_and_the_link_works(client, venue):
    slot = slot_at(venue)
    seated = make_volunteer()
    AssignmentFactory(role=slot.roles.get(), volunteer=seated)
    client.force_login(seated.user)
    for page in (reverse("slot_detail", args=[slot.pk]), "/"):
        links = calendar_links(client.get(page))
        assert links == [f"/calendar/slots/{slot.pk}.ics"]
        assert client.get(links[0]).status_code == 200


def test_an_anonymous_visitor_is_sent_back_to_whats_on(client, venue):
    slot = slot_at(venue)
    body = client.get(reverse("slot_detail", args=[slot.pk])).content.decode()
    assert "Back to what's on" in body
    assert "Back to shifts for me" not in body
    assert f'href="{reverse("whats_on")}"' in body


def test_a_volunteer_is_sent_back_to_her_shifts(client, venue):
    slot = slot_at(venue)
    client.force_login(make_volunteer().user)
    body = client.get(reverse("slot_detail", args=[slot.pk])).content.decode()
    assert "Back to shifts for me" in body
