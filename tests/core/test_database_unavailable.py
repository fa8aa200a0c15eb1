"""While the database cannot be reached (a restart, a failover), pages answer 503 with a message
in her language and the API 503 with JSON — never a stack trace — and the next request after
the database is back is served as usual.

The database is made unreachable through Django's own hook for wrapping every query
(``connection.execute_wrapper``), raising what the driver raises when the server goes away;
bench/drills.py restarts a real PostgreSQL under gunicorn."""

from __future__ import annotations

import pytest
from django.db import InterfaceError, OperationalError, connection
from django.test import Client

from accounts.services import api_token_create
from tests.world import make_slot


def server_gone(error=OperationalError):
    def refuse(execute, sql, params, many, context):
        raise error("server closed the connection unexpectedly")

    return refuse


@pytest.fixture
def browser():
    # Answers as a browser would see them, instead of re-raising the server's error here.
    return Client(raise_request_exception=False)


@pytest.mark.django_db
def test_a_page_answers_503_with_a_message_and_works_again_afterwards(browser, frozen):
    with connection.execute_wrapper(server_gone()):
        response = browser.get("/whats-on/")

    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    body = response.content.decode()
    assert "The service cannot reach its database for a moment" in body
    assert "Traceback" not in body and "OperationalError" not in body

    assert browser.get("/whats-on/").status_code == 200


@pytest.mark.django_db
def test_a_signed_in_volunteer_whose_first_query_fails_in_a_middleware_gets_the_same_page(
    browser, volunteer, frozen
):
    browser.force_login(volunteer.user)
    with connection.execute_wrapper(server_gone(InterfaceError)):
        response = browser.get("/shifts/")

    assert response.status_code == 503
    assert "The service cannot reach its database" in response.content.decode()
    assert browser.get("/shifts/").status_code == 200


@pytest.mark.django_db
def test_the_page_is_in_chinese_for_a_chinese_browser(browser, frozen):
    with connection.execute_wrapper(server_gone()):
        response = browser.get("/whats-on/", headers={"accept-language": "zh-hans"})

    assert response.status_code == 503
    body = response.content.decode()
    assert "服务暂时无法连接数据库" in body and "服务暂不可用" in body


@pytest.mark.django_db
def test_the_api_answers_503_with_json_and_signs_her_up_once_the_database_is_back(
    browser, volunteer, frozen
):
    slot, _role = make_slot(needed=1)
    _, token = api_token_create(user=volunteer.user)
    auth = {"authorization": f"Token {token}"}

    with connection.execute_wrapper(server_gone()):
        refused = browser.post(f"/api/v1/slots/{slot.pk}/signup/", {}, headers=auth)

    assert refused.status_code == 503
    assert refused.json() == {
        "detail": "The service cannot reach its database for a moment. Nothing was changed: "
        "please try again in a minute.",
        "code": "service_unavailable",
    }
    assert not volunteer.assignments.exists()

    again = browser.post(f"/api/v1/slots/{slot.pk}/signup/", {}, headers=auth)
    assert again.status_code == 201, again.content
    assert again.json()["status"] == "confirmed"


@pytest.mark.django_db
def test_other_errors_stay_a_plain_500(browser, frozen):
    with connection.execute_wrapper(server_gone(error=ZeroDivisionError)):
        response = browser.get("/whats-on/")

    assert response.status_code == 500
    assert "cannot reach its database" not in response.content.decode()
