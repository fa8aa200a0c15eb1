"""seed_demo: the demo world loads, its people can sign in, and a re-run duplicates nothing."""

from __future__ import annotations

import re
from io import StringIO

import phonenumbers
import pytest
from django.apps import apps
from django.core.management import call_command
from django.test import Client

from accounts.models import User
from activities.models import Activity, Assignment, Slot
from demo.management.commands.seed_demo import COUNTED
from venues.models import Area, Coordinator, Venue
from volunteers.models import TeamMembership, VolunteerProfile, VolunteerSkill
from volunteers.roles import roles_of

pytestmark = pytest.mark.django_db(transaction=False)


def _seed(**options) -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out, **{"volunteers": 12, "venues": 4, "weeks": 3, **options})
    return out.getvalue()


def _counts() -> dict[str, int]:
    return {label: apps.get_model(label).objects.count() for label in COUNTED}


def test_accounts_exist_with_their_roles_and_the_logins_are_printed():
    output = _seed()
    assert "Demo logins (password: demo-pass-2021)" in output
    assert "volunteer1@demo.invalid … volunteer12@demo.invalid" in output

    admin = User.objects.get(email="admin@demo.invalid")
    assert admin.is_superuser and admin.is_staff
    coordinator = User.objects.get(email="coordinator@demo.invalid")
    district = Area.objects.get(level=Area.Level.DISTRICT)
    assert Coordinator.objects.filter(user=coordinator, area=district).exists()
    for i in range(1, 5):
        host = User.objects.get(email=f"host{i}@demo.invalid")
        assert "host" in roles_of(host)
    assert User.objects.filter(email__startswith="volunteer").count() == 12
    mediators = User.objects.filter(email__startswith="mediator")
    assert mediators.count() >= 5
    for user in mediators:
        assert {"volunteer", "mediator"} <= set(roles_of(user))


def test_the_report_world_is_there_in_both_languages():
    _seed()
    names = set(Venue.objects.values_list("name", flat=True))
    assert {"第一广场楼宇妇女之家", "荣华商住一体小区妇女之家", "古北国际社区妇女之家"} <= names
    assert not Venue.objects.filter(name_en="").exists()
    assert not Area.objects.filter(name_en="").exists()
    assert not Activity.objects.filter(title_en="").exists()
    titles = set(Activity.objects.values_list("title", flat=True))
    assert {"7点钟学堂（双语）", "跳蚤市场", "邻里调解接待日"} <= titles
    levels = set(Area.objects.values_list("level", flat=True))
    assert levels == {"district", "street", "community"}
    assert TeamMembership.objects.filter(
        team__name="洋妈妈巾帼志愿服务队", role=TeamMembership.Role.LEADER
    ).exists()


def test_volunteers_are_realistic():
    _seed()
    profiles = VolunteerProfile.objects.all()
    phones = [p.phone for p in profiles]
    assert len(set(phones)) == len(phones)
    for phone in phones:
        number = phonenumbers.parse(phone)
        assert phonenumbers.is_valid_number(number) and number.country_code == 86
    assert all(p.languages and p.availability.exists() for p in profiles)
    assert all(31.0 < float(p.latitude) < 31.5 and 121.2 < float(p.longitude) < 121.7
               for p in profiles)  # fmt: skip
    pending = VolunteerSkill.objects.filter(skill__needs_verification=True, verified_at=None)
    verified = VolunteerSkill.objects.filter(skill__code="mediation", verified_at__isnull=False)
    assert verified.count() >= 5
    assert pending.count() + verified.count() > 0


def test_slots_past_and_future_with_hours_and_no_overfilled_role():
    _seed()
    assert Slot.objects.filter(ends_at__lt=Activity.objects.order_by("created_at")[0].created_at)
    assert Assignment.objects.filter(status=Assignment.Status.ATTENDED).exists()
    assert Assignment.objects.filter(status=Assignment.Status.CONFIRMED).exists()
    for slot in Slot.objects.prefetch_related("roles__assignments"):
        for role in slot.roles.all():
            seated = [a for a in role.assignments.all() if a.status in Assignment.SEATED]
            assert len(seated) <= role.needed


def test_a_demo_account_signs_in_with_the_password():
    _seed(password="another-pass-77")
    client = Client()
    response = client.post(
        "/accounts/login/",
        {"login": "volunteer3@demo.invalid", "password": "another-pass-77"},
    )
    assert response.status_code == 302
    assert client.get("/api/v1/me/").json()["email"] == "volunteer3@demo.invalid"
    response = Client().post(
        "/api/v1/auth/token/",
        {"email": "coordinator@demo.invalid", "password": "another-pass-77"},
        content_type="application/json",
    )
    assert response.status_code == 200


def test_rerun_makes_no_duplicates_and_a_bigger_n_adds_only_the_new_ones():
    _seed()
    first = _counts()
    output = _seed()
    assert _counts() == first
    assert re.search(r"^all\s+0\s", output, re.MULTILINE)
    _seed(volunteers=15)
    third = _counts()
    assert third["volunteers.VolunteerProfile"] == first["volunteers.VolunteerProfile"] + 3
    assert third["venues.Venue"] == first["venues.Venue"]
    assert third["activities.Activity"] == first["activities.Activity"]


def test_the_demo_reads_english_in_english():
    from activities.models import SlotRole
    from venues.models import Room

    _seed()
    assert not Room.objects.filter(name_en="").exists()
    assert not Venue.objects.filter(opening_hours_en="").exclude(opening_hours="").exists()
    assert not Venue.objects.filter(facilities_en="").exclude(facilities="").exists()
    assert not SlotRole.objects.filter(label_en="").exclude(label="").exists()
    assert Area.objects.filter(level="street", name__endswith="镇", is_town=True).exists()
    venue = Venue.objects.filter(rooms__isnull=False).first()
    client = Client()
    client.cookies["django_language"] = "en"
    page = client.get(f"/venues/{venue.pk}/").content.decode()
    assert "Monday to Saturday 9:00–21:00" in page
    assert "Multi-purpose hall" in page
    assert "in Chinese only" not in page
