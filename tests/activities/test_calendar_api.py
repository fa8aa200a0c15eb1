"""/api/v1/me/calendar/: her feed's addresses, a new address, invitations on or off."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_anonymous_is_refused(api_for):
    api = api_for()
    for response in (api.get("/api/v1/me/calendar/"), api.post("/api/v1/me/calendar/reset/")):
        assert response.status_code == 401
        assert response.json() == {"detail": "Authentication credentials were not provided."}
        assert response["WWW-Authenticate"] == "Token"


def test_she_reads_her_own_addresses(api_for):
    user = UserFactory()
    UserFactory()  # someone else, whose token must not show
    api = api_for(user)
    response = api.get("/api/v1/me/calendar/")
    assert response.status_code == 200
    path = reverse("calendar_feed", args=[user.calendar_token])
    assert response.json() == {
        "feed_url": f"http://127.0.0.1:8000{path}",
        "webcal_url": f"webcal://127.0.0.1:8000{path}",
        "invites": True,
    }


def test_a_new_address_retires_the_old_one(api_for, client):
    user = UserFactory()
    old = user.calendar_token
    api = api_for(user)
    response = api.post("/api/v1/me/calendar/reset/")
    assert response.status_code == 200
    user.refresh_from_db()
    assert user.calendar_token in response.json()["feed_url"]
    assert client.get(reverse("calendar_feed", args=[old])).status_code == 404
    assert client.get(reverse("calendar_feed", args=[user.calendar_token])).status_code == 200


def test_invitations_are_switched_off_and_bad_input_is_named(api_for):
    user = UserFactory()
    api = api_for(user)
    response = api.patch("/api/v1/me/calendar/", {"invites": False}, format="json")
    assert response.status_code == 200
    assert response.json()["invites"] is False
    user.refresh_from_db()
    assert user.calendar_invites is False
    bad = api.patch("/api/v1/me/calendar/", {"invites": "maybe"}, format="json")
    assert bad.status_code == 400
    assert "invites" in bad.json()
