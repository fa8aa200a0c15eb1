"""Mediators for many disputes: urgent first, caps and exclusions kept, lock/remove/publish."""

from __future__ import annotations

import pytest
import time_machine
from django.utils import timezone

from mediation.models import MediationProposal, MediationRun, MediatorAssignment
from mediation.services import runs
from notifications.models import Message

from .conftest import api_for


@pytest.fixture
def run_now(world, django_capture_on_commit_callbacks):
    def start(api=None):
        api = api or api_for(world.coordinator)
        with django_capture_on_commit_callbacks(execute=True):
            response = api.post("/api/v1/mediation/runs/", {"area": world.street.pk}, format="json")
        assert response.status_code == 202, response.content
        run = MediationRun.objects.get(pk=response.json()["id"])
        assert run.status == MediationRun.Status.DONE, run.error
        return run

    return start


def _teams(run):
    teams = {}
    for p in run.proposals.filter(removed=False):
        teams.setdefault(p.dispute_id, {})[p.role] = p.mediator_id
    return teams


def test_urgent_first_within_caps_and_exclusions(world, run_now):
    for user in (world.lead, world.spare):
        profile = user.volunteer.mediator
        profile.caseload_cap = 1
        profile.save()
    urgent = world.dispute(kind="family", urgency=3, gender_preference="", safety_risk=False)
    normal = world.dispute(kind="family", urgency=1, gender_preference="", safety_risk=False)
    third = world.dispute(kind="neighbour", urgency=1, gender_preference="", safety_risk=False)
    run = run_now()
    teams = _teams(run)
    # Two people may lead (one case each) and the man and the neighbour may too; the one
    # living in the parties' compound never appears.
    assert urgent.pk in teams
    everyone = {m for team in teams.values() for m in team.values()}
    assert world.same_compound.pk not in everyone
    load = {}
    for team in teams.values():
        for m in team.values():
            load[m] = load.get(m, 0) + 1
    assert load.get(world.lead.pk, 0) <= 1 and load.get(world.spare.pk, 0) <= 1
    assert run.stats["disputes"] == 3
    assert run.stats["staffed"] == len(teams)
    assert {normal.pk, third.pk} & set(teams) or run.gaps.exists()


def test_gender_preference_and_pairs_for_domestic_violence(world, run_now):
    dv = world.dispute()
    run = run_now()
    team = _teams(run)[dv.pk]
    assert set(team) == {"lead", "assistant"}
    assert world.man.pk not in team.values()
    assert world.same_compound.pk not in team.values()


def test_lock_remove_rerun_publish(world, run_now, django_capture_on_commit_callbacks):
    dv = world.dispute()
    family = world.dispute(kind="family", gender_preference="", safety_risk=False)
    api = api_for(world.coordinator)
    run = run_now(api)
    lead = run.proposals.get(dispute=dv, role="lead")
    assert api.post(f"/api/v1/mediation/proposals/{lead.pk}/lock/").status_code == 200
    family_lead = run.proposals.get(dispute=family, role="lead")
    removed_person = family_lead.mediator_id
    assert api.post(f"/api/v1/mediation/proposals/{family_lead.pk}/remove/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        assert api.post(f"/api/v1/mediation/runs/{run.pk}/rerun/").status_code == 202
    run.refresh_from_db()
    assert run.status == "done", run.error
    teams = _teams(run)
    assert teams[dv.pk]["lead"] == lead.mediator_id
    assert teams.get(family.pk, {}).get("lead") != removed_person
    response = api.post(f"/api/v1/mediation/runs/{run.pk}/publish/")
    assert response.status_code == 200
    run.refresh_from_db()
    assert run.status == "published" and run.stats["published"] >= 1
    dv.refresh_from_db()
    assert dv.status == "assigned"
    assert set(
        MediatorAssignment.objects.filter(dispute=dv, ended_at__isnull=True).values_list(
            "mediator_id", flat=True
        )
    ) == set(teams[dv.pk].values())
    # One text per mediator for the whole run.
    texts = Message.objects.filter(kind="dispute_assigned")
    assert texts.count() == len({m for t in teams.values() for m in t.values()})
    assert api.post(f"/api/v1/mediation/runs/{run.pk}/publish/").status_code == 409


def test_publish_skips_a_team_that_no_longer_fits(world, run_now):
    dv = world.dispute()
    run = run_now()
    # Meanwhile the proposed lead stops taking new cases.
    proposal = run.proposals.get(dispute=dv, role="lead")
    profile = proposal.mediator.volunteer.mediator
    profile.active = False
    profile.save()
    run = api_for(world.coordinator).post(f"/api/v1/mediation/runs/{run.pk}/publish/")
    assert run.status_code == 200
    assert run.json()["stats"]["skipped"] == 1
    proposal.refresh_from_db()
    assert proposal.outcome == MediationProposal.Outcome.SKIPPED
    assert "not an active mediator" in proposal.outcome_note


def test_run_pages(world, run_now, web):
    world.dispute()
    run = run_now()
    client = web(world.coordinator)
    page = client.get(f"/mediation/runs/{run.pk}/")
    assert page.status_code == 200
    assert "Publish: assign and notify" in page.content.decode()
    lead = run.proposals.get(role="lead")
    response = client.post(f"/mediation/proposals/{lead.pk}/lock/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "locked" in response.content.decode()
    assert web(world.other_coordinator).get(f"/mediation/runs/{run.pk}/").status_code == 404


def test_a_run_whose_task_never_reached_a_worker_is_handed_over_by_the_sweep(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):  # the broker was down
        response = api_for(world.coordinator).post(
            "/api/v1/mediation/runs/", {"area": world.street.pk}, format="json"
        )
    assert response.status_code == 202
    run = MediationRun.objects.get(pk=response.json()["id"])
    assert run.status == MediationRun.Status.QUEUED
    assert runs.runs_requeue() == 0  # its own task may still be on the way
    with time_machine.travel(timezone.now() + runs.REQUEUE_AFTER, tick=False):
        assert runs.runs_requeue() == 1
    run.refresh_from_db()
    assert run.status == MediationRun.Status.DONE, run.error


def test_publishing_teams_asks_first_and_counts_the_mediators_told(world, run_now, web):
    world.dispute()
    run = run_now()
    told = run.proposals.filter(removed=False).values("mediator_id").distinct().count()
    assert told >= 1
    page = web(world.coordinator).get(f"/mediation/runs/{run.pk}/").content.decode()
    noun = "mediator is" if told == 1 else "mediators are"
    assert f'data-confirm="Publish? {told} {noun} assigned and told by SMS."' in page
