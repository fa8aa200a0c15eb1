"""Answers by SMS: keywords in both languages, Y/N routed to the question, short codes."""

from __future__ import annotations

import itertools

import pytest

from activities.models import Assignment
from activities.services.signup import assignment_create_confirmed, slot_sign_up
from notifications.models import Message, OptOut, Question
from notifications.replies import inbound_receive
from tests.world import reachable_volunteer, slot_in, texts_to

pytestmark = pytest.mark.django_db
_sids = itertools.count(1)


def reply(profile_or_phone, body: str, commit):
    phone = getattr(profile_or_phone, "phone", profile_or_phone)
    with commit():
        return inbound_receive(
            sid=f"SM{next(_sids):032d}", from_number=phone, to_number="+15005550006", body=body
        )


def last_text(profile) -> str:
    return texts_to(profile)[-1].body


@pytest.mark.parametrize("word", ["STOP", "stop", "退订", "Unsubscribe"])
def test_stop_ends_all_texts_until_start(word, commit, sms_outbox):
    anna = reachable_volunteer()
    reply(anna, word, commit)
    assert OptOut.objects.filter(phone=anna.phone).exists()
    assert "You won't get more texts" in last_text(anna)
    slot, _role = slot_in(48)
    with commit():
        slot_sign_up(volunteer=anna, slot=slot)
    assert texts_to(anna)[-1].suppressed_reason == Message.Suppressed.OPT_OUT
    reply(anna, "START", commit)
    assert not OptOut.objects.filter(phone=anna.phone).exists()
    assert "Texts are back on" in last_text(anna)


def test_yes_is_twilios_opt_in_word_not_an_answer(commit):
    anna = reachable_volunteer()
    OptOut.objects.create(phone=anna.phone, source=OptOut.Source.KEYWORD)
    inbound = reply(anna, "YES", commit)
    assert inbound.understood_as == "start"
    assert not OptOut.objects.exists()


def test_help_gives_the_coordinators_contact(commit, settings):
    settings.COORDINATOR_CONTACT = "+862155550000"
    anna = reachable_volunteer(language="zh-hans")
    reply(anna, "帮助", commit)
    assert "+862155550000" in last_text(anna)
    assert last_text(anna).startswith("志愿者短信")


def test_anything_else_gets_a_short_helpful_answer(commit):
    anna = reachable_volunteer()
    reply(anna, "what time is it?", commit)
    assert "didn't understand" in last_text(anna)


def test_a_stranger_gets_no_automatic_answer_except_help(commit):
    reply("+8613999999999", "hello", commit)
    assert not Message.objects.exists()
    reply("+8613999999999", "HELP", commit)
    assert Message.objects.filter(to="+8613999999999", kind="reply_help").exists()


def _seated(profile, *, hours=30, matcher=False, commit=None):
    slot, role = slot_in(hours)
    with commit():
        if matcher:
            assignment_create_confirmed(volunteer=profile, role=role, source="matcher")
        else:
            slot_sign_up(volunteer=profile, slot=slot)
    return Assignment.objects.get(slot=slot, volunteer=profile)


@pytest.mark.parametrize("word", ["Y", "y", "确认", "Y."])
def test_y_confirms_she_is_coming(word, commit):
    anna = reachable_volunteer()
    assignment = _seated(anna, matcher=True, commit=commit)
    assert "Reply Y to confirm" in last_text(anna)
    reply(anna, word, commit)
    assignment.refresh_from_db()
    assert assignment.reconfirmed_at is not None
    assert last_text(anna).startswith("Thanks, see you at")


@pytest.mark.parametrize("word", ["N", "取消"])
def test_n_gives_the_seat_back_and_the_waitlist_moves_up(word, commit):
    anna, bea = reachable_volunteer(), reachable_volunteer()
    slot, role = slot_in(72, needed=1)
    with commit():
        slot_sign_up(volunteer=anna, slot=slot)
        slot_sign_up(volunteer=bea, slot=slot)
    assert texts_to(bea)[-1].kind == "waitlisted"
    reply(anna, word, commit)
    assert Assignment.objects.get(slot=slot, volunteer=anna).status == "cancelled"
    assert Assignment.objects.get(slot=slot, volunteer=bea).status == "confirmed"
    assert last_text(anna).startswith("Done: your seat on")
    # Her answer is the only text she gets for it; Bea hears of her seat.
    assert [m.kind for m in texts_to(anna)] == ["confirmed", "reply_answer"]
    assert texts_to(bea)[-1].kind == "promoted"


def test_in_chinese_the_answer_is_in_chinese(commit):
    mei = reachable_volunteer(language="zh-hans")
    _seated(mei, matcher=True, commit=commit)
    assert "回复Y确认" in last_text(mei)
    reply(mei, "确认", commit)
    assert last_text(mei).startswith("谢谢")


def test_with_several_questions_open_each_text_carries_its_code(commit):
    anna = reachable_volunteer()
    first = _seated(anna, hours=30, matcher=True, commit=commit)
    second = _seated(anna, hours=60, matcher=True, commit=commit)
    q1 = Question.objects.get(ref=str(first.pk))
    q2 = Question.objects.get(ref=str(second.pk))
    assert "Reply Y to confirm" in texts_to(anna)[0].body
    assert f"Reply Y {q2.code} to confirm, N {q2.code}" in texts_to(anna)[1].body
    # A bare Y is ambiguous: she is asked which one.
    reply(anna, "Y", commit)
    assert f"Y {q1.code}" in last_text(anna) and f"Y {q2.code}" in last_text(anna)
    first.refresh_from_db()
    assert first.reconfirmed_at is None
    reply(anna, f"Y {q2.code}", commit)
    second.refresh_from_db()
    first.refresh_from_db()
    assert second.reconfirmed_at is not None and first.reconfirmed_at is None
    # Now only one is open: a bare N answers it.
    reply(anna, "N", commit)
    first.refresh_from_db()
    assert first.status == Assignment.Status.CANCELLED


def test_an_answer_with_nothing_open_says_so(commit):
    anna = reachable_volunteer()
    reply(anna, "Y", commit)
    assert "Nothing is waiting for an answer" in last_text(anna)


def test_replies_per_number_are_limited(commit, settings):
    settings.SMS_REPLIES_PER_NUMBER_PER_HOUR = 3
    anna = reachable_volunteer()
    for _ in range(6):
        reply(anna, "??", commit)
    assert Message.objects.filter(to=anna.phone).count() == 3
