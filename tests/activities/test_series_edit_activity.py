"""Editing the whole activity: details, time of day, rule and roles, for every coming slot."""

from __future__ import annotations

from datetime import datetime

import pytest

from activities.models import Activity, Assignment, Slot
from activities.services.activities import slots_generate
from activities.services.updates import activity_update
from core.errors import NotAllowed, ValidationFailed
from tests.clock import SH
from tests.factories import UserFactory, VenueFactory, VolunteerFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


@pytest.fixture
def activity(post_series):
    return post_series(
        kind=Activity.Kind.SALON, title="妈妈沙龙", rrule="FREQ=WEEKLY;BYDAY=TU,TH;COUNT=6"
    )


def local_days(activity):
    return [
        s.starts_at.astimezone(SH).strftime("%m-%d %H:%M")
        for s in activity.slots.filter(status="scheduled").order_by("starts_at")
    ]


def test_new_time_of_day_moves_every_slot_and_keeps_people(activity, host):
    slot = activity.slots.order_by("starts_at")[3]
    mine = Assignment.objects.create(
        slot=slot, role=slot.roles.get(), volunteer=VolunteerFactory(), status="confirmed"
    )
    activity_update(
        activity=activity,
        by=host,
        title="妈妈沙龙（新时间）",
        starts_at=datetime(2026, 6, 2, 18, 0, tzinfo=SH),
        ends_at=datetime(2026, 6, 2, 19, 0, tzinfo=SH),
    )
    assert local_days(activity) == [
        "06-02 18:00",
        "06-04 18:00",
        "06-09 18:00",
        "06-11 18:00",
        "06-16 18:00",
        "06-18 18:00",
    ]
    mine.refresh_from_db()
    assert mine.status == "confirmed"
    activity.refresh_from_db()
    assert activity.title == "妈妈沙龙（新时间）"
    assert slots_generate() == 0


def test_new_rule_cancels_dropped_dates_and_adds_new_ones(activity, host):
    thursday = activity.slots.order_by("starts_at")[1]
    mine = Assignment.objects.create(
        slot=thursday, role=thursday.roles.get(), volunteer=VolunteerFactory(), status="confirmed"
    )
    activity_update(
        activity=activity,
        by=host,
        rrule="FREQ=WEEKLY;BYDAY=TU;COUNT=4",
        exdates=["2026-06-16"],
    )
    assert local_days(activity) == ["06-02 19:00", "06-09 19:00", "06-23 19:00"]
    mine.refresh_from_db()
    assert mine.status == "cancelled"
    assert Slot.objects.filter(status="cancelled").count() == 4


def test_roles_change_on_coming_slots_but_never_below_the_people_seated(activity, host):
    role = activity.roles.get()
    slot = activity.slots.order_by("starts_at")[0]
    for _ in range(2):
        Assignment.objects.create(
            slot=slot, role=slot.roles.get(), volunteer=VolunteerFactory(), status="confirmed"
        )
    with pytest.raises(ValidationFailed) as exc:
        activity_update(activity=activity, by=host, roles=[{"id": role.pk, "needed": 1}])
    assert exc.value.errors["roles"] == [
        "2 people already hold seats as “Helper”: it needs at least 2."
    ]
    activity_update(
        activity=activity,
        by=host,
        roles=[
            {"id": role.pk, "needed": 3, "label": "Helper"},
            {"needed": 1, "language": "en", "label": "English"},
        ],
    )
    assert {(r.label, r.needed) for r in slot.roles.all()} == {("Helper", 3), ("English", 1)}
    assert all(s.roles.count() == 2 for s in activity.slots.all())


def test_another_host_may_not_edit(activity):
    stranger = UserFactory()
    VenueFactory(hosts=[stranger])
    with pytest.raises(NotAllowed):
        activity_update(activity=activity, by=stranger, title="x")
    activity.refresh_from_db()
    assert activity.title == "妈妈沙龙"


def test_edit_page_shows_the_series_and_saves_it(activity, host):
    from django.test import Client

    client = Client()
    client.force_login(host)
    page = client.get(f"/host/activities/{activity.pk}/edit/")
    assert page.status_code == 200
    body = page.content.decode()
    assert 'value="19:00"' in body and 'value="妈妈沙龙"' in body
    role = activity.roles.get()
    response = client.post(
        f"/host/activities/{activity.pk}/edit/",
        {
            "kind": "salon",
            "title": "妈妈沙龙",
            "title_en": "Mothers' salon",
            "date": "2026-06-02",
            "start_time": "19:30",
            "end_time": "21:00",
            "repeat": "WEEKLY",
            "interval": "1",
            "weekdays": ["1", "3"],
            "count": "6",
            "roles-TOTAL_FORMS": "2",
            "roles-INITIAL_FORMS": "1",
            "roles-0-role_id": str(role.pk),
            "roles-0-label": "Helper",
            "roles-0-needed": "3",
            "roles-1-needed": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[-3000:]
    assert local_days(activity)[:2] == ["06-02 19:30", "06-04 19:30"]
    assert {r.needed for s in activity.slots.all() for r in s.roles.all()} == {3}


def test_edit_page_is_refused_to_another_host(activity):
    from django.test import Client

    stranger = UserFactory()
    VenueFactory(hosts=[stranger])
    client = Client()
    client.force_login(stranger)
    assert client.get(f"/host/activities/{activity.pk}/edit/").status_code == 404


def test_saving_the_earlier_half_of_a_split_series_keeps_it_ended(activity, host):
    from django.test import Client

    from activities.services.series import slot_update

    fourth = activity.slots.order_by("starts_at")[3]
    slot_update(
        slot=fourth,
        scope="following",
        by=host,
        starts_at=datetime(2026, 6, 11, 19, 30, tzinfo=SH),
        ends_at=datetime(2026, 6, 11, 21, 0, tzinfo=SH),
    )
    client = Client()
    client.force_login(host)
    page = client.get(f"/host/activities/{activity.pk}/edit/").content.decode()
    # The earlier half may run until the 10th, the day before the occurrence it was split at;
    # saving the form as shown must not bring the 11th back into it.
    assert 'name="until" value="2026-06-10"' in page


def test_seats_added_to_a_role_go_to_the_people_waiting(activity, host):
    role = activity.roles.get()
    slot = activity.slots.order_by("starts_at")[0]
    slot_role = slot.roles.get()
    for _ in range(2):
        Assignment.objects.create(
            slot=slot, role=slot_role, volunteer=VolunteerFactory(), status="confirmed"
        )
    first, second = (
        Assignment.objects.create(
            slot=slot, role=slot_role, volunteer=VolunteerFactory(), status="waitlisted"
        )
        for _ in range(2)
    )

    activity_update(activity=activity, by=host, roles=[{"id": role.pk, "needed": 3}])

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == ("confirmed", "waitlisted")
