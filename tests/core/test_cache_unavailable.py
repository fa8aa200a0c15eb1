"""While the shared cache (Redis) cannot be reached, signing in — whose attempts are counted
there — answers 503 with a message in her language, and the API 503 with JSON, never a stack
trace; once it is back, she signs in. Pages that do not need it are served all along (the
shifts filters: tests/activities/test_shift_filters.py).

The cache is a real RedisCache pointed at a port that nothing listens on."""

from __future__ import annotations

import socket

import pytest
from allauth.account.models import EmailAddress
from django.test import Client, override_settings
from rest_framework.test import APIClient

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def cache_down():
    with socket.socket() as probe:  # a free port, closed again: nothing listens on it
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return override_settings(
        CACHES={
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": f"redis://127.0.0.1:{port}/0",
            }
        }
    )


SIGN_IN = {"login": "li.na@example.org", "password": "pass-word-1"}


@pytest.mark.parametrize(
    ("language", "says"),
    [
        ("en", "A part of the service cannot be reached for a moment"),
        ("zh-hans", "服务的一部分暂时无法连接"),
    ],
)
def test_signing_in_answers_503_with_a_message_then_works_once_the_cache_is_back(language, says):
    user = UserFactory(email="li.na@example.org")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    browser = Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE=language)
    with cache_down():
        response = browser.post("/accounts/login/", SIGN_IN)
    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    body = response.content.decode()
    assert says in body
    assert "Traceback" not in body and "ConnectionError" not in body
    assert not browser.get("/").wsgi_request.user.is_authenticated

    response = browser.post("/accounts/login/", SIGN_IN)
    assert response.status_code == 302
    assert browser.get("/").wsgi_request.user == user


def test_an_api_token_request_answers_503_in_json():
    UserFactory(email="li.na@example.org")
    api = APIClient(raise_request_exception=False)
    with cache_down():
        response = api.post(
            "/api/v1/auth/token/",
            {"email": "li.na@example.org", "password": "pass-word-1"},
            format="json",
        )
    assert response.status_code == 503
    assert response.json()["code"] == "service_unavailable"
