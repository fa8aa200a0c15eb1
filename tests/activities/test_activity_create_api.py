"""The activities API: hosts and coordinators post; others are refused; slots can be moved."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from rest_framework.test import APIClient

from activities.models import Activity, Slot
from tests.factories import (
    CoordinatorFactory,
    SkillFactory,
    UserFactory,
    VenueFactory,
    VolunteerFactory,
)

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(datetime(2026, 6, 1, 9, 0, tzinfo=SH), tick=False):
        yield


@pytest.fixture
def host():
    return UserFactory()


@pytest.fixture
def venue(host):
    return VenueFactory(hosts=[host])


def client_for(user):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def payload(venue, **extra):
    SkillFactory(code="lecture")
    data = {
        "venue": venue.pk,
        "title": "巾帼宣讲",
        "title_en": "Women's rights talk",
        "kind": "lecture",
        "description": "",
        "starts_at": "2026-06-02T19:00:00+08:00",
        "ends_at": "2026-06-02T20:30:00+08:00",
        "rrule": "FREQ=WEEKLY;BYDAY=TU,TH;UNTIL=20260630T155959Z",
        "exdates": ["2026-06-18"],
        "roles": [
            {"skill": "lecture", "needed": 1, "language": None},
            {"skill": None, "needed": 2, "language": "en"},
        ],
    }
    data.update(extra)
    return data


def test_host_posts_a_series_and_gets_its_slots(venue, host):
    response = client_for(host).post("/api/v1/activities/", payload(venue), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["slots_upcoming"] == 8
    assert body["starts_at"] == "2026-06-02T19:00:00+08:00"
    assert body["exdates"] == ["2026-06-18"]
    assert [(r["skill"], r["needed"], r["language"]) for r in body["roles"]] == [
        ("lecture", 1, None),
        (None, 2, "en"),
    ]
    listed = client_for(host).get("/api/v1/activities/").json()
    assert listed["count"] == 1 and listed["results"][0]["id"] == body["id"]


def test_one_off_without_rule(venue, host):
    data = payload(venue)
    del data["rrule"], data["exdates"]
    response = client_for(host).post("/api/v1/activities/", data, format="json")
    assert response.status_code == 201
    assert Slot.objects.count() == 1


def test_coordinator_in_area_may_post(venue):
    coordinator = CoordinatorFactory(area=venue.area).user
    response = client_for(coordinator).post("/api/v1/activities/", payload(venue), format="json")
    assert response.status_code == 201


@pytest.mark.parametrize("who", ["other_host", "other_coordinator", "volunteer", "anonymous"])
def test_others_are_refused(venue, who):
    if who == "other_host":
        user = UserFactory()
        VenueFactory(hosts=[user])
        expected = 403
    elif who == "other_coordinator":
        user = CoordinatorFactory().user
        expected = 403
    elif who == "volunteer":
        user = VolunteerFactory().user
        expected = 403
    else:
        user, expected = None, 401
    response = client_for(user).post("/api/v1/activities/", payload(venue), format="json")
    assert response.status_code == expected
    assert "detail" in response.json()
    assert not Activity.objects.exists()


def test_host_at_another_venue_is_told_why_in_chinese(venue):
    other = UserFactory(preferred_language="zh-hans")
    VenueFactory(hosts=[other])
    response = client_for(other).post(
        "/api/v1/activities/", payload(venue), format="json", HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    assert response.status_code == 403
    assert response.json()["detail"] == "你只能在自己主持或负责协调的场地发布和修改活动。"


@pytest.mark.parametrize(
    ("extra", "field", "message"),
    [
        ({"ends_at": "2026-06-02T18:00:00+08:00"}, "ends_at", "The end must be after the start."),
        (
            {"ends_at": "2026-06-03T08:00:00+08:00"},
            "ends_at",
            "A slot cannot be longer than 12 hours.",
        ),
        ({"rrule": "FREQ=MINUTELY;COUNT=3"}, "rrule", "An activity can repeat at most once a day."),
        (
            {"rrule": "FREQ=DAILY;COUNT=900"},
            "rrule",
            "A series can have at most 500 occurrences; end it sooner.",
        ),
        ({"roles": [{"needed": 0}]}, "roles", "Each role needs at least one seat."),
    ],
)
def test_bad_input_names_the_field(venue, host, extra, field, message):
    response = client_for(host).post("/api/v1/activities/", payload(venue, **extra), format="json")
    assert response.status_code == 400
    assert message in response.json()[field]
    assert not Activity.objects.exists()


def test_reschedule_and_cancel_with_scope(venue, host):
    client = client_for(host)
    client.post("/api/v1/activities/", payload(venue), format="json")
    slot = Slot.objects.order_by("starts_at")[2]
    response = client.post(
        f"/api/v1/slots/{slot.pk}/reschedule/",
        {
            "scope": "following",
            "starts_at": "2026-06-09T18:00:00+08:00",
            "ends_at": "2026-06-09T19:30:00+08:00",
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert len(response.json()["slots"]) == 6
    assert Activity.objects.count() == 2
    response = client.post(f"/api/v1/slots/{slot.pk}/cancel/", {"scope": "this"}, format="json")
    assert response.status_code == 200
    assert response.json()["slots"][0]["status"] == "cancelled"
    again = client.post(f"/api/v1/slots/{slot.pk}/cancel/", {"scope": "this"}, format="json")
    assert again.status_code == 409


def test_another_host_cannot_move_or_cancel(venue, host):
    client_for(host).post("/api/v1/activities/", payload(venue), format="json")
    slot = Slot.objects.first()
    stranger = UserFactory()
    VenueFactory(hosts=[stranger])
    response = client_for(stranger).post(
        f"/api/v1/slots/{slot.pk}/cancel/", {"scope": "all"}, format="json"
    )
    assert response.status_code == 403
    assert not Slot.objects.filter(status="cancelled").exists()


def test_patch_changes_the_whole_series(venue, host):
    client = client_for(host)
    created = client.post("/api/v1/activities/", payload(venue), format="json").json()
    role_id = created["roles"][0]["id"]
    response = client.patch(
        f"/api/v1/activities/{created['id']}/",
        {
            "starts_at": "2026-06-02T18:30:00+08:00",
            "ends_at": "2026-06-02T20:00:00+08:00",
            "roles": [{"id": role_id, "skill": "lecture", "needed": 2}],
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["starts_at"] == "2026-06-02T18:30:00+08:00"
    assert [(r["id"], r["needed"]) for r in body["roles"]] == [(role_id, 2)]
    hours = {s.starts_at.astimezone(SH).strftime("%H:%M") for s in Slot.objects.all()}
    assert hours == {"18:30"}


def test_patch_refuses_another_host_and_a_move_to_another_venue(venue, host):
    created = client_for(host).post("/api/v1/activities/", payload(venue), format="json").json()
    stranger = UserFactory()
    other_venue = VenueFactory(hosts=[stranger])
    url = f"/api/v1/activities/{created['id']}/"
    assert client_for(stranger).patch(url, {"title": "x"}, format="json").status_code == 403
    response = client_for(host).patch(url, {"venue": other_venue.pk}, format="json")
    assert response.status_code == 400
    assert "venue" in response.json()
