"""Invitations by email: REQUEST when confirmed, REQUEST (higher SEQUENCE) when moved, CANCEL."""

from __future__ import annotations

from datetime import datetime, timedelta
from email import message_from_bytes

import pytest
from django.core import mail

from activities import notices
from activities.models import Activity, Assignment, Slot
from activities.services.series import slot_cancel, slot_update
from activities.services.signup import assignment_cancel, slot_sign_up
from tests.clock import SH
from tests.factories import AssignmentFactory, UserFactory, VolunteerFactory
from tests.notifications.ical_checks import parse_strict
from tests.world import make_slot, make_volunteer

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


@pytest.fixture
def slot(post_series, venue):
    venue.latitude, venue.longitude = "31.2", "121.4"
    venue.save()
    activity = post_series(
        kind=Activity.Kind.CULTURE_EXCHANGE,
        title="洋妈妈文化交流",
        title_en="Foreign mothers' culture exchange",
        starts_at=datetime(2026, 6, 3, 14, 0, tzinfo=SH),
        ends_at=datetime(2026, 6, 3, 16, 0, tzinfo=SH),
        rrule="FREQ=WEEKLY;COUNT=4",
        roles=[{"needed": 2, "label": "Interpreter"}],
    )
    return Slot.objects.filter(activity=activity).order_by("starts_at").first()


@pytest.fixture
def her():
    return VolunteerFactory(user=UserFactory(email="li.na@example.org", name="Li Na"))


def confirm(slot, volunteer, capture) -> Assignment:
    with capture(execute=True):
        assignment = AssignmentFactory(
            role=slot.roles.first(), volunteer=volunteer, status=Assignment.Status.CONFIRMED
        )
        notices.assignment_confirmed(assignment, prompted=True)
    return assignment


def itip(message) -> tuple[str, object]:
    """The method of the inline text/calendar part, and its event (parsed strictly)."""
    parsed = message_from_bytes(message.message().as_bytes())
    parts = {p.get_content_type(): p for p in parsed.walk()}
    inline = parts["text/calendar"]
    assert inline.get_content_charset() == "utf-8"
    data = inline.get_payload(decode=True).replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
    calendar = parse_strict(data)
    attached = parse_strict(parts["application/ics"].get_payload(decode=True))
    assert str(attached["METHOD"]) == str(calendar["METHOD"]) == inline.get_param("method")
    [event] = calendar.walk("VEVENT")
    return inline.get_param("method"), event


def test_confirmed_then_moved_then_cancelled(slot, her, host, django_capture_on_commit_callbacks):
    confirm(slot, her, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1
    first = mail.outbox[0]
    assert first.to == ["li.na@example.org"]
    assert "Shift confirmed" in first.subject
    method, invited = itip(first)
    assert method == "REQUEST"
    assert str(invited["ORGANIZER"]).startswith("mailto:")
    assert str(invited["ATTENDEE"]) == "mailto:li.na@example.org"
    assert invited["ATTENDEE"].params["CN"] == "Li Na"
    assert "Your role: Interpreter" in str(invited["DESCRIPTION"])
    assert invited.walk("VALARM")

    with django_capture_on_commit_callbacks(execute=True):
        slot_update(
            slot=slot,
            scope="this",
            by=host,
            starts_at=slot.starts_at + timedelta(hours=1),
            ends_at=slot.ends_at + timedelta(hours=1),
        )
    assert len(mail.outbox) == 2
    method, moved = itip(mail.outbox[1])
    assert method == "REQUEST"
    assert "Shift moved" in mail.outbox[1].subject
    assert str(moved["UID"]) == str(invited["UID"])
    assert moved["SEQUENCE"] > invited["SEQUENCE"]
    assert moved.decoded("DTSTART") == slot.starts_at + timedelta(hours=1)

    with django_capture_on_commit_callbacks(execute=True):
        slot_cancel(slot=Slot.objects.get(pk=slot.pk), scope="this", by=host)
    assert len(mail.outbox) == 3
    method, cancelled = itip(mail.outbox[2])
    assert method == "CANCEL"
    assert str(cancelled["UID"]) == str(invited["UID"])
    assert cancelled["SEQUENCE"] > moved["SEQUENCE"]
    assert str(cancelled["STATUS"]) == "CANCELLED"
    assert str(cancelled["ATTENDEE"]) == "mailto:li.na@example.org"


def test_leaving_sends_cancel_and_signing_up_again_goes_higher(
    slot, her, django_capture_on_commit_callbacks
):
    assignment = confirm(slot, her, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        assignment.status = Assignment.Status.CANCELLED
        assignment.save()
        notices.assignment_cancelled(assignment)
    method, left = itip(mail.outbox[1])
    assert method == "CANCEL"
    assert "Removed from your calendar" in mail.outbox[1].subject

    confirm(slot, her, django_capture_on_commit_callbacks)
    method, again = itip(mail.outbox[2])
    assert method == "REQUEST"
    assert str(again["UID"]) == str(left["UID"])
    assert again["SEQUENCE"] > left["SEQUENCE"]


def test_no_email_before_the_transaction_commits(slot, her, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assignment = AssignmentFactory(role=slot.roles.first(), volunteer=her)
        notices.assignment_confirmed(assignment, prompted=True)
    assert mail.outbox == []
    for callback in callbacks:  # the commit
        callback()
    assert [(m.to, itip(m)[0]) for m in mail.outbox] == [(["li.na@example.org"], "REQUEST")]


def test_she_can_turn_invitations_off(slot, her, django_capture_on_commit_callbacks):
    her.user.calendar_invites = False
    her.user.save()
    confirm(slot, her, django_capture_on_commit_callbacks)
    assert mail.outbox == []


def test_the_invitation_is_in_her_language(slot, django_capture_on_commit_callbacks):
    volunteer = VolunteerFactory(user=UserFactory(preferred_language="zh-hans"))
    confirm(slot, volunteer, django_capture_on_commit_callbacks)
    method, event = itip(mail.outbox[0])
    assert str(event["SUMMARY"]) == "洋妈妈文化交流"
    assert "洋妈妈文化交流" in mail.outbox[0].subject


def test_through_sign_up_cancel_and_promotion(django_capture_on_commit_callbacks):
    slot, _role = make_slot(needed=1)
    first = make_volunteer(user=UserFactory(email="first@example.org"))
    second = make_volunteer(user=UserFactory(email="second@example.org"))
    with django_capture_on_commit_callbacks(execute=True):
        seat = slot_sign_up(volunteer=first, slot=slot)
        waiting = slot_sign_up(volunteer=second, slot=slot)
    assert (seat.status, waiting.status) == ("confirmed", "waitlisted")
    assert [(m.to, itip(m)[0]) for m in mail.outbox] == [(["first@example.org"], "REQUEST")]

    with django_capture_on_commit_callbacks(execute=True):
        assignment_cancel(assignment=seat, by=first.user)
    sent = [(m.to[0], itip(m)[0]) for m in mail.outbox[1:]]
    assert sent == [("first@example.org", "CANCEL"), ("second@example.org", "REQUEST")]
    _method, cancelled = itip(mail.outbox[1])
    _method, invited = itip(mail.outbox[0])
    assert cancelled["SEQUENCE"] > invited["SEQUENCE"]


def test_signing_up_again_after_cancelling_goes_above_the_cancellation(
    django_capture_on_commit_callbacks,
):
    """Her new seat on a slot she left shares the entry her calendar took out: its invitation
    goes above the cancellation, or her calendar would ignore it as older."""
    slot, _role = make_slot(needed=2)
    her = make_volunteer(user=UserFactory(email="li.na@example.org"))
    for _turn in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            seat = slot_sign_up(volunteer=her, slot=slot)
        with django_capture_on_commit_callbacks(execute=True):
            assignment_cancel(assignment=seat, by=her.user)
    with django_capture_on_commit_callbacks(execute=True):
        slot_sign_up(volunteer=her, slot=slot)
    sent = [itip(m) for m in mail.outbox]
    assert [method for method, _event in sent] == ["REQUEST", "CANCEL"] * 2 + ["REQUEST"]
    assert len({str(event["UID"]) for _method, event in sent}) == 1
    sequences = [event["SEQUENCE"] for _method, event in sent]
    assert sequences == sorted(set(sequences))
