"""What volunteers are told by SMS when their shifts change, and the reminders."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from activities.models import Assignment
from activities.services.reminders import reminders_queue
from activities.services.series import slot_cancel, slot_update
from activities.services.signup import (
    assignment_cancel,
    assignment_create_confirmed,
    slot_sign_up,
)
from notifications.models import Message, Question
from tests.world import host_of, reachable_volunteer, slot_in, texts_to

pytestmark = pytest.mark.django_db


def test_sign_up_waitlist_and_promotion(commit, sms_outbox):
    anna, bea = reachable_volunteer(), reachable_volunteer(language="zh-hans")
    slot, _role = slot_in(72, needed=1)
    with commit():
        first = slot_sign_up(volunteer=anna, slot=slot)
        slot_sign_up(volunteer=bea, slot=slot)
    assert texts_to(anna)[0].body.startswith("Confirmed: Sewing class")
    assert texts_to(bea)[0].body.startswith("候补：")
    with commit():
        assignment_cancel(assignment=first, by=anna.user)
    assert texts_to(anna)[-1].body.startswith("You're no longer on Sewing class")
    assert texts_to(bea)[-1].body.startswith("候补转正：")
    assert Question.objects.filter(phone=bea.phone, closed_at__isnull=True).count() == 1


def test_the_matcher_assignment_asks_for_a_yes(commit):
    anna = reachable_volunteer()
    _slot, role = slot_in(72)
    with commit():
        assignment_create_confirmed(volunteer=anna, role=role, source="matcher")
    [text] = texts_to(anna)
    assert text.kind == "assigned"
    assert "Reply Y to confirm, N if you can't." in text.body
    assert text.question is not None and text.question.kind == "assignment"


def test_a_moved_slot_tells_the_people_on_it(commit):
    anna = reachable_volunteer()
    slot, _role = slot_in(72)
    host = host_of(slot.activity.venue)
    with commit():
        slot_sign_up(volunteer=anna, slot=slot)
        slot_update(
            slot=slot,
            scope="this",
            by=host,
            starts_at=slot.starts_at + timedelta(hours=1),
            ends_at=slot.ends_at + timedelta(hours=1),
        )
    text = texts_to(anna)[-1]
    assert text.kind == "slot_changed"
    assert text.body.startswith("Moved: Sewing class is now")


def test_a_cancelled_slot_tells_everyone_who_was_on_it(commit):
    anna, bea = reachable_volunteer(), reachable_volunteer()
    slot, _role = slot_in(72, needed=1)
    host = host_of(slot.activity.venue)
    with commit():
        slot_sign_up(volunteer=anna, slot=slot)
        slot_sign_up(volunteer=bea, slot=slot)
        slot_cancel(slot=slot, scope="this", by=host)
    for person in (anna, bea):
        assert texts_to(person)[-1].kind == "slot_cancelled"
        assert "will not take place" in texts_to(person)[-1].body
    assert not Question.objects.filter(closed_at__isnull=True).exists()


def test_reminders_go_24_and_2_hours_before_and_never_twice(commit, sms_outbox):
    anna = reachable_volunteer()
    slot, _role = slot_in(30)
    with commit():
        slot_sign_up(volunteer=anna, slot=slot)
    start = slot.starts_at
    with time_machine.travel(start - timedelta(hours=23, minutes=55), tick=False), commit():
        assert reminders_queue() == 1
        assert reminders_queue() == 0
    with time_machine.travel(start - timedelta(hours=5), tick=False), commit():
        assert reminders_queue() == 0
    with time_machine.travel(start - timedelta(hours=1, minutes=58), tick=False), commit():
        assert reminders_queue() == 1
        assert reminders_queue() == 0
    reminders = [m for m in texts_to(anna) if m.kind == "reminder"]
    assert len(reminders) == 2
    assert all(m.status == Message.Status.SENT for m in reminders)
    assert reminders[0].body.startswith("Reminder: Sewing class")
    assert reminders[0].expires_at == start


def test_a_moved_slot_is_reminded_again_for_its_new_time(commit):
    anna = reachable_volunteer()
    slot, _role = slot_in(30)
    host = host_of(slot.activity.venue)
    with commit():
        slot_sign_up(volunteer=anna, slot=slot)
    with time_machine.travel(slot.starts_at - timedelta(hours=23), tick=False), commit():
        assert reminders_queue() == 1
        slot_update(
            slot=slot,
            scope="this",
            by=host,
            starts_at=slot.starts_at - timedelta(hours=3),
            ends_at=slot.ends_at - timedelta(hours=3),
        )
        assert reminders_queue() == 1


def test_reminders_skip_cancelled_seats(commit):
    anna = reachable_volunteer()
    slot, _role = slot_in(30)
    with commit():
        assignment = slot_sign_up(volunteer=anna, slot=slot)
        assignment_cancel(assignment=assignment, by=anna.user)
    with time_machine.travel(slot.starts_at - timedelta(hours=23), tick=False), commit():
        assert reminders_queue() == 0
    assert Assignment.objects.get(pk=assignment.pk).status == "cancelled"


def test_no_text_before_commit(sms_outbox, django_capture_on_commit_callbacks):
    anna = reachable_volunteer()
    slot, _role = slot_in(72)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        slot_sign_up(volunteer=anna, slot=slot)
    assert sms_outbox == [] and len(callbacks) >= 1
    assert timezone.now() < slot.starts_at
