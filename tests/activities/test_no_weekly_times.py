"""No weekly times given: she counts as free at any hour, for signing up as for the matcher
(tests/matching/test_runs_execute.py), and her pages tell her so, in her language."""

from __future__ import annotations

import pytest
from django.urls import reverse

from activities.models import Assignment
from activities.services.signup import slot_sign_up
from tests.factories import UserFactory
from tests.world import available, local, make_slot, make_volunteer

pytestmark = pytest.mark.django_db

EN = "You have not given the weekly times you are free, so shifts at any hour count"
ZH = "您尚未填写每周空闲时间"


def test_she_may_sign_up_for_a_shift_at_any_hour():
    slot, _role = make_slot(starts_at=local(3, 6))
    her = make_volunteer()
    assert slot_sign_up(volunteer=her, slot=slot).status == Assignment.Status.CONFIRMED


@pytest.mark.parametrize(("language", "text"), [("en", EN), ("zh-hans", ZH)])
def test_her_pages_say_why_every_hour_fits(client, language, text):
    slot, _role = make_slot()
    her = make_volunteer(user=UserFactory(preferred_language=language))
    client.force_login(her.user)
    for page in (reverse("slot_detail", args=[slot.pk]), reverse("shifts_for_me")):
        assert text in client.get(page).content.decode(), page
    profile = client.get(reverse("volunteer_profile")).content.decode()
    assert ("you count as free at any time" if language == "en" else "任何时间都有空") in profile


def test_with_weekly_times_the_pages_say_nothing_of_it(client):
    slot, _role = make_slot()
    her = make_volunteer()
    available(her, 0, "09:00", "12:00")
    client.force_login(her.user)
    for page in (reverse("slot_detail", args=[slot.pk]), reverse("shifts_for_me")):
        assert EN not in client.get(page).content.decode(), page
