"""The shape the code keeps: every API view answers in her language, every package of ours is
under the import contract, and the admin leaves to the services what only they may change."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from activities.models import Activity, Slot
from core.api import UserLanguageMixin
from tests.factories import SlotRoleFactory, VolunteerFactory

ROOT = Path(__file__).resolve().parent.parent


def _api_views(patterns, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _api_views(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern) and (prefix + str(entry.pattern)).startswith("api/v1"):
            view = getattr(entry.callback, "cls", None) or getattr(
                entry.callback, "view_class", None
            )
            yield prefix + str(entry.pattern), view


def test_every_api_view_answers_in_her_language():
    views = list(_api_views(get_resolver().url_patterns))
    assert len(views) > 20
    without = [path for path, view in views if not issubclass(view, UserLanguageMixin)]
    assert without == []


def test_every_package_of_ours_is_under_the_import_contract():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    packages = {
        p.parent.name
        for p in ROOT.glob("*/__init__.py")
        if p.parent.name not in {"tests", "bench"} and not p.parent.name.startswith(".")
    }
    assert packages <= set(config["root_packages"])
    [layers] = [c["layers"] for c in config["contracts"] if c["type"] == "layers"]
    layered = {name.strip(" ()") for layer in layers for name in layer.split("|")}
    assert packages <= layered


def test_the_engine_may_import_no_other_part_of_matching():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    [forbidden] = [c for c in config["contracts"] if c["type"] == "forbidden"]
    parts = {
        f"matching.{p.stem if p.is_file() else p.name}"
        for p in (ROOT / "matching").iterdir()
        if (p.suffix == ".py" or (p / "__init__.py").exists())
        and p.name not in {"__init__.py", "__main__.py", "engine", "migrations"}
    }
    assert parts <= set(forbidden["forbidden_modules"])
    assert {"django", "core", "activities"} <= set(forbidden["forbidden_modules"])


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/api/v1/venues/", "只有场地负责人和协调员可以管理场地。"),
        ("/api/v1/activities/", "只有场地负责人和协调员可以管理活动。"),
        ("/api/v1/matching/runs/", "只有统筹协调员才能运行智能排班。"),
    ],
)
def test_a_token_client_is_refused_in_her_own_language(api_for, path, message):
    volunteer = VolunteerFactory(user__preferred_language="zh-hans")
    response = api_for(volunteer.user).get(path)
    assert response.status_code == 403
    assert response.json()["detail"] == message


@pytest.mark.django_db
@pytest.mark.usefixtures("frozen")
def test_the_admin_shows_service_owned_fields_read_only(client, admin):
    role = SlotRoleFactory(needed=2)
    slot = role.slot
    client.force_login(admin)
    page = client.get(reverse("admin:activities_slot_change", args=[slot.pk]))
    assert page.status_code == 200
    form = page.context["adminform"].form
    assert not {"starts_at", "ends_at", "status"} & set(form.fields)
    assert reverse("host_slot", args=[slot.pk]) in page.content.decode()
    # A forged post cannot move the slot or change what a role needs.
    client.post(
        reverse("admin:activities_slot_change", args=[slot.pk]),
        {"starts_at_0": "2030-01-01", "starts_at_1": "10:00", "status": "cancelled"},
    )
    slot.refresh_from_db()
    assert (slot.status, slot.starts_at) == ("scheduled", slot.activity.starts_at)
    activity_page = client.get(reverse("admin:activities_activity_change", args=[slot.activity_id]))
    assert not {"starts_at", "rrule", "status"} & set(
        activity_page.context["adminform"].form.fields
    )
    assert client.get(reverse("admin:activities_activity_add")).status_code == 403
    assert client.get(reverse("admin:activities_slot_add")).status_code == 403
    assert Activity.objects.count() == Slot.objects.count() == 1
