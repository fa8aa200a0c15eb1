"""Publishing a day at a time: an interrupted publication keeps what it confirmed,
publishing again continues with the rest and never confirms or tells anyone twice."""

from __future__ import annotations

from datetime import timedelta

import pytest

from activities.models import Assignment
from core.errors import Conflict
from matching.models import MatchProposal, MatchRun
from matching.services import publishing, runs
from notifications.models import Message

pytestmark = pytest.mark.django_db


def _run(world, django_capture_on_commit_callbacks) -> MatchRun:
    with django_capture_on_commit_callbacks(execute=True):
        run = runs.run_create(
            by=world.coordinator,
            area=world.district,
            start=world.tuesday - timedelta(days=1),
            end=world.tuesday + timedelta(days=5),
        )
    run.refresh_from_db()
    assert run.status == MatchRun.Status.DONE, run.error
    return run


@pytest.fixture
def two_slots(world, django_capture_on_commit_callbacks):
    """Two shifts on different days, one person proposed for each; the run is ready."""
    _first, first_role = world.slot(needed=1)
    _second, second_role = world.slot(day=world.tuesday + timedelta(days=2), needed=1)
    ai = world.volunteer("Ai", windows=[(1, 17, 22)])
    bo = world.volunteer("Bo", windows=[(3, 17, 22)])
    run = _run(world, django_capture_on_commit_callbacks)
    pairs = set(run.proposals.values_list("slot_role_id", "volunteer_id"))
    assert pairs == {(first_role.pk, ai.pk), (second_role.pk, bo.pk)}
    return run, ai, bo


@pytest.fixture
def interrupted(world, two_slots, monkeypatch):
    """Publishing stops with a database failure while confirming Bo, after Ai's seat."""
    run, ai, bo = two_slots
    real = publishing.slots_seats_give

    def failing_for_bo(*, seats, **kwargs):
        if any(volunteer.pk == bo.pk for volunteer, _role in seats):
            raise RuntimeError("connection to the database was lost")
        return real(seats=seats, **kwargs)

    monkeypatch.setattr(publishing, "slots_seats_give", failing_for_bo)
    run = publishing.run_publish(by=world.coordinator, run=run)
    monkeypatch.setattr(publishing, "slots_seats_give", real)
    return run, ai, bo


def test_an_interrupted_publication_keeps_what_it_confirmed_and_shows_the_error(interrupted):
    run, ai, bo = interrupted
    assert run.status == MatchRun.Status.DONE
    assert run.error == "connection to the database was lost"
    done = run.proposals.get(volunteer=ai)
    assert done.outcome == MatchProposal.Outcome.CONFIRMED
    assert done.assignment.status == Assignment.Status.CONFIRMED
    assert run.proposals.get(volunteer=bo).outcome == MatchProposal.Outcome.PENDING
    assert not Assignment.objects.filter(volunteer=bo).exists()


def test_publishing_again_continues_and_confirms_nobody_twice(world, interrupted):
    run, ai, bo = interrupted
    run = publishing.run_publish(by=world.coordinator, run=run)
    assert run.status == MatchRun.Status.PUBLISHED
    assert run.error == ""
    assert run.stats["published"] == 2 and run.stats["skipped"] == 0
    for person in (ai, bo):
        assert Assignment.objects.filter(volunteer=person, status="confirmed").count() == 1
        # Each is told once, by the publication that confirmed her.
        assert Message.objects.filter(user=person.user, kind="assigned").count() == 1
    assert set(run.proposals.values_list("outcome", flat=True)) == {"confirmed"}


def test_a_second_delivery_of_the_task_changes_nothing(world, two_slots):
    run, ai, _bo = two_slots
    run = publishing.run_publish(by=world.coordinator, run=run)
    before = list(Assignment.objects.order_by("pk").values_list("pk", "status", "sequence"))
    assert publishing.run_publish_execute(run_id=run.pk) is None
    # Even a publication still marked as running skips the proposals already done.
    MatchRun.objects.filter(pk=run.pk).update(status=MatchRun.Status.PUBLISHING)
    run = publishing.run_publish_execute(run_id=run.pk)
    assert run.status == MatchRun.Status.PUBLISHED
    assert run.stats["published"] == 2
    assert list(Assignment.objects.order_by("pk").values_list("pk", "status", "sequence")) == (
        before
    )
    assert Message.objects.filter(user=ai.user, kind="assigned").count() == 1


def test_pressing_publish_while_it_runs_is_a_conflict(world, two_slots, api_for):
    run, _ai, _bo = two_slots
    MatchRun.objects.filter(pk=run.pk).update(status=MatchRun.Status.PUBLISHING)
    response = api_for(world.coordinator).post(f"/api/v1/matching/runs/{run.pk}/publish/")
    assert response.status_code == 409
    assert response.json()["detail"] == (
        "Only a finished proposal can be published; this run is Publishing."
    )
    assert not Assignment.objects.exists()


def test_a_confirmed_proposal_cannot_be_removed(world, interrupted):
    run, ai, _bo = interrupted
    confirmed = run.proposals.get(volunteer=ai)
    with pytest.raises(Conflict) as refused:
        runs.proposal_remove(by=world.coordinator, proposal=confirmed)
    assert refused.value.message == "This person is already confirmed for the shift."
    confirmed.refresh_from_db()
    assert not confirmed.removed


def test_running_again_after_an_interruption_keeps_the_confirmed_seats(
    world, interrupted, django_capture_on_commit_callbacks
):
    run, ai, bo = interrupted
    with django_capture_on_commit_callbacks(execute=True):
        run = runs.run_rerun(by=world.coordinator, run=run)
    run.refresh_from_db()
    assert run.status == MatchRun.Status.DONE, run.error
    outcomes = dict(run.proposals.values_list("volunteer_id", "outcome"))
    assert outcomes == {ai.pk: "confirmed", bo.pk: ""}
    # Ai's seat is held now: the engine fills only Bo's shift, and her record stays.
    assert run.stats["seats"] == 1 and run.stats["filled"] == 1
    assert run.proposals.count() == 2
    run = publishing.run_publish(by=world.coordinator, run=run)
    assert run.stats["published"] == 2
    assert Assignment.objects.filter(status="confirmed").count() == 2
