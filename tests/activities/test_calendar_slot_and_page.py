""" "Add to calendar" for one slot, and the page where a person subscribes to her feed."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.template import Context, Template
from django.urls import reverse

from activities.models import Activity, Assignment
from tests.clock import NOW
from tests.factories import (
    ActivityFactory,
    AssignmentFactory,
    SlotFactory,
    SlotRoleFactory,
    UserFactory,
    VenueFactory,
    VolunteerFactory,
)
from tests.notifications.ical_checks import parse_strict

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


@pytest.fixture
def slot():
    venue = VenueFactory(address="幸福路 88 号", latitude="31.2", longitude="121.4")
    start = NOW + timedelta(days=2)
    activity = ActivityFactory(
        venue=venue,
        title="巾帼宣讲",
        title_en="",
        description="关于家庭教育的讲座",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
    )
    return SlotFactory(activity=activity)


def download(client, slot):
    return client.get(reverse("calendar_slot", args=[slot.pk]))


def test_anyone_can_add_a_slot_with_place_map_position_and_reminder(client, slot):
    response = download(client, slot)
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="shift-{slot.pk}.ics"'
    calendar = parse_strict(response.content)
    [event] = calendar.walk("VEVENT")
    assert str(event["UID"]) == f"slot-{slot.pk}@127.0.0.1"
    assert str(event["SUMMARY"]) == "巾帼宣讲"
    assert "幸福路 88 号" in str(event["LOCATION"])
    assert event["GEO"].latitude == 31.2
    assert "关于家庭教育的讲座" in str(event["DESCRIPTION"])
    assert str(event["URL"]).startswith("http://127.0.0.1:8000/")
    assert event.walk("VALARM")[0].decoded("TRIGGER") == timedelta(hours=-2)
    assert "Your role" not in str(event["DESCRIPTION"])


def test_her_download_carries_her_role_and_her_own_uid(client, slot, settings):
    settings.CALENDAR_ALARM_MINUTES = 45
    her = VolunteerFactory()
    role = SlotRoleFactory(slot=slot, label="签到引导")
    AssignmentFactory(role=role, volunteer=her)
    client.force_login(her.user)
    [event] = parse_strict(download(client, slot).content).walk("VEVENT")
    assert "Your role: 签到引导" in str(event["DESCRIPTION"])
    assert str(event["UID"]) == f"slot-{slot.pk}-volunteer-{her.pk}@127.0.0.1"
    assert event.walk("VALARM")[0].decoded("TRIGGER") == timedelta(minutes=-45)


def test_on_the_waiting_list_the_entry_is_tentative(client, slot):
    her = VolunteerFactory()
    AssignmentFactory(
        role=SlotRoleFactory(slot=slot), volunteer=her, status=Assignment.Status.WAITLISTED
    )
    client.force_login(her.user)
    [event] = parse_strict(download(client, slot).content).walk("VEVENT")
    assert str(event["STATUS"]) == "TENTATIVE"


def test_a_mediation_session_is_not_public(client):
    start = NOW + timedelta(days=1)
    session = SlotFactory(
        activity=ActivityFactory(
            kind=Activity.Kind.MEDIATION,
            title="张家婚姻纠纷",
            starts_at=start,
            ends_at=start + timedelta(hours=1),
        )
    )
    assert download(client, session).status_code == 404
    mediator = VolunteerFactory()
    AssignmentFactory(role=SlotRoleFactory(slot=session), volunteer=mediator)
    client.force_login(mediator.user)
    response = download(client, session)
    assert response.status_code == 200
    assert "张家".encode() not in response.content


def test_unknown_slot_is_404(client):
    assert client.get(reverse("calendar_slot", args=[999999])).status_code == 404


def test_the_include_links_to_the_download(slot):
    html = Template('{% include "activities/_add_to_calendar.html" with slot=slot %}').render(
        Context({"slot": slot})
    )
    assert f'href="/calendar/slots/{slot.pk}.ics"' in html
    assert "Add to calendar" in html


# --- The subscribe page ----------------------------------------------------------------------


def test_the_page_needs_signing_in(client):
    response = client.get(reverse("calendar_subscribe"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_the_page_shows_both_addresses_and_a_qr_code(client):
    user = UserFactory()
    client.force_login(user)
    response = client.get(reverse("calendar_subscribe"))
    assert response.status_code == 200
    body = response.content.decode()
    path = f"127.0.0.1:8000/calendar/feed/{user.calendar_token}.ics"
    assert f'value="webcal://{path}"' in body
    assert f'value="http://{path}"' in body
    assert "<svg" in body and "QR code of your calendar address" in body
    assert response["Referrer-Policy"] == "no-referrer"
    nav = [item["url"] for item in response.context["nav_items"]]
    assert reverse("calendar_subscribe") in nav


def test_a_new_address_retires_the_old_one_at_once(client):
    user = UserFactory()
    old = user.calendar_token
    client.force_login(user)
    response = client.post(reverse("calendar_subscribe"), {"action": "reset"}, follow=True)
    user.refresh_from_db()
    assert user.calendar_token != old
    assert "new address" in response.content.decode()
    assert client.get(reverse("calendar_feed", args=[old])).status_code == 404
    assert client.get(reverse("calendar_feed", args=[user.calendar_token])).status_code == 200


def test_invitations_can_be_turned_off_and_on(client):
    user = UserFactory()
    client.force_login(user)
    client.post(reverse("calendar_subscribe"), {"action": "invites"})
    user.refresh_from_db()
    assert user.calendar_invites is False
    response = client.post(
        reverse("calendar_subscribe"), {"action": "invites", "calendar_invites": "on"}, follow=True
    )
    user.refresh_from_db()
    assert user.calendar_invites is True
    assert "Invitations by email are on." in response.content.decode()


def test_the_page_is_in_chinese_too(client):
    user = UserFactory(preferred_language="zh-hans")
    client.force_login(user)
    body = client.get(reverse("calendar_subscribe"), HTTP_ACCEPT_LANGUAGE="zh-hans").content
    assert "订阅".encode() in body


def test_the_venue_page_offers_its_feed(client):
    venue = VenueFactory()
    body = client.get(reverse("venue_public", args=[venue.pk])).content.decode()
    assert f'href="webcal://testserver/calendar/venues/{venue.pk}.ics"' in body
    assert f'href="/calendar/venues/{venue.pk}.ics"' in body
