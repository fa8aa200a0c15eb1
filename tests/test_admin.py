"""The admin, as a superuser: every registered model's pages load, and actions use services."""

from __future__ import annotations

from io import StringIO

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.test import RequestFactory
from django.urls import reverse

from accounts.models import User
from activities.models import Assignment, Slot
from tests.factories import (
    AssignmentFactory,
    SkillFactory,
    UserFactory,
    VolunteerSkillFactory,
)
from volunteers.models import VolunteerSkill

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client(client):
    call_command("seed_demo", volunteers=6, venues=3, weeks=1, stdout=StringIO())
    user = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(user)
    return client


def _models():
    return sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label)


def test_every_changelist_search_add_and_change_page_loads(superuser_client):
    client = superuser_client
    for model, model_admin in _models():
        info = model._meta.app_label, model._meta.model_name
        changelist = reverse("admin:{}_{}_changelist".format(*info))
        assert client.get(changelist).status_code == 200, changelist
        if model_admin.search_fields:
            response = client.get(changelist, {"q": "demo"})
            assert response.status_code == 200, f"{changelist}?q=demo"
        if model_admin.has_add_permission(_request(client)):
            add = reverse("admin:{}_{}_add".format(*info))
            assert client.get(add).status_code == 200, add
        obj = model._default_manager.order_by("pk").first()
        if obj is not None:
            change = reverse("admin:{}_{}_change".format(*info), args=[obj.pk])
            assert client.get(change).status_code == 200, change


def _request(client):
    request = RequestFactory().get("/admin/")
    request.user = User.objects.get(pk=client.session["_auth_user_id"])
    return request


def test_autocomplete_answers_for_venues_and_volunteers(superuser_client):
    for app_label, model_name, field in [
        ("activities", "activity", "venue"),
        ("volunteers", "volunteerskill", "volunteer"),
    ]:
        response = superuser_client.get(
            reverse("admin:autocomplete"),
            {"app_label": app_label, "model_name": model_name, "field_name": field, "term": ""},
        )
        assert response.status_code == 200
        assert response.json()["results"]


def test_verify_action_verifies_through_the_service(client):
    coordinator = UserFactory(is_staff=True, is_superuser=True)
    skill = SkillFactory(code="law", needs_verification=True)
    link = VolunteerSkillFactory(skill=skill)
    client.force_login(coordinator)
    response = client.post(
        reverse("admin:volunteers_volunteerskill_changelist"),
        {"action": "verify", "_selected_action": [link.pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert "1 row changed." in response.content.decode()
    link = VolunteerSkill.objects.get(pk=link.pk)
    assert link.verified_at is not None and link.verified_by == coordinator


def test_cancel_action_frees_the_seat_through_the_service(client):
    user = UserFactory(is_staff=True, is_superuser=True)
    assignment = AssignmentFactory()
    client.force_login(user)
    client.post(
        reverse("admin:activities_assignment_changelist"),
        {"action": "cancel", "_selected_action": [assignment.pk]},
    )
    assignment.refresh_from_db()
    assert assignment.status == Assignment.Status.CANCELLED
    assert assignment.cancelled_at is not None


def test_mark_attended_before_the_shift_is_refused_with_the_reason(client):
    user = UserFactory(is_staff=True, is_superuser=True)
    assignment = AssignmentFactory()  # tomorrow
    client.force_login(user)
    response = client.post(
        reverse("admin:activities_assignment_changelist"),
        {"action": "mark_attended", "_selected_action": [assignment.pk]},
        follow=True,
    )
    assert "1 refused: Attendance can be recorded once the shift is about to start." in (
        response.content.decode()
    )
    assignment.refresh_from_db()
    assert assignment.status == Assignment.Status.CONFIRMED
    assert Slot.objects.count() == 1
