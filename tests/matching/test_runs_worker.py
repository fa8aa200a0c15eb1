"""On PostgreSQL and Redis: a matcher run started through the API is solved by a real Celery
worker; the run's page and the API read its progress from the row until the proposal is ready,
and publishing it confirms the seat."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from django.urls import reverse

from activities.models import Assignment
from matching.models import MatchRun
from tests.celery_worker import tasks_to_broker, worker_running
from tests.concurrency import WITH_WORKER
from tests.world import build_world

pytestmark = WITH_WORKER
ROOT = Path(__file__).resolve().parents[2]
QUEUE = f"matching-it-{os.getpid()}"


@pytest.fixture
def broker(settings):
    """Tasks go to Redis, on a queue of this test's own, instead of running in-process."""
    with tasks_to_broker(settings, queue=QUEUE):
        yield


@pytest.fixture
def worker(broker, tmp_path):
    with worker_running(
        queue=QUEUE,
        log_path=tmp_path / "worker.log",
        env={"SMS_BACKEND": "locmem", "MATCHER_TIME_LIMIT_SECONDS": "10"},
        pool=["--pool", "solo"],
    ) as process:
        yield process


def test_a_worker_solves_the_run_and_the_page_follows_it(worker, client, api_for):
    world = build_world()
    _slot, role = world.slot(skill=world.counselling, needed=1)
    anna = world.volunteer("Anna Wang", skills=[world.counselling])
    api = api_for(world.coordinator)
    response = api.post(
        "/api/v1/matching/runs/",
        {
            "area": world.district.pk,
            "start": world.tuesday.isoformat(),
            "end": world.tuesday.isoformat(),
        },
        format="json",
    )
    assert response.status_code == 202
    assert response.json()["status"] == "queued"
    run_id = response.json()["id"]

    client.force_login(world.coordinator)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        body = api.get(f"/api/v1/matching/runs/{run_id}/").json()
        if body["status"] in {"done", "failed"}:
            break
        # While it runs, the page polls its progress bar. The run may end between the two
        # reads; the bar asks for a reload only if it has.
        partial = client.get(reverse("matching_run_progress", args=[run_id]))
        if "HX-Refresh" in partial:
            assert MatchRun.objects.get(pk=run_id).is_finished
        time.sleep(0.2)
    assert body["status"] == "done", body["error"]
    assert body["progress"] == 100
    assert [(p["slot_role"], p["volunteer"]) for p in body["proposals"]] == [(role.pk, anna.pk)]
    done = client.get(reverse("matching_run_progress", args=[run_id]))
    assert done["HX-Refresh"] == "true"

    published = api.post(f"/api/v1/matching/runs/{run_id}/publish/")
    assert published.status_code == 202
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if MatchRun.objects.get(pk=run_id).status != MatchRun.Status.PUBLISHING:
            break
        time.sleep(0.2)
    assert MatchRun.objects.get(pk=run_id).status == MatchRun.Status.PUBLISHED
    assert Assignment.objects.get(role=role).volunteer_id == anna.pk
