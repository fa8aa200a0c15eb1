"""The coordinator board: the next 48 hours of her area, and its two actions."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from activities.models import Activity, Assignment, Slot, SlotRole
from matching.models import MatchRun
from tests.factories import ActivityFactory, CommunityFactory, VenueFactory

pytestmark = pytest.mark.django_db


def _slot(world, *, hours_from_now: int, needed: int = 2, title: str, venue=None):
    start = (timezone.now() + timedelta(hours=hours_from_now)).replace(second=0, microsecond=0)
    activity = ActivityFactory(
        venue=venue or world.venue,
        kind=Activity.Kind.CLASS,
        title=title,
        title_en=title,
        starts_at=start,
        ends_at=start + timedelta(hours=2),
    )
    slot = Slot.objects.create(
        activity=activity,
        starts_at=activity.starts_at,
        ends_at=activity.ends_at,
        original_start=activity.starts_at,
    )
    role = SlotRole.objects.create(slot=slot, needed=needed)
    return slot, role


def _seat(world, slot, role, name, *, reconfirmed: bool):
    return Assignment.objects.create(
        slot=slot,
        role=role,
        volunteer=world.volunteer(name),
        status=Assignment.Status.CONFIRMED,
        reconfirmed_at=timezone.now() if reconfirmed else None,
    )


@pytest.fixture
def board(world):
    empty, _ = _slot(world, hours_from_now=3, title="Empty class")
    under, under_role = _slot(world, hours_from_now=20, title="Half class")
    _seat(world, under, under_role, "Una", reconfirmed=True)
    waiting, waiting_role = _slot(world, hours_from_now=30, needed=1, title="Unsure class")
    _seat(world, waiting, waiting_role, "Wu", reconfirmed=False)
    fine, fine_role = _slot(world, hours_from_now=10, needed=1, title="Fine class")
    _seat(world, fine, fine_role, "Fay", reconfirmed=True)
    _slot(world, hours_from_now=60, title="Later class")
    other_venue = VenueFactory(area=CommunityFactory(parent__parent=world.other_district))
    _slot(world, hours_from_now=5, title="Other district class", venue=other_venue)
    return {"empty": empty, "under": under, "waiting": waiting, "fine": fine}


def test_board_lists_empty_underfilled_and_unconfirmed_slots_of_the_next_48_hours(
    world, board, client
):
    client.force_login(world.coordinator)
    response = client.get(reverse("coordinator_board"))
    assert response.status_code == 200
    page = response.content.decode()
    for title in ("Empty class", "Half class", "Unsure class"):
        assert title in page
    for title in ("Fine class", "Later class", "Other district class"):
        assert title not in page
    assert "under-filled" in page
    assert "1 not reconfirmed" in page
    assert "Re-run the matcher for these" in page


def test_board_is_for_coordinators_only(world, board, client):
    client.force_login(world.volunteer("Vera").user)
    assert client.get(reverse("coordinator_board")).status_code == 403
    client.force_login(world.host)
    assert client.get(reverse("coordinator_board")).status_code == 403
    assert (
        client.post(reverse("coordinator_board_action"), {"slots": [board["empty"].pk]}).status_code
        == 403
    )
    assert MatchRun.objects.count() == 0


def test_board_shows_nothing_of_another_district(world, board, client):
    client.force_login(world.other_coordinator)
    page = client.get(reverse("coordinator_board")).content.decode()
    assert "Other district class" in page
    assert "Empty class" not in page


def test_rerun_for_these_starts_a_run_restricted_to_the_chosen_slots(
    world, board, client, django_capture_on_commit_callbacks
):
    client.force_login(world.coordinator)
    chosen = [board["empty"].pk, board["under"].pk]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("coordinator_board_action"), {"slots": chosen, "action": "rerun"}
        )
    run = MatchRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("matching_run", args=[run.pk])
    assert run.slot_ids == sorted(chosen)
    assert run.area == world.district  # her own area: its people may fill the seats
    assert run.created_by == world.coordinator


def test_rerun_refuses_slots_outside_her_area(world, board, client):
    client.force_login(world.other_coordinator)
    response = client.post(
        reverse("coordinator_board_action"), {"slots": [board["empty"].pk], "action": "rerun"}
    )
    assert response.status_code == 302
    assert MatchRun.objects.count() == 0
    page = client.get(response["Location"]).content.decode()
    assert "Some of these slots are not in your area." in page


def test_sms_backfill_opens_for_the_free_seats_of_the_chosen_slots(
    world, board, client, django_capture_on_commit_callbacks
):
    from activities.models import Backfill

    client.force_login(world.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("coordinator_board_action"),
            {"slots": [board["empty"].pk, board["waiting"].pk], "action": "backfill"},
            follow=True,
        )
    assert response.status_code == 200
    # The empty slot has free seats; the unconfirmed one is full, so it starts nothing.
    assert list(Backfill.objects.values_list("role__slot_id", flat=True)) == [board["empty"].pk]
    assert "SMS offers are going out for 1 role with free seats." in response.content.decode()
    assert "Start SMS backfill" in client.get(reverse("coordinator_board")).content.decode()


def test_starting_a_backfill_asks_first_but_a_rerun_does_not(world, board, client):
    client.force_login(world.coordinator)
    page = client.get(reverse("coordinator_board")).content.decode()
    backfill = re.search(r'<button[^>]*value="backfill"[^>]*>', page).group(0)
    rerun = re.search(r'<button[^>]*value="rerun"[^>]*>', page).group(0)
    assert 'data-confirm="Start an SMS backfill for the chosen slots?' in backfill
    assert "data-confirm" not in rerun
