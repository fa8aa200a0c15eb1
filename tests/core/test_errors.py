"""The one error path: domain errors become DRF responses in the agreed shapes, translated."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from core.api import exception_handler
from core.errors import Conflict, DomainError, NotAllowed, NotFound, ValidationFailed
from tests.factories import UserFactory


@pytest.mark.parametrize(
    ("error", "status", "body"),
    [
        (ValidationFailed({"phone": ["Enter a valid mobile number."]}), 400, None),
        (DomainError("Too late.", field="starts_at"), 400, {"starts_at": ["Too late."]}),
        (NotAllowed("Not your venue.", code="not_your_venue"), 403, None),
        (NotFound("No such slot."), 404, None),
        (Conflict("Already signed up.", code="already"), 409, None),
    ],
)
def test_domain_errors_have_the_agreed_shapes(error, status, body):
    response = exception_handler(error, {})
    assert response.status_code == status
    if status == 400:
        assert response.data == (body or {"phone": ["Enter a valid mobile number."]})
    else:
        assert response.data["detail"] == error.message
        assert response.data["code"] == error.code


def test_django_validation_errors_become_field_errors():
    response = exception_handler(ValidationError({"end": ["Must be after the start."]}), {})
    assert (response.status_code, response.data) == (400, {"end": ["Must be after the start."]})
    response = exception_handler(ValidationError("Something is off."), {})
    assert response.data == {"non_field_errors": ["Something is off."]}


@pytest.mark.django_db
def test_refusals_read_in_her_own_language(api_for):
    user = UserFactory(preferred_language="zh-hans")
    api = api_for(user)
    response = api.patch("/api/v1/me/", {"name": "x" * 151}, format="json")
    assert response.status_code == 400
    (message,) = response.json()["name"]
    assert "150" in message and not message.isascii()
    api = api_for()
    api.cookies["django_language"] = "zh-hans"
    response = api.post(
        "/api/v1/auth/token/", {"email": "nobody@example.org", "password": "x"}, format="json"
    )
    assert response.json() == {"non_field_errors": ["电子邮箱或密码不正确。"]}


# --- Pages: the same refusals through core.middleware.DomainErrorMiddleware --------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("error", "status", "shown"),
    [
        (NotFound("No such slot."), 404, None),
        (NotAllowed("Not your venue."), 403, None),
        (
            Conflict("This shift has already taken place."),
            409,
            "This shift has already taken place.",
        ),
        (ValidationFailed({"end": ["Must be after the start."]}), 400, "Must be after the start."),
    ],
)
def test_a_refusal_a_page_lets_through_becomes_the_page_people_expect(
    client, settings, error, status, shown
):
    """A view that does not handle a refusal itself answers 404/403 through Django's handlers,
    or shows the message with its status; never a 500."""
    from django.urls import path

    def refusing(request):
        raise error

    urlconf = type("Urls", (), {"urlpatterns": [path("refusing/", refusing)]})
    settings.ROOT_URLCONF = urlconf
    from config import urls as project_urls

    urlconf.urlpatterns += project_urls.urlpatterns  # the base template's links resolve
    response = client.get("/refusing/")
    assert response.status_code == status
    if shown:
        assert shown in response.content.decode()
        assert "This could not be done" in response.content.decode()


@pytest.mark.django_db
def test_matcher_pages_refuse_a_volunteer_with_403_and_another_areas_run_with_404(
    client, volunteer, coordinator, other_coordinator
):
    from matching.models import MatchRun

    client.force_login(volunteer.user)
    assert client.get("/matching/").status_code == 403
    run = MatchRun.objects.create(
        area=other_coordinator.coordinatorships.get().area,
        start="2026-06-01",
        end="2026-06-07",
        created_by=other_coordinator,
    )
    client.force_login(coordinator)
    assert client.get(f"/matching/runs/{run.pk}/").status_code == 404
    client.force_login(other_coordinator)
    assert client.get(f"/matching/runs/{run.pk}/").status_code == 200
