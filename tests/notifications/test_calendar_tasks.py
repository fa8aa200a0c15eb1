"""The invitation task: found by the workers, and sending what it was handed."""

from __future__ import annotations

from django.core import mail

from config.celery import app
from notifications.calendar_tasks import calendar_invitation_send


def test_workers_find_the_task():
    app.loader.import_default_modules()
    assert "notifications.calendar_invitation_send" in app.tasks


def test_the_task_sends_the_invitation_it_was_handed():
    ics = "BEGIN:VCALENDAR\r\nMETHOD:CANCEL\r\nEND:VCALENDAR\r\n"
    calendar_invitation_send.delay(
        to="li.na@example.org", subject="取消", body="正文", ics=ics, method="CANCEL"
    )
    [message] = mail.outbox
    assert message.to == ["li.na@example.org"]
    assert message.alternatives[0].mimetype == "text/calendar; method=CANCEL"
    assert message.attachments[0].filename == "cancel.ics"
