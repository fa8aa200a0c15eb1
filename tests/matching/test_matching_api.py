"""The matcher API: who may start, read and publish runs, and what is refused."""

from __future__ import annotations

from datetime import timedelta

import pytest

from activities.models import Assignment
from matching.models import MatchRun

pytestmark = pytest.mark.django_db


def _body(world, area=None):
    return {
        "area": (area or world.district).pk,
        "start": world.tuesday.isoformat(),
        "end": (world.tuesday + timedelta(days=2)).isoformat(),
    }


def _run(world, area=None):
    return world.run(area=area)


def test_coordinator_starts_a_run_and_gets_202_with_id_status_progress(
    world, django_capture_on_commit_callbacks, api_for
):
    world.slot(skill=world.counselling)
    with django_capture_on_commit_callbacks(execute=True):
        response = api_for(world.coordinator).post(
            "/api/v1/matching/runs/", _body(world), format="json"
        )
    assert response.status_code == 202, response.content
    body = response.json()
    assert {"id", "status", "progress"} <= set(body)
    run = MatchRun.objects.get(pk=body["id"])
    assert run.created_by == world.coordinator
    assert run.area == world.district
    # Without a broker the task has already run by the time the answer is read.
    detail = api_for(world.coordinator).get(f"/api/v1/matching/runs/{run.pk}/")
    assert detail.status_code == 200
    assert detail.json()["status"] == "done"
    assert detail.json()["progress"] == 100


@pytest.mark.parametrize("who", ["volunteer", "host"])
def test_volunteers_and_hosts_are_refused_with_the_rule(world, who, api_for):
    user = world.volunteer("Vera").user if who == "volunteer" else world.host
    client = api_for(user)
    response = client.post("/api/v1/matching/runs/", _body(world), format="json")
    assert response.status_code == 403
    assert response.json()["detail"] == "Only coordinators can run the matcher."
    run = _run(world)
    assert client.get(f"/api/v1/matching/runs/{run.pk}/").status_code == 403
    assert client.post(f"/api/v1/matching/runs/{run.pk}/publish/").status_code == 403
    assert client.get("/api/v1/matching/runs/").status_code == 403
    assert MatchRun.objects.count() == 1


def test_coordinator_of_another_area_cannot_start_see_or_publish(world, api_for):
    client = api_for(world.other_coordinator)
    response = client.post("/api/v1/matching/runs/", _body(world), format="json")
    assert response.status_code == 403
    assert response.json()["detail"] == (
        "You can run the matcher only for the areas you coordinate."
    )
    run = _run(world)
    assert client.get(f"/api/v1/matching/runs/{run.pk}/").status_code == 404
    assert client.post(f"/api/v1/matching/runs/{run.pk}/publish/").status_code == 404
    assert client.get("/api/v1/matching/runs/").json()["count"] == 0
    run.refresh_from_db()
    assert run.status == MatchRun.Status.DONE


def test_street_coordinator_works_in_her_street_only(world, api_for):
    client = api_for(world.street_coordinator)
    district_run = _run(world)
    assert client.get(f"/api/v1/matching/runs/{district_run.pk}/").status_code == 404
    assert client.post("/api/v1/matching/runs/", _body(world), format="json").status_code == 403
    response = client.post("/api/v1/matching/runs/", _body(world, area=world.street), format="json")
    assert response.status_code == 202
    # The district coordinator sees the street's runs: they are in her area.
    district = api_for(world.coordinator)
    assert district.get(f"/api/v1/matching/runs/{response.json()['id']}/").status_code == 200


def test_anonymous_is_asked_to_sign_in(world, api_for):
    response = api_for().post("/api/v1/matching/runs/", _body(world), format="json")
    assert response.status_code == 401
    assert response.json() == {"detail": "Authentication credentials were not provided."}
    assert not MatchRun.objects.exists()


def test_bad_dates_name_the_field(world, api_for):
    client = api_for(world.coordinator)
    body = _body(world)
    body["end"] = (world.tuesday - timedelta(days=1)).isoformat()
    response = client.post("/api/v1/matching/runs/", body, format="json")
    assert response.status_code == 400
    assert response.json() == {"end": ["The last day cannot come before the first."]}
    body["end"] = (world.tuesday + timedelta(days=100)).isoformat()
    response = client.post("/api/v1/matching/runs/", body, format="json")
    assert response.status_code == 400
    assert response.json() == {"end": ["A run covers at most 62 days."]}
    response = client.post("/api/v1/matching/runs/", {"area": 999999}, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"area", "start", "end"}
    assert MatchRun.objects.count() == 0


def test_publishing_twice_is_a_conflict(world, api_for):
    run = _run(world)
    run.status = MatchRun.Status.PUBLISHED
    run.save()
    response = api_for(world.coordinator).post(f"/api/v1/matching/runs/{run.pk}/publish/")
    assert response.status_code == 409
    assert "published" in response.json()["detail"].lower()


def test_lock_remove_rerun_and_publish_through_the_api(
    world, django_capture_on_commit_callbacks, api_for
):
    _slot, role = world.slot(needed=1)
    _other, other_role = world.slot(day=world.tuesday + timedelta(days=2), needed=1)
    for name in ("Ai", "Bo", "Cai"):
        world.volunteer(name, windows=[(1, 17, 22), (3, 17, 22)])
    client = api_for(world.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        created = client.post("/api/v1/matching/runs/", _body(world), format="json")
    run_id = created.json()["id"]
    body = client.get(f"/api/v1/matching/runs/{run_id}/").json()
    assert body["stats"]["filled"] == 2
    by_role = {p["slot_role"]: p for p in body["proposals"]}
    kept, dropped = by_role[role.pk], by_role[other_role.pk]

    outsider = api_for(world.other_coordinator)
    assert outsider.post(f"/api/v1/matching/proposals/{kept['id']}/lock/").status_code == 404
    volunteer = api_for(world.volunteer("Vera").user)
    assert volunteer.post(f"/api/v1/matching/proposals/{kept['id']}/lock/").status_code == 403

    assert client.post(f"/api/v1/matching/proposals/{kept['id']}/lock/").json()["locked"]
    assert client.post(f"/api/v1/matching/proposals/{dropped['id']}/remove/").json()["removed"]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/api/v1/matching/runs/{run_id}/rerun/")
    assert response.status_code == 202
    body = client.get(f"/api/v1/matching/runs/{run_id}/").json()
    assert body["status"] == "done"
    live = {(p["slot_role"], p["volunteer"]) for p in body["proposals"] if not p["removed"]}
    assert (role.pk, kept["volunteer"]) in live
    assert (other_role.pk, dropped["volunteer"]) not in live

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/api/v1/matching/runs/{run_id}/publish/")
    assert response.status_code == 202
    assert response.json()["status"] == "publishing"
    # A second press is refused: the run is publishing (or published) already.
    assert client.post(f"/api/v1/matching/runs/{run_id}/publish/").status_code == 409
    body = client.get(f"/api/v1/matching/runs/{run_id}/").json()
    assert body["status"] == "published"
    assert body["stats"]["published"] == 2
    assert Assignment.objects.filter(source="matcher", status="confirmed").count() == 2
    assert client.post(f"/api/v1/matching/proposals/{kept['id']}/unlock/").status_code == 409
