"""Text kept in both languages: English readers get the English, or visibly the Chinese when
there is none yet; Chinese readers always get the Chinese."""

from __future__ import annotations

import pytest
from django.urls import reverse

from activities.models import SlotRole
from tests.factories import SlotFactory, SlotRoleFactory, VenueFactory
from venues.models import Room

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


def test_venue_page_in_english_shows_english_or_says_it_is_chinese_only(client):
    venue = VenueFactory(
        opening_hours="周一至周五 9:00–17:00",
        opening_hours_en="Monday to Friday 9:00–17:00",
        facilities="图书角",
        facilities_en="",
    )
    Room.objects.create(venue=venue, name="多功能厅", name_en="Multi-purpose hall", capacity=30)
    Room.objects.create(venue=venue, name="茶室", capacity=8)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("venue_public", args=[venue.pk])).content.decode()
    assert "Monday to Friday 9:00–17:00" in page
    assert "Multi-purpose hall" in page
    assert (
        '<span lang="zh-Hans">图书角</span> <small class="meta untranslated">(in Chinese only)'
        in page
    )
    assert '<span lang="zh-Hans">茶室</span>' in page


def test_venue_page_in_chinese_shows_chinese_without_a_note(client):
    venue = VenueFactory(opening_hours="周一至周五", opening_hours_en="Monday to Friday")
    Room.objects.create(venue=venue, name="茶室", capacity=8)
    client.cookies["django_language"] = "zh-hans"
    page = client.get(reverse("venue_public", args=[venue.pk])).content.decode()
    assert "周一至周五" in page and "茶室" in page
    assert "仅有中文" not in page and "Monday to Friday" not in page


def test_a_role_label_reads_in_english_or_is_marked(client):
    slot = SlotFactory()
    SlotRoleFactory(slot=slot, needed=1, label="讲师", label_en="Lecturer")
    SlotRoleFactory(slot=slot, needed=1, label="茶水")
    client.cookies["django_language"] = "en"
    page = client.get(reverse("slot_detail", args=[slot.pk])).content.decode()
    assert "Lecturer: 0 / 1" in page
    assert '<span lang="zh-Hans">茶水</span> <small class="meta untranslated">' in page
    assert SlotRole.objects.count() == 2
