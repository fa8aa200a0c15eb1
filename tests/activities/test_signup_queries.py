"""What one sign-up costs the database: the same number of queries whatever her history and
however many others are on the shift (page and API), with her text and invitation written."""

from __future__ import annotations

import pytest
from django.core import mail

from activities.models import Assignment
from activities.services.signup import assignment_cancel, slot_sign_up
from notifications.models import Message
from tests.world import local, make_slot, make_volunteer, reachable_volunteer

pytestmark = pytest.mark.django_db

# Session and user, her profile and roles; the slot's roles, the seats and her profile under
# lock (with whether her number opted out); her facts in one read (not her skills: no role asks
# for one), which bring her invitation's earlier sequence on the slot; the seat written with
# the next; her text and its question (her open questions read, nothing to close; the question
# written in a savepoint); its outbox email. Whether she may see the slot is read from the
# locked slot (a query only for a confidential kind).
PAGE_QUERIES = 15
# The same without the session (the API client is authenticated directly).
API_QUERIES = 13


def _busy_slot(volunteer, *, history: int):
    """A shift with ``history`` others on it, for a volunteer who holds ``history`` shifts."""
    for day in range(history):
        other, _role = make_slot(starts_at=local(4 + day, 10))
        slot_sign_up(volunteer=volunteer, slot=other)
    slot, _role = make_slot(starts_at=local(3, 10), needed=history + 2)
    for _ in range(history):
        slot_sign_up(volunteer=make_volunteer(), slot=slot)
    return slot


def _told(volunteer, slot) -> None:
    seat = Assignment.objects.get(volunteer=volunteer, slot=slot)
    assert seat.status == Assignment.Status.CONFIRMED
    text = Message.objects.get(user=volunteer.user, kind="confirmed", question__ref=str(seat.pk))
    assert text.to == volunteer.phone
    assert [m.to for m in mail.outbox if "Shift confirmed" in m.subject][-1] == [
        volunteer.user.email
    ]


@pytest.mark.parametrize("history", [0, 12])
def test_signing_up_on_the_page_costs_the_same_whatever_the_data(
    history, client, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    volunteer = reachable_volunteer(hours=60)
    slot = _busy_slot(volunteer, history=history)
    client.force_login(volunteer.user)
    with (
        django_capture_on_commit_callbacks(execute=True),
        django_assert_max_num_queries(PAGE_QUERIES),
    ):
        response = client.post(f"/shifts/{slot.pk}/signup/")
    assert response.status_code == 302
    assert response["Location"] == f"/shifts/{slot.pk}/"
    _told(volunteer, slot)


@pytest.mark.parametrize("history", [0, 12])
def test_signing_up_through_the_api_costs_the_same_whatever_the_data(
    history, api_for, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    volunteer = reachable_volunteer(hours=60)
    slot = _busy_slot(volunteer, history=history)
    api = api_for(volunteer.user)
    with (
        django_capture_on_commit_callbacks(execute=True),
        django_assert_max_num_queries(API_QUERIES),
    ):
        response = api.post(f"/api/v1/slots/{slot.pk}/signup/", {}, format="json")
    assert response.status_code == 201
    assert response.json()["status"] == "confirmed"
    _told(volunteer, slot)


def test_signing_up_for_a_shift_that_does_not_exist_is_404(client):
    volunteer = reachable_volunteer()
    client.force_login(volunteer.user)
    assert client.post("/shifts/999999/signup/").status_code == 404
    assert not Assignment.objects.exists()


# The slot's roles (found through her own sign-up, not read before), then its seats and who
# waits on it in one read, the profiles under lock (with whether her number opted out); the
# assignment re-read under lock and cancelled with its invitation's sequence; her question
# closed, her text and her invitation's email; the transaction (a savepoint inside the test's
# own) opened and released. Nobody waits: no waitlist of the role is read for a successor.
CANCEL_QUERIES = 10


@pytest.mark.parametrize("history", [0, 12])
def test_cancelling_through_the_api_costs_the_same_whatever_the_data(
    history, api_for, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    volunteer = reachable_volunteer(hours=60)
    slot = _busy_slot(volunteer, history=history)
    seat = slot_sign_up(volunteer=volunteer, slot=slot)
    mail.outbox.clear()
    api = api_for(volunteer.user)
    with (
        django_capture_on_commit_callbacks(execute=True),
        django_assert_max_num_queries(CANCEL_QUERIES),
    ):
        response = api.post(f"/api/v1/assignments/{seat.pk}/cancel/", format="json")
    assert response.status_code == 200
    seat.refresh_from_db()
    assert seat.status == Assignment.Status.CANCELLED
    assert Message.objects.filter(user=volunteer.user, kind="cancelled").count() == 1
    assert [m.to for m in mail.outbox if "Removed from your calendar" in m.subject] == [
        [volunteer.user.email]
    ]


def test_a_cancelled_seat_still_goes_to_the_first_who_waits():
    volunteer, waiting = reachable_volunteer(), reachable_volunteer()
    slot, _role = make_slot(needed=1)
    seat = slot_sign_up(volunteer=volunteer, slot=slot)
    assert slot_sign_up(volunteer=waiting, slot=slot).status == Assignment.Status.WAITLISTED
    assignment_cancel(assignment=seat, by=volunteer.user)
    moved = Assignment.objects.get(volunteer=waiting, slot=slot)
    assert moved.status == Assignment.Status.CONFIRMED
