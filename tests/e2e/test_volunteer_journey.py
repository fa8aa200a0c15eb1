"""A volunteer signs in, takes a shift, reads the page in both languages, and cancels."""

from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.utils import timezone, translation
from django.utils.translation import gettext

from activities.models import Assignment
from tests.e2e.conftest import screenshot
from tests.factories import (
    ActivityFactory,
    SlotFactory,
    SlotRoleFactory,
    UserFactory,
    VenueFactory,
    VolunteerFactory,
)
from volunteers.models import Availability

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _volunteer_with_a_shift():
    user = UserFactory(email="li.na@example.org", name="李娜", preferred_language="zh-hans")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    volunteer = VolunteerFactory(user=user, phone_verified_at=timezone.now())
    start = (timezone.localtime() + timedelta(days=3)).replace(
        hour=19, minute=0, second=0, microsecond=0
    )
    Availability.objects.create(
        volunteer=volunteer, weekday=start.weekday(), start="08:00", end="22:00"
    )
    activity = ActivityFactory(
        venue=VenueFactory(name="第一广场楼宇妇女之家", name_en="First Plaza Women's Home"),
        title="7点钟学堂",
        title_en="The 7 o'clock class",
        starts_at=start,
        ends_at=start + timedelta(hours=1, minutes=30),
    )
    slot = SlotFactory(activity=activity)
    SlotRoleFactory(slot=slot, needed=2, label="助教")
    return volunteer, slot


def test_sign_in_sign_up_switch_language_and_cancel(page, live_server):
    volunteer, slot = _volunteer_with_a_shift()

    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=login]", "li.na@example.org")
    page.fill("input[name=password]", "pass-word-1")
    page.locator("form[action='/accounts/login/'] button[type=submit]").click()
    page.wait_for_load_state()
    assert "/accounts/login/" not in page.url

    page.goto(f"{live_server.url}/shifts/{slot.pk}/")
    assert "7点钟学堂" in page.content()
    page.locator(f"form[action='/shifts/{slot.pk}/signup/'] button").click()
    with translation.override("zh-hans"):
        confirmed_zh = gettext("You have a seat on this shift.")
    page.get_by_text(confirmed_zh).wait_for()
    assert Assignment.objects.get(volunteer=volunteer).status == Assignment.Status.CONFIRMED
    screenshot(page, "volunteer-sign-in-slot-zh")

    page.select_option("#lang-select", "en")
    page.wait_for_load_state()
    page.get_by_text("You have a seat on this shift.").wait_for()
    assert "The 7 o'clock class" in page.content()
    volunteer.user.refresh_from_db()
    assert volunteer.user.preferred_language == "en"

    page.get_by_role("button", name="Cancel my place").click()
    # Giving up a place asks first, in a native dialog; "Keep my place" would leave it as is.
    dialog = page.get_by_role("dialog")
    assert "Give up your place on The 7 o'clock class" in dialog.inner_text()
    dialog.get_by_role("button", name="Yes, give it up").click()
    page.get_by_role("button", name="Sign up").wait_for()
    assert Assignment.objects.get(volunteer=volunteer).status == Assignment.Status.CANCELLED
    screenshot(page, "volunteer-sign-in-slot-en")
