"""Sign-in, attacked: guessing passwords through the API or the admin, forging the client's
address, keeping a token after its owner changed her password, tokens stored as they are."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.core.management import call_command
from django.test import RequestFactory
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.authentication import TokenAuthentication
from accounts.models import ApiToken
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "pass-word-1"
NOW = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)


def token_request(client, email, password, **headers):
    return client.post(
        "/api/v1/auth/token/", {"email": email, "password": password}, format="json", **headers
    )


def test_guessing_one_account_through_the_api_is_stopped_even_from_many_addresses():
    victim = UserFactory(email="victim@example.org")
    answers = [
        token_request(
            APIClient(REMOTE_ADDR=f"198.51.100.{n}"), victim.email, f"guess-{n}"
        ).status_code
        for n in range(8)
    ]
    assert answers[:5] == [400] * 5 and set(answers[5:]) == {429}
    # Over the limit, even the right password gets no token from anywhere.
    right = token_request(APIClient(REMOTE_ADDR="203.0.113.9"), victim.email, PASSWORD)
    assert right.status_code == 429
    assert not ApiToken.objects.exists()


def test_a_forged_x_forwarded_for_gets_no_fresh_allowance():
    """One client guessing many accounts: each request claims another address."""
    users = [UserFactory() for _ in range(12)]
    client = APIClient(REMOTE_ADDR="198.51.100.7")
    answers = [
        token_request(
            client, user.email, "guess", HTTP_X_FORWARDED_FOR=f"10.{n}.{n}.{n}"
        ).status_code
        for n, user in enumerate(users)
    ]
    assert answers[:10] == [400] * 10 and set(answers[10:]) == {429}


def test_behind_a_trusted_proxy_the_client_is_what_the_proxy_appended(settings):
    settings.TRUSTED_PROXY_COUNT = settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    users = [UserFactory() for _ in range(12)]
    proxy = APIClient(REMOTE_ADDR="127.0.0.1")
    answers = [
        token_request(
            proxy, user.email, "guess", HTTP_X_FORWARDED_FOR=f"10.{n}.0.1, 198.51.100.7"
        ).status_code
        for n, user in enumerate(users)
    ]
    assert answers[:10] == [400] * 10 and set(answers[10:]) == {429}
    # Another client behind the same proxy still may sign in.
    other = token_request(proxy, users[0].email, PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.8")
    assert other.status_code == 200


def test_the_admin_sign_in_goes_through_the_limited_sign_in(client):
    admin = UserFactory(email="admin@example.org", is_staff=True, is_superuser=True)
    response = client.post(
        "/admin/login/?next=/admin/", {"username": admin.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert not client.get("/admin/").wsgi_request.user.is_authenticated
    for n in range(5):
        client.post(reverse("account_login"), {"login": admin.email, "password": f"guess-{n}"})
    response = client.post(reverse("account_login"), {"login": admin.email, "password": PASSWORD})
    assert response.status_code == 200
    assert "Too many failed login attempts" in response.content.decode()
    assert client.get("/admin/").status_code == 302


def test_tokens_are_kept_as_digests_and_expire():
    user = UserFactory()
    with time_machine.travel(NOW, tick=False):
        body = token_request(APIClient(), user.email, PASSWORD).json()
    token = body["token"]
    assert body["expires_at"] == "2026-04-09T17:00:00+08:00"  # 30 days, shown in Shanghai time
    row = ApiToken.objects.get()
    assert token not in (row.digest,) and len(row.token_key) < len(token)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    with time_machine.travel(NOW + timedelta(days=29), tick=False):
        assert api.get("/api/v1/me/").status_code == 200
    with time_machine.travel(NOW + timedelta(days=31), tick=False):
        assert api.get("/api/v1/me/").status_code == 401
    assert not ApiToken.objects.exists()


def test_her_expired_tokens_go_when_she_is_given_a_new_one(django_assert_num_queries):
    user = UserFactory()
    with time_machine.travel(NOW, tick=False):
        old = token_request(APIClient(), user.email, PASSWORD).json()["token"]
    with time_machine.travel(NOW + timedelta(days=25), tick=False):
        kept = token_request(APIClient(), user.email, PASSWORD).json()["token"]
    api = APIClient()
    with time_machine.travel(NOW + timedelta(days=31), tick=False):
        # A request reads the token it presents (with her account), none of her others.
        request = RequestFactory().get("/", HTTP_AUTHORIZATION=f"Token {kept}")
        with django_assert_num_queries(1):
            assert TokenAuthentication().authenticate(request)[0] == user
        assert ApiToken.objects.filter(user=user).count() == 2
        api.credentials(HTTP_AUTHORIZATION=f"Token {kept}")
        assert api.get("/api/v1/me/").status_code == 200
        api.credentials(HTTP_AUTHORIZATION=f"Token {old}")
        assert api.get("/api/v1/me/").status_code == 401
        assert ApiToken.objects.filter(user=user).count() == 1
    with time_machine.travel(NOW + timedelta(days=56), tick=False):
        token_request(APIClient(), user.email, PASSWORD)
    assert ApiToken.objects.filter(user=user).count() == 1
    assert ApiToken.objects.get(user=user).expiry == NOW + timedelta(days=86)


def test_logout_ends_the_token_used_and_only_that_one():
    user = UserFactory()
    first = token_request(APIClient(), user.email, PASSWORD).json()["token"]
    second = token_request(APIClient(), user.email, PASSWORD).json()["token"]
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {first}")
    assert api.post("/api/v1/auth/logout/").status_code == 204
    assert api.get("/api/v1/me/").status_code == 401
    api.credentials(HTTP_AUTHORIZATION=f"Token {second}")
    assert api.get("/api/v1/me/").status_code == 200


def test_a_password_change_or_reset_ends_every_token(client):
    user = UserFactory()
    tokens = [token_request(APIClient(), user.email, PASSWORD).json()["token"] for _ in range(2)]
    # She changes her password on the page (someone had learnt the old one).
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    response = client.post(
        reverse("account_change_password"),
        {
            "oldpassword": PASSWORD,
            "password1": "a-new-long-phrase",
            "password2": "a-new-long-phrase",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("a-new-long-phrase")
    for token in tokens:
        api = APIClient()
        api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
        assert api.get("/api/v1/me/").status_code == 401
    # The operator resets it from the command line: tokens made since end too.
    token = token_request(APIClient(), user.email, "a-new-long-phrase").json()["token"]
    user.refresh_from_db()
    user.set_password("yet-another-phrase")
    user.save()
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.get("/api/v1/me/").status_code == 401


def test_api_token_command_prints_only_a_working_token():
    user = UserFactory(email="script@example.org")
    out = StringIO()
    with time_machine.travel(NOW, tick=False):
        call_command("api_token", "Script@example.org", "--days", "2", stdout=out)
    token = out.getvalue().strip()
    assert out.getvalue() == token + "\n" and " " not in token
    assert ApiToken.objects.get(user=user).expiry == NOW + timedelta(days=2)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    with time_machine.travel(NOW + timedelta(days=1), tick=False):
        assert api.get("/api/v1/me/").json()["email"] == "script@example.org"


@pytest.mark.parametrize(
    ("lang", "message"),
    [
        ("en", "Enter your mobile number or your email address."),
        ("zh-hans", "请输入手机号或电子邮箱。"),
    ],
)
def test_asking_for_a_code_without_a_number_names_the_field(client, lang, message):
    client.cookies["django_language"] = lang
    response = client.post(reverse("account_request_login_code"), {})
    assert response.status_code == 200
    assert message in response.content.decode()
