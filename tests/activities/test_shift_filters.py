"""The filters of shifts for me offer the venues open now and her own teams, in her language,
with what she picked marked, however often the same filters were shown before."""

from __future__ import annotations

import socket

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import reverse

from tests.factories import TeamFactory, TeamMembershipFactory, VenueFactory
from tests.world import local, make_slot, make_volunteer

pytestmark = pytest.mark.django_db


def filters(client, query: str = "", language: str = "en") -> str:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    page = client.get(reverse("shifts_for_me") + query).content.decode()
    start = page.index('<div class="filter-grid">')
    return page[start : page.index("</form>", start)]


def test_a_venue_opened_renamed_or_closed_since_shows_at_once(client):
    venue = VenueFactory(name="江边妇女之家", name_en="Riverside home")
    make_slot(starts_at=local(2, 10), venue=venue)
    client.force_login(make_volunteer().user)
    assert "Riverside home" in filters(client)
    assert "Riverside home" in filters(client)
    other = VenueFactory(name="山顶妇女之家", name_en="Hilltop home")
    venue.name_en = "Riverside centre"
    venue.save()
    shown = filters(client)
    assert "Hilltop home" in shown
    assert "Riverside centre" in shown
    assert "Riverside home" not in shown
    other.is_active = False
    other.save()
    assert "Hilltop home" not in filters(client)


def test_a_team_she_joins_is_offered_at_once_and_only_hers(client):
    volunteer = make_volunteer()
    # Another volunteer's team: offered to her, never to anyone else.
    TeamMembershipFactory(team=TeamFactory(name="别人的队伍", name_en="Someone else's team"))
    client.force_login(volunteer.user)
    assert "Any team" in filters(client)
    assert "Riverside team" not in filters(client)
    TeamMembershipFactory(volunteer=volunteer, team=TeamFactory(name_en="Riverside team"))
    shown = filters(client)
    assert "Riverside team" in shown
    assert "Someone else" not in shown


def test_each_language_gets_its_own_labels_and_names(client):
    VenueFactory(name="江边妇女之家", name_en="Riverside home")
    client.force_login(make_volunteer().user)
    for _round in range(2):
        english = filters(client, language="en")
        assert "Any venue" in english
        assert "Riverside home" in english
        chinese = filters(client, language="zh-hans")
        assert "任何场地" in chinese
        assert "江边妇女之家" in chinese
        assert "Any venue" not in chinese


def test_what_she_picked_is_marked_only_when_she_picked_it(client):
    venue = VenueFactory(name_en="Riverside home")
    client.force_login(make_volunteer().user)
    picked = f'<option value="{venue.pk}" selected>Riverside home</option>'
    assert picked not in filters(client)
    assert picked in filters(client, f"?venue={venue.pk}")
    assert picked not in filters(client)
    assert picked in filters(client, f"?venue={venue.pk}")


def test_the_page_is_served_while_the_shared_cache_is_down(client):
    """Redis stopped: her shifts and their filters still show (nothing on the page needs it)."""
    with socket.socket() as probe:  # a port that nothing listens on once closed
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    down = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
        }
    }
    venue = VenueFactory(name_en="Riverside home")
    make_slot(starts_at=local(2, 10), venue=venue)
    client.force_login(make_volunteer().user)
    with override_settings(CACHES=down):
        shown = filters(client)
        page = client.get(reverse("shifts_for_me")).content.decode()
    assert "Riverside home" in shown
    assert "1 shift fits you." in page
