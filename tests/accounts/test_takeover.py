"""Nobody becomes someone else: the account-takeover paths, replayed through the real views.

1. A coordinator imports a row with the superuser's email and her own number, then signs in
   with a code texted to her number.
2. A coordinator asks for a sign-in code for someone's number and reads it in the outbox.
"""

from __future__ import annotations

import re

import pytest
from allauth.account.models import EmailAddress
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from notifications.models import Message
from notifications.sms import locmem
from tests.factories import CoordinatorFactory, StreetFactory, UserFactory, VenueFactory
from tests.world import make_volunteer
from volunteers.models import VolunteerProfile

pytestmark = pytest.mark.django_db

HEADER = "email,name,phone,languages,skills,max_hours_per_week,sms_enabled,preferred_language,team"
HER_PHONE = "+8613812340000"


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


def csv_file(*rows: str) -> SimpleUploadedFile:
    body = "\n".join([HEADER, *rows]).encode()
    return SimpleUploadedFile("volunteers.csv", body, content_type="text/csv")


def sign_in_by_code(client, phone: str, sms, commit) -> None:
    """What an attacker does: ask for a code for the number, type back what reached it."""
    with commit():
        client.post(reverse("account_request_login_code"), {"phone": phone})
    texts = [t for t in sms if t.to == phone]
    code = re.search(r"(?<!\d)(\d{6})(?!\d)", texts[-1].body).group(1) if texts else "000000"
    client.post(reverse("account_confirm_login_code"), {"code": code})


def signed_in_as(client):
    return client.get(reverse("home")).wsgi_request.user


def test_an_import_cannot_give_an_existing_account_a_number(client, sms, commit):
    admin = UserFactory(email="admin@demo.invalid", is_staff=True, is_superuser=True)
    street_coordinator = CoordinatorFactory(area=StreetFactory()).user
    client.force_login(street_coordinator)
    response = client.post(
        reverse("volunteer_import"),
        {"file": csv_file(f"admin@demo.invalid,Admin,{HER_PHONE},zh,,6,yes,zh-hans,")},
    )
    assert response.status_code == 200
    assert "This address already has an account" in response.content.decode()
    assert not VolunteerProfile.objects.filter(user=admin).exists()

    client.logout()
    sign_in_by_code(client, HER_PHONE, sms, commit)
    assert signed_in_as(client) != admin
    assert not signed_in_as(client).is_authenticated


def test_an_import_leaves_an_existing_volunteer_as_she_was(client, sms, commit):
    anna = make_volunteer(phone="+8613900000001", phone_verified_at=timezone.now())
    client.force_login(CoordinatorFactory().user)
    response = client.post(
        reverse("volunteer_import"),
        {"file": csv_file(f"{anna.user.email},Anna,{HER_PHONE},en,,6,yes,en,")},
    )
    assert "This address already has an account" in response.content.decode()
    anna.refresh_from_db()
    assert anna.phone == "+8613900000001"


def test_a_number_typed_in_by_a_coordinator_does_not_sign_in_until_its_owner_confirms_it(
    client, sms, commit
):
    coordinator = CoordinatorFactory().user
    client.force_login(coordinator)
    client.post(
        reverse("volunteer_import"),
        {"file": csv_file(f"wang.fang@example.org,王芳,{HER_PHONE},zh,,6,yes,zh-hans,")},
    )
    wang = VolunteerProfile.objects.get(user__email="wang.fang@example.org")
    assert wang.phone == HER_PHONE and wang.phone_verified_at is None

    client.logout()
    sign_in_by_code(client, HER_PHONE, sms, commit)
    assert not signed_in_as(client).is_authenticated
    assert sms == []  # no text: the page says the same as for a number without an account

    # Wang Fang signs in with her email (and a password she set through "forgot password"):
    # before she is in, the number waits for the code texted to it.
    client = Client()
    wang.user.set_password("her-own-pass-phrase")
    wang.user.save()
    EmailAddress.objects.create(user=wang.user, email=wang.user.email, verified=True, primary=True)
    with commit():
        response = client.post(
            reverse("account_login"),
            {"login": wang.user.email, "password": "her-own-pass-phrase"},
        )
    assert response["Location"] == reverse("account_verify_phone")
    code = re.search(r"(?<!\d)(\d{6})(?!\d)", sms[-1].body).group(1)
    client.post(reverse("account_verify_phone"), {"code": code})
    assert signed_in_as(client) == wang.user
    wang.refresh_from_db()
    assert wang.phone_verified_at is not None
    client.logout()
    sign_in_by_code(client, HER_PHONE, sms, commit)
    assert signed_in_as(client) == wang.user


def test_the_outbox_never_shows_a_sign_in_code(client, sms, commit):
    anna = make_volunteer(phone="+8613900000002", phone_verified_at=timezone.now())
    EmailAddress.objects.create(user=anna.user, email=anna.user.email, verified=True)
    with commit():
        client.post(reverse("account_request_login_code"), {"phone": anna.phone})
    [text] = sms
    code = re.search(r"(?<!\d)(\d{6})(?!\d)", text.body).group(1)

    coordinator = CoordinatorFactory().user  # of the whole district: anna is hers
    client.force_login(coordinator)
    page = client.get(reverse("outbox")).content.decode()
    assert "is your sign-in code" in page and code not in page
    api = client.get("/api/v1/outbox/").json()
    assert [m["kind"] for m in api["results"]] == ["signin_code"]
    assert code not in str(api)
    assert not Message.objects.filter(body__contains=code).exists()


def test_the_outbox_shows_a_street_coordinator_only_texts_of_her_streets(client, sms, commit):
    east, west = StreetFactory(), StreetFactory()
    VenueFactory(area__parent=east)
    easterner = make_volunteer(
        phone="+8613900000003", phone_verified_at=timezone.now(), home_area=east
    )
    westerner = make_volunteer(
        phone="+8613900000004", phone_verified_at=timezone.now(), home_area=west
    )
    for person in (easterner, westerner):
        Message.objects.create(
            to=person.phone,
            body=f"Reminder for {person.user.email}",
            kind="reminder",
            language="en",
            status="sent",
            user=person.user,
        )
    with commit():
        Client().post(reverse("account_request_login_code"), {"phone": westerner.phone})

    client.force_login(CoordinatorFactory(area=east).user)
    page = client.get(reverse("outbox")).content.decode()
    assert easterner.user.email in page
    assert westerner.user.email not in page and westerner.phone not in page
    rows = client.get("/api/v1/outbox/").json()["results"]
    assert [m["to"] for m in rows] == [easterner.phone]
    assert client.get("/api/v1/outbox/", {"phone": westerner.phone}).json()["count"] == 0


def test_an_import_takes_mobile_numbers_only(client):
    client.force_login(CoordinatorFactory().user)
    response = client.post(
        reverse("volunteer_import"),
        {"file": csv_file("li.na@example.org,李娜,021 6234 5678,zh,,6,yes,zh-hans,")},
    )
    assert "This is not a mobile number" in response.content.decode()
    assert not VolunteerProfile.objects.exists()
