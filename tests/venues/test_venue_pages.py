"""Venue pages: a host edits her own, a coordinator opens new ones; others are refused."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.factories import CoordinatorFactory, UserFactory, VenueFactory
from venues.models import Venue

pytestmark = pytest.mark.django_db


def client_for(user, lang="en"):
    client = Client()
    client.force_login(user)
    client.cookies["django_language"] = lang
    return client


def form_data(**extra):
    data = {
        "name": "幸福社区妇女之家",
        "name_en": "Happiness Women's Home",
        "kind": "community",
        "address": "幸福路 1 号",
        "timezone": "Asia/Shanghai",
        "opening_hours": "9:00–17:00",
        "rooms": "活动室: 30\n咨询室：4",
    }
    data.update(extra)
    return data


def test_host_edits_her_venue_and_rooms():
    host = UserFactory()
    venue = VenueFactory(hosts=[host])
    response = client_for(host).post(f"/host/venues/{venue.pk}/edit/", form_data())
    assert response.status_code == 302
    venue.refresh_from_db()
    assert venue.name == "幸福社区妇女之家"
    assert sorted((r.name, r.capacity) for r in venue.rooms.all()) == [
        ("咨询室", 4),
        ("活动室", 30),
    ]


def test_page_shows_errors_in_chinese():
    host = UserFactory()
    venue = VenueFactory(hosts=[host])
    response = client_for(host, "zh-hans").post(
        f"/host/venues/{venue.pk}/edit/", form_data(timezone="Nowhere/Else", rooms="大厅")
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "请按“名称: 人数”填写每个活动室（“大厅”）。" in body


def test_another_host_is_refused():
    stranger = UserFactory()
    VenueFactory(hosts=[stranger])
    venue = VenueFactory(name="原名")
    # Not hers: the same answer as a venue that does not exist.
    assert client_for(stranger).get(f"/host/venues/{venue.pk}/edit/").status_code == 404
    assert (
        client_for(stranger).post(f"/host/venues/{venue.pk}/edit/", form_data()).status_code == 404
    )
    venue.refresh_from_db()
    assert venue.name == "原名"


def test_coordinator_opens_a_venue_in_her_area():
    coordinator = CoordinatorFactory()
    area = coordinator.area
    response = client_for(coordinator.user).post("/host/venues/new/", form_data(area=area.pk))
    assert response.status_code == 302
    assert Venue.objects.get().area == area


def test_a_host_cannot_open_venues():
    host = UserFactory()
    VenueFactory(hosts=[host])
    assert client_for(host).get("/host/venues/new/").status_code == 403
