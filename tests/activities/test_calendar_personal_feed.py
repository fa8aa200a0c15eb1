"""A person's secret feed: her own confirmed shifts, stable bytes, 304s, and a revocable token."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse

from accounts.services import calendar_token_reset
from activities.models import Activity, Assignment, Slot
from tests.clock import NOW
from tests.factories import (
    ActivityFactory,
    AssignmentFactory,
    SkillFactory,
    SlotFactory,
    SlotRoleFactory,
    UserFactory,
    VenueFactory,
    VolunteerFactory,
)
from tests.notifications.ical_checks import count_queries, parse_strict, vobject_events

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


@pytest.fixture
def venue():
    return VenueFactory(
        name="花园社区妇女之家",
        name_en="Garden Community Women's Home",
        address="幸福路 88 号",
        latitude="31.230416",
        longitude="121.473701",
    )


def shift(volunteer, venue, *, days=1, status=Assignment.Status.CONFIRMED, **activity):
    activity.setdefault("title", "七点钟学堂")
    activity.setdefault("title_en", "")
    start = NOW + timedelta(days=days)
    act = ActivityFactory(
        venue=venue, starts_at=start, ends_at=start + timedelta(hours=2), **activity
    )
    slot = SlotFactory(activity=act)
    role = SlotRoleFactory(
        slot=slot, label="", skill=SkillFactory(code="lecture", name_en="Lecturer")
    )
    return AssignmentFactory(role=role, volunteer=volunteer, status=status)


def feed(client, user, **headers):
    return client.get(reverse("calendar_feed", args=[user.calendar_token]), **headers)


def test_her_feed_holds_her_confirmed_shifts_only(client, venue):
    her = VolunteerFactory(user=UserFactory(name="李娜"))
    other = VolunteerFactory()
    mine = shift(her, venue, title="洋妈妈文化交流, 第二期")
    shift(her, venue, days=2, status=Assignment.Status.WAITLISTED, title="等候名单")
    shift(her, venue, days=3, status=Assignment.Status.CANCELLED, title="已退出")
    shift(other, venue, days=1, title="别人的岗位")

    response = feed(client, her.user)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = parse_strict(response.content)
    [event] = calendar.walk("VEVENT")
    assert str(event["SUMMARY"]) == "洋妈妈文化交流, 第二期"
    assert str(event["UID"]) == f"slot-{mine.slot_id}-volunteer-{her.pk}@127.0.0.1"
    assert "Your role: Lecturer" in str(event["DESCRIPTION"])
    assert str(event["LOCATION"]) == "Garden Community Women's Home, 幸福路 88 号"
    assert (event["GEO"].latitude, event["GEO"].longitude) == (31.230416, 121.473701)
    assert event.decoded("DTSTART") == mine.slot.starts_at
    assert str(event["STATUS"]) == "CONFIRMED"
    assert event.walk("VALARM")[0].decoded("TRIGGER") == timedelta(minutes=-120)
    assert str(calendar["X-WR-CALNAME"]).startswith("My shifts")
    assert len(vobject_events(response.content)) == 1


def test_a_cancelled_slot_stays_as_cancelled_and_a_mediation_session_says_nothing(client, venue):
    her = VolunteerFactory()
    cancelled = shift(her, venue, title="取消的课")
    Slot.objects.filter(pk=cancelled.slot_id).update(status=Slot.Status.CANCELLED)
    shift(
        her,
        venue,
        days=2,
        kind=Activity.Kind.MEDIATION,
        title="王家与张家邻里纠纷",
        description="当事人：王某、张某",
    )

    calendar = parse_strict(feed(client, her.user).content)

    first, second = calendar.walk("VEVENT")
    assert str(first["STATUS"]) == "CANCELLED"
    assert str(second["SUMMARY"]) == "Mediation session"
    text = calendar.to_ical().decode()
    assert "王" not in text and "张" not in text


def test_a_wrong_or_reset_token_gets_404_and_the_new_one_works_at_once(client, venue):
    her = VolunteerFactory()
    shift(her, venue)
    old = her.user.calendar_token
    assert client.get(reverse("calendar_feed", args=["not-a-token"])).status_code == 404

    calendar_token_reset(user=her.user)

    assert client.get(reverse("calendar_feed", args=[old])).status_code == 404
    assert feed(client, her.user).status_code == 200


def test_an_unchanged_feed_is_byte_identical_and_answers_304(client, venue):
    her = VolunteerFactory()
    for day in range(1, 4):
        shift(her, venue, days=day)

    first = feed(client, her.user)
    with time_machine.travel(NOW + timedelta(minutes=30), tick=False):
        second = feed(client, her.user)

    assert first.content == second.content
    assert first["ETag"] == second["ETag"]
    assert first["Last-Modified"] == second["Last-Modified"]
    assert feed(client, her.user, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    not_modified = feed(client, her.user, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert not_modified.status_code == 304
    assert not_modified.content == b""


def test_a_change_gives_a_new_etag_and_a_higher_sequence(client, venue):
    her = VolunteerFactory()
    assignment = shift(her, venue)
    before = feed(client, her.user)

    with time_machine.travel(NOW + timedelta(minutes=5), tick=False):
        slot = assignment.slot
        slot.starts_at += timedelta(hours=1)
        slot.ends_at += timedelta(hours=1)
        slot.sequence += 1
        slot.save()
        after = feed(client, her.user, HTTP_IF_NONE_MATCH=before["ETag"])

    assert after.status_code == 200
    assert after["ETag"] != before["ETag"]
    old = parse_strict(before.content).walk("VEVENT")[0]
    new = parse_strict(after.content).walk("VEVENT")[0]
    assert new["SEQUENCE"] > old["SEQUENCE"]
    assert new.decoded("DTSTAMP") > old.decoded("DTSTAMP")


def test_leaving_a_shift_takes_it_out_of_the_feed(client, venue):
    her = VolunteerFactory()
    assignment = shift(her, venue)
    before = feed(client, her.user)
    with time_machine.travel(NOW + timedelta(minutes=5), tick=False):
        assignment.status = Assignment.Status.CANCELLED
        assignment.save()
        after = feed(client, her.user, HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200
    assert parse_strict(after.content).walk("VEVENT") == []


def test_the_feed_is_built_in_the_same_number_of_queries_at_any_size(client, venue):
    few, many = VolunteerFactory(), VolunteerFactory()
    for day in range(2):
        shift(few, venue, days=day + 1)
    for day in range(12):
        shift(many, venue, days=day + 1)

    # The token, then a version query per feed provider (shifts, sessions), and an entries query
    # for each whose version shows it has something for her (her shifts; she mediates nothing).
    providers = len(settings.CALENDAR_FEED_PROVIDERS)
    counts = [count_queries(lambda p=p: feed(client, p.user)) for p in (few, many)]
    assert counts[0] == counts[1] == 1 + providers + 1
    etag = feed(client, many.user)["ETag"]
    assert count_queries(lambda: feed(client, many.user, HTTP_IF_NONE_MATCH=etag)) == 1 + providers


def test_someone_without_shifts_gets_an_empty_valid_feed(client):
    user = UserFactory()
    providers = len(settings.CALENDAR_FEED_PROVIDERS)
    assert count_queries(lambda: feed(client, user)) == 1 + providers  # no entries to read
    response = feed(client, user)
    assert response.status_code == 200
    assert parse_strict(response.content).walk("VEVENT") == []


def test_a_feed_of_given_up_places_only_is_empty_without_reading_entries(client, venue):
    her = VolunteerFactory()
    shift(her, venue, status=Assignment.Status.CANCELLED, title="已退出")
    shift(her, venue, days=2, status=Assignment.Status.WAITLISTED, title="等候名单")
    providers = len(settings.CALENDAR_FEED_PROVIDERS)
    assert count_queries(lambda: feed(client, her.user)) == 1 + providers
    assert parse_strict(feed(client, her.user).content).walk("VEVENT") == []


def test_her_feed_is_in_her_language(client, venue):
    her = VolunteerFactory(user=UserFactory(preferred_language="zh-hans"))
    shift(her, venue, title="七点钟学堂", title_en="Seven o'clock class")
    [event] = parse_strict(feed(client, her.user).content).walk("VEVENT")
    assert str(event["SUMMARY"]) == "七点钟学堂"
    assert str(event["LOCATION"]).startswith("花园社区妇女之家")


def test_a_deactivated_account_has_no_feed(client, venue):
    her = VolunteerFactory()
    shift(her, venue)
    her.user.is_active = False
    her.user.save()
    assert feed(client, her.user).status_code == 404
