"""Signing up: every rule refuses with its own code and message and changes nothing; seats are
never over-filled; the waitlist, late cancellation and promotion."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone, translation

from activities.models import Assignment
from activities.services.signup import (
    assignment_cancel,
    assignment_create_confirmed,
    assignment_reconfirm,
    slot_sign_up,
)
from core.errors import Conflict, DomainError, NotAllowed
from tests.factories import SkillFactory, TeamFactory
from tests.world import available, host_of, local, make_slot, make_volunteer
from volunteers.models import Absence, TeamMembership

pytestmark = pytest.mark.django_db


def refused(volunteer, slot, *, role=None, lang="en"):
    before = Assignment.objects.count()
    with translation.override(lang), pytest.raises(DomainError) as info:
        slot_sign_up(volunteer=volunteer, slot=slot, role=role)
    assert Assignment.objects.count() == before
    return info.value


def test_confirmed_while_seats_then_waitlisted_in_order():
    slot, role = make_slot(needed=2)
    people = [make_volunteer() for _ in range(4)]
    results = [slot_sign_up(volunteer=v, slot=slot) for v in people]
    assert [a.status for a in results] == ["confirmed", "confirmed", "waitlisted", "waitlisted"]
    assert role.assignments.filter(status="confirmed").count() == 2


def test_pressing_twice_makes_one_signup():
    slot, _role = make_slot()
    volunteer = make_volunteer()
    slot_sign_up(volunteer=volunteer, slot=slot)
    error = refused(volunteer, slot)
    assert isinstance(error, Conflict)
    assert error.code == "already_signed_up"
    assert Assignment.objects.filter(volunteer=volunteer).count() == 1


@pytest.mark.parametrize(
    ("lang", "fragment"),
    [("en", "needs the skill “Law”"), ("zh-hans", "需要“法律”技能")],
)
def test_missing_skill_refused_in_her_language(lang, fragment):
    law = SkillFactory(code="law", name="法律", name_en="Law", needs_verification=True)
    slot, _role = make_slot(skill=law)
    error = refused(make_volunteer(), slot, lang=lang)
    assert error.code == "skill_missing"
    assert fragment in error.message


@pytest.mark.parametrize(("lang", "fragment"), [("en", "verify"), ("zh-hans", "核实")])
def test_unverified_skill_refused_until_verified(lang, fragment):
    law = SkillFactory(code="law", name="法律", name_en="Law", needs_verification=True)
    slot, _role = make_slot(skill=law)
    volunteer = make_volunteer(skills=[law], verified=False)
    error = refused(volunteer, slot, lang=lang)
    assert error.code == "skill_pending_verification"
    assert fragment in error.message
    volunteer.skill_links.update(verified_at=timezone.now())
    assert slot_sign_up(volunteer=volunteer, slot=slot).status == "confirmed"


@pytest.mark.parametrize(("lang", "fragment"), [("en", "speaks English"), ("zh-hans", "英语")])
def test_language_required(lang, fragment):
    slot, _role = make_slot(language="en")
    error = refused(make_volunteer(languages=["zh"]), slot, lang=lang)
    assert error.code == "language"
    assert fragment in error.message
    assert slot_sign_up(volunteer=make_volunteer(languages=["zh", "en"]), slot=slot)


@pytest.mark.parametrize(("lang", "fragment"), [("en", "weekly times"), ("zh-hans", "每周")])
def test_outside_weekly_availability_in_venue_time(lang, fragment):
    starts = local(3, 10)
    slot, _role = make_slot(starts_at=starts, hours=2)
    volunteer = make_volunteer()
    available(volunteer, starts.weekday(), "13:00", "18:00")
    error = refused(volunteer, slot, lang=lang)
    assert error.code == "not_available"
    assert fragment in error.message
    available(volunteer, starts.weekday(), "09:00", "13:00")
    assert slot_sign_up(volunteer=volunteer, slot=slot).status == "confirmed"


@pytest.mark.parametrize(("lang", "fragment"), [("en", "away"), ("zh-hans", "不在")])
def test_dates_away(lang, fragment):
    slot, _role = make_slot(starts_at=local(5, 9))
    volunteer = make_volunteer()
    day = local(5, 9).date()
    Absence.objects.create(volunteer=volunteer, start_date=day - timedelta(1), end_date=day)
    error = refused(volunteer, slot, lang=lang)
    assert error.code == "away"
    assert fragment in error.message


@pytest.mark.parametrize(("lang", "fragment"), [("en", "overlaps"), ("zh-hans", "冲突")])
def test_overlap_is_a_conflict(lang, fragment):
    first, _r = make_slot(starts_at=local(3, 10), hours=2)
    second, _r2 = make_slot(starts_at=local(3, 11), hours=2)
    volunteer = make_volunteer()
    slot_sign_up(volunteer=volunteer, slot=first)
    error = refused(volunteer, second, lang=lang)
    assert isinstance(error, Conflict)
    assert error.code == "overlap"
    assert fragment in error.message


def test_back_to_back_shifts_do_not_overlap():
    first, _r = make_slot(starts_at=local(3, 10), hours=2)
    second, _r2 = make_slot(starts_at=local(3, 12), hours=2)
    volunteer = make_volunteer()
    slot_sign_up(volunteer=volunteer, slot=first)
    assert slot_sign_up(volunteer=volunteer, slot=second).status == "confirmed"


@pytest.mark.parametrize(("lang", "fragment"), [("en", "hours a week"), ("zh-hans", "每周")])
def test_weekly_hour_cap_in_the_iso_week(lang, fragment):
    monday = local(7 - local(0, 0).weekday(), 9)  # next Monday, 09:00 local
    volunteer = make_volunteer(hours=4)
    first, _r = make_slot(starts_at=monday, hours=3)
    slot_sign_up(volunteer=volunteer, slot=first)
    same_week, _r2 = make_slot(starts_at=monday + timedelta(days=2), hours=2)
    error = refused(volunteer, same_week, lang=lang)
    assert error.code == "hour_cap"
    assert fragment in error.message
    next_week, _r3 = make_slot(starts_at=monday + timedelta(days=7), hours=2)
    assert slot_sign_up(volunteer=volunteer, slot=next_week).status == "confirmed"


@pytest.mark.parametrize(("lang", "fragment"), [("en", "reserved"), ("zh-hans", "仅限")])
def test_team_reserved(lang, fragment):
    team = TeamFactory()
    slot, _role = make_slot(team=team)
    outsider, member = make_volunteer(), make_volunteer()
    TeamMembership.objects.create(team=team, volunteer=member)
    error = refused(outsider, slot, lang=lang)
    assert error.code == "team_reserved"
    assert fragment in error.message
    assert slot_sign_up(volunteer=member, slot=slot).status == "confirmed"


def test_cancelled_and_past_slots_refused():
    slot, _role = make_slot()
    slot.status = "cancelled"
    slot.save()
    assert refused(make_volunteer(), slot).code == "slot_cancelled"
    past, _r = make_slot(starts_at=timezone.now() - timedelta(hours=1))
    assert refused(make_volunteer(), past).code == "slot_past"


def test_cancel_promotes_first_waitlisted_who_still_fits():
    slot, _role = make_slot(starts_at=local(4, 10), needed=1)
    holder, busy, next_in_line = make_volunteer(), make_volunteer(), make_volunteer()
    seat = slot_sign_up(volunteer=holder, slot=slot)
    busy_entry = slot_sign_up(volunteer=busy, slot=slot)
    waiting = slot_sign_up(volunteer=next_in_line, slot=slot)
    # The first in line has since taken an overlapping shift: she no longer fits.
    clash, _r = make_slot(starts_at=local(4, 9), hours=2)
    slot_sign_up(volunteer=busy, slot=clash)

    cancelled = assignment_cancel(assignment=seat, by=holder.user)

    assert cancelled.status == "cancelled"
    assert not cancelled.cancelled_late
    busy_entry.refresh_from_db()
    waiting.refresh_from_db()
    assert busy_entry.status == "waitlisted"
    assert waiting.status == "confirmed"


def test_late_cancel_is_recorded():
    starts = timezone.now() + timedelta(hours=5)
    slot, _role = make_slot(starts_at=starts)
    volunteer = make_volunteer()
    assignment = slot_sign_up(volunteer=volunteer, slot=slot)
    with time_machine.travel(starts - timedelta(hours=1), tick=False):
        cancelled = assignment_cancel(assignment=assignment, by=volunteer.user)
    assert cancelled.cancelled_late
    assert cancelled.status == "cancelled"


def test_someone_else_cannot_cancel():
    slot, _role = make_slot()
    assignment = slot_sign_up(volunteer=make_volunteer(), slot=slot)
    stranger = make_volunteer()
    with pytest.raises(DomainError) as info:
        assignment_cancel(assignment=assignment, by=stranger.user)
    assert info.value.status_code == 404
    assignment.refresh_from_db()
    assert assignment.status == "confirmed"


def test_create_confirmed_refuses_full_and_takes_waitlisted_entry():
    slot, role = make_slot(needed=1)
    first, second = make_volunteer(), make_volunteer()
    slot_sign_up(volunteer=first, slot=slot)
    with pytest.raises(Conflict) as info:
        assignment_create_confirmed(volunteer=second, role=role, source="matcher")
    assert info.value.code == "full"
    assert not Assignment.objects.filter(volunteer=second).exists()

    other, other_role = make_slot(starts_at=local(6, 10), needed=1)
    waiting = slot_sign_up(volunteer=second, slot=other)  # free seat: confirmed
    assert waiting.status == "confirmed"
    again = assignment_create_confirmed(volunteer=second, role=other_role, source="matcher")
    assert again.pk == waiting.pk


def test_reconfirm_sets_time():
    slot, _role = make_slot()
    volunteer = make_volunteer()
    assignment = slot_sign_up(volunteer=volunteer, slot=slot)
    assert assignment_reconfirm(assignment=assignment, by=volunteer.user).reconfirmed_at
    assert Assignment.objects.get(pk=assignment.pk).reconfirmed_at is not None


def test_only_she_reconfirms_her_shift_not_its_host():
    slot, _role = make_slot()
    assignment = slot_sign_up(volunteer=make_volunteer(), slot=slot)
    host = host_of(slot.activity.venue)
    with pytest.raises(NotAllowed):
        assignment_reconfirm(assignment=assignment, by=host)
    assert Assignment.objects.get(pk=assignment.pk).reconfirmed_at is None


def test_slot_without_roles_is_refused():
    slot, role = make_slot()
    role.delete()
    assert refused(make_volunteer(), slot).code == "no_roles"


def test_raising_the_need_promotes_from_the_waitlist():
    from activities.services.signup import slot_waitlist_promote

    slot, role = make_slot(needed=1)
    people = [make_volunteer() for _ in range(4)]
    entries = [slot_sign_up(volunteer=v, slot=slot) for v in people]
    role.needed = 3
    role.save()
    promoted = slot_waitlist_promote(slot=slot)
    assert [a.pk for a in promoted] == [entries[1].pk, entries[2].pk]
    assert role.assignments.filter(status="confirmed").count() == 3
    assert role.assignments.filter(status="waitlisted").count() == 1
