"""Without a broker or beat, `manage.py run_periodic` runs the beat schedule in-process."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from activities.services.signup import slot_sign_up
from tests.world import reachable_volunteer, slot_in, texts_to

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


def test_run_periodic_sends_due_reminders_once(commit, sms_outbox):
    anna = reachable_volunteer()
    # Monday 09:00: the slot starts Tuesday 05:00, inside her weekly times (not across midnight).
    slot, _role = slot_in(20)  # starts in 20 hours: the 24-hour reminder is due
    with commit():
        slot_sign_up(volunteer=anna, slot=slot)
    before = len(texts_to(anna))

    with commit():
        call_command("run_periodic")
    reminders = texts_to(anna)[before:]
    assert len(reminders) == 1
    assert reminders[0].body.startswith("Reminder:")

    with commit():
        call_command("run_periodic")
    assert len(texts_to(anna)) == before + 1
