"""My hours: attended hours add up by month and kind; no-shows counted apart; printable record."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import AssignmentFactory
from tests.world import make_slot, make_volunteer

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


def test_hours_by_month_and_kind_and_record(client):
    volunteer = make_volunteer()
    past = timezone.now() - timedelta(days=40)
    lecture, lecture_role = make_slot(starts_at=past, hours=2, kind="lecture")
    klass, class_role = make_slot(starts_at=past + timedelta(days=1), hours=1.5, kind="class")
    missed, missed_role = make_slot(starts_at=past + timedelta(days=2), hours=3)
    AssignmentFactory(role=lecture_role, volunteer=volunteer, status="attended")
    AssignmentFactory(role=class_role, volunteer=volunteer, status="attended")
    AssignmentFactory(role=missed_role, volunteer=volunteer, status="no_show")
    client.force_login(volunteer.user)

    summary = client.get(reverse("my_hours")).context["summary"]
    assert summary["total"] == 3.5
    assert dict(summary["by_kind"]) == {"Lecture": 2.0, "Class": 1.5}
    assert summary["no_shows"] == 1
    assert sum(h for _m, h in summary["by_month"]) == 3.5

    record = client.get(reverse("service_record"))
    body = record.content.decode()
    assert "Record of volunteer service" in body
    assert "@media print" in body
    assert "3 h 30 min" in body


def test_record_rows_add_up_to_the_total_in_hours_and_minutes(client):
    volunteer = make_volunteer()
    past = timezone.now() - timedelta(days=40)
    for day in range(13):
        _slot, role = make_slot(starts_at=past + timedelta(days=day), hours=1.25, kind="salon")
        AssignmentFactory(role=role, volunteer=volunteer, status="attended")
    client.force_login(volunteer.user)
    body = client.get(reverse("service_record")).content.decode()
    assert body.count("<td>1 h 15 min</td>") == 13
    assert "<td>16 h 15 min</td>" in body
    assert "has given 16 h 15 min of volunteer service in 13 shifts." in body
    assert "1.3" not in body
    hours = client.get(reverse("my_hours")).content.decode()
    assert "<strong>16 h 15 min</strong>" in hours


def test_record_in_chinese_shows_hours_and_minutes(client):
    volunteer = make_volunteer()
    volunteer.user.preferred_language = "zh-hans"
    volunteer.user.save()
    _slot, role = make_slot(starts_at=timezone.now() - timedelta(days=3), hours=1.25)
    AssignmentFactory(role=role, volunteer=volunteer, status="attended")
    client.force_login(volunteer.user)
    body = client.get(reverse("service_record")).content.decode()
    assert "<td>1 小时 15 分钟</td>" in body


def test_hours_page_in_chinese(client):
    volunteer = make_volunteer()
    volunteer.user.preferred_language = "zh-hans"
    volunteer.user.save()
    client.force_login(volunteer.user)
    body = client.get(reverse("my_hours")).content.decode()
    assert "我的服务时长" in body
