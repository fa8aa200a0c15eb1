"""Signing up as a newcomer does: her name is asked, the mobile number and the email address
are confirmed, and she lands on her own page signed in, greeted by her name."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import User

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


def test_sign_up_asks_her_name_and_lands_her_on_her_page(client, sms_outbox, commit):
    client.cookies["django_language"] = "zh-hans"
    form = client.get(reverse("account_signup")).content.decode()
    assert 'name="name"' in form and "你的姓名" in form
    with commit():
        response = client.post(
            reverse("account_signup"),
            {
                "email": "new.volunteer2@example.org",
                "name": "王芳",
                "phone": "139 0000 2222",
                "password1": "a-long-pass-phrase",
                "password2": "a-long-pass-phrase",
            },
        )
    assert response.status_code == 302
    code = re.search(r"(?<!\d)(\d{6})(?!\d)", sms_outbox[-1].body).group(1)
    with commit():
        client.post(reverse("account_verify_phone"), {"code": code})
    link = re.search(r"https?://[^\s]+/accounts/confirm-email/[^\s]+/", mail.outbox[-1].body)
    path = "/" + link.group(0).split("://", 1)[1].split("/", 1)[1]
    done = client.post(path, follow=True)
    final = done.redirect_chain[-1][0] if done.redirect_chain else path
    assert "/accounts/login/" not in final
    heading = done.content.decode().split("<h1>", 1)[1].split("</h1>", 1)[0]
    assert "王芳" in heading
    assert "new.volunteer2" not in heading
    assert User.objects.get(email="new.volunteer2@example.org").name == "王芳"


def test_sign_up_without_a_name_is_refused_naming_the_field(client):
    response = client.post(
        reverse("account_signup"),
        {
            "email": "nameless@example.org",
            "password1": "a-long-pass-phrase",
            "password2": "a-long-pass-phrase",
        },
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "Your name" in text and "This field is required." in text
    assert not User.objects.filter(email="nameless@example.org").exists()


@pytest.mark.parametrize("landline", ["021 6234 5678", "+86 10 1234 5678"])
def test_a_landline_is_refused_as_a_mobile_number(client, landline):
    response = client.post(
        reverse("account_signup"),
        {
            "email": "landline@example.org",
            "name": "Lan",
            "phone": landline,
            "password1": "a-long-pass-phrase",
            "password2": "a-long-pass-phrase",
        },
    )
    assert "This is not a mobile number: texts cannot reach it." in response.content.decode()
    assert not User.objects.filter(email="landline@example.org").exists()
