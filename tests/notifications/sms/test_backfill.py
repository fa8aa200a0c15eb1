"""Last-minute backfill: a freed seat is offered by SMS; the first Y wins; offers expire."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from activities.models import Assignment, Backfill, BackfillOffer
from activities.services.backfill import backfill_advance
from activities.services.signup import assignment_cancel, slot_sign_up
from notifications.replies import inbound_receive
from tests.world import reachable_volunteer, slot_in, texts_to

pytestmark = pytest.mark.django_db
_sids = itertools.count(1)


def reply(profile, body, commit):
    with commit():
        inbound_receive(
            sid=f"SMb{next(_sids):031d}", from_number=profile.phone, to_number="", body=body
        )


def _freed(commit, *, hours=6, needed=1):
    anna = reachable_volunteer()
    slot, role = slot_in(hours, needed=needed)
    with commit():
        seat = slot_sign_up(volunteer=anna, slot=slot)
    return anna, slot, role, seat


def test_a_seat_freed_the_day_before_is_offered_and_the_first_yes_wins(commit, settings):
    settings.BACKFILL_ROUND_SIZE = 3
    anna, slot, role, seat = _freed(commit)
    bea, cara = reachable_volunteer(), reachable_volunteer(language="zh-hans")
    with commit():
        assignment_cancel(assignment=seat, by=anna.user)
    offer_b, offer_c = texts_to(bea)[-1], texts_to(cara)[-1]
    assert offer_b.kind == offer_c.kind == "backfill_offer"
    assert "Free seat: Sewing class" in offer_b.body and "first reply wins" in offer_b.body
    assert offer_c.body.startswith("空位：")
    reply(cara, "确认", commit)
    won = Assignment.objects.get(slot=slot, volunteer=cara)
    assert won.status == "confirmed" and won.source == "backfill"
    assert texts_to(cara)[-1].kind == "backfill_won"
    assert texts_to(bea)[-1].kind == "backfill_taken"
    # Bea answers too late.
    reply(bea, "Y", commit)
    assert not Assignment.objects.filter(slot=slot, volunteer=bea).exists()
    assert "Nothing is waiting for an answer" in texts_to(bea)[-1].body
    assert Backfill.objects.get(role=role).closed_at is not None


def test_offers_expire_and_the_next_round_goes_out(commit, settings):
    settings.BACKFILL_ROUND_SIZE = 1
    settings.BACKFILL_OFFER_MINUTES = 30
    anna, slot, role, seat = _freed(commit)
    bea, cara = reachable_volunteer(), reachable_volunteer()
    with commit():
        assignment_cancel(assignment=seat, by=anna.user)
    offered = [p for p in (bea, cara) if texts_to(p)]
    assert len(offered) == 1
    first = offered[0]
    later = time_machine.travel(datetime.now(ZoneInfo("UTC")) + timedelta(minutes=31), tick=False)
    with later, commit():
        assert backfill_advance() == 1
    second = cara if first is bea else bea
    assert texts_to(second)[-1].kind == "backfill_offer"
    assert BackfillOffer.objects.get(volunteer=first).status == "expired"
    reply(first, "Y", commit)
    assert not Assignment.objects.filter(slot=slot, volunteer=first).exists()


def test_n_declines_an_offer(commit):
    anna, slot, role, seat = _freed(commit)
    bea = reachable_volunteer()
    with commit():
        assignment_cancel(assignment=seat, by=anna.user)
    reply(bea, "N", commit)
    assert BackfillOffer.objects.get(volunteer=bea).status == "declined"
    assert texts_to(bea)[-1].body == "OK, thanks for telling us."


def test_the_waitlist_moves_up_first_and_no_offer_is_needed(commit):
    anna, slot, role, seat = _freed(commit)
    bea, cara = reachable_volunteer(), reachable_volunteer()
    with commit():
        slot_sign_up(volunteer=bea, slot=slot)
        assignment_cancel(assignment=seat, by=anna.user)
    assert Assignment.objects.get(slot=slot, volunteer=bea).status == "confirmed"
    assert texts_to(cara) == []
    assert not Backfill.objects.exists()


def test_a_seat_freed_days_ahead_is_not_backfilled_by_sms(commit):
    anna, slot, role, seat = _freed(commit, hours=72)
    bea = reachable_volunteer()
    with commit():
        assignment_cancel(assignment=seat, by=anna.user)
    assert texts_to(bea) == []


def test_no_offers_in_quiet_hours_the_morning_round_goes(commit, settings):
    settings.QUIET_HOURS_START, settings.QUIET_HOURS_END = "21:00", "08:00"
    shanghai = ZoneInfo("Asia/Shanghai")
    night = datetime(2030, 3, 4, 22, 0, tzinfo=shanghai)
    with time_machine.travel(night, tick=False):
        anna, slot, role, seat = _freed(commit, hours=13)
        bea = reachable_volunteer()
        with commit():
            assignment_cancel(assignment=seat, by=anna.user)
        assert texts_to(bea) == []
    with time_machine.travel(night + timedelta(hours=10, minutes=5), tick=False), commit():
        assert backfill_advance() == 1
    assert texts_to(bea)[-1].kind == "backfill_offer"
