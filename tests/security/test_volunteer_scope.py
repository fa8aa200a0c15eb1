"""Coordinators act only on volunteers of their areas; people without an area belong to the
district's coordinators. Outside her scope a volunteer does not exist for her (404)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import SkillFactory, TeamFactory, VolunteerSkillFactory
from tests.world import make_volunteer
from volunteers.models import TeamMembership, VolunteerSkill

pytestmark = pytest.mark.django_db


@pytest.fixture
def law():
    return SkillFactory(code="law", name="法律", name_en="Law", needs_verification=True)


def test_a_street_coordinator_cannot_pull_a_volunteer_of_another_street_into_her_team(
    client, district
):
    team = TeamFactory(area=district["east"])
    westerner = make_volunteer(home_area=district["west_community"])
    client.force_login(district["east_coordinator"])
    response = client.post(
        reverse("team_detail", args=[team.pk]), {"who": westerner.user.email, "role": "member"}
    )
    assert response.status_code == 200
    assert "No volunteer with this email or mobile number." in response.content.decode()
    response = client.post(
        reverse("team_detail", args=[team.pk]), {"who": westerner.phone, "role": "member"}
    )
    assert "No volunteer with this email or mobile number." in response.content.decode()
    assert not TeamMembership.objects.exists()


def test_the_api_answers_404_for_a_volunteer_outside_her_streets(district, api_for):
    team = TeamFactory(area=district["east"])
    westerner = make_volunteer(home_area=district["west_community"])
    easterner = make_volunteer(home_area=district["east_community"])
    api = api_for(district["east_coordinator"])
    url = f"/api/v1/teams/{team.pk}/members/"
    assert api.post(url, {"volunteer": westerner.pk, "role": "member"}).status_code == 404
    assert api.post(url, {"volunteer": easterner.pk, "role": "member"}).status_code == 201
    assert list(TeamMembership.objects.values_list("volunteer", flat=True)) == [easterner.pk]


def test_volunteers_without_an_area_belong_to_the_district_coordinators_only(
    client, district, law, api_for
):
    unplaced = make_volunteer(home_area=None)
    link = VolunteerSkillFactory(volunteer=unplaced, skill=law)
    team = TeamFactory(area=district["east"])

    street = district["east_coordinator"]
    client.force_login(street)
    page = client.get(reverse("skill_verifications")).content.decode()
    assert unplaced.user.email not in page
    response = client.post(reverse("skill_verifications"), {"link": link.pk})
    assert response.status_code == 404
    api = api_for(street)
    assert api.get("/api/v1/skill-verifications/").json()["count"] == 0
    assert api.post(f"/api/v1/skill-verifications/{link.pk}/verify/").status_code == 404
    response = client.post(
        reverse("team_detail", args=[team.pk]), {"who": unplaced.user.email, "role": "member"}
    )
    assert "No volunteer with this email or mobile number." in response.content.decode()
    link.refresh_from_db()
    assert link.verified_at is None and not TeamMembership.objects.exists()

    api = api_for(district["district_coordinator"])
    assert api.get("/api/v1/skill-verifications/").json()["count"] == 1
    assert api.post(f"/api/v1/skill-verifications/{link.pk}/verify/").status_code == 204
    assert VolunteerSkill.objects.get(pk=link.pk).verified_at is not None


def test_a_street_coordinator_verifies_the_skills_of_her_own_streets_only(client, district, law):
    easterner = make_volunteer(home_area=district["east_community"])
    westerner = make_volunteer(home_area=district["west_community"])
    east_link = VolunteerSkillFactory(volunteer=easterner, skill=law)
    west_link = VolunteerSkillFactory(volunteer=westerner, skill=law)
    client.force_login(district["east_coordinator"])
    assert client.post(reverse("skill_verifications"), {"link": west_link.pk}).status_code == 404
    assert client.post(reverse("skill_verifications"), {"link": east_link.pk}).status_code == 302
    assert VolunteerSkill.objects.get(pk=east_link.pk).verified_at is not None
    assert VolunteerSkill.objects.get(pk=west_link.pk).verified_at is None
