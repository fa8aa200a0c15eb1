"""Public pages without signing in, in both languages; the host's pages and who is refused."""

from __future__ import annotations

import pytest
from django.test import Client

from activities.models import Activity, Assignment, Slot
from tests.clock import SH
from tests.factories import UserFactory, VenueFactory, VolunteerFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


@pytest.fixture
def venue(host, community):
    return VenueFactory(
        hosts=[host],
        area=community,
        name="幸福社区妇女之家",
        name_en="Happiness Women's Home",
        opening_hours="9-17",
    )


@pytest.fixture
def activity(post_series):
    return post_series(title_en="Evening class", rrule="FREQ=WEEKLY;BYDAY=TU,TH;COUNT=6")


def get(url, lang="en", user=None, **params):
    client = Client()
    if user is not None:
        client.force_login(user)
    client.cookies["django_language"] = lang
    return client.get(url, params)


@pytest.mark.parametrize(
    ("lang", "title", "heading", "join"),
    [
        ("en", "Evening class", "Coming activities", "How to join"),
        ("zh-hans", "七点钟学堂", "即将举行的活动", "如何参加"),
    ],
)
def test_venue_page_is_public_in_both_languages(venue, activity, lang, title, heading, join):
    response = get(f"/venues/{venue.pk}/", lang)
    assert response.status_code == 200
    body = response.content.decode()
    assert title in body and heading in body and join in body
    assert "/accounts/login/" in body and "/accounts/signup/" in body
    assert body.count('class="card"') == 6


@pytest.mark.parametrize(
    ("lang", "heading", "wanted"),
    [("en", "What's on", "2 volunteers wanted"), ("zh-hans", "近期活动", "还需 2 名志愿者")],
)
def test_whats_on_lists_by_date_in_both_languages(venue, activity, lang, heading, wanted):
    response = get("/whats-on/", lang)
    assert response.status_code == 200
    body = response.content.decode()
    assert heading in body and wanted in body
    assert body.count('class="card"') == 2  # Tuesday and Thursday of the first week


def test_whats_on_filters_by_area_and_date(venue, activity):
    other = VenueFactory()
    assert get("/whats-on/", area=other.area.pk).content.decode().count('class="card"') == 0
    street = venue.area.parent
    assert get("/whats-on/", area=street.pk).content.decode().count('class="card"') == 2
    later = get("/whats-on/", date="2026-06-08").content.decode()
    assert later.count('class="card"') == 2
    fragment = Client().get("/whats-on/", {"area": street.pk}, HTTP_HX_REQUEST="true")
    assert "<html" not in fragment.content.decode()


def test_cancelled_slots_are_not_shown(venue, activity, host):
    Slot.objects.filter(activity=activity).update(status="cancelled")
    assert get(f"/venues/{venue.pk}/").content.decode().count('class="card"') == 0


def test_dashboard_shows_fill_and_gaps(venue, activity, host):
    response = get("/host/", user=host)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Happiness Women&#x27;s Home" in body
    assert "0 / 2" in body and "2 × Helper" in body
    assert "4 slots still need people" in body and "8 seats to fill" in body
    assert body.count("Roster and changes") == 4  # two weeks of Tuesdays and Thursdays


def test_dashboard_is_refused_to_a_volunteer():
    volunteer = VolunteerFactory().user
    assert get("/host/", user=volunteer).status_code == 403


def test_posting_through_the_page(venue, host):
    client = Client()
    client.force_login(host)
    data = {
        "kind": "class",
        "title": "编织课",
        "title_en": "Knitting",
        "date": "2026-06-02",
        "start_time": "19:00",
        "end_time": "20:30",
        "repeat": "WEEKLY",
        "interval": "1",
        "weekdays": ["1", "3"],
        "until": "2026-06-30",
        "exdates": "2026-06-18",
        "roles-TOTAL_FORMS": "2",
        "roles-INITIAL_FORMS": "0",
        "roles-0-label": "Teacher",
        "roles-0-needed": "1",
        "roles-1-needed": "",
    }
    response = client.post(f"/host/venues/{venue.pk}/activities/new/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    activity = Activity.objects.get()
    assert activity.rrule == "FREQ=WEEKLY;BYDAY=TU,TH;UNTIL=20260630T155959Z"
    assert activity.slots.count() == 8


def test_page_shows_the_services_message_on_the_field(venue, host):
    client = Client()
    client.force_login(host)
    data = {
        "kind": "class",
        "title": "编织课",
        "date": "2026-06-02",
        "start_time": "19:00",
        "end_time": "18:00",
        "roles-TOTAL_FORMS": "1",
        "roles-INITIAL_FORMS": "0",
        "roles-0-needed": "0",
    }
    response = client.post(f"/host/venues/{venue.pk}/activities/new/", data)
    assert response.status_code == 200
    body = response.content.decode()
    assert "The end must be after the start." in body
    assert "Each role needs at least one seat." in body
    assert not Activity.objects.exists()


def test_a_host_cannot_post_at_another_venue_page(venue):
    stranger = UserFactory()
    VenueFactory(hosts=[stranger])
    assert get(f"/host/venues/{venue.pk}/activities/new/", user=stranger).status_code == 404
    client = Client()
    client.force_login(stranger)
    response = client.post(f"/host/venues/{venue.pk}/activities/new/", {"kind": "class"})
    assert response.status_code == 404
    assert not Activity.objects.exists()


def test_preview_of_next_dates(venue, host):
    response = get(
        f"/host/venues/{venue.pk}/activities/preview/",
        user=host,
        date="2026-06-01",
        start_time="19:00",
        end_time="20:30",
        repeat="WEEKLY",
        weekdays=["1", "3"],
        count="4",
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "2026-06-02 19:00" in body and "2026-06-11 19:00" in body
    assert "4 dates in all." in body
    response = get(
        f"/host/venues/{venue.pk}/activities/preview/",
        user=host,
        kind="class",
        date="2026-06-01",
        start_time="19:00",
        end_time="20:30",
        repeat="DAILY",
        count="",
    )
    assert "Say until which date it repeats, or how many times." in response.content.decode()


def test_slot_page_moves_and_cancels_with_scope(venue, activity, host):
    slot = activity.slots.order_by("starts_at")[1]
    assert get(f"/host/slots/{slot.pk}/", user=host).status_code == 200
    client = Client()
    client.force_login(host)
    client.post(
        f"/host/slots/{slot.pk}/move/",
        {"date": "2026-06-04", "start_time": "18:00", "end_time": "19:30", "scope": "all"},
    )
    hours = {s.starts_at.astimezone(SH).hour for s in activity.slots.all()}
    assert hours == {18}
    client.post(f"/host/slots/{slot.pk}/cancel/", {"scope": "following"})
    assert activity.slots.filter(status="cancelled").count() == 5


def test_coordinator_sees_the_dashboard_of_her_area(venue, activity, coordinator, other_host):
    VenueFactory(name="别区妇女之家", name_en="Elsewhere Home")  # outside her district
    response = get("/host/", user=coordinator)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Happiness Women&#x27;s Home" in body and "Elsewhere Home" not in body
    assert "0 / 2" in body and "8 seats to fill" in body
    assert body.count("Roster and changes") == 4
    slot = activity.slots.first()
    assert get(f"/host/slots/{slot.pk}/", user=other_host).status_code == 404


def test_dashboard_counts_a_taken_seat(venue, activity, host, volunteer):
    slot = activity.slots.order_by("starts_at").first()
    Assignment.objects.create(
        slot=slot, role=slot.roles.get(), volunteer=volunteer, status="confirmed"
    )
    body = get("/host/", user=host).content.decode()
    assert "1 / 2" in body and "1 × Helper" in body
    assert "7 seats to fill" in body and "4 slots still need people" in body


def test_a_weekly_class_can_skip_public_holidays(venue, host):
    client = Client()
    client.force_login(host)
    data = {
        "kind": "class",
        "title": "周五学堂",
        "date": "2026-06-05",
        "start_time": "19:00",
        "end_time": "20:00",
        "repeat": "WEEKLY",
        "interval": "1",
        "until": "2026-06-26",
        "skip_holidays": "on",
        "roles-TOTAL_FORMS": "1",
        "roles-INITIAL_FORMS": "0",
        "roles-0-needed": "1",
    }
    preview = client.get(f"/host/venues/{venue.pk}/activities/preview/", data)
    assert "Left out: 2026-06-19" in preview.content.decode()
    assert client.post(f"/host/venues/{venue.pk}/activities/new/", data).status_code == 302
    activity = Activity.objects.get()
    # 19 June 2026 is the Dragon Boat Festival.
    assert activity.exdates == ["2026-06-19"]
    days = [s.starts_at.astimezone(SH).day for s in activity.slots.order_by("starts_at")]
    assert days == [5, 12, 26]
