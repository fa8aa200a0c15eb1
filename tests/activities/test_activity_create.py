"""Posting an activity: validation, who may post where, roles and slots up to the horizon."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from activities.models import Activity, Slot, SlotRole
from activities.services.activities import activity_create, slots_generate
from core.errors import NotAllowed, ValidationFailed
from tests.clock import NOW, SH
from tests.factories import CoordinatorFactory, SkillFactory, UserFactory, VenueFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


def post(venue, by, **kwargs):
    data = dict(
        by=by,
        venue=venue,
        kind=Activity.Kind.CLASS,
        title="七点钟学堂",
        title_en="Seven o'clock class",
        starts_at=datetime(2026, 6, 2, 19, 0, tzinfo=SH),
        ends_at=datetime(2026, 6, 2, 20, 30, tzinfo=SH),
        rrule="FREQ=WEEKLY;BYDAY=TU,TH;UNTIL=20260630T155959Z",
        exdates=["2026-06-18"],
        roles=[
            {"skill": SkillFactory(code="lecture"), "needed": 1, "label": "Lecturer"},
            {"needed": 2, "label": "Helper"},
            {"language": "en", "needed": 1, "label": "English speaker"},
        ],
    )
    data.update(kwargs)
    return activity_create(**data)


def test_host_posts_a_recurring_class_and_gets_its_slots_with_roles(venue, host):
    activity = post(venue, host)
    slots = list(activity.slots.order_by("starts_at"))
    assert [s.starts_at.astimezone(SH).day for s in slots] == [2, 4, 9, 11, 16, 23, 25, 30]
    assert all(s.starts_at.astimezone(SH).hour == 19 for s in slots)
    assert all(s.original_start == s.starts_at for s in slots)
    assert SlotRole.objects.filter(slot__activity=activity).count() == 3 * len(slots)
    first = slots[0].roles.order_by("id")
    assert [(r.label, r.needed, r.language) for r in first] == [
        ("Lecturer", 1, ""),
        ("Helper", 2, ""),
        ("English speaker", 1, "en"),
    ]
    assert first[0].skill.code == "lecture"
    assert activity.exdates == ["2026-06-18"]
    assert activity.created_by == host


def test_series_starts_at_its_first_real_occurrence(venue, host):
    # A Monday start with Tuesdays and Thursdays: the first class is on Tuesday.
    activity = post(
        venue,
        host,
        starts_at=datetime(2026, 6, 1, 19, 0, tzinfo=SH),
        ends_at=datetime(2026, 6, 1, 20, 30, tzinfo=SH),
    )
    assert activity.starts_at == datetime(2026, 6, 2, 19, 0, tzinfo=SH)


def test_only_up_to_the_horizon_then_the_periodic_run_adds_the_rest(venue, host, settings):
    settings.SLOT_HORIZON_WEEKS = 2
    activity = post(venue, host, rrule="FREQ=WEEKLY;BYDAY=TU;COUNT=10")
    assert activity.slots.count() == 2
    with time_machine.travel(NOW + timedelta(weeks=2), tick=False):
        assert slots_generate() == 2
    assert activity.slots.count() == 4


def test_regenerating_with_nothing_changed_writes_nothing(venue, host):
    post(venue, host)
    post(venue, host, rrule="FREQ=DAILY;COUNT=30", exdates=[])
    before = Slot.objects.count()
    with CaptureQueriesContext(connection) as ctx:
        assert slots_generate() == 0
    statements = [q["sql"].lstrip().upper() for q in ctx.captured_queries]
    writes = [s for s in statements if s.startswith(("INSERT", "UPDATE", "DELETE"))]
    assert writes == []
    assert len(ctx.captured_queries) <= 4
    assert Slot.objects.count() == before


def test_one_off_activity_gets_one_slot(venue, host):
    activity = post(venue, host, rrule="", exdates=[])
    assert activity.slots.count() == 1
    assert slots_generate() == 0


def test_coordinator_of_the_area_may_post(venue):
    coordinator = CoordinatorFactory(area=venue.area.parent).user
    assert post(venue, coordinator).venue == venue


def test_host_of_another_venue_is_refused(venue):
    other_host = UserFactory()
    VenueFactory(hosts=[other_host])
    with pytest.raises(NotAllowed) as exc:
        post(venue, other_host)
    assert "venues you host or coordinate" in exc.value.message
    assert not Activity.objects.exists()


def test_coordinator_of_another_area_is_refused(venue):
    coordinator = CoordinatorFactory().user
    with pytest.raises(NotAllowed):
        post(venue, coordinator)


@pytest.mark.parametrize(
    ("kwargs", "field", "message"),
    [
        ({"roles": []}, "roles", "Say who the activity needs: at least one role."),
        ({"roles": [{"needed": 0}]}, "roles", "Each role needs at least one seat."),
        (
            {"roles": [{"needed": 1, "language": "xx"}]},
            "roles",
            "“xx” is not a language we know.",
        ),
        (
            {"title": "", "title_en": ""},
            "title",
            "Give the activity a title, in Chinese or English.",
        ),
        ({"kind": "party"}, "kind", "Choose what kind of activity this is."),
        (
            {
                "rrule": "",
                "starts_at": datetime(2026, 5, 1, 19, 0, tzinfo=SH),
                "ends_at": datetime(2026, 5, 1, 20, 0, tzinfo=SH),
            },
            "starts_at",
            "This time has already passed.",
        ),
    ],
)
def test_bad_postings_are_refused_with_a_clear_message_and_nothing_saved(
    venue, host, kwargs, field, message
):
    with pytest.raises(ValidationFailed) as exc:
        post(venue, host, **kwargs)
    assert message in exc.value.errors[field]
    assert not Activity.objects.exists()
    assert not Slot.objects.exists()


def test_slots_keep_seven_pm_across_dst_at_a_berlin_venue(host):
    venue = VenueFactory(hosts=[host], timezone="Europe/Berlin")
    berlin = ZoneInfo("Europe/Berlin")
    with time_machine.travel(datetime(2026, 10, 1, 9, 0, tzinfo=berlin), tick=False):
        activity = post(
            venue,
            host,
            starts_at=datetime(2026, 10, 20, 19, 0, tzinfo=berlin),
            ends_at=datetime(2026, 10, 20, 20, 30, tzinfo=berlin),
            rrule="FREQ=WEEKLY;COUNT=3",
            exdates=[],
        )
    slots = list(activity.slots.order_by("starts_at"))
    local = [s.starts_at.astimezone(berlin) for s in slots]
    assert [(d.day, d.hour, d.minute) for d in local] == [(20, 19, 0), (27, 19, 0), (3, 19, 0)]
    # 19:00 CEST is 17:00 UTC; after the change 19:00 CET is 18:00 UTC.
    assert [s.starts_at.astimezone(ZoneInfo("UTC")).hour for s in slots] == [17, 18, 18]
    assert all(s.ends_at - s.starts_at == timedelta(minutes=90) for s in slots)


def test_the_periodic_task_generates_through_the_service(venue, host, settings):
    from activities.tasks import generate_slots

    settings.SLOT_HORIZON_WEEKS = 1
    activity = post(venue, host, rrule="FREQ=WEEKLY;BYDAY=TU;COUNT=5", exdates=[])
    assert activity.slots.count() == 1
    settings.SLOT_HORIZON_WEEKS = 3
    assert generate_slots.delay().get() == 2
    assert generate_slots.delay().get() == 0
