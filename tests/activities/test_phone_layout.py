"""On a phone: the shift filters fold behind a "Filter" button (a <details>, so it works
without JavaScript) that opens and counts when filters are set; the menu opens over the page
instead of stretching the header; every page names a favicon that exists."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests.factories import VenueFactory
from tests.world import local, make_slot, make_volunteer

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


def static_file(client, url: str) -> tuple[int, str]:
    response = client.get(url)
    try:
        return response.status_code, b"".join(response.streaming_content).decode()
    finally:
        response.close()


def test_filters_fold_behind_a_filter_button(client):
    make_slot(starts_at=local(2, 10))
    client.force_login(make_volunteer().user)
    page = client.get(reverse("shifts_for_me")).content.decode()
    panel = re.search(
        r'<details class="filters-panel"([^>]*)>\s*<summary[^>]*>([^<]*)</summary>', page
    )
    assert panel, "the filters are not folded"
    assert "open" not in panel.group(1)
    assert panel.group(2).strip() == "Filter"
    assert page.index('class="filters-panel"') < page.index('name="venue"')


def test_set_filters_open_the_panel_and_are_counted(client):
    venue = VenueFactory()
    make_slot(starts_at=local(2, 10), venue=venue)
    volunteer = make_volunteer()
    volunteer.user.preferred_language = "zh-hans"
    volunteer.user.save()
    client.force_login(volunteer.user)
    page = client.get(reverse("shifts_for_me"), {"venue": venue.pk}).content.decode()
    panel = re.search(
        r'<details class="filters-panel"([^>]*)>\s*<summary[^>]*>([^<]*)</summary>', page
    )
    assert "open" in panel.group(1)
    assert panel.group(2).strip() == "筛选 (1)"


def test_every_page_names_a_favicon_that_exists(client):
    page = client.get("/").content.decode()
    icon = re.search(r'<link rel="icon" href="([^"]+)"', page).group(1)
    status, svg = static_file(client, icon)
    assert status == 200 and svg.startswith("<svg")
    legacy = client.get("/favicon.ico")
    assert legacy.status_code == 301 and legacy["Location"] == icon


def test_the_open_menu_drops_over_the_page_on_phones(client):
    _status, css = static_file(client, "/static/css/site.css")
    phone = css.split("@media (max-width: 55.99rem)", 1)[1].split("}\n}", 1)[0]
    assert ".menu nav { position: absolute;" in phone
