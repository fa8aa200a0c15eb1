"""A run end to end: the engine proposes, the coordinator adjusts, publishing confirms.

Confirmed sign-ups and earlier published assignments are never moved; locks survive a re-run;
a removed pair is never proposed again; a proposal that no longer fits is skipped, not forced.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from activities.eligibility import facts_load, slot_refusals
from activities.models import Assignment
from activities.services.signup import slot_sign_up
from matching.models import MatchGap, MatchProposal, MatchRun
from matching.reasons import gap_text
from matching.services import publishing, runs
from notifications.models import Message
from tests.factories import StreetFactory
from volunteers.models import Absence

pytestmark = pytest.mark.django_db


@pytest.fixture
def run_now(world, django_capture_on_commit_callbacks):
    """Start (or re-run) a run the way the page does; the task runs after commit."""

    def start(*, rerun: MatchRun | None = None, **kwargs) -> MatchRun:
        with django_capture_on_commit_callbacks(execute=True):
            if rerun is not None:
                run = runs.run_rerun(by=world.coordinator, run=rerun)
            else:
                run = runs.run_create(
                    by=world.coordinator,
                    area=kwargs.pop("area", world.district),
                    start=world.tuesday - timedelta(days=1),
                    end=world.tuesday + timedelta(days=5),
                    **kwargs,
                )
        run.refresh_from_db()
        assert run.status == MatchRun.Status.DONE, run.error
        return run

    return start


def _pairs(run: MatchRun) -> set[tuple[int, int]]:
    return set(run.proposals.filter(removed=False).values_list("slot_role_id", "volunteer_id"))


def test_run_proposes_the_people_who_fit_and_explains_the_empty_seat(world, run_now):
    _slot, counselling = world.slot(skill=world.counselling, needed=2)
    anna = world.volunteer("Anna", skills=[world.counselling])
    world.volunteer("Pending Pan", skills=[world.counselling], verified=False)
    world.volunteer("Busy Bo", skills=[world.counselling], windows=[(3, 9, 12)])
    run = run_now()
    assert _pairs(run) == {(counselling.pk, anna.pk)}
    assert run.progress == 100
    assert run.stats["filled"] == 1
    assert run.stats["seats"] == 2
    assert run.stats["share"] == 0.5
    gap = MatchGap.objects.get(run=run)
    assert gap.slot_role_id == counselling.pk
    assert gap.empty == 1
    # Pan's skill is not verified yet; Bo is free only on Thursday mornings.
    assert gap.reason == "no_one_available"
    assert gap.counts["lacks_skills"] == 1
    assert gap.counts["unavailable"] == 1
    assert gap_text(gap) == "Nobody with the counselling skill is free on Tuesday evening."


def test_confirmed_sign_ups_are_never_moved(world, run_now):
    slot, role = world.slot(needed=2)
    _later, later_role = world.slot(start=20, end=22, title="Later")
    signed = world.volunteer("Signed Shi")
    held = Assignment.objects.create(
        slot=slot, role=role, volunteer=signed, status=Assignment.Status.CONFIRMED
    )
    free = world.volunteer("Free Fu", windows=[(1, 17, 20)])
    run = run_now()
    pairs = _pairs(run)
    # One seat was open on the first slot; she keeps hers and is not put anywhere overlapping.
    assert (role.pk, free.pk) in pairs
    assert all(v != signed.pk or r == later_role.pk for r, v in pairs)
    assert run.stats["already_held"] == 1
    publishing.run_publish(by=world.coordinator, run=run)
    held.refresh_from_db()
    assert held.status == Assignment.Status.CONFIRMED
    assert held.role_id == role.pk
    assert Assignment.objects.filter(role=role, status="confirmed").count() == 2


def test_publish_confirms_and_tells_people(world, run_now):
    _slot, role = world.slot(skill=world.counselling, needed=1)
    anna = world.volunteer("Anna", skills=[world.counselling])
    run = run_now()
    mail.outbox.clear()
    run = publishing.run_publish(by=world.coordinator, run=run)
    assert run.status == MatchRun.Status.PUBLISHED
    assert run.stats["published"] == 1 and run.stats["skipped"] == 0
    assignment = Assignment.objects.get(role=role, volunteer=anna)
    assert assignment.status == Assignment.Status.CONFIRMED
    assert assignment.source == Assignment.Source.MATCHER
    proposal = MatchProposal.objects.get(run=run)
    assert proposal.outcome == "confirmed"
    assert proposal.assignment == assignment
    # The text to her is written in the outbox with the change (sent after commit).
    texts = Message.objects.filter(user=anna.user)
    assert [(m.to, m.kind) for m in texts] == [(anna.phone, "assigned")]


def test_publish_sends_the_calendar_invitation(world, run_now, django_capture_on_commit_callbacks):
    world.slot(skill=world.counselling, needed=1)
    anna = world.volunteer("Anna", skills=[world.counselling])
    run = run_now()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        publishing.run_publish(by=world.coordinator, run=run)
    assert [m.to for m in mail.outbox] == [[anna.user.email]]
    assert mail.outbox[0].subject.startswith("Shift confirmed")


def test_a_proposal_that_no_longer_fits_is_skipped_not_forced(world, run_now):
    slot, role = world.slot(needed=1)
    proposed = world.volunteer("Proposed Pei")
    run = run_now()
    assert _pairs(run) == {(role.pk, proposed.pk)}
    # Someone signs up herself before the coordinator publishes.
    quick = world.volunteer("Quick Qi")
    slot_sign_up(volunteer=quick, slot=slot)
    run = publishing.run_publish(by=world.coordinator, run=run)
    assert run.stats == {**run.stats, "published": 0, "skipped": 1}
    proposal = run.proposals.get()
    assert proposal.outcome == "skipped"
    assert proposal.outcome_note == "Every seat of this role is taken."
    assert list(
        Assignment.objects.filter(role=role, status="confirmed").values_list(
            "volunteer_id", flat=True
        )
    ) == [quick.pk]


def test_locks_are_kept_and_removed_pairs_never_come_back(world, run_now):
    _slot, role = world.slot(needed=1)
    _other, other_role = world.slot(day=world.tuesday + timedelta(days=2), needed=1)
    people = [
        world.volunteer(name, windows=[(1, 17, 22), (3, 17, 22)]) for name in ("Ai", "Bo", "Cai")
    ]
    run = run_now()
    assert len(_pairs(run)) == 2

    kept = run.proposals.get(slot_role=role)
    runs.proposal_lock(by=world.coordinator, proposal=kept)
    dropped = run.proposals.get(slot_role=other_role)
    runs.proposal_remove(by=world.coordinator, proposal=dropped)

    for _ in range(2):
        run = run_now(rerun=run)
        pairs = _pairs(run)
        assert (role.pk, kept.volunteer_id) in pairs
        assert (other_role.pk, dropped.volunteer_id) not in pairs
        assert len([p for p in pairs if p[0] == other_role.pk]) == 1
        assert run.proposals.get(pk=kept.pk).locked
    assert {v for _r, v in pairs} <= {p.pk for p in people}


def test_weekly_hours_limit_how_much_one_person_is_given(world, run_now):
    world.slot(needed=1)
    world.slot(day=world.tuesday + timedelta(days=2), needed=1)
    only = world.volunteer("Only Ou", windows=[(1, 17, 22), (3, 17, 22)], max_hours=2)
    run = run_now()
    assert len(_pairs(run)) == 1
    assert {v for _r, v in _pairs(run)} == {only.pk}
    gap = run.gaps.get()
    assert gap.reason == "all_at_weekly_hours"


def test_a_run_restricted_to_chosen_slots_leaves_the_others_alone(world, run_now):
    slot, role = world.slot(needed=1)
    world.slot(day=world.tuesday + timedelta(days=2), needed=1)
    world.volunteer("Ai", windows=[(1, 17, 22), (3, 17, 22)])
    run = run_now(slot_ids=[slot.pk])
    assert {r for r, _v in _pairs(run)} == {role.pk}
    assert run.stats["seats"] == 1


def test_a_locked_person_who_moved_away_stays_locked(world, run_now):
    _slot, role = world.slot(needed=1)
    ai = world.volunteer("Ai")
    run = run_now(area=world.street)
    proposal = run.proposals.get()
    runs.proposal_lock(by=world.coordinator, proposal=proposal)
    # She moves out of the street and clears her weekly windows.
    ai.home_area = StreetFactory(parent=world.district)
    ai.save()
    ai.availability.all().delete()
    run = run_now(rerun=run)
    assert _pairs(run) == {(role.pk, ai.pk)}


def test_a_removed_person_who_left_the_pool_does_not_break_the_next_run(world, run_now):
    _slot, role = world.slot(needed=1)
    bo = world.volunteer("Bo")
    run = run_now()
    runs.proposal_remove(by=world.coordinator, proposal=run.proposals.get())
    bo.availability.all().delete()
    run = run_now(rerun=run)
    assert _pairs(run) == set()
    assert run.gaps.get().slot_role_id == role.pk


def test_a_run_with_nobody_to_propose_explains_every_seat(world, run_now):
    _slot, role = world.slot(skill=world.counselling, needed=2)
    run = run_now()
    assert _pairs(run) == set()
    assert run.stats["filled"] == 0 and run.stats["seats"] == 2
    gap = run.gaps.get()
    assert (gap.slot_role_id, gap.empty) == (role.pk, 2)
    assert gap_text(gap) == "Nobody with the counselling skill lives in this area."


def test_a_run_with_no_open_seats_is_done_at_once(world, run_now):
    run = run_now()
    assert run.stats["seats"] == 0 and run.stats["share"] == 1.0
    assert not run.gaps.exists()


def test_no_weekly_times_given_means_free_at_any_time_for_the_matcher_too(world, run_now):
    """The same rule as signing up: she said nothing about her weeks, so she is proposed; a
    volunteer who gave times that miss the slot is not, and neither is one away that day."""
    slot, role = world.slot(needed=3)
    open_to_all = world.volunteer("Open Ou", windows=())
    world.volunteer("Thursday Tang", windows=[(3, 9, 12)])
    away = world.volunteer("Away Ai", windows=())
    Absence.objects.create(volunteer=away, start_date=world.tuesday, end_date=world.tuesday)
    assert slot_eligible(open_to_all, slot)
    run = run_now()
    assert _pairs(run) == {(role.pk, open_to_all.pk)}


def slot_eligible(volunteer, slot) -> bool:
    return not slot_refusals(facts_load(volunteer=volunteer), slot)


def test_a_run_whose_task_never_reached_a_worker_is_handed_over_by_the_sweep(
    world, django_capture_on_commit_callbacks
):
    """The broker was down when the coordinator started it: the run is on record, queued, and
    the sweep starts it once it has waited long enough for its own task."""
    _slot, role = world.slot(needed=1)
    anna = world.volunteer("Anna")
    with django_capture_on_commit_callbacks(execute=False):  # the task is lost
        run = runs.run_create(
            by=world.coordinator,
            area=world.district,
            start=world.tuesday - timedelta(days=1),
            end=world.tuesday + timedelta(days=5),
        )
    assert runs.runs_requeue() == 0  # its own task may still be on the way
    with time_machine.travel(timezone.now() + runs.REQUEUE_AFTER, tick=False):
        assert runs.runs_requeue() == 1
    run.refresh_from_db()
    assert run.status == MatchRun.Status.DONE
    assert _pairs(run) == {(role.pk, anna.pk)}
    assert runs.runs_requeue() == 0


def test_a_seat_left_empty_by_a_removal_says_so_on_the_page(world, run_now, client):
    world.slot(needed=1)
    world.volunteer("Bo")
    run = run_now()
    runs.proposal_remove(by=world.coordinator, proposal=run.proposals.get())
    run = run_now(rerun=run)
    client.force_login(world.coordinator)
    page = client.get(f"/matching/runs/{run.pk}/").content.decode()
    assert "Left empty because you removed Bo." in page
    assert "weekly hours" not in page
    world.coordinator.preferred_language = "zh-hans"
    world.coordinator.save()
    page = client.get(f"/matching/runs/{run.pk}/").content.decode()
    assert "空缺：您移除了Bo。" in page
    assert "本周时长已满" not in page
