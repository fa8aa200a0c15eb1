"""A venue's public feed: a series is one entry with its rule; expanding it gives the slots."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import recurring_ical_events
import time_machine
import vobject
from django.urls import reverse

from activities.models import Activity, Slot
from activities.services.activities import activity_create
from activities.services.series import slot_cancel, slot_update
from tests.clock import NOW, SH
from tests.factories import SkillFactory, VenueFactory
from tests.notifications.ical_checks import count_queries, parse_strict, vobject_events

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


@pytest.fixture
def venue(host):
    return VenueFactory(hosts=[host], name="国际社区妇女之家", name_en="")


def post(venue, by, **kwargs):
    data = dict(
        by=by,
        venue=venue,
        kind=Activity.Kind.CLASS,
        title="七点钟学堂：亲子阅读, 第一期",
        starts_at=datetime(2026, 6, 2, 19, 0, tzinfo=SH),
        ends_at=datetime(2026, 6, 2, 20, 30, tzinfo=SH),
        rrule="FREQ=WEEKLY;BYDAY=TU,TH;UNTIL=20260730T155959Z",
        exdates=["2026-06-18"],
        roles=[{"skill": SkillFactory(code="lecture"), "needed": 1, "label": "Lecturer"}],
    )
    data.update(kwargs)
    return activity_create(**data)


def venue_feed(client, venue, **headers):
    return client.get(reverse("calendar_venue", args=[venue.pk]), **headers)


def expanded(data: bytes, start: datetime, end: datetime) -> dict:
    calendar = parse_strict(data)
    return {
        (str(e["UID"]), e.decoded("DTSTART"), e.decoded("DTEND"), str(e.get("STATUS")))
        for e in recurring_ical_events.of(calendar).between(start, end)
    }


def expanded_by_vobject(data: bytes, start: datetime, end: datetime) -> set:
    """The same expansion done by vobject (dateutil underneath): the rule, minus EXDATEs, with
    each RECURRENCE-ID override put in place of the occurrence it replaces."""
    events = vobject.readOne(data.decode("utf-8")).contents["vevent"]
    overrides = {
        (e.uid.value, e.recurrence_id.value): e for e in events if "recurrence-id" in e.contents
    }
    result = set()
    for event in events:
        if "recurrence-id" in event.contents:
            continue
        if "rrule" in event.contents:
            starts = event.getrruleset(addRDate=True).between(start, end, inc=True)
        else:
            starts = [event.dtstart.value]
        for occurrence in starts:
            chosen = overrides.get((event.uid.value, occurrence), event)
            length = chosen.dtend.value - chosen.dtstart.value
            begin = chosen.dtstart.value if chosen is not event else occurrence
            status = chosen.status.value if "status" in chosen.contents else "CONFIRMED"
            result.add((event.uid.value, begin, begin + length, status))
    return result


def db_slots(venue) -> set:
    return {
        (
            f"activity-{s.activity_id}@127.0.0.1",
            s.starts_at,
            s.ends_at,
            "CANCELLED" if s.status == Slot.Status.CANCELLED else "CONFIRMED",
        )
        for s in Slot.objects.filter(activity__venue=venue)
    }


def test_a_series_is_one_entry_and_expands_to_exactly_its_slots(client, venue, host):
    series = post(venue, host)
    one_off = post(
        venue,
        host,
        title="跳蚤市场",
        rrule="",
        exdates=[],
        starts_at=datetime(2026, 6, 6, 9, 0, tzinfo=SH),
        ends_at=datetime(2026, 6, 6, 12, 0, tzinfo=SH),
    )
    slots = list(Slot.objects.filter(activity=series).order_by("starts_at"))
    moved, cancelled = slots[2], slots[4]
    slot_update(
        slot=moved,
        scope="this",
        by=host,
        starts_at=moved.starts_at + timedelta(hours=1),
        ends_at=moved.ends_at + timedelta(hours=2),
    )
    slot_cancel(slot=cancelled, scope="this", by=host)

    response = venue_feed(client, venue)

    assert response.status_code == 200
    calendar = parse_strict(response.content)
    masters = [e for e in calendar.walk("VEVENT") if "RECURRENCE-ID" not in e]
    assert len(masters) == 2
    by_uid = {str(e["UID"]): e for e in masters}
    master = by_uid[f"activity-{series.pk}@127.0.0.1"]
    assert master["RRULE"]["FREQ"] == ["WEEKLY"]
    assert [d.dt for d in master["EXDATE"].dts] == [datetime(2026, 6, 18, 19, 0, tzinfo=SH)]
    assert "RRULE" not in by_uid[f"activity-{one_off.pk}@127.0.0.1"]
    overrides = [e for e in calendar.walk("VEVENT") if "RECURRENCE-ID" in e]
    assert len(overrides) == 2
    assert {str(e["STATUS"]) for e in overrides} == {"CANCELLED", "CONFIRMED"}

    occurrences = expanded(response.content, NOW, NOW + timedelta(weeks=12))
    assert occurrences == db_slots(venue)
    assert expanded_by_vobject(response.content, NOW, NOW + timedelta(weeks=12)) == occurrences
    assert len(vobject_events(response.content)) == 4


def test_a_cancelled_series_shows_as_cancelled(client, venue, host):
    series = post(venue, host)
    first = Slot.objects.filter(activity=series).order_by("starts_at").first()
    slot_cancel(slot=first, scope="all", by=host)
    calendar = parse_strict(venue_feed(client, venue).content)
    [master] = [e for e in calendar.walk("VEVENT") if "RECURRENCE-ID" not in e]
    assert str(master["STATUS"]) == "CANCELLED"


def test_mediation_sessions_never_appear_in_the_public_feed(client, venue, host):
    post(venue, host, kind=Activity.Kind.MEDIATION, title="王家纠纷调解", rrule="", exdates=[])
    response = venue_feed(client, venue)
    assert parse_strict(response.content).walk("VEVENT") == []
    assert "王家".encode() not in response.content


def test_unchanged_feed_is_identical_and_304_then_a_change_is_seen(client, venue, host):
    series = post(venue, host)
    first = venue_feed(client, venue)
    with time_machine.travel(NOW + timedelta(minutes=20), tick=False):
        again = venue_feed(client, venue)
        assert again.content == first.content
        assert venue_feed(client, venue, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
        slot = Slot.objects.filter(activity=series).order_by("starts_at")[1]
        slot_cancel(slot=slot, scope="this", by=host)
        changed = venue_feed(client, venue, HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200
    assert changed["ETag"] != first["ETag"]


def test_the_feed_takes_the_same_queries_for_one_or_many_activities(client, venue, host):
    other = VenueFactory(hosts=[host])
    post(venue, host)
    for n in range(6):
        post(other, host, title=f"课程{n}")
    counts = [count_queries(lambda p=p: venue_feed(client, p)) for p in (venue, other)]
    assert counts[0] == counts[1] == 4


def test_unknown_or_closed_venue_is_404(client, venue):
    assert client.get(reverse("calendar_venue", args=[venue.pk + 100])).status_code == 404
    venue.is_active = False
    venue.save()
    assert venue_feed(client, venue).status_code == 404


def test_the_language_can_be_chosen(client, venue, host):
    post(venue, host, title="七点钟学堂", title_en="Seven o'clock class")
    english = parse_strict(
        client.get(reverse("calendar_venue", args=[venue.pk]) + "?lang=en").content
    )
    chinese = parse_strict(
        client.get(reverse("calendar_venue", args=[venue.pk]) + "?lang=zh-hans").content
    )
    assert str(english.walk("VEVENT")[0]["SUMMARY"]) == "Seven o'clock class"
    assert str(chinese.walk("VEVENT")[0]["SUMMARY"]) == "七点钟学堂"


def test_a_series_across_a_daylight_saving_change_keeps_its_wall_clock(client, host):
    berlin = ZoneInfo("Europe/Berlin")
    venue = VenueFactory(hosts=[host], timezone="Europe/Berlin")
    with time_machine.travel(datetime(2026, 3, 2, 9, 0, tzinfo=berlin), tick=False):
        post(
            venue,
            host,
            starts_at=datetime(2026, 3, 16, 19, 0, tzinfo=berlin),
            ends_at=datetime(2026, 3, 16, 20, 30, tzinfo=berlin),
            rrule="FREQ=WEEKLY;BYDAY=MO;COUNT=6",
            exdates=["2026-04-06"],
        )
        data = venue_feed(client, venue).content
    calendar = parse_strict(data)
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Berlin"]
    start, end = datetime(2026, 3, 1, tzinfo=berlin), datetime(2026, 6, 1, tzinfo=berlin)
    occurrences = expanded(data, start, end)
    assert occurrences == db_slots(venue)
    assert {o[1].astimezone(berlin).strftime("%H:%M") for o in occurrences} == {"19:00"}
    assert len(occurrences) == 5


def test_a_series_split_from_an_occurrence_on_still_matches_the_slots(client, venue, host):
    series = post(venue, host)
    slots = list(Slot.objects.filter(activity=series).order_by("starts_at"))
    at = slots[5]
    slot_update(
        slot=at,
        scope="following",
        by=host,
        starts_at=at.starts_at + timedelta(hours=1),
        ends_at=at.ends_at + timedelta(hours=1),
    )
    response = venue_feed(client, venue)
    calendar = parse_strict(response.content)
    masters = [e for e in calendar.walk("VEVENT") if "RECURRENCE-ID" not in e]
    assert len(masters) == 2
    assert expanded(response.content, NOW, NOW + timedelta(weeks=12)) == db_slots(venue)
    assert expanded_by_vobject(response.content, NOW, NOW + timedelta(weeks=12)) == db_slots(venue)
