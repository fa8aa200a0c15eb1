"""Signing in and up by mobile number with an SMS code, through allauth's own views."""

from __future__ import annotations

import re

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from notifications.models import Message
from tests.world import reachable_volunteer
from volunteers.models import VolunteerProfile

pytestmark = pytest.mark.django_db


def _code(sms_outbox) -> str:
    return re.search(r"\b(\d{6})\b", sms_outbox[-1].body).group(1)


@pytest.fixture
def anna():
    profile = reachable_volunteer(phone="+8613812345678", phone_verified_at=timezone.now())
    EmailAddress.objects.create(
        user=profile.user, email=profile.user.email, verified=True, primary=True
    )
    return profile


def test_sign_in_with_a_mobile_number_and_the_code_sent_by_sms(client, anna, sms_outbox, commit):
    with commit():
        response = client.post(reverse("account_request_login_code"), {"phone": "138 1234 5678"})
    assert response.status_code == 302
    assert response["Location"] == reverse("account_confirm_login_code")
    [sms] = sms_outbox
    assert sms.to == "+8613812345678"
    assert "is your sign-in code" in sms.body
    message = Message.objects.get(kind="signin_code")
    assert message.status == Message.Status.SENT and message.expires_at is not None
    response = client.post(reverse("account_confirm_login_code"), {"code": _code(sms_outbox)})
    assert response.status_code == 302
    assert client.get(reverse("home")).wsgi_request.user == anna.user
    anna.refresh_from_db()
    assert anna.phone_verified_at is not None


def test_the_code_reads_in_her_language(client, anna, sms_outbox, commit):
    anna.user.preferred_language = "zh-hans"
    anna.user.save()
    with commit():
        client.post(reverse("account_request_login_code"), {"phone": "+8613812345678"})
    assert sms_outbox[-1].body.startswith("您的登录验证码是")


def test_a_wrong_code_does_not_sign_in(client, anna, sms_outbox, commit):
    with commit():
        client.post(reverse("account_request_login_code"), {"phone": "+8613812345678"})
    wrong = "000000" if _code(sms_outbox) != "000000" else "111111"
    response = client.post(reverse("account_confirm_login_code"), {"code": wrong})
    assert response.status_code == 200
    assert not response.wsgi_request.user.is_authenticated


def test_no_text_goes_to_a_number_without_an_account(client, sms_outbox, commit):
    with commit():
        client.post(reverse("account_request_login_code"), {"phone": "+8613900000000"})
    assert sms_outbox == []
    assert not Message.objects.exists()


def test_a_landline_or_nonsense_is_refused_with_the_reason(client, sms_outbox):
    response = client.post(reverse("account_request_login_code"), {"phone": "021 6234 5678"})
    assert "not a mobile number" in response.content.decode()
    response = client.post(reverse("account_request_login_code"), {"phone": "12"})
    assert "Enter a valid mobile number" in response.content.decode()
    assert sms_outbox == []


def test_codes_per_number_are_limited(client, anna, sms_outbox, commit, settings):
    settings.SMS_CODES_PER_NUMBER_PER_HOUR = 2
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "request_login_code": False}
    for _ in range(5):
        client.logout()
        with commit():
            client.post(reverse("account_request_login_code"), {"phone": "+8613812345678"})
    assert len(sms_outbox) == 2


def test_allauth_limits_requests_per_number_too(client, anna, sms_outbox, commit):
    statuses = []
    for _ in range(5):
        client.logout()
        with commit():
            response = client.post(
                reverse("account_request_login_code"), {"phone": "+8613812345678"}
            )
        statuses.append(response.status_code)
    assert len(sms_outbox) == 3
    assert statuses[:3] == [302, 302, 302] and 302 not in statuses[3:]


def test_email_and_password_still_sign_in(client, anna):
    response = client.post(
        reverse("account_login"), {"login": anna.user.email, "password": "pass-word-1"}
    )
    assert response.status_code == 302
    assert client.get(reverse("home")).wsgi_request.user == anna.user


def test_sign_up_with_a_mobile_number_verifies_it_by_sms(client, sms_outbox, commit, settings):
    settings.ACCOUNT_EMAIL_VERIFICATION = "optional"
    with commit():
        response = client.post(
            reverse("account_signup"),
            {
                "email": "mei@example.org",
                "name": "Mei",
                "phone": "139 0000 1111",
                "password1": "a-long-pass-phrase",
                "password2": "a-long-pass-phrase",
            },
        )
    assert response.status_code == 302
    user = User.objects.get(email="mei@example.org")
    profile = VolunteerProfile.objects.get(user=user)
    assert profile.phone == "+8613900001111" and profile.phone_verified_at is None
    assert sms_outbox[-1].to == "+8613900001111"
    client.post(reverse("account_verify_phone"), {"code": _code(sms_outbox)})
    profile.refresh_from_db()
    assert profile.phone_verified_at is not None
