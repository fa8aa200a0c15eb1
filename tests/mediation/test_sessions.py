"""Sessions in a venue's room: in the mediators' calendars as "Mediation session" with time and
place only, never on public pages; parties marked unsafe are never texted."""

from __future__ import annotations

from datetime import timedelta

from icalendar import Calendar

from mediation.models import Party
from mediation.services.retention import dispute_erase
from notifications.models import Message
from tests.factories import ActivityFactory, SlotFactory

from .conftest import NARRATIVE, NOW, PARTY_NAMES, PARTY_PHONES, api_for

START = NOW + timedelta(days=2, hours=4)


def _book(world, dispute, *, by=None, start=START, text_parties=True):
    return api_for(by or world.lead).post(
        f"/api/v1/disputes/{dispute.pk}/sessions/",
        {
            "venue": world.venue.pk,
            "room": world.venue.rooms.get().pk,
            "starts_at": start.isoformat(),
            "ends_at": (start + timedelta(hours=1)).isoformat(),
            "text_parties": text_parties,
        },
        format="json",
    )


def _secrets(dispute):
    return [*PARTY_NAMES, NARRATIVE[:6], dispute.reference, dispute.get_kind_display(), "家暴"]


def test_session_texts_say_time_place_and_role_only(world):
    dispute = world.assigned()
    Party.objects.filter(dispute=dispute, position=2).update(unsafe_sms=True)
    assert _book(world, dispute).status_code == 201
    texts = Message.objects.filter(kind="mediation_session").order_by("user__email")
    assert [m.user for m in texts] == [world.assistant, world.lead]
    lead_text = texts.get(user=world.lead).body
    assert "Mediation session (Lead mediator)" in lead_text and "古北妇女之家" in lead_text
    party_texts = Message.objects.filter(kind="mediation_session_party")
    # The party marked unsafe is never texted.
    assert [m.to for m in party_texts] == [PARTY_PHONES[0]]
    for message in [*texts, *party_texts]:
        for secret in _secrets(dispute):
            assert secret not in message.body


def test_the_room_cannot_be_taken_twice(world):
    dispute = world.assigned()
    assert _book(world, dispute).status_code == 201
    response = _book(world, dispute, start=START + timedelta(minutes=30))
    assert response.status_code == 409
    activity = ActivityFactory(
        venue=world.venue,
        room=world.venue.rooms.get(),
        starts_at=START + timedelta(days=1),
        ends_at=START + timedelta(days=1, hours=2),
    )
    SlotFactory(activity=activity)
    assert _book(world, dispute, start=START + timedelta(days=1)).status_code == 409


def test_feed_entry_is_time_and_place_only_and_leaves_with_her(world, client):
    dispute = world.assigned()
    _book(world, dispute)
    feed = client.get(f"/calendar/feed/{world.lead.calendar_token}.ics")
    assert feed.status_code == 200
    calendar = Calendar.from_ical(feed.content)
    events = [e for e in calendar.walk("VEVENT") if "mediation-session" in str(e["UID"])]
    assert len(events) == 1
    event = events[0]
    assert str(event["SUMMARY"]) == "Mediation session"
    assert str(event["LOCATION"]).startswith("Gubei Home, 调解室")
    assert event.decoded("DTSTART") == START
    text = feed.content.decode()
    for secret in _secrets(dispute):
        assert secret not in text
    api_for(world.lead).post(
        f"/api/v1/disputes/{dispute.pk}/conflicts/", {"reason": "knows_party"}, format="json"
    )
    again = client.get(f"/calendar/feed/{world.lead.calendar_token}.ics").content.decode()
    assert "mediation-session" not in again


def test_sessions_never_reach_public_pages(world, client):
    dispute = world.assigned()
    _book(world, dispute)
    feed = client.get(f"/calendar/venues/{world.venue.pk}.ics").content.decode()
    assert "VEVENT" not in feed
    for url in (f"/venues/{world.venue.pk}/", "/whats-on/", "/"):
        body = client.get(url).content.decode()
        assert "14:00" not in body and "2 p.m." not in body, url  # the session starts then
        assert dispute.reference not in body, url
    host_page = api_for(world.host).get(f"/api/v1/disputes/{dispute.pk}/sessions/")
    assert host_page.status_code == 404


def test_cancelling_tells_the_mediators_and_the_entry_says_cancelled(world, web, client):
    dispute = world.assigned()
    session_id = _book(world, dispute).json()["id"]
    response = web(world.lead).post(f"/mediation/sessions/{session_id}/cancel/")
    assert response.status_code == 302
    assert Message.objects.filter(kind="mediation_session_cancelled").count() == 2
    feed = client.get(f"/calendar/feed/{world.lead.calendar_token}.ics").content.decode()
    assert "STATUS:CANCELLED" in feed


def test_erasure_forgets_the_numbers_parties_were_texted_at(world):
    dispute = world.assigned()
    _book(world, dispute)
    dispute.status = "closed"
    dispute.save()
    counts = dispute_erase(dispute=dispute)
    assert counts["texts"] == 2
    assert not Message.objects.filter(to__in=PARTY_PHONES).exists()
