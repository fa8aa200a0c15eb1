"""The activities API: hosts and coordinators post; others are refused; slots can be moved."""

from __future__ import annotations

import pytest

from activities.models import Activity, Slot
from tests.clock import SH
from tests.factories import (
    SkillFactory,
    UserFactory,
    VenueFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


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


def test_host_posts_a_series_and_gets_its_slots(venue, host, api_for):
    response = api_for(host).post("/api/v1/activities/", payload(venue), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["slots_upcoming"] == 8
    assert body["starts_at"] == "2026-06-02T19:00:00+08:00"
    assert body["exdates"] == ["2026-06-18"]
    assert [(r["skill"], r["needed"], r["language"]) for r in body["roles"]] == [
        ("lecture", 1, None),
        (None, 2, "en"),
    ]
    listed = api_for(host).get("/api/v1/activities/").json()
    assert listed["count"] == 1 and listed["results"][0]["id"] == body["id"]


def test_one_off_without_rule(venue, host, api_for):
    data = payload(venue)
    del data["rrule"], data["exdates"]
    response = api_for(host).post("/api/v1/activities/", data, format="json")
    assert response.status_code == 201
    body = response.json()
    assert (body["rrule"], body["exdates"], body["slots_upcoming"]) == ("", [], 1)
    [slot] = Slot.objects.all()
    assert (slot.activity_id, slot.starts_at.astimezone(SH).hour) == (body["id"], 19)
    assert [(r.needed, r.language) for r in slot.roles.order_by("id")] == [(1, ""), (2, "en")]


def test_coordinator_in_area_may_post(venue, coordinator, api_for):
    response = api_for(coordinator).post("/api/v1/activities/", payload(venue), format="json")
    assert response.status_code == 201
    activity = Activity.objects.get(pk=response.json()["id"])
    assert (activity.venue, activity.created_by) == (venue, coordinator)
    assert activity.slots.count() == response.json()["slots_upcoming"] == 8


@pytest.mark.parametrize(
    ("who", "expected"),
    [("other_host", 403), ("other_coordinator", 403), ("volunteer", 403), (None, 401)],
)
def test_others_are_refused(venue, who, expected, api_for, request):
    user = None
    if who is not None:
        user = request.getfixturevalue(who)
        user = getattr(user, "user", user)  # the volunteer is a profile
    response = api_for(user).post("/api/v1/activities/", payload(venue), format="json")
    assert response.status_code == expected
    assert "detail" in response.json()
    assert not Activity.objects.exists()


def test_host_at_another_venue_is_told_why_in_chinese(venue, api_for):
    other = UserFactory(preferred_language="zh-hans")
    VenueFactory(hosts=[other])
    response = api_for(other).post(
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
def test_bad_input_names_the_field(venue, host, extra, field, message, api_for):
    response = api_for(host).post("/api/v1/activities/", payload(venue, **extra), format="json")
    assert response.status_code == 400
    assert message in response.json()[field]
    assert not Activity.objects.exists()


def test_reschedule_and_cancel_with_scope(venue, host, api_for):
    client = api_for(host)
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


def test_another_host_cannot_move_or_cancel(venue, host, api_for):
    api_for(host).post("/api/v1/activities/", payload(venue), format="json")
    slot = Slot.objects.first()
    stranger = UserFactory()
    VenueFactory(hosts=[stranger])
    response = api_for(stranger).post(
        f"/api/v1/slots/{slot.pk}/cancel/", {"scope": "all"}, format="json"
    )
    assert response.status_code == 404
    assert not Slot.objects.filter(status="cancelled").exists()


def test_patch_changes_the_whole_series(venue, host, api_for):
    client = api_for(host)
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


def test_patch_refuses_another_host_and_a_move_to_another_venue(venue, host, api_for):
    created = api_for(host).post("/api/v1/activities/", payload(venue), format="json").json()
    stranger = UserFactory()
    other_venue = VenueFactory(hosts=[stranger])
    url = f"/api/v1/activities/{created['id']}/"
    assert api_for(stranger).patch(url, {"title": "x"}, format="json").status_code == 404
    response = api_for(host).patch(url, {"venue": other_venue.pk}, format="json")
    assert response.status_code == 400
    assert "venue" in response.json()
