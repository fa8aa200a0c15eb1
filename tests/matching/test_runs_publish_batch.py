"""Publishing a day's slots and their people together: the queries follow the number of days
(of slots), not of people, and each person is judged, seated and told as if confirmed one after
the other."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core import mail

from activities.calendar import invites
from activities.models import Assignment, SlotRole
from activities.services.signup import slot_sign_up
from matching.models import MatchProposal, MatchRun
from matching.services import publishing
from notifications import calendar
from notifications.models import Email, Message, Question
from tests.world import at

pytestmark = pytest.mark.django_db

SLOTS = 3
# Per day (here one slot each): its proposals, roles, profiles and seats locked and read, the
# people's facts, the seats, texts, questions and invitations written, the proposals marked; and
# the run around.
QUERIES_PER_SLOT = 24


def _proposed(world, *, per_slot: int) -> MatchRun:
    """SLOTS shifts on different evenings, each with ``per_slot`` people proposed."""
    run = world.run(days=SLOTS + 1)
    people = [
        world.volunteer(f"P{i:02d}", windows=[(d, 8, 22) for d in range(7)], max_hours=20)
        for i in range(per_slot)
    ]
    for day in range(SLOTS):
        _slot, role = world.slot(day=world.tuesday + timedelta(days=day), needed=per_slot)
        MatchProposal.objects.bulk_create(
            MatchProposal(run=run, slot_role=role, volunteer=person, hours=2) for person in people
        )
    return run


@pytest.mark.parametrize("per_slot", [1, 8])
def test_publishing_costs_the_same_queries_for_one_or_eight_people_a_slot(
    world, per_slot, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    run = _proposed(world, per_slot=per_slot)
    with (
        django_capture_on_commit_callbacks(execute=True),
        django_assert_max_num_queries(SLOTS * QUERIES_PER_SLOT + 10),
    ):
        run = publishing.run_publish(by=world.coordinator, run=run)
    assert run.status == MatchRun.Status.PUBLISHED, run.error
    assert run.stats["published"] == SLOTS * per_slot and run.stats["skipped"] == 0
    confirmed = Assignment.objects.filter(status="confirmed", source="matcher")
    assert confirmed.count() == SLOTS * per_slot
    for proposal in run.proposals.select_related("assignment"):
        assert proposal.outcome == "confirmed"
        assert (proposal.assignment.role_id, proposal.assignment.volunteer_id) == (
            proposal.slot_role_id,
            proposal.volunteer_id,
        )
    # Each seat is told: a text asking Y/N about that seat, and a calendar invitation.
    texts = Message.objects.filter(kind="assigned")
    assert texts.count() == SLOTS * per_slot
    for text in texts.select_related("question"):
        assert text.question.kind == "assignment"
        assignment = confirmed.get(pk=int(text.question.ref))
        assert text.user_id == assignment.volunteer.user_id
    # Each person holds SLOTS open questions: all but her first carry their code.
    for person_questions in (
        Question.objects.filter(user=v.user).order_by("pk") for v in world.volunteers
    ):
        assert len({q.code for q in person_questions}) == person_questions.count() == SLOTS
    assert len(mail.outbox) == SLOTS * per_slot
    assert all("Shift confirmed" in m.subject for m in mail.outbox)
    assert set(confirmed.values_list("sequence", flat=True)) == {1}
    assert not confirmed.filter(invited_at__isnull=True).exists()


@pytest.mark.parametrize("per_day", [1, 4])
def test_publishing_a_day_costs_the_same_queries_for_one_or_four_slots(
    world, per_day, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    run = world.run()
    people = [world.volunteer(f"D{i}", windows=[(1, 8, 22)], max_hours=20) for i in range(2)]
    for k in range(per_day):
        _slot, role = world.slot(start=8 + 3 * k, end=10 + 3 * k, needed=2)
        MatchProposal.objects.bulk_create(
            MatchProposal(run=run, slot_role=role, volunteer=person, hours=2) for person in people
        )
    with (
        django_capture_on_commit_callbacks(execute=True),
        django_assert_max_num_queries(QUERIES_PER_SLOT + 10),
    ):
        run = publishing.run_publish(by=world.coordinator, run=run)
    assert run.stats["published"] == 2 * per_day and run.stats["skipped"] == 0
    assert Message.objects.filter(kind="assigned").count() == 2 * per_day
    assert len(mail.outbox) == 2 * per_day


def test_a_slot_filled_meanwhile_skips_its_last_proposal_and_seats_the_others(
    world, django_capture_on_commit_callbacks
):
    run = _proposed(world, per_slot=3)
    first_slot = run.proposals.order_by("slot_role__slot__starts_at").first().slot_role.slot
    late = world.volunteer("Late", windows=[(1, 8, 22)], max_hours=20)
    assert slot_sign_up(volunteer=late, slot=first_slot).status == "confirmed"
    with django_capture_on_commit_callbacks(execute=True):
        run = publishing.run_publish(by=world.coordinator, run=run)
    assert (run.stats["published"], run.stats["skipped"]) == (3 * SLOTS - 1, 1)
    on_first = run.proposals.filter(slot_role__slot=first_slot).order_by("pk")
    assert [p.outcome for p in on_first] == ["confirmed", "confirmed", "skipped"]
    assert on_first[2].outcome_note == "Every seat of this role is taken."
    assert Assignment.objects.filter(slot=first_slot, status="confirmed").count() == 3
    skipped = on_first[2].volunteer
    assert Message.objects.filter(user=skipped.user, kind="assigned").count() == SLOTS - 1


def test_her_place_on_the_waiting_list_becomes_the_proposed_seat(
    world, django_capture_on_commit_callbacks
):
    run = _proposed(world, per_slot=1)
    proposal = run.proposals.order_by("slot_role__slot__starts_at").first()
    slot = proposal.slot_role.slot
    holder = world.volunteer("Holder", windows=[(1, 8, 22)], max_hours=20)
    held = slot_sign_up(volunteer=holder, slot=slot)
    waiting = slot_sign_up(volunteer=proposal.volunteer, slot=slot)
    assert waiting.status == "waitlisted"
    held.status = "cancelled"  # the seat freed without promoting anyone (as an admin edit)
    held.save(update_fields=["status"])
    with django_capture_on_commit_callbacks(execute=True):
        run = publishing.run_publish(by=world.coordinator, run=run)
    proposal.refresh_from_db()
    assert proposal.outcome == "confirmed"
    assert proposal.assignment_id == waiting.pk
    waiting.refresh_from_db()
    assert waiting.status == "confirmed" and waiting.source == "matcher"
    assert Assignment.objects.filter(slot=slot, volunteer=proposal.volunteer).count() == 1
    assert Message.objects.filter(user=proposal.volunteer.user, kind="promoted").count() == 1


def test_each_person_is_told_in_her_language_what_a_confirmation_of_her_own_tells(
    world, django_capture_on_commit_callbacks
):
    """A day's two shifts published together, to people reading Chinese and English, on two
    roles of one shift: each text and invitation is in her language, names her role, and is
    the very invitation confirming her alone would compose."""
    run = world.run(days=2)
    people = [
        world.volunteer(f"L{i}", windows=[(d, 8, 22) for d in range(7)], max_hours=20)
        for i in range(4)
    ]
    for i, person in enumerate(people):
        person.user.preferred_language = "en" if i % 2 else "zh-hans"
        person.user.save(update_fields=["preferred_language"])
    _afternoon, afternoon_role = world.slot(start=14, end=16, needed=4)
    evening, evening_role = world.slot(start=18, end=20, needed=2)
    helper = SlotRole.objects.create(slot=evening, needed=2, label="接待", label_en="Welcome desk")
    MatchProposal.objects.bulk_create(
        [MatchProposal(run=run, slot_role=afternoon_role, volunteer=p, hours=2) for p in people]
        + [
            MatchProposal(
                run=run, slot_role=helper if i % 2 else evening_role, volunteer=p, hours=2
            )
            for i, p in enumerate(people[:2] + people[3:1:-1])
        ]
    )
    with django_capture_on_commit_callbacks(execute=True):
        run = publishing.run_publish(by=world.coordinator, run=run)
    assert run.stats["published"] == 8 and run.stats["skipped"] == 0

    calendar._event_bytes.cache_clear()
    for assignment in Assignment.objects.filter(source="matcher").select_related(
        "volunteer__user", "role__skill", "slot__activity__venue"
    ):
        user = assignment.volunteer.user
        english = user.preferred_language == "en"
        text = Message.objects.get(question__ref=str(assignment.pk))
        assert text.body.startswith("You're assigned: Evening salon" if english else "已为您安排")
        email = Email.objects.get(user=user, ics__contains=f"UID:slot-{assignment.slot_id}-")
        assert email.subject.startswith("Shift confirmed" if english else "岗位已确认")
        role = assignment.role.display_name if english else "接待"
        if assignment.role_id == helper.pk:
            assert (f"Your role: {role}" if english else f"您的岗位：{role}") in email.body
        alone = invites._invitation(assignment, reason=invites.NEW)
        assert (email.subject, email.body, email.ics) == (
            alone["subject"],
            alone["body"],
            calendar.invitation_bytes(alone["event"], method=alone["method"]).decode(),
        )


def test_texts_published_at_night_wait_for_the_morning_unless_the_shift_is_close(
    world, django_capture_on_commit_callbacks, settings
):
    """One day's shifts published together at 22:30: the text about the 07:00 shift goes at
    once (it starts within SMS_URGENT_HOURS), the one about the evening shift waits for the end
    of the quiet hours."""
    settings.QUIET_HOURS_START, settings.QUIET_HOURS_END = "21:00", "08:00"
    settings.SMS_URGENT_HOURS = 12
    person = world.volunteer("Night", windows=[(1, 6, 23)], max_hours=20)
    early, early_role = world.slot(start=7, end=9)
    late, late_role = world.slot(start=20, end=22)
    run = world.run()
    MatchProposal.objects.bulk_create(
        MatchProposal(run=run, slot_role=role, volunteer=person, hours=2)
        for role in (early_role, late_role)
    )
    night = at(world.tuesday - timedelta(days=1), 22, 30)
    with time_machine.travel(night, tick=False), django_capture_on_commit_callbacks(execute=True):
        run = publishing.run_publish(by=world.coordinator, run=run)
    assert run.stats["published"] == 2
    texts = {t.question.ref: t for t in Message.objects.filter(kind="assigned")}
    urgent = texts[str(Assignment.objects.get(slot=early).pk)]
    held = texts[str(Assignment.objects.get(slot=late).pk)]
    assert urgent.immediate and urgent.not_before is None
    assert urgent.status == Message.Status.SENT
    assert not held.immediate and held.status == Message.Status.QUEUED
    assert held.not_before == at(world.tuesday, 8)
    assert held.expires_at == late.starts_at
