"""The embedded default: texts are printed, and the outbox keeps the record."""

from __future__ import annotations

import pytest

from notifications import services
from notifications.models import Message
from tests.world import reachable_volunteer

pytestmark = pytest.mark.django_db


def test_the_console_backend_prints_and_records(settings, commit, capsys):
    settings.SMS_BACKEND = "console"
    anna = reachable_volunteer()
    with commit():
        message = services.sms_queue(
            to=anna.phone, body="Reminder: Sewing class", kind="reminder", language="en"
        )
    out = capsys.readouterr().out
    assert f"SMS to {anna.phone}" in out and "Reminder: Sewing class" in out
    message.refresh_from_db()
    assert message.status == Message.Status.SENT and message.provider_sid.startswith("CO")
