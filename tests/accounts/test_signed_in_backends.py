"""Who is signed in is read with her volunteer profile, by session or by API token; people
signed in before that change stay signed in, and a session or a token still ends when her
password changes."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.urls import reverse
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.test import APIRequestFactory

from accounts.authentication import TokenAuthentication
from accounts.services import api_token_create
from tests.world import build_world

pytestmark = pytest.mark.django_db

renaming = importlib.import_module("signin.migrations.0001_session_backends")


def _session(user, backend: str) -> SessionStore:
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = backend
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session


@pytest.mark.parametrize("old", list(renaming.RENAMED))
def test_someone_signed_in_before_the_change_is_still_signed_in(client, old):
    her = build_world().volunteer("Her").user
    session = _session(her, old)
    client.cookies["sessionid"] = session.session_key
    # Before the renaming Django no longer knows the backend her session names.
    assert client.get(reverse("shifts_for_me")).status_code == 302
    renaming.forwards(apps, None)
    assert SessionStore(session.session_key).load()[BACKEND_SESSION_KEY] == renaming.RENAMED[old]
    assert client.get(reverse("shifts_for_me")).status_code == 200


def test_her_session_still_ends_when_her_password_changes(client):
    her = build_world().volunteer("Her").user
    client.force_login(her)
    assert client.get(reverse("shifts_for_me")).status_code == 200
    her.set_password("another-pass-word-2")
    her.save()
    response = client.get(reverse("shifts_for_me"))
    assert response.status_code == 302 and reverse("account_login") in response["Location"]


def test_her_profile_comes_with_her(client, django_assert_num_queries):
    her = build_world().volunteer("Her").user
    client.force_login(her)
    response = client.get(reverse("volunteer_profile"))
    with django_assert_num_queries(0):
        assert response.wsgi_request.user.volunteer.pk == her.volunteer.pk


def test_an_api_token_brings_her_profile_with_her(django_assert_num_queries):
    her = build_world().volunteer("Her").user
    _row, token = api_token_create(user=her)
    request = APIRequestFactory().get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {token}")
    user, _auth = TokenAuthentication().authenticate(request)
    with django_assert_num_queries(0):
        assert user.volunteer.pk == her.volunteer.pk


def test_a_token_still_ends_when_her_password_changes():
    her = build_world().volunteer("Her").user
    _row, token = api_token_create(user=her)
    her.set_password("another-pass-word-2")
    her.save()
    request = APIRequestFactory().get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {token}")
    with pytest.raises(AuthenticationFailed):
        TokenAuthentication().authenticate(request)
