"""The profile's forms as a newcomer meets them: texts need a number, a refused weekly time keeps
what she typed, and the problems are summed up at the top of the page with links to the fields."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import UserFactory
from tests.world import make_volunteer
from volunteers.models import VolunteerProfile

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

PROFILE = {
    "name": "王芳",
    "languages": ["zh"],
    "max_hours_per_week": 6,
    "preferred_language": "en",
}


def test_texts_on_without_a_number_is_refused_and_nothing_is_saved(client):
    user = UserFactory(name="")
    client.force_login(user)
    response = client.post(reverse("volunteer_become"), {**PROFILE, "sms_enabled": "on"})
    assert response.status_code == 200
    text = response.content.decode()
    message = "Texts need a mobile number: add yours on the mobile number page first"
    assert message in text
    assert text.index('class="error-summary"') < text.index("<h1>")
    assert 'href="#id_sms_enabled"' in text
    assert not VolunteerProfile.objects.filter(user=user).exists()


def test_texts_off_without_a_number_is_fine(client):
    user = UserFactory()
    client.force_login(user)
    assert client.post(reverse("volunteer_become"), PROFILE).status_code == 302
    assert VolunteerProfile.objects.get(user=user).sms_enabled is False


def test_with_a_number_texts_can_be_on(client):
    volunteer = make_volunteer(phone="+8613812345678", sms_enabled=False)
    client.force_login(volunteer.user)
    response = client.post(reverse("volunteer_profile"), {**PROFILE, "sms_enabled": "on"})
    assert response.status_code == 302
    volunteer.refresh_from_db()
    assert volunteer.sms_enabled is True


def test_a_refused_weekly_time_keeps_what_she_typed(client):
    volunteer = make_volunteer()
    client.force_login(volunteer.user)
    response = client.post(
        reverse("availability_add"), {"weekday": 3, "start": "19:00", "end": "18:00"}
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert 'value="19:00"' in text and 'value="18:00"' in text
    assert '<option value="3" selected>' in text
    assert "The end must be after the start." in text
    assert text.index('class="error-summary"') < text.index("<h1>")
    assert volunteer.availability.count() == 0


def test_the_summary_reads_in_chinese(client):
    volunteer = make_volunteer()
    volunteer.user.preferred_language = "zh-hans"
    volunteer.user.save()
    client.force_login(volunteer.user)
    text = client.post(
        reverse("availability_add"), {"weekday": 3, "start": "19:00", "end": "18:00"}
    ).content.decode()
    assert "请更正以下 1 处问题：" in text
