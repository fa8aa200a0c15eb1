"""Coordinator pages: verifying skills and managing team members; others are refused."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import AreaFactory, CoordinatorFactory, SkillFactory, TeamFactory
from tests.world import make_slot, make_volunteer
from volunteers.models import TeamMembership

pytestmark = pytest.mark.django_db


def test_skill_verification_page(client):
    law = SkillFactory(code="law", name="法律", name_en="Law", needs_verification=True)
    area = AreaFactory()
    volunteer = make_volunteer(skills=[law], verified=False, home_area=area)
    link = volunteer.skill_links.get()

    client.force_login(volunteer.user)
    assert client.get(reverse("skill_verifications")).status_code == 403
    profile = client.get(reverse("volunteer_profile")).content.decode()
    assert "Waiting for verification" in profile

    client.force_login(CoordinatorFactory(area=area).user)
    page = client.get(reverse("skill_verifications"))
    assert volunteer.user.email in page.content.decode()
    client.post(reverse("skill_verifications"), {"link": link.pk, "decision": "verify"})
    link.refresh_from_db()
    assert link.verified_at is not None


def test_team_page_members_and_gaps(client):
    area = AreaFactory()
    team = TeamFactory(area=area)
    slot, _role = make_slot(team=team, needed=2)
    coordinator = CoordinatorFactory(area=area).user
    member = make_volunteer()
    client.force_login(coordinator)
    response = client.post(
        reverse("team_detail", args=[team.pk]), {"who": member.user.email, "role": "leader"}
    )
    assert response.status_code == 302
    assert TeamMembership.objects.get(team=team, volunteer=member).role == "leader"
    page = client.get(reverse("team_detail", args=[team.pk]))
    assert [s.pk for s in page.context["schedule"] if s.is_gap] == [slot.pk]
    assert "2 seats empty" in page.content.decode()

    client.force_login(CoordinatorFactory().user)
    assert client.get(reverse("team_detail", args=[team.pk])).status_code == 404

    client.force_login(coordinator)
    client.post(reverse("team_detail", args=[team.pk]), {"remove": member.pk})
    assert not TeamMembership.objects.filter(team=team).exists()
