"""A second factor: required of superusers, staff and coordinators once DEBUG is off, offered to
everyone, asked for at every sign-in (pages and API) by whoever has one."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY, format_hotp_value, hotp_value
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from tests.factories import CoordinatorFactory, SkillFactory, UserFactory
from tests.world import make_volunteer

pytestmark = pytest.mark.django_db
PASSWORD = "pass-word-1"
NOW = datetime(2026, 5, 4, 2, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def enforced(settings):
    settings.SECOND_FACTOR_REQUIRED = True


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def confirmed(user):
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def sign_in(client, user, password=PASSWORD):
    return client.post(reverse("account_login"), {"login": user.email, "password": password})


def totp_now(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(datetime.now(UTC).timestamp()) // 30))


def activate_totp(client, password=PASSWORD) -> str:
    """Through allauth's page, as she would with her authenticator app; returns the secret.
    allauth asks for her password again first."""
    response = client.get(reverse("mfa_activate_totp"))
    if response.status_code == 302:
        assert response["Location"].startswith(reverse("account_reauthenticate"))
        client.post(response["Location"], {"password": password})
        client.get(reverse("mfa_activate_totp"))
    secret = client.session[SECRET_SESSION_KEY]
    response = client.post(reverse("mfa_activate_totp"), {"code": totp_now(secret)})
    assert response.status_code == 302
    return secret


def test_a_coordinator_cannot_go_on_without_a_second_factor(frozen):
    coordinator = confirmed(CoordinatorFactory().user)
    client = Client()
    sign_in(client, coordinator)
    for page in (reverse("outbox"), reverse("volunteer_import"), reverse("home")):
        response = client.get(page)
        assert response.status_code == 302
        assert response["Location"] == reverse("mfa_activate_totp")
    assert client.get("/api/v1/outbox/").status_code == 403

    activate_totp(client)
    assert client.get(reverse("outbox")).status_code == 200
    assert Authenticator.objects.filter(user=coordinator, type="recovery_codes").exists()


def test_the_admin_asks_the_superuser_for_her_second_factor(frozen):
    admin = confirmed(UserFactory(is_staff=True, is_superuser=True))
    client = Client()
    sign_in(client, admin)
    assert client.get("/admin/")["Location"] == reverse("mfa_activate_totp")
    secret = activate_totp(client)
    assert client.get("/admin/").status_code == 200

    # Next time, the password alone does not open the admin.
    stranger = Client()
    frozen.shift(timedelta(minutes=1))
    response = sign_in(stranger, admin)
    assert response["Location"] == reverse("mfa_authenticate")
    assert stranger.get("/admin/").status_code == 302
    assert not stranger.get(reverse("home")).wsgi_request.user.is_authenticated
    stranger.post(reverse("mfa_authenticate"), {"code": totp_now(secret)})
    assert stranger.get("/admin/").status_code == 200


def test_no_api_token_without_the_second_factor(frozen):
    coordinator = confirmed(CoordinatorFactory().user)
    api = APIClient()
    response = api.post(
        "/api/v1/auth/token/", {"email": coordinator.email, "password": PASSWORD}, format="json"
    )
    assert response.status_code == 403 and response.json()["code"] == "second_factor"

    client = Client()
    sign_in(client, coordinator)
    secret = activate_totp(client)
    frozen.shift(timedelta(minutes=1))
    no_code = api.post(
        "/api/v1/auth/token/", {"email": coordinator.email, "password": PASSWORD}, format="json"
    )
    assert no_code.status_code == 400 and "code" in no_code.json()
    wrong = api.post(
        "/api/v1/auth/token/",
        {"email": coordinator.email, "password": PASSWORD, "code": "000000"},
        format="json",
    )
    assert wrong.status_code == 400 and "code" in wrong.json()
    right = api.post(
        "/api/v1/auth/token/",
        {"email": coordinator.email, "password": PASSWORD, "code": totp_now(secret)},
        format="json",
    )
    assert right.status_code == 200 and right.json()["token"]


def test_volunteers_are_offered_it_not_forced(frozen):
    volunteer = make_volunteer(phone=None)
    confirmed(volunteer.user)
    client = Client()
    sign_in(client, volunteer.user)
    page = client.get(reverse("home"))
    assert page.status_code == 200
    assert reverse("mfa_index") in page.content.decode()
    assert "Your role calls for two-step sign-in" not in page.content.decode()
    assert client.get(reverse("mfa_index")).status_code == 200
    activate_totp(client)
    assert Authenticator.objects.filter(user=volunteer.user, type="totp").exists()


def test_not_forced_where_it_is_turned_off_but_the_set_up_is_shown(settings, frozen):
    settings.SECOND_FACTOR_REQUIRED = False
    coordinator = confirmed(CoordinatorFactory().user)
    client = Client()
    sign_in(client, coordinator)
    page = client.get(reverse("outbox"))
    assert page.status_code == 200
    assert "Your role calls for two-step sign-in" in page.content.decode()


def test_an_app_adds_its_people_by_adding_a_rule(settings, frozen):
    """What the mediation app will do for everyone who can open disputes."""
    settings.SECOND_FACTOR_REQUIRED_FOR = [
        *settings.SECOND_FACTOR_REQUIRED_FOR,
        "tests.security.rules.has_mediation_skill",
    ]
    mediator = make_volunteer(
        phone=None, skills=[SkillFactory(code="mediation", needs_verification=True)]
    )
    confirmed(mediator.user)
    client = Client()
    sign_in(client, mediator.user)
    assert client.get(reverse("home"))["Location"] == reverse("mfa_activate_totp")
