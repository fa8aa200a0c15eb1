"""The account API: a token for email and password, and /api/v1/me/ for each role."""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import ApiToken
from tests.factories import (
    CommunityFactory,
    CoordinatorFactory,
    SkillFactory,
    UserFactory,
    VenueFactory,
    VolunteerFactory,
    VolunteerSkillFactory,
)

pytestmark = pytest.mark.django_db
PASSWORD = "pass-word-1"


@pytest.fixture
def api():
    return APIClient()


def _token(api, email, password=PASSWORD):
    return api.post("/api/v1/auth/token/", {"email": email, "password": password}, format="json")


def test_token_for_right_password_then_me_with_it(api):
    user = UserFactory(email="li.na@example.org", name="李娜")
    response = _token(api, "Li.Na@example.org")
    assert response.status_code == 200
    token = response.json()["token"]
    [row] = ApiToken.objects.filter(user=user)
    assert token not in (row.digest, row.token_key)  # only a digest is kept
    assert _token(api, "li.na@example.org").json()["token"] != token  # a new one each time

    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    me = api.get("/api/v1/me/")
    assert me.status_code == 200
    body = me.json()
    assert body["id"] == user.pk
    assert body["email"] == "li.na@example.org"
    assert body["name"] == "李娜"
    assert body["roles"] == []
    assert body["volunteer"] is None


def test_wrong_password_and_unknown_address_get_the_same_400(api):
    UserFactory(email="a@example.org")
    wrong = _token(api, "a@example.org", "nope-nope")
    unknown = _token(api, "nobody@example.org")
    assert wrong.status_code == unknown.status_code == 400
    assert wrong.json() == unknown.json()
    assert "non_field_errors" in wrong.json()
    assert not ApiToken.objects.exists()


def test_missing_fields_are_named(api):
    response = api.post("/api/v1/auth/token/", {"email": ""}, format="json")
    assert response.status_code == 400
    assert "password" in response.json()
    response = api.post("/api/v1/auth/token/", {"email": "", "password": "x"}, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["email"]


def test_inactive_account_gets_no_token(api):
    UserFactory(email="gone@example.org", is_active=False)
    assert _token(api, "gone@example.org").status_code == 400
    assert not ApiToken.objects.exists()


def test_self_signed_up_address_must_be_confirmed_first(api):
    user = UserFactory(email="new@example.org")
    EmailAddress.objects.create(user=user, email=user.email, verified=False, primary=True)
    response = _token(api, "new@example.org")
    assert response.status_code == 400
    assert "email" in response.json()
    EmailAddress.objects.filter(user=user).update(verified=True)
    assert _token(api, "new@example.org").status_code == 200


def test_token_requests_are_throttled(api, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login_failed": False}
    UserFactory(email="t@example.org")
    codes = [_token(api, "t@example.org", "wrong-one").status_code for _ in range(21)]
    assert codes[:20] == [400] * 20
    assert codes[20] == 429


def test_me_refuses_anonymous(api):
    assert api.get("/api/v1/me/").status_code == 401
    assert api.patch("/api/v1/me/", {"name": "x"}, format="json").status_code == 401


def test_me_lists_every_role_and_the_volunteer_summary(api):
    user = UserFactory(email="all@example.org")
    mediation = SkillFactory(
        code="mediation", name="调解", name_en="Mediation", needs_verification=True
    )
    english = SkillFactory(code="english", name="英语", name_en="English")
    volunteer = VolunteerFactory(user=user, phone="+8613800000001", languages=["zh", "en"])
    VolunteerSkillFactory(volunteer=volunteer, skill=mediation, verified_at=timezone.now())
    VolunteerSkillFactory(volunteer=volunteer, skill=english)
    community = CommunityFactory()
    VenueFactory(area=community, hosts=[user])
    CoordinatorFactory(user=user, area=community.parent)
    user.is_superuser = True
    user.save()

    api.force_authenticate(user)
    body = api.get("/api/v1/me/").json()
    assert body["roles"] == ["volunteer", "host", "coordinator", "mediator", "admin"]
    assert body["volunteer"] == {
        "id": volunteer.pk,
        "phone": "+8613800000001",
        "languages": ["zh", "en"],
        "skills": ["english", "mediation"],
        "max_hours_per_week": volunteer.max_hours_per_week,
        "sms_enabled": True,
    }


def test_unverified_mediation_skill_is_no_mediator_role(api):
    volunteer = VolunteerFactory()
    skill = SkillFactory(code="mediation", needs_verification=True)
    VolunteerSkillFactory(volunteer=volunteer, skill=skill)
    api.force_authenticate(volunteer.user)
    assert api.get("/api/v1/me/").json()["roles"] == ["volunteer"]


def test_calendar_feed_url_is_absolute_on_the_public_address(api, settings):
    settings.PUBLIC_BASE_URL = "https://volunteers.example.org"
    user = UserFactory()
    api.force_authenticate(user)
    url = api.get("/api/v1/me/").json()["calendar_feed_url"]
    assert url == f"https://volunteers.example.org/calendar/feed/{user.calendar_token}.ics"
    assert APIClient().get(url.removeprefix("https://volunteers.example.org")).status_code == 200


def test_patch_me_changes_name_and_language(api):
    user = UserFactory(name="Old", preferred_language="en")
    api.force_authenticate(user)
    response = api.patch(
        "/api/v1/me/", {"name": "王芳", "preferred_language": "zh-hans"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["name"] == "王芳"
    assert response.json()["preferred_language"] == "zh-hans"
    user.refresh_from_db()
    assert (user.name, user.preferred_language) == ("王芳", "zh-hans")


def test_patch_me_bad_language_is_400_naming_the_field_and_saves_nothing(api):
    user = UserFactory(name="Old", preferred_language="en")
    api.force_authenticate(user)
    response = api.patch(
        "/api/v1/me/", {"name": "New", "preferred_language": "klingon"}, format="json"
    )
    assert response.status_code == 400
    assert list(response.json()) == ["preferred_language"]
    user.refresh_from_db()
    assert (user.name, user.preferred_language) == ("Old", "en")


def test_patch_me_cannot_change_email_or_roles(api):
    user = UserFactory(email="keep@example.org")
    api.force_authenticate(user)
    response = api.patch(
        "/api/v1/me/", {"email": "other@example.org", "is_superuser": True}, format="json"
    )
    assert response.status_code == 200
    user.refresh_from_db()
    assert user.email == "keep@example.org"
    assert not user.is_superuser
