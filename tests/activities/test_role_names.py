"""A role that asks for no skill has one name everywhere: the slot page, the host's roster and
the confirmation email all say "Any volunteer" (志愿者（不限技能）)."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from activities import notices
from activities.models import Assignment
from tests.factories import AssignmentFactory, UserFactory, VolunteerFactory
from tests.world import local, make_slot

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


@pytest.fixture
def seated(venue, django_capture_on_commit_callbacks):
    slot, role = make_slot(starts_at=local(2, 10), venue=venue, needed=2)
    her = VolunteerFactory(user=UserFactory(email="li.na@example.org", name="Li Na"))
    with django_capture_on_commit_callbacks(execute=True):
        assignment = AssignmentFactory(role=role, volunteer=her, status=Assignment.Status.CONFIRMED)
        notices.assignment_confirmed(assignment, prompted=True)
    return assignment


def test_slot_page_roster_and_email_name_the_role_alike(client, seated, host):
    client.force_login(host)
    roster = client.get(reverse("slot_roster", args=[seated.slot_id])).content.decode()
    assert "<td>Any volunteer</td>" in roster
    assert "<td>—</td>\n" not in roster.split("Li Na", 1)[1].split("</tr>", 1)[0]
    page = client.get(reverse("slot_detail", args=[seated.slot_id])).content.decode()
    assert "Any volunteer: 1 / 2" in page
    assert "Your role: Any volunteer" in mail.outbox[0].body


def test_in_chinese_the_role_is_named_alike(client, seated, host):
    host.preferred_language = "zh-hans"
    host.save()
    client.force_login(host)
    roster = client.get(reverse("slot_roster", args=[seated.slot_id])).content.decode()
    assert "<td>志愿者（不限技能）</td>" in roster
    page = client.get(reverse("slot_detail", args=[seated.slot_id])).content.decode()
    assert "志愿者（不限技能）: 1 / 2" in page
