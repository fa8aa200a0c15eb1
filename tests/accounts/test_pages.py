"""allauth's pages in the product's layout and both languages, and the journeys through them."""

from __future__ import annotations

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client

from accounts.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PAGES = [
    "/accounts/login/",
    "/accounts/signup/",
    "/accounts/password/reset/",
    "/accounts/login/code/",
]


def _in_layout(html: str) -> None:
    assert 'class="site-header"' in html  # our header and menu
    assert 'id="lang-select"' in html  # the language switch
    assert "css/auth.css" in html


@pytest.mark.parametrize("url", PAGES)
@pytest.mark.parametrize(
    ("language", "sign_in"), [("en", "Sign In"), ("zh-hans", "登录")], ids=["en", "zh"]
)
def test_pages_use_our_layout_in_both_languages(url, language, sign_in):
    client = Client()
    client.cookies["django_language"] = language
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    _in_layout(html)
    assert f'<html lang="{"zh-Hans" if language == "zh-hans" else "en"}">' in html
    if url == "/accounts/login/":
        assert sign_in in html


def test_every_field_has_a_visible_label():
    html = Client().get("/accounts/signup/").content.decode()
    ids = re.findall(r'<input[^>]+id="(id_[a-z0-9_]+)"', html)
    assert ids
    for field_id in ids:
        assert f'for="{field_id}"' in html, field_id


def test_sign_up_confirm_email_then_sign_in():
    client = Client()
    client.cookies["django_language"] = "en"
    response = client.post(
        "/accounts/signup/",
        {
            "email": "new.volunteer@example.org",
            "name": "New Volunteer",
            "password1": "a-long-pass-phrase-9",
            "password2": "a-long-pass-phrase-9",
        },
    )
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert page.status_code == 200
    _in_layout(page.content.decode())
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^\s]+/accounts/confirm-email/[^\s]+/", mail.outbox[0].body)
    assert link
    path = link.group(0).split("://", 1)[1].split("/", 1)[1]
    confirm = client.get("/" + path)
    assert confirm.status_code == 200
    _in_layout(confirm.content.decode())
    client.post("/" + path)
    assert EmailAddress.objects.get(email="new.volunteer@example.org").verified

    fresh = Client()
    response = fresh.post(
        "/accounts/login/",
        {"login": "new.volunteer@example.org", "password": "a-long-pass-phrase-9"},
    )
    assert response.status_code == 302
    assert fresh.get("/api/v1/me/").json()["email"] == "new.volunteer@example.org"


def test_unconfirmed_address_cannot_sign_in_yet():
    user = UserFactory(email="waiting@example.org")
    EmailAddress.objects.create(user=user, email=user.email, verified=False, primary=True)
    client = Client()
    response = client.post(
        "/accounts/login/", {"login": "waiting@example.org", "password": "pass-word-1"}
    )
    assert response.status_code == 302
    assert "confirm-email" in response["Location"]
    assert client.get("/api/v1/me/").status_code in (401, 403)


def test_password_reset_by_email():
    UserFactory(email="forgot@example.org")
    client = Client()
    client.cookies["django_language"] = "en"
    response = client.post("/accounts/password/reset/", {"email": "forgot@example.org"})
    assert response.status_code == 302
    _in_layout(client.get(response["Location"]).content.decode())
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/[^\s]+/)", mail.outbox[0].body)
    assert link
    form = client.get(link.group(1), follow=True)
    assert form.status_code == 200
    _in_layout(form.content.decode())
    done = client.post(
        form.redirect_chain[-1][0] if form.redirect_chain else link.group(1),
        {"password1": "brand-new-pass-44", "password2": "brand-new-pass-44"},
    )
    assert done.status_code == 302
    assert User.objects.get(email="forgot@example.org").check_password("brand-new-pass-44")


def test_failed_sign_ins_are_rate_limited_even_with_the_right_password():
    UserFactory(email="target@example.org")
    client = Client()
    client.cookies["django_language"] = "en"
    for _ in range(5):
        response = client.post(
            "/accounts/login/", {"login": "target@example.org", "password": "wrong-guess"}
        )
        assert "not correct" in response.content.decode()
    response = client.post(
        "/accounts/login/", {"login": "target@example.org", "password": "pass-word-1"}
    )
    assert response.status_code == 200
    assert "Too many failed login attempts" in response.content.decode()
    assert client.get("/api/v1/me/").status_code in (401, 403)
