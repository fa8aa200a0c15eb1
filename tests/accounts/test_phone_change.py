"""A changed number counts once its code is typed back; nothing tells whose a number is; only
volunteers sign in by a texted code."""

from __future__ import annotations

import re

import pytest
from allauth.account.models import EmailAddress
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from notifications.sms import locmem
from tests.factories import CoordinatorFactory, VenueFactory
from tests.world import make_volunteer

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def sms(settings):
    settings.SMS_BACKEND = "locmem"
    settings.QUIET_HOURS_START = settings.QUIET_HOURS_END = "00:00"
    locmem.outbox.clear()
    yield locmem.outbox
    locmem.outbox.clear()


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def code_in(text) -> str:
    return re.search(r"(?<!\d)(\d{6})(?!\d)", text.body).group(1)


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def verified(phone: str, **kwargs):
    return make_volunteer(phone=phone, phone_verified_at=timezone.now(), **kwargs)


def test_a_new_number_through_the_api_counts_only_once_its_code_is_typed_back(sms, commit):
    mei = verified("+8613900000010")
    client = api(mei.user)
    assert client.patch(
        "/api/v1/me/volunteer/", {"phone": "13900000099"}, format="json"
    ).json() == {
        "phone": [
            "A new number is confirmed with a code sent to it: change it on the mobile number "
            "page (or with POST /api/v1/me/phone/)."
        ]
    }
    with commit():
        started = client.post("/api/v1/me/phone/", {"phone": "139 0000 0099"}, format="json")
    assert started.status_code == 202 and started.json() == {"phone_pending": "+8613900000099"}
    mei.refresh_from_db()
    assert mei.phone == "+8613900000010"  # unchanged until the code comes back
    [text] = sms
    assert text.to == "+8613900000099"
    wrong = client.post("/api/v1/me/phone/confirm/", {"code": "x"}, format="json")
    assert wrong.status_code == 400 and "code" in wrong.json()
    done = client.post("/api/v1/me/phone/confirm/", {"code": code_in(text)}, format="json")
    assert done.json() == {"phone": "+8613900000099", "phone_verified": True}
    mei.refresh_from_db()
    assert mei.phone == "+8613900000099" and mei.phone_verified_at is not None


def test_asking_for_someone_elses_number_tells_nothing_and_texts_nothing(sms, commit):
    owner = verified("+8613900000011")
    stranger = verified("+8613900000012")
    client = api(stranger.user)
    with commit():
        taken = client.post("/api/v1/me/phone/", {"phone": owner.phone}, format="json")
    with commit():
        free = client.post("/api/v1/me/phone/", {"phone": "+8613900000013"}, format="json")
    assert taken.status_code == free.status_code == 202
    assert set(taken.json()) == set(free.json()) == {"phone_pending"}
    assert [t.to for t in sms] == ["+8613900000013"]
    # Guessing the code for the taken number gets her nowhere either.
    client.post("/api/v1/me/phone/", {"phone": owner.phone}, format="json")
    for guess in ("000000", "123456", "999999"):
        client.post("/api/v1/me/phone/confirm/", {"code": guess}, format="json")
    owner.refresh_from_db()
    stranger.refresh_from_db()
    assert owner.phone == "+8613900000011" and stranger.phone == "+8613900000012"


def test_the_profile_page_no_longer_changes_the_number_without_a_code(client):
    mei = verified("+8613900000014")
    client.force_login(mei.user)
    client.post(
        reverse("volunteer_profile"),
        {
            "name": "Mei",
            "phone": "13900000015",
            "languages": ["zh"],
            "max_hours_per_week": 6,
            "preferred_language": "en",
        },
    )
    mei.refresh_from_db()
    assert mei.phone == "+8613900000014"
    page = client.get(reverse("volunteer_profile")).content.decode()
    assert reverse("account_change_phone") in page and "Confirmed" in page


def test_only_a_landline_free_mobile_number_is_taken(sms):
    client = api(verified("+8613900000016").user)
    response = client.post("/api/v1/me/phone/", {"phone": "021 6234 5678"}, format="json")
    assert response.status_code == 400
    assert "not a mobile number" in response.json()["phone"][0]
    assert sms == []


@pytest.mark.parametrize("role", ["coordinator", "host", "staff"])
def test_only_volunteers_sign_in_with_a_texted_code(role, sms, commit):
    person = verified("+8613900000017")
    if role == "coordinator":
        CoordinatorFactory(user=person.user)
    elif role == "host":
        VenueFactory(hosts=[person.user])
    else:
        person.user.is_staff = True
        person.user.save()
    EmailAddress.objects.create(user=person.user, email=person.user.email, verified=True)
    client, unknown = Client(), Client()
    with commit():
        response = client.post(reverse("account_request_login_code"), {"phone": person.phone})
    with commit():
        nobody = unknown.post(reverse("account_request_login_code"), {"phone": "+8613900000018"})
    assert sms == []
    assert response.status_code == nobody.status_code == 302
    assert response["Location"] == nobody["Location"]
    client.post(reverse("account_confirm_login_code"), {"code": "000000"})
    assert not client.get(reverse("home")).wsgi_request.user.is_authenticated
