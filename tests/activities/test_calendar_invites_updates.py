"""Invitations that follow edits to what the entry shows, and cancellations only to the invited."""

from __future__ import annotations

from datetime import datetime

import pytest
from django.core import mail

from activities import notices
from activities.models import Activity, Assignment, Slot
from activities.services.series import slot_cancel
from activities.services.signup import assignment_cancel, slot_sign_up
from activities.services.updates import activity_update
from notifications.models import Message
from tests.activities.test_calendar_invites import itip
from tests.clock import SH
from tests.factories import AssignmentFactory, UserFactory, VolunteerFactory
from tests.world import make_slot, make_volunteer

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


@pytest.fixture
def activity(post_series):
    return post_series(
        kind=Activity.Kind.CULTURE_EXCHANGE,
        title="洋妈妈文化交流",
        title_en="Foreign mothers' culture exchange",
        description="用中文介绍。",
        description_en="Introductions in Chinese.",
        starts_at=datetime(2026, 6, 3, 14, 0, tzinfo=SH),
        ends_at=datetime(2026, 6, 3, 16, 0, tzinfo=SH),
        rrule="FREQ=WEEKLY;COUNT=4",
        roles=[{"needed": 2, "label": "Interpreter"}],
    )


def slots_of(activity) -> list[Slot]:
    return list(Slot.objects.filter(activity=activity).order_by("starts_at"))


def seat(slot, capture, *, email, language="en", status=Assignment.Status.CONFIRMED):
    volunteer = VolunteerFactory(user=UserFactory(email=email, preferred_language=language))
    with capture(execute=True):
        assignment = AssignmentFactory(role=slot.roles.first(), volunteer=volunteer, status=status)
        if status == Assignment.Status.CONFIRMED:
            notices.assignment_confirmed(assignment, prompted=True)
        else:
            notices.assignment_waitlisted(assignment)
    return assignment


def texts_to(assignment) -> list[str]:
    return list(
        Message.objects.filter(user=assignment.volunteer.user)
        .order_by("pk")
        .values_list("kind", flat=True)
    )


def sent_to(address) -> list:
    return [m for m in mail.outbox if m.to == [address]]


def test_a_new_title_updates_her_invitation_and_sends_no_text(
    activity, host, django_capture_on_commit_callbacks
):
    first, second = slots_of(activity)[:2]
    li = seat(first, django_capture_on_commit_callbacks, email="li.na@example.org")
    wang = seat(
        second,
        django_capture_on_commit_callbacks,
        email="wang.fang@example.org",
        language="zh-hans",
    )
    _method, invited = itip(sent_to("li.na@example.org")[0])
    texts_before = texts_to(li)
    assert texts_before == ["confirmed"]

    with django_capture_on_commit_callbacks(execute=True):
        activity_update(
            activity=activity,
            by=host,
            title="洋妈妈文化交流（二楼）",
            title_en="Foreign mothers' culture exchange (upstairs)",
            description_en="Introductions in Chinese, then tea.",
        )

    [update] = sent_to("li.na@example.org")[1:]
    assert "Shift details updated" in update.subject
    method, updated = itip(update)
    assert method == "REQUEST"
    assert str(updated["UID"]) == str(invited["UID"])
    assert updated["SEQUENCE"] > invited["SEQUENCE"]
    assert str(updated["SUMMARY"]) == "Foreign mothers' culture exchange (upstairs)"
    assert "then tea" in str(updated["DESCRIPTION"])
    assert updated.decoded("DTSTART") == invited.decoded("DTSTART")
    # She is told by her calendar, not by a text: her shift did not move.
    assert texts_to(li) == texts_before
    assert texts_to(wang) == ["confirmed"]

    [zh_update] = sent_to("wang.fang@example.org")[1:]
    assert zh_update.subject.startswith("岗位信息更新：洋妈妈文化交流（二楼）")
    _method, zh_event = itip(zh_update)
    assert str(zh_event["SUMMARY"]) == "洋妈妈文化交流（二楼）"
    activity.refresh_from_db()
    assert activity.sequence == 1
    assert [s.sequence for s in slots_of(activity)] == [1, 1, 1, 1]


def test_a_renamed_role_reaches_the_people_in_it(
    activity, host, django_capture_on_commit_callbacks
):
    slot = slots_of(activity)[0]
    li = seat(slot, django_capture_on_commit_callbacks, email="li.na@example.org")
    role = activity.roles.get()
    with django_capture_on_commit_callbacks(execute=True):
        activity_update(
            activity=activity,
            by=host,
            roles=[{"id": role.pk, "needed": 2, "label": "Interpreter (English–Chinese)"}],
        )
    [update] = sent_to("li.na@example.org")[1:]
    _method, event = itip(update)
    assert "Your role: Interpreter (English–Chinese)" in str(event["DESCRIPTION"])
    assert texts_to(li) == ["confirmed"]


def test_an_edit_the_entry_does_not_show_sends_nothing(
    activity, host, django_capture_on_commit_callbacks
):
    slot = slots_of(activity)[0]
    seat(slot, django_capture_on_commit_callbacks, email="li.na@example.org")
    role = activity.roles.get()
    with django_capture_on_commit_callbacks(execute=True):
        activity_update(
            activity=activity,
            by=host,
            audience="Mothers from abroad",
            roles=[{"id": role.pk, "needed": 3, "label": "Interpreter"}],
        )
    assert len(mail.outbox) == 1
    assert [s.sequence for s in slots_of(activity)] == [0, 0, 0, 0]


def test_moved_and_renamed_at_once_is_one_message_saying_it_moved(
    activity, host, django_capture_on_commit_callbacks
):
    slot = slots_of(activity)[0]
    li = seat(slot, django_capture_on_commit_callbacks, email="li.na@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        activity_update(
            activity=activity,
            by=host,
            title_en="Culture exchange",
            starts_at=datetime(2026, 6, 3, 15, 0, tzinfo=SH),
            ends_at=datetime(2026, 6, 3, 17, 0, tzinfo=SH),
        )
    [update] = sent_to("li.na@example.org")[1:]
    assert "Shift moved" in update.subject
    _method, event = itip(update)
    assert str(event["SUMMARY"]) == "Culture exchange"
    assert texts_to(li) == ["confirmed", "slot_changed"]


def test_an_invitation_sent_after_a_later_change_still_shows_its_own_state(
    activity, host, django_capture_on_commit_callbacks
):
    """Her invitation is written when it is sent; a move committed before that (the worker
    was slow) does not leak into it: it keeps the time and sequence of her sign-up, and the
    move's own invitation, with a higher sequence, brings the new time."""
    slot = slots_of(activity)[0]
    volunteer = VolunteerFactory(user=UserFactory(email="li.na@example.org"))
    with django_capture_on_commit_callbacks() as queued:
        AssignmentFactory(role=slot.roles.first(), volunteer=volunteer, status="confirmed")
        notices.assignment_confirmed(Assignment.objects.get(volunteer=volunteer), prompted=True)
    with django_capture_on_commit_callbacks(execute=True):
        activity_update(
            activity=activity,
            by=host,
            starts_at=datetime(2026, 6, 3, 15, 0, tzinfo=SH),
            ends_at=datetime(2026, 6, 3, 17, 0, tzinfo=SH),
        )
    for send in queued:  # the first invitation's task comes last
        send()
    moved, first = sent_to("li.na@example.org")
    assert "Shift moved" in moved.subject and "Shift confirmed" in first.subject
    _method, event = itip(first)
    _method, later = itip(moved)
    assert str(event["UID"]) == str(later["UID"])
    assert event.decoded("DTSTART") == datetime(2026, 6, 3, 14, 0, tzinfo=SH)
    assert later.decoded("DTSTART") == datetime(2026, 6, 3, 15, 0, tzinfo=SH)
    assert later["SEQUENCE"] > event["SEQUENCE"]


def test_the_waiting_list_is_not_sent_updates(activity, host, django_capture_on_commit_callbacks):
    slot = slots_of(activity)[0]
    seat(
        slot,
        django_capture_on_commit_callbacks,
        email="waiting@example.org",
        status=Assignment.Status.WAITLISTED,
    )
    with django_capture_on_commit_callbacks(execute=True):
        activity_update(activity=activity, by=host, title_en="Culture exchange")
    assert mail.outbox == []


def test_leaving_the_waiting_list_sends_no_cancellation(django_capture_on_commit_callbacks):
    slot, _role = make_slot(needed=1)
    first = make_volunteer(user=UserFactory(email="first@example.org"))
    second = make_volunteer(user=UserFactory(email="second@example.org"))
    with django_capture_on_commit_callbacks(execute=True):
        seated = slot_sign_up(volunteer=first, slot=slot)
        waiting = slot_sign_up(volunteer=second, slot=slot)
    assert [m.to for m in mail.outbox] == [["first@example.org"]]

    with django_capture_on_commit_callbacks(execute=True):
        assignment_cancel(assignment=waiting, by=second.user)
    assert [m.to for m in mail.outbox] == [["first@example.org"]]

    with django_capture_on_commit_callbacks(execute=True):
        assignment_cancel(assignment=seated, by=first.user)
    assert [(m.to, itip(m)[0]) for m in mail.outbox[1:]] == [(["first@example.org"], "CANCEL")]


def test_a_cancelled_slot_cancels_only_the_invitations_sent(
    activity, host, django_capture_on_commit_callbacks
):
    slot = slots_of(activity)[0]
    seat(slot, django_capture_on_commit_callbacks, email="li.na@example.org")
    seat(
        slot,
        django_capture_on_commit_callbacks,
        email="waiting@example.org",
        status=Assignment.Status.WAITLISTED,
    )
    with django_capture_on_commit_callbacks(execute=True):
        slot_cancel(slot=slot, scope="this", by=host)
    assert [(m.to, itip(m)[0]) for m in mail.outbox[1:]] == [(["li.na@example.org"], "CANCEL")]
    assert set(Assignment.objects.filter(slot=slot).values_list("status", flat=True)) == {
        "cancelled"
    }


def test_no_cancellation_for_a_seat_taken_while_invitations_were_off(
    activity, django_capture_on_commit_callbacks
):
    slot = slots_of(activity)[0]
    user = UserFactory(email="li.na@example.org", calendar_invites=False)
    with django_capture_on_commit_callbacks(execute=True):
        assignment = AssignmentFactory(
            role=slot.roles.first(),
            volunteer=VolunteerFactory(user=user),
            status=Assignment.Status.CONFIRMED,
        )
        notices.assignment_confirmed(assignment, prompted=True)
    user.calendar_invites = True
    user.save()
    with django_capture_on_commit_callbacks(execute=True):
        assignment_cancel(assignment=assignment, by=user)
    assert mail.outbox == []
