"""The endpoints bench/load.py measures read a fixed number of queries, whatever the page size
and however much data there is: "shifts for me" (page and API), a slot's page, her calendar
feed and the coordinator board, each with little data and with ten times as much."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from activities.services.signup import slot_sign_up
from tests.world import build_world

pytestmark = pytest.mark.django_db

# Measured: the same with 4 shifts and one other person on each as with 24 shifts and six, and
# the same with 10 or 100 rows a page. "Shifts for me" decides which shifts fit her on plain rows
# (one query: the shifts, each with its roles) and its page shows those rows (no query more;
# every open shift, not judged, reads the roles of its page's rows only: one more); its
# filters read their venue and team choices in one query. The API's list of every coming shift
# reads its page of rows with the count of all of them, in one query. Her facts (skills, weekly
# times, days away, teams and sign-ups) are one query wherever the rules judge.
# The menu of a page reads her roles and her mediation ties in one query. Her volunteer profile
# comes with her user row (signin.backends), not in a query of its own. Her feed reads the
# entries of a provider (her shifts, her mediation sessions) only when its version shows some.
LIMITS = {"page": 6, "every shift": 7, "api": 5, "slot": 6, "feed": 4, "board": 7}


def _days(world, *, slots: int, others: int):
    """``slots`` one-hour shifts from tomorrow (twelve a day, inside the board's two days),
    each with ``others`` people signed up; the volunteer watched holds every other one."""
    her = world.volunteer("Her", windows=[(d, 7, 22) for d in range(7)], max_hours=60)
    crowd = [
        world.volunteer(f"C{i}", windows=[(d, 7, 22) for d in range(7)], max_hours=60)
        for i in range(others)
    ]
    tomorrow = timezone.localdate() + timedelta(days=1)
    made = []
    for i in range(slots):
        slot, _role = world.slot(
            day=tomorrow + timedelta(days=i // 12),
            start=8 + i % 12,
            end=9 + i % 12,
            needed=others + 2,
        )
        for person in crowd:
            slot_sign_up(volunteer=person, slot=slot)
        if i % 2 == 0:
            slot_sign_up(volunteer=her, slot=slot)
        made.append(slot)
    return her, made


@pytest.fixture(params=[(4, 1), (24, 6)], ids=["little", "ten-fold"])
def data(request, frozen):
    world = build_world()
    slots, others = request.param
    her, made = _days(world, slots=slots, others=others)
    return world, her, made


@pytest.mark.parametrize("size", [10, 100])
def test_shifts_for_me_page_and_api(data, size, client, django_assert_max_num_queries):
    _world, her, made = data
    client.force_login(her.user)
    with django_assert_max_num_queries(LIMITS["every shift"]):
        page = client.get(reverse("shifts_for_me") + f"?page_size={size}&everything=1")
    assert page.status_code == 200
    assert [s.pk for s in page.context["page"].object_list] == [s.pk for s in made[:size]]
    # Only those that fit her: the ones she holds are not offered again.
    with django_assert_max_num_queries(LIMITS["page"]):
        fitting = client.get(reverse("shifts_for_me") + f"?page_size={size}")
    assert [s.pk for s in fitting.context["page"].object_list] == [s.pk for s in made[1::2]][:size]
    with django_assert_max_num_queries(LIMITS["api"]):
        api = client.get(f"/api/v1/slots/?page_size={size}")
    assert api.status_code == 200
    assert {row["id"] for row in api.json()["results"]} >= {s.pk for s in made[:10]}
    with django_assert_max_num_queries(LIMITS["api"]):
        mine = client.get(f"/api/v1/slots/?fits_me=true&page_size={size}")
    assert [row["id"] for row in mine.json()["results"]] == [s.pk for s in made[1::2]][:size]


def test_a_slots_page(data, client, django_assert_max_num_queries):
    _world, her, made = data
    client.force_login(her.user)
    with django_assert_max_num_queries(LIMITS["slot"]):
        response = client.get(reverse("slot_detail", args=[made[0].pk]))
    assert response.status_code == 200
    assert response.context["mine"].volunteer_id == her.pk


def test_her_calendar_feed(data, client, django_assert_max_num_queries):
    _world, her, made = data
    with django_assert_max_num_queries(LIMITS["feed"]):
        response = client.get(reverse("calendar_feed", args=[her.user.calendar_token]))
    assert response.status_code == 200
    assert response.content.decode().count("BEGIN:VEVENT") == (len(made) + 1) // 2


def test_the_coordinator_board(data, client, django_assert_max_num_queries):
    world, _her, made = data
    client.force_login(world.coordinator)
    with django_assert_max_num_queries(LIMITS["board"]):
        response = client.get(reverse("coordinator_board"))
    assert response.status_code == 200
    # The board shows the next two days.
    soon = [s.pk for s in made if s.starts_at < timezone.now() + timedelta(hours=48)]
    assert [row.slot.pk for row in response.context["rows"]] == soon


def test_the_load_benchmarks_ceiling_is_not_mounted_outside_the_benchmark(client):
    world = build_world()
    client.force_login(world.volunteer("Her").user)
    assert client.get("/api/v1/bench/ceiling/").status_code == 404
