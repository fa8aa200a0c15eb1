"""Check-in: the host marks attendance on the roster; the volunteer checks in by the QR link in
a window around the start; people outside the venue's scope are refused."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse

from activities.services.signup import slot_sign_up
from tests.factories import CoordinatorFactory, VenueFactory
from tests.world import host_of, local, make_slot, make_volunteer

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    venue = VenueFactory()
    starts = local(2, 10)
    slot, _role = make_slot(starts_at=starts, venue=venue, needed=3)
    volunteer = make_volunteer()
    assignment = slot_sign_up(volunteer=volunteer, slot=slot)
    return {"venue": venue, "slot": slot, "volunteer": volunteer, "assignment": assignment}


def test_qr_checkin_inside_the_window(client, world):
    slot, volunteer, assignment = world["slot"], world["volunteer"], world["assignment"]
    client.force_login(volunteer.user)
    url = reverse("slot_checkin", args=[slot.checkin_token])
    with time_machine.travel(slot.starts_at - timedelta(hours=3), tick=False):
        response = client.post(url, follow=True)
    assert "Check-in is open from" in response.content.decode()
    assignment.refresh_from_db()
    assert assignment.status == "confirmed"
    with time_machine.travel(slot.starts_at - timedelta(minutes=10), tick=False):
        response = client.post(url, follow=True)
        assert "You are checked in" in response.content.decode()
    assignment.refresh_from_db()
    assert assignment.status == "attended"
    assert assignment.checked_in_at is not None


def test_qr_checkin_refused_without_a_seat(client, world):
    slot = world["slot"]
    stranger = make_volunteer()
    client.force_login(stranger.user)
    with time_machine.travel(slot.starts_at, tick=False):
        response = client.post(reverse("slot_checkin", args=[slot.checkin_token]), follow=True)
    assert "You do not have a confirmed seat" in response.content.decode()


def test_roster_shows_qr_and_host_marks_attendance(client, world):
    slot, assignment = world["slot"], world["assignment"]
    host = host_of(world["venue"])
    client.force_login(host)
    page = client.get(reverse("slot_roster", args=[slot.pk]))
    assert page.status_code == 200
    body = page.content.decode()
    assert "<svg" in body
    assert slot.checkin_token in body
    with time_machine.travel(slot.starts_at + timedelta(minutes=5), tick=False):
        row = client.post(
            reverse("assignment_mark_page", args=[assignment.pk]),
            {"status": "no_show"},
            HTTP_HX_REQUEST="true",
        )
    assert row.status_code == 200
    assignment.refresh_from_db()
    assert assignment.status == "no_show"


def test_roster_refused_to_other_hosts_and_coordinators_out_of_area(client, world):
    slot, assignment = world["slot"], world["assignment"]
    for outsider in (host_of(VenueFactory()), CoordinatorFactory().user, world["volunteer"].user):
        client.force_login(outsider)
        assert client.get(reverse("slot_roster", args=[slot.pk])).status_code == 404
        with time_machine.travel(slot.starts_at, tick=False):
            marked = client.post(
                reverse("assignment_mark_page", args=[assignment.pk]), {"status": "attended"}
            )
        assert marked.status_code == 404
    assignment.refresh_from_db()
    assert assignment.status == "confirmed"


def test_api_checkin_and_mark_per_role(world, api_for):
    slot, assignment = world["slot"], world["assignment"]
    coordinator = CoordinatorFactory(area=world["venue"].area).user
    other_host = host_of(VenueFactory())

    with time_machine.travel(slot.starts_at + timedelta(minutes=1), tick=False):
        url = f"/api/v1/assignments/{assignment.pk}/check-in/"
        assert api_for(other_host).post(url).status_code == 404
        mark = f"/api/v1/assignments/{assignment.pk}/mark/"
        refused = api_for(world["volunteer"].user).post(mark, {"status": "attended"})
        assert refused.status_code == 403
        done = api_for(coordinator).post(url)
        assert done.status_code == 200
        assert done.json()["status"] == "attended"


def test_signing_up_again_after_check_in_is_refused_not_an_error(world):
    from activities.services.signup import assignment_check_in, slot_sign_up
    from core.errors import Conflict

    slot, volunteer, assignment = world["slot"], world["volunteer"], world["assignment"]
    with time_machine.travel(slot.starts_at - timedelta(minutes=30), tick=False):
        assignment_check_in(assignment=assignment, by=volunteer.user)
        with pytest.raises(Conflict) as info:
            slot_sign_up(volunteer=volunteer, slot=slot)
    assert info.value.code == "already_signed_up"
