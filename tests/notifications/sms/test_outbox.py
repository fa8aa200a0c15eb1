"""The outbox: written with the change, sent after commit, once; held or suppressed by rule."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import transaction
from django.utils import timezone

from activities.services.signup import slot_sign_up
from notifications import services
from notifications.models import Message, OptOut, Question
from tests.world import reachable_volunteer, slot_in, texts_to

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_a_sign_up_writes_its_text_and_sends_it_after_commit(sms_outbox, commit):
    slot, _role = slot_in(48)
    anna = reachable_volunteer()
    with commit():
        slot_sign_up(volunteer=anna, slot=slot)
        assert texts_to(anna)[0].status == Message.Status.QUEUED
        assert sms_outbox == []
    [message] = texts_to(anna)
    assert message.kind == "confirmed"
    assert message.status == Message.Status.SENT
    assert message.provider_sid and message.attempts == 1
    assert [sms.to for sms in sms_outbox] == [anna.phone]
    assert "Sewing class" in sms_outbox[0].body
    assert "https://volunteers.example.org/s/" in sms_outbox[0].body


def test_a_change_that_rolls_back_leaves_no_text(sms_outbox):
    slot, _role = slot_in(48)
    anna = reachable_volunteer()

    class Boom(Exception):
        pass

    with pytest.raises(Boom), transaction.atomic():
        slot_sign_up(volunteer=anna, slot=slot)
        raise Boom
    assert Message.objects.count() == 0
    assert sms_outbox == []


def test_the_text_is_in_her_language(sms_outbox, commit):
    slot, _role = slot_in(48)
    mei = reachable_volunteer(language="zh-hans")
    with commit():
        slot_sign_up(volunteer=mei, slot=slot)
    assert sms_outbox[0].body.startswith("已报名：")
    assert texts_to(mei)[0].language == "zh-hans"


def test_sms_turned_off_is_recorded_as_suppressed_and_not_sent(sms_outbox, commit):
    slot, _role = slot_in(48)
    anna = reachable_volunteer(sms=False)
    with commit():
        slot_sign_up(volunteer=anna, slot=slot)
    [message] = texts_to(anna)
    assert message.status == Message.Status.SUPPRESSED
    assert message.suppressed_reason == Message.Suppressed.SMS_DISABLED
    assert sms_outbox == []


def test_an_opted_out_number_gets_nothing(sms_outbox, commit):
    slot, _role = slot_in(48)
    anna = reachable_volunteer()
    OptOut.objects.create(phone=anna.phone, source=OptOut.Source.KEYWORD, keyword="STOP")
    with commit():
        slot_sign_up(volunteer=anna, slot=slot)
    [message] = texts_to(anna)
    assert message.suppressed_reason == Message.Suppressed.OPT_OUT
    assert sms_outbox == []
    # Nothing is asked of a number that will not read it.
    assert message.question is None
    assert not Question.objects.filter(phone=anna.phone).exists()


def test_an_opted_out_number_gets_nothing_when_waitlisted_or_cancelling(sms_outbox, commit):
    from activities.services.signup import assignment_cancel

    slot, _role = slot_in(48, needed=1)
    slot_sign_up(volunteer=reachable_volunteer(), slot=slot)
    anna = reachable_volunteer()
    OptOut.objects.create(phone=anna.phone, source=OptOut.Source.KEYWORD, keyword="STOP")
    with commit():
        waiting = slot_sign_up(volunteer=anna, slot=slot)
    with commit():
        assignment_cancel(assignment=waiting, by=anna.user)
    assert [(m.kind, m.suppressed_reason) for m in texts_to(anna)] == [
        ("waitlisted", Message.Suppressed.OPT_OUT),
        ("cancelled", Message.Suppressed.OPT_OUT),
    ]
    assert sms_outbox == []


def test_a_number_changed_since_her_profile_was_read_is_looked_up_as_it_is_now(sms_outbox, commit):
    from volunteers.models import VolunteerProfile

    slot, _role = slot_in(48)
    anna = reachable_volunteer()
    # Her profile as read when the request began; her number changes before she signs up,
    # to one that opted out.
    VolunteerProfile.objects.filter(pk=anna.pk).update(phone="+8613900000099")
    OptOut.objects.create(phone="+8613900000099", source=OptOut.Source.KEYWORD, keyword="STOP")
    with commit():
        slot_sign_up(volunteer=anna, slot=slot)
    [message] = texts_to(anna)
    # The text goes to the number she was read with, which has not opted out.
    assert message.to == anna.phone
    assert message.status == Message.Status.SENT
    assert [sms.to for sms in sms_outbox] == [anna.phone]


def test_a_task_that_runs_twice_sends_once(sms_outbox, django_capture_on_commit_callbacks):
    anna = reachable_volunteer()
    with django_capture_on_commit_callbacks(execute=False):
        message = services.sms_queue(
            to=anna.phone, body="Hello", kind="reply_help", language="en", immediate=True
        )
    services.message_send(message_id=message.pk)
    services.message_send(message_id=message.pk)
    message.refresh_from_db()
    assert message.status == Message.Status.SENT and message.attempts == 1
    assert len(sms_outbox) == 1


def test_a_text_in_progress_elsewhere_is_left_to_that_attempt(sms_outbox):
    anna = reachable_volunteer()
    message = services.sms_queue(to=anna.phone, body="Hi", kind="reply_help", language="en")
    # Another worker has just moved it to sending and holds the lease.
    Message.objects.filter(pk=message.pk).update(
        status=Message.Status.SENDING, lease_until=timezone.now() + timedelta(minutes=1)
    )
    services.message_send(message_id=message.pk)
    assert sms_outbox == []


def _at(hour: int, minute: int = 0) -> datetime:
    return datetime(2030, 3, 4, hour, minute, tzinfo=SHANGHAI)


@pytest.fixture
def quiet(settings):
    settings.QUIET_HOURS_START = "21:00"
    settings.QUIET_HOURS_END = "08:00"


def test_quiet_hours_hold_an_assignment_until_the_morning(quiet, sms_outbox, commit):
    from activities.services.signup import assignment_create_confirmed

    with time_machine.travel(_at(22, 30), tick=False):
        slot, role = slot_in(36)
        anna = reachable_volunteer()
        with commit():
            assignment_create_confirmed(volunteer=anna, role=role, source="matcher")
        [message] = texts_to(anna)
        assert message.kind == "assigned"
        assert message.status == Message.Status.QUEUED
        assert message.not_before == _at(8, 0) + timedelta(days=1)
        assert services.outbox_dispatch() == 0
        assert sms_outbox == []
    with time_machine.travel(_at(8, 1) + timedelta(days=1), tick=False):
        assert services.outbox_dispatch() == 1
    message.refresh_from_db()
    assert message.status == Message.Status.SENT
    assert len(sms_outbox) == 1


def test_her_own_sign_up_is_answered_even_in_quiet_hours(quiet, sms_outbox, commit):
    with time_machine.travel(_at(23, 15), tick=False):
        slot, _role = slot_in(36)
        anna = reachable_volunteer()
        with commit():
            slot_sign_up(volunteer=anna, slot=slot)
    assert texts_to(anna)[0].status == Message.Status.SENT
    assert len(sms_outbox) == 1


def test_a_slot_cancelled_within_12_hours_is_told_at_once_even_at_night(quiet, sms_outbox, commit):
    from activities import notices

    with time_machine.travel(_at(22, 0), tick=False):
        slot, role = slot_in(11)
        anna = reachable_volunteer()
        slot_sign_up(volunteer=anna, slot=slot)
        with commit(), transaction.atomic():
            assignments = list(slot.assignments.all())
            notices.slot_cancelled(slot, assignments)
    message = texts_to(anna)[-1]
    assert message.kind == "slot_cancelled" and message.status == Message.Status.SENT
    assert len(sms_outbox) == 1


def test_a_text_that_would_arrive_after_its_moment_is_suppressed(quiet, sms_outbox):
    anna = reachable_volunteer()
    with time_machine.travel(_at(23, 0), tick=False):
        message = services.sms_queue(
            to=anna.phone,
            body="Reminder",
            kind="reminder",
            language="en",
            expires_at=_at(7, 30) + timedelta(days=1),
        )
    assert message.status == Message.Status.SUPPRESSED
    assert message.suppressed_reason == Message.Suppressed.QUIET_HOURS
    assert sms_outbox == []


def test_validity_period_follows_the_expiry(sms_outbox, commit):
    anna = reachable_volunteer()
    with time_machine.travel(_at(10, 0), tick=False), commit():
        services.sms_queue(
            to=anna.phone, body="Soon", kind="reminder", language="en", expires_at=_at(12, 0)
        )
    assert sms_outbox[0].validity_seconds == 7200


def test_a_dedupe_key_writes_one_text(sms_outbox, commit):
    anna = reachable_volunteer()
    with commit():
        first = services.sms_queue(
            to=anna.phone, body="A", kind="reminder", language="en", dedupe_key="k"
        )
        second = services.sms_queue(
            to=anna.phone, body="A", kind="reminder", language="en", dedupe_key="k"
        )
    assert first is not None and second is None
    assert Message.objects.count() == 1 and len(sms_outbox) == 1
