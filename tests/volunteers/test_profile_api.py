"""A volunteer's own profile, availability and skills through the API; teams and skill
verification by coordinators, with what others are refused."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import AreaFactory, CoordinatorFactory, SkillFactory, TeamFactory, UserFactory
from tests.world import make_volunteer
from volunteers.models import TeamMembership, VolunteerProfile

pytestmark = pytest.mark.django_db


def test_get_and_patch_profile_saves_skills_hours_and_language(api_for):
    SkillFactory(code="lecture", name="宣讲", name_en="Lecturing")
    SkillFactory(code="law", name="法律", name_en="Law", needs_verification=True)
    volunteer = make_volunteer()
    client = api_for(volunteer.user)
    response = client.patch(
        "/api/v1/me/volunteer/",
        {
            "phone": "",
            "languages": ["zh", "en"],
            "skills": ["lecture", "law"],
            "max_hours_per_week": 10,
            "sms_enabled": False,
            "preferred_language": "en",
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    data = response.json()
    assert data["phone"] is None  # removing her number needs no code
    assert sorted(data["skills"]) == ["law", "lecture"]
    pending = {s["code"]: s["pending"] for s in data["skill_details"]}
    assert pending == {"law": True, "lecture": False}
    volunteer.refresh_from_db()
    assert volunteer.max_hours_per_week == 10
    home = client.patch(
        "/api/v1/me/volunteer/", {"latitude": "31.230400", "longitude": "121.473700"}, format="json"
    )
    assert home.json()["latitude"] == "31.230400"
    assert client.patch("/api/v1/me/volunteer/", {"latitude": 95}, format="json").status_code == 400
    assert volunteer.user.preferred_language == "en"


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"phone": "12345"}, "phone"),
        ({"skills": ["nope"]}, "skills"),
        ({"max_hours_per_week": 0}, "max_hours_per_week"),
        ({"preferred_language": "fr"}, "preferred_language"),
        ({"languages": ["xx"]}, "languages"),
    ],
)
def test_bad_profile_input_names_the_field_and_changes_nothing(payload, field, api_for):
    volunteer = make_volunteer(phone="+8613800000001")
    response = api_for(volunteer.user).patch("/api/v1/me/volunteer/", payload, format="json")
    assert response.status_code == 400
    assert field in response.json()
    volunteer.refresh_from_db()
    assert volunteer.phone == "+8613800000001"


def test_phone_error_in_chinese(api_for):
    volunteer = make_volunteer()
    volunteer.user.preferred_language = "zh-hans"
    volunteer.user.save()
    response = api_for(volunteer.user).patch(
        "/api/v1/me/volunteer/", {"phone": "123"}, format="json"
    )
    assert "手机号" in response.json()["phone"][0]


def test_non_volunteer_gets_404_and_can_become_one(api_for):
    user = UserFactory()
    client = api_for(user)
    assert client.get("/api/v1/me/volunteer/").status_code == 404
    created = client.post("/api/v1/me/volunteer/", {"max_hours_per_week": 4}, format="json")
    assert created.status_code == 201
    assert VolunteerProfile.objects.get(user=user).max_hours_per_week == 4
    assert client.post("/api/v1/me/volunteer/", {}, format="json").status_code == 409


def test_availability_add_list_delete_only_own(api_for):
    volunteer, other = make_volunteer(), make_volunteer()
    client = api_for(volunteer.user)
    created = client.post(
        "/api/v1/me/availability/", {"weekday": 0, "start": "09:00", "end": "12:00"}
    )
    assert created.status_code == 201
    assert created.json()["start"] == "09:00"
    bad = client.post("/api/v1/me/availability/", {"weekday": 1, "start": "12:00", "end": "09:00"})
    assert bad.status_code == 400
    assert "end" in bad.json()
    assert len(client.get("/api/v1/me/availability/").json()) == 1
    pk = created.json()["id"]
    assert api_for(other.user).delete(f"/api/v1/me/availability/{pk}/").status_code == 404
    assert client.delete(f"/api/v1/me/availability/{pk}/").status_code == 204


def test_skills_list(api_for):
    SkillFactory(code="lecture", name="宣讲", name_en="Lecturing")
    rows = api_for(UserFactory()).get("/api/v1/skills/").json()
    assert {"code": "lecture", "name": "Lecturing", "needs_verification": False} in rows


def test_teams_coordinator_manages_members_others_refused(api_for):
    area = AreaFactory()
    coordinator = CoordinatorFactory(area=area).user
    outsider = CoordinatorFactory().user
    created = api_for(coordinator).post(
        "/api/v1/teams/",
        {"name": "洋妈妈巾帼志愿服务队", "area": area.pk, "kind": "foreign_mothers"},
    )
    assert created.status_code == 201
    team_id = created.json()["id"]
    assert (
        api_for(outsider).post("/api/v1/teams/", {"name": "x", "area": area.pk}).status_code == 403
    )
    assert (
        api_for(make_volunteer().user)
        .post("/api/v1/teams/", {"name": "x", "area": area.pk})
        .status_code
        == 403
    )

    member = make_volunteer()
    url = f"/api/v1/teams/{team_id}/members/"
    assert api_for(outsider).post(url, {"volunteer": member.pk}).status_code == 404
    added = api_for(coordinator).post(url, {"volunteer": member.pk, "role": "leader"})
    assert added.status_code == 201
    assert added.json()["members"][0]["role"] == "leader"
    # A member sees her team but cannot manage it.
    assert api_for(member.user).get(f"/api/v1/teams/{team_id}/").status_code == 200
    other = make_volunteer()
    assert api_for(member.user).post(url, {"volunteer": other.pk}).status_code == 403
    assert api_for(coordinator).delete(f"{url}{member.pk}/").status_code == 204
    assert not TeamMembership.objects.exists()


def test_skill_verification_by_coordinator_in_area(api_for):
    law = SkillFactory(code="law", name="法律", name_en="Law", needs_verification=True)
    area = AreaFactory()
    volunteer = make_volunteer(skills=[law], verified=False, home_area=area)
    link = volunteer.skill_links.get()
    outsider = CoordinatorFactory().user
    assert api_for(outsider).get("/api/v1/skill-verifications/").json()["results"] == []
    assert (
        api_for(outsider).post(f"/api/v1/skill-verifications/{link.pk}/verify/").status_code == 404
    )
    assert api_for(volunteer.user).get("/api/v1/skill-verifications/").status_code == 403
    coordinator = CoordinatorFactory(area=area).user
    assert (
        api_for(coordinator).post(f"/api/v1/skill-verifications/{link.pk}/verify/").status_code
        == 204
    )
    link.refresh_from_db()
    assert link.verified_at is not None


def test_pages_become_profile_and_team(client):
    user = UserFactory()
    client.force_login(user)
    assert client.get(reverse("volunteer_profile"))["Location"] == reverse("volunteer_become")
    response = client.post(
        reverse("volunteer_become"),
        {
            "name": "王芳",
            "languages": ["zh"],
            "max_hours_per_week": 6,
            "preferred_language": "zh-hans",
        },
    )
    assert response.status_code == 302
    profile = VolunteerProfile.objects.get(user=user)
    assert profile.user.name == "王芳"
    client.post(reverse("availability_add"), {"weekday": 2, "start": "09:00", "end": "11:00"})
    assert profile.availability.count() == 1
    page = client.get(reverse("volunteer_profile"))
    assert page.status_code == 200

    team = TeamFactory()
    TeamMembership.objects.create(team=team, volunteer=profile, role="leader")
    detail = client.get(reverse("team_detail", args=[team.pk]))
    assert detail.status_code == 200
    assert detail.context["schedule"] == []
    # A leader sees the schedule but does not manage members.
    assert (
        client.post(reverse("team_detail", args=[team.pk]), {"who": "x@y.org"}).status_code == 403
    )
