"""The run's pages: progress while it runs, then the proposal with locks, removals and reasons."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from matching.models import MatchGap, MatchProposal, MatchRun

pytestmark = pytest.mark.django_db


@pytest.fixture
def proposal(world):
    """A finished run: Anna proposed for a counselling seat, one seat left empty."""
    _slot, role = world.slot(skill=world.counselling, needed=2)
    anna = world.volunteer("Anna Wang", skills=[world.counselling])
    run = world.run(stats={"filled": 1, "seats": 2, "share": 0.5, "bound": 1, "ratio": 1.0})
    p = MatchProposal.objects.create(run=run, slot_role=role, volunteer=anna, hours=2)
    MatchGap.objects.create(
        run=run, slot_role=role, empty=1, reason="no_one_available", counts={"skilled": 1}
    )
    return p


def test_proposal_page_shows_share_who_goes_load_and_reasons(world, proposal, client):
    client.force_login(world.coordinator)
    response = client.get(reverse("matching_run", args=[proposal.run_id]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "1 / 2" in page
    assert "50%" in page
    assert "Anna Wang" in page
    assert "Nobody with the counselling skill is free on Tuesday evening." in page
    assert "Publish: confirm and notify" in page
    assert "Run again around my locks" in page


def test_proposal_page_in_chinese(world, proposal, client):
    world.coordinator.preferred_language = "zh-hans"
    world.coordinator.save()
    client.force_login(world.coordinator)
    page = client.get(
        reverse("matching_run", args=[proposal.run_id]), HTTP_ACCEPT_LANGUAGE="zh-hans"
    ).content.decode()
    assert "星期二晚上没有具备心理咨询技能的志愿者有空。" in page
    assert "发布：确认并通知" in page


def test_lock_and_remove_with_htmx_answer_the_row(world, proposal, client):
    client.force_login(world.coordinator)
    url = reverse("matching_proposal_action", args=[proposal.pk, "lock"])
    response = client.post(url, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "locked" in response.content.decode()
    assert "Unlock" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.locked

    url = reverse("matching_proposal_action", args=[proposal.pk, "remove"])
    response = client.post(url, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "removed" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.removed and not proposal.locked


def test_lock_without_javascript_goes_back_to_the_page(world, proposal, client):
    client.force_login(world.coordinator)
    response = client.post(reverse("matching_proposal_action", args=[proposal.pk, "lock"]))
    assert response.status_code == 302
    assert response["Location"] == reverse("matching_run", args=[proposal.run_id])


def test_others_cannot_see_or_change_the_proposal(world, proposal, client):
    client.force_login(world.other_coordinator)
    assert client.get(reverse("matching_run", args=[proposal.run_id])).status_code == 404
    url = reverse("matching_proposal_action", args=[proposal.pk, "remove"])
    assert client.post(url).status_code == 404
    client.force_login(world.volunteer("Vera").user)
    assert client.get(reverse("matching_run", args=[proposal.run_id])).status_code == 403
    assert client.post(url).status_code == 403
    client.force_login(world.host)
    assert client.get(reverse("matching_runs")).status_code == 403
    proposal.refresh_from_db()
    assert not proposal.removed


def test_a_published_proposal_cannot_be_changed(world, proposal):
    from core.errors import Conflict
    from matching.services.runs import proposal_remove

    MatchRun.objects.filter(pk=proposal.run_id).update(status=MatchRun.Status.PUBLISHED)
    with pytest.raises(Conflict):
        proposal_remove(by=world.coordinator, proposal=proposal)


def test_progress_polls_until_the_run_is_over(world, client):
    run = world.run(status=MatchRun.Status.RUNNING, progress=40)
    client.force_login(world.coordinator)
    page = client.get(reverse("matching_run", args=[run.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in page
    assert 'value="40"' in page
    partial = client.get(reverse("matching_run_progress", args=[run.pk]), HTTP_HX_REQUEST="true")
    assert "HX-Refresh" not in partial
    run.status = MatchRun.Status.DONE
    run.progress = 100
    run.save()
    partial = client.get(reverse("matching_run_progress", args=[run.pk]), HTTP_HX_REQUEST="true")
    assert partial["HX-Refresh"] == "true"
    assert "every 1s" not in partial.content.decode()


def test_run_form_offers_only_her_areas(world, client):
    client.force_login(world.street_coordinator)
    page = client.get(reverse("matching_runs")).content.decode()
    assert "Happiness Street" in page
    assert "Peace Community" in page
    assert "Model District" not in page
    assert "Next District" not in page


def test_run_form_starts_a_run_and_shows_its_page(
    world, client, django_capture_on_commit_callbacks
):
    world.slot(skill=world.counselling, needed=1)
    world.volunteer("Anna Wang", skills=[world.counselling])
    client.force_login(world.coordinator)
    form = client.get(reverse("matching_runs")).content.decode()
    assert 'type="date"' in form
    assert f'value="{timezone.localdate().isoformat()}"' in form
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("matching_runs"),
            {
                "area": world.district.pk,
                "start": world.tuesday.isoformat(),
                "end": world.tuesday.isoformat(),
            },
        )
    run = MatchRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("matching_run", args=[run.pk])
    page = client.get(response["Location"]).content.decode()
    assert "Anna Wang" in page
    assert "1 / 1" in page


def test_run_form_names_the_wrong_field(world, client):
    client.force_login(world.coordinator)
    response = client.post(
        reverse("matching_runs"),
        {
            "area": world.district.pk,
            "start": world.tuesday.isoformat(),
            "end": (world.tuesday - timedelta(days=3)).isoformat(),
        },
    )
    assert response.status_code == 200
    assert "The last day cannot come before the first." in response.content.decode()
    assert MatchRun.objects.count() == 0


def test_publish_button_confirms_and_says_so(
    world, proposal, client, django_capture_on_commit_callbacks
):
    from activities.models import Assignment

    client.force_login(world.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("matching_run_publish", args=[proposal.run_id]))
    assert response.status_code == 302
    run = MatchRun.objects.get(pk=proposal.run_id)
    assert run.status == MatchRun.Status.PUBLISHED
    assert Assignment.objects.filter(volunteer=proposal.volunteer, source="matcher").exists()
    page = client.get(response["Location"]).content.decode()
    assert "1 confirmed, 0 left out" in page
    assert "Publish: confirm and notify" not in page


def test_publishing_shows_an_indeterminate_bar_until_done(world, proposal, client):
    MatchRun.objects.filter(pk=proposal.run_id).update(status=MatchRun.Status.PUBLISHING)
    client.force_login(world.coordinator)
    page = client.get(reverse("matching_run", args=[proposal.run_id])).content.decode()
    assert "Confirming and telling people" in page
    assert 'hx-trigger="every 1s"' in page


def test_a_role_without_a_skill_is_named_any_volunteer(world, client):
    _slot, role = world.slot(needed=2)
    run = world.run(stats={"filled": 0, "seats": 2, "share": 0.0, "bound": 0, "ratio": 1.0})
    MatchGap.objects.create(run=run, slot_role=role, empty=2, reason="no_one_available")
    client.force_login(world.coordinator)
    page = client.get(reverse("matching_run", args=[run.pk])).content.decode()
    assert "<strong>Any volunteer</strong> × 2" in page
    assert "Anyone" not in page


def test_publishing_asks_first_and_says_how_many_are_told(world, proposal, client):
    client.force_login(world.coordinator)
    page = client.get(reverse("matching_run", args=[proposal.run_id])).content.decode()
    assert (
        'data-confirm="Publish? 1 person gets her shift confirmed and is told by SMS and email."'
        in page
    )
    assert "Publish: confirm and notify 1 person</button>" in page
